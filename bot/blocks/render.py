"""What Slack would show, as terminal text (the demo) and as a Block Kit Builder link."""

import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from bot.blocks import Block
from bot.slack.text import unescape

_LINK = re.compile(r"<(https?://[^>|]+)\|([^>]+)>")
_REFERENCE = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]+))?>")
_BOLD = re.compile(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])")


class Renderer:
    """Turns mrkdwn into what a reader sees: names instead of ids, bold as bold."""

    def __init__(self, names: Mapping[str, str] | None = None, *, ansi: bool = False) -> None:
        self.names = dict(names or {})
        self.ansi = ansi

    def mrkdwn(self, text: str) -> str:
        text = _LINK.sub(lambda m: f"{m.group(2)} ({m.group(1)})", text)
        text = _REFERENCE.sub(self._reference, text)
        text = _BOLD.sub(lambda m: f"\033[1m{m.group(1)}\033[0m" if self.ansi else m.group(1), text)
        return unescape(text)

    def _reference(self, m: re.Match[str]) -> str:
        sigil, ident, label = m.group(1), m.group(2), m.group(3)
        if sigil == "!":
            return f"@{label or ident}"
        return f"{sigil}{label or self.names.get(ident, ident)}"

    def blocks(self, blocks: Sequence[Block], width: int = 88) -> str:
        out: list[str] = []
        for block in blocks:
            out += self._block(block, width)
            out.append("")
        return "\n".join(out).rstrip() + "\n"

    def _block(self, block: Block, width: int) -> list[str]:
        kind = block.get("type")
        if kind == "header":
            title = _text(block)
            return [title.upper(), "=" * min(len(title), width)]
        if kind == "section":
            lines: list[str] = []
            for line in self.mrkdwn(_text(block)).splitlines() or [""]:
                lines += textwrap.wrap(line, width) or [""]
            lines += ["  " + self.mrkdwn(_text(f)) for f in block.get("fields", [])]
            if "accessory" in block:
                lines.append(f"  [ {_text(block['accessory'])} ]")
            return lines
        if kind == "context":
            return ["  " + " ".join(self.mrkdwn(_text(e)) for e in block["elements"])]
        if kind == "actions":
            return ["  " + "  ".join(_element(e) for e in block["elements"])]
        if kind == "input":
            return [f"{_text(block['label'])}:", "  " + _element(block["element"])]
        if kind == "divider":
            return ["-" * width]
        if kind == "image":
            return [f"  (image: {block.get('alt_text', '')})"]
        return [f"  ({kind} block)"]


def _element(element: Mapping[str, Any]) -> str:
    """A button as [ label ], boxes and radio buttons as ☐ options, a text input as [____]."""
    if element.get("type") in ("checkboxes", "radio_buttons"):
        return "  ".join(f"☐ {_text(option)}" for option in element.get("options", []))
    if element.get("type") == "plain_text_input":
        return "[" + "_" * 30 + "]"
    kind = str(element.get("type", ""))
    if kind == "static_select":
        return f"[ {_text(element.get('placeholder') or {}) or 'choose'} ▾ ]"
    if kind.endswith("users_select"):  # Slack's own people picker
        return "[ people ▾ ]"
    if kind.endswith(("conversations_select", "channels_select")):
        return "[ channels ▾ ]"
    if kind == "number_input":
        return "[ ___ ]"
    return f"[ {_text(element)} ]"


def _text(element: Mapping[str, Any]) -> str:
    text = element.get("text")
    if isinstance(text, dict):
        return str(text.get("text", ""))
    return str(text or "")


def block_kit_builder_url(blocks: Sequence[Block]) -> str:
    payload = json.dumps({"blocks": list(blocks)}, separators=(",", ":"))
    return "https://app.slack.com/block-kit-builder/#" + quote(payload, safe="")
