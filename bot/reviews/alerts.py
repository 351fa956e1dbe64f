"""Negative reviews posted to their department's alert channel, once each, readable at a
glance; a burst collapses into one summary instead of a flood. Driven from the database, so
an alert acknowledged by the webhook survives a restart.

Once: an alert whose post Slack refused is tried again at the next step; one whose outcome is
unknown (a timeout, a 5xx, a crash between Slack and the database) stays claimed until the
claim is stale, and is then looked for by its metadata before it is posted again, since Slack
may have posted it late."""

import logging
from collections import defaultdict
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from tortoise.expressions import Q

from bot.blocks.review_alert import alert_message, burst_summary
from bot.clock import Clock
from bot.config import QualitySource
from bot.slack.client import RateLimitGate
from bot.slack.outbox import Mark, Outbox, post_marked, refused
from models.department import Department
from models.review import ALERT_NONE, ALERT_PENDING, ALERT_SENDING, ALERT_SENT, Review

log = logging.getLogger(__name__)

BURST = 5  # more alerts than this in a minute for one channel become one summary
WINDOW = timedelta(minutes=1)
STALE_CLAIM = timedelta(minutes=5)
DEBOUNCE = 1.0  # seconds to let a burst arrive before looking at it
EVENT_TYPE = "quality_review_alert"


class AlertDelivery(Outbox):
    debounce = DEBOUNCE

    def __init__(
        self, *, client: AsyncWebClient, quality: QualitySource, clock: Clock, gate: RateLimitGate
    ) -> None:
        super().__init__(client=client, quality=quality, clock=clock, gate=gate)
        self._last_summary: dict[str, datetime] = {}

    async def step(self) -> int:
        now = self._clock()
        await Review.filter(alert=ALERT_SENDING, alert_claimed_at__lt=now - STALE_CLAIM).update(
            alert=ALERT_PENDING
        )
        pending = Review.filter(alert=ALERT_PENDING)
        waiting = await self._waiting_for_summary(now)
        if waiting:
            pending = pending.filter(Q(department_id__isnull=True) | ~Q(department_id__in=waiting))
        by_channel: dict[str, list[Review]] = defaultdict(list)
        unheard: list[int] = []
        for review in await pending.order_by("id").prefetch_related("department"):
            dept = self._quality.department(review.department.slug) if review.department else None
            if dept is None or dept.alert_channel is None:
                unheard.append(review.id)
                continue
            by_channel[dept.alert_channel].append(review)
        if unheard:  # no channel will hear of these: settled in one statement
            await Review.filter(id__in=unheard).update(alert=ALERT_NONE)
        posted = 0
        for channel, reviews in by_channel.items():
            posted += await self._deliver(channel, reviews, now)
        return posted

    async def _waiting_for_summary(self, now: datetime) -> list[int]:
        """The departments whose pending reviews can only go out in their channel's next
        summary: a burst (more than BURST pending) on a channel that had its summary this
        minute. A storm leaves thousands of those; reading them every step would be for
        nothing."""
        channels = [
            d for d in self._quality.departments
            if d.alert_channel and self._summarised_lately(d.alert_channel, now)
        ]  # fmt: skip
        if not channels:
            return []
        ids = dict(
            await Department.filter(slug__in=[d.slug for d in channels]).values_list("slug", "id")
        )
        waiting: list[int] = []
        for channel in {d.alert_channel for d in channels}:
            mine = [
                int(ids[d.slug]) for d in channels if d.alert_channel == channel and d.slug in ids
            ]
            if await Review.filter(alert=ALERT_PENDING, department_id__in=mine).count() > BURST:
                waiting += mine
        return waiting

    def _summarised_lately(self, channel: str, now: datetime) -> bool:
        last = self._last_summary.get(channel)
        return last is not None and now - last < WINDOW

    async def _deliver(self, channel: str, reviews: list[Review], now: datetime) -> int:
        slugs = {r.department.slug for r in reviews if r.department}
        recent = await Review.filter(
            alert=ALERT_SENT, alert_claimed_at__gte=now - WINDOW, department__slug__in=slugs
        ).count()
        if recent + len(reviews) <= BURST:
            return sum([await self._send(channel, [review], now) for review in reviews])
        if self._summarised_lately(channel, now):
            return 0  # one summary a minute: these wait for the next one
        self._last_summary[channel] = now
        return await self._send(channel, reviews, now)

    async def _send(self, channel: str, reviews: list[Review], now: datetime) -> int:
        ids = [r.id for r in reviews]
        claimed = await Review.filter(id__in=ids, alert=ALERT_PENDING).update(
            alert=ALERT_SENDING, alert_claimed_at=now
        )
        if claimed != len(ids):
            # Another instance took some of them: give back ours and let the next step sort it.
            await Review.filter(id__in=ids, alert=ALERT_SENDING, alert_claimed_at=now).update(
                alert=ALERT_PENDING
            )
            return 0
        text, blocks = alert_message(reviews[0]) if len(reviews) == 1 else burst_summary(reviews)
        # A review claimed before was perhaps posted: its claim went stale (a crash), or Slack
        # did not say (below). Its alert is looked for before it is posted again.
        tried = any(r.alert_claimed_at is not None for r in reviews)
        mark = Mark(EVENT_TYPE, {"reviews": ",".join(map(str, ids))})
        await self._gate.wait()
        try:
            where, ts = await post_marked(
                self._client,
                channel,
                mark,
                look_first=tried,
                text=text,
                blocks=blocks,
                unfurl_links=False,
            )
        except Exception as exc:
            error = exc.response.get("error") if isinstance(exc, SlackApiError) else None
            log.warning("review alert not posted (%s)", error or type(exc).__name__)
            if refused(exc):  # not posted now: the next step tries again (and looks first
                # if an earlier attempt may have posted it)
                unclaimed = {} if tried else {"alert_claimed_at": None}
                await Review.filter(id__in=ids).update(alert=ALERT_PENDING, **unclaimed)
            # Otherwise it stays claimed: looked for once the claim is stale.
            return 0
        # An alert of one review is where it is quoted: kept, to delete if its source does.
        quoted = {"alert_channel": where, "alert_ts": ts} if len(ids) == 1 else {}
        await Review.filter(id__in=ids).update(alert=ALERT_SENT, **quoted)
        return 1
