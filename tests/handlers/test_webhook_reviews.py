"""POST /webhooks/reviews through the real app: status codes, idempotency, routing,
sentiment, and alerts to the department's channel (one each, or one summary for a burst)."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.slack_standin import SlackStandIn
from models.review import Review
from tests.conftest import Harness, make_settings, start_harness
from tests.support import WEBHOOK_SECRET, FakeClock, webhook_headers

PATH = "/webhooks/reviews"


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Harness]:
    # The reviews below were written on 2026-11-20; "now" is the day after, whenever this runs.
    clock = FakeClock(datetime(2026, 11, 21, 12, 0, tzinfo=UTC))
    h = await start_harness(
        make_settings(tmp_path, slack, REVIEW_WEBHOOK_SECRET=WEBHOOK_SECRET), slack, clock=clock
    )
    yield h
    await h.client.close()


def review(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "tp-5f1c9a",
        "source": "trustpilot",
        "rating": 2,
        "title": "Late again",
        "text": "My new laptop came a week late and nobody answered my emails.",
        "author": "Jane D.",
        "created_at": "2026-11-20T10:00:00Z",
        "url": "https://reviews.example/tp-5f1c9a",
    }
    body.update(fields)
    return {k: v for k, v in body.items() if v is not None}


async def post(h: Harness, body: Any) -> tuple[int, dict[str, Any]]:
    payload = json.dumps(body)
    resp = await h.client.post(PATH, data=payload, headers=webhook_headers(payload))
    return resp.status, await resp.json()


async def test_created_routed_by_keyword_and_scored(harness: Harness) -> None:
    status, body = await post(harness, review())
    assert status == 201
    assert body == {
        "status": "created",
        "id": "tp-5f1c9a",
        "source": "trustpilot",
        "department": "it",
        "routed_by": "keyword",
        "disagrees": False,
        "sentiment": {
            "label": "negative",
            "polarity": body["sentiment"]["polarity"],
            "language": "en",
        },
    }
    assert body["sentiment"]["polarity"] < 0
    stored = await Review.get(source="trustpilot", external_id="tp-5f1c9a").prefetch_related(
        "department"
    )
    assert stored.department is not None and stored.department.slug == "it"
    assert stored.week == "2026-W47" and stored.rating == 2


async def test_a_redelivery_is_a_duplicate_and_an_edit_an_update(harness: Harness) -> None:
    assert (await post(harness, review()))[0] == 201
    status, body = await post(harness, review())
    assert (status, body["status"]) == (200, "duplicate")
    status, body = await post(
        harness, review(rating=4, text="Arrived late but support sorted it out kindly.")
    )
    assert (status, body["status"]) == (200, "updated")
    [stored] = await Review.all()
    assert stored.rating == 4 and stored.sentiment_label == "positive"


async def test_routing_by_field_keyword_any_language_and_fallback(harness: Harness) -> None:
    _, by_field = await post(harness, review(id="1", department="finance"))
    _, unknown = await post(
        harness, review(id="2", title=None, text="Tolles Produkt, schnelle Lieferung")
    )
    _, german_keyword = await post(
        harness, review(id="3", title=None, text="Mein Laptop kam kaputt an")
    )
    _, whole_words = await post(
        harness, review(id="4", title=None, text="The laptops' vpnclient is great")
    )
    assert (by_field["department"], by_field["routed_by"]) == ("finance", "field")
    assert (unknown["department"], unknown["routed_by"]) == ("unassigned", "fallback")
    assert (german_keyword["department"], german_keyword["routed_by"]) == ("it", "keyword")
    assert german_keyword["sentiment"]["label"] == "unsupported_language"
    assert whole_words["department"] == "unassigned"  # "laptops'" and "vpnclient" are other words


async def test_rating_and_text_disagreeing_is_flagged(harness: Harness) -> None:
    _, body = await post(
        harness,
        review(id="5", rating=5, title=None, text="Awful. Rude staff, broken laptop, never again."),
    )
    assert body["disagrees"] is True


async def test_a_batch_gives_each_review_its_own_result(harness: Harness) -> None:
    batch = {
        "reviews": [
            review(id="a"),
            review(id="b", rating=9),
            review(id="a"),
            review(id="c", text=None, title=None),
        ]
    }
    status, body = await post(harness, batch)
    assert status == 201
    statuses = [r["status"] for r in body["results"]]
    assert statuses == ["created", "rejected", "duplicate", "rejected"]
    assert "reviews[1].rating" in body["results"][1]["error"]
    assert "reviews[3]: text or title is required" in body["results"][3]["error"]
    assert (body["created"], body["duplicate"], body["rejected"]) == (1, 1, 2)
    assert await Review.all().count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (review(id=""), "id"),
        (review(source="Trust Pilot"), "source"),
        (review(rating=0), "rating"),
        (review(department="nope"), "department: unknown department 'nope'"),
        (review(created_at="yesterday"), "created_at"),
        (review(url="ftp://x"), "url"),
        (review(language="english"), "language"),
        ({"reviews": []}, "reviews: must not be empty"),
        ({"reviews": [review(id=str(i)) for i in range(501)]}, "reviews: at most 500"),
        ([1, 2, 3], "body"),
    ],
)
async def test_invalid_fields_are_400_naming_the_field(
    harness: Harness, body: Any, field: str
) -> None:
    status, answer = await post(harness, body)
    assert status == 400 and field in answer["error"]
    assert await Review.all().count() == 0


async def test_signature_size_and_content_type(harness: Harness) -> None:
    payload = json.dumps(review())
    unsigned = await harness.client.post(
        PATH, data=payload, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status == 401 and "error" in await unsigned.json()
    wrong = webhook_headers(payload, secret="whsec_" + "QUFBQUFBQUFBQUFBQUFBQUFBQUFBQUFB")
    assert (await harness.client.post(PATH, data=payload, headers=wrong)).status == 401
    headers = webhook_headers(payload) | {"Content-Type": "text/plain"}
    assert (await harness.client.post(PATH, data=payload, headers=headers)).status == 415
    big = json.dumps(review(text="x" * (300 * 1024)))
    assert (await harness.client.post(PATH, data=big, headers=webhook_headers(big))).status == 413
    bad = "{not json"
    assert (await harness.client.post(PATH, data=bad, headers=webhook_headers(bad))).status == 400
    assert await Review.all().count() == 0


async def test_negative_reviews_are_alerted_once_readably(harness: Harness) -> None:
    await post(harness, review())
    await post(harness, review())  # a redelivery alerts nothing more
    await post(
        harness,
        review(id="happy", rating=5, title="Great", text="The laptop arrived early, lovely"),
    )
    await harness.services.alerts.step()
    await harness.services.alerts.step()
    [alert] = harness.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params["channel"] == "C0ITTEAM1"
    )
    text = json.dumps(alert.params["blocks"], ensure_ascii=False)
    assert "★★☆☆☆ 2/5 · trustpilot · IT" in text and "Late again" in text
    assert "https://reviews.example/tp-5f1c9a" in text


async def test_a_burst_becomes_one_summary(harness: Harness) -> None:
    batch = {"reviews": [review(id=f"b{i}", title=f"Broken laptop {i}") for i in range(12)]}
    assert (await post(harness, batch))[0] == 201
    await harness.services.alerts.step()
    await harness.services.alerts.step()
    posted = harness.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params["channel"] == "C0ITTEAM1"
    )
    assert len(posted) == 1
    assert "12 negative reviews for IT in a burst" in posted[0].params["text"]
    assert await Review.filter(alert="sent").count() == 12


async def test_a_storm_gets_one_summary_a_minute_and_loses_no_alert(harness: Harness) -> None:
    def summaries() -> list[str]:
        posted = harness.slack.calls_to(
            "chat.postMessage", where=lambda c: c.params["channel"] == "C0ITTEAM1"
        )
        return [str(c.params["text"]) for c in posted]

    first = {"reviews": [review(id=f"s{i}", title=f"Broken laptop {i}") for i in range(12)]}
    assert (await post(harness, first))[0] == 201
    await harness.services.alerts.step()
    more = {"reviews": [review(id=f"t{i}", title=f"Dead laptop {i}") for i in range(7)]}
    assert (await post(harness, more))[0] == 201
    await harness.services.alerts.step()  # within the minute: they wait for the next summary
    assert len(summaries()) == 1
    assert await Review.filter(alert="pending").count() == 7

    clock = harness.services.clock
    assert isinstance(clock, FakeClock)
    clock.advance(seconds=61)
    await harness.services.alerts.step()
    assert len(summaries()) == 2 and "7 negative reviews for IT in a burst" in summaries()[1]
    assert await Review.filter(alert="sent").count() == 19


async def test_an_alert_survives_slack_being_down(harness: Harness) -> None:
    await harness.services.tasks.drain(grace=5)  # the test takes the steps, not the background loop
    harness.slack.fail_http("chat.postMessage", status=500, times=10)
    await post(harness, review())
    await harness.services.alerts.step()
    # Not lost, not marked sent: claimed, since a 5xx leaves unknown whether Slack posted it.
    assert await Review.filter(alert="sending").count() == 1
    harness.slack.reset()
    clock = harness.services.clock
    assert isinstance(clock, FakeClock)
    clock.advance(minutes=6)  # the claim is stale: looked for, not found, posted
    await harness.services.alerts.step()
    assert len(harness.slack.calls_to("chat.postMessage")) == 1
    assert await Review.filter(alert="sent").count() == 1


async def test_an_old_review_is_stored_but_pages_no_one(harness: Harness) -> None:
    status, _ = await post(harness, review(id="old", created_at="2026-10-01T10:00:00Z"))
    assert status == 201
    await harness.services.alerts.step()
    assert harness.slack.calls_to("chat.postMessage") == []
    assert (await Review.get(external_id="old")).alert == "none"
