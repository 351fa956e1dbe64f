"""Checks that make `serve` refuse to start, with one clear line, instead of failing later."""

import logging

from aiohttp import ClientError
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot import db
from bot.clock import Clock, utc_now
from bot.installation import installed_at
from bot.membership import sync_departments
from bot.settings import Settings
from bot.surveys.release import AnswerRelease

log = logging.getLogger(__name__)

# Answers of auth.test that mean the token itself is wrong, not that Slack is having a bad day.
_BAD_TOKEN = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}


class StartupError(Exception):
    """A problem an operator must fix before the app can run; str() is the one line to print."""


async def verify_bot_token(client: AsyncWebClient) -> None:
    try:
        await client.auth_test()
    except SlackApiError as exc:
        error = str(exc.response.get("error", ""))
        if error in _BAD_TOKEN:
            raise StartupError(f"SLACK_BOT_TOKEN: Slack refused the token ({error})") from None
        log.warning("auth.test failed (%s); starting anyway", error or exc.response.status_code)
    except (ClientError, TimeoutError) as exc:
        # Slack unreachable is an outage, not a setting: start, and let retries do their work.
        log.warning("Slack unreachable at start (%s); starting anyway", type(exc).__name__)


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
