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


def plain(text: str) -> Block:
    """A plain_text object: labels, titles, options."""
    return {"type": "plain_text", "text": text}


def option(text: str, value: str) -> Block:
    return {"text": plain(text[:75]), "value": value}


def button(label: str, action_id: str, value: str, *, style: str | None = None) -> Block:
    element: Block = {"type": "button", "action_id": action_id, "text": plain(label)}
    element["value"] = value
    if style:
        element["style"] = style
    return element


def input_block(
    block_id: str, label: str, element: Block, *, optional: bool = False, hint: str | None = None
) -> Block:
    """A modal's input; its complaints (response_action "errors") are keyed by `block_id`."""
    block: Block = {"type": "input", "block_id": block_id, "label": plain(label)}
    block["element"] = element
    if optional:
        block["optional"] = True
    if hint:
        block["hint"] = plain(hint[:2000])
    return block


def text_input(
    action_id: str, *, initial: str | None = None, multiline: bool = False, max_length: int
) -> Block:
    element: Block = {"type": "plain_text_input", "action_id": action_id}
    element |= {"multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    return element
