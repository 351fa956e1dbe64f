"""`make demo`: the product end to end, against the built-in Slack stand-in, offline.

Everything goes through the real app: requests are signed as Slack signs them and posted
to /slack/events over HTTP; what the app sends back to Slack is caught by the stand-in and
shown here the way Slack would show it.
"""

import json
import re
import secrets
import sys
import tempfile
import time
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web

from bot.app import create_app
from bot.blocks.render import Renderer, block_kit_builder_url
from bot.demo.player import Player
from bot.settings import Settings, load_settings
from bot.slack_standin import SlackStandIn

# The stand-in's, not real ones.
BOT_TOKEN = "xoxb-demo-token"  # noqa: S105
WEBHOOK_SECRET = "whsec_ZGVtby13ZWJob29rLXNlY3JldC0xMjM0NTY3OA=="  # noqa: S105
PEOPLE = {
    "U0IT00001": "ines",
    "U0IT00002": "tom",
    "U0IT00003": "aiko",
    "U0FIN0001": "farah",
    "U0LOG0001": "lars",
    "U0EMP0001": "sam",
}
CHANNELS = {"C0ITHELP1": "it-help", "C0FINHELP": "finance-help", "C0LOGHELP": "logistics-help"}


def _settings(workdir: Path, slack: SlackStandIn, signing_secret: str) -> Settings:
    config = resources.files("bot.demo").joinpath("quality.yml").read_text(encoding="utf-8")
    (workdir / "quality.yml").write_text(config, encoding="utf-8")
    environ = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": signing_secret,
        "REVIEW_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": f"sqlite://{workdir / 'demo.db'}",
    }
    return load_settings(environ=environ, cwd=workdir, purpose="serve")


class Screen:
    """Shows each message as Slack would, and keeps its Block Kit JSON next to it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.count = 0
        self.renderer = Renderer({**PEOPLE, **CHANNELS}, ansi=sys.stdout.isatty())

    def show(self, title: str, message: Mapping[str, Any]) -> None:
        self.count += 1
        print(f"\n── {title} " + "─" * max(0, 76 - len(title)))
        blocks = message.get("blocks") or []
        if not blocks:
            print(message.get("text", ""))
            return
        print(self.renderer.blocks(blocks))
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"{self.count:02d}-{_slug(title)}.json"
        path.write_text(json.dumps({"blocks": blocks}, indent=2, ensure_ascii=False) + "\n")
        print(f"Block Kit JSON: {path}")
        print(f"Block Kit Builder: {block_kit_builder_url(blocks)}")


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]


async def play(player: Player, slack: SlackStandIn, screen: Screen) -> None:
    screen.show("Sam types /quality help", await player.command("help", "U0EMP0001"))
    screen.show("Sam types /quality departments", await player.command("departments", "U0EMP0001"))

    # Sam (Sales) asks IT for help in #it-help; Tom fixes it and marks it resolved.
    slack.add_message(
        "C0ITHELP1",
        "1763456400.000100",
        user="U0EMP0001",
        text="My VPN drops every hour since the update, can someone look?",
    )
    await player.event({
        "type": "reaction_added", "user": "U0IT00002", "reaction": "white_check_mark",
        "item": {"type": "message", "channel": "C0ITHELP1", "ts": "1763456400.000100"},
        "item_user": "U0EMP0001", "event_ts": f"{time.time():.6f}",
    })  # fmt: skip
    [dm] = await slack.wait_for("chat.postMessage")
    screen.show("Tom marks Sam's request ✅ — Sam gets a DM", dm.params)
    button = dm.params["blocks"][2]["elements"][3]  # the "4"
    thanks = await player.click(
        "U0EMP0001", {**button, "block_id": "poll_scores", "type": "button"}
    )
    screen.show("Sam clicks 4", thanks)

    # Customer reviews arrive on the signed webhook, in any language, and are routed.
    reviews = {"reviews": [
        {"id": "tp-1001", "source": "trustpilot", "rating": 1, "title": "Late again",
         "text": "The parcel came a week late and nobody answered my emails.",
         "url": "https://reviews.example/tp-1001"},
        {"id": "g-2002", "source": "google", "rating": 5,
         "text": "Die Lieferung kam pünktlich, super Service!"},
        {"id": "tp-1003", "source": "trustpilot", "rating": 4,
         "text": "Refund for my invoice was quick and the team was helpful."},
    ]}  # fmt: skip
    answer = await player.review(reviews)
    print("\n── A review platform posts 3 signed reviews to /webhooks/reviews " + "─" * 14)
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


async def run_demo(out_dir: Path = Path("demo-output")) -> int:
    signing_secret = secrets.token_hex(16)
    with tempfile.TemporaryDirectory(prefix="quality-demo-") as tmp:
        async with SlackStandIn(token=BOT_TOKEN) as slack:
            for user_id, name in PEOPLE.items():
                slack.add_user(user_id, name=name)
            slack.add_usergroup("S0IT00001", ["U0IT00001", "U0IT00002", "U0IT00003"])
            settings = _settings(Path(tmp), slack, signing_secret)
            runner = web.AppRunner(create_app(settings), access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            port = runner.addresses[0][1]
            print(
                f"quality-bot is running on http://127.0.0.1:{port}, talking to a Slack stand-in "
                f"at {slack.api_url} (no network, no workspace)."
            )
            screen = Screen(out_dir)
            try:
                async with aiohttp.ClientSession() as session:
                    url = f"http://127.0.0.1:{port}/slack/events"
                    player = Player(session, url, signing_secret, slack, WEBHOOK_SECRET)
                    await play(player, slack, screen)
            finally:
                await runner.cleanup()
            print(f"\n{len(slack.calls)} Slack Web API calls were made, all to the stand-in.")
    return 0
