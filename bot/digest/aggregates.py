"""The large reads — a week's digest and its chart, a report over weeks — done where they
cannot delay an acknowledgement: in a worker process of their own (bot/runtime/processes.py), on a
database connection of their own.

On the event loop, a digest's Python work would hold up every request behind it, and on
SQLite its queries would queue every click and modal behind them on the app's one connection.
In the worker they cost the loop nothing but the answer's unpickling; SQLite's write-ahead
log lets the worker read while the app writes.

Without a database URL (tests, one-shot commands) they are computed in this process.
"""

import asyncio
from collections.abc import Collection
from datetime import datetime

from bot.config import QualityConfig, QualitySource, current
from bot.digest.chart import render_chart, render_chart_async
from bot.digest.compute import compute_week
from bot.digest.model import WeekDigest
from bot.digest.report import Report, build_report
from bot.runtime import db
from bot.runtime.processes import WorkerPool
from bot.weeks import Week

NICE = 10  # a digest may wait for a review's score, and both for an ack


class Aggregates:
    def __init__(self, quality: QualitySource, database_url: str | None = None) -> None:
        """With `database_url`, computed in a worker process reading that database."""
        self._source = quality
        self._worker = (
            WorkerPool(1, _open, (database_url,), nice=NICE)
            if database_url and ":memory:" not in database_url
            else None
        )

    @property
    def _quality(self) -> QualityConfig:
        return current(self._source)

    async def digest(self, week: Week) -> WeekDigest:
        if self._worker is None:
            return await compute_week(self._quality, week)
        return await self._worker.run(_digest, self._quality, week.label)

    async def report(
        self,
        slugs: Collection[str],
        weeks: int,
        now: datetime,
        *,
        comments_for: Collection[str] = (),
    ) -> Report:
        if self._worker is None:
            return await build_report(self._quality, slugs, weeks, now, comments_for=comments_for)
        return await self._worker.run(
            _report, self._quality, list(slugs), weeks, now, list(comments_for)
        )

    async def chart(self, digest: WeekDigest) -> bytes:
        if self._worker is None:
            return await render_chart_async(digest)
        return await self._worker.run(render_chart, digest)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.stop()


# In the worker process: its own event loop and database connection, opened once. The
# configuration comes with each call: departments change while the app runs.

_loop: asyncio.AbstractEventLoop | None = None


def _open(database_url: str) -> None:
    global _loop
    _loop = asyncio.new_event_loop()
    _loop.run_until_complete(db.open_database(database_url))


def _digest(quality: QualityConfig, label: str) -> WeekDigest:
    assert _loop is not None, "not a worker of Aggregates"
    return _loop.run_until_complete(compute_week(quality, Week.parse(label)))


def _report(
    quality: QualityConfig, slugs: list[str], weeks: int, now: datetime, comments_for: list[str]
) -> Report:
    assert _loop is not None, "not a worker of Aggregates"
    return _loop.run_until_complete(
        build_report(quality, slugs, weeks, now, comments_for=comments_for)
    )
