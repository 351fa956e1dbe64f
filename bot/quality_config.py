"""`quality.yml` as frozen pydantic models, and the reading that turns its mistakes into words.

Every failure comes out as a `(key, reason)` pair, keys shaped like `departments[2].slug`, so the
caller can prefix the file name and show all of them at once.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from collections.abc import Callable, Hashable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin

import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    ValidationError,
    ValidationInfo,
    field_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

Loc = tuple[str | int, ...]

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SCHEDULE = re.compile(r"\s*([A-Za-z]+)\s+([01]?\d|2[0-3]):([0-5]\d)\s*")
# Raised by the departments check; the loader reports those conflicts itself, one per item.
_CONFLICT = "department_conflict"


class QualityConfigError(Exception):
    """`issues` are `(key, reason)` pairs in the order the keys appear in the models."""

    def __init__(self, issues: Sequence[tuple[str, str]]) -> None:
        self.issues = list(issues)
        super().__init__(self.issues)


def _fail(kind: str, message: str, value: object) -> PydanticCustomError:
    # The value goes through the context, not the template, so braces in it stay literal.
    return PydanticCustomError(kind, message, {"value": repr(value)})


def _slack_id(prefixes: str, what: str, example: str) -> Callable[[str], str]:
    pattern = re.compile(f"[{prefixes}][A-Z0-9]+")
    shape = " or ".join(prefixes)

    def check(value: str) -> str:
        if not pattern.fullmatch(value):
            raise _fail(
                "slack_id",
                f"{{value}} is not a Slack {what} ID ({shape} then capital letters and digits,"
                f" like {example})",
                value,
            )
        return value

    return check


def _slug(value: str) -> str:
    if not re.fullmatch(r"[a-z0-9-]+", value):
        raise _fail("slug", "{value} must match [a-z0-9-]+", value)
    return value


def _text(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("empty", "must not be empty")
    return value.strip()


def _reaction(value: str) -> str:
    # People paste reactions as Slack displays them (":white_check_mark:"); events carry bare names.
    name = value.strip().strip(":")
    if not name or any(c.isspace() for c in name):
        raise _fail("reaction", "{value} is not a reaction name (like white_check_mark)", value)
    return name


def _timezone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        zones = zoneinfo.available_timezones()
        folded = {zone.casefold(): zone for zone in zones}
        close = folded.get(value.casefold()) or next(
            iter(difflib.get_close_matches(value, zones, n=1)), None
        )
        hint = f"did you mean {close!r}?" if close else "like 'Europe/Berlin' or 'UTC'"
        raise _fail(
            "timezone", f"{{value}} is not an IANA time zone name ({hint})", value
        ) from None
    return value


UserId = Annotated[str, AfterValidator(_slack_id("UW", "user", "U0123ABCD"))]
ChannelId = Annotated[str, AfterValidator(_slack_id("CG", "channel", "C0123ABCD"))]
UsergroupId = Annotated[str, AfterValidator(_slack_id("S", "user group", "S0123ABCD"))]
Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, AfterValidator(_text)]
# Strict: YAML gives real numbers, so a quoted "3" or a `yes` is a mistake worth reporting.
PositiveInt = Annotated[int, Strict(), Field(ge=1)]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Schedule(_Model):
    """A weekly moment such as "mon 09:00", in the configured timezone."""

    text: str
    weekday: int  # 0 = Monday, as datetime.weekday()
    time: dt.time

    @classmethod
    def parse(cls, text: str) -> Schedule:
        match = _SCHEDULE.fullmatch(text)
        day = match.group(1).lower() if match else ""
        if not match or (day not in _WEEKDAYS and day not in _WEEKDAY_NAMES):
            raise ValueError(f"{text!r} is not a weekday and a 24-hour time")
        weekday = _WEEKDAYS.index(day[:3])
        return cls(text=text, weekday=weekday, time=dt.time(int(match[2]), int(match[3])))

    def __str__(self) -> str:
        return self.text


def _schedule(value: object) -> object:
    if isinstance(value, Schedule):
        return value
    if isinstance(value, str):
        try:
            return Schedule.parse(value)
        except ValueError:
            pass
    raise _fail("schedule", "{value} must be a weekday and a 24-hour time, like 'mon 09:00'", value)


class DepartmentConfig(_Model):
    slug: Slug
    name: Text
    channels: tuple[ChannelId, ...] = ()
    alert_channel: ChannelId | None = None
    members: tuple[UserId, ...] = ()
    usergroup: UsergroupId | None = None
    managers: tuple[UserId, ...] = ()
    keywords: tuple[Text, ...] = ()


class PrivacyConfig(_Model):
    min_group_size: PositiveInt = 3


class SurveysConfig(_Model):
    resolved_reactions: tuple[Annotated[str, AfterValidator(_reaction)], ...] = (
        "white_check_mark",
    )
    max_per_person_per_week: PositiveInt = 3
    cooldown_days_per_department: Annotated[int, Strict(), Field(ge=0)] = 2
    remind_after_hours: PositiveInt = 24
    expire_after_hours: PositiveInt = 72

    @field_validator("expire_after_hours")
    @classmethod
    def _after_reminder(cls, value: int, info: ValidationInfo) -> int:
        remind = info.data.get("remind_after_hours")
        if remind is not None and value <= remind:
            raise PydanticCustomError(
                "expiry", "must be more than remind_after_hours ({remind})", {"remind": remind}
            )
        return value


class DigestConfig(_Model):
    channel: ChannelId | None = None
    schedule: Annotated[Schedule, BeforeValidator(_schedule)] = Field(
        default_factory=lambda: Schedule.parse("mon 09:00")
    )
    manager_dms: Annotated[bool, Strict()] = True


class AlertsConfig(_Model):
    negative_review_rating: Annotated[float, Strict(), Field(ge=1, le=5)] = 2


class QualityConfig(_Model):
    timezone: Annotated[str, AfterValidator(_timezone)] = "UTC"
    admins: tuple[UserId, ...] = ()
    privacy: PrivacyConfig = PrivacyConfig()
    surveys: SurveysConfig = SurveysConfig()
    digest: DigestConfig = DigestConfig()
    alerts: AlertsConfig = AlertsConfig()
    departments: tuple[DepartmentConfig, ...] = Field(min_length=1)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def department(self, slug: str) -> DepartmentConfig | None:
        return next((d for d in self.departments if d.slug == slug), None)

    @field_validator("departments")
    @classmethod
    def _no_conflicts(cls, value: tuple[DepartmentConfig, ...]) -> tuple[DepartmentConfig, ...]:
        # The loader reports each conflict at its own key; this guards models built in code.
        conflict = next(_department_conflicts([d.model_dump() for d in value]), None)
        if conflict:
            raise PydanticCustomError(_CONFLICT, conflict[1])
        return value


def _department_conflicts(departments: object) -> Iterator[tuple[Loc, str]]:
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


def read_quality_config(path: Path) -> QualityConfig:
    """Read and validate the YAML file; raises QualityConfigError with every issue found."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise QualityConfigError([("", "is not UTF-8 text")]) from None
    except OSError as error:
        raise QualityConfigError([("", f"could not be read: {error.strerror}")]) from None
    try:
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader subclass
    except _DuplicateKey as error:
        raise QualityConfigError([(f"line {error.line}", str(error))]) from None
    except yaml.MarkedYAMLError as error:
        mark, problem = error.problem_mark, error.problem
        # PyYAML's "<block end>" wording nearly always means lines that do not line up.
        hint = " (check the indentation)" if "<block" in str(problem) else ""
        if mark is None:
            raise QualityConfigError([("", f"invalid YAML: {problem}")]) from None
        reason = f"invalid YAML at column {mark.column + 1}: {problem}{hint}"
        raise QualityConfigError([(f"line {mark.line + 1}", reason)]) from None
    except yaml.YAMLError as error:
        raise QualityConfigError([("", f"invalid YAML: {error}")]) from None
    return parse_quality_config(data)


def parse_quality_config(data: object) -> QualityConfig:
    """Validate already-parsed YAML; raises QualityConfigError with every issue found."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise QualityConfigError([("", f"must be a mapping of settings, {_found(data)}")])
    issues = list(_department_conflicts(data.get("departments")))
    try:
        config = QualityConfig.model_validate(data)
    except ValidationError as error:
        issues += [(e["loc"], _reason(e)) for e in error.errors() if _reportable(e)]
    else:
        return config
    issues.sort(key=lambda issue: _rank(issue[0]))
    raise QualityConfigError([(format_key(loc), reason) for loc, reason in issues])


def _reportable(error: ErrorDetails) -> bool:
    if error["type"] == _CONFLICT:
        return False
    if error["type"] == "too_short":
        # Pydantic counts only the items that validated, so a list whose every item is wrong
        # would also be "too short"; those items already have their own errors.
        minimum: int = error.get("ctx", {})["min_length"]
        return len(error["input"]) < minimum
    return True


def format_key(loc: Loc) -> str:
    """("departments", 2, "slug") -> "departments[2].slug", the way people point into YAML."""
    key = ""
    for part in loc:
        key += f"[{part}]" if isinstance(part, int) else f".{part}" if key else part
    return key


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML silently keeps the last of two equal keys; a config file deserves an error."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        first_lines: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):
                continue
            line = key_node.start_mark.line + 1
            if key in first_lines:
                raise _DuplicateKey(
                    f"{key!r} is given twice (first on line {first_lines[key]})", line
                )
            first_lines[key] = line
        return super().construct_mapping(node, deep=deep)


class _DuplicateKey(Exception):
    def __init__(self, message: str, line: int) -> None:
        super().__init__(message)
        self.line = line


def _model_at(loc: Loc) -> type[BaseModel] | None:
    model: type[BaseModel] | None = QualityConfig
    for part in loc:
        if model is None or isinstance(part, int):
            continue
        field = model.model_fields.get(part)
        model = _model_of(field.annotation) if field else None
    return model


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if get_origin(annotation) is tuple:
        annotation = get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _rank(loc: Loc) -> tuple[tuple[int, str], ...]:
    """Sort keys as they are declared (and as the SPEC documents them), list items by index."""
    rank: list[tuple[int, str]] = []
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            rank.append((part, ""))
            continue
        model = _model_at(loc[:depth])
        fields = list(model.model_fields) if model else []
        rank.append((fields.index(part) if part in fields else len(fields), part))
    return tuple(rank)


_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "tuple_type": "a list",
    "model_type": "a mapping of keys",
}


def _reason(error: ErrorDetails) -> str:
    kind, value, loc = error["type"], error["input"], error["loc"]
    ctx = error.get("ctx", {})
    if kind == "missing":
        return "is required"
    if kind == "extra_forbidden":
        return _unknown_key(loc)
    if kind == "tuple_type" and isinstance(value, str):
        return f"must be a list, like [{value}]"
    if kind in _EXPECTED:
        return f"must be {_EXPECTED[kind]}, {_found(value)}"
    if kind == "greater_than_equal":
        return f"must be at least {_number(ctx['ge'])}, {_found(value)}"
    if kind == "less_than_equal":
        return f"must be at most {_number(ctx['le'])}, {_found(value)}"
    if kind == "too_short" and loc == ("departments",):
        return "must list at least one department"
    # Our own PydanticCustomErrors are already worded for people.
    return error["msg"]


def _unknown_key(loc: Loc) -> str:
    model = _model_at(loc[:-1])
    known = list(model.model_fields) if model else []
    close = difflib.get_close_matches(str(loc[-1]), known, n=1)
    if close:
        return f"is not a known key (did you mean {close[0]!r}?)"
    return f"is not a known key (expected one of: {', '.join(known)})"


def _found(value: object) -> str:
    if value is None:
        return "but it is empty"
    if isinstance(value, bool):
        return f"not {str(value).lower()}"
    if isinstance(value, dict):
        return "not a mapping"
    if isinstance(value, list | tuple):
        return "not a list"
    return f"not {value!r}"


def _number(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)
