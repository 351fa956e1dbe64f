"""The message shortcut "Rate this interaction": the rating modal, from any message."""

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.poll import rate_by_hand_modal
from bot.services import Services
from bot.slack.manifest import RATE_SHORTCUT_CALLBACK_ID
from bot.slack.text import plain
from bot.surveys.served import summary_of
from handlers.modals import open_modal
from handlers.payload import text


def register(app: AsyncApp, services: Services) -> None:
    @app.shortcut(RATE_SHORTCUT_CALLBACK_ID)
    @services.tasks.tracked
    async def rate_interaction(
        ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        await ack()
        channel = text(shortcut, "channel", "id")
        # In a department's service channel, that department is the likely one to rate.
        dept = next((d for d in quality.departments if channel in d.channels), None)
        summary = summary_of(plain(text(shortcut, "message", "text") or ""))
        view = rate_by_hand_modal(
            quality,
            selected=dept.slug if dept else None,
            origin={"trigger": "shortcut", "summary": summary},
        )
        await open_modal(client, text(shortcut, "trigger_id"), view)
