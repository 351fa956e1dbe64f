"""The checked values `quality.yml` is built from: Slack IDs, slugs, reactions, zones, schedules.

Each check raises a PydanticCustomError already worded for people, so the reader in
`bot.config.quality_yaml` can pass it on as it is.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import zoneinfo
from collections.abc import Callable
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
