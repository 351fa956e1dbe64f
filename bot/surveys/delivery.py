"""Getting polls to people and closing them, driven from the database so that a restart
loses nothing: queued polls are sent, open ones reminded once and expired on time, and
consented follow-ups posted to the department's alert channel.

Each step claims its rows with a conditional update (status X → Y where status is still X),
so instances sharing a database never send, remind or expire the same poll twice.
"""

import asyncio
import logging
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks.poll import PollView, closed, follow_up_text, poll_message, reminder
from bot.clock import Clock
from bot.outbox import Outbox
from bot.settings import QualityConfig
from bot.slack_client import RateLimitGate
from bot.surveys.requests import RATED_THIS_WEEK
from bot.weeks import iso_week
from models.survey import (
    EXPIRED,
    OPEN,
    QUEUED,
    REMINDED,
    SENDING,
    SENT,
    SKIPPED,
    AnswerMark,
    FollowUp,
    Poll,
)

log = logging.getLogger(__name__)

# Slack errors that no retry will cure: the person cannot get a DM from us.
UNDELIVERABLE = {"user_not_found", "cannot_dm_bot", "user_disabled", "account_inactive",
                 "channel_not_found", "is_archived", "restricted_action"}  # fmt: skip
MAX_ATTEMPTS = 5
STALE_CLAIM = timedelta(minutes=5)  # a "sending" claim older than this was a crash


class PollDelivery(Outbox):
    def __init__(
        self,
        *,
        client: AsyncWebClient,
        quality: QualityConfig,
        clock: Clock,
        gate: RateLimitGate,
        concurrency: int = 4,
        batch: int = 100,
    ) -> None:
        super().__init__(client=client, quality=quality, clock=clock, gate=gate)
        self._concurrency = concurrency
        self._batch = batch

    async def step(self) -> None:
        await self.send_queued()
        await self.remind_due()
        await self.expire_due()
        await self.post_follow_ups()

    # sending

    async def send_queued(self) -> int:
        now = self._clock()
        await Poll.filter(status=SENDING, claimed_at__lt=now - STALE_CLAIM).update(status=QUEUED)
        sent = 0
        limit = asyncio.Semaphore(self._concurrency)

        async def one(poll_id: object) -> bool:
            async with limit:
                return await self._send(poll_id)

        while True:
            ids = (
                await Poll.filter(status=QUEUED)
                .order_by("created_at")
                .limit(self._batch)
                .values_list("id", flat=True)
            )
            if not ids:
                return sent
            results = await asyncio.gather(*(one(i) for i in ids))
            sent += sum(results)
            if not any(results):
                return sent  # Slack is refusing everything: the next tick tries again

    async def _send(self, poll_id: object) -> bool:
        now = self._clock()
        if not await Poll.filter(id=poll_id, status=QUEUED).update(status=SENDING, claimed_at=now):
            return False  # another instance has it
        poll = await Poll.get(id=poll_id).prefetch_related("department")
        if await AnswerMark.exists(
            user_id=poll.user_id, department=poll.department, week=iso_week(now, self._quality.tz)
        ):
            # They rated the department by hand since the poll was queued: one rating a week.
            await Poll.filter(id=poll_id).update(
                status=SKIPPED, reason=RATED_THIS_WEEK, closed_at=now
            )
            return False
        text, blocks = poll_message(
            _view(poll), min_group_size=self._quality.privacy.min_group_size
        )
        await self._gate.wait()
        try:
            # Posting to the user id opens (or reuses) their DM with the app.
            response = await self._client.chat_postMessage(
                channel=poll.user_id, text=text, blocks=blocks
            )
        except SlackApiError as exc:
            error = str(exc.response.get("error", ""))
            attempts = poll.attempts + 1
            if error in UNDELIVERABLE or attempts >= MAX_ATTEMPTS:
                reason = f"slack:{error}" if error in UNDELIVERABLE else "undeliverable"
                await Poll.filter(id=poll_id).update(
                    status=SKIPPED, reason=reason, closed_at=now, attempts=attempts
                )
            else:
                await Poll.filter(id=poll_id).update(status=QUEUED, attempts=attempts)
            log.warning(
                "poll DM not sent (%s), attempt %d", error or exc.response.status_code, attempts
            )
            return False
        except Exception as exc:  # network: keep the poll for the next tick
            await Poll.filter(id=poll_id).update(status=QUEUED, attempts=poll.attempts + 1)
            log.warning("poll DM not sent (%s)", type(exc).__name__)
            return False
        await Poll.filter(id=poll_id).update(
            status=SENT,
            sent_at=self._clock(),
            channel=response["channel"],
            message_ts=response["ts"],
        )
        return True

    # reminding and expiring

    async def remind_due(self) -> int:
        surveys = self._quality.surveys
        now = self._clock()
        due = await Poll.filter(
            status=SENT,
            sent_at__lte=now - timedelta(hours=surveys.remind_after_hours),
            sent_at__gt=now - timedelta(hours=surveys.expire_after_hours),
        ).prefetch_related("department")
        count = 0
        for poll in due:
            if not await Poll.filter(id=poll.id, status=SENT).update(
                status=REMINDED, reminded_at=now
            ):
                continue
            assert poll.sent_at is not None
            left = poll.sent_at + timedelta(hours=surveys.expire_after_hours) - now
            await self._gate.wait()
            try:
                await self._client.chat_postMessage(
                    channel=poll.channel or poll.user_id,
                    text=reminder(_view(poll), max(1, round(left.total_seconds() / 3600))),
                )
                count += 1
            except Exception as exc:
                error = _describe(exc)
                log.warning("reminder not sent (%s)", error)
                if error not in UNDELIVERABLE:  # an outage: the next step reminds again
                    await Poll.filter(id=poll.id, status=REMINDED).update(
                        status=SENT, reminded_at=None
                    )
        return count

    async def expire_due(self) -> int:
        now = self._clock()
        cutoff = now - timedelta(hours=self._quality.surveys.expire_after_hours)
        due = await Poll.filter(status__in=OPEN, sent_at__lte=cutoff).prefetch_related("department")
        count = 0
        for poll in due:
            if not await Poll.filter(id=poll.id, status__in=OPEN).update(status=EXPIRED):
                continue
            count += 1
            if poll.channel and poll.message_ts:
                text, blocks = closed(poll.department.name)
                try:
                    await self._client.chat_update(
                        channel=poll.channel, ts=poll.message_ts, text=text, blocks=blocks
                    )
                except Exception as exc:
                    # Cosmetic: the poll is closed either way; its buttons say so when clicked.
                    log.warning("closed poll not updated (%s)", _describe(exc))
        return count

    # follow-ups the rater agreed to

    async def post_follow_ups(self) -> int:
        count = 0
        for follow_up in await FollowUp.filter(posted=False).prefetch_related("department"):
            dept = self._quality.department(follow_up.department.slug)
            if dept is None or dept.alert_channel is None:
                await FollowUp.filter(id=follow_up.id).update(posted=True)
                continue
            if not await FollowUp.filter(id=follow_up.id, posted=False).update(posted=True):
                continue
            await self._gate.wait()
            try:
                sent = await self._client.chat_postMessage(
                    channel=dept.alert_channel,
                    text=follow_up_text(follow_up.user_id, dept.name, follow_up.comment),
                )
            except Exception as exc:  # the next step posts it again
                await FollowUp.filter(id=follow_up.id).update(posted=False)
                log.warning("follow-up not posted (%s)", _describe(exc))
                continue
            # Kept so that erasing the person deletes the post that names them.
            await FollowUp.filter(id=follow_up.id).update(
                channel=str(sent["channel"]), ts=str(sent["ts"])
            )
            count += 1
        return count


def _describe(exc: Exception) -> str:
    """Slack's error code, or the kind of network failure (a timeout, a reset connection)."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or exc.response.status_code)
    return type(exc).__name__


def _view(poll: Poll) -> PollView:
    return PollView(str(poll.id), poll.department.name, poll.summary, poll.url)
