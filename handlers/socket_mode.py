"""Socket Mode: Slack's requests arrive over a websocket instead of POST /slack/events.
The other HTTP routes (webhooks, health, metrics) keep serving either way."""

import asyncio
import logging
from collections.abc import AsyncIterator, Callable

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from handlers.routes import BOLT_APP

log = logging.getLogger(__name__)


async def _connect(handler: AsyncSocketModeHandler) -> None:
    # Slack may be unreachable when we start; keep trying rather than refuse to start,
    # so that health checks and webhooks work meanwhile. slack-sdk reconnects by itself
    # once a first connection has been made.
    delay = 1.0
    while True:
        try:
            await handler.connect_async()  # type: ignore[no-untyped-call]
            log.info("Socket Mode connected")
            return
        except Exception as exc:
            log.warning("Socket Mode connection failed (%s); retrying in %.0fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60.0)


def socket_mode_ctx(app_token: str) -> Callable[[web.Application], AsyncIterator[None]]:
    async def ctx(app: web.Application) -> AsyncIterator[None]:
        handler = AsyncSocketModeHandler(app[BOLT_APP], app_token=app_token)
        connecting = asyncio.create_task(_connect(handler), name="socket-mode-connect")
        yield
        connecting.cancel()
        await asyncio.gather(connecting, return_exceptions=True)
        await handler.close_async()  # type: ignore[no-untyped-call]

    return ctx
