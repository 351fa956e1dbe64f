"""Pure Block Kit builders: plain values in, plain dicts out.

May use: the value types and text helpers of `bot.config`, `bot.digest`, `bot.privacy` and
`bot.slack.text`, and the models as values; nothing here reads the database or calls Slack.
"""

from typing import Any

Block = dict[str, Any]

# Slack's limits (api.slack.com/reference/block-kit): a section's text, a message's blocks.
MAX_SECTION_TEXT = 3000
MAX_MESSAGE_BLOCKS = 50


def escape(text: str) -> str:
    """Escape plain text for mrkdwn, once, on the way out: Slack reads <…> as links and
    mentions (and `bot.slack.text.plain` read Slack's own text on the way in)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}}


def header(text: str) -> Block:
    return {"type": "header", "text": {"type": "plain_text", "text": text[:150], "emoji": True}}


def context(text: str) -> Block:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text[:MAX_SECTION_TEXT]}]}


def divider() -> Block:
    return {"type": "divider"}
