"""One database's digest timings, in a process of its own so that its peak memory is the
digest's alone (the benchmark's own process holds the sentiment models of other sections).

    python -m bench.digest_child DATABASE_URL QUALITY_YML WEEK RUNS

Opens the database as the app does, computes the week's digest once and runs the plain SQL
once (warming both, and checking that they agree), then alternates them RUNS times. Prints
JSON: every run's seconds for each, and the process's peak RSS in MB.
"""

import asyncio
import json
import sys
import time
from pathlib import Path
from typing import Any

from tortoise import connections

from bench import digest_sql
from bench.common import peak_rss_mb
from bot.config import read_quality_config
from bot.digest.compute import compute_week
from bot.runtime import db
from bot.weeks import Week
from models.department import Department


async def measure(url: str, config: Path, label: str, runs: int) -> dict[str, Any]:
    quality = read_quality_config(config)
    week = Week.parse(label)
    await db.open_database(url)
    try:
        conn = connections.get("default")
        ids = {d.slug: d.id for d in await Department.all()}
        digest = await compute_week(quality, week)
        digest_sql.check(digest, await digest_sql.plain_sql(conn, week, quality), quality, ids)
        seconds, raw = [], []
        for _ in range(runs):
            started = time.perf_counter()
            await compute_week(quality, week)
            seconds.append(time.perf_counter() - started)
            started = time.perf_counter()
            await digest_sql.plain_sql(conn, week, quality)
            raw.append(time.perf_counter() - started)
    finally:
        await db.close_database()
    return {"seconds": seconds, "raw_sql_seconds": raw, "peak_rss_mb": peak_rss_mb()}


def main(argv: list[str]) -> int:
    url, config, label, runs = argv
    print(json.dumps(asyncio.run(measure(url, Path(config), label, int(runs)))))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
