"""Slack redelivers events; each must run its listener once. When Slack drops events instead,
its notice is acknowledged and counted."""

import asyncio
import json
import logging
from typing import Any

import pytest

from tests.conftest import Harness
from tests.support import TEAM_ID, eventually, slack_headers

# An event the app itself does not listen to, so the test's listener is the one that runs.
REACTION = {"type": "emoji_changed", "subtype": "add", "name": "shipit", "event_ts": "1700000100.2"}


def _counting_listener(harness: Harness, fail_first: bool = False) -> list[str]:
    seen: list[str] = []

    @harness.bolt.event("emoji_changed")  # type: ignore[untyped-decorator]
    async def count(body: dict[str, Any]) -> None:
        seen.append(body["event_id"])
        if fail_first and len(seen) == 1:
            raise RuntimeError("the database hiccupped")

    return seen


async def _settle(seen: list[str], count: int) -> None:
    await eventually(lambda: len(seen) >= count)  # listeners run after the ack
    await asyncio.sleep(0.05)  # and a retry that wrongly ran would show up by now


async def test_a_retried_event_runs_its_listener_once(harness: Harness) -> None:
    seen = _counting_listener(harness)
    for retry in (0, 1, 2, 3):
        resp = await harness.event(REACTION, event_id="Ev0001", retry_num=retry)
        assert resp.status == 200
    await _settle(seen, 1)
    assert seen == ["Ev0001"]
    metrics = await (await harness.client.get("/metrics")).text()
    assert "quality_slack_events_deduplicated_total 3.0" in metrics


async def test_distinct_events_each_run(harness: Harness) -> None:
    seen = _counting_listener(harness)
    await harness.event(REACTION, event_id="Ev0001")
    await harness.event(REACTION, event_id="Ev0002")
    await _settle(seen, 2)
    assert sorted(seen) == ["Ev0001", "Ev0002"]


async def test_a_failed_listener_lets_the_retry_run(harness: Harness) -> None:
    seen = _counting_listener(harness, fail_first=True)
    await harness.event(REACTION, event_id="Ev0003")
    await _settle(seen, 1)
    await harness.event(REACTION, event_id="Ev0003", retry_num=1)
    await _settle(seen, 2)
    assert seen == ["Ev0003", "Ev0003"]
    await harness.event(REACTION, event_id="Ev0003", retry_num=2)
    await asyncio.sleep(0.1)
    assert len(seen) == 2  # it succeeded the second time: no third run


RATE_LIMITED = json.dumps(
    {
        "token": "legacy-verification-token",
        "type": "app_rate_limited",
        "team_id": TEAM_ID,
        "minute_rate_limited": 1794993600,  # 2026-11-18 09:20 UTC
        "api_app_id": "A0QUALITY1",
    }
)


async def test_slacks_rate_limit_notice_is_acknowledged_counted_and_logged(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    headers = slack_headers(RATE_LIMITED, content_type="application/json")
    with caplog.at_level(logging.WARNING):
        resp = await harness.client.post("/slack/events", data=RATE_LIMITED, headers=headers)
    assert resp.status == 200  # anything else counts against the app's delivery record
    metrics = await (await harness.client.get("/metrics")).text()
    assert "quality_slack_events_rate_limited_total 1.0" in metrics
    [line] = [r.getMessage() for r in caplog.records if "app_rate_limited" in r.getMessage()]
    assert "since 2026-11-18 09:20 UTC" in line
    assert "legacy-verification-token" not in caplog.text  # the notice's token stays out


async def test_an_unsigned_rate_limit_notice_is_refused(harness: Harness) -> None:
    forged = slack_headers(RATE_LIMITED, content_type="application/json", secret="not-ours")
    for headers in (forged, {"Content-Type": "application/json"}):
        resp = await harness.client.post("/slack/events", data=RATE_LIMITED, headers=headers)
        assert resp.status == 401
    metrics = await (await harness.client.get("/metrics")).text()
    assert "quality_slack_events_rate_limited_total 0.0" in metrics
