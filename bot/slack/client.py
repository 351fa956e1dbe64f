"""The one Slack Web API client, configured once; bolt copies it into every request."""

import asyncio
import time

from aiohttp import ClientOSError, ServerConnectionError, ServerDisconnectedError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient


class RateLimitGate:
    """Shared by everything that sends through one client: after a 429, nobody starts a new
    call until Slack's Retry-After has passed, instead of each sender finding out alone."""

    def __init__(self) -> None:
        self._until = 0.0

    def close_for(self, seconds: float) -> None:
        self._until = max(self._until, time.monotonic() + seconds)

    async def wait(self) -> None:
        # A loop, not one sleep: another 429 may push the gate further while we wait.
        while (delay := self._until - time.monotonic()) > 0:  # noqa: ASYNC110
            await asyncio.sleep(delay)


class GatedRateLimitRetryHandler(AsyncRateLimitErrorRetryHandler):
    def __init__(self, gate: RateLimitGate, max_retry_count: int) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self._gate = gate

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is not None:
            header = next(
                (v for k, v in response.headers.items() if k.lower() == "retry-after"), ["1"]
            )
            try:
                self._gate.close_for(float(header[0]))
            except ValueError:
                self._gate.close_for(1.0)
        await super().prepare_for_next_attempt_async(
            state=state, request=request, response=response, error=error
        )


class ServerErrorRetryHandler(AsyncRetryHandler):
    """Retries every 5xx a proxy or Slack can answer (slack-sdk's own handler stops at 500
    and 503, but gateways in front of GovSlack and corporate proxies answer 502 and 504)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return response is not None and 500 <= response.status_code < 600


def build_client(
    *,
    token: str | None,
    base_url: str,
    timeout: int = 15,
    rate_limit_retries: int = 10,
    gate: RateLimitGate | None = None,
) -> AsyncWebClient:
    # Timeouts are deliberately not retried here: Slack may have acted on a request that
    # timed out, and a second chat.postMessage would post twice.
    backoff = BackoffRetryIntervalCalculator(backoff_factor=0.5)
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            AsyncConnectionErrorRetryHandler(
                max_retry_count=2,
                interval_calculator=backoff,
                error_types=[ServerConnectionError, ServerDisconnectedError, ClientOSError],
            ),
            GatedRateLimitRetryHandler(gate or RateLimitGate(), max_retry_count=rate_limit_retries),
            ServerErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        ],
    )
