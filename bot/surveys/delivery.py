"""Getting polls to people and closing them, driven from the database so that a restart
loses nothing: queued polls are sent, open ones reminded once and expired on time, and
consented follow-ups posted to the department's alert channel.

Each step claims its rows with a conditional update (status X → Y where status is still X),
so instances sharing a database never send, remind or expire the same poll twice.

A poll DM or reminder whose chat.postMessage timed out, broke off or got a 5xx may have reached
the person all the same, and so may one whose sender died between Slack and the database (a
"sending" claim left to go stale, then counted as a failed attempt). So each is posted with
metadata naming its poll and kind, and before it is sent again the person's DM is searched for
it: found, it is recorded as sent; if Slack cannot be asked, nothing is posted and the next
tick tries again (for a poll, an attempt that counts towards MAX_ATTEMPTS). A poll that failed
before says so by its `attempts`; a reminder in doubt goes back to "sent" keeping its
`reminded_at`, which the week's close clears. The first send of a poll asks nothing first.
"""

import asyncio
import logging
import uuid
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from tortoise.expressions import F

from bot.blocks.offer import reasons_offer, thanks_offer
from bot.blocks.poll import (
    PollView,
    closed,
    follow_up_message,
    poll_message,
    reminder,
    thank_you,
)
from bot.clock import Clock
from bot.config import QualitySource
from bot.slack.client import RateLimitGate
from bot.slack.outbox import Mark, Outbox, describe, find_marked, refused
from bot.surveys.answers import Answer, Answered, answer_poll, rate_by_hand
from bot.surveys.cases import nudge_unclaimed
from bot.surveys.reasons import REASONS_OPEN, Added, Offer, add_reasons
from bot.surveys.requests import RATED_THIS_WEEK, PollOutcome, PollRequest, request_poll
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
EVENT_TYPE = "quality_poll"  # the metadata a poll DM or reminder is found by
FOLLOW_UP_EVENT = "quality_follow_up"
POLL, REMINDER = "poll", "reminder"


class PollDelivery(Outbox):
    def __init__(
        self,
        *,
        client: AsyncWebClient,
        quality: QualitySource,
        clock: Clock,
        gate: RateLimitGate,
        concurrency: int = 4,
        batch: int = 100,
    ) -> None:
        super().__init__(client=client, quality=quality, clock=clock, gate=gate)
        self._concurrency = concurrency
        self._batch = batch

    async def request(self, request: PollRequest) -> PollOutcome:
        """Store what a trigger asks for (bot/surveys/requests.py) and, when it queued a poll,
        send it now rather than at the next tick."""
        outcome = await request_poll(request, quality=self._quality, now=self._clock())
        if outcome.created and outcome.status == QUEUED:
            self.wake()
        return outcome

    async def answer(self, poll_id: uuid.UUID, user_id: str, answer: Answer) -> Answered:
        """Commit an answer to a poll (bot/surveys/answers.py); a consented comment's
        follow-up is posted now rather than at the next tick."""
        done = await answer_poll(poll_id, user_id, answer, quality=self._quality, now=self._clock())
        if answer.consent:
            self.wake()
        return done

    async def rate_by_hand(self, user_id: str, slug: str, answer: Answer) -> Answered:
        """Commit a rating someone chose to give (bot/surveys/answers.py); as `answer`."""
        done = await rate_by_hand(user_id, slug, answer, quality=self._quality, now=self._clock())
        if answer.consent:
            self.wake()
        return done

    async def thank(self, user_id: str, department: str, answered: Answered) -> None:
        """Thank someone whose answer is stored: the poll's DM becomes the thank-you, or, for a
        rating by hand (no poll), a DM says it; then what it offers. Cosmetic: the answer is
        stored either way."""
        thanks, blocks = thank_you(department)
        poll, channel = answered.poll, None
        try:
            if poll is not None and poll.channel and poll.message_ts:
                await self._client.chat_update(
                    channel=poll.channel, ts=poll.message_ts, text=thanks, blocks=blocks
                )
                channel = poll.channel
            elif poll is None:
                sent = await self._client.chat_postMessage(
                    channel=user_id, text=thanks, blocks=blocks
                )
                channel = str(sent["channel"])
        except SlackApiError as exc:
            log.warning("thank-you not shown (%s)", exc.response.get("error"))
        if channel is not None:
            await self.offer(user_id, channel, answered.offer)

    async def add_reasons(self, token: str, picked: list[str]) -> Added:
        """Put the reasons picked (none: skipped) on the held answer (bot/surveys/reasons.py)."""
        return await add_reasons(token, picked, quality=self._quality, now=self._clock())

    async def offer(self, user_id: str, channel: str, offer: Offer | None) -> None:
        """Show the person, in `channel` (their DM with the app), what the thank-you offers
        (bot/surveys/reasons.py): ephemeral, so the DM's history keeps no sign of the band."""
        if offer is None:
            return
        shown = []
        if offer.token is not None:
            minutes = int(REASONS_OPEN.total_seconds() // 60)
            shown.append(
                reasons_offer(offer.name, offer.band, offer.reasons, offer.token, minutes=minutes)
            )
        if offer.thanks is not None:
            shown.append(thanks_offer(offer.slug, offer.name, offer.week, offer.thanks))
        for text, blocks in shown:
            try:
                await self._client.chat_postEphemeral(
                    channel=channel, user=user_id, text=text, blocks=blocks
                )
            except SlackApiError as exc:  # cosmetic too: the answer is in without them
                log.warning("thank-you offer not shown (%s)", exc.response.get("error"))

    async def step(self) -> None:
        await self.send_queued()
        await self.remind_due()
        await self.expire_due()
        await self.post_follow_ups()
        await nudge_unclaimed(self._client, self._quality, self._clock())

    # sending

    async def send_queued(self) -> int:
        now = self._clock()
        # The sender died after claiming: its DM may be out. A failed attempt, so looked for.
        await Poll.filter(status=SENDING, claimed_at__lt=now - STALE_CLAIM).update(
            status=QUEUED, attempts=F("attempts") + 1
        )
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
        mark = _mark(poll, POLL)
        await self._gate.wait()
        if poll.attempts:
            # An earlier attempt failed, perhaps after Slack had posted it: look before posting.
            # (After a plain refusal this look is spare; `attempts` cannot tell which it was.)
            try:
                found = await find_marked(self._client, poll.user_id, mark)
            except Exception as exc:  # not knowing is not "not there": nothing is posted
                await self._failed(poll, now, exc, "poll DM not looked for")
                return False
            if found is not None:
                log.info("poll DM found already delivered; recorded, not sent again")
                await self._sent(poll, *found)
                return True
        text, blocks = poll_message(
            PollView.of(poll, self._quality), min_group_size=self._quality.privacy.min_group_size
        )
        try:
            # Posting to the user id opens (or reuses) their DM with the app.
            response = await self._client.chat_postMessage(
                channel=poll.user_id, text=text, blocks=blocks, metadata=mark.metadata
            )
        except Exception as exc:
            await self._failed(poll, now, exc, "poll DM not sent")
            return False
        await self._sent(poll, str(response["channel"]), str(response["ts"]))
        return True

    async def _sent(self, poll: Poll, channel: str, ts: str) -> None:
        await Poll.filter(id=poll.id).update(
            status=SENT, sent_at=self._clock(), channel=channel, message_ts=ts
        )

    async def _failed(self, poll: Poll, now: datetime, exc: Exception, what: str) -> None:
        """Queue the poll for the next tick, or skip it when Slack will never deliver it or it
        has been tried MAX_ATTEMPTS times."""
        error = describe(exc)
        attempts = poll.attempts + 1
        if error in UNDELIVERABLE or attempts >= MAX_ATTEMPTS:
            reason = f"slack:{error}" if error in UNDELIVERABLE else "undeliverable"
            await Poll.filter(id=poll.id).update(
                status=SKIPPED, reason=reason, closed_at=now, attempts=attempts
            )
        else:
            await Poll.filter(id=poll.id).update(status=QUEUED, attempts=attempts)
        log.warning("%s (%s), attempt %d", what, error, attempts)

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
            # Still "sent" with a reminded_at: an earlier reminder may have been posted.
            in_doubt = poll.reminded_at is not None
            if not await Poll.filter(id=poll.id, status=SENT).update(
                status=REMINDED, reminded_at=now
            ):
                continue
            assert poll.sent_at is not None
            left = poll.sent_at + timedelta(hours=surveys.expire_after_hours) - now
            hours_left = max(1, round(left.total_seconds() / 3600))
            mark = _mark(poll, REMINDER)
            channel = poll.channel or poll.user_id
            await self._gate.wait()
            try:
                if in_doubt and await find_marked(self._client, channel, mark):
                    log.info("reminder found already delivered; not sent again")
                else:
                    await self._client.chat_postMessage(
                        channel=channel,
                        text=reminder(PollView.of(poll, self._quality), hours_left),
                        metadata=mark.metadata,
                    )
                count += 1
            except Exception as exc:
                error = describe(exc)
                log.warning("reminder not sent (%s)", error)
                if error not in UNDELIVERABLE:  # an outage: the next step reminds again
                    doubt = now if in_doubt or not refused(exc) else None
                    await Poll.filter(id=poll.id, status=REMINDED).update(
                        status=SENT, reminded_at=doubt
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
                    log.warning("closed poll not updated (%s)", describe(exc))
        return count

    # follow-ups the rater agreed to

    async def post_follow_ups(self) -> int:
        """Post each signed follow-up to its department's alert channel, once: claimed before
        it is posted (with metadata naming it), recorded after; a claim left by a crash or a
        lost answer is looked for in the channel before it is posted again."""
        now = self._clock()
        count = 0
        stale = FollowUp.filter(posted=True, ts__isnull=True, posted_at__lt=now - STALE_CLAIM)
        for follow_up in await stale.prefetch_related("department"):
            count += await self._post_follow_up(follow_up, look_first=True)
        for follow_up in await FollowUp.filter(posted=False).prefetch_related("department"):
            count += await self._post_follow_up(follow_up, look_first=False)
        return count

    async def _post_follow_up(self, follow_up: FollowUp, *, look_first: bool) -> int:
        now = self._clock()
        dept = self._quality.department(follow_up.department.slug)
        if dept is None or dept.alert_channel is None:
            await FollowUp.filter(id=follow_up.id).update(posted=True, channel=None)
            return 0
        claim = FollowUp.filter(id=follow_up.id, ts__isnull=True)
        claim = (
            claim.filter(posted_at=follow_up.posted_at)
            if look_first
            else claim.filter(posted=False)
        )
        if not await claim.update(posted=True, posted_at=now):
            return 0  # another instance has it
        mark = Mark(FOLLOW_UP_EVENT, {"follow_up": str(follow_up.id)})
        text, blocks = follow_up_message(
            follow_up.id, follow_up.user_id, dept.name, follow_up.comment
        )
        await self._gate.wait()
        try:
            found = (
                await find_marked(self._client, dept.alert_channel, mark) if look_first else None
            )
            if found is None:
                sent = await self._client.chat_postMessage(
                    channel=dept.alert_channel, text=text, blocks=blocks, metadata=mark.metadata
                )
                found = str(sent["channel"]), str(sent["ts"])
        except Exception as exc:
            if refused(exc):  # certainly not posted: the next step posts it
                await FollowUp.filter(id=follow_up.id).update(posted=False, posted_at=None)
            log.warning("follow-up not posted (%s)", describe(exc))
            return 0
        # Kept so that erasing the person deletes the post that names them.
        await FollowUp.filter(id=follow_up.id).update(channel=found[0], ts=found[1])
        return 1


def _mark(poll: Poll, kind: str) -> Mark:
    # The poll's id alone, which its buttons carry anyway: the DM is the person's own.
    return Mark(EVENT_TYPE, {"poll": str(poll.id), "kind": kind})
