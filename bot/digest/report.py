"""Figures for departments over the last complete weeks, for `/quality report`.

Two grouped queries (ratings, reviews) give every department's weekly groups over the period and
the period before it; a group under `privacy.min_group_size` counts for nothing, anywhere. Period
figures add up only the weeks that met the threshold (bot/privacy/suppression.py), so no hidden
week can be worked out by subtracting; a figure inside them (tone, a review average) adds up only
weeks where that figure itself met it, since the same person may be counted in several weeks.
Comments are read (a few, already sorted and limited in SQL, then scrubbed) only for the
departments the caller names in `comments_for`, and only from weeks that met the threshold.
"""

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count, Sum

from bot.actions.records import open_by_department
from bot.config import QualityConfig
from bot.digest.compute import resolution, resolutions, standard
from bot.digest.measure import done_by
from bot.digest.model import (
    HIDDEN_REASONS,
    HIDDEN_RESOLUTION,
    NO_ACTIONS,
    ActionItem,
    Actions,
    External,
    Internal,
    Reasons,
    Resolution,
    Standard,
    TrendPoint,
)
from bot.digest.reasons import picks, pooled, reasons
from bot.privacy.scrub import scrub, shorten
from bot.privacy.suppression import enough, quotable
from bot.sentiment.model import SCORED_LABELS
from bot.surveys.answers import signed
from bot.weeks import Week
from models.department import Department
from models.review import Review
from models.survey import Rating

DEFAULT_WEEKS, MIN_WEEKS, MAX_WEEKS = 4, 1, 12
QUOTES_PER_KIND = 3


@dataclass(frozen=True)
class Weekly:
    """One department's ratings or reviews in one week, as sums (averages are divided later)."""

    count: int
    total: float  # of the scores given
    scored: int  # rows with a score
    polarity: float  # of the texts that carried a signal
    signed: int


@dataclass(frozen=True)
class Comment:
    """A colleague's comment, scrubbed of names, mentions, e-mails and phone numbers; never
    with the score given with it."""

    text: str
    polarity: float
    week: str


@dataclass(frozen=True)
class DepartmentReport:
    slug: str
    name: str
    # Over the period's weeks that met the threshold; `previous_*` over the period before it.
    internal: Internal
    external: External
    trend: tuple[TrendPoint, ...]  # a point per week, oldest first; None where hidden
    comments_read: bool = False  # asked for: `praise` and `concerns` are what there is to show
    praise: tuple[Comment, ...] = ()  # most positive first
    concerns: tuple[Comment, ...] = ()  # most negative first
    standard: Standard | None = None  # its target measured by the period's average
    resolution: Resolution = HIDDEN_RESOLUTION
    reasons: Reasons = HIDDEN_REASONS  # the sums of what each week's digest showed
    actions: Actions = NO_ACTIONS  # open now; overdue when due before today


@dataclass(frozen=True)
class Report:
    weeks: tuple[str, ...]  # oldest first
    start: date
    end: date
    timezone: str
    min_group_size: int
    departments: tuple[DepartmentReport, ...]


Groups = Mapping[tuple[int, str], Weekly]  # (department id, week label) → group


async def build_report(
    quality: QualityConfig,
    slugs: Collection[str],
    weeks: int,
    now: datetime,
    *,
    comments_for: Collection[str] = (),
) -> Report:
    """The last `weeks` complete weeks before `now` for `slugs` (in configuration order)."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be {MIN_WEEKS} to {MAX_WEEKS}, not {weeks}")
    k = quality.privacy.min_group_size
    configs = [d for d in quality.departments if d.slug in slugs]
    newest = Week.last_complete(now, quality.tz)
    span = newest.back(2 * weeks)  # the period before, then the period
    labels = [w.label for w in span]
    ids = {d.slug: d.id for d in await Department.filter(slug__in=[c.slug for c in configs])}
    ratings = await _weekly(Rating.filter(department_id__in=list(ids.values())), labels, "score")
    reviews = await _weekly(Review.filter(department_id__in=list(ids.values())), labels, "rating")
    named = await signed(labels)
    resolved = await resolutions(labels[weeks:], list(ids.values()))
    picked = await picks(labels[weeks:], list(ids.values()))
    today = now.astimezone(quality.tz).date()
    acting = await open_by_department([c.slug for c in configs])
    done = await done_by(newest, quality.tz, k)
    keep = tuple(word for d in quality.departments for word in (d.name, d.slug))
    departments = []
    for config in configs:
        dept_id = ids.get(config.slug, -1)  # configured but never synced: no data yet
        rated = [_shown(ratings, dept_id, label, k) for label in labels]
        reviewed = [_shown(reviews, dept_id, label, k) for label in labels]
        trend = tuple(
            TrendPoint(label, _average(r, k), _average(e, k))
            for label, r, e in zip(labels, rated, reviewed, strict=True)
        )[weeks:]
        read = config.slug in comments_for
        open_weeks = [
            p.week
            for p, g in zip(trend, rated[weeks:], strict=True)
            if read and g and quotable(g.count, named.get((dept_id, p.week), 0), k)
        ]
        praise, concerns = await _comments(dept_id, open_weeks, keep)
        internal = _internal(rated[weeks:], rated[:weeks], k)
        departments.append(
            DepartmentReport(
                slug=config.slug,
                name=config.name,
                internal=internal,
                external=_external(reviewed[weeks:], reviewed[:weeks], k),
                trend=trend,
                comments_read=read,
                praise=praise,
                concerns=concerns,
                standard=standard(config.standard, internal.average),
                # Only weeks with k requests or more count, as for every other figure.
                resolution=resolution(
                    [
                        hours
                        for label in labels[weeks:]
                        if len(times := resolved.get((dept_id, label), [])) >= k
                        for hours in times
                    ],
                    k,
                ),
                reasons=pooled(
                    reasons(picked.get((dept_id, label), []), g.count if g else None, k)
                    for label, g in zip(labels[weeks:], rated[weeks:], strict=True)
                ),
                actions=Actions(
                    tuple(
                        ActionItem(a.id, a.what, a.owner, a.due, a.overdue(today))
                        for a in acting.get(config.slug, [])
                    ),
                    tuple(done.get(dept_id, ())),
                ),
            )
        )
    return Report(
        weeks=tuple(labels[weeks:]),
        start=span[weeks].monday,
        end=newest.sunday,
        timezone=quality.timezone,
        min_group_size=k,
        departments=tuple(departments),
    )


async def _weekly(query: Any, labels: list[str], score_field: str) -> dict[tuple[int, str], Weekly]:
    signed = Q(sentiment_label__in=sorted(SCORED_LABELS))
    # Sums and counts, divided here: tortoise casts an Avg back to the field's type.
    rows = (
        await query.filter(week__in=labels)
        .annotate(
            n=Count("id"),
            total=Sum(score_field),
            scored=Count(score_field),
            polarity=Sum("sentiment_polarity", _filter=signed),
            signed=Count("id", _filter=signed),
        )
        .group_by("department_id", "week")
        .values("department_id", "week", "n", "total", "scored", "polarity", "signed")
    )
    return {
        (row["department_id"], row["week"]): Weekly(
            count=row["n"],
            total=float(row["total"] or 0),
            scored=row["scored"],
            polarity=float(row["polarity"] or 0),
            signed=row["signed"],
        )
        for row in rows
    }


def _shown(groups: Groups, dept_id: int, week: str, k: int) -> Weekly | None:
    group = groups.get((dept_id, week))
    return group if group is not None and enough(group.count, k) else None


def _average(group: Weekly | None, k: int) -> float | None:
    return (
        None if group is None or not enough(group.scored, k) else _mean(group.total, group.scored)
    )


def _sum(maybe: Iterable[Weekly | None], k: int) -> Weekly:
    """The weeks' sums; scores and tones only of weeks where they reached k on their own."""
    groups = [g for g in maybe if g is not None]
    scored = [g for g in groups if enough(g.scored, k)]
    signed = [g for g in groups if enough(g.signed, k)]
    return Weekly(
        count=sum(g.count for g in groups),
        total=sum(g.total for g in scored),
        scored=sum(g.scored for g in scored),
        polarity=sum(g.polarity for g in signed),
        signed=sum(g.signed for g in signed),
    )


def _internal(now: list[Weekly | None], before: list[Weekly | None], k: int) -> Internal:
    if not any(now):  # nothing at or above the threshold: as hidden as a week with no one at all
        return Internal(None, None, None, None, suppressed=True)
    total, previous = _sum(now, k), _sum(before, k)
    return Internal(
        responses=total.count,
        average=_mean(total.total, total.scored),
        previous_average=_mean(previous.total, previous.scored),
        sentiment=_mean(total.polarity, total.signed),
        suppressed=False,
    )


def _external(now: list[Weekly | None], before: list[Weekly | None], k: int) -> External:
    if not any(now):
        return External(None, None, None, None, suppressed=True)
    total, previous = _sum(now, k), _sum(before, k)
    return External(
        reviews=total.count,
        average_rating=_mean(total.total, total.scored),
        previous_average_rating=_mean(previous.total, previous.scored),
        sentiment=_mean(total.polarity, total.signed),
        suppressed=False,
    )


async def _comments(
    dept_id: int, weeks: list[str], keep: tuple[str, ...]
) -> tuple[tuple[Comment, ...], tuple[Comment, ...]]:
    """The most positive and the most negative comments of the weeks given, a few of each."""
    if not weeks:
        return (), ()
    found: list[tuple[Comment, ...]] = []
    base = Rating.filter(department_id=dept_id, week__in=weeks).exclude(comment=None)
    for label, order in (("positive", "-sentiment_polarity"), ("negative", "sentiment_polarity")):
        rows = (
            await base.filter(sentiment_label=label)
            .order_by(order, "-week", "id")
            .limit(QUOTES_PER_KIND)
            .values("comment", "sentiment_polarity", "week")
        )
        comments = (
            Comment(shorten(scrub(r["comment"], keep=keep)), r["sentiment_polarity"], r["week"])
            for r in rows
        )
        found.append(tuple(c for c in comments if c.text))
    return found[0], found[1]


def _mean(total: float, count: int) -> float | None:
    return round(total / count, 2) if count else None
