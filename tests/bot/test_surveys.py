"""The fatigue budget, counted across every trigger, in the configured time zone's weeks."""

from datetime import UTC, datetime, timedelta

from bot.config import DepartmentConfig, QualityConfig
from bot.people.membership import sync_departments
from bot.surveys.requests import PollRequest, request_poll
from tests.conftest import Harness


async def _quality(h: Harness, **surveys: int) -> QualityConfig:
    """The test configuration with two more departments to be asked about."""
    quality = h.services.quality.current
    more = tuple(DepartmentConfig(slug=slug, name=slug.title()) for slug in ("sales", "legal"))
    quality = quality.model_copy(
        update={
            "surveys": quality.surveys.model_copy(update=surveys),
            "departments": (*quality.departments, *more),
        }
    )
    await sync_departments(quality)
    return quality


async def _ask(quality: QualityConfig, key: str, now: datetime, dept: str = "it") -> str | None:
    outcome = await request_poll(
        PollRequest(user_id="U0EMP0001", department=dept, trigger="webhook", trigger_key=key),
        quality=quality,
        now=now,
    )
    return outcome.reason


async def test_at_most_n_polls_a_week_then_the_next_week_starts_afresh(harness: Harness) -> None:
    quality = await _quality(harness, max_per_person_per_week=3, cooldown_days_per_department=0)
    # Europe/Berlin: Monday 2026-11-16 00:00 local is Sunday 23:00 UTC.
    monday = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
    slugs = ("it", "finance", "sales", "legal")
    reasons = [
        await _ask(quality, f"k{i}", monday + timedelta(days=i), dept=slug)
        for i, slug in enumerate(slugs)
    ]
    assert reasons == [None, None, None, "over_budget"]
    next_monday = monday + timedelta(days=7)
    assert await _ask(quality, "k-next", next_monday) is None
    # One minute before the local week ends, it was still the old week.
    late = next_monday - timedelta(minutes=1)
    assert await _ask(quality, "k-late", late, dept="legal") == "over_budget"


async def test_one_poll_about_a_department_a_week(harness: Harness) -> None:
    quality = await _quality(harness, max_per_person_per_week=10, cooldown_days_per_department=0)
    monday = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
    assert await _ask(quality, "a", monday) is None
    assert await _ask(quality, "b", monday + timedelta(days=6)) == "rated_this_week"
    assert await _ask(quality, "c", monday + timedelta(days=7)) is None  # a new week


async def test_cooldown_is_per_department_and_spans_the_weeks_end(harness: Harness) -> None:
    quality = await _quality(harness, max_per_person_per_week=10, cooldown_days_per_department=2)
    sunday = datetime(2026, 11, 22, 10, 0, tzinfo=UTC)  # W47, its last day in Berlin
    assert await _ask(quality, "a", sunday) is None
    monday = sunday + timedelta(days=1)  # W48
    assert await _ask(quality, "b", monday) == "cooldown"
    assert await _ask(quality, "c", monday, dept="finance") is None
    assert await _ask(quality, "d", sunday + timedelta(days=2, minutes=1)) is None


async def test_skipped_polls_do_not_spend_the_budget(harness: Harness) -> None:
    quality = await _quality(harness, max_per_person_per_week=1, cooldown_days_per_department=0)
    now = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    assert await _ask(quality, "a", now) is None
    assert await _ask(quality, "b", now, dept="finance") == "over_budget"
    # The skipped one did not count twice.
    assert await _ask(quality, "c", now, dept="sales") == "over_budget"
