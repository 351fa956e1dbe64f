"""When a week's digest is due, which weeks are owed after the app was down, and the loop
that posts them."""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.digest.post import DigestPoster, Outcome
from bot.outbox import Outbox
from bot.quality_fields import Schedule
from bot.quality_models import QualityConfig
from bot.slack_client import RateLimitGate
from bot.weeks import Week
from models.digest import DONE, DigestPost

log = logging.getLogger(__name__)

CATCH_UP = 4  # weeks missed while down that are still worth posting


def due_at(week: Week, schedule: Schedule, tz: ZoneInfo) -> datetime:
    """The first scheduled moment after the week is over, in UTC."""
    day = week.next.monday + timedelta(days=schedule.weekday)
    return datetime.combine(day, schedule.time, tzinfo=tz).astimezone(UTC)


def latest_due(now: datetime, schedule: Schedule, tz: ZoneInfo) -> Week:
    """The newest week whose digest is due at `now`."""
    week = Week.last_complete(now, tz)
    return week if now >= due_at(week, schedule, tz) else week.previous


async def owed_weeks(now: datetime, quality: QualityConfig, channel: str) -> list[Week]:
    """Due weeks not yet posted to `channel`, oldest first: at most the last four, and none
    from before this channel's first digest (a new install starts with the latest week)."""
    latest = latest_due(now, quality.digest.schedule, quality.tz)
    claims = await DigestPost.filter(channel=channel).values("week", "status")
    if not claims:
        return [latest]
    first = min(Week.parse(c["week"]) for c in claims)
    done = {c["week"] for c in claims if c["status"] == DONE}
    return [w for w in latest.back(CATCH_UP) if w >= first and w.label not in done]


class DigestScheduler(Outbox):
    """Looks every tick for owed weeks and posts them through the poster, oldest first."""

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        quality: QualityConfig,
        clock: Clock,
        gate: RateLimitGate,
        poster: DigestPoster,
    ) -> None:
        super().__init__(client=client, quality=quality, clock=clock, gate=gate)
        self._poster = poster

    async def step(self) -> int:
        channel = self._quality.digest.channel
        if channel is None:
            return 0
        posted = 0
        for week in await owed_weeks(self._clock(), self._quality, channel):
            result = await self._poster.post(week)
            if result.outcome is Outcome.POSTED:
                posted += 1
            elif result.outcome is not Outcome.ALREADY_POSTED:
                break  # keep the order: a later week waits for an earlier one
        return posted
