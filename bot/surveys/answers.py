"""Recording an answer, before Slack is told it is done: the poll is closed, the answer held
(bot/surveys/release.py releases it into the ratings later, mixed with others) and the person
marked as having rated the department this week, in one transaction. A double click or a
second device yields one answer; a second rating of the department that week, none.
"""

import uuid
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from tortoise.exceptions import IntegrityError
from tortoise.functions import Count
from tortoise.transactions import in_transaction

from bot.config import QualityConfig
from bot.people.membership import departments_of
from bot.surveys.reasons import Offer, hold_until, offer
from bot.surveys.requests import (
    RATED_THIS_WEEK,
    UnknownDepartment,
    why_not_by_hand,
)
from bot.weeks import iso_week
from models.department import Department
from models.survey import (
    ANSWERED,
    EXPIRED,
    OPEN,
    UNKNOWN_RATER,
    AnswerMark,
    FollowUp,
    HeldAnswer,
    Poll,
)


class PollClosed(Exception):
    """Answered already, expired, or not this person's poll."""


class NotNow(Exception):
    """A rating the rules do not allow now; str() is the reason, said to the person."""


class NoFollowUp(Exception):
    """The person asked to be contacted, and the department has no channel to do it in."""


@dataclass(frozen=True)
class Answered:
    """A committed answer: the poll it answered (None for a rating by hand with no poll
    waiting), and what its thank-you offers (bot/surveys/reasons.py)."""

    poll: Poll | None
    offer: Offer | None


@dataclass(frozen=True)
class Answer:
    score: int
    comment: str | None = None
    consent: bool = False  # "<department> may contact me about this"


async def answer_poll(
    poll_id: uuid.UUID, user_id: str, answer: Answer, *, quality: QualityConfig, now: datetime
) -> Answered:
    poll: Poll | None = None
    try:
        # Read and written in one transaction: on SQLite, where every statement waits its turn
        # for the one connection, an answer then waits once, not once per statement.
        async with in_transaction():
            poll = await Poll.get_or_none(id=poll_id, user_id=user_id).select_related("department")
            if poll is None:
                raise PollClosed
            _check_follow_up(answer, poll.department.slug, quality)
            rater = await rater_department(user_id, quality)
            # The conditional update is the lock: of two clicks, one changes a row, one does not.
            if not await Poll.filter(id=poll_id, status__in=OPEN).update(status=ANSWERED):
                raise PollClosed
            offered = await _hold(poll.department, rater, user_id, answer, quality=quality, now=now)
    except IntegrityError:
        assert poll is not None  # the first write failed, so the poll was read
        # They rated the department this week already (by hand, or through another poll):
        # this poll closes unanswered rather than wait for an answer it cannot take.
        await Poll.filter(id=poll_id, status__in=OPEN).update(status=EXPIRED)
        raise NotNow(explain(RATED_THIS_WEEK, poll.department.name, quality)) from None
    poll.status = ANSWERED
    return Answered(poll, offered)


async def rate_by_hand(
    user_id: str, slug: str, answer: Answer, *, quality: QualityConfig, now: datetime
) -> Answered:
    """A rating someone chose to give (`/quality rate`, the message shortcut, App Home). A poll
    about the department waiting in their DMs is the one it answers (and is returned); else
    it counts against the weekly budget like a poll, so nobody rates a department fifty times."""
    department = await Department.get_or_none(slug=slug, active=True)
    if department is None:
        raise UnknownDepartment(slug)
    _check_follow_up(answer, slug, quality)
    waiting = await Poll.waiting_for(user_id).filter(department=department).first()
    if waiting is not None:
        try:
            return await answer_poll(waiting.id, user_id, answer, quality=quality, now=now)
        except PollClosed:
            pass  # answered or expired a moment ago: a rating by hand it is
    try:
        async with in_transaction():  # one wait for SQLite's connection (answer_poll)
            reason = await why_not_by_hand(user_id, slug, quality=quality, now=now)
            if reason is not None:
                raise NotNow(explain(reason, department.name, quality))
            rater = await rater_department(user_id, quality)
            offered = await _hold(
                department, rater, user_id, answer, quality=quality, now=now, by_hand=True
            )
    except IntegrityError:  # a rating of the same department a moment ago, on another device
        raise NotNow(explain(RATED_THIS_WEEK, department.name, quality)) from None
    return Answered(None, offered)


def _check_follow_up(answer: Answer, slug: str, quality: QualityConfig) -> None:
    dept = quality.department(slug)
    if answer.consent and (dept is None or dept.alert_channel is None):
        raise NoFollowUp


async def _hold(
    department: Department,
    rater: str,
    user_id: str,
    answer: Answer,
    *,
    quality: QualityConfig,
    now: datetime,
    by_hand: bool = False,
) -> Offer | None:
    """Hold the answer; what its thank-you may offer."""
    week = iso_week(now, quality.tz)
    offered = offer(department.slug, department.name, answer.score, week, quality)
    token = offered.token if offered else None
    await AnswerMark.create(user_id=user_id, department=department, week=week, by_hand=by_hand)
    # A comment the person signs goes to the department by name, and not into the anonymous
    # answers as well: there it would tell the others' comments apart from theirs.
    await HeldAnswer.create(
        department=department,
        rater_department=rater,
        score=answer.score,
        comment=None if answer.consent else answer.comment or None,
        week=week,
        token=token,
        open_until=hold_until(token, now),
    )
    if answer.consent:
        await FollowUp.create(
            user_id=user_id,
            department=department,
            comment=answer.comment or None,
            created_at=now,
            week=week,
        )
    return offered


async def signed(weeks: Collection[str]) -> dict[tuple[int, str], int]:
    """How many answers of each (department id, week) their givers signed (follow-ups)."""
    rows = (
        await FollowUp.filter(week__in=list(weeks))
        .annotate(n=Count("id"))
        .group_by("department_id", "week")
        .values("department_id", "week", "n")
    )
    return {(row["department_id"], row["week"]): row["n"] for row in rows}


async def rater_department(user_id: str, quality: QualityConfig) -> str:
    """The rater's department for the matrix: the first, in configured order, they belong to."""
    mine = set(await departments_of(user_id))
    for dept in quality.departments:
        if dept.slug in mine:
            return dept.slug
    return UNKNOWN_RATER


def explain(reason: str, department: str, quality: QualityConfig) -> str:
    surveys = quality.surveys
    return {
        "opted_out": "You opted out of ratings. `/quality optin` turns them back on.",
        "own_department": f"You are part of {department}: rate the departments that serve you.",
        "over_budget": (
            f"You have given {surveys.max_per_person_per_week} ratings this week, the most we "
            "ask of anyone. Thank you! You can rate again next week."
        ),
        RATED_THIS_WEEK: (
            f"You rated {department} this week already: one rating per department a week. "
            "You can rate it again next week."
        ),
    }.get(reason, "You cannot rate this department right now.")
