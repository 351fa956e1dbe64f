"""What every benchmark section shares: where its databases live, percentiles, the machine."""

import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import asyncpg

POSTGRES = "QUALITY_TEST_POSTGRES"  # set by tests/with_postgres.sh, as for the test suite


@dataclass
class Bench:
    """One run of `make bench`: a scratch directory, and the PostgreSQL server started for it."""

    workdir: Path
    postgres_server: str | None  # e.g. postgres://postgres@127.0.0.1:5433/postgres
    quick: bool = False  # smaller sizes, for trying a section out; never for the results

    @classmethod
    def from_environment(cls, workdir: Path, *, quick: bool = False) -> "Bench":
        workdir.mkdir(parents=True, exist_ok=True)
        return cls(workdir=workdir, postgres_server=os.environ.get(POSTGRES), quick=quick)

    async def database(self, kind: str, name: str) -> str:
        """A fresh, empty database URL of `kind` ("sqlite" or "postgresql")."""
        tag = f"{name}_{uuid.uuid4().hex[:8]}"
        if kind == "sqlite":
            return f"sqlite://{self.workdir / (tag + '.db')}"
        if kind != "postgresql" or self.postgres_server is None:
            raise RuntimeError(f"no {kind} server for the benchmark (run it through make bench)")
        conn = await asyncpg.connect(self.postgres_server)
        try:
            await conn.execute(f'CREATE DATABASE "b_{tag}"')
        finally:
            await conn.close()
        return f"{self.postgres_server.rsplit('/', 1)[0]}/b_{tag}"


def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0–100) by linear interpolation, as numpy's default."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    k = (len(ordered) - 1) * p / 100
    low = int(k)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio(measured: float, limit: float) -> float:
    return round(measured / limit, 3) if limit else float("inf")


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB (run what you measure in a child
    process of its own: the benchmark's own process holds the scoring models).

    Linux's VmHWM, not getrusage's ru_maxrss: across fork and exec, ru_maxrss keeps the
    parent's peak, so a child of a 600 MB process would report at least 600 MB."""
    found = _proc_field("/proc/self/status", r"VmHWM:\s*(\d+) kB")
    kib = int(found) if found else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(kib / 1024, 1)


async def machine(postgres_server: str | None) -> dict[str, object]:
    """What the figures were measured on."""
    memory_kib = _proc_field("/proc/meminfo", r"MemTotal:\s*(\d+) kB")
    return {
        "cores": os.cpu_count(),
        "cpu": _proc_field("/proc/cpuinfo", r"model name\s*:\s*(.+)") or platform.processor(),
        "memory_gib": round(int(memory_kib) / 1024 / 1024, 1) if memory_kib else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": _sqlite_version(),
        "postgresql": await _postgres_version(postgres_server) if postgres_server else None,
    }


def _proc_field(path: str, pattern: str) -> str:
    try:
        found = re.search(pattern, Path(path).read_text())
    except OSError:
        return ""
    return found.group(1).strip() if found else ""


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


async def _postgres_version(server: str) -> str:
    conn = await asyncpg.connect(server)
    try:
        return str(await conn.fetchval("SHOW server_version"))
    finally:
        await conn.close()


def git_commit() -> str:
    git = shutil.which("git")
    if git is None:
        return "unknown"
    try:
        out = subprocess.run(  # noqa: S603 - git, with fixed arguments
            [git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
        )
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return out.stdout.strip()


def say(line: str) -> None:
    """Progress for the person waiting, on stderr: stdout carries the results table."""
    print(line, file=sys.stderr, flush=True)


@dataclass(frozen=True)
class Goal:
    """One figure against its goal, as printed and as kept in results.json."""

    name: str  # e.g. "ingest on PostgreSQL"
    measured: str  # e.g. "412 reviews/s, 0.70 of the ceiling (590/s)"
    goal: str  # e.g. "≥ 0.70 of the ceiling"
    met: bool

    def as_json(self) -> dict[str, object]:
        return {"name": self.name, "measured": self.measured, "goal": self.goal, "met": self.met}
