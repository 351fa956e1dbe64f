"""The rating modal's submission: a comment on a poll, or a rating by hand."""

import json
import logging
import uuid
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.errors import SlackApiError

from bot.blocks.poll import (
    COMMENT_BLOCK,
    CONSENT_BLOCK,
    DEPARTMENT_BLOCK,
    RATE_VIEW,
    SCORE_BLOCK,
    thank_you,
)
from bot.services import Services
from bot.surveys.answers import Answer, NotNow, PollClosed, answer_poll, explain, rate_by_hand
from bot.surveys.requests import PollRequest, why_not
from models.survey import OPEN, Poll

log = logging.getLogger(__name__)


def _selected(values: dict[str, Any], block: str) -> str | None:
    option = values.get(block, {}).get(block, {}).get("selected_option") or {}
    value = option.get("value")
    return str(value) if value else None


def register(app: AsyncApp, services: Services) -> None:
    quality = services.settings.quality

    @app.view(RATE_VIEW)
    @services.tasks.tracked
    async def submitted(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any]) -> None:
        values: dict[str, Any] = view.get("state", {}).get("values", {})
        try:
            meta = json.loads(view.get("private_metadata") or "{}")
        except ValueError:
            meta = {}
        user_id = str(body.get("user", {}).get("id", ""))
        score = _selected(values, SCORE_BLOCK)
        comment = (values.get(COMMENT_BLOCK, {}).get(COMMENT_BLOCK, {}).get("value") or "").strip()
        consent = bool(values.get(CONSENT_BLOCK, {}).get(CONSENT_BLOCK, {}).get("selected_options"))
        if score not in {"1", "2", "3", "4", "5"}:
            await ack(response_action="errors", errors={SCORE_BLOCK: "Choose a score from 1 to 5."})
            return
        now = services.clock()
        poll = None
        if meta.get("poll"):
            poll = await Poll.get_or_none(
                id=uuid.UUID(str(meta["poll"])), user_id=user_id, status__in=OPEN
            ).prefetch_related("department")
            if poll is None:
                await ack(
                    response_action="errors", errors={SCORE_BLOCK: "This poll has already closed."}
                )
                return
            slug = poll.department.slug
        else:
            slug = _selected(values, DEPARTMENT_BLOCK) or ""
            dept = quality.department(slug)
            if dept is None:
                await ack(
                    response_action="errors", errors={DEPARTMENT_BLOCK: "Choose a department."}
                )
                return
            # Checked before the modal closes, so the answer comes back in it.
            if (reason := await why_not(user_id, slug, quality=quality, now=now)) is not None:
                await ack(
                    response_action="errors",
                    errors={DEPARTMENT_BLOCK: explain(reason, dept.name, quality)},
                )
                return
        dept = quality.department(slug)
        if consent and (dept is None or dept.alert_channel is None):
            await ack(
                response_action="errors",
                errors={CONSENT_BLOCK: "This department has no channel to follow up in."},
            )
            return
        await ack()
        sentiment = await services.sentiment.analyze(comment) if comment else None
        answer = Answer(
            score=int(score), comment=comment or None, sentiment=sentiment, consent=consent
        )
        name = dept.name if dept else slug
        try:
            if poll is not None:
                await answer_poll(poll.id, user_id, answer, quality=quality, now=now)
                if poll.channel and poll.message_ts:
                    text, blocks = thank_you(name, answer.score)
                    await services.client.chat_update(
                        channel=poll.channel, ts=poll.message_ts, text=text, blocks=blocks
                    )
            else:
                request = PollRequest(
                    user_id=user_id,
                    department=slug,
                    trigger=str(meta.get("trigger") or "manual"),
                    summary=str(meta.get("summary") or ""),
                )
                await rate_by_hand(request, answer, quality=quality, now=now)
                text, blocks = thank_you(name, answer.score)
                await services.client.chat_postMessage(channel=user_id, text=text, blocks=blocks)
        except (PollClosed, NotNow) as exc:
            # Lost a race with a click on the poll or with another rating: one answer stands.
            log.info("rating not recorded: %s", type(exc).__name__)
        except SlackApiError as exc:
            log.warning("thank-you not shown (%s)", exc.response.get("error"))
        if answer.consent:
            services.polls.wake()  # post the follow-up now
