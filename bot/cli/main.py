"""The `quality-bot` command."""

import argparse
import asyncio
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.cli import digest as cli_digest
from bot.cli import export as cli_export
from bot.cli import privacy as cli_privacy
from bot.cli import reviews as cli_reviews
from bot.cli import sentiment as cli_sentiment
from bot.cli.settings import settings_or_exit, slack_problems
from bot.config import check_config

Command = Callable[[argparse.Namespace], int]


def cmd_serve(args: argparse.Namespace) -> int:
    from aiohttp import web

    from bot.app import HTTP_GRACE, create_app
    from bot.runtime.logs import configure_logging
    from bot.runtime.startup import StartupError

    settings = settings_or_exit("serve")
    configure_logging(settings.log_level)
    try:
        web.run_app(
            create_app(settings),
            host=settings.host,
            port=settings.port,
            shutdown_timeout=HTTP_GRACE.total_seconds(),
            print=lambda line: print(line, file=sys.stderr),
            access_log=None,
        )
    except StartupError as err:
        print(f"quality-bot: {err}", file=sys.stderr)
        return 1
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    from bot.runtime import db

    settings = settings_or_exit()
    try:
        asyncio.run(db.migrate(settings.database_url))
    except Exception as exc:
        print(f"quality-bot: DATABASE_URL: cannot migrate ({db.describe(exc)})", file=sys.stderr)
        return 1
    print("Database is up to date.")
    return 0


def cmd_manifest(args: argparse.Namespace) -> int:
    from bot.slack.manifest import manifest_yaml

    settings = settings_or_exit()
    sys.stdout.write(manifest_yaml(settings.public_url, socket_mode=settings.socket_mode))
    return 0


def cmd_check_config(args: argparse.Namespace) -> int:
    problems = check_config(environ=os.environ, cwd=Path.cwd())
    if not problems:  # a configuration that loads: does Slack agree with it?
        problems = asyncio.run(slack_problems(settings_or_exit("serve")))
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} found.", file=sys.stderr)
        return 1
    print("Configuration OK.")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from bot.demo import run_demo

    return asyncio.run(run_demo())


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quality-bot", description="Service quality between departments and with customers."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands: list[tuple[str, str, Command]] = [
        ("serve", "run the app (HTTP, or Socket Mode when SLACK_APP_TOKEN is set)", cmd_serve),
        ("migrate", "apply database migrations", cmd_migrate),
        ("manifest", "print the Slack app manifest for PUBLIC_URL", cmd_manifest),
        ("check-config", "validate the configuration and say what is wrong", cmd_check_config),
        ("demo", "show the product working end to end, offline", cmd_demo),
    ]
    for name, summary, func in commands:
        command = sub.add_parser(name, help=summary, description=summary)
        command.set_defaults(func=func)
    cli_digest.add_parser(sub)
    cli_sentiment.add_parser(sub)
    cli_reviews.add_parser(sub)
    cli_export.add_parser(sub)
    cli_privacy.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    func: Command = args.func
    return func(args)


if __name__ == "__main__":
    raise SystemExit(main())
