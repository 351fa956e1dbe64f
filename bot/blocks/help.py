"""The `/quality help` message."""

from collections.abc import Sequence
from dataclasses import dataclass

from bot.blocks import Block, context, header, section


@dataclass(frozen=True)
class HelpEntry:
    usage: str  # e.g. "report [department] [weeks]"
    summary: str
    who: str = "anyone"


def build_help(entries: Sequence[HelpEntry], *, problem: str | None = None) -> list[Block]:
    blocks: list[Block] = []
    if problem:
        blocks.append(section(f":grey_question: {problem}"))
    blocks.append(header("/quality — service quality, between departments and with customers"))
    lines = []
    for entry in entries:
        who = "" if entry.who == "anyone" else f"  _({entry.who})_"
        lines.append(f"`/quality {entry.usage}` — {entry.summary}{who}")
    blocks.append(section("\n".join(lines)))
    blocks.append(context("Only you can see this answer."))
    return blocks


def help_text(entries: Sequence[HelpEntry]) -> str:
    """The plain-text fallback Slack shows in notifications and to screen readers."""
    return "Commands: " + ", ".join(f"/quality {e.usage}" for e in entries)
