"""Slack having a bad day: 429s are waited out, 5xx answers retried, and whatever still fails
(a timeout, a 5xx that will not stop) stays in the database for the next step to deliver."""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bot.slack_standin import SlackStandIn
from models.department import Department
from models.review import ALERT_PENDING, ALERT_SENDING, ALERT_SENT, Review
from models.survey import QUEUED, REMINDED, SENT, FollowUp, Poll
from tests.conftest import Harness, make_settings, start_harness
from tests.support import FakeClock, until

# What is under test is Slack misbehaving, the same on either database: run once, in the
# SQLite run.
pytestmark = pytest.mark.same_on_either_database

TIMEOUT = 1  # seconds the app's Slack client waits here, instead of 15


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn, clock: FakeClock) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack), slack, clock=clock)
    h.services.client.timeout = TIMEOUT
    await h.services.tasks.drain(grace=5)  # the test takes the steps, not the background loops
    slack.add_user("U0EMP0001", name="emp")
    yield h
    await h.client.close()


async def _queued_poll(clock: FakeClock) -> Poll:
    it = await Department.get(slug="it")
    return await Poll.create(
        user_id="U0EMP0001", department=it, trigger="manual", created_at=clock()
    )


async def test_a_poll_dm_that_times_out_stays_queued_and_goes_on_the_next_step(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    slack.stall("chat.postMessage", TIMEOUT + 1)
    assert await harness.services.polls.send_queued() == 0
    assert ((p := await Poll.get(id=poll.id)).status, p.attempts) == (QUEUED, 1)

    assert await harness.services.polls.send_queued() == 1
    assert (await Poll.get(id=poll.id)).status == SENT


async def test_a_5xx_is_retried_and_one_that_persists_waits_for_the_next_step(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    slack.fail_http("chat.postMessage", 503, times=1)
    assert await harness.services.polls.send_queued() == 1  # retried at once, and through
    assert len(slack.calls_to("chat.postMessage", include_failed=True)) == 2

    poll = await _queued_poll(clock)
    slack.fail_http("chat.postMessage", 502, times=3)  # the first try and both retries
    assert await harness.services.polls.send_queued() == 0
    assert ((p := await Poll.get(id=poll.id)).status, p.attempts) == (QUEUED, 1)
    assert await harness.services.polls.send_queued() == 1


async def test_a_429_is_waited_out_not_counted_as_a_failure(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    slack.rate_limit("chat.postMessage", retry_after=1)
    started = time.monotonic()
    assert await harness.services.polls.send_queued() == 1
    assert time.monotonic() - started >= 1.0  # Retry-After honoured
    assert ((p := await Poll.get(id=poll.id)).status, p.attempts) == (SENT, 0)
    assert len(slack.calls_to("chat.postMessage")) == 1


async def test_a_reminder_lost_to_a_timeout_is_sent_on_the_next_step(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    poll = await _queued_poll(clock)
    await harness.services.polls.send_queued()
    clock.advance(hours=25)
    slack.stall("chat.postMessage", TIMEOUT + 1)
    assert await harness.services.polls.remind_due() == 0
    assert (await Poll.get(id=poll.id)).status == SENT  # not marked reminded: it was not

    assert await harness.services.polls.remind_due() == 1
    assert (await Poll.get(id=poll.id)).status == REMINDED
    assert await harness.services.polls.remind_due() == 0  # and once only


async def posted_once_though_slack_did_not_say(
    slack: SlackStandIn,
    clock: FakeClock,
    step: Callable[[], Awaitable[int]],
    unknown: Callable[[], Awaitable[bool]],
) -> None:
    """What `step` posts to IT's team channel is posted once although Slack first answers a
    5xx (posted or not, nobody knows: `unknown` says the row records that) and then posts it
    only after the client gave up."""
    slack.fail_http("chat.postMessage", 500, times=3)
    assert await step() == 0
    assert await unknown()
    clock.advance(minutes=1)
    assert await step() == 0  # not looked for before the claim is stale

    clock.advance(minutes=6)  # stale: looked for (not there), posted again; Slack posts it late
    slack.stall("chat.postMessage", TIMEOUT + 1)
    assert await step() == 0

    async def landed() -> bool:
        return bool(slack.messages.get("C0ITTEAM1"))

    await until(landed)
    clock.advance(minutes=6)  # found by its metadata: recorded, not posted a third time
    assert await step() == 1
    assert len(slack.messages["C0ITTEAM1"]) == 1


async def test_a_follow_up_whose_outcome_is_unknown_is_looked_for_and_posted_once(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    it = await Department.get(slug="it")
    await FollowUp.create(user_id="U0EMP0001", department=it, score=2, created_at=clock())

    async def unknown() -> bool:
        [row] = await FollowUp.all()
        return row.posted and row.ts is None  # claimed, not recorded as posted

    await posted_once_though_slack_did_not_say(
        slack, clock, harness.services.polls.post_follow_ups, unknown
    )
    [row] = await FollowUp.all()
    assert (row.channel, row.ts) == ("C0ITTEAM1", slack.messages["C0ITTEAM1"][0]["ts"])


async def negative_review(clock: FakeClock) -> Review:
    return await Review.create(
        source="shop", external_id="r-1", department=await Department.get(slug="it"),
        routed_by="field", rating=1.0, text="Nobody answered for a week.", created_at=clock(),
        week="2026-W47", received_at=clock(), content_hash="h", alert=ALERT_PENDING,
    )  # fmt: skip


async def test_a_review_alert_whose_outcome_is_unknown_is_looked_for_and_posted_once(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    review = await negative_review(clock)

    async def unknown() -> bool:
        return (await Review.get(id=review.id)).alert == ALERT_SENDING  # claimed, not sent

    await posted_once_though_slack_did_not_say(slack, clock, harness.services.alerts.step, unknown)
    row = await Review.get(id=review.id)
    assert (row.alert, row.alert_channel, row.alert_ts) == (
        ALERT_SENT, "C0ITTEAM1", slack.messages["C0ITTEAM1"][0]["ts"],
    )  # fmt: skip


async def test_a_review_alert_slack_refused_is_posted_at_the_next_step(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    review = await negative_review(clock)
    slack.fail("chat.postMessage", "not_in_channel")  # Slack said no: certainly not posted
    assert await harness.services.alerts.step() == 0
    assert (await Review.get(id=review.id)).alert == ALERT_PENDING
    assert await harness.services.alerts.step() == 1
    assert len(slack.messages["C0ITTEAM1"]) == 1
