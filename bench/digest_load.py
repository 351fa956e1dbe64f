"""Bulk loading for the digest benchmark: the rows of bench/digest_rows.py, generated once, into
every database at once, straight into the tables the app's migrations created.

PostgreSQL takes each week's batch by COPY; SQLite by `executemany`, all in one transaction, on
a thread of its own meanwhile. One thread, always the same: handed from thread to thread by
`asyncio.to_thread`, the connection's `executemany` failed now and then with "bad parameter or
other API misuse".
"""

import asyncio
import contextlib
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

import asyncpg

from bench import digest_rows as rows

T = TypeVar("T")


class _Sqlite:
    """A SQLite connection that lives on one thread of its own."""

    def __init__(self) -> None:
        self.thread = ThreadPoolExecutor(1, thread_name_prefix="digest-sqlite")
        self.conn: sqlite3.Connection | None = None

    async def run(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self.thread, call, *args)

    async def open(self, path: str) -> sqlite3.Connection:
        self.conn = await self.run(sqlite3.connect, path)
        return self.conn

    async def close(self) -> None:
        if self.conn is not None:
            await self.run(self.conn.close)
        self.thread.shutdown()


async def load(urls: dict[str, str], shape: rows.Shape) -> None:
    """Fill the "postgresql" and "sqlite" databases of `urls` (either may be missing)."""
    pg = await asyncpg.connect(urls["postgresql"]) if "postgresql" in urls else None
    lite = _Sqlite()
    try:
        if "sqlite" in urls:
            await lite.open(urls["sqlite"].removeprefix("sqlite://"))
        async with pg.transaction() if pg else contextlib.nullcontext():
            company = rows.Company(shape, await _departments(pg, lite, shape))
            await _write(pg, lite, "membership", rows.MEMBERSHIP_COLUMNS, company.memberships())
            for ratings, polls, tallies in company.ratings_and_polls():
                await _write(pg, lite, "rating", rows.RATING_COLUMNS, ratings)
                await _write(pg, lite, "poll", rows.POLL_COLUMNS, polls)
                await _write(pg, lite, "poll_tally", rows.TALLY_COLUMNS, tallies)
            for reviews in company.reviews():
                await _write(pg, lite, "review", rows.REVIEW_COLUMNS, reviews)
        if lite.conn:
            await lite.run(lite.conn.commit)
        if pg:  # What autovacuum soon does to freshly loaded tables: visibility, statistics.
            for table in ("department", "membership", "rating", "poll", "poll_tally", "review"):
                await pg.execute(f"VACUUM ANALYZE {table}")
    finally:
        if pg:
            await pg.close()
        await lite.close()


async def _departments(
    pg: asyncpg.Connection | None, lite: _Sqlite, shape: rows.Shape
) -> list[int]:
    """Insert the departments; their ids, the same in every database."""
    found = []
    now = datetime.now(UTC)
    insert = "INSERT INTO department (slug, name, active, updated_at) VALUES"
    for slug, name in rows.departments(shape):
        ids = set()
        if pg:
            sql = f"{insert} ($1, $2, TRUE, $3) RETURNING id"
            ids.add(await pg.fetchval(sql, slug, name, now))
        if lite.conn:
            cursor = await lite.run(
                lite.conn.execute, f"{insert} (?, ?, 1, ?)", (slug, name, str(now))
            )
            ids.add(cursor.lastrowid)
        [dept_id] = ids
        found.append(dept_id)
    return found


async def _write(
    pg: asyncpg.Connection | None,
    lite: _Sqlite,
    table: str,
    columns: tuple[str, ...],
    batch: list[rows.Row],
) -> None:
    work = []
    if lite.conn:
        marks = ", ".join("?" * len(columns))
        insert = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        work.append(lite.run(lite.conn.executemany, insert, _as_text(batch, columns)))
    if pg:
        work.append(pg.copy_records_to_table(table, records=batch, columns=columns))
    await asyncio.gather(*work)


def _as_text(batch: list[rows.Row], columns: tuple[str, ...]) -> Iterator[Sequence[Any]]:
    """Timestamps (the `…_at` columns) as tortoise writes them to SQLite: text such as
    '2026-11-16 08:00:00+00:00'."""
    stamps = [i for i, column in enumerate(columns) if column.endswith("_at")]
    if not stamps:
        yield from batch
        return
    for row in batch:
        text = list(row)
        for i in stamps:
            if text[i] is not None:
                text[i] = str(text[i])
        yield text
