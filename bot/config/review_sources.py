"""`review_sources` in quality.yml: the review platforms connected as they themselves send.

Push presets receive a platform's own webhook at `/webhooks/reviews/{name or preset}`; poll
presets fetch from a platform that never pushes. What each preset reads and how it checks a
signature lives with the preset (bot/reviews/sources); here is only what an admin writes.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal, get_args

import jmespath
from jmespath.exceptions import JMESPathError
from pydantic import AfterValidator, Field, Strict, model_validator
from pydantic_core import PydanticCustomError

from bot.config.quality_fields import FrozenModel, Slug, Text

Preset = Literal[
    "zendesk", "typeform", "helpscout", "intercom", "trustpilot", "appstore", "googleplay"
]
PRESETS: tuple[str, ...] = get_args(Preset)
POLL_PRESETS = ("appstore", "googleplay")


# Google Play keeps a week of reviews: polled less often than daily, some would never be seen.
MAX_POLL_MINUTES = 24 * 60


def _matching(pattern: str, shape: str) -> AfterValidator:
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.fullmatch(value):
            raise PydanticCustomError("pattern", "{value} must be {shape}", {
                "value": repr(value), "shape": shape})  # fmt: skip
        return value

    return AfterValidator(check)


def _scale(value: str) -> str:
    low, dash, high = value.replace(" ", "").partition("-")
    if not (dash and low.isdigit() and high.isdigit() and int(low) < int(high) <= 100):
        raise PydanticCustomError(
            "rating_scale", "{value} must be the lowest and highest rating, like '0-10'",
            {"value": repr(value)},
        )  # fmt: skip
    return f"{int(low)}-{int(high)}"


SourceName = Annotated[str, Field(max_length=64), _matching(r"[a-z0-9_-]+", "[a-z0-9_-]+")]
EnvName = Annotated[
    str, _matching(r"[A-Z_][A-Z0-9_]*", "an environment variable's name, like ZENDESK_SECRET")
]
# What a review has that a preset reads, and may be told where to find (`fields`).
FieldName = Literal["id", "rating", "title", "text", "author", "created_at", "language", "url"]
FIELDS: tuple[str, ...] = get_args(FieldName)

# The keys only some presets take, and which.
_ONLY = {
    "signature": ("trustpilot",),
    "app_id": ("appstore",),
    "key_id": ("appstore",),
    "issuer_id": ("appstore",),
    "package": ("googleplay",),
    "poll_every_minutes": POLL_PRESETS,
    "api_url": POLL_PRESETS,
}
_REQUIRED = {"appstore": ("app_id", "key_id", "issuer_id"), "googleplay": ("package",)}


class ReviewSourceConfig(FrozenModel):
    preset: Preset
    name: SourceName  # the reviews' `source`
    secret_env: EnvName  # the variable holding the signing secret, the key, or the account
    department: Slug | None = None  # where its reviews go when nothing routes them elsewhere
    fields: dict[FieldName, Text] = Field(default_factory=dict)
    # trustpilot: how it proves a delivery is its own: an HMAC header, or the secret in the path
    signature: Literal["hex", "base64", "path"] | None = None
    app_id: Annotated[str, _matching(r"[0-9]+", "the app's Apple ID (digits)")] | None = None
    key_id: Text | None = None
    issuer_id: Text | None = None
    package: Annotated[str, _matching(r"[A-Za-z0-9_.]+", "an Android package name")] | None = None
    poll_every_minutes: Annotated[int, Strict(), Field(ge=1, le=MAX_POLL_MINUTES)] | None = None
    api_url: Annotated[str, _matching(r"https?://\S+", "an http(s) URL")] | None = None
    # A numeric rating's scale at the source when it is not 1 to 5, like "0-10".
    rating_scale: Annotated[str, AfterValidator(_scale)] | None = None

    @property
    def scale(self) -> tuple[int, int]:
        """The lowest and highest rating the source gives: (1, 5) unless `rating_scale` says."""
        if self.rating_scale is None:
            return 1, 5
        low, high = self.rating_scale.split("-")
        return int(low), int(high)

    @property
    def polled(self) -> bool:
        return self.preset in POLL_PRESETS

    @property
    def poll_every(self) -> int:
        """Minutes between two passes of a polled source."""
        return self.poll_every_minutes or 60

    @model_validator(mode="after")
    def _fields_found(self) -> ReviewSourceConfig:
        # Typeform's fields are question refs; every other preset's, JMESPath expressions.
        if self.preset == "typeform":
            return self
        for name, expression in self.fields.items():
            try:
                jmespath.compile(expression)
            except JMESPathError:
                raise PydanticCustomError(
                    "fields", "fields.{name}: {expression} is not a JMESPath expression",
                    {"name": name, "expression": repr(expression)},
                ) from None  # fmt: skip
        return self

    @model_validator(mode="after")
    def _keys_of_its_preset(self) -> ReviewSourceConfig:
        for key, presets in _ONLY.items():
            if getattr(self, key) is not None and self.preset not in presets:
                raise PydanticCustomError(
                    "preset_key", "{key} is only for {presets}, not {preset}",
                    {"key": key, "presets": " and ".join(presets), "preset": self.preset},
                )  # fmt: skip
        missing = [key for key in _REQUIRED.get(self.preset, ()) if getattr(self, key) is None]
        if missing:
            raise PydanticCustomError(
                "preset_key", "{preset} needs {missing}",
                {"preset": self.preset, "missing": ", ".join(missing)},
            )  # fmt: skip
        return self


def source_conflicts(sources: tuple[ReviewSourceConfig, ...]) -> str | None:
    """Two sources of one name, or a name that is another preset's (the webhook's path takes
    either a source's name or its preset's)."""
    names: set[str] = set()
    for source in sources:
        if source.name in names:
            return f"two review sources are named {source.name!r}"
        names.add(source.name)
        if source.name in PRESETS and source.name != source.preset:
            return f"{source.name!r} is another preset's name, not a {source.preset} source's"
    return None
