"""Digests, charts and reports computed in a worker process of their own, on a connection of
their own, are the ones the app would compute on its loop; a killed worker is replaced, and
the worker stops when told."""

import multiprocessing
import os
import signal
from datetime import UTC, datetime

import pytest

from bot.config import QualityConfig
from bot.digest.aggregates import Aggregates
from bot.digest.compute import compute_week
from bot.digest.report import build_report
from bot.runtime.processes import PoolStopped
from bot.weeks import Week
from tests.bot import digest_data as data
from tests.bot.test_digest_compute import quality, seed_w47
from tests.conftest import Harness

__all__ = ["quality"]  # the fixture, shared with the in-process tests

W47 = Week.parse("2026-W47")
NOW = datetime(2026, 11, 25, 9, tzinfo=UTC)


async def test_the_worker_computes_what_the_loop_would(
    harness: Harness, quality: QualityConfig
) -> None:
    await seed_w47(k_finance=3)
    await data.close(quality, "2026-W47")
    aggregates = Aggregates(quality, harness.services.settings.database_url)
    try:
        digest = await aggregates.digest(W47)
        assert digest == await compute_week(quality, W47)
        report = await aggregates.report(["it", "finance"], 2, NOW, comments_for=["it"])
        assert report == await build_report(quality, ["it", "finance"], 2, NOW, comments_for=["it"])
        assert (await aggregates.chart(digest)).startswith(b"\x89PNG")
        # Written by the app after the worker opened its connection: the worker reads it.
        await data.ratings("it", "2026-W47", [1, 1, 1], rater="sales")
        assert (await aggregates.digest(W47)).department("it") != digest.department("it")
        # Killed (the OOM killer): the next digest is computed by a worker that replaced it.
        [worker] = multiprocessing.active_children()
        os.kill(worker.pid or 0, signal.SIGKILL)
        worker.join()
        assert await aggregates.digest(W47) == await compute_week(quality, W47)
    finally:
        aggregates.close()
    with pytest.raises(PoolStopped):
        await aggregates.digest(W47)
