"""When a week's digest is due, which weeks are owed after the app was down, and the loop
that posts them — or passes a week over, once, saying why: a week that ended before the app
was installed, or one with nothing in it, would be an empty digest in the channel and a DM to
every manager about nothing."""

import logging
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient
from tortoise.exceptions import IntegrityError

from bot.clock import Clock
from bot.config import QualityConfig, QualitySource, Schedule
from bot.digest.post import DigestPoster, Outcome
from bot.runtime.installation import installed_at
from bot.slack.client import RateLimitGate
from bot.slack.outbox import Outbox
from bot.weeks import Week
from models.digest import DONE, SKIPPED, DigestPost
from models.review import Review
from models.survey import HeldAnswer, Rating

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
    """Due weeks neither posted to `channel` nor passed over, oldest first: at most the last
    four, and none from before this channel's first digest (a new install, or a new channel,
    starts with the latest week)."""
    latest = latest_due(now, quality.digest.schedule, quality.tz)
    claims = await DigestPost.filter(channel=channel).values("week", "status")
    if not claims:
        return [latest]
    first = min(Week.parse(c["week"]) for c in claims)
    settled = {c["week"] for c in claims if c["status"] in (DONE, SKIPPED)}
    return [w for w in latest.back(CATCH_UP) if w >= first and w.label not in settled]


async def has_data(quality: QualityConfig, week: Week) -> bool:
    """Whether the digest of `week` has anything to count: a rating (released or still held)
    or a review about a configured department."""
    about = {"week": week.label, "department__slug__in": [d.slug for d in quality.departments]}
    for model in (Rating, HeldAnswer, Review):
        if await model.filter(**about).exists():
            return True
    return False


async def why_not_post(quality: QualityConfig, week: Week, installed: datetime) -> str | None:
    """Why the scheduler should not post `week` at all; None when it should."""
    if week.bounds(quality.tz)[1] <= installed:
        return f"it ended before quality-bot was installed ({installed:%Y-%m-%d %H:%M} UTC)"
    if not await has_data(quality, week):
        return "no ratings and no reviews in that week"
    return None


class DigestScheduler(Outbox):
    """Looks every tick for owed weeks and posts them through the poster, oldest first."""

    def __init__(
        self,
        *,
        client: AsyncWebClient,
        quality: QualitySource,
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
        now = self._clock()
        installed = (await installed_at(now)).astimezone(UTC)
        posted = 0
        for week in await owed_weeks(now, self._quality, channel):
            reason = await why_not_post(self._quality, week, installed)
            if reason is not None:
                await self._pass_over(week, channel, now, reason)
                continue
            result = await self._poster.post(week)
            if result.outcome is Outcome.POSTED:
                posted += 1
            elif result.outcome is not Outcome.ALREADY_POSTED:
                break  # keep the order: a later week waits for an earlier one
        return posted

    async def _pass_over(self, week: Week, channel: str, now: datetime, reason: str) -> None:
        """Record that `week` is not posted, so the next tick and a restart do not weigh it
        again; a claim someone took meanwhile (an admin posting it) is left alone. An admin
        can still post a passed-over week by hand (DigestPoster.post)."""
        try:
            _, created = await DigestPost.get_or_create(
                week=week.label, channel=channel, defaults={"created_at": now, "status": SKIPPED}
            )
        except IntegrityError:  # another instance recorded it first
            return
        if created:
            log.info("digest %s not posted to %s: %s", week, channel, reason)
