"""The PostgreSQL engine quality-bot runs on: tortoise's asyncpg client, except that a
transaction whose `BEGIN` fails gives its connection back to the pool.

Tortoise takes a connection from the pool, then begins; when `BEGIN` raises (the server cut
the connection a moment before: a restart, a failover, an administrator's
`pg_terminate_backend`), it leaves the connection taken. Each such failure then holds one of
the pool's connections for good, and closing the pool waits 10 s for them, past the deadline a
stopping process has (docs/operations/docker.md). `tortoise_config` names this module as the
engine.
"""

from typing import Any

from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionalDBClient, TransactionContextPooled
from tortoise.connection import get_connections


class _ReleasingTransactionContext(TransactionContextPooled):
    async def __aenter__(self) -> TransactionalDBClient:
        # tortoise's own steps, with the connection given back when BEGIN fails.
        await self.ensure_connection()
        pool = self.client._parent._pool
        self.client._connection = await pool.acquire()
        self.token = get_connections().set(self.connection_name, self.client)
        try:
            await self.client.begin()
        except BaseException:
            get_connections().reset(self.token)
            await pool.release(self.client._connection)
            raise
        return self.client


class ReleasingAsyncpgClient(AsyncpgDBClient):
    def _in_transaction(self) -> Any:
        return _ReleasingTransactionContext(TransactionWrapper(self), self._pool_init_lock)


client_class = ReleasingAsyncpgClient
