"""Migrations on a database that already holds data, and from several instances at once."""

import asyncio
import os
import shutil
import sys
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as tortoise_migrate
from tortoise.transactions import in_transaction

from bot.runtime import db
from bot.runtime.installation import installed_at
from models import tortoise_config
from models.audit import AuditEntry
from models.department import FROM_FILE
from models.digest import DigestPost
from models.installation import Installation
from models.review import DeletedReview, Review, ReviewPoll
from models.survey import FollowUp
from tests.cli import cli_env, run_cli
from tests.conftest import QUALITY_YML
from tests.database import database_url, on_postgres, system_rows

LATEST = sorted(p.stem for p in Path("models/migrations").glob("0*.py"))


async def _applied(url: str) -> list[str]:
    await db.open_database(url)
    try:
        _, rows = await connections.get("default").execute_query(
            "SELECT name FROM tortoise_migrations ORDER BY name"
        )
    finally:
        await db.close_database()
    return [row["name"] for row in rows]


async def test_an_existing_database_upgrades_with_its_rows_intact(tmp_path: Path) -> None:
    url = database_url(tmp_path, migrated=False)
    # A database as release 0003 left it, holding a department and a review.
    await tortoise_migrate(config=tortoise_config(url), target="quality.0003_reviews")
    await Tortoise.close_connections()
    await db.open_database(url)
    try:
        # Written with the columns the table had then: today's model has more.
        conn = db.connection()
        await conn.execute_query(
            "INSERT INTO department (slug, name, active, updated_at)"
            " VALUES ('it', 'IT', TRUE, CURRENT_TIMESTAMP)"
        )
        [row] = (await conn.execute_query("SELECT id FROM department"))[1]
        at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        await _insert(
            conn, "review", source="trustpilot", external_id="r-1", department_id=row["id"],
            routed_by="field", rating=4.0, text="Quick and kind.", created_at=at,
            week="2026-W45", received_at=at, content_hash="h1", disagrees=False, alert="none",
        )  # fmt: skip
    finally:
        await db.close_database()
    assert await _applied(url) == LATEST[:3]

    await db.migrate(url)

    assert await _applied(url) == LATEST
    await db.open_database(url)
    try:
        review = await Review.get(external_id="r-1").prefetch_related("department")
        assert (review.department and review.department.slug, review.rating) == ("it", 4.0)
        assert review.department and review.department.origin == FROM_FILE
        # The tables the upgrade added are there and usable.
        await DigestPost.create(week="2026-W45", channel="C0DIGEST01", created_at=at)
        await AuditEntry.create(actor="U0ADMIN01", action="export", subject="it", at=at)
        assert await DigestPost.all().count() == 1
        assert (review.rating_original, review.alert_ts) == (None, None)
        await DeletedReview.create(source="trustpilot", external_id="r-0", deleted_at=at)
        await ReviewPoll.create(source="ios-app", next_at=at)
        assert (await ReviewPoll.get(source="ios-app")).cursor == {}
    finally:
        await db.close_database()


async def test_migrating_an_up_to_date_database_changes_nothing(tmp_path: Path) -> None:
    url = database_url(tmp_path, migrated=False)
    await db.migrate(url)
    await db.migrate(url)
    assert await _applied(url) == LATEST


async def test_instances_migrating_at_once_each_succeed_and_apply_each_migration_once(
    tmp_path: Path,
) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    env = {**cli_env(tmp_path), "DATABASE_URL": database_url(tmp_path, "new", migrated=False)}
    results = await asyncio.gather(*(run_cli(tmp_path, "migrate", env=env) for _ in range(4)))
    for code, out, err in results:
        assert (code, out.strip()) == (0, "Database is up to date."), err
    assert await _applied(env["DATABASE_URL"]) == LATEST


async def test_the_upgrade_cuts_ratings_loose_from_the_polls_they_answered(
    tmp_path: Path,
) -> None:
    # A database as release 0005 left it: each rating written in the transaction that marked
    # its poll answered (one xmin on PostgreSQL, neighbouring rowids on SQLite), a rating by
    # hand kept as a poll row, and a follow-up with its score.
    url = database_url(tmp_path, migrated=False)
    await tortoise_migrate(config=tortoise_config(url), target="quality.0005_audit")
    await Tortoise.close_connections()
    await db.open_database(url)
    at = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
    try:
        await _insert(None, "department", slug="it", name="IT", active=True, updated_at=at)
        for n in range(6):
            async with in_transaction() as txn:
                trigger = "manual" if n == 5 else "webhook"
                await _insert(
                    txn, "poll", id=uuid.uuid4(), user_id=f"U0EMP000{n}", department_id=1,
                    trigger=trigger, summary="", status="answered", created_at=at, attempts=0,
                )  # fmt: skip
                await _insert(
                    txn, "rating", id=uuid.uuid4(), department_id=1, rater_department="sales",
                    score=n % 5 + 1, week="2026-W47",
                )  # fmt: skip
        await _insert(
            None, "follow_up", user_id="U0EMP0001", department_id=1, score=2, comment="Call me",
            created_at=at, posted=True,
        )  # fmt: skip
    finally:
        await db.close_database()

    await db.migrate(url)

    await db.open_database(url)
    try:
        ratings = await system_rows("rating", "score")
        polls = await system_rows("poll", "trigger")
        assert len(ratings) == 6 and [p["trigger"] for p in polls] == ["webhook"] * 5
        if on_postgres():  # the ratings no longer share a transaction with any poll
            assert len({r["xmin"] for r in ratings}) == 1
            assert not {r["xmin"] for r in ratings} & {p["xmin"] for p in polls}
        [follow_up] = await FollowUp.all()
        assert (follow_up.week, follow_up.comment) == ("2026-W47", "Call me")
        assert "score" not in FollowUp._meta.fields_map
        # The partial index the release step looks for pending scores in.
        catalog = (
            "SELECT indexname AS name FROM pg_indexes" if on_postgres()
            else "SELECT name FROM sqlite_master WHERE type = 'index'"
        )  # fmt: skip
        names = await connections.get("default").execute_query_dict(catalog)
        assert "idx_rating_pending" in {row["name"] for row in names}
    finally:
        await db.close_database()


async def test_an_upgraded_database_counts_as_installed_from_its_earliest_record(
    tmp_path: Path,
) -> None:
    # A database as release 0006 left it, with weeks of history: the digest posts no week that
    # ended before the installation, so the upgrade must not make the installation today.
    url = database_url(tmp_path, migrated=False)
    await tortoise_migrate(config=tortoise_config(url), target="quality.0006_anonymity")
    await Tortoise.close_connections()
    await db.open_database(url)
    first_poll = datetime(2026, 11, 4, 10, 30, tzinfo=UTC)  # Wednesday of 2026-W45
    try:
        at = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
        await _insert(None, "department", slug="it", name="IT", active=True, updated_at=at)
        await _insert(
            None, "poll", id=uuid.uuid4(), user_id="U0EMP0001", department_id=1,
            trigger="webhook", summary="", status="closed", created_at=first_poll, attempts=0,
        )  # fmt: skip
        await _insert(
            None, "rating", id=uuid.uuid4(), department_id=1, rater_department="sales",
            score=4, week="2026-W46",
        )  # fmt: skip
        await _insert(None, "digest_post", week="2026-W45", channel="C0DIGEST01",
                      status="done", attempts=0, created_at=at)  # fmt: skip
    finally:
        await db.close_database()

    await db.migrate(url)

    await db.open_database(url)
    try:
        assert [i.installed_at for i in await Installation.all()] == [first_poll]
        later = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
        assert await installed_at(later) == first_poll  # a start after the upgrade keeps it
    finally:
        await db.close_database()


async def test_a_new_database_is_installed_at_its_first_start(tmp_path: Path) -> None:
    url = database_url(tmp_path, migrated=False)
    await db.migrate(url)
    await db.open_database(url)
    try:
        assert await Installation.all().count() == 0  # nothing in it: no history to date it by
        first = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
        assert await installed_at(first) == first
        assert await installed_at(first + timedelta(days=30)) == first
        assert await Installation.all().count() == 1
    finally:
        await db.close_database()


async def _insert(client: Any, table: str, **row: Any) -> None:
    """A row as an older release wrote it: its columns, not today's models."""
    client = client or connections.get("default")
    marks = [f"${n}" if on_postgres() else "?" for n in range(1, len(row) + 1)]
    values = [str(v) if isinstance(v, uuid.UUID) and not on_postgres() else v for v in row.values()]
    sql = f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join(marks)})"  # noqa: S608
    await client.execute_query(sql, values)


@pytest.mark.same_on_either_database  # reads files, and an in-memory database
async def test_the_models_and_their_migrations_agree(tmp_path: Path) -> None:
    """What `tortoise makemigrations` (docs/contributing.md) finds to do on a clean tree:
    nothing. Anything else is a model changed without its migration, or a migration that says
    something else than its model — which the next contributor's migration would "fix"."""
    shutil.copytree("models", tmp_path / "models", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy("pyproject.toml", tmp_path)
    proc = await asyncio.create_subprocess_exec(
        Path(sys.executable).with_name("tortoise"), "makemigrations",
        cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(tmp_path)},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    assert proc.returncode == 0, err.decode()
    assert "No changes detected" in out.decode(), out.decode()
    assert sorted(p.stem for p in (tmp_path / "models/migrations").glob("0*.py")) == LATEST
