"""App Home: what is waiting for the person who opens it, and a way to rate."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.home import RATE_ACTION
from bot.blocks.poll import rate_by_hand_modal
from bot.services import Services
from handlers.modals import open_modal
from handlers.payload import text, user_id


def register(app: AsyncApp, services: Services) -> None:
    @app.event("app_home_opened")
    @services.tasks.tracked
    async def home_opened(event: dict[str, Any]) -> None:
        user = user_id(event, "user")
        if event.get("tab", "home") == "home" and user:
            await services.home.publish(user)

    @app.action(RATE_ACTION)
    @services.tasks.tracked
    async def rate(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient) -> None:
        quality = services.quality.current
        await ack()
        view = rate_by_hand_modal(quality, origin={"trigger": "manual"})
        await open_modal(client, text(body, "trigger_id"), view)
