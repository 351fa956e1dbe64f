"""App Home: what is waiting for the person who opens it, and a way to rate."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.home import RATE_ACTION
from bot.blocks.poll import rate_by_hand_modal
from bot.services import Services


def register(app: AsyncApp, services: Services) -> None:
    quality = services.settings.quality

    @app.event("app_home_opened")
    @services.tasks.tracked
    async def home_opened(event: dict[str, Any]) -> None:
        if event.get("tab", "home") == "home" and event.get("user"):
            await services.home.publish(str(event["user"]))

    @app.action(RATE_ACTION)
    @services.tasks.tracked
    async def rate(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        await ack()
        view = rate_by_hand_modal(quality, origin={"trigger": "manual"})
        await client.views_open(trigger_id=body["trigger_id"], view=view)
