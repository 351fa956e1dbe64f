"""Driving rating polls as Slack would: reactions, clicks and modal submissions."""

import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models.survey import SENT, HeldAnswer, Poll, Rating
from tests.conftest import Harness, make_settings, start_harness
from tests.support import FakeClock, block_action, until, view_submission

SERVED_TS = "1763456400.000100"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn, clock: FakeClock) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack), slack, clock=clock)
    # Finance's member asks IT for help in IT's service channel.
    slack.add_message("C0ITHELP1", SERVED_TS, user="U0FIN0001", text="My VPN drops every hour")
    yield h
    await h.client.close()


def reaction(
    reactor: str = "U0IT00001", author: str | None = "U0FIN0001", **overrides: Any
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "type": "reaction_added",
        "user": reactor,
        "reaction": "white_check_mark",
        "item": {"type": "message", "channel": "C0ITHELP1", "ts": SERVED_TS},
        "event_ts": f"{time.time():.6f}",
    }
    if author is not None:
        event["item_user"] = author
    event.update(overrides)
    return event


async def polls_settled(h: Harness) -> list[Poll]:
    await h.services.polls.step()
    return await Poll.all().prefetch_related("department")


async def held(h: Harness) -> list[HeldAnswer]:
    """The answers committed and not yet released into the ratings."""
    return await HeldAnswer.all().prefetch_related("department")


async def released(h: Harness) -> list[Rating]:
    """The ratings once the week on the app's clock is closed, as if it had ended."""
    await h.services.release.close_week(Week.of(h.services.clock(), h.services.quality.current.tz))
    return await Rating.all().prefetch_related("department")


async def sent_poll(h: Harness) -> tuple[Poll, dict[str, Any]]:
    await h.event(reaction(), event_id="EvServed1")
    await until(lambda: Poll.filter(status=SENT).exists())
    [poll] = await Poll.all().prefetch_related("department")
    [call] = h.slack.calls_to("chat.postMessage")
    return poll, call.params


def click(
    poll: Poll, score: int, user: str = "U0FIN0001", response_url: str = ""
) -> dict[str, Any]:
    """A score pressed in the poll's DM."""
    container = {"type": "message", "channel_id": poll.channel, "message_ts": poll.message_ts}
    return block_action(
        user,
        f"poll_score_{score}",
        value=str(poll.id),
        block_id=f"poll_scores:{poll.id}",
        container=container,
        response_url=response_url,
    )


def submission(
    *,
    user: str,
    score: str | None,
    comment: str = "",
    consent: bool = False,
    poll: Poll | None = None,
    department: str | None = None,
) -> dict[str, Any]:
    """The rating modal submitted: a score, maybe a comment and consent, and the department
    when the person chose it (a rating by hand)."""
    values: dict[str, Any] = {
        "score": {
            "score": {
                "type": "radio_buttons",
                "selected_option": {"value": score} if score else None,
            }
        },
        "comment": {"comment": {"type": "plain_text_input", "value": comment or None}},
        "consent": {
            "consent": {
                "type": "checkboxes",
                "selected_options": [{"value": "yes"}] if consent else [],
            }
        },
    }
    if department is not None:
        values["department"] = {
            "department": {"type": "static_select", "selected_option": {"value": department}}
        }
    metadata = json.dumps({"poll": str(poll.id) if poll else None, "trigger": "manual"})
    return view_submission(user, "rate_department", values, private_metadata=metadata)
