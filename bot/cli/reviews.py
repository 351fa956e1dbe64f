"""`quality-bot import-reviews FILE [--format csv|jsonl] [--rejects FILE] [--json] [--workers N]`.

Exit status: 0 once the file has been read, even when some rows were rejected — those are
listed, and the rows beside them are committed, so a script that retried on a non-zero status
would only import the same file again for nothing; 2 when the file cannot be read at all (or
the configuration or the --rejects file is unusable), as for any other bad input to the CLI;
1 when the database fails; 130 when interrupted.
"""

import argparse
import asyncio
import csv
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bot.config import Settings
    from bot.reviews.importer import ImportSummary, Rejected

SHOWN = 50  # rejected rows listed in the terminal; --rejects FILE has every one
# Each batch commits on its own: what was stored stays, and a second run skips it as duplicates.
AGAIN = "Rows stored so far stay stored; run the same command again to import the rest."


def cmd_import_reviews(args: argparse.Namespace) -> int:
    # Imported here: the importer brings the models, pydantic and the analyzer with it.
    from bot.config import ConfigError, load_settings
    from bot.reviews.importer import ImportFileError, file_format

    path = Path(args.file)
    try:
        settings = load_settings(environ=os.environ, cwd=Path.cwd())
        file_format(path, args.format)
    except ConfigError as err:
        for problem in err.problems:
            print(f"quality-bot: {problem}", file=sys.stderr)
        return 2
    except ImportFileError as err:
        print(f"quality-bot: {path}: {err}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        with _rejects_csv(args.rejects) as on_reject:
            summary = asyncio.run(_import(path, args, settings, on_reject))
    except _Unwritable as err:
        print(f"quality-bot: --rejects {args.rejects}: {err}", file=sys.stderr)
        return 2
    except ImportFileError as err:
        print(f"quality-bot: {path}: {err}", file=sys.stderr)
        return 2
    except _DatabaseFailed as err:
        print(f"quality-bot: DATABASE_URL: {err}. {AGAIN}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"\nquality-bot: interrupted. {AGAIN}", file=sys.stderr)
        return 130
    seconds = time.monotonic() - started
    if args.json:
        print(json.dumps(summary_json(summary, path, seconds)))
    else:
        print(render_summary(summary, path, seconds, rejects_file=args.rejects))
    return 0


class _DatabaseFailed(Exception):
    pass


class _Unwritable(Exception):
    pass


@contextmanager
def _rejects_csv(name: str | None) -> "Iterator[Callable[[Rejected], None] | None]":
    """Every rejected row written as it is found, so the summary need not keep them all."""
    if name is None:
        yield None
        return
    opened = False
    try:
        with Path(name).open("w", newline="", encoding="utf-8") as out:
            opened = True
            writer = csv.writer(out)
            writer.writerow(["line", "id", "reason"])

            def write(row: "Rejected") -> None:
                writer.writerow([row.line, row.id or "", row.reason])

            yield write
    except OSError as exc:
        if opened:  # not ours to explain: it came from the import
            raise
        raise _Unwritable(exc.strerror or type(exc).__name__) from None


async def _import(
    path: Path,
    args: argparse.Namespace,
    settings: "Settings",
    on_reject: "Callable[[Rejected], None] | None",
) -> "ImportSummary":
    from bot.clock import utc_now
    from bot.reviews.importer import import_reviews
    from bot.runtime import db
    from bot.runtime.db import DATABASE_ERRORS
    from bot.runtime.startup import StartupError, prepare_database
    from bot.sentiment import SentimentPool

    try:
        quality = await prepare_database(settings)  # as `serve` starts: departments route
    except StartupError as err:
        raise _DatabaseFailed(str(err).removeprefix("DATABASE_URL: ")) from err
    pool = SentimentPool(workers=args.workers)
    progress = _Progress(path)
    try:
        return await import_reviews(
            path,
            pool=pool,
            quality=quality,
            now=utc_now(),
            form=args.format,
            on_reject=on_reject,
            on_progress=progress.show,
        )
    except DATABASE_ERRORS as exc:
        raise _DatabaseFailed(f"the database failed ({db.describe(exc)})") from exc
    finally:
        progress.close()
        pool.close()
        await db.close_database()


class _Progress:
    """A bar on stderr, only when it is a terminal: by bytes read, which gives a percentage
    and an ETA without a first pass to count the rows, with the rows counted beside it."""

    def __init__(self, path: Path) -> None:
        from tqdm import tqdm

        try:
            size = path.stat().st_size
        except OSError:
            size = None
        self._bar = tqdm(
            total=size or None,
            desc=path.name,
            unit="B",
            unit_scale=True,
            disable=None,
            file=sys.stderr,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| [{elapsed}<{remaining}{postfix}]",
        )

    def show(self, summary: "ImportSummary") -> None:
        self._bar.set_postfix_str(
            f"{summary.rows:,} rows: {summary.created:,} created, {summary.updated:,} updated,"
            f" {summary.duplicate:,} duplicate, {summary.rejected:,} rejected",
            refresh=False,
        )
        self._bar.update(summary.bytes_done - self._bar.n)

    def close(self) -> None:
        self._bar.close()


def render_summary(
    summary: "ImportSummary", path: Path, seconds: float, *, rejects_file: str | None
) -> str:
    lines = [f"{path}: {summary.rows:,} rows in {seconds:.1f} s"]
    for name in ("created", "updated", "duplicate", "rejected"):
        lines.append(f"  {name:<10}{getattr(summary, name):>10,}")
    if summary.deleted:
        deleted = f"{summary.deleted:>10,}"
        lines.append(f"  {'deleted':<10}{deleted}  (deleted by their source: not stored)")
    if summary.ignored_columns:
        lines.append(f"Ignored columns (not review fields): {', '.join(summary.ignored_columns)}")
    if summary.rejected:
        lines.append("Rejected rows:")
        shown = summary.first_rejected[:SHOWN]
        lines += [f"  line {r.line}{f' ({r.id})' if r.id else ''}: {r.reason}" for r in shown]
        more = summary.rejected - len(shown)
        if rejects_file is not None:
            lines.append(f"All {summary.rejected:,} rejected rows are in {rejects_file}.")
        elif more:
            lines.append(f"  …and {more:,} more; --rejects FILE writes them all to a CSV file.")
    return "\n".join(lines)


def summary_json(summary: "ImportSummary", path: Path, seconds: float) -> dict[str, Any]:
    return {
        "file": str(path),
        "rows": summary.rows,
        "created": summary.created,
        "updated": summary.updated,
        "duplicate": summary.duplicate,
        "deleted": summary.deleted,
        "rejected": summary.rejected,
        "rejects": [asdict(r) for r in summary.first_rejected[:SHOWN]],  # --rejects for all
        "ignored_columns": summary.ignored_columns,
        "seconds": round(seconds, 3),
    }


def _workers(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of processes (0 or more)")
    return int(text)


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    summary = "bulk import customer reviews from a .csv or .jsonl file (idempotent)"
    parser = sub.add_parser("import-reviews", help=summary, description=summary)
    parser.add_argument(
        "file",
        help="CSV with a header row, or JSON Lines: id, source, rating, title, text, author,"
        " department, language, created_at, url",
    )
    parser.add_argument(
        "--format", choices=("csv", "jsonl"), help="when the file's extension does not say"
    )
    parser.add_argument(
        "--rejects", metavar="FILE", help="write every rejected row (line, id, reason) as CSV"
    )
    parser.add_argument("--json", action="store_true", help="print the summary as JSON")
    parser.add_argument(
        "--workers",
        type=_workers,
        default=1,
        metavar="N",
        help="processes scoring sentiment (default 1; 0 scores in this process)",
    )
    parser.set_defaults(func=cmd_import_reviews)
