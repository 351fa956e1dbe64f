"""Trigger 1: a served request in Slack. In a department's service channel, a member of that
department marks someone else's message as resolved; the author is asked about the department,
once per message."""

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import DepartmentConfig, QualityConfig
from bot.people.membership import departments_of
from bot.slack.text import plain
from bot.surveys.requests import PollRequest

log = logging.getLogger(__name__)

SUMMARY_LENGTH = 200
# The message subtypes a person's own message can have (None: a plain message; /me writes a
# me_message).
PEOPLES_SUBTYPES = (None, "file_share", "thread_broadcast", "me_message")


@dataclass(frozen=True)
class Reaction:
    reactor: str
    reaction: str
    channel: str
    ts: str
    author: str | None  # Slack's item_user: absent for some bot and system messages
    at: str | None = None  # the reaction's event_ts: when the request was marked resolved


async def resolved_reaction(
    reaction: Reaction,
    *,
    client: AsyncWebClient,
    quality: QualityConfig,
    bot_user_id: str | None,
) -> PollRequest | None:
    """The poll this reaction asks for, or None when it asks for none."""
    dept = _service_department(quality, reaction.channel)
    # Slack appends skin tones to reaction names: "white_check_mark::skin-tone-2".
    name = reaction.reaction.split("::", 1)[0]
    if dept is None or name not in quality.surveys.resolved_reactions:
        return None
    author = reaction.author
    if not author or author in (reaction.reactor, bot_user_id):
        return None
    if dept.slug not in await departments_of(reaction.reactor):
        return None  # only the department itself can say it served someone
    if dept.slug in await departments_of(author):
        return None  # a colleague's own question, not a served request
    message = await _message(client, reaction.channel, reaction.ts)
    if message is not None and not is_request(message):
        return None  # a bot's message, or a join/leave/system message
    summary = summary_of(plain(str(message.get("text", ""))) if message else "")
    return PollRequest(
        user_id=author,
        department=dept.slug,
        trigger="reaction",
        trigger_key=f"reaction:{reaction.channel}:{reaction.ts}",
        summary=summary,
        opened_at=slack_time(reaction.ts),
        resolved_at=slack_time(reaction.at),
    )


def slack_time(ts: str | None) -> datetime | None:
    """The moment a Slack timestamp ("1763456400.000100": seconds since the epoch) names."""
    try:
        return datetime.fromtimestamp(float(ts), UTC) if ts else None
    except (ValueError, OverflowError, OSError):  # not a timestamp, or past the year 9999
        return None


def is_request(message: dict[str, object]) -> bool:
    """Whether a message is something a person asked: their own message, also one with a file
    (a screenshot of the error) or a thread reply they also sent to the channel. Not a bot's,
    and not what Slack writes itself (joins, topic changes…)."""
    return not message.get("bot_id") and message.get("subtype") in PEOPLES_SUBTYPES


def summary_of(text: str) -> str:
    """Plain text as a poll names it: one line, its start, and no NUL character (a text
    column of PostgreSQL cannot hold one)."""
    line = " ".join(text.replace("\x00", "").split())
    return line if len(line) <= SUMMARY_LENGTH else line[: SUMMARY_LENGTH - 1].rstrip() + "…"


def _service_department(quality: QualityConfig, channel: str) -> DepartmentConfig | None:
    return next((d for d in quality.departments if channel in d.channels), None)


async def _message(client: AsyncWebClient, channel: str, ts: str) -> dict[str, object] | None:
    """The reacted message, to name the request in the poll. A thread reply is not in the
    channel's history, so it is looked up in its thread: Slack answers with the thread's parent
    first, then the replies from `oldest` on. A deleted message is simply not found."""
    try:
        history = await client.conversations_history(
            channel=channel, latest=ts, inclusive=True, limit=1
        )
        found = _with_ts(history.get("messages"), ts)
        if found is None:
            replies = await client.conversations_replies(
                channel=channel, ts=ts, oldest=ts, inclusive=True, limit=2
            )
            found = _with_ts(replies.get("messages"), ts)
        return found
    except SlackApiError as exc:
        log.warning("reacted message not read (%s)", exc.response.get("error"))
    return None


def _with_ts(messages: object, ts: str) -> dict[str, object] | None:
    if not isinstance(messages, list):
        return None
    return next((dict(m) for m in messages if isinstance(m, dict) and m.get("ts") == ts), None)
