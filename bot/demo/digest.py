"""The demo's last scene: the week's digest, posted as the scheduler posts it on Monday."""

from bot.demo.screen import Screen
from bot.digest.post import DigestPoster
from bot.slack_standin import SlackStandIn
from bot.weeks import Week

LOGISTICS_MANAGER = "U0LOG0001"


async def show_digest(
    poster: DigestPoster, slack: SlackStandIn, screen: Screen, week: Week, channel: str
) -> None:
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
