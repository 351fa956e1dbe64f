"""Finding a department from what a person typed: its slug or its name, in any case, or one of
its service channels as Slack escapes a mention (`<#C0ITHELP1|it-help>`)."""

import difflib
import re
from dataclasses import dataclass

from bot.config import DepartmentConfig, QualityConfig

# Slack sends a channel mention as <#ID|name>, or <#ID> when it has no name to give.
_CHANNEL = re.compile(r"<#(?P<id>[CG][A-Z0-9]+)(?:\|[^<>]*)?>")
# Longer than any name worth suggesting: difflib's cost grows with the length of both texts.
_SUGGEST_UP_TO = 100


@dataclass(frozen=True)
class Lookup:
    department: DepartmentConfig | None
    suggestion: str | None = None  # the slug they probably meant


def channel_id(typed: str) -> str | None:
    """The channel id of an escaped channel mention, else None."""
    match = _CHANNEL.fullmatch(typed.strip())
    return match["id"] if match else None


def find_department(quality: QualityConfig, typed: str) -> Lookup:
    if (channel := channel_id(typed)) is not None:
        owner = next((d for d in quality.departments if channel in d.channels), None)
        return Lookup(owner)
    wanted = typed.strip().lstrip("#").lower()
    for dept in quality.departments:
        if wanted in (dept.slug, dept.name.lower()):
            return Lookup(dept)
    if len(wanted) > _SUGGEST_UP_TO:
        return Lookup(None)
    names = {d.slug: d.slug for d in quality.departments}
    names.update({d.name.lower(): d.slug for d in quality.departments})
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    return Lookup(None, names[close[0]] if close else None)
