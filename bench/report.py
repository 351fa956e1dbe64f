"""The results, as a table on stdout and as bench/RESULTS.md."""

import json
from typing import Any

from bench.common import Goal

REPRODUCE = """\
```sh
make bench          # installs what it needs, starts a throwaway PostgreSQL, runs every section
.venv/bin/python -m bench --only fanout --quick   # one section, small sizes, nothing written
```
"""


def render_table(goals: list[Goal]) -> str:
    rows = [("", "figure", "measured", "goal")] + [
        ("ok" if g.met else "MISSED", g.name, g.measured, g.goal) for g in goals
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        for row in rows
    )


def render_results(results: dict[str, Any], goals: list[Goal]) -> str:
    """bench/RESULTS.md: written by `make bench`, never by hand, so it cannot drift."""
    m = results["machine"]
    missed = [g for g in goals if not g.met]
    lines = [
        "# Benchmark results",
        "",
        "Written by `make bench` (do not edit by hand). Every figure is measured against a limit",
        "measured in the same run, on the same machine; docs/performance.md explains",
        "what each one means and why any goal is missed.",
        "",
        f"- date: {results['date']}, commit `{results['commit']}`, "
        f"whole run {results['seconds']:.0f} s",
        f"- machine: {m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB, {m['os']}",
        f"- Python {m['python']}, SQLite {m['sqlite']}, PostgreSQL {m['postgresql']}",
        "",
        "## Goals",
        "",
        "| | figure | measured | goal |",
        "|---|---|---|---|",
        *(
            f"| {'met' if g.met else '**missed**'} | {g.name} | {g.measured} | {g.goal} |"
            for g in goals
        ),
        "",
        f"{len(goals) - len(missed)} of {len(goals)} goals met.",
        "",
        "## Every figure",
        "",
        "```json",
        json.dumps({k: v for k, v in results.items() if k not in ("machine", "goals")}, indent=2),
        "```",
        "",
        "## Reproduce",
        "",
        REPRODUCE,
    ]
    return "\n".join(lines)
