"""The database: tortoise set-up, migrations and a liveness probe."""

import asyncio
import logging
import sqlite3

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.executor import EXECUTOR_CACHE
from tortoise.exceptions import (
    ConfigurationError,
    DBConnectionError,
    OperationalError,
    TransactionManagementError,
)
from tortoise.migrations.api import migrate as tortoise_migrate

from models import tortoise_config

log = logging.getLogger(__name__)

# What a database that is down, restarting or closed looks like from a handler: tortoise's own
# errors, the drivers' errors it lets through, and the socket errors of a pool reconnecting.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError,
    DBConnectionError,
    ConfigurationError,  # raised once the connections are closed (shutting down)
    TransactionManagementError,
    sqlite3.Error,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
)


async def migrate(database_url: str) -> None:
    """Apply every committed migration that the database has not seen yet."""
    await tortoise_migrate(config=tortoise_config(database_url))
    await Tortoise.close_connections()


async def open_database(database_url: str) -> None:
    # tortoise caches each model's INSERT by connection name, not by dialect: a process that
    # used SQLite (the demo, a test) would send "?" placeholders to PostgreSQL. Start afresh.
    EXECUTOR_CACHE.clear()
    # The global fallback lets every task (aiohttp's request tasks, bolt's listener tasks,
    # our background loops) find the connections, whichever context created it.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


async def ping() -> bool:
    """True when the database answers a trivial query within two seconds."""
    try:
        async with asyncio.timeout(2.0):
            await connections.get("default").execute_query("SELECT 1")
    except Exception as exc:  # any failure means "not healthy"; the reason goes to the log
        log.warning("database ping failed: %s", type(exc).__name__)
        return False
    return True


def describe(exc: BaseException) -> str:
    """A one-line reason for a database failure, without the URL (it may hold a password)."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
