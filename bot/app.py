"""The application factory: one aiohttp app for Slack, webhooks, health and metrics."""

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta

from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock, utc_now
from bot.config import Settings
from bot.people.directory import REFRESH_EVERY
from bot.people.membership import sync_usergroups
from bot.runtime import db
from bot.runtime.startup import prepare_database, verify_bot_token, warn_about_channels
from bot.sentiment import SentimentPool
from bot.services import SERVICES, Services
from bot.slack.client import RateLimitGate, build_client
from bot.slack.dedup import prune_events
from handlers.bodies import SLACK_BODY_LIMIT
from handlers.routes import setup_routes
from handlers.socket_mode import socket_mode_ctx

log = logging.getLogger(__name__)

# SIGTERM to exit within 8 s, whatever is running (docs/operations/docker.md, "Stopping"): open
# HTTP requests get HTTP_GRACE (cancelled after, unacknowledged, so their senders retry), then
# work that began with a request SHUTDOWN_GRACE; then the worker processes are ended and the
# database closed. Everything a person or a sender was told is done was committed before they
# were told.
HTTP_GRACE = timedelta(seconds=2.5)
SHUTDOWN_GRACE = timedelta(seconds=3)
CHECKPOINT_EVERY = 1.0  # seconds: SQLite's write-ahead log copied into the database file


def create_app(
    settings: Settings,
    *,
    client: AsyncWebClient | None = None,
    clock: Clock = utc_now,
    usergroup_sync_every: timedelta = timedelta(minutes=15),
    shutdown_grace: timedelta = SHUTDOWN_GRACE,
    poll_tick: timedelta = timedelta(seconds=30),
    digest_tick: timedelta | None = timedelta(minutes=1),
    release_tick: timedelta | None = timedelta(seconds=30),
    review_poll_tick: timedelta | None = timedelta(seconds=30),
    learning_tick: timedelta | None = timedelta(minutes=10),
    sentiment: SentimentPool | None = None,
    reads_in_worker: bool = True,
) -> web.Application:
    gate = RateLimitGate()
    client = client or build_client(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, gate=gate
    )
    services = Services(
        settings=settings,
        client=client,
        gate=gate,
        clock=clock,
        sentiment=sentiment or SentimentPool(),
        reads_in_worker=reads_in_worker,
    )
    app = web.Application(
        client_max_size=SLACK_BODY_LIMIT,
        middlewares=[services.metrics.middleware],
        # Bodies arrive as sent: signatures cover the bytes on the wire, and neither Slack nor
        # a webhook sender compresses them. A compressed body is then refused by the handler,
        # as JSON, instead of by aiohttp's decoder as plain text.
        handler_args={"auto_decompress": False},
    )
    app[SERVICES] = services
    setup_routes(app, services)

    async def slack(app: web.Application) -> AsyncIterator[None]:
        services.bot_name = await verify_bot_token(services.client)
        yield

    async def database(app: web.Application) -> AsyncIterator[None]:
        await prepare_database(settings, clock=clock, directory=services.directory)
        yield
        await db.close_database()

    async def background(app: web.Application) -> AsyncIterator[None]:
        tasks = services.tasks
        every = usergroup_sync_every.total_seconds()

        if services.bot_name is not None:
            # Configured channels the bot is not in are said in the log, without holding the
            # start: on a slow Slack that could take seconds.
            quality = services.quality.current
            services.tasks.forever(
                warn_about_channels(services.client, quality, settings, services.bot_name),
                name="channel-check",
            )

        async def sync_members() -> None:
            # The names of quality.yml too: a channel renamed, a person's new email.
            await services.directory.refresh_names()
            await sync_usergroups(services.client, services.quality.current.departments)

        # Members should be known before the first request, but a slow Slack must not
        # hold the start hostage: wait a little, then let the loop catch up.
        try:
            async with asyncio.timeout(10):
                await sync_members()
        except Exception as exc:  # includes the timeout: never a reason not to start
            log.warning("user groups not synced at start (%s); retrying later", type(exc).__name__)
        tasks.every(every, sync_members, name="usergroup-sync", first_after=every)
        # Departments changed in Slack on another instance take effect here within seconds.
        tasks.every(REFRESH_EVERY, services.directory.refresh, name="departments")
        tasks.every(3600, lambda: prune_events(services.clock()), name="prune-events")
        if (sqlite := await db.checkpoint_elsewhere(settings.database_url)) is not None:
            tasks.every(CHECKPOINT_EVERY, lambda: db.checkpoint(sqlite), name="sqlite-checkpoint")
        tasks.forever(services.polls.run(tick=poll_tick.total_seconds()), name="poll-delivery")
        if release_tick is not None:  # None: answers are released when asked (tests)
            release_every = release_tick.total_seconds()
            tasks.every(release_every, services.release.step, name="answer-release")
        tasks.forever(services.alerts.run(tick=poll_tick.total_seconds()), name="review-alerts")
        for source in services.quality.current.review_sources:
            if source.department and not services.quality.current.department(source.department):
                log.warning(
                    "review source %s: no active department %r: its reviews that name no"
                    " department's keywords are unassigned",
                    source.name,
                    source.department,
                )
        polled = any(source.polled for source in settings.quality_file.review_sources)
        if polled and review_poll_tick is not None:  # None: polled when asked (tests)
            every = review_poll_tick.total_seconds()
            tasks.every(every, services.review_polling.step, name="review-polling")
        tasks.forever(services.thanks.run(tick=poll_tick.total_seconds()), name="thanks")
        tasks.forever(
            services.action_reminders.run(tick=poll_tick.total_seconds()), name="action-reminders"
        )
        tasks.forever(
            services.announcements.run(tick=poll_tick.total_seconds()), name="announcements"
        )
        tasks.forever(
            services.deletions.run(tick=poll_tick.total_seconds()), name="erased-messages"
        )
        if digest_tick is not None:  # None: digests are posted only when asked (tests, demo)
            tick = digest_tick.total_seconds()
            tasks.forever(services.digest_schedule.run(tick=tick), name="digest-schedule")
        # The models learned from the company's texts score from the first text on.
        await services.learning.load()
        if learning_tick is not None:  # None: trained when asked (tests)
            every = learning_tick.total_seconds()
            tasks.every(every, services.learning.step, name="sentiment-learning", first_after=60)
        # Start the scoring worker now: its first use should not pay for loading the models.
        # Nobody waits for it: shutdown cancels it rather than wait for a cold start.
        tasks.forever(_warm_up(services.sentiment), name="sentiment-warm-up")
        yield
        await tasks.drain(shutdown_grace.total_seconds())
        await services.review_polling.close()
        services.sentiment.close()
        services.aggregates.close()

    app.cleanup_ctx.append(slack)
    app.cleanup_ctx.append(database)
    app.cleanup_ctx.append(background)
    if settings.slack_app_token:
        app.cleanup_ctx.append(socket_mode_ctx(settings.slack_app_token))
    return app


async def _warm_up(sentiment: SentimentPool) -> None:
    try:
        await sentiment.analyze("warm up")
    except Exception as exc:  # a worker that cannot start is replaced at its first real use
        log.warning("sentiment worker not warmed up (%s)", type(exc).__name__)
