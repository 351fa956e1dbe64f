"""`/quality`: parse the subcommand, call one service, answer (ephemeral unless said otherwise)."""

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond

from bot.blocks import escape
from bot.blocks.departments import build_departments
from bot.blocks.help import HelpEntry, build_help, help_text
from bot.membership import member_counts
from bot.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Invocation:
    user_id: str
    args: list[str]
    ack: AsyncAck
    respond: AsyncRespond


Run = Callable[[Invocation], Awaitable[None]]


@dataclass(frozen=True)
class Subcommand:
    help: HelpEntry
    run: Run


def parse(text: str) -> tuple[str, list[str]]:
    words = text.split()
    if not words:
        return "help", []
    return words[0].lower(), words[1:]


def register(app: AsyncApp, services: Services) -> None:
    subcommands: dict[str, Subcommand] = {}

    def entries() -> list[HelpEntry]:
        return [s.help for s in subcommands.values()]

    async def show_help(inv: Invocation, problem: str | None = None) -> None:
        await inv.ack(
            response_type="ephemeral",
            text=help_text(entries()),
            blocks=build_help(entries(), problem=problem),
        )

    async def departments(inv: Invocation) -> None:
        if inv.args:
            await show_help(inv, problem="`departments` takes no arguments.")
            return
        await inv.ack()
        counts = await member_counts()
        await inv.respond(
            response_type="ephemeral",
            text=f"{len(services.settings.quality.departments)} departments",
            blocks=build_departments(services.settings.quality.departments, counts),
        )

    subcommands["help"] = Subcommand(HelpEntry("help", "what each subcommand does"), show_help)
    subcommands["departments"] = Subcommand(
        HelpEntry("departments", "the departments, their channels and managers"), departments
    )

    @app.command("/quality")
    @services.tasks.tracked
    async def quality(ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any]) -> None:
        name, args = parse(str(command.get("text", "")))
        inv = Invocation(
            user_id=str(command.get("user_id", "")), args=args, ack=ack, respond=respond
        )
        sub = subcommands.get(name)
        if sub is None:
            await show_help(
                inv, problem=f"I don't know `{escape(name[:40])}`. Here is what I can do:"
            )
            return
        await sub.run(inv)
