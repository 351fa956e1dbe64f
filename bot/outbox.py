"""Work that waits in the database to be delivered to Slack: a step run on a tick, or at
once when something new is waiting."""

import asyncio
import contextlib
import logging
from abc import ABC, abstractmethod

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.settings import QualityConfig
from bot.slack_client import RateLimitGate

log = logging.getLogger(__name__)


class Outbox(ABC):
    # Seconds to let a burst arrive after a wake before looking at it (0: look at once).
    debounce = 0.0

    def __init__(
        self, *, client: AsyncWebClient, quality: QualityConfig, clock: Clock, gate: RateLimitGate
    ) -> None:
        self._client = client
        self._quality = quality
        self._clock = clock
        self._gate = gate
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Something was queued: deliver it now rather than at the next tick."""
        self._wake.set()

    async def run(self, tick: float) -> None:
        while True:
            try:
                await self.step()
            except Exception:
                log.exception("%s step failed", type(self).__name__)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=tick)
                await asyncio.sleep(self.debounce)
            self._wake.clear()

    @abstractmethod
    async def step(self) -> object:
        """Deliver what is due; safe to run on several instances at once."""
