"""Finding a department from what a person typed: its slug or its name, in any case."""

import difflib
from dataclasses import dataclass

from bot.settings import DepartmentConfig, QualityConfig


@dataclass(frozen=True)
class Lookup:
    department: DepartmentConfig | None
    suggestion: str | None = None  # the slug they probably meant


def find_department(quality: QualityConfig, typed: str) -> Lookup:
    wanted = typed.strip().lstrip("#").lower()
    for dept in quality.departments:
        if wanted in (dept.slug, dept.name.lower()):
            return Lookup(dept)
    names = {d.slug: d.slug for d in quality.departments}
    names.update({d.name.lower(): d.slug for d in quality.departments})
    close = difflib.get_close_matches(wanted, list(names), n=1, cutoff=0.6)
    return Lookup(None, names[close[0]] if close else None)
