"""Asking someone to rate a department: one entry point for every trigger, one budget.

A trigger over budget is not lost silently: it is stored as a skipped poll with its reason,
so that admins can see how often people would have been asked.
"""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from bot.config import QualityConfig
from bot.people.membership import departments_of
from bot.weeks import iso_week, week_start
from models.action import SENT, Announcement
from models.department import Department
from models.survey import COUNTED, QUEUED, SKIPPED, AnswerMark, OptOut, Poll, ResolutionTime

# Why a poll was not sent (stored with the poll, shown to admins) or a rating refused.
OPTED_OUT = "opted_out"
OVER_BUDGET = "over_budget"
COOLDOWN = "cooldown"
OWN_DEPARTMENT = "own_department"
RATED_THIS_WEEK = "rated_this_week"  # asked about, or rated, the department this week already


class UnknownDepartment(Exception):
    pass


@dataclass(frozen=True)
class PollRequest:
    user_id: str
    department: str  # slug
    trigger: str  # reaction, webhook
    trigger_key: str | None = None  # once per served request
    summary: str = ""
    url: str | None = None
    # When the request was made and when it was resolved, when the trigger knows: the
    # department's time to resolution (`ResolutionTime`).
    opened_at: datetime | None = None
    resolved_at: datetime | None = None

    def resolution_hours(self) -> float | None:
        if self.opened_at is None or self.resolved_at is None:
            return None
        seconds = (self.resolved_at - self.opened_at).total_seconds()
        return seconds / 3600 if seconds >= 0 else None


@dataclass(frozen=True)
class PollOutcome:
    poll_id: uuid.UUID
    status: str  # queued or skipped
    reason: str | None
    created: bool  # False: this trigger_key was seen before, nothing new was stored


async def request_poll(
    request: PollRequest, *, quality: QualityConfig, now: datetime
) -> PollOutcome:
    department = await Department.get_or_none(slug=request.department, active=True)
    if department is None:
        raise UnknownDepartment(request.department)
    if request.trigger_key is not None:
        existing = await Poll.get_or_none(trigger_key=request.trigger_key)
        if existing is not None:
            return PollOutcome(existing.id, existing.status, existing.reason, created=False)
    reason = await why_not(request.user_id, request.department, quality=quality, now=now)
    poll = Poll(
        user_id=request.user_id,
        department=department,
        trigger=request.trigger,
        trigger_key=request.trigger_key,
        summary=request.summary[:500],
        url=request.url,
        status=SKIPPED if reason else QUEUED,
        reason=reason,
        created_at=now,
        closed_at=now if reason else None,
    )
    hours = request.resolution_hours()
    try:
        async with in_transaction():
            await poll.save()
            if hours is not None and request.resolved_at is not None:
                # Once per request, as its poll: a retried event finds the poll and stops above.
                week = iso_week(request.resolved_at, quality.tz)
                await ResolutionTime.create(department=department, week=week, hours=hours)
    except IntegrityError:
        # The same request arrived twice at once (a Slack retry on another instance).
        existing = await Poll.get(trigger_key=request.trigger_key)
        return PollOutcome(existing.id, existing.status, existing.reason, created=False)
    return PollOutcome(poll.id, poll.status, poll.reason, created=True)


async def why_not(user_id: str, slug: str, *, quality: QualityConfig, now: datetime) -> str | None:
    """The reason `user_id` may not be asked about `slug` now, or None when they may."""
    if (reason := await _always(user_id, slug, quality=quality, now=now)) is not None:
        return reason
    this_week = week_start(now, quality.tz)
    if await Poll.exists(
        user_id=user_id, department__slug=slug, status__in=COUNTED, created_at__gte=this_week
    ):
        return RATED_THIS_WEEK  # one poll about a department a week, answered or not
    since = now - timedelta(days=quality.surveys.cooldown_days_per_department)
    if await Poll.exists(
        user_id=user_id, department__slug=slug, status__in=COUNTED, created_at__gt=since
    ):
        return COOLDOWN
    return None


async def why_not_by_hand(
    user_id: str, slug: str, *, quality: QualityConfig, now: datetime
) -> str | None:
    """The reason `user_id` may not rate `slug` by hand now, or None when they may."""
    return await _always(user_id, slug, quality=quality, now=now)


async def _always(user_id: str, slug: str, *, quality: QualityConfig, now: datetime) -> str | None:
    """What holds for every rating, asked for or given by hand: not opted out, not about one's
    own department, one a department and week, and within the weekly budget."""
    if await OptOut.exists(user_id=user_id):
        return OPTED_OUT
    if slug in await departments_of(user_id):
        return OWN_DEPARTMENT
    week = iso_week(now, quality.tz)
    if await AnswerMark.exists(user_id=user_id, department__slug=slug, week=week):
        return RATED_THIS_WEEK
    if await spent_this_week(user_id, quality=quality, now=now) >= (
        quality.surveys.max_per_person_per_week
    ):
        return OVER_BUDGET
    return None


async def spent_this_week(user_id: str, *, quality: QualityConfig, now: datetime) -> int:
    """Polls asked of the person this week, ratings they gave by hand (an answered poll is
    counted once, as the poll), and "you said, we did" DMs sent to them (bot/actions/)."""
    start = week_start(now, quality.tz)
    asked = await Poll.filter(user_id=user_id, status__in=COUNTED, created_at__gte=start).count()
    by_hand = await AnswerMark.filter(
        user_id=user_id, week=iso_week(now, quality.tz), by_hand=True
    ).count()
    told = await Announcement.filter(user_id=user_id, status=SENT, sent_at__gte=start).count()
    return asked + by_hand + told


async def opt_out(user_id: str) -> None:
    await OptOut.get_or_create(user_id=user_id)


async def opt_in(user_id: str) -> None:
    await OptOut.filter(user_id=user_id).delete()
