"""Digest at scale: a week's digest over a year of a 50-department company, against the plain
SQL that reads the same figures from the same tables, in the same run.

1,000,000 ratings and 1,000,000 reviews over 52 weeks, 50 departments, 10,000 people (their
memberships, and the 1,100,000 polls they were sent). Each database is migrated as the app
migrates it, then bulk loaded (COPY on PostgreSQL, one `executemany` transaction on SQLite)
and left as production would have it (PostgreSQL vacuumed and analysed, as autovacuum would;
SQLite as the app leaves it). A child process then times `compute_week` and the plain SQL
(bench/digest_sql.py) alternately, warm, and reports its own peak memory.

Goals: the digest takes at most twice the plain SQL, and at most 300 MB.
"""

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

import asyncpg

from bench import digest_load
from bench import digest_rows as rows
from bench.common import Bench, Goal, median, ratio, say
from bot.runtime import db

SECTION = "digest"
MAX_RATIO = 2.0
MAX_RSS_MB = 300.0
RUNS, QUICK_RUNS = 5, 3
FULL = rows.Shape()
QUICK = rows.Shape(people=1_000, ratings=50_000, reviews=50_000)
TITLES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
ROOT = Path(__file__).resolve().parent.parent


async def run(bench: Bench) -> dict[str, Any]:
    shape = QUICK if bench.quick else FULL
    config = bench.workdir / "digest-quality.yml"
    config.write_text(rows.quality_yml(shape))
    say(f"  digest: {shape.describe()}; week {shape.last_week.label}")
    kinds = ["postgresql", "sqlite"] if bench.postgres_server else ["sqlite"]
    if not bench.postgres_server:
        say("  digest: no PostgreSQL server (run it through make bench): SQLite only")
    urls = {kind: await bench.database(kind, "digest") for kind in kinds}
    figures = {}
    try:
        for url in urls.values():
            await db.migrate(url)
        started = time.monotonic()
        await digest_load.load(urls, shape)
        say(f"  digest: {' and '.join(TITLES[k] for k in urls)} loaded in "
            f"{time.monotonic() - started:.0f} s")  # fmt: skip
        for kind, url in urls.items():
            figures[kind] = await _figures(url, config, shape, bench.quick)
            say(f"  digest: {TITLES[kind]}: {figures[kind]}")
    finally:
        for url in urls.values():
            await _drop(bench, url)
    return {"digest": figures}


def goals(entries: dict[str, Any]) -> list[Goal]:
    found: list[Goal] = []
    for kind, f in entries.get("digest", {}).items():
        found.append(
            Goal(
                name=f"digest of a week on {TITLES[kind]}",
                measured=f"{f['seconds']:.3f} s, {f['ratio']:.2f}× the plain SQL "
                f"({f['raw_sql_seconds']:.3f} s)",
                goal=f"≤ {MAX_RATIO:g}× the plain SQL",
                met=f["ratio"] <= MAX_RATIO,
            )
        )
        found.append(
            Goal(
                name=f"digest peak memory on {TITLES[kind]}",
                measured=f"{f['peak_rss_mb']:.0f} MB",
                goal=f"≤ {MAX_RSS_MB:g} MB",
                met=f["peak_rss_mb"] <= MAX_RSS_MB,
            )
        )
    return found


async def _figures(url: str, config: Path, shape: rows.Shape, quick: bool) -> dict[str, float]:
    measured = await _measure(url, config, shape.last_week.label, QUICK_RUNS if quick else RUNS)
    seconds, raw = median(measured["seconds"]), median(measured["raw_sql_seconds"])
    return {
        "seconds": round(seconds, 3),
        "raw_sql_seconds": round(raw, 3),
        "ratio": ratio(seconds, raw),
        "peak_rss_mb": measured["peak_rss_mb"],
    }


async def _drop(bench: Bench, url: str) -> None:
    """Give the disk back: the next sections should not share the machine with 2 GB of rows."""
    if url.startswith("sqlite://"):
        path = url.removeprefix("sqlite://")
        for suffix in ("", "-wal", "-shm", ".migrate-lock"):
            await asyncio.to_thread(Path(path + suffix).unlink, missing_ok=True)
    elif bench.postgres_server:
        conn = await asyncpg.connect(bench.postgres_server)
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{url.rsplit("/", 1)[1]}"')
        finally:
            await conn.close()


async def _measure(url: str, config: Path, week: str, runs: int) -> dict[str, Any]:
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.digest_child", url, str(config), week, str(runs),
        cwd=ROOT, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, _ = await child.communicate()
    if child.returncode != 0:
        raise RuntimeError(f"bench.digest_child failed with exit code {child.returncode}")
    measured: dict[str, Any] = json.loads(out)
    return measured
