"""The bolt application: Slack's side of the product, mounted on our own aiohttp app."""

import logging

from slack_bolt.async_app import AsyncApp

from bot.services import Services


def build_bolt_app(services: Services) -> AsyncApp:
    from handlers import register_all  # the edges depend on bot/, never the other way at import

    settings = services.settings
    app = AsyncApp(
        client=services.client,
        # bolt falls back to os.environ when given None; give it our validated value.
        signing_secret=settings.slack_signing_secret or "",
        # Socket Mode frames arrive authenticated over the app-level token, unsigned.
        request_verification_enabled=not settings.socket_mode,
        process_before_response=False,
        logger=logging.getLogger("quality.bolt"),
    )
    register_all(app, services)
    return app
