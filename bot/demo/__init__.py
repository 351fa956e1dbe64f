"""`make demo`: the product end to end, against the built-in Slack stand-in, offline.

Everything goes through the real app: requests are signed as Slack signs them and posted
to /slack/events over HTTP; what the app sends back to Slack is caught by the stand-in and
shown here the way Slack would show it.

The company is Acme (`company`, `quality.yml`). The demo plays the last complete week
(`clock`): seven weeks of history and the start of that week are seeded into the database
(`history`, `story`, `texts`), then the rest of the week is played through the handlers
and webhooks (`script`, `week`), so that its digest has something true to say.
"""

import contextlib
import secrets
import tempfile
import textwrap
from importlib import resources
from pathlib import Path

import aiohttp
from aiohttp import web

from bot.app import create_app
from bot.config import QualityConfig, Settings, load_settings
from bot.demo.clock import DemoClock
from bot.demo.company import PEOPLE, furnish
from bot.demo.digest import show_digest
from bot.demo.history import Seeded, seed_history
from bot.demo.loop import close_the_loop, seed_actions
from bot.demo.offers import sam_says_why_and_thanks
from bot.demo.player import Player
from bot.demo.screen import Screen
from bot.demo.script import ASKED, SAM
from bot.demo.setup import alex_sets_up
from bot.demo.sources import Platforms, reviews_from_platforms
from bot.demo.week import play_week, poll_button
from bot.digest.post import DigestPoster
from bot.reviews.sources.polling import ReviewPolling
from bot.sentiment import SentimentPool
from bot.services import SERVICES
from bot.slack_standin import SlackStandIn
from bot.surveys.release import AnswerRelease

# The stand-in's, not real ones.
BOT_TOKEN = "xoxb-demo-token"  # noqa: S105
WEBHOOK_SECRET = "whsec_ZGVtby13ZWJob29rLXNlY3JldC0xMjM0NTY3OA=="  # noqa: S105
DIGEST_CHANNEL = "C0DIGEST01"


def _settings(
    workdir: Path, slack: SlackStandIn, signing_secret: str, platforms: Platforms
) -> Settings:
    config = resources.files("bot.demo").joinpath("quality.yml").read_text(encoding="utf-8")
    config = config.replace("https://api.appstoreconnect.apple.com/", platforms.apple.base_url)
    (workdir / "quality.yml").write_text(config, encoding="utf-8")
    environ = {
        **platforms.environ(),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": signing_secret,
        "REVIEW_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite://{workdir / 'demo.db'}",
    }
    return load_settings(environ=environ, cwd=workdir, purpose="serve")


async def play(
    player: Player,
    slack: SlackStandIn,
    screen: Screen,
    clock: DemoClock,
    seeded: Seeded,
    poster: DigestPoster,
    release: AnswerRelease,
    platforms: Platforms,
    polling: ReviewPolling,
) -> None:
    """The demo itself. `clock.week` is the week it plays: the one the digest reports."""
    await alex_sets_up(player, slack, screen)
    screen.show("Sam types /quality help", await player.command("help", "U0EMP0001"))
    screen.show("Sam types /quality departments", await player.command("departments", "U0EMP0001"))

    # On Wednesday Facilities moved Sam's desk; the service desk tool reports it closed.
    status, _ = await player.interaction({
        "id": "JIRA-4700", "department": "facilities", "requester": {"slack_id": SAM},
        "summary": "Desk moved to the window & the monitor arm fixed <finally>",
        "url": "https://jira.acme.example/browse/JIRA-4700",
    })  # fmt: skip
    assert status == 201, status
    await slack.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == SAM)

    # Sam (Sales) asks IT for help in #it-help on Thursday, with a screenshot, naming the
    # on-call admin; Tom fixes it and marks it resolved.
    ts = f"{clock.at(3, 15).timestamp():.0f}.000100"
    slack.add_message(
        "C0ITHELP1",
        ts,
        user="U0EMP0001",
        text=slack.text_of(
            "@U0IT00002 my VPN drops every hour since the update & the status page "
            "https://status.acme.example/vpn says <all green> :face_with_rolling_eyes:"
        ),
        subtype="file_share",
        files=[{"name": "vpn-error.png"}],
    )
    fixed = f"{clock.at(3, 17, 20).timestamp():.6f}"  # two hours later: IT's time to resolution
    await player.event({
        "type": "reaction_added", "user": "U0IT00002", "reaction": "white_check_mark",
        "item": {"type": "message", "channel": "C0ITHELP1", "ts": ts},
        "item_user": "U0EMP0001", "event_ts": fixed,
    })  # fmt: skip
    [_, dm] = await slack.wait_for(
        "chat.postMessage", 2, where=lambda c: c.params["channel"] == SAM
    )
    screen.show("Tom marks Sam's request ✅ — Sam gets a DM", dm.params)
    await player.event(
        {"type": "app_home_opened", "user": SAM, "channel": "D0EMP0001", "tab": "home",
         "event_ts": ts}
    )  # fmt: skip
    [home, *_] = await slack.wait_for("views.publish", where=lambda c: c.params["user_id"] == SAM)
    screen.show(
        "Sam opens the app's Home tab: both requests wait for an answer", home.params["view"]
    )
    four = poll_button(dm.params["blocks"], "poll_scores", 3)
    thanks = await player.click("U0EMP0001", {**four, "type": "button"})
    screen.show("Sam clicks 4", thanks)
    await sam_says_why_and_thanks(player, slack, screen, SAM, "C0ITKUDOS")

    # Customer reviews arrive on the signed webhook, in any language, and are routed; the
    # Japanese and Korean ones, without stars, are scored by their words alone.
    reviews = {"reviews": [
        {"id": "tp-1001", "source": "trustpilot", "rating": 1, "title": "Late again",
         "text": "The parcel came a week late and nobody answered my emails.",
         "url": "https://reviews.example/tp-1001"},
        {"id": "g-2002", "source": "google", "rating": 5,
         "text": "Die Lieferung kam pünktlich, super Service!"},
        {"id": "tp-1003", "source": "trustpilot", "rating": 4,
         "text": "Refund for my invoice was quick and the team was helpful."},
        {"id": "g-2004", "source": "google", "department": "logistics",
         "text": "配送がとても早くて、梱包も丁寧でした。ありがとうございます。"},
        {"id": "g-2005", "source": "google", "department": "logistics",
         "text": "배송이 너무 늦어요. 문의해도 답변이 없네요."},
    ]}  # fmt: skip
    answer = await player.review(reviews)
    print("\n── A review platform posts 5 signed reviews to /webhooks/reviews " + "─" * 14)
    for r in answer["results"]:
        where = f"{r['source']}/{r['id']}"
        feeling = f"{r['sentiment']['label']} ({r['sentiment']['language']})"
        print(
            f"  {r['status']:8} {where:18} → {r['department']:10} by {r['routed_by']:8} {feeling}"
        )
    [alert] = await slack.wait_for(
        "chat.postMessage", where=lambda c: c.params["channel"] == "C0LOGTEAM"
    )
    screen.show("Logistics' alert channel gets the 1-star review", alert.params)
    await reviews_from_platforms(player, platforms, polling, clock)

    # The rest of the week, through the same handlers and webhooks, summed up.
    await play_week(player, slack, clock, seeded.this_week)

    # Monday 09:00: the week just played is the last complete one, and its digest is due.
    lars = await show_digest(poster, release, slack, screen, clock, DIGEST_CHANNEL)
    await close_the_loop(player, slack, screen, clock, lars)


async def run_demo(out_dir: Path = Path("demo-output"), *, workdir: Path | None = None) -> int:
    """Play the demo; its database and quality.yml go to a temporary directory, or to
    `workdir` when one is given (a test then reads what the demo stored)."""
    signing_secret = secrets.token_hex(16)
    with contextlib.ExitStack() as stack:
        tmp = workdir or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="demo-")))
        return await _run(out_dir, tmp, signing_secret)


async def _run(out_dir: Path, tmp: Path, signing_secret: str) -> int:
    platforms = Platforms()
    async with SlackStandIn(token=BOT_TOKEN) as slack, platforms.apple:
        furnish(slack)
        settings = _settings(tmp, slack, signing_secret, platforms)
        clock = DemoClock.last_complete_week(settings.quality_file.tz)
        # Scored in a thread, as the pool does for short-lived commands: spawning a worker
        # process and loading its models would take longer than the whole demo. The app
        # scores the history's texts with the same pool as its own.
        sentiment = SentimentPool(workers=0)
        # No digest on a timer: the demo posts the digest of its own week when it is played;
        # nor review polling: the demo polls the App Store when the story reaches it.
        app = create_app(
            settings, clock=clock, sentiment=sentiment, digest_tick=None, review_poll_tick=None
        )
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()  # migrations, departments, user groups: the app's own start
        quality = app[SERVICES].quality.current  # quality.yml's names resolved through Slack
        try:
            seeded = await seed_history(quality, clock, sentiment, keep_free=ASKED)
            await seed_actions(clock)
            # As the app does with every week that is over: mix its ratings, fold its polls.
            closed = await app[SERVICES].release.close_due()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = runner.addresses[0][1]
            print(
                f"quality-bot is running on http://127.0.0.1:{port}, talking to a Slack "
                f"stand-in at {slack.api_url} (no network, no workspace)."
            )
            _introduce(quality, seeded, closed)
            async with aiohttp.ClientSession() as session:
                url = f"http://127.0.0.1:{port}/slack/events"
                player = Player(session, url, signing_secret, slack, WEBHOOK_SECRET)
                services = app[SERVICES]
                await play(
                    player, slack, Screen(out_dir), clock, seeded, services.digest,
                    services.release, platforms, services.review_polling,
                )  # fmt: skip
        finally:
            await runner.cleanup()
        print(f"\n{len(slack.calls)} Slack Web API calls were made, all to the stand-in.")
    return 0


def _introduce(quality: QualityConfig, seeded: Seeded, closed: list[str]) -> None:
    first, last = seeded.weeks[0], seeded.weeks[-1]
    ratings, polls, reviews = seeded.this_week
    k = quality.privacy.min_group_size
    for paragraph in (
        f"The company is Acme: {len(PEOPLE)} people in {len(quality.departments)} departments "
        f"(bot/demo/quality.yml), its weeks in {quality.timezone}.",
        f"History: {len(seeded.weeks)} weeks ({first} … {last}) seeded straight into the "
        f"database: {seeded.ratings - ratings} ratings from {seeded.polls - polls} polls, "
        f"{seeded.reviews - reviews} customer reviews; {seeded.texts} distinct texts scored by "
        f"the app's sentiment analyzer; {seeded.seconds:.1f} s.",
        f"The app closed those {len(closed)} weeks as it closes every week that is over: each "
        "week's ratings written again in one shuffled batch, rater departments of fewer than "
        f"{k} people generalised, and its polls folded into counts — nothing left to tell who "
        "answered, let alone what.",
        f"The demo week so far, seeded the same way: {ratings} answers (held until {k} about "
        f"a department are waiting, or the week ends) from {polls} polls, {reviews} reviews. "
        "The rest of it is played through the app below.",
    ):
        print(textwrap.fill(paragraph, 96))
