"""ISO weeks in the configured time zone: what ratings and reviews keep, what a digest covers."""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"(\d{4})-W(\d{2})")


def iso_week(moment: datetime, tz: ZoneInfo) -> str:
    year, week, _ = moment.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def week_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """Monday 00:00 of `moment`'s week in `tz`, expressed in UTC: SQLite compares stored
    datetimes as text, so a bound with another offset would compare wrongly."""
    local = moment.astimezone(tz)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=tz).astimezone(UTC)


@dataclass(frozen=True, order=True)
class Week:
    """One ISO week, Monday to Sunday, as a label such as 2026-W47."""

    monday: date

    @classmethod
    def parse(cls, label: str) -> "Week":
        match = _WEEK.fullmatch(label)
        if not match:
            raise ValueError(f"{label!r} is not an ISO week such as 2026-W47")
        try:
            return cls(date.fromisocalendar(int(match[1]), int(match[2]), 1))
        except ValueError:
            raise ValueError(f"{label!r}: {match[1]} has no week {int(match[2])}") from None

    @classmethod
    def of(cls, moment: datetime, tz: ZoneInfo) -> "Week":
        local = moment.astimezone(tz).date()
        return cls(local - timedelta(days=local.weekday()))

    @classmethod
    def last_complete(cls, now: datetime, tz: ZoneInfo) -> "Week":
        return cls.of(now, tz).previous

    @property
    def label(self) -> str:
        year, week, _ = self.monday.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def sunday(self) -> date:
        return self.monday + timedelta(days=6)

    @property
    def previous(self) -> "Week":
        return Week(self.monday - timedelta(days=7))

    @property
    def next(self) -> "Week":
        return Week(self.monday + timedelta(days=7))

    def back(self, count: int) -> list["Week"]:
        """The `count` weeks ending with this one, oldest first."""
        return [Week(self.monday - timedelta(days=7 * n)) for n in range(count - 1, -1, -1)]

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[Monday 00:00, next Monday 00:00) in `tz`, in UTC (a DST week is 167 or 169 hours)."""
        return _midnight(self.monday, tz), _midnight(self.next.monday, tz)

    def __str__(self) -> str:
        return self.label


def _midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
