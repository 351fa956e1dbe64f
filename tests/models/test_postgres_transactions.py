"""On PostgreSQL, a transaction whose BEGIN fails (the server cut its connection a moment
before) gives the connection back to the pool: a few such failures during an outage must not
leave the app with no connection to take once the server is back, nor make closing the pool
wait out tortoise's 10 s."""

import asyncio
from pathlib import Path

import asyncpg
import pytest
from tortoise.backends.asyncpg.client import TransactionWrapper
from tortoise.transactions import in_transaction

from bot.runtime import db
from models.department import Department
from tests.database import database_url, on_postgres
from tests.processes import opened

pytestmark = pytest.mark.skipif(not on_postgres(), reason="PostgreSQL's connection pool")


async def _cut_off(self: TransactionWrapper) -> None:
    raise asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")


async def test_a_transaction_that_cannot_begin_gives_its_connection_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with opened(database_url(tmp_path)):
        await Department.all().count()  # the pool is made at the first query
        pool = db.connection()._pool  # asyncpg's; its public API below
        with monkeypatch.context() as patched:
            patched.setattr(TransactionWrapper, "begin", _cut_off)
            for _ in range(pool.get_max_size() + 1):  # more failures than the pool has room
                with pytest.raises(asyncpg.ConnectionDoesNotExistError):
                    async with in_transaction():
                        pass
        async with asyncio.timeout(5), in_transaction():  # a connection is there to take
            assert await Department.all().count() >= 0
        assert pool.get_idle_size() == pool.get_size()
