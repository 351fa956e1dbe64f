"""`/quality report [department] [weeks]`: figures for anyone; a department's managers and the
admins also see its colleagues' comments, and each such view goes to the audit log.
"""

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks.help import HelpEntry
from bot.blocks.report import build_report_message
from bot.config import QualityConfig
from bot.digest.report import DEFAULT_WEEKS, MAX_WEEKS, MIN_WEEKS
from bot.people.departments import channel_id, find_department
from bot.privacy import audit
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from handlers.invocation import (
    LISTS_DEPARTMENTS,
    Invocation,
    Subcommand,
    unknown_department,
)

NAME = "report"
ORDER = 20

log = logging.getLogger(__name__)
UNAUDITED = (
    "Comments are left out: the audit log could not record that you viewed them. "
    "Please try again in a moment."
)

# In the overview, comments are read for this many departments at most; each one's own report
# shows the rest (an admin oversees every department, and one message holds few comments).
OVERVIEW_COMMENT_DEPARTMENTS = 3
_WEEKS = re.compile(r"[+-]?(?P<digits>\d+)(?:w|wk|wks|weeks?)?", re.IGNORECASE)
_WEEK_WORDS = {"w", "wk", "wks", "week", "weeks"}
_ALL = {"all", "*"}


@dataclass(frozen=True)
class Request:
    slug: str | None  # None: every department
    weeks: int


def _weeks_problem() -> str:
    return (
        f"I can report on {MIN_WEEKS} to {MAX_WEEKS} complete weeks ({DEFAULT_WEEKS} if you "
        "don't say), for example `/quality report it 8`."
    )


def parse_args(quality: QualityConfig, args: Sequence[str]) -> Request | str:
    """What was asked for, or a friendly sentence saying what is wrong with it."""
    typed = " ".join(args)
    whole = _department(quality, typed)  # first: a name may hold a number ("Team 2")
    if whole is not None:
        return Request(whole or None, DEFAULT_WEEKS)
    numbers = [i for i, arg in enumerate(args) if _WEEKS.fullmatch(arg)]
    # One number is the weeks (a "weeks" after it aside); the other words name the department.
    for i in numbers:
        rest = [*args[:i], *args[i + 1 :]]
        if i < len(rest) and rest[i].lower() in _WEEK_WORDS:
            del rest[i]
        found = _department(quality, " ".join(rest))
        if found is not None:
            weeks = _weeks(args[i])
            return _weeks_problem() if weeks is None else Request(found or None, weeks)
    if len(numbers) > 1:
        return "Give one number of weeks. " + _weeks_problem()
    wanted = " ".join(a for i, a in enumerate(args) if i not in numbers)
    if (channel := channel_id(wanted)) is not None:
        return f"No department serves <#{channel}>. {LISTS_DEPARTMENTS}"
    return unknown_department(wanted, find_department(quality, wanted).suggestion)


def _department(quality: QualityConfig, typed: str) -> str | None:
    """The slug typed, "" for every department, None when it names none."""
    if not typed or typed.lower() in _ALL:
        return ""
    found = find_department(quality, typed).department
    return None if found is None else found.slug


def _weeks(typed: str) -> int | None:
    match = _WEEKS.fullmatch(typed)
    if match is None or typed.startswith("-"):
        return None
    digits = match["digits"].lstrip("0") or "0"
    # A huge number is simply out of range (and int() refuses over 4,300 digits anyway).
    weeks = int(digits) if len(digits) <= 3 else 0
    return weeks if MIN_WEEKS <= weeks <= MAX_WEEKS else None


def build(services: Services) -> Subcommand:
    async def report(inv: Invocation) -> None:
        quality = services.quality.current
        asked = parse_args(quality, inv.args)
        if isinstance(asked, str):
            await inv.refuse(asked)
            return
        await inv.ack()
        slugs = [asked.slug] if asked.slug else [d.slug for d in quality.departments]
        permitted = [slug for slug in slugs if inv.person.sees_comments_of(slug)]
        read = permitted if asked.slug else permitted[:OVERVIEW_COMMENT_DEPARTMENTS]
        now = services.clock()
        result = await services.aggregates.report(slugs, asked.weeks, now, comments_for=read)
        message = build_report_message(result, comments_of=permitted)
        # Written before the answer goes out: no view of comments escapes the log.
        shown = [slug for slug in slugs if slug in message.comments_shown]
        try:
            detail = f"weeks={asked.weeks} via /quality report"
            await audit.comments_viewed(now, inv.user_id, shown, detail=detail)
        except DATABASE_ERRORS as exc:
            log.warning("report: comments not audited (%s); figures only", type(exc).__name__)
            message = build_report_message(result, comments_of=(), note=UNAUDITED)
        await inv.respond(response_type="ephemeral", text=message.text, blocks=message.blocks)

    usage = "report [department] [weeks]"
    return Subcommand(
        HelpEntry(usage, "figures for one or all departments over the last weeks"), report
    )
