"""ISO weeks in the configured time zone: what a rating keeps instead of a timestamp."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo


def iso_week(moment: datetime, tz: ZoneInfo) -> str:
    year, week, _ = moment.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def week_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """Monday 00:00 of `moment`'s week in `tz`, expressed in UTC: SQLite compares stored
    datetimes as text, so a bound with another offset would compare wrongly."""
    local = moment.astimezone(tz)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=tz).astimezone(UTC)
