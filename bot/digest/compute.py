"""Compute a week's digest in the database: grouped SQL aggregates, never every row in Python.

Four grouped queries give every figure for the week and its seven predecessors (ratings,
reviews, polls, the matrix); only the few quotes are read as rows, already ranked and limited,
in one query per kind for every department (bot/digest/quotes.py), and the week's times to
resolution, one number per request (percentiles, which SQLite cannot compute).
"""

import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from bot.config import DepartmentConfig, QualityConfig, StandardConfig
from bot.digest import attention, quotes
from bot.digest.measure import done_by
from bot.digest.model import (
    HIDDEN_RESOLUTION,
    NO_CASES,
    ActionItem,
    Actions,
    Cases,
    DepartmentWeek,
    External,
    Internal,
    MatrixCell,
    Quote,
    Resolution,
    Standard,
    TrendPoint,
    WeekDigest,
)
from bot.digest.reasons import WEAK_LINK, low_picks_by_rater, picks, reasons, weak_link_reason
from bot.privacy.scrub import scrub, shorten
from bot.privacy.suppression import enough, figure, quotable, shown_parts
from bot.sentiment.model import SCORED_LABELS
from bot.surveys.answers import signed
from bot.weeks import Week
from models.action import Action
from models.department import Department
from models.review import Review
from models.survey import UNKNOWN_RATER, FollowUp, PollTally, Rating, ResolutionTime, Thanks

TREND_WEEKS = 8


@dataclass(frozen=True)
class Group:
    """One department's ratings or reviews in one week, aggregated. For ratings every count
    is a count of people: one rating per person, department and week."""

    count: int
    scored: int  # rows with a score (a review may have none)
    average: float | None
    sentiment: float | None
    signed: int  # texts that carried a signal
    negative: int

    def shown(self, k: int) -> "Group | None":
        return self if enough(self.count, k) else None

    def average_shown(self, k: int) -> float | None:
        return figure(self.average, self.scored, k)

    def sentiment_shown(self, k: int) -> float | None:
        return figure(self.sentiment, self.signed, k)

    def negative_share(self, k: int) -> float | None:
        share = round(self.negative / self.signed, 2) if self.signed else None
        return figure(share, self.signed, k)


Groups = Mapping[tuple[int, str], Group]  # (department id, week label) → group


@dataclass(frozen=True)
class Said:
    """The week's most felt comments and reviews, by department (bot/digest/quotes.py)."""

    comments: quotes.Rows
    reviews: quotes.Rows
    signed: Mapping[int, int]  # answers their givers signed (follow-ups), by department


async def compute_week(quality: QualityConfig, week: Week) -> WeekDigest:
    k = quality.privacy.min_group_size
    weeks = week.back(TREND_WEEKS)
    labels = [w.label for w in weeks]
    ids = {
        d.slug: d.id
        for d in await Department.filter(slug__in=[d.slug for d in quality.departments])
    }
    ratings = await _groups(Rating.filter(week__in=labels), "score")
    reviews = await _groups(Review.filter(week__in=labels, department_id__isnull=False), "rating")
    polls = await _polls(week)
    resolved = await resolutions([week.label])
    picked = await picks([week.label])
    thanked = await thanks_given(week.label)
    acted = await open_at_end(week, quality.tz)
    done = await done_by(week, quality.tz, k)
    handled = await cases_of(week, quality.tz, k)
    named = await signed([week.label])
    said = Said(
        await quotes.comments(week.label),
        await quotes.reviews(week.label),
        {dept_id: n for (dept_id, _), n in named.items()},
    )
    # Department names are no one's name: the scrubber's name guess leaves them alone.
    keep = tuple(word for d in quality.departments for word in (d.name, d.slug))
    departments = []
    for config in quality.departments:
        dept_id = ids.get(config.slug)
        if dept_id is None:  # configured but never synced: nothing can refer to it yet
            continue
        found = _department(config, dept_id, week, labels, ratings, reviews, polls, said, k, keep)
        departments.append(
            replace(
                found,
                resolution=resolution(resolved.get((dept_id, week.label), []), k),
                reasons=reasons(picked.get((dept_id, week.label), []), found.internal.responses, k),
                # Each person thanks a department at most once a week: thanks count people.
                thanked=figure(thanked.get(dept_id), thanked.get(dept_id), k),
                actions=Actions(
                    tuple(acted.get(dept_id, ())),
                    tuple(done.get(dept_id, ())),
                    handled.get(dept_id, NO_CASES),
                ),
            )
        )
    matrix = await _matrix(week, ids, k)
    low_by_rater = await low_picks_by_rater(week.label)
    matrix = tuple(
        replace(
            cell,
            top_reason=weak_link_reason(
                low_by_rater.get((ids[cell.rated], cell.rater), []),
                cell.responses,
                picked.get((ids[cell.rated], week.label), []),
                k,
            ),
        )
        if cell.average < WEAK_LINK
        else cell
        for cell in matrix
    )
    return WeekDigest(
        week=week.label,
        start=week.monday,
        end=week.sunday,
        timezone=quality.timezone,
        min_group_size=k,
        departments=tuple(departments),
        matrix=matrix,
        weeks=tuple(labels),
    )


async def _groups(query: Any, score_field: str) -> dict[tuple[int, str], Group]:
    signed = Q(sentiment_label__in=sorted(SCORED_LABELS))
    # Sums and counts, divided here: tortoise casts an Avg back to the field's type, so the
    # average of a SmallIntField would come back rounded down to an int.
    rows = (
        await query.annotate(
            n=Count("id"),
            total=Sum(score_field),
            scored=Count(score_field),
            polarity=Sum("sentiment_polarity", _filter=signed),
            signed=Count("id", _filter=signed),
            negative=Count("id", _filter=Q(sentiment_label="negative")),
        )
        .group_by("department_id", "week")
        .values("department_id", "week", "n", "total", "scored", "polarity", "signed", "negative")
    )
    return {
        (row["department_id"], row["week"]): Group(
            count=row["n"],
            scored=row["scored"],
            average=_mean(row["total"], row["scored"]),
            sentiment=_mean(row["polarity"], row["signed"]),
            signed=row["signed"],
            negative=row["negative"],
        )
        for row in rows
    }


async def _polls(week: Week) -> dict[int, tuple[int, int]]:
    """Polls sent during the week per department, and how many were answered within it: the
    tallies its close counted (none before it closed, so the figure never moves)."""
    rows = await PollTally.filter(week=week.label).values("department_id", "sent", "answered")
    return {row["department_id"]: (row["sent"], row["answered"]) for row in rows}


def _department(
    config: DepartmentConfig,
    dept_id: int,
    week: Week,
    labels: list[str],
    ratings: Groups,
    reviews: Groups,
    polls: Mapping[int, tuple[int, int]],
    said: Said,
    k: int,
    keep: tuple[str, ...],
) -> DepartmentWeek:
    def shown(groups: Groups, label: str) -> Group | None:
        group = groups.get((dept_id, label))
        return group.shown(k) if group is not None else None

    now, before = week.label, week.previous.label
    rated, rated_before = shown(ratings, now), shown(ratings, before)
    reviewed, reviewed_before = shown(reviews, now), shown(reviews, before)
    sent, answered = polls.get(dept_id, (0, 0))
    asked = enough(sent, k)  # a response rate needs k people asked
    internal = (
        Internal(
            responses=rated.count,
            average=rated.average,
            previous_average=rated_before.average if rated_before else None,
            sentiment=rated.sentiment_shown(k),
            suppressed=False,
            polls_sent=sent if asked else None,
            polls_answered=answered if asked else None,
            negative_share=rated.negative_share(k),
            previous_negative_share=rated_before.negative_share(k) if rated_before else None,
        )
        if rated
        else Internal(None, None, None, None, suppressed=True)
    )
    external = (
        External(
            reviews=reviewed.count,
            average_rating=reviewed.average_shown(k),
            previous_average_rating=reviewed_before.average_shown(k) if reviewed_before else None,
            sentiment=reviewed.sentiment_shown(k),
            suppressed=False,
            negative_share=reviewed.negative_share(k),
            previous_negative_share=reviewed_before.negative_share(k) if reviewed_before else None,
        )
        if reviewed
        else External(None, None, None, None, suppressed=True)
    )
    trend = tuple(
        TrendPoint(
            week=label,
            internal=g.average if (g := shown(ratings, label)) else None,
            external=g.average_shown(k) if (g := shown(reviews, label)) else None,
        )
        for label in labels
    )
    r = attention.correlation(trend)
    # Quoted only from groups shown: a suppressed group's words are as private as its figures.
    quote = rated is not None and quotable(rated.count, said.signed.get(dept_id, 0), k)
    quoted = (_comments(said.comments.get(dept_id, []), config.slug, keep) if quote else []) + (
        _reviews(said.reviews.get(dept_id, []), config.slug, keep) if reviewed else []
    )
    return DepartmentWeek(
        slug=config.slug,
        name=config.name,
        internal=internal,
        external=external,
        attention=attention.reasons(internal, external, r),
        praise=tuple(sorted((q for q in quoted if q.polarity > 0), key=lambda q: -q.polarity)),
        concerns=tuple(sorted((q for q in quoted if q.polarity < 0), key=lambda q: q.polarity)),
        trend=trend,
        managers=config.managers,
        correlation=r,
        standard=standard(config.standard, internal.average),
    )


async def open_at_end(week: Week, tz: ZoneInfo) -> dict[int, list[ActionItem]]:
    """Each department's actions open at the end of the week, soonest due first: recorded
    before it ended and not done or dropped by then (so a past week's digest stays as it was)."""
    _, end = week.bounds(tz)
    still_open = Q(closed_at__isnull=True) | Q(closed_at__gte=end)
    rows = await Action.filter(still_open, created_at__lt=end).order_by("due", "id")
    found: dict[int, list[ActionItem]] = {}
    for a in rows:
        item = ActionItem(a.id, a.what, a.owner, a.due, overdue=a.due <= week.sunday)
        found.setdefault(a.department_id, []).append(item)  # type: ignore[attr-defined]
    return found


async def cases_of(week: Week, tz: ZoneInfo, k: int) -> dict[int, Cases]:
    """Each department's signed follow-ups posted in the week, as cases; hidden under k."""
    start, end = week.bounds(tz)
    rows = await FollowUp.filter(posted_at__gte=start, posted_at__lt=end).values(
        "department_id", "posted_at", "claimed_at", "resolved_at"
    )
    by_dept: dict[int, list[dict[str, Any]]] = {}
    for row in rows:
        by_dept.setdefault(row["department_id"], []).append(row)
    found = {}
    for dept_id, posted in by_dept.items():
        if not enough(len(posted), k):
            continue

        def hours(key: str, rows: list[dict[str, Any]] = posted) -> list[float]:
            return [(r[key] - r["posted_at"]).total_seconds() / 3600 for r in rows if r[key]]

        claimed, resolved = hours("claimed_at"), hours("resolved_at")
        found[dept_id] = Cases(
            cases=len(posted),
            claim_median_hours=round(statistics.median(claimed), 1) if claimed else None,
            resolve_median_hours=round(statistics.median(resolved), 1) if resolved else None,
            resolved_share=round(len(resolved) / len(posted), 2),
        )
    return found


async def thanks_given(week: str) -> dict[int, int]:
    """How many thanks each department was given in the week, by department id."""
    rows = (
        await Thanks.filter(week=week)
        .annotate(n=Count("id"))
        .group_by("department_id")
        .values("department_id", "n")
    )
    return {row["department_id"]: row["n"] for row in rows}


async def resolutions(
    weeks: Sequence[str], department_ids: Sequence[int] | None = None
) -> dict[tuple[int, str], list[float]]:
    """Each department's (or those of `department_ids`) times to resolution, in hours, by the
    week they were resolved in."""
    found: dict[tuple[int, str], list[float]] = {}
    query = ResolutionTime.filter(week__in=list(weeks))
    if department_ids is not None:
        query = query.filter(department_id__in=list(department_ids))
    rows = await query.values("department_id", "week", "hours")
    for row in rows:
        found.setdefault((row["department_id"], row["week"]), []).append(row["hours"])
    return found


def resolution(hours: Sequence[float], k: int) -> Resolution:
    """The median and the 90th percentile of `hours`, when there are k requests or more."""
    if not enough(len(hours), k):
        return HIDDEN_RESOLUTION
    ordered = sorted(hours)
    return Resolution(
        requests=len(ordered),
        median_hours=round(_percentile(ordered, 0.5), 1),
        p90_hours=round(_percentile(ordered, 0.9), 1),
        suppressed=False,
    )


def _percentile(ordered: Sequence[float], q: float) -> float:
    """The q-quantile of sorted values, interpolated between the two nearest ranks."""
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def standard(config: StandardConfig | None, average: float | None) -> Standard | None:
    """The standard beside the average it is measured by: met or not only when the average is
    shown (a hidden one must not be told by "met")."""
    if config is None:
        return None
    met = None if config.target is None or average is None else average >= config.target
    return Standard(config.promise, config.target, config.resolve_within_hours, met)


def _comments(rows: list[dict[str, Any]], slug: str, keep: tuple[str, ...]) -> list[Quote]:
    found = (
        Quote("comment", slug, shorten(scrub(r["comment"], keep=keep)), r["sentiment_polarity"])
        for r in rows
    )
    return [q for q in found if q.text]


def _reviews(rows: list[dict[str, Any]], slug: str, keep: tuple[str, ...]) -> list[Quote]:
    found = []
    for r in rows:
        body = " — ".join(part for part in (r["title"], r["text"]) if part)
        text = shorten(scrub(body, names=[r["author"]] if r["author"] else [], keep=keep))
        found.append(Quote("review", slug, text, r["sentiment_polarity"], source=r["source"]))
    return [q for q in found if q.text]


async def _matrix(week: Week, ids: Mapping[str, int], k: int) -> tuple[MatrixCell, ...]:
    """Rater department × rated department, each rated department's cells as the suppression
    rule allows beside its total: the raters left unnamed are none, or k or more people."""
    slugs = {dept_id: slug for slug, dept_id in ids.items()}
    rows = (
        await Rating.filter(week=week.label, department_id__in=list(slugs))
        .annotate(n=Count("id"), total=Sum("score"))
        .group_by("rater_department", "department_id")
        .values("rater_department", "department_id", "n", "total")
    )
    by_rated: dict[int, dict[str, dict[str, Any]]] = {}
    for row in rows:
        by_rated.setdefault(row["department_id"], {})[row["rater_department"]] = row
    cells = []
    for dept_id, raters in by_rated.items():
        # Raters of no department, or of one no longer configured, are never named.
        named = {r: row["n"] for r, row in raters.items() if r in ids and r != UNKNOWN_RATER}
        unnamed = sum(row["n"] for r, row in raters.items() if r not in named)
        for rater in shown_parts(named, k, hidden=unnamed):
            row = raters[rater]
            cells.append(
                MatrixCell(
                    rater=rater,
                    rated=slugs[dept_id],
                    responses=row["n"],
                    average=round(row["total"] / row["n"], 2),
                )
            )
    return tuple(sorted(cells, key=lambda c: (c.rated, c.rater)))


def _mean(total: float | None, count: int) -> float | None:
    return None if total is None or not count else round(float(total) / count, 2)
