"""The one suppression rule, and every figure inside a shown group: nothing drawn from fewer
than k people is shown, and no shown total and parts leave a remainder of one or two."""

from datetime import UTC, datetime

import pytest

from bot.blocks.digest import build_manager_dm
from bot.config import QualityConfig
from bot.digest.compute import compute_week
from bot.digest.report import build_report
from bot.privacy.suppression import enough, figure, quotable, shown_parts
from bot.weeks import Week
from tests.bot import digest_data as data
from tests.conftest import Harness

W47 = Week.parse("2026-W47")


def test_parts_under_k_are_hidden_and_a_small_rest_hides_the_smallest_shown() -> None:
    assert shown_parts({"sales": 5, "hr": 4}, 3) == {"sales", "hr"}
    assert shown_parts({"sales": 5, "hr": 1}, 3) == set()  # shown alone, 5 leaves hr's 1
    assert shown_parts({"sales": 5, "it": 4, "hr": 1}, 3) == {"sales"}  # it joins hr: 5 hidden
    assert shown_parts({"sales": 5, "it": 4, "hr": 1, "ops": 2}, 3) == {"sales", "it"}
    assert shown_parts({"sales": 5}, 3, hidden=2) == set()  # two of no department
    assert shown_parts({"sales": 5}, 3, hidden=3) == {"sales"}
    assert shown_parts({"sales": 2}, 3) == set()  # the total itself is under k
    # Ties go the same way every time.
    assert shown_parts({"a": 3, "b": 3, "c": 3, "d": 1}, 3) == {"b", "c"}


def test_figures_and_quotes_need_k_people() -> None:
    assert figure(4.2, 3, 3) == 4.2 and figure(4.2, 2, 3) is None and figure(4.2, None, 3) is None
    assert enough(3, 3) and not enough(2, 3)
    assert quotable(5, 2, 3) and not quotable(4, 2, 3)


@pytest.fixture
def quality(harness: Harness) -> QualityConfig:
    return harness.services.quality.current


async def test_a_shown_group_hides_every_figure_drawn_from_fewer_people(
    quality: QualityConfig,
) -> None:
    # Five ratings, but one comment with a signal; three reviews, but one with stars; two
    # people asked. Each of those figures would be one or two people's.
    await data.ratings(
        "it", "2026-W47", [1, 4, 4, 5, 5], sentiments=[("negative", -0.9)], comments=["Awful"]
    )
    await data.reviews("it", "2026-W47", [1, None, None])
    await data.polls("it", datetime(2026, 11, 18, 10, tzinfo=UTC), answered=1, expired=1)
    await data.close(quality, "2026-W47")
    it = (await compute_week(quality, W47)).department("it")
    assert it is not None and not it.internal.suppressed and it.internal.responses == 5
    assert (it.internal.sentiment, it.internal.negative_share) == (None, None)
    assert (it.internal.polls_sent, it.internal.response_rate) == (None, None)
    assert not it.external.suppressed and it.external.reviews == 3
    assert it.external.average_rating is None and it.trend[-1].external is None
    dm = str(build_manager_dm(await compute_week(quality, W47), "it"))
    assert "Comment tone no data" in dm and "Negative comments" not in dm
    assert "of polls answered" not in dm and "1.0★" not in dm


async def test_with_k_people_behind_them_the_figures_show(quality: QualityConfig) -> None:
    await data.ratings(
        "it", "2026-W47", [1, 2, 4], sentiments=[("negative", -0.9)] * 2 + [("positive", 0.6)]
    )
    await data.reviews("it", "2026-W47", [1, 2, 3])
    await data.polls("it", datetime(2026, 11, 18, 10, tzinfo=UTC), answered=2, expired=1)
    await data.close(quality, "2026-W47")
    it = (await compute_week(quality, W47)).department("it")
    assert it is not None
    assert (it.internal.sentiment, it.internal.negative_share) == (-0.4, 0.67)
    assert (it.internal.polls_sent, it.internal.polls_answered) == (3, 2)
    assert it.external.average_rating == 2.0


async def test_a_period_adds_a_tone_only_from_weeks_where_it_reached_k(
    quality: QualityConfig,
) -> None:
    # W46: three answers, one comment (its tone is one person's); W45: three comments.
    await data.ratings("it", "2026-W46", [2, 3, 4], sentiments=[("negative", -1.0)])
    await data.ratings("it", "2026-W45", [4, 4, 4], sentiments=[("positive", 0.5)] * 3)
    report = await build_report(quality, ["it"], 2, datetime(2026, 11, 18, tzinfo=UTC))
    [it] = report.departments
    assert it.internal.responses == 6 and it.internal.sentiment == 0.5
