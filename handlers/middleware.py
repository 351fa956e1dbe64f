"""Global bolt middleware: a redelivered event never runs a listener twice, and Slack's notice
that it is dropping events is acknowledged and counted.

Both run after bolt's own middleware has checked the request's signature: an unsigned body
never reaches them."""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.response import BoltResponse

from bot.services import Services
from bot.slack.dedup import EVENT_ID_LENGTH, claim_event, release_event


def _event_id(body: dict[str, Any]) -> str | None:
    """The id of an Events API delivery; None for anything else, and for an id of a shape Slack
    never sends (none could be stored to claim it: Slack's are a dozen characters)."""
    event_id = body.get("event_id") if body.get("type") == "event_callback" else None
    if isinstance(event_id, str) and 0 < len(event_id) <= EVENT_ID_LENGTH:
        return event_id
    return None


def _rate_limited_since(body: dict[str, Any]) -> str:
    """The minute Slack began dropping events, from the notice's `minute_rate_limited`."""
    minute = body.get("minute_rate_limited")
    if isinstance(minute, int) and not isinstance(minute, bool):
        try:
            return datetime.fromtimestamp(minute, UTC).strftime("%Y-%m-%d %H:%M UTC")
        except (OverflowError, OSError, ValueError):
            pass
    return "an unstated minute"


def register(app: AsyncApp, services: Services) -> None:
    @app.middleware
    async def acknowledge_rate_limited(
        body: dict[str, Any], next: Callable[[], Awaitable[None]], logger: logging.Logger
    ) -> BoltResponse | None:
        # Slack sends this when a workspace's events exceed its limit (30,000 an hour), in
        # place of the events it drops. It has no inner event, so no listener matches it: bolt
        # would answer 404 and log the whole body, the legacy verification token included.
        if body.get("type") != "app_rate_limited":
            await next()
            return None
        services.metrics.slack_events_rate_limited.inc()
        logger.warning(
            "Slack is dropping this app's events for the workspace since %s (app_rate_limited):"
            " reactions and other events in that time never arrive",
            _rate_limited_since(body),
        )
        return BoltResponse(status=200, body="")

    @app.middleware
    async def deduplicate_events(
        body: dict[str, Any], next: Callable[[], Awaitable[None]], logger: logging.Logger
    ) -> BoltResponse | None:
        event_id = _event_id(body)
        if event_id is None:
            await next()
            return None
        if not await claim_event(event_id):
            # Already taken (a retry, possibly on another instance): acknowledge, run nothing.
            services.metrics.slack_events_deduplicated.inc()
            logger.info("event %s already processed; retry acknowledged", event_id)
            return BoltResponse(status=200, body="")
        await next()
        return None

    @app.error
    async def release_failed_event(
        error: Exception, body: dict[str, Any], logger: logging.Logger
    ) -> None:
        logger.error("listener failed: %s", error, exc_info=error)
        event_id = _event_id(body)
        if event_id is not None:
            await release_event(event_id)
