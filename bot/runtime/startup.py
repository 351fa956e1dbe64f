"""Checks that make `serve` refuse to start, with one clear line, instead of failing later,
and the ones that only warn: configured channels the bot is not in."""

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.clock import Clock, utc_now
from bot.config import Problem, QualityConfig, Settings, format_key
from bot.people.membership import sync_departments
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


async def warn_about_channels(client: AsyncWebClient, settings: Settings, bot: str) -> None:
    """Warn about each configured channel the bot cannot use. Run beside the start, never
    before it: the rest of the app works, and an invitation fixes it."""
    try:
        async with asyncio.timeout(CHANNEL_CHECK_SECONDS):
            problems = await channel_problems(client, settings, bot_name=bot)
    except (ClientError, TimeoutError) as exc:
        log.warning("configured channels not checked (%s)", type(exc).__name__)
        return
    for problem in problems:
        log.warning("%s", problem)


@dataclass(frozen=True)
class ConfiguredChannel:
    channel: str
    key: str  # where quality.yml names it, e.g. "departments[0].channels[0]"
    use: str  # what the app does there, e.g. "IT's service channel"


def configured_channels(quality: QualityConfig) -> list[ConfiguredChannel]:
    """Every channel quality.yml names, once each (where it is first named)."""
    found: dict[str, ConfiguredChannel] = {}
    for n, dept in enumerate(quality.departments):
        for m, channel in enumerate(dept.channels):
            key = format_key(("departments", n, "channels", m))
            found.setdefault(
                channel, ConfiguredChannel(channel, key, f"{dept.name}'s service channel")
            )
        if dept.alert_channel:
            key = format_key(("departments", n, "alert_channel"))
            use = f"{dept.name}'s alert channel"
            found.setdefault(dept.alert_channel, ConfiguredChannel(dept.alert_channel, key, use))
        if dept.team_channel:
            key = format_key(("departments", n, "team_channel"))
            use = f"{dept.name}'s team channel"
            found.setdefault(dept.team_channel, ConfiguredChannel(dept.team_channel, key, use))
    if quality.digest.channel:
        digest = ConfiguredChannel(quality.digest.channel, "digest.channel", "the digest channel")
        found.setdefault(digest.channel, digest)
    return list(found.values())


async def channel_problems(
    client: AsyncWebClient, settings: Settings, *, bot_name: str
) -> list[Problem]:
    """Each configured channel the bot cannot read or post to, with what to do about it.

    Probed with conversations.history (limit 1), which the manifest's channels:history and
    groups:history allow: Slack answers not_in_channel for a public channel the bot was not
    invited to, and channel_not_found for a private one (the bot cannot see it) or a wrong id.
    Slack unreachable raises ClientError or TimeoutError."""
    source = _shown(settings.quality_config_path)
    problems = []
    for configured in configured_channels(settings.quality):
        try:
            await client.conversations_history(channel=configured.channel, limit=1)
        except SlackApiError as exc:
            reason = _channel_reason(configured, str(exc.response.get("error", "")), bot_name)
            problems.append(Problem(source, configured.key, reason))
    return problems


def _channel_reason(configured: ConfiguredChannel, error: str, bot_name: str) -> str:
    where = f"channel {configured.channel} ({configured.use})"
    if error == "not_in_channel":
        return (
            f"@{bot_name} is not in {where}: invite it — in that channel, type /invite @{bot_name}"
        )
    if error == "channel_not_found":
        return (
            f"@{bot_name} cannot see {where}: check the id (the channel's details show it), "
            f"and if the channel is private, invite @{bot_name} to it (/invite @{bot_name})"
        )
    return f"{where} could not be checked: Slack answered {error or 'an error'}"


def bot_name(identity: AsyncSlackResponse) -> str:
    """The bot user's name, as people @mention it (auth.test's `user`)."""
    return str(identity.get("user") or "quality-bot")


def _shown(path: Path) -> str:
    """The config path as an operator would write it: relative to where they run the app."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


async def prepare_database(settings: Settings, *, clock: Clock = utc_now) -> None:
    """What every entry point does first: apply migrations, open the database, record the
    installation on a new one (the digest posts no week that ended before it), sync the
    departments of quality.yml (they decide what a rating or a review may name), and close
    the weeks that ended while nothing ran (an upgrade closes the whole history): no command
    reads a finished week whose answers are not mixed yet."""
    try:
        await db.migrate(settings.database_url)
        await db.open_database(settings.database_url)
        await installed_at(clock())
        await sync_departments(settings.quality)
        await AnswerRelease(quality=settings.quality, clock=clock).close_due()
    except Exception as exc:
        await db.close_database()
        raise StartupError(f"DATABASE_URL: cannot use the database ({db.describe(exc)})") from exc
