"""The CSV of `/quality export` and `quality-bot export`: ratings and reviews, as the privacy
rules allow (bot/privacy/suppression.py).

A group is one department's ratings, or its reviews, in one ISO week. Grouped COUNT queries find
the groups of at least `privacy.min_group_size`; only their rows are read, and a smaller group is
left out whole — and not counted either: the file and its summary cannot tell a week that was
left out from a week with nothing in it. Nothing that names a person leaves: ratings hold no
one, reviews lose `author` and `url`, and every text is scrubbed of names, mentions, e-mails and
phones. A rating's rater department shows only where the suppression rule names that group
beside the week's total. A colleague's comment is a row of its own ("comment"), without the score
it came with: a comment can tell who wrote it, and must not take their score along.

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
from tortoise.transactions import in_transaction

from bot.config import HIGH, LOW, QualityConfig
from bot.digest.reasons import Picks, reasons
from bot.privacy import audit
from bot.privacy.scrub import scrub
from bot.privacy.suppression import quotable, shown_parts
from bot.surveys.answers import signed
from bot.weeks import Week
from models.audit import EXPORT
from models.department import Department
from models.review import Review
from models.survey import UNKNOWN_RATER, Rating

DEFAULT_WEEKS, MAX_WEEKS = 12, 104
COLUMNS = (
    "kind", "week", "department", "rater_department", "score", "source", "comment_or_text",
    "sentiment_label", "sentiment_polarity", "language", "band", "people",
)  # fmt: skip
_RATING_FIELDS = (
    "department_id", "week", "rater_department", "score", "comment", "reasons",
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
    # "rating", "comment" (a rating's comment, apart from its score), "review", or "reason":
    # how many of a week's low or high scores (`band`) came with the reason in
    # comment_or_text (`people`), as the digest shows it.
    kind: str
    week: str
    department: str
    rater_department: str  # ratings only; "" where the rater group may not be named
    score: float | None
    source: str  # reviews only
    text: str  # scrubbed
    sentiment_label: str
    sentiment_polarity: float | None
    language: str
    band: str = ""  # "low" or "high": band and reason rows only
    people: int | None = None


@dataclass(frozen=True)
class Export:
    departments: tuple[str, ...]  # slugs, in configuration order
    weeks: tuple[str, ...]  # oldest first
    min_group_size: int
    rows: tuple[Row, ...]

    def rows_of(self, slug: str) -> int:
        return sum(1 for row in self.rows if row.department == slug)

    def summary(self) -> str:
        """One line for people: what is in the file, and the rule that kept things out of it
        (never how much it kept out: that would tell a hidden week from an empty one)."""
        rows = f"{len(self.rows)} row{'' if len(self.rows) == 1 else 's'}"
        return (
            f"{rows} from {self.weeks[0]} to {self.weeks[-1]}. A department's week with fewer "
            f"than {self.min_group_size} ratings or reviews is left out, like a week with none."
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
    named = await signed(labels)
    quoted = {key for key, n in rating_groups.items() if quotable(n, named.get(key, 0), k)}
    keep = tuple(word for d in quality.departments for word in (d.name, d.slug))
    groups = _Groups(raters=_raters(rater_groups, k), quoted=quoted)
    # Scrubbing is regular expressions over every text: off the event loop.
    rows = await asyncio.to_thread(_rows, ratings, reviews, ids, groups, keep)
    rows += _reason_rows(ratings, rating_groups, ids, k)
    order = {slug: i for i, slug in enumerate(slugs)}
    rows.sort(key=lambda r: (order.get(r.department, len(order)), r.week, *_within_week(r)))
    return Export(
        departments=tuple(s for s in slugs if s in ids.values()),
        weeks=tuple(labels),
        min_group_size=k,
        rows=tuple(rows),
    )


def to_csv(export: Export) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for r in export.rows:
        writer.writerow(
            (r.kind, r.week, r.department, r.rater_department, _number(r.score), _cell(r.source),
             _cell(r.text), r.sentiment_label, _number(r.sentiment_polarity), r.language,
             r.band, _number(r.people))
        )  # fmt: skip
    return out.getvalue()


async def record(export: Export, *, actor: str, at: datetime, via: str) -> None:
    """One audit entry per department exported, so that its managers' question "who exported
    our data?" is answered by its slug alone; all of them or none. Called before the export is
    delivered: an export the audit log cannot hold is not made."""
    async with in_transaction():
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
    """The (department, week, rater department) groups whose name may show beside the week's
    total: as the suppression rule decides, the others are blank."""
    weeks: defaultdict[tuple[Any, ...], dict[str, int]] = defaultdict(dict)
    for (dept_id, week, rater), n in groups.items():
        weeks[(dept_id, week)][rater] = n
    shown: set[tuple[Any, ...]] = set()
    for key, counts in weeks.items():
        unknown = counts.pop(UNKNOWN_RATER, 0)
        shown.update((*key, rater) for rater in shown_parts(counts, k, hidden=unknown))
    return shown


@dataclass(frozen=True)
class _Groups:
    """What the suppression rule lets show of the rating groups being exported."""

    raters: set[tuple[Any, ...]]  # (department id, week, rater department) named
    quoted: set[tuple[Any, ...]]  # (department id, week) whose comments may be read


def _rows(
    ratings: Iterable[dict[str, Any]],
    reviews: Iterable[dict[str, Any]],
    slugs: Mapping[int, str],
    groups: _Groups,
    keep: tuple[str, ...],
) -> list[Row]:
    rows = []
    for r in ratings:
        rater = r["rater_department"]
        rater = rater if (r["department_id"], r["week"], rater) in groups.raters else ""
        department = slugs[r["department_id"]]
        rows.append(Row("rating", r["week"], department, rater, r["score"], "", "", "", None, ""))
        if r["comment"] and (r["department_id"], r["week"]) in groups.quoted:
            rows.append(
                Row("comment", r["week"], department, "", None, "", scrub(r["comment"], keep=keep),
                    r["sentiment_label"] or "", r["sentiment_polarity"],
                    r["sentiment_language"] or "")
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


def _reason_rows(
    ratings: Iterable[dict[str, Any]], groups: Counts, slugs: Mapping[int, str], k: int
) -> list[Row]:
    """Each exported week's reason counts, by the digest's rule (bot/digest/reasons.py): a
    rating's reasons are never a column of its row, where they would count one person."""
    picked: defaultdict[tuple[Any, ...], Picks] = defaultdict(list)
    for r in ratings:
        if r["score"] != 3:
            picked[(r["department_id"], r["week"])].append((r["score"], r["reasons"]))
    rows = []
    for (dept_id, week), found in picked.items():
        shown = reasons(found, groups.get((dept_id, week)), k)
        for which, band in ((LOW, shown.low), (HIGH, shown.high)):
            rows += [
                Row(
                    "reason",
                    week,
                    slugs[dept_id],
                    "",
                    None,
                    "",
                    p.reason,
                    "",
                    None,
                    "",
                    which,
                    p.people,
                )
                for p in band.picked
            ]
    return rows


_KINDS = ("rating", "comment", "review", "reason")


def _within_week(row: Row) -> tuple[int, float, str]:
    """Ratings by score, comments by their own tone and text, reviews as read: a comment's
    place must not follow the rating it came with."""
    if row.kind == "comment":
        return 1, row.sentiment_polarity or 0.0, row.text
    return _KINDS.index(row.kind), row.score or 0.0 if row.kind == "rating" else 0.0, ""


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(round(value, 3))


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text
