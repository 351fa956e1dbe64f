"""The one Slack Web API client, configured once; bolt copies it into every request."""

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
    *, token: str | None, base_url: str, timeout: int = 15, rate_limit_retries: int = 10
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
            AsyncRateLimitErrorRetryHandler(max_retry_count=rate_limit_retries),
            ServerErrorRetryHandler(max_retry_count=2, interval_calculator=backoff),
        ],
    )
