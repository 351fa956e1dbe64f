"""Claims on Slack event ids: the first delivery of an event runs, its retries do not."""

from datetime import datetime, timedelta

from tortoise.exceptions import IntegrityError

from models.slack_event import ProcessedEvent

EVENT_ID_LENGTH = 64  # what ProcessedEvent.event_id holds


async def claim_event(event_id: str) -> bool:
    """True for the first delivery of `event_id`, across every instance sharing the database."""
    try:
        await ProcessedEvent.create(event_id=event_id)
    except IntegrityError:
        return False
    return True


async def release_event(event_id: str) -> None:
    """Give a claim back after its listener failed, so Slack's next retry can run it."""
    await ProcessedEvent.filter(event_id=event_id).delete()


async def prune_events(now: datetime, keep: timedelta = timedelta(days=1)) -> int:
    """Slack stops retrying an event after about five minutes; a day of ids is plenty."""
    return await ProcessedEvent.filter(received_at__lt=now - keep).delete()
