"""POST /webhooks/reviews/{source} through the real app: each platform's body as its
documentation shows it, signed by the platform's own scheme (computed here with hmac, apart
from the app's code), and the wrong signature, an old timestamp and an event that is not a
review. A deleted review leaves the digest, its quotes and the export."""

import base64
import hashlib
import hmac
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.digest.compute import compute_week
from bot.privacy.export import export_rows
from bot.reviews.sources.push import ZENDESK, ZENDESK_BODY
from bot.reviews.sources.signatures import HmacHeader, SignatureError
from bot.reviews.store import ReviewIn
from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models.review import DeletedReview, Review
from tests.conftest import QUALITY_YML, Harness, make_settings, start_harness
from tests.handlers.contract import Contract
from tests.handlers.test_webhook_fuzz import LiveApp, fuzz
from tests.support import FakeClock

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
CONTRACT = Contract()
SECRETS = {
    "ZENDESK_SECRET": "zd-signing-secret-1",
    "TYPEFORM_SECRET": "tf-secret",
    "HELPSCOUT_SECRET": "hs-secret",
    "INTERCOM_SECRET": "ic-client-secret",
    "TRUSTPILOT_SECRET": "tp-0123456789abcdef0123456789abcdef",
    "TRUSTPILOT_SIGNED_SECRET": "tp-hmac-secret",
}
SOURCES = """\
privacy:
  min_group_size: 3
review_sources:
  - preset: zendesk
    name: support-desk
    secret_env: ZENDESK_SECRET
    department: finance
  - preset: typeform
    name: typeform
    secret_env: TYPEFORM_SECRET
    fields: {rating: readable_ref_rating, author: readable_ref_short_text}
  - preset: helpscout
    name: helpscout
    secret_env: HELPSCOUT_SECRET
  - preset: intercom
    name: intercom
    secret_env: INTERCOM_SECRET
    department: it
  - preset: trustpilot
    name: trustpilot
    secret_env: TRUSTPILOT_SECRET
  - preset: trustpilot
    name: trustpilot-signed
    secret_env: TRUSTPILOT_SIGNED_SECRET
    signature: hex
"""


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Harness]:
    settings = make_settings(tmp_path, slack, quality_yml=QUALITY_YML + SOURCES, **SECRETS)
    h = await start_harness(settings, slack, clock=FakeClock(NOW))
    yield h
    await h.client.close()


def _hmac(secret: str, message: bytes, digest: str) -> bytes:
    return hmac.new(secret.encode(), message, digest).digest()


async def post(
    h: Harness, path: str, body: Any, headers: dict[str, str]
) -> tuple[int, dict[str, Any]]:
    """Every answer is also checked against the OpenAPI document's for its status."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    resp = await h.client.post(
        path, data=raw, headers={"Content-Type": "application/json", **headers}
    )
    answer = await resp.json()
    documented = "/webhooks/reviews/{source}" + ("/{secret}" if path.count("/") == 4 else "")
    assert CONTRACT.problems(documented, resp.status, answer) == []
    return resp.status, answer


# --- Zendesk: base64(HMAC-SHA256(timestamp + body)), the timestamp in ISO 8601.


def zendesk_headers(
    raw: bytes, *, at: datetime | None = None, secret: str = SECRETS["ZENDESK_SECRET"]
) -> dict[str, str]:
    """Signed now, by the real clock, as Zendesk signs: the app's clock may be elsewhere."""
    stamp = (at or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%SZ")
    signature = base64.b64encode(_hmac(secret, stamp.encode() + raw, "sha256")).decode()
    return {
        "X-Zendesk-Webhook-Signature": signature,
        "X-Zendesk-Webhook-Signature-Timestamp": stamp,
        "X-Zendesk-Webhook-Id": "01F1KRFQ6BG29CNWFR60NK5FNY",
        "X-Zendesk-Webhook-Invocation-Id": "8350205582",
        "X-Zendesk-Account-Id": "123456",
    }


def zendesk_body(rating: str = "Bad", comment: str = "Waited three days for a refund") -> bytes:
    # The trigger's JSON body as docs/webhooks.md gives it, once Zendesk filled it in.
    return json.dumps(
        {
            "ticket_id": "4711",
            "rating": rating,
            "comment": comment,
            "requester": "Jane Doe",
            "rated_at": "2026-11-20T10:00:00Z",
            "url": "https://acme.zendesk.com/agent/tickets/4711",
        }
    ).encode()


async def test_zendesk_csat_is_stored_once_and_updated_when_re_rated(harness: Harness) -> None:
    raw = zendesk_body()
    status, body = await post(harness, "/webhooks/reviews/zendesk", raw, zendesk_headers(raw))
    assert status == 201, body
    assert body["status"] == "created" and body["source"] == "support-desk"
    # Nothing in it names a department: it goes where its source sends it.
    assert (body["department"], body["routed_by"]) == ("finance", "source")
    stored = await Review.get(source="support-desk", external_id="4711")
    assert (stored.rating, stored.rating_original) == (1.0, "Bad")
    assert stored.author == "Jane Doe" and stored.week == "2026-W47"

    # Zendesk retries: the same delivery is a duplicate. By its name, the same source.
    again = await post(harness, "/webhooks/reviews/support-desk", raw, zendesk_headers(raw))
    assert again == (200, {**body, "status": "duplicate"})

    # The customer changes the rating: the same ticket, updated.
    raw = zendesk_body("Good", "Sorted out in the end")
    status, body = await post(harness, "/webhooks/reviews/zendesk", raw, zendesk_headers(raw))
    assert (status, body["status"]) == (200, "updated")
    assert (await Review.get(source="support-desk", external_id="4711")).rating == 5.0
    assert await Review.filter(source="support-desk").count() == 1


async def test_zendesk_refuses_a_wrong_signature_and_an_old_timestamp(harness: Harness) -> None:
    raw = zendesk_body()
    forged = zendesk_headers(raw, secret="not-the-secret")
    status, body = await post(harness, "/webhooks/reviews/zendesk", raw, forged)
    assert status == 401 and "X-Zendesk-Webhook-Signature" in body["error"]

    replayed = zendesk_headers(raw, at=datetime.now(UTC) - timedelta(minutes=6))
    status, body = await post(harness, "/webhooks/reviews/zendesk", raw, replayed)
    assert status == 401 and "window" in body["error"]

    # Signed, but the body was changed on the way.
    tampered = zendesk_body(rating="Good")
    status, _ = await post(harness, "/webhooks/reviews/zendesk", tampered, zendesk_headers(raw))
    assert status == 401
    assert not await Review.exists(source="support-desk")


async def test_zendesk_events_that_hold_no_rating_are_acknowledged_and_ignored(
    harness: Harness,
) -> None:
    # A survey sent but not answered yet; then one of Zendesk's own event webhooks.
    offered = zendesk_body(rating="Offered", comment="")
    status, body = await post(
        harness, "/webhooks/reviews/zendesk", offered, zendesk_headers(offered)
    )
    assert (status, body["status"]) == (200, "ignored")
    event = json.dumps({"type": "zen:event-type:ticket.created", "detail": {"id": "4711"}}).encode()
    status, body = await post(harness, "/webhooks/reviews/zendesk", event, zendesk_headers(event))
    assert (status, body) == (
        200,
        {
            "status": "ignored",
            "reason": "event 'zen:event-type:ticket.created' is not a satisfaction rating",
        },
    )
    assert not await Review.exists(source="support-desk")


@pytest.mark.same_on_either_database
def test_zendesk_signature_matches_its_documented_example() -> None:
    # The worked example of Zendesk's "Verifying webhook authenticity" page (its older
    # version, which signs the time after the body); the current page puts it first.
    scheme = HmacHeader(
        "X-Zendesk-Webhook-Signature",
        "sha256",
        "base64",
        timestamp_header="X-Zendesk-Webhook-Signature-Timestamp",
        either_order=True,
    )
    headers = {
        "X-Zendesk-Webhook-Signature": "tRDSF7URY8BLCDlaBcQ7FHu051Zk+aAB0NKMP53teMw=",
        "X-Zendesk-Webhook-Signature-Timestamp": "2021-07-25T10:00:00Z",
    }
    at = datetime(2021, 7, 25, 10, 1, tzinfo=UTC)
    scheme.verify(
        ["HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="], headers, b'{"say": "hello"}', at
    )
    with pytest.raises(SignatureError):
        scheme.verify(
            ["HRkRd4BeOAoUkfZr-mhauJT64rvBASlJRoIyPsd3zeA="], headers, b'{"say": "hi"}', at
        )


# --- Typeform: "sha256=" + base64(HMAC-SHA256(body)); the documented example payload.


def typeform_headers(raw: bytes, secret: str = SECRETS["TYPEFORM_SECRET"]) -> dict[str, str]:
    signature = base64.b64encode(_hmac(secret, raw, "sha256")).decode()
    return {"Typeform-Signature": f"sha256={signature}", "User-Agent": "Typeform Webhooks"}


def typeform_body(*, event_type: str = "form_response") -> bytes:
    # Typeform's example payload (developer docs, "Example payload"), cut to its questions
    # of interest: answers name their question by id only; the definition has the refs.
    return json.dumps(
        {
            "event_id": "LtWXD3crgy",
            "event_type": event_type,
            "form_response": {
                "form_id": "lT4Z3j",
                "token": "a3a12ec67a1365927098a606107fac15",
                "submitted_at": "2026-11-20T18:17:02Z",
                "landed_at": "2026-11-20T18:07:02Z",
                "hidden": {"user_id": "abc123456"},
                "definition": {
                    "id": "lT4Z3j",
                    "title": "Webhooks example",
                    "fields": [
                        {"id": "DlXFaesGBpoF", "title": "Tell us more", "type": "long_text",
                         "ref": "readable_ref_long_text", "allow_multiple_selections": False,
                         "allow_other_choice": False},
                        {"id": "JwWggjAKtOkA", "title": "What is your first name?",
                         "type": "short_text", "ref": "readable_ref_short_text",
                         "allow_multiple_selections": False, "allow_other_choice": False},
                        {"id": "NRsxU591jIW9", "title": "How important is it?",
                         "type": "opinion_scale", "ref": "readable_ref_opinion_scale",
                         "allow_multiple_selections": False, "allow_other_choice": False},
                        {"id": "WOTdC00F8A3h", "title": "How would you rate us?",
                         "type": "rating", "ref": "readable_ref_rating",
                         "allow_multiple_selections": False, "allow_other_choice": False},
                    ],
                },
                "answers": [
                    {"type": "text", "field": {"id": "DlXFaesGBpoF", "type": "long_text"},
                     "text": "The VPN drops every hour and support never calls back."},
                    {"type": "text", "text": "Laura",
                     "field": {"id": "JwWggjAKtOkA", "type": "short_text"}},
                    {"type": "number", "number": 5,
                     "field": {"id": "NRsxU591jIW9", "type": "opinion_scale"}},
                    {"type": "number", "number": 2,
                     "field": {"id": "WOTdC00F8A3h", "type": "rating"}},
                ],
            },
        }
    ).encode()  # fmt: skip


async def test_typeform_response_is_read_by_the_question_refs_configured(harness: Harness) -> None:
    raw = typeform_body()
    status, body = await post(harness, "/webhooks/reviews/typeform", raw, typeform_headers(raw))
    assert status == 201, body
    # Keyword "vpn" routes it to IT; nothing configured a department for this source.
    assert (body["department"], body["routed_by"]) == ("it", "keyword")
    stored = await Review.get(source="typeform", external_id="a3a12ec67a1365927098a606107fac15")
    # The rating question named in `fields`, not the opinion scale that comes first.
    assert stored.rating == 2 and stored.rating_original is None
    assert stored.author == "Laura"
    assert stored.text == "The VPN drops every hour and support never calls back."
    assert stored.created_at == datetime(2026, 11, 20, 18, 17, 2, tzinfo=UTC)


async def test_typeform_refuses_a_wrong_signature_and_ignores_a_partial_response(
    harness: Harness,
) -> None:
    raw = typeform_body()
    status, body = await post(
        harness, "/webhooks/reviews/typeform", raw, typeform_headers(raw, "wrong")
    )
    assert status == 401
    unsigned = {"User-Agent": "Typeform Webhooks"}
    status, body = await post(harness, "/webhooks/reviews/typeform", raw, unsigned)
    assert (status, body["error"]) == (401, "invalid signature: missing Typeform-Signature header")
    partial = typeform_body(event_type="form_response_partial")
    status, body = await post(
        harness, "/webhooks/reviews/typeform", partial, typeform_headers(partial)
    )
    assert (status, body["status"]) == (200, "ignored")
    assert not await Review.exists(source="typeform")


# --- Help Scout: base64(HMAC-SHA1(body)), the event in X-HelpScout-Event.


def helpscout_headers(
    raw: bytes, event: str = "satisfaction.ratings", secret: str = SECRETS["HELPSCOUT_SECRET"]
) -> dict[str, str]:
    signature = base64.b64encode(_hmac(secret, raw, "sha1")).decode()
    return {"X-HelpScout-Signature": signature, "X-HelpScout-Event": event}


HELPSCOUT_RATING = {
    # The Rating object of Help Scout's webhook documentation, as it shows it.
    "id": 5434,
    "customer": {
        "id": 449379,
        "firstName": "John",
        "lastName": "Doe",
        "emails": [{"id": 1220012, "value": "john.doe@gmail.com", "location": "work"}],
    },
    "ticketId": 1560011,
    "threadId": 3002084,
    "mailbox": {"id": 1234, "name": "My Mailbox"},
    "rating": "Great",
    "comments": "he was really helpful",
    "createdAt": "2026-11-20T12:34:12Z",
    "modifiedAt": "2026-11-20T20:18:33Z",
}


async def test_helpscout_rating_in_words_is_kept_beside_its_stars(harness: Harness) -> None:
    raw = json.dumps(HELPSCOUT_RATING).encode()
    status, body = await post(harness, "/webhooks/reviews/helpscout", raw, helpscout_headers(raw))
    assert status == 201, body
    assert (body["department"], body["routed_by"]) == ("unassigned", "fallback")
    stored = await Review.get(source="helpscout", external_id="5434")
    assert (stored.rating, stored.rating_original, stored.author) == (5.0, "Great", "John Doe")

    # The API's lowercase words are the same ratings.
    raw = json.dumps({**HELPSCOUT_RATING, "id": 5435, "rating": "not_good"}).encode()
    status, body = await post(harness, "/webhooks/reviews/helpscout", raw, helpscout_headers(raw))
    assert status == 201
    assert (await Review.get(source="helpscout", external_id="5435")).rating == 1.0


async def test_helpscout_wrong_signature_unknown_event_and_unknown_rating(harness: Harness) -> None:
    raw = json.dumps(HELPSCOUT_RATING).encode()
    status, _ = await post(
        harness, "/webhooks/reviews/helpscout", raw, helpscout_headers(raw, secret="x")
    )
    assert status == 401
    status, body = await post(
        harness, "/webhooks/reviews/helpscout", raw, helpscout_headers(raw, "convo.created")
    )
    assert (status, body["status"]) == (200, "ignored")
    odd = json.dumps({**HELPSCOUT_RATING, "rating": "Meh"}).encode()
    status, body = await post(harness, "/webhooks/reviews/helpscout", odd, helpscout_headers(odd))
    assert status == 400 and body["error"].startswith("rating: 'Meh' is not")
    assert not await Review.exists(source="helpscout")


# --- Intercom: "sha1=" + hex(HMAC-SHA1(body)) with the app's client secret.


def intercom_headers(raw: bytes, secret: str = SECRETS["INTERCOM_SECRET"]) -> dict[str, str]:
    return {
        "X-Hub-Signature": "sha1=" + _hmac(secret, raw, "sha1").hex(),
        "User-Agent": "intercom-parrot-service-client/1.0",
    }


def intercom_body(topic: str = "conversation.rating.added") -> bytes:
    # The notification envelope of Intercom's "Signed notifications", holding a conversation
    # with the conversation_rating of its Conversation model.
    return json.dumps(
        {
            "type": "notification_event",
            "app_id": "a86dr8yl",
            "data": {
                "type": "notification_event_data",
                "item": {
                    "type": "conversation",
                    "id": "1911149811",
                    "created_at": 1763640000,
                    "updated_at": 1763643600,
                    "conversation_rating": {
                        "rating": 4,
                        "remark": "Quick and helpful",
                        "created_at": 1763643600,
                        "contact": {"type": "contact", "id": "5bc8f7ae2d96695c18a"},
                        "teammate": {"type": "admin", "id": "814860"},
                    },
                },
            },
            "id": "notif_78c122d0-23ba-11e4-9464-79b01267cc2e",
            "topic": topic,
            "delivery_status": "pending",
            "delivery_attempts": 1,
            "delivered_at": 0,
            "first_sent_at": 1763643601,
            "created_at": 1763643601,
            "self": None,
        }
    ).encode()


async def test_intercom_conversation_rating(harness: Harness) -> None:
    raw = intercom_body()
    status, body = await post(harness, "/webhooks/reviews/intercom", raw, intercom_headers(raw))
    assert status == 201, body
    assert (body["department"], body["routed_by"]) == ("it", "source")
    stored = await Review.get(source="intercom", external_id="1911149811")
    assert (stored.rating, stored.text) == (4.0, "Quick and helpful")
    assert stored.created_at == datetime.fromtimestamp(1763643600, UTC)


async def test_intercom_wrong_signature_and_other_topics(harness: Harness) -> None:
    raw = intercom_body()
    status, _ = await post(harness, "/webhooks/reviews/intercom", raw, intercom_headers(raw, "x"))
    assert status == 401
    # Intercom pings a new subscription; its other topics are not ratings.
    for topic in ("ping", "conversation.user.replied"):
        other = intercom_body(topic)
        status, body = await post(
            harness, "/webhooks/reviews/intercom", other, intercom_headers(other)
        )
        assert (status, body["status"]) == (200, "ignored")
    assert not await Review.exists(source="intercom")


# --- Trustpilot: {"events": [...]}, proved by the secret at the end of its URL.

TRUSTPILOT_PATH = f"/webhooks/reviews/trustpilot/{SECRETS['TRUSTPILOT_SECRET']}"


def trustpilot_review(review_id: str, stars: int, text: str, **more: Any) -> dict[str, Any]:
    # eventData as Trustpilot's webhook set-up guide shows it.
    return {
        "id": review_id,
        "language": "en",
        "title": "Late again",
        "text": text,
        "referenceId": "ABC-123-xyz",
        "stars": stars,
        "createdAt": "2026-11-20T09:34:44.000Z",
        "isVerified": True,
        "locationId": "43f51215-a1fc-4c60-b6dd-e4afb6d7b831",
        "link": f"https://api.trustpilot.com/v1/reviews/{review_id}",
        "consumer": {"id": "53bffc3900006400017e5db8", "name": "Customer",
                     "link": "https://api.trustpilot.com/v1/consumers/53bffc39"},
        "tags": [{"group": "Generic", "value": "Tag value"}],
        **more,
    }  # fmt: skip


def trustpilot(*events: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    return {"events": [{"eventName": n, "version": "1", "eventData": d} for n, d in events]}


async def test_trustpilot_created_updated_and_deleted(harness: Harness) -> None:
    review = trustpilot_review("53bffd36", 1, "My laptop arrived broken.")
    status, body = await post(
        harness, TRUSTPILOT_PATH, trustpilot(("service-review-created", review)), {}
    )
    assert status == 201, body
    assert (body["created"], body["results"][0]["department"]) == (1, "it")

    edited = {**review, "stars": 2, "text": "My laptop arrived broken; they replaced it."}
    status, body = await post(
        harness, TRUSTPILOT_PATH, trustpilot(("service-review-updated", edited)), {}
    )
    assert (status, body["updated"]) == (200, 1)
    assert (await Review.get(source="trustpilot", external_id="53bffd36")).rating == 2

    status, body = await post(
        harness, TRUSTPILOT_PATH, trustpilot(("service-review-deleted", {"id": "53bffd36"})), {}
    )
    assert (status, body["results"], body["deleted"]) == (
        200,
        [{"status": "deleted", "id": "53bffd36", "source": "trustpilot"}],
        1,
    )
    assert not await Review.exists(source="trustpilot", external_id="53bffd36")
    # A late redelivery of the creation does not bring it back.
    status, body = await post(
        harness, TRUSTPILOT_PATH, trustpilot(("service-review-created", review)), {}
    )
    assert (status, body["results"][0]["status"]) == (200, "deleted")
    assert not await Review.exists(source="trustpilot", external_id="53bffd36")
    assert await DeletedReview.filter(source="trustpilot").count() == 1


async def test_trustpilot_events_of_one_delivery_are_taken_in_order(harness: Harness) -> None:
    first = trustpilot_review("a1", 5, "Quick delivery.")
    second = trustpilot_review("a2", 4, "Friendly driver.")
    body_sent = trustpilot(
        ("service-review-created", first),
        ("product-review-created", {"id": "p1"}),
        ("service-review-created", second),
        ("service-review-deleted", {"id": "a1"}),
        ("service-review-deleted", {}),
    )
    status, body = await post(harness, TRUSTPILOT_PATH, body_sent, {})
    assert status == 201
    assert [r["status"] for r in body["results"]] == [
        "created",
        "ignored",
        "created",
        "deleted",
        "rejected",
    ]
    assert body["results"][4]["error"] == "events[4].id: the deleted review's id is missing"
    assert {r.external_id async for r in Review.filter(source="trustpilot")} == {"a2"}


async def test_trustpilot_refuses_a_wrong_or_missing_secret(harness: Harness) -> None:
    sent = trustpilot(("service-review-created", trustpilot_review("b1", 1, "Awful.")))
    status, body = await post(harness, "/webhooks/reviews/trustpilot/guessed", sent, {})
    assert (status, body["error"]) == (
        401,
        "invalid signature: the secret in the URL does not match",
    )
    status, _ = await post(harness, "/webhooks/reviews/trustpilot", sent, {})
    assert status == 401
    assert not await Review.exists(source="trustpilot")


async def test_trustpilot_with_an_hmac_header(harness: Harness) -> None:
    raw = json.dumps(
        trustpilot(("service-review-created", trustpilot_review("c1", 3, "Fine.")))
    ).encode()
    signature = _hmac(SECRETS["TRUSTPILOT_SIGNED_SECRET"], raw, "sha256").hex()
    status, _ = await post(
        harness, "/webhooks/reviews/trustpilot-signed", raw, {"X-Trustpilot-Signature": "0" * 64}
    )
    assert status == 401
    status, body = await post(
        harness, "/webhooks/reviews/trustpilot-signed", raw, {"X-Trustpilot-Signature": signature}
    )
    assert (status, body["created"]) == (201, 1)


# --- What every source shares.


async def test_an_unknown_source_is_404_and_a_body_is_checked_before_it_is_read(
    harness: Harness,
) -> None:
    status, body = await post(harness, "/webhooks/reviews/yelp", {}, {})
    assert (status, body["error"]) == (
        404,
        "no push review source is named 'yelp' in review_sources",
    )
    raw = zendesk_body()
    resp = await harness.client.post(
        "/webhooks/reviews/zendesk",
        data=raw,
        headers={**zendesk_headers(raw), "Content-Type": "text/plain"},
    )
    assert resp.status == 415
    broken = (
        b'{"ticket_id": "1", "comment": "he said "hi""}'  # a placeholder Zendesk did not escape
    )
    status, body = await post(harness, "/webhooks/reviews/zendesk", broken, zendesk_headers(broken))
    assert (status, body["error"]) == (400, "body: not valid JSON")


async def test_a_deleted_review_leaves_every_figure_quote_and_export(harness: Harness) -> None:
    texts = {
        "d1": "The laptop repair was quick and friendly.",
        "d2": "Great laptop support, thank you.",
        "d3": "The laptop swap was painless.",
        "d4": "Wonderful laptop service, the best ever.",
    }
    events = [("service-review-created", trustpilot_review(i, 5, t)) for i, t in texts.items()]
    status, _ = await post(harness, TRUSTPILOT_PATH, trustpilot(*events), {})
    assert status == 201
    quality = harness.services.quality.current
    week = Week.of(NOW - timedelta(days=1), quality.tz)

    async def seen() -> tuple[int | None, set[str], set[str]]:
        it = (await compute_week(quality, week)).department("it")
        assert it is not None
        quoted = {q.text for q in (*it.praise, *it.concerns)}
        export = await export_rows(quality, ["it"], 1, NOW + timedelta(days=7))
        exported = {r.text for r in export.rows if r.text}
        return it.external.reviews, quoted, exported

    reviews, quoted, exported = await seen()
    assert reviews == 4 and texts["d4"] in str(quoted) + str(exported)

    status, _ = await post(
        harness, TRUSTPILOT_PATH, trustpilot(("service-review-deleted", {"id": "d4"})), {}
    )
    assert status == 200
    reviews, quoted, exported = await seen()
    assert reviews == 3
    assert not any("Wonderful" in text for text in quoted | exported)


# --- Any body, signed: never a 500, always an answer the document gives.

LEAVES = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text()
ANY_JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
)


def shaped_like(template: Any) -> st.SearchStrategy[Any]:
    """The documented body with any of its values swapped for another (of any type)."""
    if isinstance(template, dict):
        return st.fixed_dictionaries({k: shaped_like(v) for k, v in template.items()})
    if isinstance(template, list):
        return st.lists(shaped_like(template[0]), max_size=3) if template else st.just([])
    return st.just(template) | LEAVES | ANY_JSON


TEMPLATES = {
    "zendesk": json.loads(zendesk_body()),
    "typeform": json.loads(typeform_body()),
    "helpscout": HELPSCOUT_RATING,
    "intercom": json.loads(intercom_body()),
    "trustpilot": trustpilot(("service-review-created", trustpilot_review("f1", 4, "Fine."))),
}


def signed(preset: str, raw: bytes) -> tuple[str, dict[str, str]]:
    if preset == "zendesk":
        return "/webhooks/reviews/zendesk", zendesk_headers(raw)
    if preset == "typeform":
        return "/webhooks/reviews/typeform", typeform_headers(raw)
    if preset == "helpscout":
        return "/webhooks/reviews/helpscout", helpscout_headers(raw)
    if preset == "intercom":
        return "/webhooks/reviews/intercom", intercom_headers(raw)
    return TRUSTPILOT_PATH, {}


@pytest.mark.same_on_either_database  # what it tries is parsing: one database is enough
def test_any_signed_body_gets_a_documented_answer_and_never_a_500(tmp_path: Path) -> None:
    with LiveApp(tmp_path, quality_yml=QUALITY_YML + SOURCES, **SECRETS) as app:

        @fuzz(max_examples=200)
        @given(preset=st.sampled_from(sorted(TEMPLATES)), data=st.data())
        def check(preset: str, data: st.DataObject) -> None:
            body = data.draw(shaped_like(TEMPLATES[preset]) | ANY_JSON, label="body")
            raw = json.dumps(body).encode()
            path, headers = signed(preset, raw)
            attempt = app.session.post(
                app.harness.client.make_url(path),
                data=raw,
                headers={"Content-Type": "application/json", **headers},
            )

            async def send() -> tuple[int, Any]:
                async with attempt as resp:
                    return resp.status, await resp.json()

            status, answer = app.runner.run(send())
            app.answered[status] += 1
            documented = "/webhooks/reviews/{source}" + (
                "/{secret}" if preset == "trustpilot" else ""
            )
            assert status < 500, (status, answer)
            assert CONTRACT.problems(documented, status, answer) == [], (status, answer)

        check()
        # The documented shapes got through, not only refusals.
        assert app.answered[201] >= 5 and app.answered[400] >= 5, app.answered


async def test_the_alert_that_quoted_a_deleted_review_is_deleted_in_slack(
    harness: Harness,
) -> None:
    review = trustpilot_review("e1", 1, "My laptop arrived broken and nobody answers.")
    created = trustpilot(("service-review-created", {**review, "createdAt": NOW.isoformat()}))
    status, _ = await post(harness, TRUSTPILOT_PATH, created, {})
    assert status == 201
    [alert] = await harness.slack.wait_for(
        "chat.postMessage", where=lambda c: c.params["channel"] == "C0ITTEAM1"
    )
    assert "nobody answers" in json.dumps(alert.params)

    gone = trustpilot(("service-review-deleted", {"id": "e1"}))
    assert (await post(harness, TRUSTPILOT_PATH, gone, {}))[0] == 200
    [deleted] = await harness.slack.wait_for("chat.delete")
    assert deleted.params["channel"] == "C0ITTEAM1"
    assert not harness.slack.messages["C0ITTEAM1"]


async def test_fields_a_platform_left_empty_or_unlinked_do_not_refuse_the_review(
    harness: Harness,
) -> None:
    # A trigger's placeholders Zendesk rendered empty, and a link without its scheme.
    body = {**json.loads(zendesk_body()), "rated_at": "", "url": "acme.zendesk.com/tickets/4711"}
    raw = json.dumps(body).encode()
    status, answer = await post(harness, "/webhooks/reviews/zendesk", raw, zendesk_headers(raw))
    assert status == 201, answer
    stored = await Review.get(source="support-desk", external_id="4711")
    assert stored.created_at == NOW and stored.url is None


async def test_a_source_department_that_is_not_active_is_said_at_start(
    tmp_path: Path, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    source = "review_sources:\n  - {preset: helpscout, name: hs, secret_env: HS, department: ops}\n"
    settings = make_settings(tmp_path, slack, quality_yml=QUALITY_YML + source, HS="x")
    with caplog.at_level(logging.WARNING):
        h = await start_harness(settings, slack, clock=FakeClock(NOW))
    await h.client.close()
    assert "review source hs: no active department 'ops'" in caplog.text


@pytest.mark.same_on_either_database
def test_a_review_stored_before_sources_existed_is_still_a_duplicate_when_redelivered() -> None:
    """The content hash of a review with none of the sources' fields is what it always was."""
    review = ReviewIn(
        id="tp-1", source="trustpilot", text="Late.", rating=2.0,
        created_at=datetime(2026, 11, 20, 10, tzinfo=UTC),
    )  # fmt: skip
    before = {
        "id": "tp-1", "source": "trustpilot", "text": "Late.", "title": None, "rating": 2.0,
        "author": None, "department": None, "language": None,
        "created_at": "2026-11-20T10:00:00+00:00", "url": None,
    }  # fmt: skip
    digest = hashlib.sha256(json.dumps(before, sort_keys=True).encode()).hexdigest()
    assert review.content_hash() == digest
    assert replace(review, default_department="it").content_hash() == digest
    assert replace(review, rating_original="Bad").content_hash() != digest


@pytest.mark.same_on_either_database
def test_the_zendesk_trigger_body_in_the_docs_is_the_one_the_preset_reads() -> None:
    docs = (Path(__file__).parents[2] / "docs" / "webhooks.md").read_text()
    zendesk = docs[docs.index("### Zendesk") :]
    block = zendesk[
        zendesk.index("```json") + len("```json") : zendesk.index(
            "```", zendesk.index("```json") + 7
        )
    ]
    assert json.loads(block) == ZENDESK_BODY
    assert set(ZENDESK.paths.values()) <= set(ZENDESK_BODY)
    assert set(json.loads(zendesk_body())) == set(ZENDESK_BODY)  # the tests send it filled in
