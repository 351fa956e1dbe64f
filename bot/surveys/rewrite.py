"""Moving rows without leaving a trace of their order: the storage side of releasing answers
and closing weeks (bot/surveys/release.py). Rows are read and deleted in the caller's
transaction, then written again in shuffled order, under new random ids (ratings) or their
own (polls), so that neither PostgreSQL's row positions nor SQLite's rowids keep the order in
which they were first written.
"""

import secrets
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count

from bot.privacy.suppression import shown_parts
from models.survey import ANSWERED, CLOSED, FINISHED, UNKNOWN_RATER, Poll, PollTally, Rating

_SHUFFLE = secrets.SystemRandom()


class Moved(Exception):
    """Rows a transaction read were moved by another instance meanwhile: roll it back."""


async def take(model: Any, where: Q, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Read and delete the rows `where` selects, inside the caller's transaction."""
    rows: list[dict[str, Any]] = await model.filter(where).values(*columns)
    if rows and await model.filter(id__in=[row["id"] for row in rows]).delete() != len(rows):
        raise Moved
    return rows


async def write_ratings(rows: list[dict[str, Any]]) -> None:
    """Insert the rows as ratings under new random ids, in shuffled order."""
    _SHUFFLE.shuffle(rows)
    await Rating.bulk_create(
        [
            Rating(
                id=uuid.uuid4(),
                department_id=row["department_id"],
                rater_department=row["rater_department"],
                score=row["score"],
                comment=row["comment"],
                reasons=row["reasons"],
                sentiment_label=row["sentiment_label"],
                sentiment_polarity=row["sentiment_polarity"],
                sentiment_language=row["sentiment_language"],
                week=row["week"],
            )
            for row in rows
        ],
        batch_size=500,
    )


def generalised(rows: list[dict[str, Any]], k: int) -> list[dict[str, Any]]:
    """The rows with every rater department that the suppression rule would not name beside
    its department's total made "unknown": stored that way, nothing can single a rater out."""
    counts: defaultdict[Any, Counter[str]] = defaultdict(Counter)
    for row in rows:
        counts[row["department_id"]][row["rater_department"]] += 1
    named = {}
    for dept_id, raters in counts.items():
        unknown = raters.pop(UNKNOWN_RATER, 0)
        named[dept_id] = shown_parts(raters, k, hidden=unknown)
    return [
        row if row["rater_department"] in named[row["department_id"]]
        else {**row, "rater_department": UNKNOWN_RATER}
        for row in rows
    ]  # fmt: skip


async def tally(week: str, start: datetime, end: datetime) -> None:
    """Count each department's polls sent in [start, end), and those answered by now, into
    the week's tallies: what remains of who answered once the polls forget it."""
    rows = (
        await Poll.filter(sent_at__gte=start, sent_at__lt=end)
        .annotate(sent=Count("id"), answered=Count("id", _filter=Q(status=ANSWERED)))
        .group_by("department_id")
        .values("department_id", "sent", "answered")
    )
    await PollTally.bulk_create(
        [
            PollTally(
                department_id=row["department_id"],
                week=week,
                sent=row["sent"],
                answered=row["answered"],
            )
            for row in rows
        ]
    )


_POLL = (
    "id", "user_id", "department_id", "trigger", "trigger_key", "summary", "url", "reason",
    "channel", "message_ts", "created_at", "sent_at", "attempts", "claimed_at",
)  # fmt: skip


async def fold_polls(end: datetime) -> None:
    """Answered and expired polls sent before `end` become "closed", written again in shuffled
    order: an update in place would keep, in PostgreSQL's row positions, the order in which
    they were answered or expired."""
    rows = await take(Poll, Q(status__in=FINISHED) & Q(sent_at__lt=end), _POLL)
    _SHUFFLE.shuffle(rows)
    await Poll.bulk_create([Poll(**row, status=CLOSED) for row in rows], batch_size=500)
