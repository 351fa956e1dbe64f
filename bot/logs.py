"""Logging that never writes a token, secret or Slack user id (SPEC §8)."""

import logging
import re

# Slack tokens (xoxb-, xoxp-, xapp- …), Standard Webhooks secrets, bearer headers,
# passwords in database URLs, and user ids (U… / W…, 8+ characters as Slack issues them).
_SECRETS = re.compile(
    r"\b(?:xox[abposr]|xapp)-[A-Za-z0-9-]+"
    r"|\bwhsec_[A-Za-z0-9+/=]+"
    r"|(?i:bearer)\s+[^\s'\"]+"
    r"|(?<=://)[^/\s:@]+:[^/\s@]+(?=@)"
)
_USER_IDS = re.compile(r"\b[UW][A-Z0-9]{8,}\b")


def redact(text: str) -> str:
    text = _SECRETS.sub("[redacted]", text)
    return _USER_IDS.sub("[user]", text)


class RedactingFormatter(logging.Formatter):
    """Redacts the whole formatted record, tracebacks included: libraries (bolt, slack-sdk
    at DEBUG) log request bodies we do not control."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
