"""What the person in the demo sees: each message as Slack would show it, and its Block Kit."""

import json
import re
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bot.blocks.render import Renderer, block_kit_builder_url
from bot.demo.company import CHANNELS, PEOPLE


class Screen:
    """Shows each message as Slack would, and keeps its Block Kit JSON next to it."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.count = 0
        self.renderer = Renderer({**PEOPLE, **CHANNELS}, ansi=sys.stdout.isatty())

    def show(self, title: str, message: Mapping[str, Any]) -> None:
        self.count += 1
        print(f"\n── {title} " + "─" * max(0, 76 - len(title)))
        blocks = message.get("blocks") or []
        if not blocks:
            print(self.renderer.mrkdwn(str(message.get("text", ""))))
            return
        print(self.renderer.blocks(blocks))
        self.out_dir.mkdir(parents=True, exist_ok=True)
        path = self.out_dir / f"{self.count:02d}-{_slug(title)}.json"
        path.write_text(json.dumps({"blocks": blocks}, indent=2, ensure_ascii=False) + "\n")
        print(f"Block Kit JSON: {path}")
        print(f"Block Kit Builder: {block_kit_builder_url(blocks)}")


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]
