"""A preset: how one review platform sends reviews, as data. It says how a delivery is signed
(`signatures`), how a body splits into events (a review written or edited, a review deleted,
anything else), where each field of a review sits in an event (JMESPath expressions, which an
admin may override in `fields`), and how the platform's rating becomes 1 to 5.

`read` turns one event into the generic review body, which is then validated exactly as the
generic webhook's, so every source ends in the same store with the same checks.
"""

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Literal

import jmespath
from jmespath.exceptions import JMESPathError

from bot.config import FIELDS, ReviewSourceConfig
from bot.reviews.sources.signatures import Scheme

Action = Literal["upsert", "delete", "ignore"]
UPSERT: Action = "upsert"
DELETE: Action = "delete"
IGNORE: Action = "ignore"


@dataclass(frozen=True)
class Event:
    """One thing a delivery says: a review written or edited (`item` holds it), a review
    deleted (`item` holds at least its id), or something that is not about a review."""

    action: Action
    item: Any = None
    reason: str = ""  # why it is ignored


class Unreadable(ValueError):
    """A field the preset found but cannot read: the field and why, for a 400."""


Rating = tuple[float | None, str | None]  # 1 to 5, and the original when it was not that


@dataclass(frozen=True)
class Preset:
    name: str
    paths: Mapping[str, str]  # field -> JMESPath expression, within an event's item
    events: Callable[[Any, Mapping[str, str]], list[Event]]  # (body, headers) -> events
    scheme: Scheme | None = None  # a push source's signature; None for a polled one
    words: Mapping[str, float] = field(default_factory=dict)  # rated in words: "great" is 5
    # The rating in what the rating's path finds (Typeform's: the answer's number).
    rating_value: Callable[[Any], Any] = field(default=lambda found: found)
    # Turns a value of `fields:` into an expression; most take an expression as it is.
    locate: Callable[[str, str], str] = field(default=lambda name, value: value)
    many: bool = False  # a body may hold several events: answered as a batch

    def expression(self, name: str, source: ReviewSourceConfig) -> str | None:
        given = source.fields.get(name)  # type: ignore[call-overload]
        return self.locate(name, given) if given is not None else self.paths.get(name)


def read(preset: Preset, source: ReviewSourceConfig, item: Any) -> dict[str, Any]:
    """The event's review as the generic webhook takes it, plus the rating as the source
    gave it. Raises `Unreadable` naming the field."""
    found: dict[str, Any] = {}
    for name in FIELDS:
        expression = preset.expression(name, source)
        if expression is not None:
            found[name] = search(expression, item)
    rating, original = rating_of(preset, source, found.pop("rating", None))
    review = {
        "id": _text(found.get("id")),
        "source": source.name,
        "rating": rating,
        "rating_original": original,
        "title": _text(found.get("title")),
        "text": _text(found.get("text")),
        "author": _text(found.get("author")),
        # A placeholder a platform left empty is no value: the time it arrived is used.
        "created_at": found.get("created_at") if found.get("created_at") != "" else None,
        "language": _language(found.get("language")),
        "url": _link(found.get("url")),
    }
    return {key: value for key, value in review.items() if value is not None}


@cache
def _compiled(expression: str) -> Any:
    """Compiled once per expression; raises JMESPathError for one that does not parse."""
    return jmespath.compile(expression)


def rating_of(preset: Preset, source: ReviewSourceConfig, found: Any) -> Rating:
    """A rating on 1 to 5, and the rating as the source gave it when that was not 1 to 5:
    a word the preset knows, or a number on the source's `rating_scale`."""
    value = preset.rating_value(found)
    if value is None:
        return None, None
    if isinstance(value, str) and value.strip().lower() in preset.words:
        return preset.words[value.strip().lower()], value.strip()
    number = _number(value)
    low, high = source.scale
    if number is None:
        words = ", ".join(preset.words)
        expected = f"a number from {low} to {high}" + (f", or one of {words}" if words else "")
        raise Unreadable(f"rating: {value!r} is not {expected}")
    if not low <= number <= high:
        hint = "" if source.rating_scale else " (set rating_scale for a source rating otherwise)"
        raise Unreadable(f"rating: {number:g} is not from {low} to {high}{hint}")
    if (low, high) == (1, 5):
        return number, None
    return round(1 + 4 * (number - low) / (high - low), 2), f"{number:g} of {low}-{high}"


def search(expression: str, data: Any) -> Any:
    """A JMESPath expression's value, None when it does not apply to `data`."""
    try:
        return _compiled(expression).search(data)
    except JMESPathError:
        return None  # an expression that fits another shape of body finds nothing here


def _text(value: Any) -> str | None:
    """Ids arrive as numbers from some sources; an empty string is no value."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float | str):
        text = str(value).strip()
        return text or None
    return None


def _link(value: Any) -> str | None:
    """A link to the review, when it is one: a platform's review is not refused for its link."""
    text = _text(value)
    return text if text and text.startswith(("https://", "http://")) else None


def _language(value: Any) -> str | None:
    """Sources say "en", "en-US", "en_GB": the product keeps the ISO 639-1 part, and detects
    the language of a review whose platform says something else."""
    text = _text(value)
    code = text.replace("_", "-").split("-")[0].lower() if text else ""
    return code if len(code) == 2 and code.isascii() and code.isalpha() else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) else None
