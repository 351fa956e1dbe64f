"""Events API: a resolved reaction in a service channel asks the helped person for a rating."""

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.services import Services
from bot.surveys.served import Reaction, resolved_reaction


def register(app: AsyncApp, services: Services) -> None:
    @app.event("reaction_added")
    @services.tasks.tracked
    async def reaction_added(event: dict[str, Any], context: AsyncBoltContext) -> None:
        item = event.get("item") or {}
        if item.get("type") != "message" or not item.get("channel") or not item.get("ts"):
            return  # reactions to files and file comments serve no one
        outcome = await resolved_reaction(
            Reaction(
                reactor=str(event.get("user", "")),
                reaction=str(event.get("reaction", "")),
                channel=str(item["channel"]),
                ts=str(item["ts"]),
                author=event.get("item_user"),
            ),
            client=services.client,
            quality=services.settings.quality,
            bot_user_id=context.bot_user_id,
            now=services.clock(),
        )
        if outcome is not None and outcome.created and outcome.status == "queued":
            services.polls.wake()
