"""`quality-bot digest [--week 2026-W47] [--json | --post]`.

Exit status: 0 when printed or posted (or already posted: the week is in the channel once),
1 when the database or Slack failed, 2 for a bad week, setting or configuration, and for
`--post` of a week whose digest is not due yet (printing it, or its JSON, is fine).
"""

import argparse
import asyncio
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import datetime

    from bot.config import QualityConfig, Settings
    from bot.weeks import Week


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    summary = "compute a week's digest: print it, as JSON, or post it to Slack"
    parser = sub.add_parser("digest", help=summary, description=summary)
    parser.add_argument(
        "--week", metavar="2026-W47", help="an ISO week (default: the last complete one)"
    )
    how = parser.add_mutually_exclusive_group()
    how.add_argument("--json", action="store_true", help="print the digest JSON")
    how.add_argument(
        "--post",
        action="store_true",
        help="post it as the scheduler would: once per week and channel, once the week is due",
    )
    parser.set_defaults(func=cmd_digest)


def cmd_digest(args: argparse.Namespace) -> int:
    from bot.cli.settings import in_database, settings_or_exit
    from bot.clock import utc_now
    from bot.weeks import Week

    settings = settings_or_exit()
    try:
        week = Week.parse(args.week) if args.week else None
    except ValueError as err:
        print(f"quality-bot: --week: {err}", file=sys.stderr)
        return 2
    now = utc_now()
    week = week or Week.last_complete(now, settings.quality_file.tz)
    if args.post:
        unusable = _cannot_post(settings) or _not_due(settings, week, now, given=bool(args.week))
        if unusable:
            print(f"quality-bot: {unusable}", file=sys.stderr)
            return 2
    if args.post:
        return asyncio.run(in_database(settings, lambda q: _post(settings, q, week)))
    return asyncio.run(in_database(settings, lambda q: _show(q, week, args.json)))


def _cannot_post(settings: "Settings") -> str | None:
    if not settings.slack_bot_token:
        return "SLACK_BOT_TOKEN: required to post the digest"
    if settings.quality_file.digest.channel is None:
        return f"{settings.quality_config_path}: digest.channel: required to post the digest"
    return None


def _not_due(settings: "Settings", week: "Week", now: "datetime", *, given: bool) -> str | None:
    """Why `week` cannot be posted yet: the scheduler's rule (bot/digest/schedule.py), so that
    a week is never posted before it is over — its one post would then be spent on half of
    it — and the message names the moment it is due."""
    from bot.digest.schedule import due_at

    quality = settings.quality_file
    due = due_at(week, quality.digest.schedule, quality.tz)
    if now >= due:
        return None
    local = due.astimezone(quality.tz)
    when = f"{_DAYS[local.weekday()]} {local:%Y-%m-%d %H:%M} {quality.timezone}"
    option = "--week" if given else "--post"
    if now < week.bounds(quality.tz)[1]:
        return f"{option}: {week} is not over yet; it can be posted from {when}."
    return f"{option}: the digest of {week} is due {when}; it can be posted from then."


_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


async def _show(quality: "QualityConfig", week: "Week", as_json: bool) -> int:
    from bot.digest.compute import compute_week
    from bot.digest.text import render_text

    digest = await compute_week(quality, week)
    if as_json:
        print(json.dumps(digest.to_json(), ensure_ascii=False, indent=2))
    else:
        print(render_text(digest))
    return 0


async def _post(settings: "Settings", quality: "QualityConfig", week: "Week") -> int:
    from bot.clock import utc_now
    from bot.digest.post import DigestPoster, Outcome
    from bot.sentiment import SentimentPool
    from bot.slack.client import RateLimitGate, build_client
    from bot.surveys.release import AnswerRelease

    client = build_client(
        token=settings.slack_bot_token or "", base_url=settings.slack_api_url, gate=RateLimitGate()
    )
    # Comments released while nothing scored them are scored before the digest reads them.
    sentiment = SentimentPool(workers=0)
    release = AnswerRelease(quality=quality, clock=utc_now, sentiment=sentiment)
    poster = DigestPoster(client=client, quality=quality, clock=utc_now, release=release)
    try:
        result = await poster.post(week, force=True)
    finally:
        sentiment.close()
    messages = {
        Outcome.POSTED: f"Posted the digest of {week} to {result.channel}.",
        Outcome.ALREADY_POSTED: f"The digest of {week} is already in {result.channel}.",
        Outcome.BUSY: f"Another instance is posting the digest of {week} right now.",
        Outcome.FAILED: f"Could not post the digest of {week} ({result.error}); "
        "run again to resume.",
    }
    failed = result.outcome is Outcome.FAILED
    print(messages[result.outcome], file=sys.stderr if failed else sys.stdout)
    return 1 if failed else 0
