"""Logging that never writes a token, secret, e-mail address or Slack user id, and never lets
a library echo what people answered, at any LOG_LEVEL."""

import logging
import re

# Slack tokens (xoxb-, xoxp-, xapp- …), Standard Webhooks secrets, bearer headers,
# passwords in database URLs.
_SECRETS = re.compile(
    r"\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]+"
    r"|\bwhsec_[A-Za-z0-9+/=]+"
    r"|(?i:bearer)\s+[^\s'\"]+"
    r"|(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"
)
# A mention as Slack writes it, with the display name some clients add: `<@U0123|fiona>`.
_MENTIONS = re.compile(r"<@[UW][A-Z0-9]+(?:\|[^>]*)?>")
# `@` may arrive percent-encoded (form bodies, query strings): `fiona%40acme.example`.
# The look-behind starts a match only where a local part can start: linear on long blobs.
_EMAILS = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)
# User ids come in every length (`U0BOT` in a test workspace, `W0ABC12` on Enterprise Grid,
# `U024BE7LH` from Slack): U or W, then 2+ uppercase letters or digits with at least one digit,
# or 8+ of them (a real id without a digit). "URL", "UTC", "WAL", "UPDATE" and "WARNING" have
# no digit and are shorter, so they stay; so does an ISO week ("2026-W47", in every digest
# line). Edges are any non-alphanumeric character (so ids in `key_U0BOT` go too) or a percent
# escape (`%2CU0BOT`, a comma in a form-encoded list).
_USER_IDS = re.compile(
    r"(?:(?<![A-Za-z0-9])|(?<=%[0-9A-Fa-f]{2}))(?<![0-9]{4}-)"
    r"[UW](?:(?=[A-Z]*[0-9])[A-Z0-9]{2,}|[A-Z0-9]{8,})"
    r"(?![A-Za-z0-9])"
)


def redact(text: str) -> str:
    text = _SECRETS.sub("[redacted]", text)
    text = _MENTIONS.sub("[user]", text)
    text = _EMAILS.sub("[email]", text)
    return _USER_IDS.sub("[user]", text)


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record, tracebacks included: an exception's message can
    carry an id or an address we never meant to log."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


# At DEBUG these libraries write what redaction cannot catch, a real name or a comment:
# SQL with its parameters (tortoise, aiosqlite, asyncpg), every Slack Web API request and
# response body (slack_sdk, its legacy `slack` package, the HTTP and WebSocket clients under
# it), the body of every answer bolt gives Slack ("quality.bolt" is bolt's own logger, named
# in handlers/slack_app.py; bolt copies its level into its listeners' loggers), and the arguments
# of the callbacks multiprocessing runs. So they never go below INFO, whatever LOG_LEVEL asks;
# our own loggers (bot.*, handlers.*) follow it.
LIBRARY_LOGGERS = (
    "tortoise",
    "aiosqlite",
    "asyncpg",
    "slack_sdk",
    "slack_bolt",
    "slack",
    "quality.bolt",
    "urllib3",
    "websockets",
    "aiohttp.client",
    "multiprocessing",
)


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.INFO, root.level))
