"""The `/quality departments` message."""

from collections.abc import Mapping, Sequence

from bot.blocks import MAX_MESSAGE_BLOCKS, Block, context, escape, header, section
from bot.config import DepartmentConfig, StandardConfig


def standard_text(standard: StandardConfig) -> str:
    """A department's standard in one mrkdwn line."""
    parts = []
    if standard.promise:
        parts.append(f"“{escape(standard.promise)}”")
    if standard.target is not None:
        parts.append(f"aims for {standard.target:g} / 5")
    if standard.resolve_within_hours is not None:
        parts.append(f"resolves requests within {standard.resolve_within_hours:g} h")
    return "Promise: " + " · ".join(parts)


def build_departments(
    departments: Sequence[DepartmentConfig], members: Mapping[str, int]
) -> list[Block]:
    room = MAX_MESSAGE_BLOCKS - 2  # the header, and a note when some do not fit
    blocks: list[Block] = [header(f"Departments ({len(departments)})")]
    for dept in departments[:room]:
        lines = [f"*{escape(dept.name)}*  `{dept.slug}`"]
        if dept.standard:
            lines.append(standard_text(dept.standard))
        if dept.channels:
            lines.append("Ask for help in " + ", ".join(f"<#{c}>" for c in dept.channels))
        if dept.managers:
            lines.append("Managed by " + ", ".join(f"<@{u}>" for u in dept.managers))
        count = members.get(dept.slug, 0)
        lines.append(f"{count} member{'' if count == 1 else 's'}")
        blocks.append(section("\n".join(lines)))
    if len(departments) > room:
        rest = ", ".join(d.slug for d in departments[room:])
        blocks.append(context(f"…and {len(departments) - room} more: {rest}"))
    return blocks
