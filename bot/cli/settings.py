"""What every `quality-bot` command does first: read the settings, then work in the database."""

import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Literal

from bot.config import ENVIRONMENT, ConfigError, Problem, QualityConfig, Settings, load_settings

SLACK_CHECK_TIMEOUT = 10  # seconds per call: check-config must not hang on a silent Slack


def settings_or_exit(purpose: Literal["serve", "cli"] = "cli") -> Settings:
    """The settings; on a problem, one line each on stderr and exit status 2."""
    try:
        return load_settings(environ=os.environ, cwd=Path.cwd(), purpose=purpose)
    except ConfigError as err:
        for problem in err.problems:
            print(f"quality-bot: {problem}", file=sys.stderr)
        raise SystemExit(2) from None


async def in_database(settings: Settings, work: Callable[[QualityConfig], Awaitable[int]]) -> int:
    """`work`'s exit status, run as `serve` starts (migrations, departments) with the
    configuration in effect; 1 with one line on stderr when the database cannot be used or
    fails midway, or quality.yml names someone or something `serve` has not resolved."""
    from bot.runtime import db
    from bot.runtime.startup import StartupError, prepare_database

    try:
        quality = await prepare_database(settings)
    except StartupError as err:
        for line in str(err).splitlines():
            print(f"quality-bot: {line}", file=sys.stderr)
        return 1
    try:
        return await work(quality)
    except db.DATABASE_ERRORS as exc:
        print(
            f"quality-bot: DATABASE_URL: the database failed ({db.describe(exc)})", file=sys.stderr
        )
        return 1
    finally:
        await db.close_database()


async def slack_problems(settings: Settings) -> list[Problem]:
    """What check-config finds by asking Slack: a bot token Slack refuses, each name of
    quality.yml Slack does not know, and each channel the bot is not in (or cannot see). Slack
    unreachable is said on stderr and is no problem of the configuration: nothing is checked
    then."""
    from aiohttp import ClientError
    from slack_sdk.errors import SlackApiError
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.people.names import through_slack
    from bot.people.setup import channel_problems
    from bot.runtime.startup import BAD_TOKEN_ERRORS, bot_name, shown_path

    client = AsyncWebClient(
        token=settings.slack_bot_token,
        base_url=settings.slack_api_url,
        timeout=SLACK_CHECK_TIMEOUT,
    )
    source = shown_path(settings.quality_config_path)
    try:
        identity = await client.auth_test()
        written = settings.quality_file
        resolution = await through_slack(client, written)
        if resolution.quality is None:
            return [Problem(source, key, reason) for key, reason in resolution.unresolved]
        return await channel_problems(
            client, resolution.quality, written=written, source=source, bot_name=bot_name(identity)
        )
    except SlackApiError as exc:
        error = str(exc.response.get("error", ""))
        if error in BAD_TOKEN_ERRORS:
            return [Problem(ENVIRONMENT, "SLACK_BOT_TOKEN", f"Slack refused the token ({error})")]
        reason = f"Slack answered {error or exc.response.status_code}"
    except (ClientError, TimeoutError) as exc:
        reason = f"Slack unreachable at {settings.slack_api_url} ({type(exc).__name__})"
    print(f"quality-bot: {reason}; the token, names and channels were not checked", file=sys.stderr)
    return []
