"""Poll fan-out: 1,000 queued polls to 1,000 people through the Slack stand-in enforcing Slack's
documented rate limits, against the minimum those limits allow.

What runs is the app's own delivery: `Services.polls` (PollDelivery: claim queued polls, send
with its default concurrency, RateLimitGate honouring Retry-After) with a client from
`build_client`, exactly as `create_app` wires them, on PostgreSQL (SQLite when no server was
started). The clock starts at the first `send_queued()` and stops once no poll is queued;
"lost" counts the polls not sent at the end (skipped, failed, still queued or claimed).

The limit: chat.postMessage allows 300 a minute workspace-wide with a burst of 300, and one a
second per channel (every DM is its own channel), so 1,000 DMs need (1,000 - 300) / 5 = 140 s.

Time scale 5: the stand-in's buckets refill five times faster, so the minimum is 28 s. Retry-After
is whole wall-clock seconds, at least 1, and slack-sdk sleeps it plus up to one more second; at
scale 5 such a wait lets at most 2 × 25 = 50 sends' worth of tokens accrue, well under the burst
of 300, so no capacity is thrown away while a client waits: a sender that keeps the bucket busy
can still reach the minimum, and the ratio measures the delivery, not the rounding. (At scale
30 and above one wait alone could refill the whole burst, and the rounding would be measured.)
What the scale does change: the last wait (1–2 s) comes on top of the minimum, about 4 % of
28 s where at real speed it would be about 1 % of 140 s; and each wait is worth 25 sends
rather than 5, so real speed meets about five times as many 429s as `responses_429` shows.

One database: the delivery waits on Slack, not on the database (without enforced limits the
same 1,000 polls go out in about 2 s), so PostgreSQL, the production database, stands for both.
"""

import time
from pathlib import Path
from typing import Any

from bench.common import Bench, Goal, ratio, say
from bot.clock import utc_now
from bot.config import Settings, load_settings
from bot.runtime import db
from bot.runtime.startup import prepare_database
from bot.services import Services
from bot.slack.client import RateLimitGate, build_client
from bot.slack_standin import SlackStandIn
from models.department import Department
from models.survey import QUEUED, SENT, Poll

SECTION = "fanout"
POLLS = 1_000
QUICK_POLLS = 600  # still well past the burst of 300, so the limit is felt
TIME_SCALE = 5.0
METHOD = "chat.postMessage"
TOKEN = "xoxb-bench-token"  # noqa: S105 - the stand-in's own token
GOAL = 1.1
QUALITY_YML = """\
timezone: Europe/Berlin
departments:
  - slug: it
    name: IT
    channels: [C0ITHELP1]
    members: [U0IT00001]
    managers: [U0IT00001]
"""


async def run(bench: Bench) -> dict[str, Any]:
    count = QUICK_POLLS if bench.quick else POLLS
    kind = "postgresql" if bench.postgres_server else "sqlite"
    url = await bench.database(kind, "fanout")
    async with SlackStandIn(token=TOKEN, enforce_rate_limits=True, time_scale=TIME_SCALE) as slack:
        settings = _settings(bench.workdir, url, slack.api_url)
        await prepare_database(settings)
        try:
            await _queue_polls(slack, count)
            gate = RateLimitGate()
            client = build_client(token=TOKEN, base_url=slack.api_url, gate=gate)
            services = Services(settings=settings, client=client, gate=gate)
            minimum = slack.minimum_seconds(METHOD, count, channels=count)
            say(
                f"  {count:,} polls on {kind}, minimum {minimum:.1f} s at time scale {TIME_SCALE:g}"
            )
            seconds = await _drain(services, deadline=3 * minimum + 60)
            sent = await Poll.filter(status=SENT).count()
        finally:
            await db.close_database()
        delivered = {str(c.params["channel"]) for c in slack.calls_to(METHOD)}
        entry = {
            "database": kind,
            "polls": count,
            "seconds": round(seconds, 2),
            "minimum_seconds": round(minimum, 2),
            "ratio": ratio(seconds, minimum),
            "lost": count - sent,
            "responses_429": slack.responses_429,
            "people_messaged": len(delivered),
            "time_scale": TIME_SCALE,
        }
    say(
        f"  {entry['seconds']} s, {entry['ratio']}× the minimum, {entry['lost']} lost,"
        f" {entry['responses_429']} 429s"
    )
    return {"fanout": entry}


def goals(entries: dict[str, Any]) -> list[Goal]:
    e = entries["fanout"]
    return [
        Goal(
            name=f"poll fan-out on {'PostgreSQL' if e['database'] == 'postgresql' else 'SQLite'}",
            measured=(
                f"{e['polls']:,} polls in {e['seconds']:.1f} s, {e['ratio']:.2f}× the minimum"
                f" ({e['minimum_seconds']:.1f} s), {e['lost']} lost, {e['responses_429']} 429s"
            ),
            goal=f"≤ {GOAL}× the minimum, none lost",
            met=e["ratio"] <= GOAL and e["lost"] == 0,
        )
    ]


def _settings(workdir: Path, database_url: str, api_url: str) -> Settings:
    config = workdir / "fanout-quality.yml"
    config.write_text(QUALITY_YML)
    environ = {
        "SLACK_BOT_TOKEN": TOKEN,
        "SLACK_API_URL": api_url,
        "DATABASE_URL": database_url,
        "QUALITY_CONFIG": str(config),
    }
    return load_settings(environ=environ, cwd=workdir)


async def _queue_polls(slack: SlackStandIn, count: int) -> None:
    """`count` queued polls about IT, one for each of `count` people the workspace knows."""
    department = await Department.get(slug="it")
    now = utc_now()
    polls = []
    for i in range(count):
        user = f"U0FAN{i:05d}"
        slack.add_user(user, name=f"person{i}", real_name=f"Person {i}")
        polls.append(
            Poll(
                user_id=user,
                department=department,
                trigger="webhook",
                trigger_key=f"BENCH-{i}",
                summary=f"Laptop replaced (ticket BENCH-{i})",
                created_at=now,
            )
        )
    await Poll.bulk_create(polls, batch_size=500)


async def _drain(services: Services, *, deadline: float) -> float:
    """Seconds until no poll is queued, sending as the delivery loop does at each wake."""
    started = time.monotonic()
    while time.monotonic() - started < deadline:
        await services.polls.send_queued()
        if not await Poll.filter(status=QUEUED).exists():
            break
    return time.monotonic() - started
