"""Events API: a resolved reaction in a service channel asks the helped person for a rating."""

from typing import Any

from slack_bolt.async_app import AsyncApp, AsyncBoltContext

from bot.services import Services
from bot.surveys.served import Reaction, resolved_reaction
from handlers.payload import message_ts, text, user_id


def register(app: AsyncApp, services: Services) -> None:
    @app.event("reaction_added")
    @services.tasks.tracked
    async def reaction_added(event: dict[str, Any], context: AsyncBoltContext) -> None:
        if text(event, "item", "type") != "message":
            return  # reactions to files and file comments serve no one
        reactor, reaction = user_id(event, "user"), text(event, "reaction")
        channel, ts = text(event, "item", "channel"), message_ts(event, "item", "ts")
        if not (reactor and reaction and channel and ts):
            return  # not a reaction to a message as Slack describes one
        request = await resolved_reaction(
            Reaction(
                reactor=reactor,
                reaction=reaction,
                channel=channel,
                ts=ts,
                author=user_id(event, "item_user"),
                at=message_ts(event, "event_ts"),
            ),
            client=services.client,
            quality=services.quality.current,
            bot_user_id=context.bot_user_id,
        )
        if request is not None:
            await services.polls.request(request)
