"""When quality-bot was installed: the weekly digest posts no week that ended before it."""

from datetime import datetime

from models.installation import ONLY, Installation


async def installed_at(now: datetime) -> datetime:
    """The moment of installation. The first call on a new database records `now` (every entry
    point calls it at start, bot/runtime/startup.py); a database upgraded with history already holds
    the moment of its earliest record (models/migrations/0007_installation.py). Instances
    starting at once agree: get_or_create reads the row another one inserted first."""
    row, _ = await Installation.get_or_create(id=ONLY, defaults={"installed_at": now})
    return row.installed_at
