"""`/quality`: parse the subcommand and hand it to its module in handlers/subcommands (answers
are ephemeral unless said otherwise); `help` is the dispatcher's own."""

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import escape
from bot.blocks.help import HelpEntry, build_help, help_text
from bot.people.roles import person
from bot.services import Services
from bot.slack.text import command_words
from handlers.invocation import Invocation, Subcommand
from handlers.payload import text, web_url
from handlers.payload import user_id as slack_user
from handlers.subcommands import build_all

log = logging.getLogger(__name__)

INCOMPLETE = "This command arrived without what Slack always sends with one, so I did nothing."


def parse(text: str) -> tuple[str, list[str]]:
    """The subcommand and its arguments, from the command's text as Slack sends it (escaped)."""
    words = command_words(text)
    if not words:
        return "help", []
    return words[0].lower(), words[1:]


def register(app: AsyncApp, services: Services) -> None:
    subcommands: dict[str, Subcommand] = {}

    def entries() -> list[HelpEntry]:
        return [entry for s in subcommands.values() for entry in (s.help, *s.variants)]

    async def show_help(inv: Invocation, problem: str | None = None) -> None:
        await inv.ack(
            response_type="ephemeral",
            text=help_text(entries()),
            blocks=build_help(entries(), problem=problem),
        )

    # `help` is the dispatcher's own: it lists every other subcommand, each a module of
    # handlers/subcommands, in their ORDER.
    help_ = Subcommand(HelpEntry("help", "what each subcommand does"), show_help)
    subcommands["help"] = help_
    for _, name, sub in build_all(services):
        subcommands[name] = sub

    @app.command("/quality")
    @services.tasks.tracked
    async def quality_command(
        ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any], client: AsyncWebClient
    ) -> None:
        quality = services.quality.current
        user_id, trigger_id = slack_user(command, "user_id"), text(command, "trigger_id")
        if not (user_id and trigger_id and web_url(command, "response_url")):
            # Slack sends all three with every command: without them there is no one to act
            # for, nothing to open a modal with, or no way to answer after the ack.
            await ack(response_type="ephemeral", text=INCOMPLETE)
            return
        name, args = parse(text(command, "text") or "")
        inv = Invocation(
            user_id=user_id,
            person=person(quality, user_id),
            args=args,
            trigger_id=trigger_id,
            ack=ack,
            respond=respond,
            client=client,
            show_help=lambda problem: show_help(inv, problem=problem),
        )
        sub = subcommands.get(name)
        if sub is None:
            await show_help(
                inv, problem=f"I don't know `{escape(name[:40])}`. Here is what I can do:"
            )
            return
        await sub.run(inv)
