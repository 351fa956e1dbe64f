"""Checks that make `serve` refuse to start, with one clear line, instead of failing later,
and the ones that only warn: configured channels the bot is not in."""

import asyncio
import logging
from pathlib import Path

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.clock import Clock, utc_now
from bot.config import LiveQuality, Problem, QualityConfig, Settings
from bot.people.directory import Directory, UnresolvedNames
from bot.people.setup import channel_problems
from bot.runtime import db
from bot.runtime.installation import installed_at
from bot.surveys.release import AnswerRelease

log = logging.getLogger(__name__)

CHANNEL_CHECK_SECONDS = 10.0  # the channel check must never hold the start hostage

# Answers of auth.test that mean the token itself is wrong, not that Slack is having a bad day.
BAD_TOKEN_ERRORS = frozenset(
    {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
)


class StartupError(Exception):
    """A problem an operator must fix before the app can run; str() is the one line to print."""


async def verify_bot_token(client: AsyncWebClient) -> str | None:
    """Refuse a token Slack refuses. The bot's name (as people @mention it) when Slack said
    who it is; None when Slack could not be asked (start anyway: retries do their work)."""
    try:
        identity = await client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error", ""))
        if error in BAD_TOKEN_ERRORS:
            raise StartupError(f"SLACK_BOT_TOKEN: Slack refused the token ({error})") from None
        log.warning("auth.test failed (%s); starting anyway", error or exc.response.status_code)
        return None
    except (ClientError, TimeoutError) as exc:
        # Slack unreachable is an outage, not a setting: start, and let retries do their work.
        log.warning("Slack unreachable at start (%s); starting anyway", type(exc).__name__)
        return None
    return bot_name(identity)


async def warn_about_channels(
    client: AsyncWebClient, quality: QualityConfig, settings: Settings, bot: str
) -> None:
    """Warn about each configured channel the bot cannot use. Run beside the start, never
    before it: the rest of the app works, and an invitation fixes it."""
    try:
        async with asyncio.timeout(CHANNEL_CHECK_SECONDS):
            problems = await channel_problems(
                client,
                quality,
                written=settings.quality_file,
                source=shown_path(settings.quality_config_path),
                bot_name=bot,
            )
    except (ClientError, TimeoutError) as exc:
        log.warning("configured channels not checked (%s)", type(exc).__name__)
        return
    for problem in problems:
        log.warning("%s", problem)


def bot_name(identity: AsyncSlackResponse) -> str:
    """The bot user's name, as people @mention it (auth.test's `user`)."""
    return str(identity.get("user") or "quality-bot")


def shown_path(path: Path) -> str:
    """The config path as an operator would write it: relative to where they run the app."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


async def prepare_database(
    settings: Settings, *, clock: Clock = utc_now, directory: Directory | None = None
) -> QualityConfig:
    """What every entry point does first: apply migrations, open the database, record the
    installation on a new one (the digest posts no week that ended before it), put the
    departments in effect (`directory`'s: quality.yml's, its names resolved through Slack or
    as last resolved, and those managed in Slack; they decide what a rating or a review may
    name), and close the weeks that ended while nothing ran (an upgrade closes the whole
    history): no command reads a finished week whose answers are not mixed yet.

    Returns the configuration in effect. A command without a `directory` resolves names as
    `serve` last resolved them."""
    directory = directory or Directory(
        quality_file=settings.quality_file,
        live=LiveQuality(settings.quality_file),
        client=None,
        clock=clock,
    )
    try:
        await db.migrate(settings.database_url)
        await db.open_database(settings.database_url)
        await installed_at(clock())
        quality = await directory.start()
        await AnswerRelease(quality=quality, clock=clock).close_due()
    except UnresolvedNames as exc:
        await db.close_database()
        source = shown_path(settings.quality_config_path)
        raise StartupError(
            "\n".join(str(Problem(source, key, reason)) for key, reason in exc.unresolved)
        ) from None
    except Exception as exc:
        await db.close_database()
        raise StartupError(f"DATABASE_URL: cannot use the database ({db.describe(exc)})") from exc
    return quality
