"""A poll DM or reminder whose answer from Slack never came (a timeout, a crash between Slack
and the database) may have reached the person all the same: it is looked for in their DM before
it is sent again, so that nobody gets the same poll twice — and one that never reached Slack
is sent again, once."""

from typing import Any, cast

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_standin import SlackStandIn
from bot.surveys.delivery import MAX_ATTEMPTS, PollDelivery
from models.department import Department
from models.survey import QUEUED, REMINDED, SENDING, SENT, SKIPPED, Poll
from tests.bot.test_digest_post import Crash, CrashAfterSend
from tests.bot.test_slack_faults import TIMEOUT, clock, harness
from tests.conftest import Harness
from tests.support import FakeClock, eventually

LATE = TIMEOUT + 1  # an answer held this long never reaches it
USER = "U0EMP0001"  # known to the stand-in (the `app` of test_slack_faults)
__all__ = ["clock", "harness"]  # its fixtures: a client timing out after TIMEOUT, no loops running


async def _queued_poll(clock: FakeClock) -> Poll:
    it = await Department.get(slug="it")
    return await Poll.create(user_id=USER, department=it, trigger="manual", created_at=clock())


def _in_dm(slack: SlackStandIn, poll: Poll, kind: str) -> list[dict[str, Any]]:
    """The messages in the person's DM marked as this poll's DM or reminder."""
    payload = {"poll": str(poll.id), "kind": kind}
    return [
        m
        for m in slack.messages.get(slack.dm_channel(USER), [])
        if m.get("metadata") == {"event_type": "quality_poll", "event_payload": payload}
    ]


def _lookups(slack: SlackStandIn) -> int:
    """Looks into the person's DM for the poll (start-up's look at each configured channel is
    not one)."""
    dm = slack.dm_channel(USER)
    in_dm = lambda c: c.params.get("channel") in (dm, USER)  # noqa: E731
    return len(slack.calls_to("conversations.history", include_failed=True, where=in_dm))


async def test_a_poll_dm_delivered_before_its_answer_was_lost_is_not_sent_again(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    slack.lose_answer("chat.postMessage", LATE)
    assert await harness.services.polls.send_queued() == 0
    assert ((p := await Poll.get(id=poll.id)).status, p.attempts) == (QUEUED, 1)
    [dm] = _in_dm(slack, poll, "poll")  # the person has it; the database does not know

    assert await harness.services.polls.send_queued() == 1
    for _ in range(3):
        await harness.services.polls.step()
    assert _in_dm(slack, poll, "poll") == [dm]
    assert len(slack.calls_to("chat.postMessage", include_failed=True)) == 1
    p = await Poll.get(id=poll.id)
    assert (p.status, p.channel, p.message_ts) == (SENT, slack.dm_channel(USER), dm["ts"])
    assert p.sent_at == clock()


async def test_a_reminder_delivered_before_its_answer_was_lost_is_not_sent_again(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    assert await harness.services.polls.send_queued() == 1
    assert _lookups(slack) == 0  # a first send asks Slack nothing first
    clock.advance(hours=25)
    slack.lose_answer("chat.postMessage", LATE)
    assert await harness.services.polls.remind_due() == 0
    assert (await Poll.get(id=poll.id)).status == SENT  # for all the app knows, not reminded
    [reminder] = _in_dm(slack, poll, "reminder")

    assert await harness.services.polls.remind_due() == 1
    assert (await Poll.get(id=poll.id)).status == REMINDED
    assert await harness.services.polls.remind_due() == 0
    assert _in_dm(slack, poll, "reminder") == [reminder]
    assert len(_in_dm(slack, poll, "poll")) == 1


async def test_a_stale_claim_whose_dm_was_delivered_is_not_sent_again(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    dying = PollDelivery(
        client=cast(AsyncWebClient, CrashAfterSend(harness.services.client)),
        quality=harness.services.quality.current,
        clock=clock,
        gate=harness.services.gate,
    )
    with pytest.raises(Crash):
        await dying.send_queued()
    assert (await Poll.get(id=poll.id)).status == SENDING
    [dm] = _in_dm(slack, poll, "poll")

    assert await harness.services.polls.send_queued() == 0  # the claim is fresh: it may yet land
    clock.advance(minutes=6)
    assert await harness.services.polls.send_queued() == 1
    assert _in_dm(slack, poll, "poll") == [dm]
    p = await Poll.get(id=poll.id)
    assert (p.status, p.message_ts, p.attempts) == (SENT, dm["ts"], 1)


async def test_a_poll_dm_lost_before_it_reached_slack_is_sent_again_once(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    slack.lose_request("chat.postMessage", LATE)
    assert await harness.services.polls.send_queued() == 0
    assert ((p := await Poll.get(id=poll.id)).status, p.attempts) == (QUEUED, 1)

    assert await harness.services.polls.send_queued() == 1
    assert _lookups(slack) == 1  # looked for, not found, sent
    # The lost request is answered late, and still never carried out.
    await eventually(lambda: len(slack.calls_to("chat.postMessage", include_failed=True)) == 2)
    await harness.services.polls.step()
    [dm] = _in_dm(slack, poll, "poll")
    p = await Poll.get(id=poll.id)
    assert (p.status, p.channel, p.message_ts) == (SENT, slack.dm_channel(USER), dm["ts"])


async def test_when_the_dm_cannot_be_looked_up_nothing_is_posted(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    slack.lose_request("chat.postMessage", LATE)
    await harness.services.polls.send_queued()

    slack.fail_http("conversations.history", 503, times=3)  # the first try and both retries
    assert await harness.services.polls.send_queued() == 0
    assert ((p := await Poll.get(id=poll.id)).status, p.attempts) == (QUEUED, 2)
    for attempts in range(3, MAX_ATTEMPTS + 1):
        slack.fail("conversations.open", "internal_error")
        assert await harness.services.polls.send_queued() == 0
        assert (await Poll.get(id=poll.id)).attempts == attempts

    assert slack.calls_to("chat.postMessage") == []  # not once carried out
    assert _in_dm(slack, poll, "poll") == []
    p = await Poll.get(id=poll.id)
    assert (p.status, p.reason) == (SKIPPED, "undeliverable")  # MAX_ATTEMPTS still ends it
