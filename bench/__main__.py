"""`make bench`: every benchmark section, its figures against the limit measured in the same
run, written to bench/results.json and bench/RESULTS.md.

    python -m bench [--only ingest,digest] [--quick] [--workdir DIR]
    python -m bench --render     # RESULTS.md and the goals again from results.json, no run

Each section is a module with `SECTION` (its name), `async def run(bench) -> dict` (its entries
for results.json, by top-level key) and `def goals(entries) -> list[Goal]`.
"""

import argparse
import asyncio
import importlib
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

from bench.common import Bench, Goal, git_commit, machine, say
from bench.report import render_results, render_table

SECTIONS = (
    "bench.load",
    "bench.digest_scale",
    "bench.imports",
    "bench.fanout",
    "bench.sentiment",
)
HERE = Path(__file__).parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated section names, e.g. fanout,import")
    parser.add_argument("--quick", action="store_true", help="small sizes; results not written")
    parser.add_argument("--workdir", type=Path, help="scratch directory (default: a temporary one)")
    parser.add_argument(
        "--render", action="store_true", help="judge bench/results.json again, without a run"
    )
    args = parser.parse_args(argv)
    if args.render:
        return _render()
    return asyncio.run(_run(args))


def _render() -> int:
    results = json.loads((HERE / "results.json").read_text())
    goals = [
        goal for module in map(importlib.import_module, SECTIONS) for goal in module.goals(results)
    ]
    results["goals"] = [g.as_json() for g in goals]
    _write(results, goals)
    print(render_table(goals))
    return 0


def _write(results: dict[str, Any], goals: list[Goal]) -> None:
    (HERE / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (HERE / "RESULTS.md").write_text(render_results(results, goals))
    say("bench: wrote bench/results.json and bench/RESULTS.md")


async def _run(args: argparse.Namespace) -> int:
    modules = [importlib.import_module(name) for name in SECTIONS]
    if args.only:
        wanted = set(args.only.split(","))
        unknown = wanted - {m.SECTION for m in modules}
        if unknown:
            say(f"bench: no section named {', '.join(sorted(unknown))}")
            return 2
        modules = [m for m in modules if m.SECTION in wanted]
    with tempfile.TemporaryDirectory(prefix="quality-bench-") as scratch:
        bench = Bench.from_environment(args.workdir or Path(scratch), quick=args.quick)
        results: dict[str, Any] = {
            "date": datetime.now(UTC).isoformat(timespec="seconds"),
            "commit": git_commit(),
            "machine": await machine(bench.postgres_server),
        }
        goals: list[Goal] = []
        started = time.monotonic()
        for module in modules:
            entries, section_goals = await _section(module, bench)
            results.update(entries)
            goals += section_goals
        results["seconds"] = round(time.monotonic() - started, 1)
    results["goals"] = [g.as_json() for g in goals]
    print(render_table(goals))
    if args.quick:
        say("bench: --quick: results not written")
    elif not args.only:
        _write(results, goals)
    return 0


async def _section(module: ModuleType, bench: Bench) -> tuple[dict[str, Any], list[Goal]]:
    say(f"bench: {module.SECTION} …")
    started = time.monotonic()
    entries: dict[str, Any] = await module.run(bench)
    say(f"bench: {module.SECTION} done in {time.monotonic() - started:.0f} s")
    goals: list[Goal] = module.goals(entries)
    return entries, goals


if __name__ == "__main__":
    sys.exit(main())
