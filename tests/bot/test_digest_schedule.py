"""The digest fires at `digest.schedule` in the configured zone, and catches up after downtime."""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.digest.schedule import due_at, latest_due, owed_weeks
from bot.quality_fields import Schedule
from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models.digest import DONE, PENDING, DigestPost
from tests.conftest import Harness, make_settings, start_harness
from tests.support import FakeClock, eventually, until

BERLIN = Week.parse("2026-W47")
DIGEST = "C0DIGEST01"
TZ = ZoneInfo("Europe/Berlin")
TICK = timedelta(seconds=0.05)


def weeks_posted(slack: SlackStandIn) -> list[str]:
    return [
        m["metadata"]["event_payload"]["week"]
        for m in slack.messages.get(DIGEST, [])
        if m.get("metadata", {}).get("event_payload", {}).get("part") == "main"
    ]


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
    ],
)
async def test_owed_weeks_after_downtime(
    harness: Harness, claims: list[tuple[str, str]], owed: list[str]
) -> None:
    now = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    for week, status in claims:
        await DigestPost.create(week=week, channel=DIGEST, status=status, created_at=now)
    quality = harness.services.settings.quality
    assert [w.label for w in await owed_weeks(now, quality, DIGEST)] == owed


async def test_the_scheduler_posts_at_monday_nine_and_once_across_a_restart(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    clock = FakeClock(datetime(2026, 11, 23, 7, 58, tzinfo=UTC))  # Monday 08:58 in Berlin
    settings = make_settings(tmp_path, slack)
    h = await start_harness(settings, slack, clock, digest_tick=TICK)
    try:
        await eventually(lambda: weeks_posted(slack) == ["2026-W46"])  # a new install's first
        clock.advance(minutes=2)  # 09:00
        await eventually(lambda: weeks_posted(slack) == ["2026-W46", "2026-W47"])
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
    assert weeks_posted(slack) == ["2026-W46", "2026-W47"]


async def test_weeks_missed_while_down_are_posted_oldest_first(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    clock = FakeClock(datetime(2026, 10, 26, 8, 30, tzinfo=UTC))  # Mon 2026-W44, 09:30
    settings = make_settings(tmp_path, slack)
    h = await start_harness(settings, slack, clock, digest_tick=TICK)
    try:
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
