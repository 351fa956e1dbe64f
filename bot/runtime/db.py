"""The database: tortoise set-up, migrations and a liveness probe."""

import asyncio
import contextlib
import fcntl
import logging
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import asyncpg
from tortoise import Tortoise, connections
from tortoise.backends.base.client import BaseDBAsyncClient
from tortoise.backends.base.config_generator import expand_db_url
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
    # A pooled connection whose server went away in the middle of an operation: asyncpg's
    # protocol is then in a state it cannot leave ("cannot switch to state …").
    asyncpg.InternalClientError,
    OSError,
)


# Any fixed number will do: every instance of quality-bot must use the same one.
MIGRATION_LOCK = 0x5175_616C_6974_79  # "Quality"


async def migrate(database_url: str) -> None:
    """Apply every committed migration that the database has not seen yet. Instances that
    start together take turns: the first migrates, the others then find nothing to do."""
    async with _migration_lock(database_url):
        try:
            await tortoise_migrate(config=tortoise_config(database_url))
        finally:
            await Tortoise.close_connections()


@contextlib.asynccontextmanager
async def _migration_lock(database_url: str) -> AsyncIterator[None]:
    db = expand_db_url(database_url)
    credentials = db["credentials"]
    if db["engine"] == "tortoise.backends.asyncpg":
        # A session-level advisory lock on a connection of its own: released when we are
        # done, or by the server when a migrating process dies.
        keys = ("host", "port", "user", "password", "database", "ssl")
        conn = await asyncpg.connect(**{k: credentials[k] for k in keys if k in credentials})
        try:
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1)", MIGRATION_LOCK):
                log.info("waiting for another instance to finish migrating")
                await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
            yield
        finally:
            await conn.close()  # ends the session, and with it the lock
    elif db["engine"] == "tortoise.backends.sqlite" and credentials["file_path"] != ":memory:":
        # An exclusive lock on a file next to the database, held by this process alone.
        path = Path(f"{credentials['file_path']}.migrate-lock")
        with await asyncio.to_thread(path.open, "a") as lock:
            await asyncio.to_thread(fcntl.flock, lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
    else:
        yield


async def open_database(database_url: str) -> None:
    # tortoise caches each model's INSERT by connection name, not by dialect: a process that
    # used SQLite (the demo, a test) would send "?" placeholders to PostgreSQL. Start afresh.
    EXECUTOR_CACHE.clear()
    # The global fallback lets every task (aiohttp's request tasks, bolt's listener tasks,
    # our background loops) find the connections, whichever context created it.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


def sqlite_file(database_url: str) -> str | None:
    """The file of a SQLite database URL; None for PostgreSQL and for an in-memory database."""
    db = expand_db_url(database_url)
    if db["engine"] != "tortoise.backends.sqlite":
        return None
    path = db["credentials"].get("file_path")
    return None if path in (None, ":memory:") else str(path)


async def checkpoint_elsewhere(database_url: str) -> str | None:
    """On SQLite, stop the app's connection from checkpointing its write-ahead log: the commit
    that crosses the threshold otherwise copies the log into the database file, while every
    other statement waits for the one connection (and a reader in another process, computing a
    digest, makes that happen at commit after commit). `checkpoint` then does it from a
    connection of its own; the file is returned for it. None on PostgreSQL."""
    path = sqlite_file(database_url)
    if path is not None:
        await connection().execute_script("PRAGMA wal_autocheckpoint=0")
    return path


async def checkpoint(path: str) -> None:
    """Copy what the write-ahead log holds into the database file, beside the app's writes (a
    passive checkpoint waits for no one and no one waits for it)."""
    await asyncio.to_thread(_checkpoint, path)


def _checkpoint(path: str) -> None:
    with contextlib.closing(sqlite3.connect(path, timeout=1.0)) as conn:
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")


def connection() -> BaseDBAsyncClient:
    """The open database's connection, for the few statements written in SQL (a checkpoint,
    the digest's quotes): the one place that knows how tortoise hands it out."""
    conn: BaseDBAsyncClient = connections.get("default")
    return conn


async def close_database() -> None:
    await Tortoise.close_connections()


async def ping() -> bool:
    """True when the database answers a trivial query within two seconds."""
    try:
        async with asyncio.timeout(2.0):
            await connection().execute_query("SELECT 1")
    except Exception as exc:  # any failure means "not healthy"; the reason goes to the log
        log.warning("database ping failed: %s", type(exc).__name__)
        return False
    return True


def describe(exc: BaseException) -> str:
    """A one-line reason for a database failure, without the URL (it may hold a password)."""
    text = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
