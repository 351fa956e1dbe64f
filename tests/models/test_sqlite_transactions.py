"""On SQLite, a transaction that reads and then writes waits its turn when another process
writes meanwhile, rather than failing with "database is locked" at once (what four
`quality-bot digest --post` started together ran into)."""

import asyncio
import contextlib
import sqlite3
import threading
from datetime import UTC, datetime
from pathlib import Path

import pytest
from tortoise.transactions import in_transaction

from bot.runtime import db
from models.audit import AuditEntry
from tests.database import database_url, on_postgres

pytestmark = pytest.mark.skipif(on_postgres(), reason="SQLite's locking")

AT = datetime(2026, 12, 1, tzinfo=UTC)


def _other_process_writes(path: str, holding: threading.Event, release: threading.Event) -> None:
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO audit_entry (at, actor, action, subject, detail)"
            " VALUES ('2026-12-01 00:00:00+00:00', 'cli', 'export', 'it', '')"
        )
        holding.set()
        release.wait(5)
        conn.execute("COMMIT")


async def test_a_transaction_that_reads_first_waits_for_another_writer(tmp_path: Path) -> None:
    url = database_url(tmp_path)
    path = db.sqlite_file(url)
    assert path is not None
    await db.open_database(url)
    try:
        holding, release = threading.Event(), threading.Event()
        other = asyncio.create_task(
            asyncio.to_thread(_other_process_writes, path, holding, release)
        )
        await asyncio.to_thread(holding.wait, 5)
        asyncio.get_running_loop().call_later(0.2, release.set)
        async with in_transaction():
            seen = await AuditEntry.all().count()  # read ...
            await asyncio.sleep(0.4)  # ... while the other process commits ...
            await AuditEntry.create(at=AT, actor="U1", action="export", subject="hr")  # ... write
        await other
        assert seen == 1  # it began after the other's commit: it saw that row
        assert await AuditEntry.all().count() == 2
    finally:
        await db.close_database()


async def test_a_transaction_cancelled_while_waiting_for_another_leaves_the_lock_working(
    tmp_path: Path,
) -> None:
    # A background step waiting for the connection at shutdown is cancelled: it never had
    # the lock, so it must not give it back (which broke every later transaction).
    await db.open_database(database_url(tmp_path))
    try:
        entered = asyncio.Event()

        async def waits() -> None:
            await entered.wait()
            async with in_transaction():
                pass

        task = asyncio.create_task(waits())  # outside the transaction: not a nested one
        async with in_transaction():
            entered.set()
            await asyncio.sleep(0.05)  # it is waiting for the lock this transaction holds
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            await AuditEntry.create(at=AT, actor="U1", action="export", subject="it")
        async with asyncio.timeout(5):
            async with in_transaction():
                await AuditEntry.create(at=AT, actor="U2", action="export", subject="hr")
        assert await AuditEntry.all().count() == 2
    finally:
        await db.close_database()
