"""The SQLite engine quality-bot runs on: tortoise's, except that a transaction takes the
write lock when it begins (`BEGIN IMMEDIATE`) rather than at its first write.

Every transaction of ours writes, and most read first. With tortoise's plain `BEGIN`, a
transaction that has read cannot start writing once another process (`serve` beside a
`quality-bot` command, or two commands) has committed since: SQLite answers "database is
locked" at once, without waiting the busy timeout, because waiting could deadlock. Taking the
lock at `BEGIN` makes such a transaction wait its turn instead. Tortoise has no setting for
it (tortoise/tortoise-orm#1675); `tortoise_config` names this module as the engine.
"""

from typing import Any

from tortoise.backends.base.client import TransactionalDBClient
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.connection import get_connections


class _ImmediateTransaction(SqliteTransactionWrapper):
    async def begin(self) -> None:
        await self._connection.commit()  # what tortoise's begin does first
        await self._connection.execute("BEGIN IMMEDIATE")


class _ImmediateTransactionContext(SqliteTransactionContext):
    async def __aenter__(self) -> TransactionalDBClient:
        # Tortoise's own steps, except that a failure after taking the connection's lock gives
        # it back: when the busy timeout runs out (or the connection fails) in BEGIN, tortoise
        # would keep it, and every later statement of the process would wait for it forever.
        # A task cancelled while waiting for the lock never had it, and gives nothing back.
        await self._trxlock.acquire()
        try:
            await self.ensure_connection()
            self.token = get_connections().set(self.connection_name, self.connection)
            await self.connection.begin()
        except BaseException:
            if hasattr(self, "token"):
                get_connections().reset(self.token)
            self._trxlock.release()
            raise
        connection: TransactionalDBClient = self.connection
        return connection


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> Any:
        return _ImmediateTransactionContext(_ImmediateTransaction(self), self._lock)


client_class = ImmediateSqliteClient
