"""Which department a review concerns: the one it names, else the one whose keywords it
mentions most (whole words, any case, any language), else its source's (`review_sources`),
else none ("unassigned")."""

import re
from dataclasses import dataclass
from functools import cache

from bot.config import QualityConfig

UNASSIGNED = "unassigned"
FIELD, KEYWORD, SOURCE, FALLBACK = "field", "keyword", "source", "fallback"


@dataclass(frozen=True)
class Route:
    department: str | None  # slug; None is unassigned
    routed_by: str


@cache
def _pattern(keyword: str) -> re.Pattern[str]:
    # \w is Unicode-aware, so "Lieferung" is a whole word and "café" keeps its é. Scripts
    # without spaces between words (Japanese, Chinese) have no word boundaries to find:
    # there a keyword matches wherever it appears.
    escaped = re.escape(keyword.strip())
    if any(ord(ch) > 0x2E80 for ch in keyword):
        return re.compile(escaped, re.IGNORECASE)
    return re.compile(rf"(?<!\w){escaped}(?!\w)", re.IGNORECASE)


def route(
    text: str, department: str | None, quality: QualityConfig, *, default: str | None = None
) -> Route:
    if department:
        return Route(department, FIELD)
    best: tuple[int, str] | None = None
    for dept in quality.departments:
        hits = sum(len(_pattern(k).findall(text)) for k in dept.keywords if k.strip())
        if hits and (best is None or hits > best[0]):
            best = (hits, dept.slug)
    if best is not None:
        return Route(best[1], KEYWORD)
    if default:
        return Route(default, SOURCE)
    return Route(None, FALLBACK)
