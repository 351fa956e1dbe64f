"""The one Slack client: it waits out a 429 and retries a 5xx instead of losing the call."""

import time

import pytest

from bot.slack.client import build_client
from bot.slack_standin import SlackStandIn
from tests.support import BOT_TOKEN

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database


async def test_honours_retry_after_on_429(slack: SlackStandIn) -> None:
    client = build_client(token=BOT_TOKEN, base_url=slack.api_url)
    slack.rate_limit("chat.postMessage", retry_after=1, times=1)
    started = time.monotonic()
    resp = await client.chat_postMessage(channel="C0DIGEST01", text="hello")
    waited = time.monotonic() - started
    assert resp["ok"] is True
    assert waited >= 1.0  # it slept for Retry-After before the second attempt
    statuses = [c.status for c in slack.calls if c.method == "chat.postMessage"]
    assert statuses == [429, 200]


async def test_retries_server_errors(slack: SlackStandIn) -> None:
    client = build_client(token=BOT_TOKEN, base_url=slack.api_url)
    slack.fail_http("chat.postMessage", status=502, times=2)
    resp = await client.chat_postMessage(channel="C0DIGEST01", text="hello")
    assert resp["ok"] is True
    assert [c.status for c in slack.calls if c.method == "chat.postMessage"] == [502, 502, 200]


async def test_base_url_without_trailing_slash_is_not_our_problem(slack: SlackStandIn) -> None:
    # Settings always give a base URL ending in "/": urljoin would drop "/api" otherwise.
    assert slack.api_url.endswith("/api/")
