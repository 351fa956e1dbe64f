"""The digest fires at `digest.schedule` in the configured zone, and catches up after downtime;
it posts no week that ended before the installation, nor one with nothing in it."""

import asyncio
import logging
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from tortoise import Tortoise
from tortoise.migrations.api import migrate as tortoise_migrate

from bot.config import Schedule
from bot.digest.post import Outcome
from bot.digest.schedule import due_at, latest_due, owed_weeks
from bot.runtime import db
from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models import tortoise_config
from models.digest import DONE, PENDING, SKIPPED, DigestPost
from models.installation import Installation
from tests.bot import digest_data as data
from tests.conftest import Harness, make_settings, start_harness
from tests.database import database_url
from tests.support import FakeClock, eventually, until

BERLIN = Week.parse("2026-W47")
DIGEST = "C0DIGEST01"
TZ = ZoneInfo("Europe/Berlin")
TICK = timedelta(seconds=0.05)
WEDNESDAY_W47 = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def weeks_posted(slack: SlackStandIn) -> list[str]:
    return [
        m["metadata"]["event_payload"]["week"]
        for m in slack.messages.get(DIGEST, [])
        if m.get("metadata", {}).get("event_payload", {}).get("part") == "main"
    ]


def manager_dms(slack: SlackStandIn) -> int:
    """Digest DMs the managers of quality.yml (U0IT00001, U0FIN0001) were sent."""
    return sum(
        1
        for user in ("U0IT00001", "U0FIN0001")
        for m in slack.messages.get(slack.dm_channel(user), [])
        if m.get("metadata", {}).get("event_type") == "quality_digest"
    )


def said(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "bot.digest.schedule"]


def test_a_week_is_due_at_the_first_scheduled_moment_after_it() -> None:
    monday_9 = due_at(BERLIN, Schedule.parse("mon 09:00"), TZ)
    assert monday_9 == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # CET is UTC+1
    sunday = due_at(BERLIN, Schedule.parse("sun 18:00"), TZ)
    assert sunday == datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
    # The week of the clock change: Monday 09:00 after it is already in winter time…
    assert due_at(Week.parse("2026-W43"), Schedule.parse("mon 09:00"), TZ) == datetime(
        2026, 10, 26, 8, 0, tzinfo=UTC
    )
    # …and the week before it still in summer time.
    assert due_at(Week.parse("2026-W42"), Schedule.parse("mon 09:00"), TZ) == datetime(
        2026, 10, 19, 7, 0, tzinfo=UTC
    )


def test_until_the_scheduled_minute_the_week_before_is_the_latest_due() -> None:
    tz, schedule = TZ, Schedule.parse("mon 09:00")
    assert latest_due(datetime(2026, 11, 23, 7, 59, tzinfo=UTC), schedule, tz).label == "2026-W46"
    assert latest_due(datetime(2026, 11, 23, 8, 0, tzinfo=UTC), schedule, tz).label == "2026-W47"


@pytest.mark.parametrize(
    ("claims", "owed"),
    [
        ([], ["2026-W47"]),  # a new install starts with the latest week
        ([("2026-W40", DONE)], ["2026-W44", "2026-W45", "2026-W46", "2026-W47"]),  # at most 4
        ([("2026-W45", DONE), ("2026-W46", PENDING)], ["2026-W46", "2026-W47"]),
        ([("2026-W45", DONE), ("2026-W46", DONE), ("2026-W47", DONE)], []),
        ([("2026-W45", DONE), ("2026-W46", SKIPPED)], ["2026-W47"]),  # passed over: settled
    ],
)
async def test_owed_weeks_after_downtime(
    harness: Harness, claims: list[tuple[str, str]], owed: list[str]
) -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    for week, status in claims:
        await DigestPost.create(week=week, channel=DIGEST, status=status, created_at=now)
    quality = harness.services.quality.current
    assert [w.label for w in await owed_weeks(now, quality, DIGEST)] == owed


async def test_the_scheduler_posts_at_monday_nine_and_once_across_a_restart(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    clock = FakeClock(WEDNESDAY_W47)  # installed in the middle of 2026-W47
    settings = make_settings(tmp_path, slack)
    h = await start_harness(settings, slack, clock, digest_tick=TICK)
    try:
        await data.ratings("it", "2026-W47", [4, 5, 3], rater="finance")
        # The week before the installation is passed over at once; nothing is due until Monday.
        await until(lambda: DigestPost.filter(week="2026-W46", status=SKIPPED).exists())
        clock.now = datetime(2026, 11, 23, 7, 58, tzinfo=UTC)  # Monday 08:58 in Berlin
        await asyncio.sleep(TICK.total_seconds() * 4)
        assert weeks_posted(slack) == []
        clock.advance(minutes=2)  # 09:00
        await eventually(lambda: weeks_posted(slack) == ["2026-W47"])
        # The channel post is the first part; the chart and the DMs follow before it is done.
        await until(lambda: DigestPost.filter(week="2026-W47", status=DONE).exists())
    finally:
        await h.client.close()
    clock.advance(hours=3)
    h = await start_harness(settings, slack, clock, digest_tick=TICK)  # a restart
    try:
        assert await h.services.digest_schedule.step() == 0  # nothing owed: W47 is done
    finally:
        await h.client.close()
    assert weeks_posted(slack) == ["2026-W47"]


async def test_weeks_missed_while_down_are_posted_oldest_first(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    clock = FakeClock(datetime(2026, 10, 20, 8, 0, tzinfo=UTC))  # Tue 2026-W43, installed
    settings = make_settings(tmp_path, slack)
    h = await start_harness(settings, slack, clock, digest_tick=TICK)
    try:
        for n in range(43, 48):
            await data.ratings("it", f"2026-W{n}", [4, 5, 3], rater="finance")
        clock.now = datetime(2026, 10, 26, 8, 30, tzinfo=UTC)  # Mon 2026-W44, 09:30
        await eventually(lambda: weeks_posted(slack) == ["2026-W43"])
    finally:
        await h.client.close()
    clock.advance(days=28)  # down for four weeks: W44 … W47 were due meanwhile
    h = await start_harness(settings, slack, clock, digest_tick=TICK)
    try:
        expected = ["2026-W43", "2026-W44", "2026-W45", "2026-W46", "2026-W47"]
        await eventually(lambda: weeks_posted(slack) == expected, within=15)
    finally:
        await h.client.close()


async def test_a_fresh_install_posts_nothing_for_the_week_before_it(
    tmp_path: Path, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(datetime(2026, 11, 25, 9, 0, tzinfo=UTC))  # Wednesday of 2026-W48
    h = await start_harness(make_settings(tmp_path, slack), slack, clock)
    try:
        # Even with reviews of that week imported, the week before the installation is no
        # one's digest: nobody was asked anything in it.
        await data.reviews("it", "2026-W47", [2, 1, 2])
        with caplog.at_level(logging.INFO, logger="bot.digest.schedule"):
            assert await h.services.digest_schedule.step() == 0
            assert await h.services.digest_schedule.step() == 0  # and said once, not every tick
        assert weeks_posted(slack) == [] and manager_dms(slack) == 0
        assert said(caplog) == [
            "digest 2026-W47 not posted to C0DIGEST01: it ended before quality-bot was installed"
            " (2026-11-25 09:00 UTC)"
        ]
        # The first week after the installation is posted as before, with the managers' DMs.
        await data.ratings("it", "2026-W48", [4, 5, 3], rater="finance")
        clock.now = datetime(2026, 11, 30, 8, 0, tzinfo=UTC)  # Monday 09:00 in Berlin
        assert await h.services.digest_schedule.step() == 1
        assert weeks_posted(slack) == ["2026-W48"] and manager_dms(slack) == 2
    finally:
        await h.client.close()


async def test_a_week_with_nothing_in_it_is_passed_over_saying_why(
    tmp_path: Path, slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(WEDNESDAY_W47)
    h = await start_harness(make_settings(tmp_path, slack), slack, clock)
    scheduler = h.services.digest_schedule
    try:
        await data.ratings("it", "2026-W47", [4, 5, 3], rater="finance")
        clock.now = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # Monday 09:00 of 2026-W48
        assert await scheduler.step() == 1
        dms_for_w47 = manager_dms(slack)
        # 2026-W48: no rating, no review. A week later, nothing is posted for it.
        clock.advance(days=7)
        with caplog.at_level(logging.INFO, logger="bot.digest.schedule"):
            assert await scheduler.step() == 0
        assert weeks_posted(slack) == ["2026-W47"] and manager_dms(slack) == dms_for_w47
        assert said(caplog) == [
            "digest 2026-W48 not posted to C0DIGEST01: no ratings and no reviews in that week"
        ]
        # The week after is not held up by it.
        await data.reviews("it", "2026-W49", [4, 5, 4])
        clock.advance(days=7)
        assert await scheduler.step() == 1
        assert weeks_posted(slack) == ["2026-W47", "2026-W49"]
        # An admin who wants the empty week anyway can still post it by hand.
        result = await h.services.digest.post(Week.parse("2026-W48"), force=True)
        assert result.outcome is Outcome.POSTED
        assert weeks_posted(slack) == ["2026-W47", "2026-W49", "2026-W48"]
    finally:
        await h.client.close()


async def _ratings_as_0006_stored_them(
    slug: str, week: str, scores: list[int], *, rater: str
) -> None:
    """Ratings written with the columns the schema had then (today's model has more), of a
    department written so too."""
    conn = db.connection()
    sqlite = conn.capabilities.dialect == "sqlite"
    marks = ", ".join("?" if sqlite else f"${i}" for i in range(1, 6))
    department = "INSERT INTO department (slug, name, active, updated_at) VALUES "
    two = "?, ?" if sqlite else "$1, $2"
    await conn.execute_query(department + f"({two}, TRUE, CURRENT_TIMESTAMP)", [slug, "IT"])
    [row] = (await conn.execute_query("SELECT id FROM department"))[1]
    dept_id = row["id"]
    insert = "INSERT INTO rating (id, department_id, rater_department, score, week) VALUES "
    for score in scores:
        await conn.execute_query(
            insert + f"({marks})",
            [str(uuid.uuid4()) if sqlite else uuid.uuid4(), dept_id, rater, score, week],
        )


async def test_an_upgraded_install_keeps_posting_from_its_history(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    # A database as the release before left it: a digest posted for 2026-W46 and ratings of
    # 2026-W47, upgraded at the very moment 2026-W47 is due. Counted as installed from its
    # first record, it goes on posting; counted from the upgrade, it would stop.
    url = database_url(tmp_path, "upgraded", migrated=False)
    await tortoise_migrate(config=tortoise_config(url), target="quality.0006_anonymity")
    await Tortoise.close_connections()
    await db.open_database(url)
    try:
        settings = make_settings(tmp_path, slack, DATABASE_URL=url)
        before = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)
        await DigestPost.create(week="2026-W46", channel=DIGEST, status=DONE, created_at=before)
        await _ratings_as_0006_stored_them("it", "2026-W47", [4, 5, 3], rater="finance")
    finally:
        await db.close_database()
    clock = FakeClock(datetime(2026, 11, 23, 8, 0, tzinfo=UTC))  # Monday 09:00 in Berlin
    h = await start_harness(settings, slack, clock)
    try:
        # The Monday of its earliest rating's week, earlier than its first digest.
        assert (await Installation.get()).installed_at == datetime(2026, 11, 16, tzinfo=UTC)
        assert await h.services.digest_schedule.step() == 1
        assert weeks_posted(slack) == ["2026-W47"]
    finally:
        await h.client.close()
