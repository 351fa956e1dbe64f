"""From a platform's delivery to reviews the store takes: each event read by its source's
preset, validated as the generic webhook validates, and given its source's department."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from bot.config import ReviewSourceConfig
from bot.reviews.payload import SourceReviewPayload, validate_review
from bot.reviews.sources.preset import DELETE, IGNORE, Preset, Unreadable, read, search
from bot.reviews.store import ReviewIn


@dataclass(frozen=True)
class Taken:
    """One event of a delivery: a review to store (or to delete), or why there is none."""

    review: ReviewIn | None = None
    ignored: str | None = None  # not about a review: acknowledged, nothing stored
    error: str | None = None  # about a review, but unreadable: refused


def take(
    preset: Preset, source: ReviewSourceConfig, body: Any, headers: Mapping[str, str]
) -> list[Taken]:
    """Every event of one delivery, in order."""
    events = preset.events(body, headers)
    taken: list[Taken] = []
    for index, event in enumerate(events):
        prefix = f"events[{index}]" if preset.many else ""
        if event.action == IGNORE:
            taken.append(Taken(ignored=event.reason))
        elif event.action == DELETE:
            taken.append(_deletion(preset, source, event.item, prefix))
        else:
            taken.append(_review(preset, source, event.item, prefix))
    return taken


def _review(preset: Preset, source: ReviewSourceConfig, item: Any, prefix: str) -> Taken:
    """One review read from `item`, or the error naming its field."""
    try:
        data = read(preset, source, item)
        review = validate_review(
            data, known_departments=None, prefix=prefix, model=SourceReviewPayload
        )
    except Unreadable as exc:
        return Taken(error=f"{prefix}.{exc}" if prefix else str(exc))
    except ValueError as exc:
        return Taken(error=str(exc))
    return Taken(review=replace(review, default_department=source.department))


def _deletion(preset: Preset, source: ReviewSourceConfig, item: Any, prefix: str) -> Taken:
    expression = preset.expression("id", source)
    found = search(expression, item) if expression else None
    if isinstance(found, int) and not isinstance(found, bool):
        found = str(found)
    if not isinstance(found, str) or not found.strip() or len(found) > 255:
        where = f"{prefix}.id" if prefix else "id"
        return Taken(error=f"{where}: the deleted review's id is missing")
    return Taken(review=ReviewIn(id=found.strip(), source=source.name, deleted=True))
