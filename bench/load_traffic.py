"""The traffic of the ingest benchmark: review webhooks at a fixed concurrency, and Slack
commands and poll clicks sent at a steady pace to time their acks.

Everything is signed the way its real sender signs it (Standard Webhooks, Slack's signing
secret) at the moment it is sent, so each request is one a production server would accept.
"""

import asyncio
import itertools
import json
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

import aiohttp
from slack_sdk.signature import SignatureVerifier
from standardwebhooks.webhooks import Webhook

from bot.demo.texts import REVIEWS

SOURCES = ("trustpilot", "google", "appstore", "shop")
AUTHORS = ("Jane D.", "Marc P.", "Aiko T.", None, "Luis G.", None)
STARS = {"good": (5, 4), "mixed": (3,), "bad": (1, 2)}


def _bank() -> list[tuple[str, str, str, str]]:
    """(department, tone, language, text) for every review text of the demo."""
    return [
        (dept, tone, language, text)
        for dept, tones in REVIEWS.items()
        for tone, texts in tones.items()
        for language, text in texts
    ]


BANK = _bank()


def review_body(index: int) -> str:
    """Review number `index`: the same body for the same index, in every run. Two texts of
    the same department and tone, as a title and a text, so that lengths vary like real
    reviews (one to three sentences); about a third name their department, the rest are
    routed by keywords or fall back to unassigned."""
    dept, tone, language, text = BANK[index % len(BANK)]
    same = [b for b in BANK if b[0] == dept and b[1] == tone]
    _, _, _, second = same[(index // len(BANK)) % len(same)]
    review: dict[str, Any] = {
        "id": f"bench-{index:07d}",
        "source": SOURCES[index % len(SOURCES)],
        "rating": STARS[tone][index % len(STARS[tone])],
        "title": text if index % 2 else None,
        "text": second if index % 2 else f"{text} {second}",
        "author": AUTHORS[index % len(AUTHORS)],
    }
    if index % 3 == 0:
        review["department"] = dept
    if index % 4 == 0:
        review["language"] = language
    if index % 5 == 0:
        review["url"] = f"https://reviews.example.com/{review['source']}/{index}"
    return json.dumps({k: v for k, v in review.items() if v is not None})


def webhook_headers(secret: str, body: str, msg_id: str) -> dict[str, str]:
    at = datetime.now(UTC)
    return {
        "Content-Type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, at, body),
    }


@dataclass
class Storm:
    """What one run of webhook senders saw."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)  # of 2xx answers, in seconds
    statuses: Counter[int] = field(default_factory=Counter)
    app_cpu: float = 0.0  # CPU seconds the app's process used meanwhile
    scoring_cpu: float = 0.0  # and its sentiment worker

    @property
    def accepted(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    def add(self, other: "Storm") -> None:
        self.seconds += other.seconds
        self.latencies += other.latencies
        self.statuses.update(other.statuses)
        self.app_cpu += other.app_cpu
        self.scoring_cpu += other.scoring_cpu

    def cpu_ms_per_review(self) -> dict[str, float]:
        reviews = max(self.accepted, 1)
        return {
            "app": round(self.app_cpu / reviews * 1000, 3),
            "sentiment": round(self.scoring_cpu / reviews * 1000, 3),
        }


async def storm(
    url: str,
    secret: str,
    indexes: Iterator[int],
    *,
    concurrency: int,
    seconds: float,
    body: Callable[[int], str] = review_body,
) -> Storm:
    """`concurrency` senders, each posting one review at a time, back to back, for `seconds`:
    a closed loop, as a queue of deliveries drains through a sender's worker pool."""
    result = Storm()
    connector = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connector) as session:
        deadline = time.monotonic() + seconds

        async def sender() -> None:
            while time.monotonic() < deadline:
                index = next(indexes)
                text = body(index)
                headers = webhook_headers(secret, text, f"msg_{index}")
                sent = time.perf_counter()
                async with session.post(url, data=text.encode(), headers=headers) as response:
                    await response.read()
                took = time.perf_counter() - sent
                result.statuses[response.status] += 1
                if 200 <= response.status < 300:
                    result.latencies.append(took)

        started = time.monotonic()
        await asyncio.gather(*(sender() for _ in range(concurrency)))
        result.seconds = time.monotonic() - started
    return result


def counter(start: int = 0) -> Iterator[int]:
    return itertools.count(start)


@dataclass
class Acks:
    """Times from sending a signed Slack request to its HTTP answer (bolt's ack), by kind."""

    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[int] = field(default_factory=Counter)

    def all(self) -> list[float]:
        return [t for times in self.latencies.values() for t in times]


@dataclass(frozen=True)
class SlackTarget:
    url: str  # the app's /slack/events
    signing_secret: str
    response_url: Callable[[], str]  # a fresh response_url of the Slack stand-in


def command(target: SlackTarget, user_id: str, text: str) -> str:
    return urlencode(
        {
            "token": "legacy-verification-token",
            "team_id": "T0TEST",
            "team_domain": "acme",
            "channel_id": "C0GENERAL1",
            "channel_name": "general",
            "user_id": user_id,
            "user_name": user_id.lower(),
            "command": "/quality",
            "text": text,
            "api_app_id": "A0QUALITY1",
            "response_url": target.response_url(),
            "trigger_id": f"{int(time.time())}.1.bench",
        }
    )


def click(target: SlackTarget, poll: tuple[str, str, str, str], score: int) -> str:
    """A press on a poll's score button: `poll` is (id, user, channel, message_ts)."""
    poll_id, user, channel, ts = poll
    payload = {
        "type": "block_actions",
        "user": {"id": user},
        "team": {"id": "T0TEST"},
        "api_app_id": "A0QUALITY1",
        "container": {"type": "message", "channel_id": channel, "message_ts": ts},
        "channel": {"id": channel},
        "trigger_id": f"{time.time()}.click",
        "response_url": target.response_url(),
        "actions": [
            {
                "action_id": f"poll_score_{score}",
                "block_id": f"poll_scores:{poll_id}",
                "value": poll_id,
                "type": "button",
                "action_ts": f"{time.time()}",
            }
        ],
    }
    return urlencode({"payload": json.dumps(payload)})


async def probe(
    target: SlackTarget,
    requests: Iterator[tuple[str, Callable[[], str]]],
    *,
    every: float,
    seconds: float,
) -> Acks:
    """Send one request every `every` seconds for `seconds`, each on its own (an open loop:
    a slow answer does not hold back the next request, as Slack does not wait either)."""
    acks = Acks()
    verifier = SignatureVerifier(target.signing_secret)
    async with aiohttp.ClientSession() as session:

        async def one(kind: str, build: Callable[[], str]) -> None:
            body = build()
            ts = str(int(time.time()))
            headers = {
                "Content-Type": "application/x-www-form-urlencoded",
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body) or "",
            }
            sent = time.perf_counter()
            async with session.post(target.url, data=body.encode(), headers=headers) as response:
                await response.read()
            took = time.perf_counter() - sent
            acks.statuses[response.status] += 1
            acks.latencies.setdefault(kind, []).append(took)

        tasks: list[asyncio.Task[None]] = []
        start = time.monotonic()
        for n in itertools.count():
            due = start + n * every
            if due - start >= seconds:
                break
            await asyncio.sleep(max(0.0, due - time.monotonic()))
            kind, build = next(requests)
            tasks.append(asyncio.create_task(one(kind, build)))
        await asyncio.gather(*tasks)
    return acks
