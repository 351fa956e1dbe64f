"""`quality-bot eval-sentiment FILE [--json] [--by COLUMN] [--learned]`."""

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.sentiment.evaluate import Report
    from bot.sentiment.ngram import NgramModel

# The report's keys, in the order docs/sentiment.md documents them.
KEYS = ("n", "accuracy", "coverage", "accuracy_covered", "macro_f1")
EXTRA = ("no_signal_share",)


def cmd_eval_sentiment(args: argparse.Namespace) -> int:
    # Imported here: loading the lexicons takes a moment no other command should pay.
    from bot.sentiment.evaluate import EvalDataError, evaluate, read_labelled

    try:
        items = read_labelled(Path(args.file))
    except EvalDataError as err:
        print(f"quality-bot: {err}", file=sys.stderr)
        return 2
    if args.by and args.by not in items[0].row:
        print(f"quality-bot: {args.file}: no column {args.by!r} to group by", file=sys.stderr)
        return 2
    learned: dict[str, NgramModel] = {}
    status: list[str] = []
    if args.learned and (code := _learned(learned, status)):
        return code
    result = evaluate(items, by=args.by, learned=learned)
    if args.json:
        print(
            json.dumps(
                {name: {k: figures[k] for k in KEYS} for name, figures in result.overall.items()}
            )
        )
        return 0
    print(f"{args.file}: {len(items)} labelled texts\n")
    print(_table(result.overall))
    for name, report in result.languages.items():
        print(f"\nlanguage detected = {name}\n{_table(report)}")
    for name, report in result.groups.items():
        print(f"\n{args.by} = {name}\n{_table(report)}")
    if args.learned:
        print("\nLearned from this workspace's scored texts:")
        print("\n".join(f"  {line}" for line in status) or "  nothing yet")
    return 0


def _learned(models: "dict[str, NgramModel]", status: list[str]) -> int:
    """Fill `models` with the models in use in the configured database, and `status` with a
    line per language tried; an exit status when the database cannot be read."""
    from bot.blocks.sentiment import learned_line
    from bot.cli.settings import in_database, settings_or_exit
    from bot.learning import language_status
    from bot.sentiment.ngram import NgramModel

    async def read(_: object) -> int:
        for row in await language_status():
            status.append(learned_line(row))
            if row.model is not None:
                models[row.language] = NgramModel.from_bytes(bytes(row.model))
        return 0

    return asyncio.run(in_database(settings_or_exit(), read))


def _table(report: "Report") -> str:
    lines = [f"{'':18}{'analyzer':>10}{'textblob':>10}"]
    for key in KEYS + EXTRA:
        ours, theirs = report["analyzer"][key], report["textblob"][key]
        lines.append(f"{key:18}{_cell(ours):>10}{_cell(theirs):>10}")
    return "\n".join(lines)


def _cell(value: float | int) -> str:
    return str(value) if isinstance(value, int) else f"{value:.3f}"


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    summary = "measure the sentiment analyzer against plain TextBlob on labelled data"
    parser = sub.add_parser("eval-sentiment", help=summary, description=summary)
    parser.add_argument("file", help="CSV with a header: `text` and `score` or `label`")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--by", metavar="COLUMN", help="also report per value of COLUMN")
    parser.add_argument(
        "--learned",
        action="store_true",
        help="score with the models learned from the configured database's texts, and show"
        " each language's state",
    )
    parser.set_defaults(func=cmd_eval_sentiment)
