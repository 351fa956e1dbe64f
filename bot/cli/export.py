"""`quality-bot export [--department SLUG] [--weeks N]`: the CSV of `/quality export` on stdout.

The same privacy rules as in Slack; the summary goes to stderr, so that stdout is the
CSV alone. Every export is in the audit log, with "cli" as its actor. Exit status: 0 when
printed, 1 when the database failed, 2 for an unknown department, bad weeks or configuration.
"""

import argparse
import asyncio
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config import QualityConfig


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    summary = "print a CSV of ratings and reviews (with sentiment) that privacy allows to show"
    parser = sub.add_parser("export", help=summary, description=summary)
    parser.add_argument(
        "--department", metavar="SLUG", help="one department, by slug or name (default: all)"
    )
    # Read as text and checked here: argparse's own error is a usage block, not one line.
    parser.add_argument(
        "--weeks", metavar="N", help="the last N complete weeks (default: 12)", default=None
    )
    parser.set_defaults(func=cmd_export)


def cmd_export(args: argparse.Namespace) -> int:
    from bot.cli.settings import in_database, settings_or_exit
    from bot.privacy.export import DEFAULT_WEEKS, MAX_WEEKS

    settings = settings_or_exit()
    weeks = DEFAULT_WEEKS
    if args.weeks is not None:
        text = str(args.weeks).strip()
        if not text.isdigit() or not 1 <= int(text) <= MAX_WEEKS:
            print(
                f"quality-bot: --weeks: {args.weeks!r} is not a whole number from 1 to {MAX_WEEKS}",
                file=sys.stderr,
            )
            return 2
        weeks = int(text)
    return asyncio.run(in_database(settings, lambda q: _export(q, args.department, weeks)))


async def _export(quality: "QualityConfig", department: str | None, weeks: int) -> int:
    from bot.clock import utc_now
    from bot.people.departments import find_department
    from bot.privacy.export import export_rows, record, to_csv

    slugs = [d.slug for d in quality.departments]
    if department is not None:
        lookup = find_department(quality, department)
        if lookup.department is None:
            hint = f"; did you mean {lookup.suggestion!r}?" if lookup.suggestion else ""
            print(f"quality-bot: --department: no department {department!r}{hint}", file=sys.stderr)
            return 2
        slugs = [lookup.department.slug]
    export = await export_rows(quality, slugs, weeks, utc_now())
    content = to_csv(export)
    # Logged before it is printed: an export the audit log cannot hold is not made.
    await record(export, actor="cli", at=utc_now(), via="quality-bot export")
    sys.stdout.write(content)
    print(export.summary(), file=sys.stderr)
    return 0
