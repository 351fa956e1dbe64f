"""Each department's most positive and most negative comments and reviews of a week, a few of
each: one window-function query per kind for every department at once.

One ORM query per department and label (4 × 50 at 50 departments) each walked the week's rows
again; that was two thirds of a digest's time at a million ratings and reviews (`make bench`).
The query is plain SQL because tortoise has no window functions; it runs as written on SQLite
(3.25+) and PostgreSQL, only the placeholder differs.
"""

from collections import defaultdict
from typing import Any

from tortoise.backends.base.client import BaseDBAsyncClient

from bot.runtime import db

QUOTES_PER_KIND = 3

# Most felt first: the highest polarity of the positive texts, the lowest of the negative ones;
# the id breaks ties, so that the same week always quotes the same texts.
_MOST_FELT = """
SELECT department_id, sentiment_polarity, {columns} FROM (
    SELECT department_id, sentiment_label, sentiment_polarity, {columns},
           ROW_NUMBER() OVER (
               PARTITION BY department_id, sentiment_label
               ORDER BY CASE WHEN sentiment_label = 'positive'
                             THEN -sentiment_polarity ELSE sentiment_polarity END, id
           ) AS place
    FROM {table}
    WHERE week = {week} AND department_id IS NOT NULL AND sentiment_polarity IS NOT NULL
          AND sentiment_label IN ('positive', 'negative') {also}
) AS ranked
WHERE place <= {limit}
ORDER BY department_id, sentiment_label DESC, place
"""

Rows = dict[int, list[dict[str, Any]]]  # department id → rows, positive ones first


async def comments(week: str) -> Rows:
    """The ratings' comments: `comment`, `sentiment_polarity` (never the score given with it)."""
    return await _most_felt(
        db.connection(), "rating", ("comment",), week, "AND comment IS NOT NULL"
    )


async def reviews(week: str) -> Rows:
    """The reviews: `title`, `text`, `author`, `sentiment_polarity`, `source`."""
    columns = ("title", "text", "author", "source")
    return await _most_felt(db.connection(), "review", columns, week, "")


async def _most_felt(
    db: BaseDBAsyncClient, table: str, columns: tuple[str, ...], week: str, also: str
) -> Rows:
    placeholder = "$1" if db.capabilities.dialect == "postgres" else "?"
    sql = _MOST_FELT.format(
        columns=", ".join(columns), table=table, week=placeholder, also=also,
        limit=QUOTES_PER_KIND,
    )  # fmt: skip
    found: Rows = defaultdict(list)
    for row in await db.execute_query_dict(sql, [week]):
        found[row["department_id"]].append(row)
    return found
