"""The database a test runs on: a SQLite file in its tmp_path, or — when
QUALITY_TEST_POSTGRES names a PostgreSQL server (`make test` starts one) — a fresh database on
that server, one per test and name, so that tests never see each other's rows."""

import asyncio
import os
import re
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import connections

SERVER = "QUALITY_TEST_POSTGRES"  # e.g. postgres://postgres@127.0.0.1:54329/postgres
_created: dict[tuple[Path, str], str] = {}


def database_url(tmp_path: Path, name: str = "quality") -> str:
    server = os.environ.get(SERVER)
    if not server:
        return f"sqlite://{tmp_path / (name + '.db')}"
    key = (tmp_path, name)
    if key not in _created:
        database = f"t_{re.sub(r'[^a-z0-9]', '_', name.lower())}_{uuid.uuid4().hex[:12]}"
        # Called from sync fixtures as well as from inside a running loop: a thread of its own.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, _create(server, database)).result()
        _created[key] = f"{server.rsplit('/', 1)[0]}/{database}"
    return _created[key]


def on_postgres() -> bool:
    return bool(os.environ.get(SERVER))


async def _create(server: str, database: str) -> None:
    conn = await asyncpg.connect(server)
    try:
        await conn.execute(f'CREATE DATABASE "{database}"')
    finally:
        await conn.close()


async def system_rows(table: str, *columns: str) -> list[dict[str, Any]]:
    """Rows with the database's own columns: PostgreSQL's xmin and ctid, SQLite's rowid, in
    the physical order a reader of the files would see."""
    db = connections.get("default")
    # Names only, from the test itself: nothing a user typed reaches this SQL.
    wanted = ", ".join(columns)
    own, order = (
        ("xmin::text AS xmin, ctid::text AS ctid", "ctid") if on_postgres() else ("rowid", "rowid")
    )
    sql = f"SELECT {own}, {wanted} FROM {table} ORDER BY {order}"  # noqa: S608
    rows: list[dict[str, Any]] = await db.execute_query_dict(sql)
    return rows
