"""The fatigue budget, counted across every trigger, in the configured time zone's weeks."""

from datetime import UTC, datetime, timedelta

from bot.settings import QualityConfig
from bot.surveys.requests import PollRequest, request_poll
from tests.conftest import Harness


def _quality(h: Harness, **surveys: int) -> QualityConfig:
    quality = h.services.settings.quality
    return quality.model_copy(update={"surveys": quality.surveys.model_copy(update=surveys)})


async def _ask(quality: QualityConfig, key: str, now: datetime, dept: str = "it") -> str | None:
    outcome = await request_poll(
        PollRequest(user_id="U0EMP0001", department=dept, trigger="webhook", trigger_key=key),
        quality=quality,
        now=now,
    )
    return outcome.reason


async def test_at_most_n_polls_a_week_then_the_next_week_starts_afresh(harness: Harness) -> None:
    quality = _quality(harness, max_per_person_per_week=3, cooldown_days_per_department=0)
    # Europe/Berlin: Monday 2026-11-16 00:00 local is Sunday 23:00 UTC.
    monday = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
    reasons = [await _ask(quality, f"k{i}", monday + timedelta(days=i)) for i in range(4)]
    assert reasons == [None, None, None, "over_budget"]
    next_monday = monday + timedelta(days=7)
    assert await _ask(quality, "k-next", next_monday) is None
    # One minute before the local week ends, it was still the old week.
    assert await _ask(quality, "k-late", next_monday - timedelta(minutes=1)) == "over_budget"


async def test_cooldown_is_per_department(harness: Harness) -> None:
    quality = _quality(harness, max_per_person_per_week=10, cooldown_days_per_department=2)
    now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    assert await _ask(quality, "a", now) is None
    assert await _ask(quality, "b", now + timedelta(days=1)) == "cooldown"
    assert await _ask(quality, "c", now + timedelta(days=1), dept="finance") is None
    assert await _ask(quality, "d", now + timedelta(days=2, minutes=1)) is None


async def test_skipped_polls_do_not_spend_the_budget(harness: Harness) -> None:
    quality = _quality(harness, max_per_person_per_week=1, cooldown_days_per_department=0)
    now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    assert await _ask(quality, "a", now) is None
    assert await _ask(quality, "b", now) == "over_budget"
    assert await _ask(quality, "c", now) == "over_budget"  # the skipped one did not count twice
