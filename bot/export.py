"""The CSV of `/quality export` and `quality-bot export`: ratings and reviews, as SPEC §8 allows.

A group is one department's ratings, or its reviews, in one ISO week. Grouped COUNT queries find
the groups of at least `privacy.min_group_size`; only their rows are read, and a smaller group is
left out whole and counted as withheld. Nothing that names a person leaves: ratings hold no one,
reviews lose `author` and `url`, and every text is scrubbed of names, mentions, e-mails and phones.
A rating's rater department shows only when that rater group reaches k in its week.

The weeks are the last N complete ones: a week still open grows answer by answer, and two
exports a day apart would isolate the newest answers.
"""

import asyncio
import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from tortoise.expressions import Q
from tortoise.functions import Count

from bot import audit
from bot.digest.scrub import scrub
from bot.quality_models import QualityConfig
from bot.weeks import Week
from models.audit import EXPORT
from models.department import Department
from models.review import Review
from models.survey import Rating

DEFAULT_WEEKS, MAX_WEEKS = 12, 104
COLUMNS = (
    "kind", "week", "department", "rater_department", "score", "source", "comment_or_text",
    "sentiment_label", "sentiment_polarity", "language",
)  # fmt: skip
_RATING_FIELDS = (
    "department_id", "week", "rater_department", "score", "comment",
    "sentiment_label", "sentiment_polarity", "sentiment_language",
)  # fmt: skip
_REVIEW_FIELDS = (
    "department_id", "week", "source", "rating", "title", "text", "author",
    "sentiment_label", "sentiment_polarity", "sentiment_language", "language",
)  # fmt: skip
Counts = Mapping[tuple[Any, ...], int]  # group key → rows
# What a spreadsheet would run as a formula (OWASP "CSV injection"): customers write these texts.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Row:
    kind: str  # "rating" or "review"
    week: str
    department: str
    rater_department: str  # "" when that rater group is under k in its week
    score: float | None
    source: str  # reviews only
    text: str  # scrubbed
    sentiment_label: str
    sentiment_polarity: float | None
    language: str


@dataclass(frozen=True)
class Export:
    departments: tuple[str, ...]  # slugs, in configuration order
    weeks: tuple[str, ...]  # oldest first
    min_group_size: int
    rows: tuple[Row, ...]
    withheld_ratings: int  # (department, week) rating groups of 1 to k-1 rows, left out
    withheld_reviews: int

    @property
    def withheld(self) -> int:
        return self.withheld_ratings + self.withheld_reviews

    def rows_of(self, slug: str) -> int:
        return sum(1 for row in self.rows if row.department == slug)

    def summary(self) -> str:
        """One line for people: what is in the file, and what privacy kept out of it."""
        rows = f"{len(self.rows)} row{'' if len(self.rows) == 1 else 's'}"
        span = f"{self.weeks[0]} to {self.weeks[-1]}"
        if not self.withheld:
            return f"{rows} from {span}; no week withheld for privacy."
        weeks = f"{self.withheld} week{'' if self.withheld == 1 else 's'}"
        detail = f"ratings: {self.withheld_ratings}, reviews: {self.withheld_reviews}"
        return (
            f"{rows} from {span}; {weeks} withheld for privacy ({detail}; "
            f"fewer than {self.min_group_size} in the week)."
        )


async def export_rows(
    quality: QualityConfig, slugs: Sequence[str], weeks: int, now: datetime
) -> Export:
    if not 1 <= weeks <= MAX_WEEKS:
        raise ValueError(f"weeks must be a whole number from 1 to {MAX_WEEKS}, not {weeks}")
    k = quality.privacy.min_group_size
    labels = [w.label for w in Week.last_complete(now, quality.tz).back(weeks)]
    found = await Department.filter(slug__in=list(slugs)).values("id", "slug")
    ids = {row["id"]: row["slug"] for row in found}
    scope = {"department_id__in": list(ids), "week__in": labels}
    rating_groups = await _counts(Rating.filter(**scope), "department_id", "week")
    review_groups = await _counts(Review.filter(**scope), "department_id", "week")
    rater_groups = await _counts(
        Rating.filter(**scope), "department_id", "week", "rater_department"
    )
    # Ratings by score, never by insertion: their order must not lead back to who gave them.
    ratings = await _eligible(Rating, rating_groups, k, _RATING_FIELDS, ("week", "score", "id"))
    reviews = await _eligible(
        Review, review_groups, k, _REVIEW_FIELDS, ("week", "created_at", "id")
    )
    keep = tuple(word for d in quality.departments for word in (d.name, d.slug))
    # Scrubbing is regular expressions over every text: off the event loop.
    rows = await asyncio.to_thread(_rows, ratings, reviews, ids, _raters(rater_groups, k), keep)
    order = {slug: i for i, slug in enumerate(slugs)}
    rows.sort(key=lambda r: (order.get(r.department, len(order)), r.week, r.kind != "rating"))
    return Export(
        departments=tuple(s for s in slugs if s in ids.values()),
        weeks=tuple(labels),
        min_group_size=k,
        rows=tuple(rows),
        withheld_ratings=sum(1 for n in rating_groups.values() if 0 < n < k),
        withheld_reviews=sum(1 for n in review_groups.values() if 0 < n < k),
    )


def to_csv(export: Export) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in export.rows:
        writer.writerow(
            (r.kind, r.week, r.department, r.rater_department, _number(r.score), _cell(r.source),
             _cell(r.text), r.sentiment_label, _number(r.sentiment_polarity), r.language)
        )  # fmt: skip
    return out.getvalue()


async def record(export: Export, *, actor: str, at: datetime, via: str) -> None:
    """One audit entry per department exported, so that its managers' question "who exported
    our data?" is answered by its slug alone."""
    for slug in export.departments:
        detail = f"weeks={len(export.weeks)} rows={export.rows_of(slug)} via {via}"
        await audit.record(at, actor, EXPORT, subject=slug, detail=detail)


async def _counts(query: Any, *keys: str) -> Counts:
    rows = await query.annotate(n=Count("id")).group_by(*keys).values(*keys, "n")
    return {tuple(row[key] for key in keys): row["n"] for row in rows}


async def _eligible(
    model: Any, groups: Counts, k: int, fields: Sequence[str], order: Sequence[str]
) -> list[dict[str, Any]]:
    weeks: defaultdict[int, list[str]] = defaultdict(list)
    for (dept_id, week), n in groups.items():
        if n >= k:
            weeks[dept_id].append(week)
    if not weeks:
        return []
    wanted = [Q(department_id=dept_id, week__in=labels) for dept_id, labels in weeks.items()]
    rows: list[dict[str, Any]] = await (
        model.filter(Q(*wanted, join_type="OR")).order_by(*order).values(*fields)
    )
    return rows


def _raters(groups: Counts, k: int) -> set[tuple[Any, ...]]:
    """The (department, week, rater department) groups whose name may show. When the blanked
    rest of a week would be under k, the smallest shown groups join it: a blank standing for
    one or two raters names their department by elimination."""
    weeks: defaultdict[tuple[Any, ...], dict[str, int]] = defaultdict(dict)
    for (dept_id, week, rater), n in groups.items():
        weeks[(dept_id, week)][rater] = n
    shown: set[tuple[Any, ...]] = set()
    for key, counts in weeks.items():
        named = {r for r, n in counts.items() if n >= k}
        blank = sum(n for r, n in counts.items() if r not in named)
        for rater in sorted(named, key=lambda r: (counts[r], r)):
            if not 0 < blank < k:
                break
            named.discard(rater)
            blank += counts[rater]
        shown.update((*key, rater) for rater in named)
    return shown


def _rows(
    ratings: Iterable[dict[str, Any]],
    reviews: Iterable[dict[str, Any]],
    slugs: Mapping[int, str],
    raters: set[tuple[Any, ...]],
    keep: tuple[str, ...],
) -> list[Row]:
    rows = []
    for r in ratings:
        rater = r["rater_department"]
        rater = rater if (r["department_id"], r["week"], rater) in raters else ""
        rows.append(
            Row("rating", r["week"], slugs[r["department_id"]], rater, r["score"], "",
                scrub(r["comment"] or "", keep=keep), r["sentiment_label"] or "",
                r["sentiment_polarity"], r["sentiment_language"] or "")
        )  # fmt: skip
    for r in reviews:
        body = " — ".join(part for part in (r["title"], r["text"]) if part)
        names = [r["author"]] if r["author"] else []
        rows.append(
            Row("review", r["week"], slugs[r["department_id"]], "", r["rating"], r["source"],
                scrub(body, names=names, keep=keep), r["sentiment_label"] or "",
                r["sentiment_polarity"], r["sentiment_language"] or r["language"] or "")
        )  # fmt: skip
    return rows


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(round(value, 3))


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
