"""The demo's clock: it plays the last complete week, so that its digest is the one the real
`quality-bot digest` would compute today.

The app runs on a clock set back to that week's Friday morning (local time), which then
ticks with real time; for the digest it jumps to the next Monday morning, when the week is over.
Only the app's idea of "now" moves: Slack's request signatures and the webhooks' timestamps are
checked against the real time, which is what the player signs with.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.weeks import Week

FRIDAY = 4
MORNING = time(10, 0)


@dataclass
class DemoClock:
    """Callable as the app's `clock`. `week` is the week the demo plays (and digests)."""

    week: Week
    tz: ZoneInfo
    offset: timedelta  # added to the real time

    @classmethod
    def last_complete_week(cls, tz: ZoneInfo, real_now: datetime | None = None) -> "DemoClock":
        real_now = real_now or datetime.now(UTC)
        week = Week.last_complete(real_now, tz)
        return cls(week=week, tz=tz, offset=local(week, FRIDAY, MORNING, tz) - real_now)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def jump_to(self, moment: datetime) -> None:
        """Go on from `moment` (the app's clock only)."""
        self.offset = moment - datetime.now(UTC)

    def at(self, weekday: int, hour: int, minute: int = 0) -> datetime:
        """A moment of the demo week, local `hour:minute` of `weekday` (0 is Monday), in UTC."""
        return local(self.week, weekday, time(hour, minute), self.tz)


def local(week: Week, weekday: int, at: time, tz: ZoneInfo) -> datetime:
    day = week.monday + timedelta(days=weekday)
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)
