"""Closing the loop in the demo: an action done weeks ago, measured again in the digest; Lars
acting on what his DM says; Bruno marking Facilities' action done and telling the people who
were asked about it ("you said, we did")."""

import asyncio
import textwrap
from collections.abc import Mapping
from datetime import time, timedelta
from typing import Any

from bot.demo.clock import DemoClock, local
from bot.demo.player import Player
from bot.demo.screen import Screen
from bot.slack_standin import SlackStandIn
from models.action import DONE, QUEUED, SENDING, SENT, Action, Announcement
from models.department import Department

WAIT = 15.0
LARS, INES, BRUNO = "U0LOG0001", "U0IT00001", "U0FAC0001"
FACILITIES_ALERTS = "C0FACTEAM"


async def seed_actions(clock: DemoClock) -> None:
    """Written with the history: IT's loaner laptops, done three weeks ago (so the digest
    measures it again), and Facilities' open action on its falling rating."""
    weeks = clock.week.back(8)
    it = await Department.get(slug="it")
    facilities = await Department.get(slug="facilities")
    finding, done = weeks[2], weeks[4]
    await Action.create(
        department=it, what="Loaner laptops at the help desk while repairs take more than a day",
        addresses="internal rating down", week=finding.label, owner=INES, created_by=INES,
        created_at=local(finding.next, 0, time(10), clock.tz),
        due=done.monday + timedelta(days=4), status=DONE,
        note="Six loaners on the shelf by the help desk.",
        closed_at=local(done, 3, time(15), clock.tz),
    )  # fmt: skip
    previous = weeks[-2]
    await Action.create(
        department=facilities, what="Fix the heating in building B2 before the cold week",
        addresses="internal rating down", week=previous.label, owner=BRUNO, created_by=BRUNO,
        created_at=local(clock.week, 0, time(10), clock.tz),
        due=clock.week.monday + timedelta(days=4),
    )  # fmt: skip


def _say(text: str) -> None:
    print(textwrap.fill(text, 96, initial_indent="  ", subsequent_indent="      "))


def _button(message: Mapping[str, Any], action_id: str) -> dict[str, Any]:
    for block in message.get("blocks") or []:
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == action_id:
            return {**accessory, "block_id": block.get("block_id", "")}
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "")}
    raise LookupError(action_id)


async def close_the_loop(
    player: Player, slack: SlackStandIn, screen: Screen, clock: DemoClock, dm: Mapping[str, Any]
) -> None:
    """After the digest: Lars acts on his DM's first finding; Bruno's action is done."""
    print("\n── Closing the loop " + "─" * 57)
    trigger = await player.press(LARS, _button(dm, "action_record_open"))
    [opened] = await slack.wait_for(
        "views.open", 1, WAIT, where=lambda c: c.params.get("trigger_id") == trigger
    )
    screen.show("Lars clicks “Act on this” beside his first finding", opened.params["view"])
    due = (clock().astimezone(clock.tz) + timedelta(days=11)).date()
    values: dict[str, Any] = {
        "action_what": {"action_what": {"type": "plain_text_input",
                                        "value": "A second courier for afternoon orders"}},
        "action_owner": {"action_owner": {"type": "users_select", "selected_user": LARS}},
        "action_due": {"action_due": {"type": "datepicker", "selected_date": due.isoformat()}},
    }  # fmt: skip
    reply = await player.submit(LARS, opened.response["view"], values)
    assert not reply, reply
    _say(
        f"Lars records it, owned by himself and due {due:%a} {due.day} {due:%b}: it is in the "
        "audit log, the next digest, `/quality report` and App Home list it open, and Lars is "
        "reminded by DM on the morning it falls due."
    )

    facilities = await Action.get(department__slug="facilities")
    trigger = await player.press(BRUNO, {"action_id": "action_update_open", "type": "button",
                                         "value": str(facilities.id)})  # fmt: skip
    [opened] = await slack.wait_for(
        "views.open", 1, WAIT, where=lambda c: c.params.get("trigger_id") == trigger
    )
    screen.show("Bruno (Facilities) marks his action done", opened.params["view"])
    values = {
        "action_status": {"action_status": {"type": "radio_buttons",
                                            "selected_option": {"value": "done"}}},
        "action_note": {"action_note": {"type": "plain_text_input",
                                        "value": "New valves in B2; 21 °C measured Friday."}},
        "action_announce": {"action_announce": {"type": "checkboxes",
                                                "selected_options": [{"value": "asked"}]}},
    }  # fmt: skip
    reply = await player.submit(BRUNO, opened.response["view"], values)
    assert not reply, reply
    sent = await _told(facilities.id)
    first = next(
        m for m in slack.calls_to("chat.postMessage")
        if (m.params.get("metadata") or {}).get("event_type") == "quality_action_announced"
    )  # fmt: skip
    screen.show("…and everyone asked about Facilities that week gets a DM", first.params)
    _say(
        f"“You said, we did” went to {sent} people asked about Facilities in {facilities.week} "
        "(from the polls sent, never from the ratings: it says nothing about what anyone "
        "answered), once each, within their weekly budget."
    )
    await _resolve_the_case(player, slack, screen)


async def _resolve_the_case(player: Player, slack: SlackStandIn, screen: Screen) -> None:
    """The comment signed earlier in the week is a case in Facilities' alert channel."""
    case = next(
        c.params for c in slack.calls_to("chat.postMessage")
        if c.params.get("channel") == FACILITIES_ALERTS and "case_claim" in str(c.params)
    )  # fmt: skip
    screen.show("#facilities-team got the signed comment as a case", case)
    await player.press(BRUNO, _button(case, "case_claim"))
    await slack.wait_for("chat.update", 1, WAIT, where=lambda c: "Claimed by" in str(c.params))
    trigger = await player.press(BRUNO, _button(case, "case_resolve"))
    [opened] = await slack.wait_for(
        "views.open", 1, WAIT, where=lambda c: c.params.get("trigger_id") == trigger
    )
    values = {
        "case_resolution": {
            "case_resolution": {
                "type": "plain_text_input",
                "value": "Called back; the valves in B2 are replaced.",
            }
        }
    }
    reply = await player.submit(BRUNO, opened.response["view"], values)
    assert not reply, reply
    [resolved] = await slack.wait_for(
        "chat.update", 1, WAIT, where=lambda c: "Resolved by" in str(c.params)
    )
    screen.show("Bruno claims it, then resolves it with what was done", resolved.params)


async def _told(action_id: int) -> int:
    """Wait until the announcement outbox has dealt with every DM; how many were sent."""
    waiting = Announcement.filter(action_id=action_id, status__in=(QUEUED, SENDING))
    for _ in range(int(WAIT / 0.05)):
        if await Announcement.filter(action_id=action_id).exists() and not await waiting.exists():
            break
        await asyncio.sleep(0.05)
    return await Announcement.filter(action_id=action_id, status=SENT).count()
