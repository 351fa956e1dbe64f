"""Signed follow-ups arrive in the alert channel as cases — every one, whatever its score, so a
case tells no score — claimed and resolved by the department's people, nudged when nobody
claims one in time, and timed in the digest under k."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.digest.compute import compute_week
from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models.survey import FollowUp
from tests.bot import digest_data as data
from tests.conftest import Harness, make_settings, start_harness
from tests.handlers.poll_flows import submission
from tests.support import FakeClock, block_action, message_text, until, view_submission

ALERTS, IT_MEMBER, EMPLOYEE = "C0ITTEAM1", "U0IT00002", "U0EMP0001"


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn, clock: FakeClock) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack), slack, clock=clock)
    yield h
    await h.client.close()


async def signed(harness: Harness, score: str, user: str = EMPLOYEE) -> dict[str, Any]:
    resp = await harness.interact(
        submission(user=user, score=score, comment="Call me", consent=True, department="it")
    )
    assert resp.status == 200
    posts = await harness.slack.wait_for(
        "chat.postMessage", where=lambda c: c.params["channel"] == ALERTS
    )
    return posts[-1].params


def button(message: dict[str, Any], action_id: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return dict(element)
    raise LookupError(action_id)


@pytest.mark.parametrize("score", ["1", "5"])
async def test_every_signed_follow_up_is_a_case_whatever_its_score(
    harness: Harness, score: str
) -> None:
    post = await signed(harness, score)
    assert button(post, "case_claim")["text"]["text"] == "Claim"
    assert button(post, "case_resolve")["text"]["text"] == "Resolve…"
    said = json.dumps(post)
    assert f"poll_score_{score}" not in said and "low score" not in said


async def test_a_case_is_claimed_once_by_the_departments_people_and_resolved(
    harness: Harness,
) -> None:
    post = await signed(harness, "2")
    claim = button(post, "case_claim")
    container = {"type": "message", "channel_id": ALERTS, "message_ts": "1.1"}
    # Someone outside IT cannot claim it.
    await harness.interact(block_action(EMPLOYEE, "case_claim", value=claim["value"],
                                        container=container))  # fmt: skip
    await harness.interact(block_action(IT_MEMBER, "case_claim", value=claim["value"],
                                        container=container))  # fmt: skip
    [case] = await FollowUp.all()
    assert case.claimed_by == IT_MEMBER and case.claimed_at is not None
    [updated] = await harness.slack.wait_for("chat.update")
    assert f"Claimed by <@{IT_MEMBER}>" in message_text(updated.params)

    resolve = button(updated.params, "case_resolve")
    await harness.interact(block_action(IT_MEMBER, "case_resolve", value=resolve["value"],
                                        container=container))  # fmt: skip
    [opened] = await harness.slack.wait_for("views.open")
    view = opened.params["view"]
    values = {
        "case_resolution": {
            "case_resolution": {"type": "plain_text_input", "value": "Called back; new VPN profile"}
        }
    }
    resp = await harness.interact(view_submission(
        IT_MEMBER, "case_resolve", values, private_metadata=view["private_metadata"]
    ))  # fmt: skip
    assert resp.status == 200 and await resp.text() == ""
    case = await FollowUp.get(id=case.id)
    assert (case.resolved_by, case.resolution) == (IT_MEMBER, "Called back; new VPN profile")
    [_, resolved] = await harness.slack.wait_for("chat.update", count=2)
    assert "Resolved by" in message_text(resolved.params)
    assert "case_claim" not in json.dumps(resolved.params["blocks"])


async def test_an_unclaimed_case_is_nudged_once(harness: Harness, clock: FakeClock) -> None:
    await signed(harness, "1")

    async def recorded() -> bool:  # where it was posted, which the nudge replies to
        return await FollowUp.filter(ts__isnull=False).exists()

    await until(recorded)
    await harness.services.tasks.drain(grace=5)
    polls = harness.services.polls
    await polls.step()
    assert not harness.slack.calls_to("chat.postMessage", where=lambda c: "thread_ts" in c.params)
    clock.advance(hours=4, minutes=1)
    await polls.step()
    await polls.step()
    [nudge] = harness.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params.get("thread_ts") is not None
    )
    assert nudge.params["text"] == "Nobody has claimed this in 4 hours: can someone pick it up?"


@pytest.mark.parametrize("cases", [2, 3])
async def test_the_digest_times_cases_from_k_of_them(harness: Harness, cases: int) -> None:
    # W46: cases posted Monday 10:00; claimed after 1, 2 and 3 hours; the first two resolved
    # after 10 and 30 hours. Three (k) are shown: claimed in a median 2 h, resolved in 20 h,
    # 67% resolved; two are not.
    it = await data.dept("it")
    posted = datetime(2026, 11, 9, 9, tzinfo=UTC)
    for n in range(cases):
        await FollowUp.create(
            user_id=f"U0EMP00{n + 10}", department=it, comment=None, created_at=posted,
            week="2026-W46", posted=True, channel=ALERTS, ts=f"1.{n}", posted_at=posted,
            claimed_by=IT_MEMBER, claimed_at=posted + timedelta(hours=n + 1),
            resolved_by=IT_MEMBER if n < 2 else None,
            resolved_at=posted + timedelta(hours=(10, 30)[n]) if n < 2 else None,
        )  # fmt: skip
    digest = await compute_week(harness.services.quality.current, Week.parse("2026-W46"))
    it_week = digest.department("it")
    assert it_week is not None
    found = it_week.actions.cases.to_json()
    if cases < 3:
        assert found == {"cases": None, "claim_median_hours": None, "resolve_median_hours": None,
                         "resolved_share": None}  # fmt: skip
    else:
        assert found == {"cases": 3, "claim_median_hours": 2.0, "resolve_median_hours": 20.0,
                         "resolved_share": 0.67}  # fmt: skip
