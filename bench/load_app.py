"""The server side of the ingest benchmark, in a process of its own as `quality-bot serve` runs:
the real app (`create_app`, production sentiment pool of one worker process) on a TCP port, or
the *ceiling* app — the same HTTP server doing the same CPU work with no database.

The parent talks to it over a pipe: it answers ("ready", port) once it listens, then takes
("digest", True/False) to start or stop computing the digest in a loop, and ("stop", None).
"""

import asyncio
import json
import logging
import multiprocessing
import os
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from aiohttp import web

from bot.app import create_app
from bot.config import Settings, load_settings
from bot.reviews.payload import validate_review
from bot.reviews.routing import UNASSIGNED, route
from bot.sentiment import SentimentPool, rating_disagrees
from bot.services import SERVICES, Services
from bot.slack.client import build_client
from bot.weeks import Week, iso_week
from handlers.bodies import SLACK_BODY_LIMIT
from handlers.webhooks.signed import WebhookError, verified_body, webhook
from models.department import Department
from models.review import Review
from models.survey import ANSWERED, SENT, ClosedWeek, Poll, Rating

QUALITY_YML = """\
timezone: Europe/Berlin
admins: [U0ADMIN01]
privacy:
  min_group_size: 3
digest:
  channel: C0DIGEST01
departments:
  - slug: logistics
    name: Logistics
    channels: [C0LOGHELP]
    alert_channel: C0LOGTEAM
    members: [U0LOG0001, U0LOG0002]
    managers: [U0LOG0001]
    keywords: [parcel, delivery, courier, shipment, Lieferung, livraison, entrega]
  - slug: support
    name: Support
    channels: [C0SUPHELP]
    alert_channel: C0SUPTEAM
    members: [U0SUP0001]
    managers: [U0SUP0001]
    keywords: [support, hotline, agent, Kundenservice]
  - slug: finance
    name: Finance
    channels: [C0FINHELP]
    members: [U0FIN0001]
    managers: [U0FIN0001]
    keywords: [refund, invoice, payment, Rechnung]
  - slug: sales
    name: Sales
    channels: [C0SALHELP]
    alert_channel: C0SALTEAM
    members: [U0SAL0001]
    managers: [U0SAL0001]
    keywords: [quote, offer, Angebot, presupuesto]
  - slug: it
    name: IT
    channels: [C0ITHELP1]
    alert_channel: C0ITTEAM1
    members: [U0IT00001]
    managers: [U0IT00001]
    keywords: [password, portal, laptop]
"""

# The benchmark's own made-up secrets: its app talks to the Slack stand-in and to itself.
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"  # noqa: S105
BOT_TOKEN = "xoxb-bench-token"  # noqa: S105
WEBHOOK_SECRET = "whsec_cXVhbGl0eS1ib3QtYmVuY2gtd2ViaG9vay1zZWNyZXQ="  # noqa: S105
PollRef = tuple[str, str, str, str]  # a sent poll: id, user, DM channel, message ts
# Who answers polls (no department): each poll a different person and department, so that
# every click is an answer to commit (one rating per person, department and week).
RATERS = tuple(f"U0EMP{n:04d}" for n in range(400))


@dataclass(frozen=True)
class Seed:
    """History for the digest to chew on, and open polls to click."""

    per_week: int  # ratings, and reviews, in each of the digest's eight weeks
    polls: int  # sent, unanswered polls, spread over RATERS


@dataclass(frozen=True)
class ServerSpec:
    ceiling: bool  # True: the ceiling app, no database
    home: Path  # holds quality.yml
    database_url: str
    slack_api_url: str
    seed: Seed | None = None


def settings_for(spec: ServerSpec) -> Settings:
    spec.home.mkdir(parents=True, exist_ok=True)
    (spec.home / "quality.yml").write_text(QUALITY_YML)
    environ = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": spec.slack_api_url,
        "DATABASE_URL": spec.database_url,
        "REVIEW_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "LOG_LEVEL": "WARNING",
    }
    return load_settings(environ=environ, cwd=spec.home, purpose="serve")


def ceiling_app(settings: Settings, sentiment: SentimentPool) -> web.Application:
    """`POST /webhooks/reviews` doing every step of the real handler that needs no database:
    the same size limit, content checks and Standard Webhooks verification (`verified_body`),
    the same JSON parse and pydantic validation (`validate_review`), scoring in the same
    sentiment pool, the same routing, week, content hash and disagreement, and an answer of
    the same shape, behind the same metrics middleware."""
    client = build_client(token=BOT_TOKEN, base_url=settings.slack_api_url)
    services = Services(settings=settings, client=client, sentiment=sentiment)
    quality = settings.quality_file
    known = {d.slug for d in quality.departments}
    app = web.Application(
        client_max_size=SLACK_BODY_LIMIT,
        middlewares=[services.metrics.middleware],
        handler_args={"auto_decompress": False},
    )
    app[SERVICES] = services

    @webhook
    async def reviews(request: web.Request) -> web.Response:
        text = await verified_body(request)
        try:
            data = json.loads(text)
        except (ValueError, RecursionError):
            raise WebhookError(400, "body: not valid JSON") from None
        try:
            item = validate_review(data, known_departments=known)
        except ValueError as exc:
            raise WebhookError(400, str(exc)) from None
        [sentiment] = await services.sentiment.analyze_many([item.scored_text])
        now = services.clock()
        routed = route(item.scored_text, item.department, quality)
        item.content_hash()
        iso_week(item.created_at or now, quality.tz)
        body = {
            "status": "created",
            "id": item.id,
            "source": item.source,
            "department": routed.department or UNASSIGNED,
            "routed_by": routed.routed_by,
            "sentiment": {
                "label": sentiment.label,
                "polarity": sentiment.polarity,
                "language": sentiment.language,
            },
            "disagrees": rating_disagrees(item.rating, sentiment),
        }
        return web.json_response(body, status=201)

    async def warm(app: web.Application) -> AsyncIterator[None]:
        await sentiment.analyze("warm up")  # as create_app does: load the models first
        yield
        sentiment.close()

    app.router.add_post("/webhooks/reviews", reviews)
    app.cleanup_ctx.append(warm)
    return app


def serve(spec: ServerSpec, conn: Connection) -> None:
    """The child process's entry point."""
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(_serve(spec, conn))


async def _serve(spec: ServerSpec, conn: Connection) -> None:
    settings = settings_for(spec)
    sentiment = SentimentPool()  # as `serve` runs: one worker process
    if spec.ceiling:
        app = ceiling_app(settings, sentiment)
    else:
        app = create_app(settings, sentiment=sentiment, digest_tick=None)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    polls: list[PollRef] = []
    if not spec.ceiling:
        await app[SERVICES].sentiment.analyze("warm up")
        if spec.seed is not None:
            polls = await seed(settings, spec.seed)
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    loop = asyncio.get_running_loop()
    conn.send(("ready", (port, polls)))
    digests = Digests(settings, app[SERVICES] if not spec.ceiling else None)
    try:
        while True:
            command, value = await loop.run_in_executor(None, conn.recv)
            if command == "digest" and value:
                digests.start()
                conn.send(("ok", 0))
            elif command == "digest":
                conn.send(("ok", await digests.stop()))
            else:
                break
    finally:
        await digests.stop()
        await runner.cleanup()
    conn.send(("stopped", 0))


class Digests:
    """Last week's digest, computed over and over as `/quality digest` and the scheduler
    compute it (the app's `aggregates`, in their worker process) while switched on."""

    def __init__(self, settings: Settings, services: Services | None) -> None:
        self._quality = settings.quality_file
        self._services = services
        self._task: asyncio.Task[None] | None = None
        self.computed = 0

    def start(self) -> None:
        if self._task is None:
            self.computed = 0
            self._task = asyncio.create_task(self._loop(), name="bench-digests")

    async def stop(self) -> int:
        """Stop, and say how many were computed."""
        if self._task is not None:
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task
            self._task = None
        return self.computed

    async def _loop(self) -> None:
        while True:
            week = Week.last_complete(datetime.now(UTC), self._quality.tz)
            if self._services is None:
                return  # the ceiling has no database to compute from
            await self._services.aggregates.digest(week)
            self.computed += 1


async def seed(settings: Settings, size: Seed) -> list[PollRef]:
    """Eight closed weeks of ratings and reviews (the digest's trend) and open polls, inserted
    in bulk: what a few months of use leaves behind."""
    quality = settings.quality_file
    rng = random.Random(7)  # noqa: S311 - made-up data, the same on every run
    now = datetime.now(UTC)
    departments = [d async for d in Department.filter(active=True)]
    week = Week.last_complete(now, quality.tz)
    ratings: list[Rating] = []
    reviews: list[Review] = []
    for past in week.back(8):
        start, _ = past.bounds(quality.tz)
        for n in range(size.per_week):
            dept = departments[n % len(departments)]
            at = start + timedelta(minutes=rng.randrange(7 * 24 * 60))
            polarity = round(rng.uniform(-1, 1), 2)
            label = "positive" if polarity > 0.1 else "negative" if polarity < -0.1 else "neutral"
            ratings.append(
                Rating(
                    department_id=dept.id,
                    rater_department=rng.choice([d.slug for d in departments] + ["unknown"]),
                    score=rng.randint(1, 5),
                    comment=f"Comment {n} on {dept.name}" if n % 3 == 0 else None,
                    sentiment_label=label if n % 3 == 0 else None,
                    sentiment_polarity=polarity if n % 3 == 0 else None,
                    week=past.label,
                )
            )
            reviews.append(
                Review(
                    source="seed",
                    external_id=f"seed-{past.label}-{n}",
                    department_id=dept.id,
                    routed_by="field",
                    rating=rng.randint(1, 5),
                    text=f"Review {n} of {dept.name}",
                    created_at=at,
                    week=past.label,
                    received_at=at,
                    content_hash=uuid.uuid4().hex,
                    sentiment_label=label,
                    sentiment_polarity=polarity,
                    sentiment_language="en",
                    alert="none",
                )
            )
    polls = [
        Poll(
            user_id=RATERS[n // len(departments) % len(RATERS)],
            department_id=departments[n % len(departments)].id,
            trigger="webhook",
            trigger_key=f"seed-{n}",
            summary=f"Request {n}",
            status=ANSWERED if n % 4 == 0 else SENT,
            channel=f"D0{RATERS[n // len(departments) % len(RATERS)][2:]}",
            message_ts=f"{now.timestamp():.0f}.{n:06d}",
            created_at=now - timedelta(days=1),
            sent_at=now - timedelta(days=1),
        )
        for n in range(size.polls * 4 // 3)
    ]
    # Past weeks, closed as they would have been at each week's end: the app's loop has no
    # history to close while the benchmark measures.
    closed = [ClosedWeek(week=past.label) for past in week.back(8)]
    await ClosedWeek.bulk_create(closed, ignore_conflicts=True)
    await Rating.bulk_create(ratings, batch_size=1000)
    await Review.bulk_create(reviews, batch_size=1000)
    await Poll.bulk_create(polls, batch_size=1000)
    return [
        (str(p.id), p.user_id, p.channel or "", p.message_ts or "")
        for p in polls
        if p.status == SENT
    ]


class Server:
    """The parent's handle on a server process."""

    def __init__(self, conn: Connection, port: int, polls: list[PollRef], pid: int = 0) -> None:
        self._conn = conn
        self._pid = pid
        self.base_url = f"http://127.0.0.1:{port}"
        self.polls = polls  # sent and open, to click

    def cpu_seconds(self) -> tuple[float, float]:
        """CPU time used so far by the app's process, and by its children (the sentiment
        worker, and multiprocessing's idle resource tracker); zeros where /proc cannot say."""
        try:
            children = Path(f"/proc/{self._pid}/task/{self._pid}/children").read_text().split()
            return _cpu(self._pid), sum(_cpu(int(child)) for child in children)
        except (OSError, ValueError):
            return 0.0, 0.0

    async def ask(self, command: str, value: object = None) -> int:
        loop = asyncio.get_running_loop()
        self._conn.send((command, value))
        _, answer = await loop.run_in_executor(None, self._conn.recv)
        return int(answer)


@asynccontextmanager
async def running(specs: list[ServerSpec]) -> AsyncIterator[list[Server]]:
    """A server process for each of `specs`, started together (each loads its models at
    once); all stopped on the way out."""
    context = multiprocessing.get_context("spawn")
    started: list[tuple[Any, Connection]] = []
    loop = asyncio.get_running_loop()
    try:
        for spec in specs:
            parent, child = context.Pipe()
            process = context.Process(target=serve, args=(spec, child), name="bench-server")
            process.start()
            started.append((process, parent))
        servers = []
        for process, parent in started:
            ready = await loop.run_in_executor(None, _receive, parent, process)
            if ready is None:
                raise RuntimeError(f"a benchmark server died at start ({process.exitcode})")
            port, polls = ready[1]
            servers.append(Server(parent, port, polls, process.pid))
        yield servers
    finally:
        for process, parent in started:
            if process.is_alive():
                with suppress(EOFError, OSError):  # it died: nothing to ask
                    await Server(parent, 0, []).ask("stop")
            await loop.run_in_executor(None, process.join, 30.0)
            if process.is_alive():
                process.kill()


def _cpu(pid: int) -> float:
    # /proc/PID/stat: "pid (comm) state …"; utime and stime are the 14th and 15th fields.
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _receive(conn: Connection, process: Any) -> Any:
    """The child's first message, or None if it dies before sending one."""
    while not conn.poll(0.2):
        if not process.is_alive():
            return None
    return conn.recv()
