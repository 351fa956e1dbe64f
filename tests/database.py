"""The database a test runs on: a SQLite file in its tmp_path, or — when
QUALITY_TEST_POSTGRES names a PostgreSQL server (`make test` starts one) — a fresh database on
that server, one per test and name, so that tests never see each other's rows.

Each starts as a copy of one database migrated once per test run (a SQLite file copied, a
PostgreSQL `TEMPLATE`): applying every migration costs tortoise a quarter of a second of CPU,
which every test that starts the app would pay again. Tests of the migrations themselves ask
for an empty one (`migrated=False`)."""

import asyncio
import functools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import asyncpg
from tortoise import connections

SERVER = "QUALITY_TEST_POSTGRES"  # e.g. postgres://postgres@127.0.0.1:54329/postgres
_created: dict[tuple[Path, str], str] = {}


def database_url(tmp_path: Path, name: str = "quality", *, migrated: bool = True) -> str:
    server = os.environ.get(SERVER)
    if not server:
        path = tmp_path / (name + ".db")
        if migrated and not path.exists():
            shutil.copyfile(_sqlite_template(), path)
        return f"sqlite://{path}"
    key = (tmp_path, name)
    if key not in _created:
        database = f"t_{re.sub(r'[^a-z0-9]', '_', name.lower())}_{uuid.uuid4().hex[:12]}"
        template = _postgres_template(server) if migrated else None
        # Called from sync fixtures as well as from inside a running loop: a thread of its own.
        with ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, _create(server, database, template)).result()
        _created[key] = _url(server, database)
    return _created[key]


@functools.cache
def _sqlite_template() -> Path:
    path = Path(tempfile.mkdtemp(prefix="quality-template-")) / "template.db"
    _migrate(f"sqlite://{path}")
    return path


@functools.cache
def _postgres_template(server: str) -> str:
    database = f"template_{uuid.uuid4().hex[:12]}"
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _create(server, database, None)).result()
    _migrate(_url(server, database))
    return database


def _migrate(url: str) -> None:
    """Every migration, in a process of its own: this one's tortoise is the tests' to use."""
    code = "import asyncio, sys; from bot.runtime import db; asyncio.run(db.migrate(sys.argv[1]))"
    subprocess.run([sys.executable, "-c", code, url], check=True, capture_output=True)  # noqa: S603


def _url(server: str, database: str) -> str:
    return f"{server.rsplit('/', 1)[0]}/{database}"


def on_postgres() -> bool:
    return bool(os.environ.get(SERVER))


def drop_created() -> None:
    """Drop the PostgreSQL databases created since the last call: the server then holds one
    test's databases at a time, which lets it keep them in memory (tests/with_postgres.sh)."""
    if not _created:
        return
    names = [url.rsplit("/", 1)[1] for url in _created.values()]
    _created.clear()
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, _drop(os.environ[SERVER], names)).result()


async def _drop(server: str, databases: list[str]) -> None:
    conn = await asyncpg.connect(server)
    try:
        for database in databases:
            # FORCE: a process the test started may still be connected.
            await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    finally:
        await conn.close()


async def _create(server: str, database: str, template: str | None) -> None:
    conn = await asyncpg.connect(server)
    try:
        copy = f' TEMPLATE "{template}"' if template else ""
        await conn.execute(f'CREATE DATABASE "{database}"{copy}')
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
