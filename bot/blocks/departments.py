"""The `/quality departments` message."""

from collections.abc import Mapping, Sequence

from bot.blocks import MAX_MESSAGE_BLOCKS, Block, context, header, section
from bot.config import DepartmentConfig


def build_departments(
    departments: Sequence[DepartmentConfig], members: Mapping[str, int]
) -> list[Block]:
    room = MAX_MESSAGE_BLOCKS - 2  # the header, and a note when some do not fit
    blocks: list[Block] = [header(f"Departments ({len(departments)})")]
    for dept in departments[:room]:
        lines = [f"*{dept.name}*  `{dept.slug}`"]
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
