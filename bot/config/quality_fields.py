"""The checked values `quality.yml` is built from: Slack IDs or names, slugs, reactions, zones,
schedules.

Each check raises a PydanticCustomError already worded for people, so the reader in
`bot.config.quality_yaml` can pass it on as it is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from collections.abc import Callable
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_SCHEDULE = re.compile(r"\s*([A-Za-z]+)\s+([01]?\d|2[0-3]):([0-5]\d)\s*")


class FrozenModel(BaseModel):
    """The base of every section of the file: immutable, and an unknown key is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def _fail(kind: str, message: str, value: object) -> PydanticCustomError:
    # The value goes through the context, not the template, so braces in it stay literal.
    return PydanticCustomError(kind, message, {"value": repr(value)})


# What people type for a Slack name: no spaces, and none of the characters that separate
# mentions (Slack's channel names are lowercase letters, digits, - and _; handles alike).
_NAME = r"[^\s#@,<>|]+"
_EMAIL = re.compile(r"[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+")


class Kind(StrEnum):
    """What a Slack name or id in quality.yml stands for."""

    CHANNEL = "channel"
    USER = "user"
    USERGROUP = "usergroup"


_IDS = {
    Kind.CHANNEL: re.compile(r"[CG][A-Z0-9]+"),
    Kind.USER: re.compile(r"[UW][A-Z0-9]+"),
    Kind.USERGROUP: re.compile(r"S[A-Z0-9]+"),
}
_NAMES = {
    Kind.CHANNEL: re.compile(f"#{_NAME}"),
    Kind.USER: re.compile(f"@{_NAME}|{_EMAIL.pattern}"),
    Kind.USERGROUP: re.compile(f"@{_NAME}"),
}
_SHAPES = {
    Kind.CHANNEL: "a Slack channel ID or #name (like C0123ABCD or '#it-help')",
    Kind.USER: "a Slack member ID, @name or email (like U0123ABCD, '@ines' or ines@acme.com)",
    Kind.USERGROUP: "a Slack user group ID or @handle (like S0123ABCD or '@it-team')",
}


def is_slack_id(kind: Kind, value: str) -> bool:
    return _IDS[kind].fullmatch(value) is not None


def _id_or_name(kind: Kind) -> Callable[[str], str]:
    def check(value: str) -> str:
        value = value.strip()
        if is_slack_id(kind, value):
            return value
        if _NAMES[kind].fullmatch(value):
            # Slack's names and emails are case-insensitive; lowercase is how it shows them.
            return value.lower()
        raise _fail(f"slack_{kind}", f"{{value}} is not {_SHAPES[kind]}", value)

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


# Where quality.yml names someone or something in Slack: an id, or a name resolved through Slack.
UserRef = Annotated[str, AfterValidator(_id_or_name(Kind.USER))]
ChannelRef = Annotated[str, AfterValidator(_id_or_name(Kind.CHANNEL))]
UsergroupRef = Annotated[str, AfterValidator(_id_or_name(Kind.USERGROUP))]
Slug = Annotated[str, AfterValidator(_slug)]
Text = Annotated[str, AfterValidator(_text)]
# Strict: YAML gives real numbers, so a quoted "3" or a `yes` is a mistake worth reporting.
PositiveInt = Annotated[int, Strict(), Field(ge=1)]
Reaction = Annotated[str, AfterValidator(_reaction)]
TimeZoneName = Annotated[str, AfterValidator(_timezone)]


class Schedule(FrozenModel):
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


# A Schedule as the file gives it: text such as "mon 09:00", or a Schedule built in code.
ScheduleText = Annotated[Schedule, BeforeValidator(_schedule)]
