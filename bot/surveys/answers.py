"""Recording an answer: the poll is closed and the anonymous rating written in one
transaction, so a double click or a second device yields one rating, never two."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from tortoise.transactions import in_transaction

from bot.membership import departments_of
from bot.sentiment import Sentiment
from bot.settings import QualityConfig
from bot.surveys.requests import PollRequest, UnknownDepartment, why_not
from bot.weeks import iso_week
from models.department import Department
from models.survey import ANSWERED, OPEN, FollowUp, Poll, Rating

UNKNOWN_DEPARTMENT = "unknown"


class PollClosed(Exception):
    """Answered already, expired, or not this person's poll."""


class NotNow(Exception):
    """A rating by hand that the budget does not allow; str() is the reason, for the modal."""


@dataclass(frozen=True)
class Answer:
    score: int
    comment: str | None = None
    sentiment: Sentiment | None = None
    consent: bool = False  # "<department> may contact me about this"


async def answer_poll(
    poll_id: uuid.UUID, user_id: str, answer: Answer, *, quality: QualityConfig, now: datetime
) -> Poll:
    poll = await Poll.get_or_none(id=poll_id, user_id=user_id).prefetch_related("department")
    if poll is None:
        raise PollClosed
    rater = await rater_department(user_id, quality)
    async with in_transaction():
        # The conditional update is the lock: of two clicks, one changes a row, one does not.
        if not await Poll.filter(id=poll_id, status__in=OPEN).update(status=ANSWERED):
            raise PollClosed
        await _record(poll.department, rater, user_id, answer, quality=quality, now=now)
    poll.status = ANSWERED
    return poll


async def rate_by_hand(
    request: PollRequest, answer: Answer, *, quality: QualityConfig, now: datetime
) -> None:
    """A rating someone chose to give (`/quality rate`, the message shortcut). It counts
    against the same budget as polls, so nobody can rate one department fifty times."""
    department = await Department.get_or_none(slug=request.department, active=True)
    if department is None:
        raise UnknownDepartment(request.department)
    reason = await why_not(request.user_id, request.department, quality=quality, now=now)
    if reason is not None:
        raise NotNow(explain(reason, department.name, quality))
    rater = await rater_department(request.user_id, quality)
    async with in_transaction():
        await Poll.create(
            user_id=request.user_id,
            department=department,
            trigger=request.trigger,
            summary=request.summary[:500],
            url=request.url,
            status=ANSWERED,
            created_at=now,
        )
        await _record(department, rater, request.user_id, answer, quality=quality, now=now)


async def _record(
    department: Department,
    rater: str,
    user_id: str,
    answer: Answer,
    *,
    quality: QualityConfig,
    now: datetime,
) -> None:
    sentiment = answer.sentiment
    await Rating.create(
        department=department,
        rater_department=rater,
        score=answer.score,
        comment=answer.comment or None,
        sentiment_label=sentiment.label if sentiment else None,
        sentiment_polarity=sentiment.polarity if sentiment else None,
        sentiment_language=sentiment.language if sentiment else None,
        week=iso_week(now, quality.tz),
    )
    if answer.consent:
        await FollowUp.create(
            user_id=user_id,
            department=department,
            score=answer.score,
            comment=answer.comment or None,
            created_at=now,
        )


async def rater_department(user_id: str, quality: QualityConfig) -> str:
    """The rater's department for the matrix: the first, in configured order, they belong to."""
    mine = set(await departments_of(user_id))
    for dept in quality.departments:
        if dept.slug in mine:
            return dept.slug
    return UNKNOWN_DEPARTMENT


def explain(reason: str, department: str, quality: QualityConfig) -> str:
    surveys = quality.surveys
    return {
        "opted_out": "You opted out of ratings. `/quality optin` turns them back on.",
        "own_department": f"You are part of {department}: rate the departments that serve you.",
        "over_budget": (
            f"You have given {surveys.max_per_person_per_week} ratings this week, the most we "
            "ask of anyone. Thank you! You can rate again next week."
        ),
        "cooldown": (
            f"You rated {department} in the last {surveys.cooldown_days_per_department} days. "
            "You can rate it again after that."
        ),
    }.get(reason, "You cannot rate this department right now.")
