"""The bolt application: Slack's side of the product, mounted on our own aiohttp app."""

import logging

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot.services import Services
from handlers import register_all


def _not_token_skipped(record: logging.LogRecord) -> bool:
    """bolt reads SLACK_BOT_TOKEN from os.environ even when it is given a client, and then
    warns at every start that the token goes unused. The client was built from that same
    token (settings read it there), so the warning says nothing: drop exactly that message."""
    return record.getMessage() != warning_client_prioritized_and_token_skipped()


def build_bolt_app(services: Services) -> AsyncApp:
    settings = services.settings
    logger = logging.getLogger("quality.bolt")
    logger.addFilter(_not_token_skipped)  # once: adding the same filter again is a no-op
    app = AsyncApp(
        client=services.client,
        # bolt falls back to os.environ when given None; give it our validated value.
        signing_secret=settings.slack_signing_secret or "",
        # Socket Mode frames arrive authenticated over the app-level token, unsigned.
        request_verification_enabled=not settings.socket_mode,
        process_before_response=False,
        logger=logger,
    )
    register_all(app, services)
    return app
