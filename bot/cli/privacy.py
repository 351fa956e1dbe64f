"""`quality-bot forget USER_ID|EMAIL` and `quality-bot audit [--since DATE]`.

Exit status: 0 done, 1 when the database or Slack failed, 2 for a bad argument, setting or
configuration (or an email no Slack user has).
"""

import argparse
import asyncio
import sys
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from bot.cli.settings import in_database, settings_or_exit

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

    from bot.config import QualityConfig, Settings
    from models.audit import AuditEntry

# Who the audit log names as the actor of what the command line did.
CLI_ACTOR = "cli"


def add_parser(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    summary = "erase everything stored about a person"
    forget = sub.add_parser("forget", help=summary, description=summary)
    forget.add_argument(
        "person", metavar="USER_ID|EMAIL", help="a Slack user id (U…), or their email address"
    )
    forget.set_defaults(func=cmd_forget)
    summary = "print the audit log of views, exports and erasures, newest first"
    audit = sub.add_parser("audit", help=summary, description=summary)
    audit.add_argument("--since", metavar="DATE", help="only entries from this ISO date (UTC) on")
    audit.set_defaults(func=cmd_audit)


def cmd_forget(args: argparse.Namespace) -> int:
    from bot.privacy.erasure import USER_ID

    settings = settings_or_exit()
    wanted = str(args.person).strip()
    if "@" not in wanted and not USER_ID.fullmatch(wanted):
        _fail(f"{wanted[:60]!r} is neither a Slack user id (like U0123ABCD) nor an email address")
        return 2
    return asyncio.run(_forget(settings, wanted))


def cmd_audit(args: argparse.Namespace) -> int:
    since = None
    if args.since:
        try:
            since = datetime.fromisoformat(args.since)
        except ValueError:
            _fail(f"--since: {args.since[:60]!r} is not an ISO date (like 2026-11-16)")
            return 2
        since = since if since.tzinfo else since.replace(tzinfo=UTC)
    settings = settings_or_exit()
    return asyncio.run(in_database(settings, lambda _: _print_audit(since)))


async def _forget(settings: "Settings", wanted: str) -> int:
    from bot.privacy.erasure import USER_ID

    client = _client(settings)
    user_id = wanted
    if "@" in wanted:
        if client is None:
            _fail("SLACK_BOT_TOKEN: required to look a person up by email (or give their user id)")
            return 2
        found = await _lookup_email(client, wanted)
        if isinstance(found, int):
            return found
        user_id = found
    if not USER_ID.fullmatch(user_id):
        _fail(f"Slack answered for {wanted[:100]!r} without a usable user id")
        return 1
    return await in_database(settings, lambda q: _erase(q, client, user_id))


async def _erase(quality: "QualityConfig", client: "AsyncWebClient | None", user_id: str) -> int:
    from bot.clock import utc_now
    from bot.privacy.erased_messages import MessageDeletion
    from bot.privacy.erasure import describe, forget, still_listed
    from bot.privacy.erasure_texts import contact_of
    from bot.slack.client import RateLimitGate

    # Without Slack, their e-mail and phone are unknown: texts lose their mentions only.
    contact = await contact_of(client, user_id) if client is not None else None
    erased = await forget(user_id, actor=CLI_ACTOR, now=utc_now(), contact=contact)
    for line in describe(erased, user_id, still_listed(quality, user_id, erased)):
        print(line)
    if erased.messages and client is not None:
        deletion = MessageDeletion(
            client=client, quality=quality, clock=utc_now, gate=RateLimitGate()
        )
        deleted = await deletion.step()
        if deleted < erased.messages:
            print(
                f"{erased.messages - deleted} of those Slack messages could not be deleted "
                "now: `quality-bot serve` deletes them when Slack answers."
            )
    elif erased.messages:
        print("Without SLACK_BOT_TOKEN the messages wait for `quality-bot serve` to delete them.")
    return 0


def _client(settings: "Settings") -> "AsyncWebClient | None":
    from bot.slack.client import RateLimitGate, build_client

    if not settings.slack_bot_token:
        return None
    return build_client(
        token=settings.slack_bot_token, base_url=settings.slack_api_url, gate=RateLimitGate()
    )


async def _print_audit(since: datetime | None) -> int:
    from bot.privacy.audit import entries

    rows = await entries(since=since)
    if not rows:
        after = f" since {since.astimezone(UTC):%Y-%m-%d %H:%M} UTC" if since else ""
        print(f"No audit entries{after}.")
        return 0
    print(audit_table(rows))
    return 0


def audit_table(rows: Sequence["AuditEntry"]) -> str:
    """Aligned columns, one entry a line; the last column (detail) is not padded."""
    table = [("when (UTC)", "who", "action", "subject", "detail")]
    table += [
        (
            f"{row.at.astimezone(UTC):%Y-%m-%d %H:%M:%S}",
            _cell(row.actor),
            _cell(row.action),
            _cell(row.subject),
            _cell(row.detail),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in table) for i in range(4)]
    return "\n".join(
        "  ".join(
            [*(cell.ljust(width) for cell, width in zip(line, widths, strict=False)), line[4]]
        ).rstrip()
        for line in table
    )


def _cell(value: str) -> str:
    """One line, whatever was stored: a newline in a detail would break the columns."""
    return " ".join(str(value).split())


async def _lookup_email(client: "AsyncWebClient", email: str) -> str | int:
    """The user id Slack has for `email`, or the exit status after saying why not."""
    from aiohttp import ClientError
    from slack_sdk.errors import SlackApiError

    try:
        response = await client.users_lookupByEmail(email=email)
    except SlackApiError as exc:
        error = str(exc.response.get("error", "unknown_error"))
        if error == "users_not_found":
            _fail(f"no Slack user has the email {email[:100]!r}")
            return 2
        _fail(f"Slack could not look up {email[:100]!r} ({error})")
        return 1
    except (ClientError, TimeoutError) as exc:
        _fail(f"SLACK_API_URL: Slack is unreachable ({type(exc).__name__})")
        return 1
    user = response.get("user") or {}
    return str(user.get("id", ""))


def _fail(message: str) -> None:
    print(f"quality-bot: {message}", file=sys.stderr)
