"""What Slack would show, as terminal text (the demo) and as a Block Kit Builder link."""

import json
import re
import textwrap
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from bot.blocks import Block

_LINK = re.compile(r"<([^>|]+)\|([^>]+)>")
_MENTION = re.compile(r"<([@#!])([^>|]+)>")


def mrkdwn_to_text(text: str) -> str:
    text = _LINK.sub(
        lambda m: f"{m.group(2)} ({m.group(1)})" if m.group(1).startswith("http") else m.group(2),
        text,
    )
    text = _MENTION.sub(lambda m: f"{m.group(1) if m.group(1) != '!' else '@'}{m.group(2)}", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _element_text(element: dict[str, Any]) -> str:
    text = element.get("text")
    if isinstance(text, dict):
        return str(text.get("text", ""))
    return str(text or "")


def blocks_to_text(blocks: Sequence[Block], width: int = 88) -> str:
    out: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "header":
            title = _element_text(block)
            out += [title.upper(), "=" * min(len(title), width)]
        elif kind == "section":
            for line in mrkdwn_to_text(_element_text(block)).splitlines() or [""]:
                out += textwrap.wrap(line, width) or [""]
            for field in block.get("fields", []):
                out.append("  " + mrkdwn_to_text(_element_text(field)))
            if "accessory" in block:
                out.append(f"  [{_element_text(block['accessory'])}]")
        elif kind == "context":
            out.append("  " + " ".join(mrkdwn_to_text(_element_text(e)) for e in block["elements"]))
        elif kind == "actions":
            out.append("  " + "  ".join(f"[ {_element_text(e)} ]" for e in block["elements"]))
        elif kind == "divider":
            out.append("-" * width)
        elif kind == "image":
            out.append(f"  (image: {block.get('alt_text', '')})")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def block_kit_builder_url(blocks: Sequence[Block]) -> str:
    return "https://app.slack.com/block-kit-builder/#" + quote(
        json.dumps({"blocks": list(blocks)}), safe=""
    )
