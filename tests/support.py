"""Building signed Slack requests the way Slack sends them."""

import asyncio
import base64
import json
import secrets
import time
from collections.abc import Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier
from standardwebhooks.webhooks import Webhook

from bot.slack_standin import SlackStandIn
from bot.slack_standin.text import escape_around_tokens

SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
BOT_TOKEN = "xoxb-test-token"
TEAM_ID = "T0TEST"
COMMAND_CHANNEL = "C0GENERAL1"  # where the tests' slash commands are typed
# The channels of the tests' quality.yml files, and #general: the bot is in each, as the admin
# who installed it invited it.
TEST_CHANNELS = {
    "C0ITHELP1": "it-help",
    "C0ITTEAM1": "it-team",
    "C0FINANCE": "finance",
    "C0SALES01": "sales",
    "C0DIGEST01": "quality-digest",
    COMMAND_CHANNEL: "general",
}


def add_channels(slack: SlackStandIn, channels: Mapping[str, str] = TEST_CHANNELS) -> None:
    """Channel id → name, each with the bot in it; a channel already there is left as it is
    (a test may have removed the bot on purpose)."""
    for channel_id, name in channels.items():
        if channel_id not in slack.channels:
            slack.add_channel(channel_id, name=name, private=channel_id.startswith("G"))


class Escaped(str):
    """Command text exactly as Slack sends it, not escaped again: `Escaped("&lt;b&gt;")`."""


def command_text(typed: str) -> str:
    """The `text` Slack sends for what a person typed after /quality. The manifest has
    should_escape: true: `&`, `<`, `>` arrive as `&amp;`, `&lt;`, `&gt;`, so `report R&D` is
    `report R&amp;D`. A mention or channel picked from the menu arrives as Slack's token: write
    it as one (`forget <@U0EMP0001|sam>`, `report <#C0ITHELP1|it-help>`, `<!channel>` for a
    typed @channel) and it is sent as it is; everything around it is escaped."""
    return typed if isinstance(typed, Escaped) else escape_around_tokens(typed)


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
    """A slash command's body; `text` is what the person typed (see `command_text`)."""
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": TEAM_ID,
            "team_domain": "acme",
            "channel_id": COMMAND_CHANNEL,
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": command,
            "text": command_text(text),
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


def home_opened(user: str) -> dict[str, Any]:
    """The event Slack sends when someone opens the app's Home tab."""
    return {"type": "app_home_opened", "user": user, "channel": "D0HOME001", "tab": "home",
            "event_ts": f"{time.time():.6f}"}  # fmt: skip


def block_action(
    user: str,
    action_id: str,
    *,
    value: str | None = None,
    block_id: str | None = None,
    container: dict[str, Any] | None = None,
    response_url: str | None = None,
    state: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A button pressed in a message (`container` of type "message", with a `response_url`) or
    in a view (App Home, a modal: no response_url), as Slack posts it; `state` is the values
    of the message's stateful elements (checkboxes), block by block, as Slack sends them."""
    action: dict[str, Any] = {"action_id": action_id, "type": "button",
                              "action_ts": f"{time.time()}"}  # fmt: skip
    if value is not None:
        action["value"] = value
    if block_id is not None:
        action["block_id"] = block_id
    payload: dict[str, Any] = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": TEAM_ID},
        "api_app_id": "A0QUALITY1",
        "container": container or {"type": "view", "view_id": "V0HOME"},
        "trigger_id": f"{time.time()}.{secrets.token_hex(4)}",
        "actions": [action],
    }
    if payload["container"].get("type") == "message":
        payload["channel"] = {"id": payload["container"]["channel_id"]}
        payload["response_url"] = response_url or ""
    if state is not None:
        payload["state"] = {"values": state}
    return payload


def view_submission(
    user: str, callback_id: str, values: dict[str, Any], *, private_metadata: str = ""
) -> dict[str, Any]:
    """A modal submitted, as Slack posts it: `values` is the view's state, block by block."""
    return {
        "type": "view_submission",
        "user": {"id": user},
        "team": {"id": TEAM_ID},
        "api_app_id": "A0QUALITY1",
        "trigger_id": f"{time.time()}.{secrets.token_hex(4)}",
        "view": {
            "id": "V0MODAL1",
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": private_metadata,
            "state": {"values": values},
        },
    }


def message_text(message: dict[str, Any]) -> str:
    """What a person reads in a message Slack got: its `text`, its sections' text and its
    context and button labels, a line each."""
    found = [str(message.get("text") or "")]
    for block in message.get("blocks") or []:
        if isinstance(block.get("text"), dict):
            found.append(block["text"]["text"])
        for element in block.get("elements", []):
            label = element.get("text", "") if isinstance(element, dict) else ""
            found.append(label["text"] if isinstance(label, dict) else label)
    return "\n".join(found)


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
    payload: str | bytes,
    *,
    secret: str = WEBHOOK_SECRET,
    msg_id: str = "msg_1",
    at: datetime | None = None,
    content_type: str | None = "application/json",
) -> dict[str, str]:
    """Headers a Standard Webhooks sender puts on `payload`, signed with the real library: the
    one signer of the tests. A body that is not UTF-8 is refused before its signature is looked
    at, so any signature will do for it; `content_type` None leaves that header to the caller."""
    at = at or datetime.now(UTC)
    text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else payload
    headers = {} if content_type is None else {"Content-Type": content_type}
    return headers | {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, text),
    }
