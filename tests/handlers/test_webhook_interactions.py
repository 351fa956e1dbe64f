"""`POST /webhooks/interactions` through the real app, signed as Standard Webhooks signs it."""

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from aiohttp import ClientResponse
from tortoise import Tortoise

from bot.runtime import db
from bot.services import SERVICES
from bot.slack_standin import SlackStandIn
from models.survey import Poll
from tests.conftest import Harness, make_settings, start_harness
from tests.database import database_url
from tests.support import webhook_headers

PATH = "/webhooks/interactions"
SECRET = "whsec_" + base64.b64encode(b"interactions-test-secret-one").decode()
ROTATED = "whsec_" + base64.b64encode(b"interactions-test-secret-two").decode()
WRONG = "whsec_" + base64.b64encode(b"not-the-configured-secret").decode()


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack, REVIEW_WEBHOOK_SECRET=SECRET), slack)
    yield h
    await h.client.close()


def interaction(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "JIRA-123",
        "department": "it",
        "requester": {"slack_id": "U0EMP0001"},
        "summary": "Laptop replaced",
        "url": "https://jira.acme.test/browse/JIRA-123",
    }
    body.update(fields)
    return body


async def post(h: Harness, body: dict[str, Any] | str, **sign: Any) -> ClientResponse:
    payload = body if isinstance(body, str) else json.dumps(body)
    return await h.client.post(
        PATH, data=payload, headers=webhook_headers(payload, **{"secret": SECRET, **sign})
    )


async def error_of(resp: ClientResponse, status: int) -> str:
    assert resp.status == status, await resp.text()
    answer = await resp.json()
    assert isinstance(answer["error"], str)
    return str(answer["error"])


async def test_created_then_duplicate_stores_one_queued_poll(harness: Harness) -> None:
    resp = await post(harness, interaction())
    assert resp.status == 201
    assert await resp.json() == {
        "status": "created",
        "id": "JIRA-123",
        "department": "it",
        "poll": {"status": "queued", "reason": None},
    }
    [poll] = await Poll.filter(user_id="U0EMP0001").prefetch_related("department")
    assert poll.status == "queued"
    assert poll.trigger == "webhook"
    assert poll.trigger_key == "webhook:JIRA-123"
    assert poll.summary == "Laptop replaced"
    assert poll.url == "https://jira.acme.test/browse/JIRA-123"
    assert poll.department.slug == "it"

    again = await post(harness, interaction(), msg_id="msg_2")  # the sender's retry
    assert again.status == 200
    assert (await again.json())["status"] == "duplicate"
    assert await Poll.filter(trigger_key="webhook:JIRA-123").count() == 1


async def test_requester_found_by_email(harness: Harness) -> None:
    harness.slack.add_user("U0EMP0002", name="sam", email="sam@acme.test")
    resp = await post(harness, interaction(requester={"email": "sam@acme.test"}))
    assert resp.status == 201
    assert await Poll.filter(user_id="U0EMP0002", trigger_key="webhook:JIRA-123").exists()


async def test_unknown_email_is_422_and_stores_nothing(harness: Harness) -> None:
    resp = await post(harness, interaction(requester={"email": "nobody@acme.test"}))
    assert await error_of(resp, 422) == "requester: no Slack user with that email"
    assert await Poll.all().count() == 0


async def test_slack_down_is_503_so_the_sender_retries(harness: Harness) -> None:
    harness.slack.fail_http("users.lookupByEmail", status=503, times=10)
    resp = await post(harness, interaction(requester={"email": "sam@acme.test"}))
    assert await error_of(resp, 503) == "slack unavailable"
    assert await Poll.all().count() == 0


async def test_unknown_department_is_422(harness: Harness) -> None:
    resp = await post(harness, interaction(department="xyz"))
    assert await error_of(resp, 422) == "department: unknown department 'xyz'"
    assert await Poll.all().count() == 0


async def test_member_of_the_department_is_stored_as_skipped(harness: Harness) -> None:
    resp = await post(harness, interaction(requester={"slack_id": "U0IT00001"}))
    assert resp.status == 201
    assert (await resp.json())["poll"] == {"status": "skipped", "reason": "own_department"}
    poll = await Poll.get(trigger_key="webhook:JIRA-123")
    assert (poll.status, poll.reason) == ("skipped", "own_department")


async def test_only_a_new_queued_poll_wakes_the_sender(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    wakes: list[None] = []
    monkeypatch.setattr(harness.app[SERVICES].polls, "wake", lambda: wakes.append(None))
    assert (await post(harness, interaction())).status == 201
    assert (await post(harness, interaction())).status == 200  # duplicate: already queued
    other = interaction(id="JIRA-124", requester={"slack_id": "U0IT00001"})
    assert (await post(harness, other)).status == 201  # skipped: nothing to send
    assert len(wakes) == 1


async def test_malformed_json_is_400(harness: Harness) -> None:
    error = await error_of(await post(harness, '{"id": "JIRA-1",'), 400)
    assert error.startswith("body: invalid JSON")
    assert await error_of(await post(harness, "[1, 2]"), 400) == "body: input should be an object"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"id": None}, "id: input should be a valid string"),
        ({"id": ""}, "id: string should have at least 1 character"),
        ({"id": "x" * 201}, "id: string should have at most 200 characters"),
        ({"department": "IT support"}, "department: not a department slug (a-z, 0-9 and -)"),
        ({"department": 7}, "department: input should be a valid string"),
        ({"requester": {}}, "requester: give exactly one of slack_id or email"),
        (
            {"requester": {"slack_id": "U0EMP0001", "email": "a@b.c"}},
            "requester: give exactly one of slack_id or email",
        ),
        ({"requester": {"slack_id": "bob"}}, "requester.slack_id: not a Slack user id (U… or W…)"),
        ({"requester": {"email": "a-at-b"}}, "requester.email: value is not a valid email address"),
        ({"summary": "x" * 501}, "summary: string should have at most 500 characters"),
        ({"url": "ftp://files.acme.test/x"}, "url: URL scheme should be 'http' or 'https'"),
    ],
)
async def test_invalid_field_is_400_naming_it(
    harness: Harness, change: dict[str, Any], expected: str
) -> None:
    resp = await post(harness, interaction(**change))
    assert await error_of(resp, 400) == expected
    assert await Poll.all().count() == 0


async def test_missing_field_is_400_naming_it(harness: Harness) -> None:
    body = interaction()
    del body["department"]
    assert await error_of(await post(harness, body), 400) == "department: field required"


async def test_optional_fields_may_be_left_out(harness: Harness) -> None:
    body = interaction()
    del body["summary"], body["url"]
    assert (await post(harness, body)).status == 201
    poll = await Poll.get(trigger_key="webhook:JIRA-123")
    assert (poll.summary, poll.url) == ("", None)


async def test_wrong_secret_is_401_and_stores_nothing(harness: Harness) -> None:
    error = await error_of(await post(harness, interaction(), secret=WRONG), 401)
    assert error.startswith("invalid signature")
    assert await Poll.all().count() == 0


async def test_missing_headers_are_401(harness: Harness) -> None:
    payload = json.dumps(interaction())
    resp = await harness.client.post(
        PATH, data=payload, headers={"Content-Type": "application/json"}
    )
    await error_of(resp, 401)
    headers = webhook_headers(payload, secret=SECRET)
    headers["webhook-signature"] = "garbage"
    await error_of(await harness.client.post(PATH, data=payload, headers=headers), 401)


async def test_stale_or_future_timestamp_is_401(harness: Harness) -> None:
    for minutes in (-10, 10):
        at = datetime.now(UTC) + timedelta(minutes=minutes)
        await error_of(await post(harness, interaction(), at=at), 401)
    assert await Poll.all().count() == 0


async def test_tampered_body_is_401(harness: Harness) -> None:
    headers = webhook_headers(json.dumps(interaction()), secret=SECRET)
    tampered = json.dumps(interaction(department="finance"))
    await error_of(await harness.client.post(PATH, data=tampered, headers=headers), 401)


async def test_every_rotated_secret_is_accepted(tmp_path: Path, slack: SlackStandIn) -> None:
    settings = make_settings(tmp_path, slack, REVIEW_WEBHOOK_SECRET=f"{ROTATED} {SECRET}")
    h = await start_harness(settings, slack)
    try:
        assert (await post(h, interaction(id="A-1"), secret=SECRET)).status == 201
        assert (await post(h, interaction(id="A-2"), secret=ROTATED)).status == 201
        await error_of(await post(h, interaction(id="A-3"), secret=WRONG), 401)
    finally:
        await h.client.close()


async def test_body_over_256_kib_is_413(harness: Harness) -> None:
    payload = json.dumps(interaction(padding="x" * (256 * 1024)))
    resp = await harness.client.post(
        PATH, data=payload, headers=webhook_headers(payload, secret=SECRET)
    )
    assert await error_of(resp, 413) == "body over 256 KiB"


async def in_pieces(payload: str) -> AsyncIterator[bytes]:
    """Chunked, with a pause: the server sees no Content-Length and a body still arriving."""
    raw = payload.encode()
    yield raw[:1024]
    await asyncio.sleep(0.05)
    yield raw[1024:]


async def test_large_body_arriving_in_pieces_is_read_whole(harness: Harness) -> None:
    payload = json.dumps(interaction(padding="x" * (200 * 1024)))
    headers = webhook_headers(payload, secret=SECRET)
    resp = await harness.client.post(PATH, data=in_pieces(payload), headers=headers)
    assert resp.status == 201, await resp.text()


async def test_chunked_body_over_256_kib_is_413(harness: Harness) -> None:
    payload = json.dumps(interaction(padding="x" * (300 * 1024)))
    headers = webhook_headers(payload, secret=SECRET)
    resp = await harness.client.post(PATH, data=in_pieces(payload), headers=headers)
    assert await error_of(resp, 413) == "body over 256 KiB"


async def test_charset_utf8_is_json_but_text_plain_is_415(harness: Harness) -> None:
    payload = json.dumps(interaction())
    headers = webhook_headers(payload, secret=SECRET)
    headers["Content-Type"] = "text/plain"
    resp = await harness.client.post(PATH, data=payload, headers=headers)
    assert await error_of(resp, 415) == "Content-Type must be application/json"
    headers["Content-Type"] = "application/json; charset=utf-8"
    assert (await harness.client.post(PATH, data=payload, headers=headers)).status == 201


async def test_no_secret_configured_is_503(tmp_path: Path, slack: SlackStandIn) -> None:
    h = await start_harness(make_settings(tmp_path, slack), slack)
    try:
        resp = await post(h, interaction())
        assert await error_of(resp, 503) == (
            "webhooks are not configured: set REVIEW_WEBHOOK_SECRET"
        )
    finally:
        await h.client.close()


async def test_database_gone_is_503_and_nothing_is_stored(harness: Harness, tmp_path: Path) -> None:
    await Tortoise.close_connections()
    resp = await post(harness, interaction())
    assert await error_of(resp, 503) == "database unavailable"
    await db.open_database(database_url(tmp_path))
    assert await Poll.all().count() == 0
