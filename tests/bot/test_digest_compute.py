"""A week's figures, computed in the database and shaped as its public JSON — checked by hand."""

from datetime import UTC, date, datetime

import pytest

from bot.config import DepartmentConfig, QualityConfig, StandardConfig
from bot.digest.compute import compute_week
from bot.people.membership import sync_departments
from bot.weeks import Week
from tests.bot import digest_data as data
from tests.conftest import Harness


@pytest.fixture
async def quality(harness: Harness) -> QualityConfig:
    base = harness.services.quality.current
    it, finance = base.departments
    promise = "Laptops fixed or swapped within one working day"
    it = it.model_copy(
        update={"standard": StandardConfig(promise=promise, target=4.2, resolve_within_hours=8)}
    )
    finance = finance.model_copy(update={"standard": StandardConfig(target=4.0)})
    sales = DepartmentConfig(slug="sales", name="Sales", managers=("U0SAL0001",))
    q = base.model_copy(update={"departments": (it, finance, sales)})
    await sync_departments(q)
    return q


async def seed_w47(k_finance: int) -> None:
    await data.ratings(
        "it", "2026-W47", [5, 4, 4], rater="sales",
        sentiments=[("positive", 0.6), ("negative", -0.4), ("no_signal", None)],
        reasons=[["fast"], ["fast", "clear"], ["fast"]],
    )  # fmt: skip
    await data.ratings(
        "it", "2026-W47", [3, 5], rater="finance",
        sentiments=[("neutral", 0.0), ("unsupported_language", None)],
    )  # fmt: skip
    await data.ratings("it", "2026-W46", [3, 3, 4, 4], rater="sales")
    await data.reviews(
        "it", "2026-W47", [2, 3, 4, None],
        sentiments=[
            ("negative", -0.5), ("positive", 0.25), ("no_signal", None), ("negative", -0.3)
        ],
    )  # fmt: skip
    await data.reviews("it", "2026-W46", [4, 4, 4])
    await data.polls("it", datetime(2026, 11, 18, 10, tzinfo=UTC), answered=2, expired=8)
    await data.ratings("finance", "2026-W47", [1] * k_finance, rater="it")
    await data.ratings("finance", "2026-W46", [2, 2, 2], rater="it")
    await data.resolutions("it", "2026-W47", [10, 1, 3, 2])
    await data.resolutions("it", "2026-W46", [100, 100, 100])  # another week's
    await data.resolutions("finance", "2026-W47", [1, 1])  # two requests: under k
    # Actions as they stood when W47 ended (Sunday 22 Nov, midnight in Berlin = 23:00 UTC).
    before, after = datetime(2026, 11, 17, 9, tzinfo=UTC), datetime(2026, 11, 23, 9, tzinfo=UTC)
    await data.action("it", "Swap the VPN gateway", created=before, due=date(2026, 11, 20))
    await data.action(
        "it",
        "Train the helpdesk",
        created=before,
        due=date(2026, 12, 1),
        closed=after,
        status="done",
    )  # done after the week: open at its end
    await data.action(
        "it",
        "Done in time",
        created=before,
        due=date(2026, 11, 19),
        closed=datetime(2026, 11, 19, 9, tzinfo=UTC),
        status="done",
    )
    await data.action("it", "Recorded later", created=after, due=date(2026, 12, 9))


async def test_a_seeded_week_gives_the_hand_computed_json(quality: QualityConfig) -> None:
    await seed_w47(k_finance=2)
    await data.close(quality, "2026-W47")
    digest = await compute_week(quality, Week.parse("2026-W47"))
    assert digest.to_json() == {
        "week": "2026-W47", "start": "2026-11-16", "end": "2026-11-22",
        "timezone": "Europe/Berlin",
        "departments": [
            {
                "slug": "it", "name": "IT",
                # 21/5; W46 14/4; (0.6 - 0.4 + 0.0) / 3 signed comments
                "internal": {"responses": 5, "average": 4.2, "previous_average": 3.5,
                             "sentiment": 0.07, "suppressed": False},
                # (2+3+4)/3 rated; (-0.5+0.25-0.3)/3 signed
                "external": {"reviews": 4, "average_rating": 3.0, "previous_average_rating": 4.0,
                             "sentiment": -0.18, "suppressed": False},
                "attention": [
                    "external rating down 1.0",
                    "low response rate: 2 of 10 polls answered (20%)",
                ],
                # 4.2 is the target: met
                "standard": {"promise": "Laptops fixed or swapped within one working day",
                             "target": 4.2, "resolve_within_hours": 8, "target_met": True},
                # 1, 2, 3, 10: the median halfway between 2 and 3; the 90th percentile at
                # rank 2.7 of 0–3, 0.7 of the way from 3 to 10
                "resolution": {"requests": 4, "median_hours": 2.5, "p90_hours": 7.9,
                               "suppressed": False},
                # 4 high scores of 5 responses: shown, they would leave the one 3 to be
                # worked out by subtraction, so no band is shown, nor "fast" in 3 of them.
                "reasons": {"low": {"scores": None, "picked": {}},
                            "high": {"scores": None, "picked": {}}},
                # Open at the week's end, soonest due first; due by its Sunday: overdue.
                "actions": {"open": 2, "overdue": 1, "items": [
                    {"id": 1, "what": "Swap the VPN gateway", "owner": "U0IT00001",
                     "due": "2026-11-20", "overdue": True},
                    {"id": 2, "what": "Train the helpdesk", "owner": "U0IT00001",
                     "due": "2026-12-01", "overdue": False},
                ],
                # Done within the week: measured on its finding's weeks (W43–W46: W46's
                # four, 3.5) and, since it was done this week, on no week yet.
                "done": [
                    {"id": 3, "what": "Done in time", "done_week": "2026-W47",
                     "before": {"weeks": 4, "responses": 4, "average": 3.5,
                                "top_low_reason": None},
                     "since": {"weeks": 0, "responses": None, "average": None,
                               "top_low_reason": None}},
                ],
                "cases": {"cases": None, "claim_median_hours": None,
                          "resolve_median_hours": None, "resolved_share": None}},
            },
            {
                "slug": "finance", "name": "Finance",
                "internal": {"responses": None, "average": None, "previous_average": None,
                             "sentiment": None, "suppressed": True},
                "external": {"reviews": None, "average_rating": None,
                             "previous_average_rating": None, "sentiment": None,
                             "suppressed": True},
                "attention": [],
                # Its average is hidden, and "met" or "missed" would tell it.
                "standard": {"promise": None, "target": 4.0, "resolve_within_hours": None,
                             "target_met": None},
                "resolution": {"requests": None, "median_hours": None, "p90_hours": None,
                               "suppressed": True},
                "reasons": {"low": {"scores": None, "picked": {}},
                            "high": {"scores": None, "picked": {}}},
                "actions": {"open": 0, "overdue": 0, "items": [], "done": [],
                            "cases": {"cases": None, "claim_median_hours": None,
                                      "resolve_median_hours": None, "resolved_share": None}},
            },
            {
                "slug": "sales", "name": "Sales",
                "internal": {"responses": None, "average": None, "previous_average": None,
                             "sentiment": None, "suppressed": True},
                "external": {"reviews": None, "average_rating": None,
                             "previous_average_rating": None, "sentiment": None,
                             "suppressed": True},
                "attention": [],
                "standard": None,
                "resolution": {"requests": None, "median_hours": None, "p90_hours": None,
                               "suppressed": True},
                "reasons": {"low": {"scores": None, "picked": {}},
                            "high": {"scores": None, "picked": {}}},
                "actions": {"open": 0, "overdue": 0, "items": [], "done": [],
                            "cases": {"cases": None, "claim_median_hours": None,
                                      "resolve_median_hours": None, "resolved_share": None}},
            },
        ],
        # sales → it has 3, but finance → it has 2: shown beside IT's 5, sales' cell would
        # leave finance's two to be worked out by subtraction. it → finance: 2, below k = 3.
        "matrix": [],
    }  # fmt: skip


async def test_a_group_of_exactly_k_is_shown(quality: QualityConfig) -> None:
    await seed_w47(k_finance=3)
    digest = await compute_week(quality, Week.parse("2026-W47"))
    finance = digest.department("finance")
    assert finance is not None
    assert finance.internal.suppressed is False
    assert (finance.internal.responses, finance.internal.average) == (3, 1.0)
    assert finance.internal.previous_average == 2.0
    assert finance.attention == ("internal rating down 1.0", "internal average 1.0, under 3")
    assert {"from": "it", "to": "finance", "responses": 3, "average": 1.0} in (
        digest.to_json()["matrix"]
    )


async def test_the_previous_week_of_2027_w01_is_2026_w53(quality: QualityConfig) -> None:
    await data.ratings("it", "2026-W53", [4, 4, 4])
    await data.ratings("it", "2027-W01", [3, 3, 3])
    digest = await compute_week(quality, Week.parse("2027-W01"))
    assert (digest.start.isoformat(), digest.end.isoformat()) == ("2027-01-04", "2027-01-10")
    it = digest.department("it")
    assert it is not None
    assert (it.internal.average, it.internal.previous_average) == (3.0, 4.0)
    assert it.attention == ("internal rating down 1.0",)
    assert [p.week for p in it.trend][-2:] == ["2026-W53", "2027-W01"]


async def test_polls_count_in_the_local_week_across_the_end_of_summer_time(
    quality: QualityConfig,
) -> None:
    # Berlin leaves summer time on Sunday 2026-10-25, so W43 runs 169 hours in UTC:
    # from 2026-10-18 22:00 UTC to 2026-10-25 23:00 UTC.
    await data.ratings("it", "2026-W43", [4, 4, 4])
    await data.polls("it", datetime(2026, 10, 18, 21, 30, tzinfo=UTC), answered=1)  # W42
    await data.polls("it", datetime(2026, 10, 18, 22, 30, tzinfo=UTC), answered=2)  # Mon 00:30
    await data.polls("it", datetime(2026, 10, 25, 22, 30, tzinfo=UTC), answered=0, expired=1)
    await data.polls("it", datetime(2026, 10, 25, 23, 0, tzinfo=UTC), answered=1)  # W44
    await data.close(quality, "2026-W42", "2026-W43")
    it = (await compute_week(quality, Week.parse("2026-W43"))).department("it")
    assert it is not None
    assert (it.internal.polls_sent, it.internal.polls_answered) == (3, 2)


async def test_quotes_are_scrubbed_and_only_from_groups_at_the_threshold(
    quality: QualityConfig,
) -> None:
    await data.reviews(
        "it", "2026-W47", [1, 5, 4],
        sentiments=[("negative", -0.8), ("positive", 0.9), ("no_signal", None)],
        texts=[
            "Jane at the desk was rude, call me on +49 30 1234567 or jane.doe@example.com",
            "Thanks <@U0IT00002> for fixing it so fast",
            "ok",
        ],
        author="Jane Doe",
    )  # fmt: skip
    await data.ratings(
        "finance", "2026-W47", [1, 1], rater="it",
        sentiments=[("negative", -0.9), ("negative", -0.7)],
        comments=["Payroll is a disaster", "Never again"],
    )  # fmt: skip
    digest = await compute_week(quality, Week.parse("2026-W47"))
    it = digest.department("it")
    assert it is not None
    [concern] = it.concerns
    assert "Jane" not in concern.text and "1234567" not in concern.text
    assert "example.com" not in concern.text and "rude" in concern.text
    [praise] = it.praise
    assert "U0IT00002" not in praise.text and "fixing it so fast" in praise.text
    finance = digest.department("finance")
    assert finance is not None and finance.concerns == ()  # 2 comments: a group below k


async def test_the_trend_spans_eight_weeks_and_hides_small_weeks(quality: QualityConfig) -> None:
    for week, scores in (("2026-W40", [4, 4, 4]), ("2026-W45", [2, 3]), ("2026-W47", [5, 5, 5])):
        await data.ratings("it", week, scores)
    it = (await compute_week(quality, Week.parse("2026-W47"))).department("it")
    assert it is not None
    trend = {p.week: p.internal for p in it.trend}
    assert list(trend) == [f"2026-W{n}" for n in range(40, 48)]
    assert (trend["2026-W40"], trend["2026-W45"], trend["2026-W47"]) == (4.0, None, 5.0)


async def test_each_kind_quotes_its_three_most_felt_texts_of_the_department_and_week(
    quality: QualityConfig,
) -> None:
    said = [0.2, 0.9, 0.5, 0.7, -0.1, -0.95, -0.6, -0.3]
    written = [0.8, 0.3, 0.6, 0.1, -0.7, -0.2, -0.4, -0.5]

    def felt(polarities: list[float]) -> list[data.Scored]:
        return [("positive" if p > 0 else "negative", p) for p in polarities]

    await data.ratings(
        "it", "2026-W47", [3] * 8, sentiments=felt(said),
        comments=[f"Comment {p}" for p in said],
    )  # fmt: skip
    await data.reviews(
        "it", "2026-W47", [3.0] * 8, sentiments=felt(written),
        texts=[f"Review {p}" for p in written],
    )  # fmt: skip
    # More strongly felt, but another week's, another department's, or no comment at all.
    await data.ratings("it", "2026-W46", [5] * 3, sentiments=[("positive", 1.0)] * 3)
    await data.ratings("finance", "2026-W47", [5] * 3, rater="it", sentiments=felt([0.99] * 3))
    await data.ratings("it", "2026-W47", [1], sentiments=[("negative", -1.0)], comments=[None])

    it = (await compute_week(quality, Week.parse("2026-W47"))).department("it")

    assert it is not None
    assert [(q.kind, q.polarity) for q in it.praise] == [
        ("comment", 0.9), ("review", 0.8), ("comment", 0.7), ("review", 0.6),
        ("comment", 0.5), ("review", 0.3),
    ]  # fmt: skip
    assert [(q.kind, q.polarity) for q in it.concerns] == [
        ("comment", -0.95), ("review", -0.7), ("comment", -0.6), ("review", -0.5),
        ("review", -0.4), ("comment", -0.3),
    ]  # fmt: skip
    assert it.praise[0].text == "Comment 0.9" and it.concerns[1].text == "Review -0.7"
