"""Plays Slack's part in the demo: signs requests as Slack does and posts them to the app."""

import json
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier
from standardwebhooks.webhooks import Webhook

from bot.slack_standin import SlackStandIn
from bot.slack_standin.text import escape_around_tokens

FORM = "application/x-www-form-urlencoded"


class Player:
    def __init__(
        self,
        session: aiohttp.ClientSession,
        url: str,
        signing_secret: str,
        slack: SlackStandIn,
        webhook_secret: str,
    ) -> None:
        self.webhook_secret = webhook_secret
        self.session = session
        self.url = url
        self.signer = SignatureVerifier(signing_secret)
        self.slack = slack
        self._events = 0
        self._clicks = 0
        self._webhooks = 0

    async def command(self, text: str, user_id: str) -> Mapping[str, Any]:
        """`/quality <text>`; returns what the person sees, at once or through response_url."""
        response_url = self.slack.response_url()
        fields = {
            "command": "/quality",
            "text": escape_around_tokens(text),  # as Slack sends what the person typed
            "user_id": user_id,
            "team_id": "T0DEMO",
            "channel_id": "C0GENERAL1",
            "response_url": response_url,
            "trigger_id": f"{time.time():.6f}.demo",
        }
        answer = await self._post(urlencode(fields), FORM)
        if answer:
            return dict(json.loads(answer))
        return (await self.slack.wait_for_response(response_url))[-1]

    async def event(self, event: dict[str, Any]) -> None:
        self._events += 1
        body = {
            "type": "event_callback",
            "team_id": "T0DEMO",
            "event": event,
            "event_id": f"EvDemo{self._events:04d}",
            "event_time": int(time.time()),
        }
        await self._post(json.dumps(body), "application/json")

    async def click(
        self, user_id: str, action: dict[str, Any], state: dict[str, Any] | None = None
    ) -> Mapping[str, Any]:
        """A button in a message, with the message's ticked boxes (`state`, block by block);
        returns what replaced the message."""
        _, response_url = await self._action(user_id, action, state)
        return (await self.slack.wait_for_response(response_url))[-1]

    async def press(self, user_id: str, action: dict[str, Any]) -> str:
        """A button that answers elsewhere (opens a modal): returns the click's trigger_id."""
        trigger_id, _ = await self._action(user_id, action)
        return trigger_id

    async def _action(
        self, user_id: str, action: dict[str, Any], state: dict[str, Any] | None = None
    ) -> tuple[str, str]:
        self._clicks += 1
        trigger_id = f"{time.time():.0f}.{self._clicks}.demo"
        response_url = self.slack.response_url()
        payload = {
            "type": "block_actions",
            "user": {"id": user_id},
            "team": {"id": "T0DEMO"},
            "trigger_id": trigger_id,
            "response_url": response_url,
            "actions": [action],
        }
        if state is not None:
            payload["state"] = {"values": state}
        await self._post(urlencode({"payload": json.dumps(payload)}), FORM)
        return trigger_id, response_url

    async def submit(self, user_id: str, view: Mapping[str, Any], values: dict[str, Any]) -> str:
        """Send a modal as the person filled it in; returns the app's answer (empty: closed)."""
        payload = {
            "type": "view_submission",
            "user": {"id": user_id},
            "team": {"id": "T0DEMO"},
            "view": {**view, "state": {"values": values}},
        }
        return await self._post(urlencode({"payload": json.dumps(payload)}), FORM)

    async def review(self, body: dict[str, Any]) -> dict[str, Any]:
        """A review platform's signed webhook call."""
        status, answer = await self.webhook("/webhooks/reviews", body)
        if status >= 400:
            raise RuntimeError(f"/webhooks/reviews answered {status}: {answer}")
        return answer

    async def interaction(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """An internal tool reports a served request; returns the status and the answer."""
        return await self.webhook("/webhooks/interactions", body)

    async def webhook(self, path: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        """POST `body` to the app's `path`, signed as Standard Webhooks sign it."""
        payload = json.dumps(body)
        at = datetime.now(UTC)
        self._webhooks += 1
        msg_id = f"msg_demo_{self._webhooks:04d}"
        headers = {
            "Content-Type": "application/json",
            "webhook-id": msg_id,
            "webhook-timestamp": str(int(at.timestamp())),
            "webhook-signature": Webhook(self.webhook_secret).sign(msg_id, at, payload),
        }
        url = self.url.replace("/slack/events", path)
        async with self.session.post(url, data=payload, headers=headers) as resp:
            return resp.status, dict(await resp.json())

    async def post_json(
        self, path: str, raw: bytes, headers: Mapping[str, str]
    ) -> tuple[int, dict[str, Any]]:
        """POST a JSON body to the app's `path` as another sender signed it (`headers`)."""
        url = self.url.replace("/slack/events", path)
        headers = {"Content-Type": "application/json", **headers}
        async with self.session.post(url, data=raw, headers=headers) as resp:
            return resp.status, dict(await resp.json())

    async def _post(self, body: str, content_type: str) -> str:
        ts = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": ts,
            "X-Slack-Signature": self.signer.generate_signature(timestamp=ts, body=body) or "",
        }
        async with self.session.post(self.url, data=body, headers=headers) as resp:
            resp.raise_for_status()
            return await resp.text()
