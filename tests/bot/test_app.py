"""The HTTP surface: signatures, body limits, health and metrics, through the real app."""

import time

from tortoise import Tortoise

from tests.conftest import Harness
from tests.support import command_body, slack_headers


async def test_wrong_signature_is_401_and_runs_nothing(harness: Harness) -> None:
    body = command_body(
        "departments", user_id="U0EMP0001", response_url=harness.slack.response_url()
    )
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded", secret="not-it")
    resp = await harness.client.post("/slack/events", data=body, headers=headers)
    assert resp.status == 401
    assert harness.slack.responses == {}  # nothing answered through response_url


async def test_missing_signature_is_401(harness: Harness) -> None:
    body = command_body("help", user_id="U0EMP0001", response_url=harness.slack.response_url())
    resp = await harness.client.post(
        "/slack/events", data=body, headers={"Content-Type": "application/x-www-form-urlencoded"}
    )
    assert resp.status == 401


async def test_stale_timestamp_is_401(harness: Harness) -> None:
    body = command_body("help", user_id="U0EMP0001", response_url=harness.slack.response_url())
    old = int(time.time()) - 6 * 60
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded", timestamp=old)
    resp = await harness.client.post("/slack/events", data=body, headers=headers)
    assert resp.status == 401


async def test_signed_but_malformed_body_is_4xx_not_5xx(harness: Harness) -> None:
    for body, ctype in [
        ("{not json", "application/json"),
        ("payload=%7Bbroken", "application/x-www-form-urlencoded"),
        ("\x00\xff", "text/plain"),
    ]:
        headers = slack_headers(body, content_type=ctype)
        resp = await harness.client.post(
            "/slack/events", data=body.encode("latin-1"), headers=headers
        )
        assert 400 <= resp.status < 500, (body, resp.status)


async def test_oversized_body_is_413(harness: Harness) -> None:
    body = "x" * (1024 * 1024 + 1)
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
    resp = await harness.client.post("/slack/events", data=body, headers=headers)
    assert resp.status == 413


async def test_healthz_ok_then_503_when_the_database_is_gone(harness: Harness) -> None:
    resp = await harness.client.get("/healthz")
    assert resp.status == 200
    assert await resp.json() == {"status": "ok"}
    await Tortoise.close_connections()
    resp = await harness.client.get("/healthz")
    assert resp.status == 503
    assert (await resp.json())["status"] != "ok"


async def test_metrics_count_requests_by_route(harness: Harness) -> None:
    await harness.client.get("/healthz")
    await harness.client.get("/no/such/page")
    await harness.command("help")
    resp = await harness.client.get("/metrics")
    assert resp.status == 200
    assert resp.headers["Content-Type"].startswith("text/plain")
    text = await resp.text()
    assert 'quality_http_requests_total{method="GET",route="/healthz",status="200"} 1.0' in text
    assert (
        'quality_http_requests_total{method="POST",route="/slack/events",status="200"} 1.0' in text
    )
    assert 'route="unmatched"' in text and "/no/such/page" not in text
    assert 'quality_http_request_duration_seconds_count{route="/slack/events"} 1.0' in text
