"""The loop every outbox runs: woken early, and stopped by shutdown whatever it is doing."""

import asyncio

import pytest
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import utc_now
from bot.config import QualityConfig
from bot.slack.client import RateLimitGate
from bot.slack.outbox import Outbox

pytestmark = pytest.mark.same_on_either_database  # touches no database


class Counting(Outbox):
    def __init__(self) -> None:
        super().__init__(
            client=AsyncWebClient(), quality=QualityConfig(departments=()), clock=utc_now,
            gate=RateLimitGate(),
        )  # fmt: skip
        self.steps = 0

    async def step(self) -> int:
        self.steps += 1
        return 0


async def test_a_wake_steps_at_once_rather_than_at_the_next_tick() -> None:
    outbox = Counting()
    loop = asyncio.create_task(outbox.run(tick=30))
    await asyncio.sleep(0.01)
    outbox.wake()
    await asyncio.sleep(0.01)
    assert outbox.steps == 2
    loop.cancel()
    with pytest.raises(asyncio.CancelledError):
        await loop


async def test_a_cancel_that_arrives_with_a_wake_stops_the_loop() -> None:
    # The wake completes the wait, and the cancel comes before the loop runs again: what a
    # signed follow-up queued during shutdown does. Python 3.11's wait_for would swallow that
    # cancel, and shutdown would wait for the loop forever.
    outbox = Counting()
    loop = asyncio.create_task(outbox.run(tick=30))
    await asyncio.sleep(0.01)  # the loop waits for a wake
    outbox.wake()
    await asyncio.sleep(0)  # the wait is over; the loop has not resumed
    loop.cancel()

    with pytest.raises(asyncio.CancelledError):
        await asyncio.wait_for(loop, timeout=2)
