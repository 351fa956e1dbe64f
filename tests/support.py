"""Building signed Slack requests the way Slack sends them."""

import asyncio
import base64
import json
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier
from standardwebhooks.webhooks import Webhook

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
TEAM_ID = "T0TEST"


def slack_headers(
    body: str, *, content_type: str, secret: str = SIGNING_SECRET, timestamp: int | None = None
) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=ts, body=body) or ""
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": ts,
        "X-Slack-Signature": signature,
    }


def command_body(text: str, *, user_id: str, response_url: str, command: str = "/quality") -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "acme",
            "channel_id": "C0GENERAL1",
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": text,
            "api_app_id": "A0QUALITY1",
            "response_url": response_url,
            "trigger_id": f"{int(time.time())}.1.abc",
        }
    )


def event_body(event: dict[str, Any], *, event_id: str) -> str:
    return json.dumps(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "api_app_id": "A0QUALITY1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id,
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "team_id": TEAM_ID,
                    "user_id": "U0BOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
        }
    )


async def eventually(condition: Callable[[], bool], within: float = 5.0) -> None:
    """Wait for work that runs after Slack's ack (bolt listeners) to show its effect."""
    deadline = time.monotonic() + within
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


class FakeClock:
    """A clock the test moves: reminders and expiry without waiting a day."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 18, 9, 0, tzinfo=UTC)  # a Wednesday

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


async def until(check: Callable[[], Awaitable[bool]], within: float = 5.0) -> None:
    """`eventually`, for conditions that need the database."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"quality-bot-test-webhook-secret").decode()


def webhook_headers(
    payload: str, *, secret: str = WEBHOOK_SECRET, msg_id: str = "msg_1"
) -> dict[str, str]:
    """Headers a Standard Webhooks sender puts on `payload`, signed with the real library."""
    at = datetime.now(UTC)
    return {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, payload),
    }
