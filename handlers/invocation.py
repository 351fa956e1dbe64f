"""One `/quality` call as each subcommand sees it, and what a subcommand is."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from slack_bolt.async_app import AsyncAck, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import escape
from bot.blocks.help import HelpEntry
from bot.people.roles import Person
from bot.runtime.db import DATABASE_ERRORS

log = logging.getLogger(__name__)

SAVE_FAILED = "Couldn't save that — please try again in a moment."
LISTS_DEPARTMENTS = "`/quality departments` lists them."
ECHO = 60  # characters of what was typed that an answer repeats


@dataclass(frozen=True)
class Invocation:
    user_id: str
    person: Person  # what they may see and do
    args: list[str]
    trigger_id: str
    ack: AsyncAck
    respond: AsyncRespond
    client: AsyncWebClient
    # Answer with the help, headed by what was wrong ("`digest` takes nothing, or `post`.").
    show_help: Callable[[str], Awaitable[None]]

    async def refuse(self, text: str) -> None:
        """Answer at once, privately, without doing anything."""
        await self.ack(response_type="ephemeral", text=text)

    async def commit_then_ack(self, write: Awaitable[None], done: str) -> None:
        """Commit `write`, then acknowledge with `done`: what Slack shows as done is stored.
        When the database does not answer, the acknowledgement says so and claims nothing."""
        try:
            await write
        except DATABASE_ERRORS as exc:
            log.warning("not saved: the database did not answer (%s)", type(exc).__name__)
            await self.refuse(SAVE_FAILED)
            return
        await self.ack(response_type="ephemeral", text=done)


Run = Callable[[Invocation], Awaitable[None]]


@dataclass(frozen=True)
class Subcommand:
    help: HelpEntry
    run: Run
    variants: tuple[HelpEntry, ...] = ()  # further forms, listed in the help after this one


def echo(typed: str) -> str:
    """What someone typed, repeated in an answer: escaped, and cut short."""
    return escape(typed if len(typed) <= ECHO else typed[: ECHO - 1] + "…")


def unknown_department(typed: str, suggestion: str | None) -> str:
    """The answer to a department nobody has: what was typed, a guess, and where to look."""
    hint = f" Did you mean `{suggestion}`?" if suggestion else ""
    return f"I don't know the department `{echo(typed.strip())}`.{hint} {LISTS_DEPARTMENTS}"
