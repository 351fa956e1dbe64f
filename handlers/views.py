"""The rating modal's submission: a comment on a poll, or a rating by hand."""

import logging
import uuid
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext

from bot.blocks.poll import (
    COMMENT_BLOCK,
    CONSENT_BLOCK,
    DEPARTMENT_BLOCK,
    MAX_COMMENT,
    RATE_VIEW,
    SCORE_BLOCK,
)
from bot.config import DepartmentConfig
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from bot.surveys.answers import (
    Answer,
    Answered,
    NoFollowUp,
    NotNow,
    PollClosed,
)
from bot.surveys.requests import UnknownDepartment
from handlers.payload import field, json_object, text
from handlers.payload import user_id as slack_user

log = logging.getLogger(__name__)


# What the app writes into the modal's private_metadata (bot/blocks/poll.py), as triggers.
TRIGGERS = ("manual", "shortcut")


@dataclass(frozen=True)
class Origin:
    """The modal's private_metadata: the poll it comments on, or where a rating by hand began."""

    poll: uuid.UUID | None
    trigger: str
    summary: str


def _origin(metadata: object) -> Origin | None:
    """What the app put in the modal, or None when it is not something the app writes (Slack
    hands private_metadata back as it was given)."""
    meta = json_object(metadata)
    if not meta:
        return None
    poll, trigger = meta.get("poll"), meta.get("trigger", "manual")
    summary = meta.get("summary", "")
    if not (poll is None or isinstance(poll, str)) or trigger not in TRIGGERS:
        return None
    if not isinstance(summary, str) or "\x00" in summary:
        return None  # the app writes none with a NUL character (bot.surveys.served.summary_of)
    try:
        return Origin(uuid.UUID(poll) if poll else None, trigger, summary)
    except ValueError:
        return None


def _selected(values: dict[str, Any], block: str) -> str | None:
    return text(values, block, block, "selected_option", "value") or None


def _comment_problem(comment: str) -> str | None:
    """Why the comment cannot be stored as typed, said in the modal; None when it can."""
    if len(comment) > MAX_COMMENT:  # the input's max_length, which Slack enforces
        return f"Keep the comment to {MAX_COMMENT} characters."
    if "\x00" in comment:  # a text column of PostgreSQL cannot hold it
        return "The comment holds a NUL character (\\u0000): please remove it."
    return None


def _readable(values: dict[str, Any]) -> bool:
    """Whether each input the modal has holds what Slack puts there (or is left out)."""
    kinds = {
        SCORE_BLOCK: ("selected_option", dict),
        DEPARTMENT_BLOCK: ("selected_option", dict),
        COMMENT_BLOCK: ("value", str),
        CONSENT_BLOCK: ("selected_options", list),
    }
    for block, (key, kind) in kinds.items():
        if block not in values:
            continue
        element = field(values, block, block)
        if not isinstance(element, dict):
            return False
        value = element.get(key)
        if value is not None and not isinstance(value, kind):
            return False
        if kind is dict and value is not None and not isinstance(value.get("value"), str):
            return False
    return True


SAVE_FAILED = "Couldn't save your answer — please try again."
CLOSED_POLL = "This poll has already closed."


def register(app: AsyncApp, services: Services) -> None:
    @app.view(RATE_VIEW)
    @services.tasks.tracked
    async def submitted(
        ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
    ) -> None:
        quality = services.quality.current
        values = field(view, "state", "values")
        origin = _origin(field(view, "private_metadata"))
        user_id = slack_user(body, "user", "id")
        if not isinstance(values, dict) or not _readable(values) or origin is None or not user_id:
            # Not the modal this app opened, as Slack submits it: there is nothing to record.
            log.warning("rating modal submission not readable; nothing recorded")
            await ack()
            return
        score = _selected(values, SCORE_BLOCK)
        comment = (text(values, COMMENT_BLOCK, COMMENT_BLOCK, "value") or "").strip()
        consent = bool(field(values, CONSENT_BLOCK, CONSENT_BLOCK, "selected_options"))
        if (problem := _comment_problem(comment)) is not None:
            await ack(response_action="errors", errors={COMMENT_BLOCK: problem})
            return
        if score not in {"1", "2", "3", "4", "5"}:
            await ack(response_action="errors", errors={SCORE_BLOCK: "Choose a score from 1 to 5."})
            return
        slug = None if origin.poll is not None else _selected(values, DEPARTMENT_BLOCK) or ""
        dept = quality.department(slug) if slug is not None else None
        if slug is not None and dept is None:
            await ack(response_action="errors", errors={DEPARTMENT_BLOCK: "Choose a department."})
            return
        answer = Answer(score=int(score), comment=comment or None, consent=consent)
        # The answer is committed before the modal closes: what Slack shows as sent is stored.
        done: Answered
        try:
            if origin.poll is not None:
                done = await _answer(origin.poll, user_id, answer)
            else:
                assert dept is not None
                done = await _rate(dept, user_id, answer)
        except _Refused as refused:
            await ack(response_action="errors", errors={refused.block: refused.reason})
            return
        except DATABASE_ERRORS as exc:
            log.warning("answer not saved: the database did not answer (%s)", type(exc).__name__)
            await ack(response_action="errors", errors={SCORE_BLOCK: SAVE_FAILED})
            return
        services.metrics.committed("modal", context)
        await ack()
        poll = done.poll
        name = poll.department.name if poll is not None else dept.name if dept else ""
        await services.polls.thank(user_id, name, done)

    async def _answer(poll_id: uuid.UUID, user_id: str, answer: Answer) -> Answered:
        try:
            return await services.polls.answer(poll_id, user_id, answer)
        except PollClosed:
            raise _Refused(SCORE_BLOCK, CLOSED_POLL) from None
        except NotNow as exc:
            raise _Refused(SCORE_BLOCK, str(exc)) from None
        except NoFollowUp:
            raise _Refused(CONSENT_BLOCK, NO_FOLLOW_UP) from None

    async def _rate(dept: DepartmentConfig, user_id: str, answer: Answer) -> Answered:
        try:
            return await services.polls.rate_by_hand(user_id, dept.slug, answer)
        except (NotNow, UnknownDepartment) as exc:
            reason = str(exc) if isinstance(exc, NotNow) else "Choose a department."
            raise _Refused(DEPARTMENT_BLOCK, reason) from None
        except NoFollowUp:
            raise _Refused(CONSENT_BLOCK, NO_FOLLOW_UP) from None


NO_FOLLOW_UP = "This department has no channel to follow up in."


class _Refused(Exception):
    """An answer not stored, and why, said in the modal next to `block`."""

    def __init__(self, block: str, reason: str) -> None:
        super().__init__(reason)
        self.block = block
        self.reason = reason
