"""Held answers released into the ratings: k at a time, all at a week's close, scored on the
way or later, and closed once however many instances try."""

import asyncio
import multiprocessing
import os
import signal
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest

from bot.config import QualityConfig
from bot.sentiment import Sentiment, SentimentPool
from bot.surveys.release import AnswerRelease
from bot.weeks import Week
from models.department import Department
from models.survey import ClosedWeek, HeldAnswer, PollTally, Rating
from tests.bot import digest_data as data
from tests.conftest import Harness

W47 = Week.parse("2026-W47")
MONDAY_W48 = datetime(2026, 11, 23, 9, tzinfo=UTC)
WEDNESDAY_W47 = datetime(2026, 11, 18, 9, tzinfo=UTC)


class BrokenPool(SentimentPool):
    """A scorer whose worker died: every call fails."""

    async def analyze_many(self, texts: Sequence[str]) -> list[Sentiment]:
        raise RuntimeError("the worker died")


@pytest.fixture
def quality(harness: Harness) -> QualityConfig:
    return harness.services.quality.current


def release(quality: QualityConfig, now: datetime, pool: SentimentPool | None) -> AnswerRelease:
    return AnswerRelease(quality=quality, clock=lambda: now, sentiment=pool)


async def hold(slug: str, week: str, *comments: str | None) -> None:
    department = await Department.get(slug=slug)
    for comment in comments:
        await HeldAnswer.create(
            department=department, rater_department="sales", score=3, comment=comment, week=week
        )


async def test_answers_are_released_k_at_a_time(quality: QualityConfig) -> None:
    now = release(quality, WEDNESDAY_W47, SentimentPool(workers=0))
    await hold("it", "2026-W47", None, "Quick and friendly")
    assert await now.release_ready() == 0 and await Rating.all().count() == 0
    await hold("it", "2026-W47", None)
    assert await now.release_ready() == 3
    assert await HeldAnswer.all().count() == 0
    [scored] = await Rating.filter(comment__isnull=False)
    assert scored.sentiment_label == "positive"


async def test_a_dead_scorer_delays_the_score_never_the_release(quality: QualityConfig) -> None:
    await hold("it", "2026-W47", "Slow and rude", "Quick and friendly", None)
    assert await release(quality, WEDNESDAY_W47, BrokenPool(workers=0)).release_ready() == 3
    pending = await Rating.filter(comment__isnull=False, sentiment_label__isnull=True).count()
    assert pending == 2
    # The next step of an instance whose scorer works fills them in.
    assert await release(quality, WEDNESDAY_W47, SentimentPool(workers=0)).score_pending() == 2
    labels = await Rating.filter(comment__isnull=False).values_list("sentiment_label", flat=True)
    assert sorted(str(label) for label in labels) == ["negative", "positive"]


async def test_a_week_closes_once_with_every_answer_and_again_for_a_late_one(
    quality: QualityConfig,
) -> None:
    await hold("it", "2026-W47", None, None)  # two: under k, held until the week's end
    await data.polls("it", WEDNESDAY_W47, answered=2, expired=1)
    instances = [release(quality, MONDAY_W48, SentimentPool(workers=0)) for _ in range(3)]
    closed = await asyncio.gather(*(r.close_due() for r in instances))
    assert ["2026-W47"] in closed
    assert [str(w) for w in await ClosedWeek.all().values_list("week", flat=True)] == ["2026-W47"]
    assert await PollTally.all().values_list("sent", "answered") == [(3, 2)]
    assert await Rating.filter(week="2026-W47").count() == 2
    # An answer committed a moment after the week closed joins it at the next step.
    await hold("it", "2026-W47", None)
    assert await instances[0].close_due() == ["2026-W47"]
    assert await Rating.filter(week="2026-W47").count() == 3
    assert await PollTally.all().count() == 1  # its polls were counted once


# The worker pool's, using the database as every step does; in the shorter run.
@pytest.mark.same_on_either_database
async def test_a_cold_worker_then_a_crashed_one_delay_scores_which_a_later_step_fills_in(
    quality: QualityConfig,
) -> None:
    """The real worker process: still loading its models when the answers are released, then
    killed -9 (as the OOM killer would) while it scores them."""
    pool = SentimentPool(workers=1)
    try:
        step = AnswerRelease(
            quality=quality, clock=lambda: WEDNESDAY_W47, sentiment=pool, score_wait=0.05
        )
        await hold("it", "2026-W47", "Slow and rude", "Quick and friendly", None)
        assert await step.release_ready() == 3  # without waiting for the cold worker
        assert await Rating.filter(sentiment_label__isnull=True).count() == 3
        await pool.analyze("warm")  # the worker is up
        [worker] = multiprocessing.active_children()
        scoring = asyncio.create_task(step.score_pending())
        os.kill(worker.pid or 0, signal.SIGKILL)
        assert await scoring == 2  # scored by the worker that replaced it
    finally:
        pool.close()
    labels = await Rating.filter(comment__isnull=False).values_list("sentiment_label", flat=True)
    assert sorted(str(label) for label in labels) == ["negative", "positive"]
