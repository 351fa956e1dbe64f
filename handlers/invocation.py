"""One `/quality` call as each subcommand sees it, and what a subcommand is."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_bolt.async_app import AsyncAck, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.help import HelpEntry
from bot.people.roles import Person


@dataclass(frozen=True)
class Invocation:
    user_id: str
    person: Person  # what they may see and do
    args: list[str]
    trigger_id: str
    ack: AsyncAck
    respond: AsyncRespond
    client: AsyncWebClient

    async def refuse(self, text: str) -> None:
        """Answer at once, privately, without doing anything."""
        await self.ack(response_type="ephemeral", text=text)


Run = Callable[[Invocation], Awaitable[None]]


@dataclass(frozen=True)
class Subcommand:
    help: HelpEntry
    run: Run
    variants: tuple[HelpEntry, ...] = ()  # further forms, listed in the help after this one
