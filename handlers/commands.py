"""`/quality`: parse the subcommand, call one service, answer (ephemeral unless said otherwise)."""

import logging
from collections.abc import Awaitable
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import escape
from bot.blocks.departments import build_departments
from bot.blocks.digest import build_digest_messages
from bot.blocks.help import HelpEntry, build_help, help_text
from bot.blocks.poll import rate_by_hand_modal
from bot.digest.post import Outcome
from bot.people.departments import find_department
from bot.people.membership import member_counts
from bot.people.roles import person
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from bot.slack.text import command_words
from bot.surveys.requests import opt_in, opt_out
from bot.weeks import Week
from handlers.invocation import Invocation, Subcommand
from handlers.modals import open_modal
from handlers.payload import text, web_url
from handlers.payload import user_id as slack_user
from handlers.subcommands import build_all as more_subcommands

log = logging.getLogger(__name__)

SAVE_FAILED = "Couldn't save that — please try again in a moment."
INCOMPLETE = "This command arrived without what Slack always sends with one, so I did nothing."


async def _recorded(inv: Invocation, write: Awaitable[None], done: str) -> None:
    """Commit `write`, then acknowledge with `done`: what Slack shows as done is stored. When
    the database does not answer, the acknowledgement says so and nothing is claimed."""
    try:
        await write
    except DATABASE_ERRORS as exc:
        log.warning("not saved: the database did not answer (%s)", type(exc).__name__)
        await inv.refuse(SAVE_FAILED)
        return
    await inv.ack(response_type="ephemeral", text=done)


def parse(text: str) -> tuple[str, list[str]]:
    """The subcommand and its arguments, from the command's text as Slack sends it (escaped)."""
    words = command_words(text)
    if not words:
        return "help", []
    return words[0].lower(), words[1:]


def register(app: AsyncApp, services: Services) -> None:
    quality = services.settings.quality
    subcommands: dict[str, Subcommand] = {}

    def entries() -> list[HelpEntry]:
        return [entry for s in subcommands.values() for entry in (s.help, *s.variants)]

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

    async def rate(inv: Invocation) -> None:
        selected = None
        if inv.args:
            lookup = find_department(quality, " ".join(inv.args))
            if lookup.department is None:
                hint = f" Did you mean `{lookup.suggestion}`?" if lookup.suggestion else ""
                await inv.ack(
                    response_type="ephemeral",
                    text=f"I don't know the department `{escape(' '.join(inv.args)[:60])}`.{hint} "
                    "`/quality departments` lists them.",
                )
                return
            selected = lookup.department.slug
        await inv.ack()
        view = rate_by_hand_modal(quality, selected=selected, origin={"trigger": "manual"})
        if not await open_modal(inv.client, inv.trigger_id, view):
            await inv.respond(
                response_type="ephemeral",
                text="Slack did not let me open the rating form in time. Please try again.",
            )

    async def optout(inv: Invocation) -> None:
        await _recorded(
            inv,
            opt_out(inv.user_id),
            "Done: nobody will ask you for a rating. `/quality optin` turns polls back on.",
        )

    async def optin(inv: Invocation) -> None:
        await _recorded(
            inv,
            opt_in(inv.user_id),
            "Welcome back: you may be asked, now and then, how a department served you.",
        )

    async def digest(inv: Invocation) -> None:
        if inv.args and [a.lower() for a in inv.args] != ["post"]:
            await show_help(inv, problem="`digest` takes nothing, or `post`.")
            return
        if inv.args and not inv.person.may_post_digest:
            await inv.ack(
                response_type="ephemeral",
                text="Only an admin can post the digest. `/quality digest` shows you a preview.",
            )
            return
        await inv.ack()
        week = Week.last_complete(services.clock(), quality.tz)
        if inv.args:
            await post_digest(inv, week)
            return
        first = build_digest_messages(await services.aggregates.digest(week))[0]
        await inv.respond(response_type="ephemeral", **first)

    async def post_digest(inv: Invocation, week: Week) -> None:
        if quality.digest.channel is None:
            await inv.respond(
                response_type="ephemeral",
                text="There is no digest channel: set `digest.channel` in quality.yml.",
            )
            return
        result = await services.digest.post(week, force=True)
        where = f"<#{result.channel}>"
        answers = {
            Outcome.POSTED: f"Posted the digest of {week} to {where}.",
            Outcome.ALREADY_POSTED: f"The digest of {week} is already in {where}: "
            "each week is posted once.",
            Outcome.BUSY: f"The digest of {week} is being posted to {where} right now.",
            Outcome.FAILED: f"The digest of {week} could not be posted ({result.error}). "
            "It will be retried; posting again resumes where it stopped.",
        }
        await inv.respond(response_type="ephemeral", text=answers[result.outcome])

    # In the order the help lists them; the modules of handlers/subcommands slot in by ORDER.
    builtin = [
        (0, "help", Subcommand(HelpEntry("help", "what each subcommand does"), show_help)),
        (10, "rate", Subcommand(HelpEntry("rate [department]", "rate a department now"), rate)),
        (30, "departments", Subcommand(
            HelpEntry("departments", "the departments, their channels and managers"), departments
        )),
        (40, "digest", Subcommand(
            HelpEntry("digest", "a preview of last week's digest"),
            digest,
            variants=(HelpEntry("digest post", "post it now (still once a week)", who="admins"),),
        )),
        (70, "optout", Subcommand(HelpEntry("optout", "stop being asked to rate"), optout)),
        (71, "optin", Subcommand(HelpEntry("optin", "be asked again"), optin)),
    ]  # fmt: skip
    for _, name, sub in sorted([*builtin, *more_subcommands(services)], key=lambda b: b[0]):
        subcommands[name] = sub

    @app.command("/quality")
    @services.tasks.tracked
    async def quality_command(
        ack: AsyncAck, respond: AsyncRespond, command: dict[str, Any], client: AsyncWebClient
    ) -> None:
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
        )
        sub = subcommands.get(name)
        if sub is None:
            await show_help(
                inv, problem=f"I don't know `{escape(name[:40])}`. Here is what I can do:"
            )
            return
        await sub.run(inv)
