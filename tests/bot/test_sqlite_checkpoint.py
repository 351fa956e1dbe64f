"""On SQLite the app's own connection never checkpoints the write-ahead log (a commit would
copy it into the database file while every click waits for the connection): a connection of
its own does, beside the app's writes."""

from pathlib import Path

import pytest
from tortoise import connections

from bot.runtime import db
from models.slack_event import ProcessedEvent
from tests.conftest import Harness
from tests.database import database_url, on_postgres

pytestmark = pytest.mark.skipif(on_postgres(), reason="SQLite's write-ahead log")


def _file_size(path: str) -> int:
    """The database file's size: what the write-ahead log holds is not in it until a
    checkpoint copies it there."""
    return Path(path).stat().st_size


async def test_the_app_leaves_checkpoints_to_a_connection_of_their_own(harness: Harness) -> None:
    query = await connections.get("default").execute_query("PRAGMA wal_autocheckpoint")
    assert [tuple(row) for row in query[1]] == [(0,)]
    assert db.sqlite_file("postgres://u:p@localhost:5432/q") is None
    assert db.sqlite_file("sqlite://:memory:") is None


async def test_only_the_checkpoint_copies_the_log_into_the_file(tmp_path: Path) -> None:
    url = database_url(tmp_path)
    await db.open_database(url)
    try:
        path = await db.checkpoint_elsewhere(url)
        assert path is not None
        before = _file_size(path)
        for n in range(1_500):  # past the 1,000 pages at which a commit would checkpoint
            await ProcessedEvent.create(event_id=f"Ev{n:06d}-{'x' * 40}")
        assert _file_size(path) == before  # no commit of the app's copied the log
        await db.checkpoint(path)
        assert _file_size(path) > before + 100_000
    finally:
        await db.close_database()
