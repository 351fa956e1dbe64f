from datetime import UTC, datetime, timedelta

from bot.slack.dedup import claim_event, prune_events, release_event
from models.slack_event import ProcessedEvent
from tests.conftest import Harness


async def test_claims_are_pruned_after_a_day(harness: Harness) -> None:
    assert await claim_event("Ev-old")
    assert await claim_event("Ev-new")
    await ProcessedEvent.filter(event_id="Ev-old").update(
        received_at=datetime.now(UTC) - timedelta(days=2)
    )
    assert await prune_events(datetime.now(UTC)) == 1
    assert not await claim_event("Ev-new")  # still remembered
    assert await claim_event("Ev-old")  # forgotten, so claimable again


async def test_a_released_claim_can_be_taken_again(harness: Harness) -> None:
    assert await claim_event("Ev-1")
    assert not await claim_event("Ev-1")
    await release_event("Ev-1")
    assert await claim_event("Ev-1")
