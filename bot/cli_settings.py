"""What every `quality-bot` command does first: read the settings, then work in the database."""

import os
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Literal

from bot.settings import ConfigError, Settings, load_settings


def settings_or_exit(purpose: Literal["serve", "cli"] = "cli") -> Settings:
    """The settings; on a problem, one line each on stderr and exit status 2."""
    try:
        return load_settings(environ=os.environ, cwd=Path.cwd(), purpose=purpose)
    except ConfigError as err:
        for problem in err.problems:
            print(f"quality-bot: {problem}", file=sys.stderr)
        raise SystemExit(2) from None


async def in_database(settings: Settings, work: Callable[[], Awaitable[int]]) -> int:
    """`work`'s exit status, run as `serve` starts (migrations, departments); 1 with one line
    on stderr when the database cannot be used or fails midway."""
    from bot import db
    from bot.startup import StartupError, prepare_database

    try:
        await prepare_database(settings)
    except StartupError as err:
        print(f"quality-bot: {err}", file=sys.stderr)
        return 1
    try:
        return await work()
    except db.DATABASE_ERRORS as exc:
        print(
            f"quality-bot: DATABASE_URL: the database failed ({db.describe(exc)})", file=sys.stderr
        )
        return 1
    finally:
        await db.close_database()
