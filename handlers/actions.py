"""Clicks on a poll: a score answers it; "Answer with a comment…" opens the rating modal."""

import logging
import re
import uuid
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.poll import (
    COMMENT_ACTION,
    SAMPLE,
    PollView,
    rating_modal,
    sample_answered,
    thank_you,
)
from bot.runtime.db import DATABASE_ERRORS
from bot.services import Services
from bot.surveys.answers import Answer, NotNow, PollClosed
from handlers.modals import open_modal
from handlers.payload import field, text, web_url
from handlers.payload import user_id as slack_user
from models.survey import Poll

log = logging.getLogger(__name__)

SCORE_ACTIONS = re.compile(r"^poll_score_([1-5])$")
SAVE_FAILED = "Couldn't save your answer — please try again in a moment."
CLOSED_NOTE = (
    "This poll has already been answered or has closed, so nothing changed. "
    "You can rate any time with `/quality rate`."
)


def _poll_id(value: object) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


SAMPLE_COMMENT = (
    "In a real poll this opens the rating with room for a comment, stored without the "
    "person's name. This sample stores nothing."
)


def _from_home(body: dict[str, Any]) -> bool:
    return bool(field(body, "container", "type") == "view")


def register(app: AsyncApp, services: Services) -> None:
    async def note(body: dict[str, Any], respond: AsyncRespond, user_id: str, say: str) -> None:
        if _from_home(body):
            await services.home.publish(user_id)  # App Home has no response_url: refresh it
        elif web_url(body, "response_url"):
            await respond(response_type="ephemeral", replace_original=False, text=say)

    async def closed_note(body: dict[str, Any], respond: AsyncRespond, user_id: str) -> None:
        await note(body, respond, user_id, CLOSED_NOTE)

    @app.action(SCORE_ACTIONS)
    @services.tasks.tracked
    async def score(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: AsyncRespond,
        client: AsyncWebClient,
        context: AsyncBoltContext,
    ) -> None:
        match = SCORE_ACTIONS.match(text(action, "action_id") or "")
        poll_id = _poll_id(field(action, "value"))
        user_id = slack_user(body, "user", "id")
        if field(action, "value") == SAMPLE and match is not None:
            await ack()  # an admin trying the sample poll: nothing to store
            said, blocks = sample_answered(int(match.group(1)))
            if web_url(body, "response_url"):
                await respond(replace_original=True, text=said, blocks=blocks)
            return
        if match is None or poll_id is None or user_id is None:
            await ack()
            return
        # Stored before the ack: a click Slack shows as taken is a committed answer.
        try:
            done = await services.polls.answer(poll_id, user_id, Answer(score=int(match.group(1))))
        except PollClosed:
            await ack()
            await closed_note(body, respond, user_id)
            return
        except NotNow as exc:
            await ack()
            await note(body, respond, user_id, str(exc))
            return
        except DATABASE_ERRORS as exc:
            log.warning("answer not saved: the database did not answer (%s)", type(exc).__name__)
            await ack()
            await note(body, respond, user_id, SAVE_FAILED)
            return
        services.metrics.committed("click", context)
        await ack()
        poll = done.poll
        assert poll is not None  # answer() answers the poll clicked on
        thanks, blocks = thank_you(poll.department.name)
        if not _from_home(body) and web_url(body, "response_url"):
            await respond(replace_original=True, text=thanks, blocks=blocks)
            channel = text(body, "container", "channel_id") or poll.channel
            if channel:
                await services.polls.offer(user_id, channel, done.offer)
            return
        # Answered from App Home (or Slack gave no response_url): thank them in the DM, and
        # show Home without the poll.
        if poll.channel and poll.message_ts:
            try:
                await client.chat_update(
                    channel=poll.channel, ts=poll.message_ts, text=thanks, blocks=blocks
                )
            except SlackApiError as exc:  # the DM deleted, say: the answer is in all the same
                log.warning("answered poll's DM not updated (%s)", exc.response.get("error"))
            await services.polls.offer(user_id, poll.channel, done.offer)
        if _from_home(body):
            await services.home.publish(user_id)

    @app.action(COMMENT_ACTION)
    @services.tasks.tracked
    async def comment(
        ack: AsyncAck,
        body: dict[str, Any],
        action: dict[str, Any],
        client: AsyncWebClient,
        respond: AsyncRespond,
    ) -> None:
        quality = services.quality.current
        await ack()
        poll_id = _poll_id(field(action, "value"))
        user_id = slack_user(body, "user", "id")
        if user_id is None:
            return
        if field(action, "value") == SAMPLE:
            await note(body, respond, user_id, SAMPLE_COMMENT)
            return
        poll = None
        if poll_id is not None:
            poll = (
                await Poll.waiting_for(user_id)
                .get_or_none(id=poll_id)
                .prefetch_related("department")
            )
        if poll is None:
            await closed_note(body, respond, user_id)
            return
        dept = quality.department(poll.department.slug)
        view = rating_modal(
            [(poll.department.slug, poll.department.name)],
            poll=PollView.of(poll, quality),
            consent_for=[dept.slug] if dept and dept.alert_channel else [],
            min_group_size=quality.privacy.min_group_size,
        )
        await open_modal(client, text(body, "trigger_id"), view)
