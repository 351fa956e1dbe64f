"""Ingest: how many reviews a second `POST /webhooks/reviews` stores, and how fast Slack's
requests are acknowledged meanwhile.

**What runs.** The app runs as `quality-bot serve` runs it: `create_app` in a process of its
own, on a TCP port, with the production sentiment pool (one worker process), talking to the
Slack stand-in; one such server on SQLite and one on PostgreSQL (fsync on, as `make bench`
starts it), each seeded with eight weeks of ratings and reviews and some open polls. The
senders run in this process: `CONCURRENCY` of them, each posting one signed review (a fresh
id, so each is stored) and, once answered, the next — a storm of webhook deliveries, one
review per request, as review platforms send them. A 2xx comes after the commit:
every review counted is in the database.

**Ingest** (`ingest.<database>`): reviews stored per second, and the p50/p99 time from
sending a review to its answer, over `rounds` storms of `seconds` each (after a warm-up that
is not counted).

**The ceiling** (`ceiling_per_s`, same run): the same senders, bodies, concurrency, HTTP
server and metrics middleware, against an app (`bench.load_app.ceiling_app`) whose handler
does every step of the real one that needs no database — the body limit and content checks,
Standard Webhooks verification, the JSON parse and pydantic validation, scoring in the same
one-worker sentiment pool, routing, the week and the content hash — and answers 201 with a
body of the same shape. It is how fast the real handler would go if storing cost nothing, so
`ratio` = reviews_per_s / ceiling_per_s is the share of that speed the database leaves.
Goal: ≥ 0.70. HTTP, signatures and scoring are in both, so the ratio charges the database
(queries, transactions, commits, the ORM's work) with what it costs, and nothing else. The
three servers take the storms in turn, round after round: whatever else the machine is doing
meanwhile weighs on the ceiling and on each database alike. When the one sentiment worker
sets the pace of both (about a millisecond of CPU a review), the ratio comes out near 1, even
a little over within the noise; what the database costs then shows in `cpu_ms_per_review`
(the app's process, and its sentiment worker) against `ceiling_cpu_ms_per_review`.

**Ack** (`ack`): while another storm runs and the app computes last week's digest in a loop
(as the app computes one: in its aggregates worker, over eight closed weeks), signed
`/quality report` commands (an admin's overview, a manager's department) and clicks on open
polls (each a different person and department, so each commits an answer before its ack) go
to `/slack/events`, one every `PROBE_EVERY` seconds, each on its own: the time from sending to
the HTTP answer, which bolt sends at `ack()`. Goal: p99 ≤ 100 ms on both databases; the
figures of the database other than the headline's (PostgreSQL) are kept under `ack.sqlite`.
Measured at the sender (this process, which also runs the storm), so network and client time
are included.

**Answer → committed** (`ack.<database>.committed`, the clicks of the same run): from the
click's arrival at the app to its answer committed, which is before the ack. Read from the
app's own histogram (`quality_answer_commit_seconds` on `/metrics`), whose buckets have an
edge at the goal: the goal is met when 99 % of the clicks fall at or under it. p50 and p99 are
interpolated within their bucket, as Prometheus's `histogram_quantile` does. Goal: p99 ≤ 50 ms
on both databases.
"""

import asyncio
import functools
import itertools
import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import aiohttp
import yaml
from prometheus_client.parser import text_string_to_metric_families

from bench.common import Bench, Goal, percentile, ratio, say
from bench.load_app import (
    BOT_TOKEN,
    QUALITY_YML,
    SIGNING_SECRET,
    WEBHOOK_SECRET,
    PollRef,
    Seed,
    Server,
    ServerSpec,
    running,
)
from bench.load_traffic import Acks, SlackTarget, Storm, click, command, storm
from bench.load_traffic import probe as send_probes
from bot.config import parse_quality_config
from bot.people.setup import configured_channels
from bot.slack_standin import SlackStandIn

SECTION = "ingest"
CEILING = "ceiling"
CONCURRENCY = 32  # senders at once
PROBE_EVERY = 0.05  # seconds between Slack requests while measuring acks
ACK_GOAL_MS = 100.0
COMMIT_GOAL_MS = 50.0  # an edge of the app's histogram: bot/runtime/metrics.py
RATIO_GOAL = 0.70
DATABASE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class Sizes:
    warm_up: float  # seconds of storm on each server before measuring
    rounds: int  # measured storms on each server, taken in turn
    seconds: float  # of each measured storm
    ack_seconds: float  # of storm + digest + Slack requests, on each database
    seed: Seed

    @classmethod
    def for_bench(cls, bench: Bench) -> "Sizes":
        if bench.quick:
            return cls(1.0, rounds=2, seconds=2.0, ack_seconds=4.0, seed=Seed(300, polls=200))
        return cls(2.0, rounds=5, seconds=4.0, ack_seconds=25.0, seed=Seed(4000, polls=800))


async def run(bench: Bench) -> dict[str, Any]:
    sizes = Sizes.for_bench(bench)
    kinds = ["sqlite"] + (["postgresql"] if bench.postgres_server else [])
    home = bench.workdir / "ingest"
    async with SlackStandIn(token=BOT_TOKEN) as slack:
        _invite_bot(slack)
        specs = [ServerSpec(True, home / CEILING, "sqlite://:memory:", slack.api_url)]
        for kind in kinds:
            url = await bench.database(kind, "ingest")
            specs.append(ServerSpec(False, home / kind, url, slack.api_url, seed=sizes.seed))
        async with running(specs) as started:
            servers = dict(zip([CEILING, *kinds], started, strict=True))
            storms = await _storms(servers, sizes)
            ingest = {kind: _ingest_figures(storms[kind], storms[CEILING]) for kind in kinds}
            for kind in kinds:
                say(f"  {kind}: {ingest[kind]}")
            acks = {}
            for kind in kinds:
                acks[kind] = await _acks(servers[kind], slack, sizes)
                say(f"  {kind} acks: {acks[kind]}")
    main = "postgresql" if "postgresql" in acks else "sqlite"
    ack = {"database": main, **acks[main]}
    ack.update({kind: figures for kind, figures in acks.items() if kind != main})
    return {"ingest": ingest, "ack": ack}


def _invite_bot(slack: SlackStandIn) -> None:
    """The channels quality.yml names, and #general where commands are typed, with the bot in
    each: Slack refuses to post anywhere else."""
    quality = parse_quality_config(yaml.safe_load(QUALITY_YML))
    for configured in configured_channels(quality):
        slack.add_channel(configured.channel, name=configured.channel.lower())
    slack.add_channel("C0GENERAL1", name="general")


async def _storms(servers: dict[str, Server], sizes: Sizes) -> dict[str, Storm]:
    """Storms on every server in turn, round after round, so that whatever else the machine
    does in the meantime weighs on the ceiling and on each database alike. Every server gets
    the same bodies in the same order (review i is the same review everywhere)."""
    indexes = {kind: itertools.count() for kind in servers}
    for kind, server in servers.items():
        await _storm(server, indexes[kind], sizes.warm_up)
    measured = {kind: Storm() for kind in servers}
    for _ in range(sizes.rounds):
        for kind, server in servers.items():
            measured[kind].add(await _storm(server, indexes[kind], sizes.seconds))
    return measured


async def _storm(server: Server, indexes: Iterator[int], seconds: float) -> Storm:
    url = f"{server.base_url}/webhooks/reviews"
    app, scoring = server.cpu_seconds()
    result = await storm(url, WEBHOOK_SECRET, indexes, concurrency=CONCURRENCY, seconds=seconds)
    app_after, scoring_after = server.cpu_seconds()
    result.app_cpu, result.scoring_cpu = app_after - app, scoring_after - scoring
    return result


def _rate(result: Storm) -> float:
    return result.accepted / result.seconds if result.seconds else 0.0


def _ingest_figures(stored: Storm, ceiling: Storm) -> dict[str, Any]:
    if set(stored.statuses) != {201}:
        raise RuntimeError(f"ingest: answers other than 201: {dict(stored.statuses)}")
    ms = [t * 1000 for t in stored.latencies]
    return {
        "reviews_per_s": round(_rate(stored), 1),
        "ceiling_per_s": round(_rate(ceiling), 1),
        "ratio": ratio(_rate(stored), _rate(ceiling)),
        "p50_ms": round(percentile(ms, 50), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "reviews": stored.accepted,
        "concurrency": CONCURRENCY,
        "seconds": round(stored.seconds, 1),
        # What each stored review cost in CPU, beside what the ceiling's cost: the database's
        # price even where the sentiment worker, not the app, sets the pace.
        "cpu_ms_per_review": stored.cpu_ms_per_review(),
        "ceiling_cpu_ms_per_review": ceiling.cpu_ms_per_review(),
    }


async def _acks(server: Server, slack: SlackStandIn, sizes: Sizes) -> dict[str, Any]:
    target = SlackTarget(
        url=f"{server.base_url}/slack/events",
        signing_secret=SIGNING_SECRET,
        response_url=slack.response_url,
    )
    indexes = itertools.count(10_000_000)  # new reviews, not redeliveries of the first storms
    await server.ask("digest", True)
    try:
        load = asyncio.create_task(_storm(server, indexes, sizes.ack_seconds))
        acks = await send_probes(
            target, _requests(target, server.polls), every=PROBE_EVERY, seconds=sizes.ack_seconds
        )
        during = await load
    finally:
        digests = await server.ask("digest", False)
    figures = _ack_figures(acks, during, digests)
    figures["committed"] = await _committed(server)
    return figures


async def _committed(server: Server) -> dict[str, Any]:
    """The clicks' arrival → commit times, from the app's histogram."""
    url = f"{server.base_url}/metrics"
    async with aiohttp.ClientSession() as session, session.get(url) as resp:
        text = await resp.text()
    buckets: list[tuple[float, float]] = []  # (upper edge in seconds, cumulative count)
    for family in text_string_to_metric_families(text):
        if family.name == "quality_answer_commit_seconds":
            buckets = [
                (float(s.labels["le"]), s.value)
                for s in family.samples
                if s.name.endswith("_bucket") and s.labels.get("kind") == "click"
            ]
    buckets.sort()
    total = buckets[-1][1] if buckets else 0.0
    if not total:
        raise RuntimeError("committed: the app measured no committed click")
    within = next(count for edge, count in buckets if math.isclose(edge, COMMIT_GOAL_MS / 1000))
    return {
        "p50_ms": round(_quantile(buckets, 0.50) * 1000, 1),
        "p99_ms": round(_quantile(buckets, 0.99) * 1000, 1),
        "within_goal": round(within / total, 4),
        "samples": int(total),
    }


def _quantile(buckets: list[tuple[float, float]], q: float) -> float:
    """As Prometheus's histogram_quantile: linear within the bucket the rank falls in."""
    rank = q * buckets[-1][1]
    lower, below = 0.0, 0.0
    for edge, count in buckets:
        if count >= rank:
            if math.isinf(edge):
                return lower  # past the last edge: the last edge is all that is known
            return lower + (edge - lower) * (rank - below) / max(count - below, 1e-9)
        lower, below = edge, count
    return lower


def _requests(target: SlackTarget, polls: list[PollRef]) -> Iterator[tuple[str, Callable[[], str]]]:
    """Report commands and poll clicks, in turn; each poll is clicked once."""
    reports = itertools.cycle(
        [("U0ADMIN01", "report"), ("U0LOG0001", "report logistics 8"), ("U0SUP0001", "report")]
    )
    for n in itertools.count():
        if n % 2 == 0 or n // 2 >= len(polls):
            user, text = next(reports)
            yield "report", functools.partial(command, target, user, text)
        else:
            yield "click", functools.partial(click, target, polls[n // 2], n % 5 + 1)


def _ack_figures(acks: Acks, during: Storm, digests: int) -> dict[str, Any]:
    if set(acks.statuses) != {200}:
        raise RuntimeError(f"ack: answers other than 200: {dict(acks.statuses)}")
    ms = [t * 1000 for t in acks.all()]
    figures: dict[str, Any] = {
        "p50_ms": round(percentile(ms, 50), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "max_ms": round(max(ms), 1),
        "samples": len(ms),
    }
    for kind, times in acks.latencies.items():
        kind_ms = [t * 1000 for t in times]
        figures[kind] = {
            "p50_ms": round(percentile(kind_ms, 50), 1),
            "p99_ms": round(percentile(kind_ms, 99), 1),
            "samples": len(kind_ms),
        }
    figures["meanwhile"] = {"reviews_per_s": round(_rate(during), 1), "digests": digests}
    return figures


def goals(entries: dict[str, Any]) -> list[Goal]:
    found: list[Goal] = []
    for kind, figures in entries["ingest"].items():
        found.append(
            Goal(
                name=f"ingest on {DATABASE_NAMES[kind]}",
                measured=f"{figures['reviews_per_s']:.0f} reviews/s, {figures['ratio']:.2f} of "
                f"the ceiling ({figures['ceiling_per_s']:.0f}/s), p99 {figures['p99_ms']:.0f} ms",
                goal=f"≥ {RATIO_GOAL:.2f} of the ceiling",
                met=figures["ratio"] >= RATIO_GOAL,
            )
        )
    # The headline is PostgreSQL's (production); SQLite's, kept under "sqlite", is a goal too.
    ack = entries["ack"]
    for figures in (ack, ack.get("sqlite")):
        if figures is None:
            continue
        kind = figures.get("database", "sqlite")
        found.append(
            Goal(
                name=f"Slack ack under load ({DATABASE_NAMES[kind]})",
                measured=f"p99 {figures['p99_ms']:.0f} ms, p50 {figures['p50_ms']:.0f} ms, "
                f"max {figures['max_ms']:.0f} ms ({figures['samples']} requests)",
                goal=f"p99 ≤ {ACK_GOAL_MS:.0f} ms",
                met=figures["p99_ms"] <= ACK_GOAL_MS,
            )
        )
        committed = figures["committed"]
        found.append(
            Goal(
                name=f"answer → committed ({DATABASE_NAMES[kind]})",
                measured=f"p99 {committed['p99_ms']:.0f} ms, p50 {committed['p50_ms']:.0f} ms, "
                f"{committed['within_goal']:.1%} within {COMMIT_GOAL_MS:.0f} ms "
                f"({committed['samples']} clicks)",
                goal=f"p99 ≤ {COMMIT_GOAL_MS:.0f} ms",
                met=committed["within_goal"] >= 0.99,
            )
        )
    return found
