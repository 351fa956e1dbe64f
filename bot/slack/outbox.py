"""Work that waits in the database to be delivered to Slack: a step run on a tick, or at
once when something new is waiting; and the marks by which a message whose delivery was in
doubt is found in Slack instead of being sent twice."""

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.config import QualityConfig, QualitySource, current
from bot.slack.client import RateLimitGate

log = logging.getLogger(__name__)


class Outbox(ABC):
    # Seconds to let a burst arrive after a wake before looking at it (0: look at once).
    debounce = 0.0

    def __init__(
        self, *, client: AsyncWebClient, quality: QualitySource, clock: Clock, gate: RateLimitGate
    ) -> None:
        self._client = client
        self._source = quality
        self._clock = clock
        self._gate = gate
        self._wake = asyncio.Event()

    @property
    def _quality(self) -> QualityConfig:
        return current(self._source)

    def wake(self) -> None:
        """Something was queued: deliver it now rather than at the next tick."""
        self._wake.set()

    async def run(self, tick: float) -> None:
        while True:
            try:
                await self.step()
            except Exception:
                log.exception("%s step failed", type(self).__name__)
            # asyncio.timeout, not wait_for: before Python 3.12, wait_for swallows a cancel
            # that arrives as the wake does, and shutdown would wait for this loop forever.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(tick):
                    await self._wake.wait()
                await asyncio.sleep(self.debounce)
            self._wake.clear()

    @abstractmethod
    async def step(self) -> object:
        """Deliver what is due; safe to run on several instances at once."""


HISTORY_LIMIT = 100  # latest messages of a conversation looked through
THREAD_LIMIT = 200


@dataclass(frozen=True)
class Mark:
    """Message metadata naming what a message delivers. A delivery whose outcome is unknown (a
    timeout, a crash between Slack and the database) is looked for by it before it is sent
    again: Slack may have posted it. It is readable by whoever can read the message."""

    event_type: str
    payload: Mapping[str, str]

    @property
    def metadata(self) -> dict[str, Any]:
        """What chat.postMessage takes as `metadata`."""
        return {"event_type": self.event_type, "event_payload": dict(self.payload)}

    def on(self, message: Mapping[str, Any]) -> bool:
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload")
        return metadata.get("event_type") == self.event_type and payload == dict(self.payload)


async def find_marked(
    client: AsyncWebClient, channel: str, mark: Mark, *, thread_ts: str | None = None
) -> tuple[str, str] | None:
    """The conversation and ts of the message carrying `mark` among the latest of `channel`
    (or of the thread `thread_ts`), or None if it is not there. A user id stands for the DM
    with that person, as it does when posting. Slack's errors propagate: not knowing whether
    it is there is not knowing that it is not."""
    where = channel
    if channel.startswith(("U", "W")):
        where = str((await client.conversations_open(users=channel))["channel"]["id"])
    if thread_ts is None:
        found = await client.conversations_history(
            channel=where, limit=HISTORY_LIMIT, include_all_metadata=True
        )
    else:
        found = await client.conversations_replies(
            channel=where, ts=thread_ts, limit=THREAD_LIMIT, include_all_metadata=True
        )
    for message in found.get("messages") or []:
        if mark.on(message):
            return where, str(message["ts"])
    return None


async def post_marked(
    client: AsyncWebClient,
    channel: str,
    mark: Mark,
    *,
    look_first: bool,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    unfurl_links: bool | None = None,
) -> tuple[str, str]:
    """Post a message carrying `mark` to `channel` (a user id: their DM), unless `look_first`
    (an earlier attempt's outcome is unknown) finds it there already; its conversation and ts.
    Slack's errors propagate: see `refused` for which of them mean it was not posted."""
    if look_first and (found := await find_marked(client, channel, mark)) is not None:
        return found
    kwargs: dict[str, Any] = {"blocks": blocks} if blocks is not None else {}
    if unfurl_links is not None:
        kwargs["unfurl_links"] = unfurl_links
    sent = await client.chat_postMessage(
        channel=channel, text=text, metadata=mark.metadata, **kwargs
    )
    return str(sent["channel"]), str(sent["ts"])


def refused(exc: Exception) -> bool:
    """Slack itself answered no, so the message is certainly not posted. A timeout, a broken
    connection or a 5xx (perhaps a gateway that gave up on Slack) leave it unknown."""
    return isinstance(exc, SlackApiError) and exc.response.status_code < 500


def describe(exc: Exception) -> str:
    """Slack's error code, or the kind of network failure (a timeout, a reset connection)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__
