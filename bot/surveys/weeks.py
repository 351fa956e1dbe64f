"""ISO weeks in the configured time zone: what a rating keeps instead of a timestamp."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo


def iso_week(moment: datetime, tz: ZoneInfo) -> str:
    year, week, _ = moment.astimezone(tz).isocalendar()
    return f"{year}-W{week:02d}"


def week_start(moment: datetime, tz: ZoneInfo) -> datetime:
    """Monday 00:00 of `moment`'s week, in `tz`, as an aware datetime."""
    local = moment.astimezone(tz)
    monday = (local - timedelta(days=local.weekday())).date()
    return datetime(monday.year, monday.month, monday.day, tzinfo=tz)
