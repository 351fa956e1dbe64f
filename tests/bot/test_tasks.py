"""Background work: held strongly, drained on shutdown, loops that survive a bad run."""

import asyncio
import gc
import logging

import pytest

from bot.runtime.tasks import BackgroundTasks

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database


async def test_drain_waits_for_acknowledged_work() -> None:
    tasks = BackgroundTasks()
    finished: list[str] = []

    async def work() -> None:
        await asyncio.sleep(0.1)
        finished.append("done")

    tasks.spawn(work(), name="work")
    gc.collect()  # held strongly: collecting now must not lose it
    await tasks.drain(grace=5)
    assert finished == ["done"]
    assert tasks.pending == 0


async def test_drain_waits_for_tracked_listeners() -> None:
    tasks = BackgroundTasks()
    finished: list[int] = []

    @tasks.tracked
    async def listener(n: int) -> None:
        await asyncio.sleep(0.1)
        finished.append(n)

    # bolt starts a listener in a task of its own and forgets it.
    asyncio.ensure_future(listener(7))  # noqa: RUF006 - as bolt does
    await asyncio.sleep(0)
    assert tasks.pending == 1
    await tasks.drain(grace=5)
    assert finished == [7]


async def test_drain_cancels_work_past_the_grace(caplog: pytest.LogCaptureFixture) -> None:
    tasks = BackgroundTasks()
    task = tasks.spawn(asyncio.sleep(60), name="slow")
    with caplog.at_level(logging.WARNING):
        await tasks.drain(grace=0.05)
    assert task.cancelled()
    assert "still running" in caplog.text


async def test_a_loop_survives_a_failing_run_and_stops_on_drain() -> None:
    tasks = BackgroundTasks()
    runs: list[int] = []

    async def job() -> None:
        runs.append(len(runs))
        if len(runs) == 1:
            raise RuntimeError("Slack is down")

    loop = tasks.every(0.01, job, name="job")
    for _ in range(100):
        if len(runs) >= 3:
            break
        await asyncio.sleep(0.01)
    assert len(runs) >= 3
    await tasks.drain(grace=1)
    assert loop.cancelled()
