"""The plain SQL a week's digest cannot do without: the yardstick `compute_week` is held to.

Seven hand-written queries read every figure the digest shows, each in one pass over the rows
it needs: per department and week over the trend's weeks (which hold the week and the one
before) the ratings' and the reviews' counts, score sums, signed-sentiment sums and negative
counts; the week's poll tallies; the signed follow-ups of the week; the rater × rated matrix of
the week; and the three most positive and most negative comments and reviews of each department
in the week (window functions). No ORM, no per-department queries, no Python beyond fetching the
rows.

`check` then rebuilds the digest's figures from these rows — applying the privacy rules itself,
written again here on purpose rather than imported — and insists they are the ones
`compute_week` gave: the yardstick must compute the same thing, not merely something.
"""

from collections.abc import Iterable
from functools import partial
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.config import QualityConfig
from bot.digest.compute import TREND_WEEKS
from bot.digest.model import WeekDigest
from bot.weeks import Week

_GROUPS = """
SELECT department_id, week, COUNT(*) AS n, SUM({score}) AS total, COUNT({score}) AS scored,
       SUM(CASE WHEN {signed} THEN sentiment_polarity END) AS polarity,
       SUM(CASE WHEN {signed} THEN 1 ELSE 0 END) AS signed,
       SUM(CASE WHEN sentiment_label = 'negative' THEN 1 ELSE 0 END) AS negative
FROM {table} WHERE week IN ({weeks}) AND department_id IS NOT NULL
GROUP BY department_id, week
"""
SIGNED = "sentiment_label IN ('positive', 'negative', 'neutral')"
_POLLS = "SELECT department_id, sent, answered FROM poll_tally WHERE week = {week}"
_SIGNED = """
SELECT department_id, COUNT(*) AS n FROM follow_up WHERE week = {week} GROUP BY department_id
"""
_MATRIX = """
SELECT rater_department, department_id, COUNT(*) AS n, SUM(score) AS total
FROM rating WHERE week = {week}
GROUP BY rater_department, department_id
"""
_QUOTES = """
SELECT department_id, sentiment_label, sentiment_polarity, {columns} FROM (
    SELECT department_id, sentiment_label, sentiment_polarity, {columns},
           ROW_NUMBER() OVER (
               PARTITION BY department_id, sentiment_label
               ORDER BY CASE WHEN sentiment_label = 'positive'
                             THEN -sentiment_polarity ELSE sentiment_polarity END, id
           ) AS place
    FROM {table}
    WHERE week = {week} AND department_id IS NOT NULL AND {where}
          AND sentiment_label IN ('positive', 'negative')
) AS ranked WHERE place <= 3
"""

Rows = dict[str, list[dict[str, Any]]]


async def plain_sql(conn: BaseDBAsyncClient, week: Week, quality: QualityConfig) -> Rows:
    """Every row the digest's figures come from, in six queries on `conn`."""
    postgres = conn.capabilities.dialect == "postgres"
    labels = [w.label for w in week.back(TREND_WEEKS)]

    def marks(count: int) -> list[str]:
        return [f"${i + 1}" for i in range(count)] if postgres else ["?"] * count

    groups = partial(_GROUPS.format, weeks=", ".join(marks(len(labels))), signed=SIGNED)
    one = marks(1)[0]
    queries: list[tuple[str, str, list[Any]]] = [
        ("ratings", groups(score="score", table="rating"), labels),
        ("reviews", groups(score="rating", table="review"), labels),
        ("polls", _POLLS.format(week=one), [week.label]),
        ("signed", _SIGNED.format(week=one), [week.label]),
        ("matrix", _MATRIX.format(week=one), [week.label]),
        ("comments", _QUOTES.format(
            columns="comment", table="rating", week=one, where="comment IS NOT NULL",
        ), [week.label]),
        ("review_quotes", _QUOTES.format(
            columns="title, text, author, source", table="review", week=one, where="1 = 1",
        ), [week.label]),
    ]  # fmt: skip
    return {name: await conn.execute_query_dict(sql, values) for name, sql, values in queries}


def check(digest: WeekDigest, rows: Rows, quality: QualityConfig, ids: dict[str, int]) -> None:
    """Raise unless the digest shows exactly the figures these rows give."""
    expected = expected_figures(rows, quality, ids, digest.week, digest.weeks)
    shown = _figures(digest)
    if expected != shown:
        wrong = sorted(k for k in expected.keys() | shown.keys() if expected.get(k) != shown.get(k))
        raise AssertionError(f"the digest and the plain SQL disagree on {wrong[:5]}")


def expected_figures(
    rows: Rows, quality: QualityConfig, ids: dict[str, int], week: str, weeks: Iterable[str]
) -> dict[str, Any]:
    k = quality.privacy.min_group_size
    ratings = {(r["department_id"], r["week"]): r for r in rows["ratings"]}
    reviews = {(r["department_id"], r["week"]): r for r in rows["reviews"]}
    polls = {r["department_id"]: (r["sent"], r["answered"]) for r in rows["polls"]}
    signed = {r["department_id"]: r["n"] for r in rows["signed"]}
    weeks = list(weeks)
    previous = weeks[-2]
    figures: dict[str, Any] = {}

    def average(group: Any) -> float | None:  # of k or more scores, else none
        return _mean(group["total"], group["scored"]) if group and group["scored"] >= k else None

    def tone(group: Any) -> float | None:  # of k or more comments with a signal, else none
        return _mean(group["polarity"], group["signed"]) if group["signed"] >= k else None

    for config in quality.departments:
        dept = ids[config.slug]

        def shown(groups: dict[tuple[int, str], dict[str, Any]], label: str) -> Any:
            group = groups.get((dept, label))  # noqa: B023 - used within the iteration
            return group if group is not None and group["n"] >= k else None

        rated, before = shown(ratings, week), shown(ratings, previous)
        sent, answered = polls.get(dept, (0, 0))
        figures[f"{config.slug} internal"] = rated and (
            rated["n"], average(rated), average(before), tone(rated),
            (sent, answered) if sent >= k else (None, None),
        )  # fmt: skip
        reviewed, before = shown(reviews, week), shown(reviews, previous)
        figures[f"{config.slug} external"] = reviewed and (
            reviewed["n"], average(reviewed), average(before), tone(reviewed),
        )  # fmt: skip
        figures[f"{config.slug} trend"] = [
            (label, average(shown(ratings, label)), average(shown(reviews, label)))
            for label in weeks
        ]
        quoted = rated and rated["n"] - signed.get(dept, 0) >= k
        polarities = [
            float(q["sentiment_polarity"])
            for kind, group in (("comments", quoted), ("review_quotes", reviewed))
            if group
            for q in rows[kind]
            if q["department_id"] == dept
        ]
        figures[f"{config.slug} quotes"] = sorted(polarities)
    figures["matrix"] = _matrix(rows["matrix"], ids, k)
    return figures


def _matrix(rows: list[dict[str, Any]], ids: dict[str, int], k: int) -> list[Any]:
    """Each rated department's rater cells of k or more, then, while the raters left unnamed
    are 1 to k-1, without its smallest named cell (ties by slug), as the privacy rules say."""
    slugs = {dept: slug for slug, dept in ids.items()}
    by_rated: dict[int, list[dict[str, Any]]] = {}
    for r in rows:
        if r["department_id"] in slugs:
            by_rated.setdefault(r["department_id"], []).append(r)
    cells = []
    for dept, raters in by_rated.items():
        total = sum(r["n"] for r in raters)
        named = sorted(
            (r for r in raters if r["n"] >= k and r["rater_department"] in ids),
            key=lambda r: (r["n"], repr(r["rater_department"])),
        )
        while named and 0 < total - sum(r["n"] for r in named) < k:
            named.pop(0)
        if total < k:
            named = []
        cells += [
            (slugs[dept], r["rater_department"], r["n"], round(r["total"] / r["n"], 2))
            for r in named
        ]
    return sorted(cells)


def _figures(digest: WeekDigest) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    for d in digest.departments:
        i, e = d.internal, d.external
        figures[f"{d.slug} internal"] = None if i.suppressed else (
            i.responses, i.average, i.previous_average, i.sentiment,
            (i.polls_sent, i.polls_answered),
        )  # fmt: skip
        figures[f"{d.slug} external"] = None if e.suppressed else (
            e.reviews, e.average_rating, e.previous_average_rating, e.sentiment,
        )  # fmt: skip
        figures[f"{d.slug} trend"] = [(t.week, t.internal, t.external) for t in d.trend]
        figures[f"{d.slug} quotes"] = sorted(q.polarity for q in (*d.praise, *d.concerns))
    figures["matrix"] = sorted((c.rated, c.rater, c.responses, c.average) for c in digest.matrix)
    return figures


def _mean(total: float | None, count: int) -> float | None:
    return None if total is None or not count else round(float(total) / count, 2)
