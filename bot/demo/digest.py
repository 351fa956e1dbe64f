"""The demo's last scene: the week's digest, posted as the scheduler posts it on Monday."""

import textwrap
from collections.abc import Mapping
from datetime import time
from typing import Any

from bot.demo.clock import DemoClock, local
from bot.demo.screen import Screen
from bot.digest.post import DigestPoster
from bot.slack_standin import SlackStandIn
from bot.surveys.release import AnswerRelease
from models.survey import HeldAnswer, PollTally, Rating

LOGISTICS_MANAGER = "U0LOG0001"


async def show_digest(
    poster: DigestPoster,
    release: AnswerRelease,
    slack: SlackStandIn,
    screen: Screen,
    clock: DemoClock,
    channel: str,
) -> Mapping[str, Any]:
    """Post the week's digest and show it; the DM Lars, Logistics' manager, got."""
    week = clock.week
    clock.jump_to(local(week.next, 0, time(9, 0), clock.tz))
    held = await HeldAnswer.filter(week=week.label).count()
    await release.settle()  # what the app's loop did at midnight
    ratings = await Rating.filter(week=week.label).count()
    tallies = await PollTally.filter(week=week.label).values_list("sent", "answered")
    sent, answered = (sum(column) for column in zip(*tallies, strict=True))
    print()
    print(
        textwrap.fill(
            f"── Sunday, midnight: {week} is over and the app closes it. The {held} answers "
            f"still held joined the week's {ratings - held} released ones, all {ratings} written "
            "again as one shuffled batch and their comments scored; the polls became counts "
            f"({sent} sent, {answered} answered within the week) and no longer say who answered.",
            96,
        )
    )
    print(
        f"\n── Monday 09:00: the digest of {week} is due. The scheduler posts it through its "
        "claim — `quality-bot digest --post` and `/quality digest post` take the same path."
    )
    result = await poster.post(week)
    posted = [m for m in slack.messages.get(channel, []) if m.get("ts") == result.ts]
    screen.show(f"#quality-digest gets the digest of {week}", posted[0])
    thread = [m for m in slack.messages.get(channel, []) if m.get("thread_ts") == result.ts]
    for number, reply in enumerate((m for m in thread if not m.get("files")), start=2):
        screen.show(f"…continued in the thread ({number})", reply)
    for file in slack.files.values():
        path = screen.out_dir / file["filename"]
        screen.out_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(file["bytes"])
        print(f"\n── In the thread, the chart: {file['title']}\nChart PNG: {path.resolve()}")
    [dm] = slack.messages.get(slack.dm_channel(LOGISTICS_MANAGER), [])[-1:]
    screen.show("Lars, Logistics' manager, gets his department's detail by DM", dm)
    again = await poster.post(week)
    print(
        f"\nPosting {week} a second time: {again.outcome.value.replace('_', ' ')} — one digest "
        "per week and channel, whatever restarts, retries or instances."
    )
    return dm
