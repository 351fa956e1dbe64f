"""Post a week's digest to its channel exactly once, and each manager their detail.

Exactly once, across restarts, retries and instances, rests on the database:
- a claim row unique on (week, channel) — a second claim for the same week is the same row;
- a lease on it, taken with one conditional UPDATE, so one poster works on it at a time;
- a row per part, written "sending" before Slack is called and "sent" with its ts after. A
  part found "sending" may or may not have reached Slack (the process died in between), so
  the poster looks for it by its message metadata before sending it again.
"""

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q

from bot.blocks.digest import Message, build_digest_messages, build_manager_dm
from bot.clock import Clock
from bot.config import QualityConfig, QualitySource, current
from bot.digest.aggregates import Aggregates
from bot.digest.chart import describe_chart
from bot.digest.model import WeekDigest
from bot.privacy import audit
from bot.slack.outbox import Mark, find_marked
from bot.surveys.release import AnswerRelease
from bot.weeks import Week
from models.audit import VIEW_COMMENTS, AuditEntry
from models.digest import DONE, FAILED, PENDING, SENDING, SENT, SKIPPED, DigestPart, DigestPost

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)  # renewed before every part; far longer than one Slack call
MAX_BACKOFF = timedelta(hours=1)
EVENT_TYPE = "quality_digest"  # the metadata a posted part is found by


class Outcome(StrEnum):
    POSTED = "posted"
    ALREADY_POSTED = "already_posted"
    BUSY = "busy"  # another poster holds the lease, or a failed attempt is backing off
    FAILED = "failed"


@dataclass(frozen=True)
class PostResult:
    week: str
    channel: str
    outcome: Outcome
    ts: str | None = None  # the digest message
    error: str | None = None


class LeaseLost(Exception):
    """The lease ran out while posting and another poster may have taken over."""


Find = Callable[[], Awaitable[tuple[str, str] | None]]
Chart = Callable[[WeekDigest], Awaitable[bytes]]


class DigestPoster:
    def __init__(
        self,
        *,
        client: AsyncWebClient,
        quality: QualitySource,
        clock: Clock,
        instance: str | None = None,
        lease: timedelta = LEASE,
        chart: Chart | None = None,
        release: AnswerRelease | None = None,
        aggregates: Aggregates | None = None,
    ) -> None:
        """`aggregates` computes the digest and draws its chart (in this process when not
        given); `chart` replaces the drawing (tests)."""
        self._client = client
        self._source = quality
        self._clock = clock
        self._owner = instance or uuid.uuid4().hex
        self._lease = lease
        self._aggregates = aggregates or Aggregates(quality)
        self._chart = chart or self._aggregates.chart
        self._release = release

    @property
    def _quality(self) -> QualityConfig:
        return current(self._source)

    async def post(self, week: Week, *, force: bool = False) -> PostResult:
        """Post `week` to the digest channel unless it is, or is being, posted. `force` skips
        the back-off after a failure (an admin asked), never another poster's lease."""
        channel = self._quality.digest.channel
        if channel is None:
            raise ValueError("digest.channel is not set in quality.yml")
        claim = await _claim(week.label, channel, self._clock())
        if claim.status == DONE:
            return PostResult(week.label, channel, Outcome.ALREADY_POSTED)
        if claim.status == SKIPPED:
            # The scheduler passed the week over (bot/digest/schedule.py); asked for it now,
            # it is posted like any other.
            await DigestPost.filter(id=claim.id, status=SKIPPED).update(status=PENDING)
            claim.status = PENDING
        if not await self._take_lease(claim, force=force):
            return PostResult(week.label, channel, Outcome.BUSY)
        try:
            ts = await self._post_parts(claim, week)
        except Exception as exc:
            await self._back_off(claim)
            error = _describe(exc)
            log.warning("digest %s for %s stopped midway (%s); will resume", week, channel, error)
            return PostResult(week.label, channel, Outcome.FAILED, error=error)
        await DigestPost.filter(id=claim.id, owner=self._owner).update(
            status=DONE, posted_at=self._clock(), owner=None, lease_until=None
        )
        log.info("digest %s posted to %s", week, channel)
        return PostResult(week.label, channel, Outcome.POSTED, ts=ts)

    async def _post_parts(self, claim: DigestPost, week: Week) -> str:
        if self._release is not None:  # the week's answers released, its comments scored
            await self._release.settle()
        digest = await self._aggregates.digest(week)
        first, *rest = build_digest_messages(digest)
        channel = claim.channel
        ts = await self._send(claim, "main", channel, first)
        for number, message in enumerate(rest, start=1):
            await self._send(claim, f"thread-{number}", channel, message, thread_ts=ts)
        await self._upload_chart(claim, digest, ts)
        if self._quality.digest.manager_dms:
            for department in digest.departments:
                dm = build_manager_dm(digest, department.slug)
                # The DM quotes colleagues' comments when the group allowed it: a view to audit.
                comments = any(q.kind == "comment" for q in department.concerns + department.praise)
                for manager in department.managers:
                    key = f"dm-{department.slug}-{manager}"
                    seen = department.slug if comments else None
                    await self._send_dm(claim, key, manager, dm, comments_of=seen)
        return ts

    async def _send(
        self,
        claim: DigestPost,
        key: str,
        channel: str,
        message: Message,
        *,
        thread_ts: str | None = None,
    ) -> str:
        """Post one message marked with its week and part; `channel` may be a user's id (a DM)."""
        mark = Mark(EVENT_TYPE, {"week": claim.week, "part": key})

        async def find() -> tuple[str, str] | None:
            return await find_marked(self._client, channel, mark, thread_ts=thread_ts)

        async def send() -> tuple[str, str]:
            sent = await self._client.chat_postMessage(
                channel=channel,
                thread_ts=thread_ts,
                metadata=mark.metadata,
                unfurl_links=False,
                **message,
            )
            return str(sent["channel"]), str(sent["ts"])

        return await self._part(claim, key, send, find)

    async def _send_dm(
        self, claim: DigestPost, key: str, user: str, message: Message, *, comments_of: str | None
    ) -> None:
        """Send a manager's DM unless it was sent before. One that quotes the comments of a
        department is a view of them: audited first, once, or not sent at all."""
        if await DigestPart.exists(post=claim, key=key, status=SENT):
            return
        if comments_of is not None:
            detail = f"{claim.week} via the digest DM"
            seen = AuditEntry.filter(
                actor=user, action=VIEW_COMMENTS, subject=comments_of, detail=detail
            )
            if not await seen.exists():
                await audit.record(self._clock(), user, VIEW_COMMENTS, comments_of, detail)
        try:
            await self._send(claim, key, user, message)
        except SlackApiError as exc:  # one manager's DM never holds up the rest
            log.warning("digest %s: a manager's DM failed (%s)", claim.week, _describe(exc))

    async def _upload_chart(self, claim: DigestPost, digest: WeekDigest, thread_ts: str) -> None:
        filename = f"quality-{digest.week}.png"

        async def find() -> tuple[str, str] | None:
            found = await self._client.conversations_replies(
                channel=claim.channel, ts=thread_ts, limit=200
            )
            for message in found.get("messages") or []:
                if any(f.get("name") == filename for f in message.get("files") or []):
                    return claim.channel, str(message.get("ts"))
            return None

        async def send() -> tuple[str, str]:
            png = await self._chart(digest)
            await self._client.files_upload_v2(
                channel=claim.channel,
                thread_ts=thread_ts,
                content=png,
                filename=filename,
                title=f"Service quality, {digest.week}: eight-week trends and who rates whom",
                alt_txt=describe_chart(digest),
            )
            return claim.channel, thread_ts

        try:
            await self._part(claim, "chart", send, find)
        except LeaseLost:
            raise
        except Exception as exc:  # the digest stands without its picture
            log.warning("digest %s: chart not posted (%s)", claim.week, _describe(exc))

    async def _part(
        self,
        claim: DigestPost,
        key: str,
        send: Callable[[], Awaitable[tuple[str, str]]],
        find: Find,
    ) -> str:
        part, created = await DigestPart.get_or_create(post=claim, key=key)
        if part.status == SENT and part.ts:
            return part.ts
        if not created and part.status == SENDING:
            # An earlier attempt stopped between Slack and the database: it may be posted.
            found = await find()
            if found:
                await _mark(part, SENT, *found)
                return found[1]
        await self._renew(claim)
        await _mark(part, SENDING)
        try:
            channel, ts = await send()
        except SlackApiError:
            await _mark(part, FAILED)  # Slack answered: it is certainly not posted
            raise
        await _mark(part, SENT, channel, ts)
        return ts

    async def _take_lease(self, claim: DigestPost, *, force: bool) -> bool:
        now = self._clock()
        free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        if force:
            free |= Q(owner__isnull=True)  # skip a back-off, not another poster's lease
        taken = await (
            DigestPost.filter(id=claim.id, status=PENDING)
            .filter(free)
            .update(owner=self._owner, lease_until=now + self._lease)
        )
        return bool(taken)

    async def _renew(self, claim: DigestPost) -> None:
        now = self._clock()
        renewed = await DigestPost.filter(id=claim.id, owner=self._owner, status=PENDING).update(
            lease_until=now + self._lease
        )
        if not renewed:
            raise LeaseLost(f"lost the lease on digest {claim.week} for {claim.channel}")

    async def _back_off(self, claim: DigestPost) -> None:
        attempts = claim.attempts + 1
        wait = min(timedelta(minutes=2**attempts), MAX_BACKOFF)
        await DigestPost.filter(id=claim.id, owner=self._owner).update(
            owner=None, lease_until=self._clock() + wait, attempts=attempts
        )
        claim.attempts = attempts


async def _claim(week: str, channel: str, now: datetime) -> DigestPost:
    try:
        claim, _ = await DigestPost.get_or_create(
            week=week, channel=channel, defaults={"created_at": now}
        )
    except IntegrityError:  # another poster created it between our read and our insert
        claim = await DigestPost.get(week=week, channel=channel)
    return claim


async def _mark(
    part: DigestPart, status: str, channel: str | None = None, ts: str | None = None
) -> None:
    part.status = status
    if channel is not None:
        part.channel = channel
    if ts is not None:
        part.ts = ts
    await part.save(update_fields=["status", "channel", "ts"])


def _describe(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__
