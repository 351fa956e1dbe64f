"""`/quality export [department]`: the CSV of a department's ratings and reviews, by DM."""

import asyncio
import logging

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError

from bot.blocks.help import HelpEntry
from bot.config import QualityConfig
from bot.people.departments import find_department
from bot.people.roles import Person
from bot.privacy.export import DEFAULT_WEEKS, Export, export_rows, record, to_csv
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from handlers.invocation import Invocation, Subcommand, unknown_department

NAME = "export"
ORDER = 50

log = logging.getLogger(__name__)


def build(services: Services) -> Subcommand:
    async def run(inv: Invocation) -> None:
        quality = services.quality.current
        chosen = _departments(quality, inv.person, " ".join(inv.args))
        if isinstance(chosen, str):
            await inv.refuse(chosen)
            return
        await inv.ack()
        try:
            export = await export_rows(quality, chosen, DEFAULT_WEEKS, services.clock())
        except DATABASE_ERRORS as exc:
            log.warning("export failed: the database did not answer (%s)", type(exc).__name__)
            await inv.respond(
                response_type="ephemeral",
                text="The export failed: the database did not answer. Nothing was sent.",
            )
            return
        if not export.rows:
            await inv.respond(
                response_type="ephemeral", text=f"Nothing to export: {export.summary()}"
            )
            return
        content = await asyncio.to_thread(to_csv, export)
        slug = export.departments[0] if len(export.departments) == 1 else "all"
        try:
            # Written before the file goes out: an export the audit log cannot hold is not made.
            await record(export, actor=inv.user_id, at=services.clock(), via="/quality export")
        except DATABASE_ERRORS as exc:
            log.warning("export not audited: the database did not answer (%s)", type(exc).__name__)
            await inv.respond(
                response_type="ephemeral",
                text="The export could not be written to the audit log, so nothing was sent. "
                "Please try again in a moment.",
            )
            return
        try:
            opened = await inv.client.conversations_open(users=inv.user_id)
            await inv.client.files_upload_v2(
                channel=str(opened["channel"]["id"]),
                content=content,
                filename=f"quality-{slug}-{export.weeks[-1]}.csv",
                title=f"Ratings and reviews of {_names(quality, export)}",
                initial_comment=f"Your export: {export.summary()}",
            )
        except (SlackApiError, ClientError, TimeoutError) as exc:
            error = exc.response.get("error") if isinstance(exc, SlackApiError) else None
            log.warning("export: the upload failed (%s)", error or type(exc).__name__)
            await inv.respond(
                response_type="ephemeral",
                text=f"I couldn't send the export to your DMs ({error or 'Slack did not answer'})."
                " Nothing was shared; please try again in a moment.",
            )
            return
        await inv.respond(response_type="ephemeral", text=f"Sent to your DMs: {export.summary()}")

    return Subcommand(
        HelpEntry(
            "export [department]",
            f"a CSV of a department's ratings and reviews (last {DEFAULT_WEEKS} weeks), by DM",
            who="managers, admins",
        ),
        run,
    )


def _departments(quality: QualityConfig, who: Person, typed: str) -> list[str] | str:
    """The slugs to export, or the polite refusal to answer with."""
    if typed.strip():
        lookup = find_department(quality, typed)
        if lookup.department is None:
            return unknown_department(typed, lookup.suggestion)
        dept = lookup.department
        if who.may_export(dept.slug):
            return [dept.slug]
        managers = ", ".join(f"<@{m}>" for m in dept.managers)
        by = f"{dept.name}'s managers ({managers}) and admins" if managers else "admins"
        return f"Sorry, only {by} can export {dept.name}'s ratings and reviews."
    if who.admin:
        return [d.slug for d in quality.departments]
    managed = who.overseen(quality)
    if len(managed) == 1:
        return managed
    if managed:
        choices = " or ".join(f"`/quality export {slug}`" for slug in managed)
        return f"Which department? You manage several: {choices}."
    return (
        "Sorry, exports are for a department's managers and for admins. "
        "`/quality report` shows the figures anyone may see."
    )


def _names(quality: QualityConfig, export: Export) -> str:
    if len(export.departments) == len(quality.departments) > 1:
        return "every department"
    names = {d.slug: d.name for d in quality.departments}
    return ", ".join(names.get(slug, slug) for slug in export.departments)
