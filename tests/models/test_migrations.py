"""Migrations on a database that already holds data, and from several instances at once."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as tortoise_migrate

from bot import db
from models import tortoise_config
from models.audit import AuditEntry
from models.department import Department
from models.digest import DigestPost
from models.review import Review
from tests.cli import cli_env, run_cli
from tests.conftest import QUALITY_YML
from tests.database import database_url

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
    url = database_url(tmp_path)
    # A database as release 0003 left it, holding a department and a review.
    await tortoise_migrate(config=tortoise_config(url), target="quality.0003_reviews")
    await Tortoise.close_connections()
    await db.open_database(url)
    try:
        it = await Department.create(slug="it", name="IT")
        at = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
        await Review.create(
            source="trustpilot", external_id="r-1", department=it, routed_by="field",
            rating=4.0, text="Quick and kind.", created_at=at, week="2026-W45",
            received_at=at, content_hash="h1",
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
        # The tables the upgrade added are there and usable.
        await DigestPost.create(week="2026-W45", channel="C0DIGEST01", created_at=at)
        await AuditEntry.create(actor="U0ADMIN01", action="export", subject="it", at=at)
        assert await DigestPost.all().count() == 1
    finally:
        await db.close_database()


async def test_migrating_an_up_to_date_database_changes_nothing(tmp_path: Path) -> None:
    url = database_url(tmp_path)
    await db.migrate(url)
    await db.migrate(url)
    assert await _applied(url) == LATEST


async def test_instances_migrating_at_once_each_succeed_and_apply_each_migration_once(
    tmp_path: Path,
) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    env = cli_env(tmp_path)
    results = await asyncio.gather(*(run_cli(tmp_path, "migrate", env=env) for _ in range(4)))
    for code, out, err in results:
        assert (code, out.strip()) == (0, "Database is up to date."), err
    assert await _applied(env["DATABASE_URL"]) == LATEST
