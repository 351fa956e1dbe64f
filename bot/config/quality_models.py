"""The sections of `quality.yml` as frozen pydantic models, and the departments' conflict check."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Annotated, Any

from pydantic import AfterValidator, Field, Strict, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from bot.config.quality_fields import (
    ChannelRef,
    FrozenModel,
    Kind,
    PositiveInt,
    Reaction,
    Schedule,
    ScheduleText,
    Slug,
    Text,
    TimeZoneName,
    UsergroupRef,
    UserRef,
    is_slack_id,
)
from bot.config.review_sources import ReviewSourceConfig, source_conflicts

Loc = tuple[str | int, ...]

# Raised by the departments check; the reader reports those conflicts itself, one per item.
DEPARTMENT_CONFLICT = "department_conflict"


MAX_PROMISE = 200  # characters: one line in a poll DM


class StandardConfig(FrozenModel):
    """What a department promises its internal customers: in words, as the average rating it
    aims for, and as the hours from a request to its resolution."""

    promise: Text | None = None
    target: Annotated[float, Strict(), Field(ge=1, le=5)] | None = None
    resolve_within_hours: Annotated[float, Strict(), Field(gt=0)] | None = None

    @field_validator("promise")
    @classmethod
    def _one_line(cls, value: str | None) -> str | None:
        if value is not None and len(value) > MAX_PROMISE:
            raise PydanticCustomError(
                "promise_length",
                "must be at most {limit} characters, not {length}",
                {"limit": MAX_PROMISE, "length": len(value)},
            )
        return value

    @model_validator(mode="after")
    def _something_promised(self) -> StandardConfig:
        if self.promise is None and self.target is None and self.resolve_within_hours is None:
            raise PydanticCustomError(
                "empty_standard", "says nothing: give a promise, a target or resolve_within_hours"
            )
        return self


MAX_REASON = 40  # characters: a checkbox's label
MAX_REASONS = 10  # Slack shows at most ten checkboxes together
LOW, HIGH = "low", "high"  # the score bands that are offered reasons: 1–2 and 4–5


def _reason_list(value: tuple[str, ...]) -> tuple[str, ...]:
    if len(value) > MAX_REASONS:
        raise PydanticCustomError(
            "reasons_count", "offers at most {limit} reasons, not {count}",
            {"limit": MAX_REASONS, "count": len(value)},
        )  # fmt: skip
    for reason in value:
        if len(reason) > MAX_REASON:
            raise PydanticCustomError(
                "reason_length", "'{reason}' is longer than {limit} characters",
                {"reason": reason, "limit": MAX_REASON},
            )  # fmt: skip
    if len(set(value)) < len(value):
        raise PydanticCustomError("reasons_repeated", "names a reason twice")
    return value


# The reasons of one band, in the order they are offered (an empty list offers none).
Reasons = Annotated[tuple[Text, ...], AfterValidator(_reason_list)]


class ReasonsConfig(FrozenModel):
    """What the thank-you offers to pick after a score: `low` after a 1 or 2, `high` after a
    4 or 5 (a 3 is offered none)."""

    low: Reasons = ("slow", "had to chase", "not fixed", "unclear", "unfriendly")
    high: Reasons = ("fast", "fixed first time", "clear", "friendly", "went the extra mile")


class DepartmentReasons(FrozenModel):
    """A department's own reasons; a band it leaves out is offered `surveys.reasons`."""

    low: Reasons | None = None
    high: Reasons | None = None


class DepartmentConfig(FrozenModel):
    slug: Slug
    name: Text
    channels: tuple[ChannelRef, ...] = ()
    alert_channel: ChannelRef | None = None
    members: tuple[UserRef, ...] = ()
    usergroup: UsergroupRef | None = None
    managers: tuple[UserRef, ...] = ()
    keywords: tuple[Text, ...] = ()
    standard: StandardConfig | None = None
    team_channel: ChannelRef | None = None
    reasons: DepartmentReasons | None = None

    @property
    def thanks_channel(self) -> str | None:
        """Where thanks to the department are posted: its team channel, else its alerts'."""
        return self.team_channel or self.alert_channel


class PrivacyConfig(FrozenModel):
    min_group_size: PositiveInt = 3


class SurveysConfig(FrozenModel):
    resolved_reactions: tuple[Reaction, ...] = ("white_check_mark",)
    max_per_person_per_week: PositiveInt = 3
    cooldown_days_per_department: Annotated[int, Strict(), Field(ge=0)] = 2
    remind_after_hours: PositiveInt = 24
    expire_after_hours: PositiveInt = 72
    reasons: ReasonsConfig = ReasonsConfig()

    @field_validator("expire_after_hours")
    @classmethod
    def _after_reminder(cls, value: int, info: ValidationInfo) -> int:
        remind = info.data.get("remind_after_hours")
        if remind is not None and value <= remind:
            raise PydanticCustomError(
                "expiry", "must be more than remind_after_hours ({remind})", {"remind": remind}
            )
        return value


class DigestConfig(FrozenModel):
    channel: ChannelRef | None = None
    schedule: ScheduleText = Field(default_factory=lambda: Schedule.parse("mon 09:00"))
    manager_dms: Annotated[bool, Strict()] = True


class AlertsConfig(FrozenModel):
    negative_review_rating: Annotated[float, Strict(), Field(ge=1, le=5)] = 2
    nudge_unclaimed_after_hours: PositiveInt = 4  # a follow-up case nobody claimed


class QualityConfig(FrozenModel):
    timezone: TimeZoneName = "UTC"
    admins: tuple[UserRef, ...] = ()
    privacy: PrivacyConfig = PrivacyConfig()
    surveys: SurveysConfig = SurveysConfig()
    digest: DigestConfig = DigestConfig()
    alerts: AlertsConfig = AlertsConfig()
    # Required, and may be empty: departments can all be managed in Slack instead.
    departments: tuple[DepartmentConfig, ...]
    review_sources: tuple[ReviewSourceConfig, ...] = ()

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def department(self, slug: str) -> DepartmentConfig | None:
        return next((d for d in self.departments if d.slug == slug), None)

    def reasons(self, slug: str, band: str) -> tuple[str, ...]:
        """The reasons offered for `band` (LOW or HIGH) after rating the department."""
        dept = self.department(slug)
        own = getattr(dept.reasons, band) if dept and dept.reasons else None
        return own if own is not None else tuple(getattr(self.surveys.reasons, band))

    def slack_refs(self) -> Iterator[tuple[Loc, Kind, str]]:
        """Everything the file names in Slack, by id or by name: its key and what it names."""
        for n, user in enumerate(self.admins):
            yield ("admins", n), Kind.USER, user
        if self.digest.channel is not None:
            yield ("digest", "channel"), Kind.CHANNEL, self.digest.channel
        for d, dept in enumerate(self.departments):
            for key, kind in _DEPARTMENT_REFS.items():
                value = getattr(dept, key)
                if isinstance(value, tuple):
                    for n, item in enumerate(value):
                        yield ("departments", d, key, n), kind, item
                elif value is not None:
                    yield ("departments", d, key), kind, value

    def names(self) -> Iterator[tuple[Loc, Kind, str]]:
        """What the file names in Slack by name, not by id: resolved through Slack."""
        return ((loc, kind, v) for loc, kind, v in self.slack_refs() if not is_slack_id(kind, v))

    def with_ids(self, id_of: Callable[[Kind, str], str]) -> QualityConfig:
        """The same configuration with every name replaced by `id_of(kind, name)`."""

        def one(kind: Kind, value: str | None) -> str | None:
            return value if value is None or is_slack_id(kind, value) else id_of(kind, value)

        def update(model: FrozenModel, kinds: Mapping[str, Kind]) -> dict[str, object]:
            changed: dict[str, object] = {}
            for key, kind in kinds.items():
                value = getattr(model, key)
                if isinstance(value, tuple):
                    changed[key] = tuple(dict.fromkeys(str(one(kind, v)) for v in value))
                else:
                    changed[key] = one(kind, value)
            return changed

        departments = tuple(
            d.model_copy(update=update(d, _DEPARTMENT_REFS)) for d in self.departments
        )
        digest = self.digest.model_copy(update=update(self.digest, {"channel": Kind.CHANNEL}))
        return self.model_copy(
            update={
                "admins": update(self, {"admins": Kind.USER})["admins"],
                "digest": digest,
                "departments": departments,
            }
        )

    def review_source(self, name: str) -> ReviewSourceConfig | None:
        """The source of that name, else the only source of that preset."""
        named = next((s for s in self.review_sources if s.name == name), None)
        of_preset = [s for s in self.review_sources if s.preset == name]
        return named or (of_preset[0] if len(of_preset) == 1 else None)

    @field_validator("review_sources")
    @classmethod
    def _sources_apart(
        cls, value: tuple[ReviewSourceConfig, ...]
    ) -> tuple[ReviewSourceConfig, ...]:
        conflict = source_conflicts(value)
        if conflict:
            raise PydanticCustomError("review_source_conflict", conflict)
        return value

    @field_validator("departments")
    @classmethod
    def _no_conflicts(cls, value: tuple[DepartmentConfig, ...]) -> tuple[DepartmentConfig, ...]:
        # The reader reports each conflict at its own key; this guards models built in code.
        conflict = next(department_conflicts([d.model_dump() for d in value]), None)
        if conflict:
            raise PydanticCustomError(DEPARTMENT_CONFLICT, conflict[1])
        return value


# The keys of a department that name something in Slack, and what they name.
_DEPARTMENT_REFS = {
    "channels": Kind.CHANNEL,
    "alert_channel": Kind.CHANNEL,
    "team_channel": Kind.CHANNEL,
    "members": Kind.USER,
    "managers": Kind.USER,
    "usergroup": Kind.USERGROUP,
}


def department_conflicts(departments: object) -> Iterator[tuple[Loc, str]]:
    """Duplicate slugs and service channels, found in raw YAML data as well as in valid models.

    It runs on raw data so that a conflict is reported alongside every other mistake, not only
    once the rest of the file is valid.
    """
    if not isinstance(departments, list | tuple):
        return
    slugs: dict[str, int] = {}
    channels: dict[str, int] = {}
    for index, department in enumerate(departments):
        if not isinstance(department, dict):
            continue
        slug = department.get("slug")
        if isinstance(slug, str):
            if slug in slugs:
                yield (
                    ("departments", index, "slug"),
                    f"{slug!r} is already used by {_name(departments, slugs[slug])}",
                )
            slugs.setdefault(slug, index)
        listed = department.get("channels")
        for position, channel in enumerate(listed if isinstance(listed, list | tuple) else ()):
            if not isinstance(channel, str):
                continue
            owner = channels.setdefault(channel, index)
            if owner != index:
                where = ("departments", index, "channels", position)
                yield (
                    where,
                    f"{channel!r} is already a service channel of {_name(departments, owner)}",
                )


def _name(departments: Sequence[Any], index: int) -> str:
    slug = departments[index].get("slug")
    return f"department {slug!r}" if isinstance(slug, str) else f"departments[{index}]"
