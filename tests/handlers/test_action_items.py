"""Actions on what the figures show: recorded from `/quality action`, from "Act on this" in a
manager's digest DM and in App Home; updated with a note; only by the department's managers
and the admins; audited; shown in the digest, the report and App Home; and their owner reminded
once when they fall due. The clock says Wednesday 2026-11-18 (W47): W46 is the last complete."""

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from tortoise.exceptions import OperationalError

from bot.actions.announce import AnnouncementDelivery, announce
from bot.actions.reminders import ActionReminders
from bot.digest.compute import compute_week
from bot.people.roles import person
from bot.privacy.erasure import forget
from bot.privacy.erasure_texts import Contact
from bot.slack_standin import SlackStandIn
from bot.surveys.requests import spent_this_week
from bot.weeks import Week
from models.action import DONE, OPEN, Action, Announcement
from models.audit import ACTION, AuditEntry
from models.survey import OptOut, Poll
from tests.bot import digest_data as data
from tests.conftest import Harness, make_settings, start_harness
from tests.support import FakeClock, block_action, home_opened, message_text, view_submission

ADMIN, IT_MANAGER, IT_MEMBER, FIN_MANAGER, EMPLOYEE = (
    "U0ADMIN01", "U0IT00001", "U0IT00002", "U0FIN0001", "U0EMP0001",
)  # fmt: skip


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn, clock: FakeClock) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack), slack, clock=clock)
    yield h
    await h.client.close()


def record_values(what: str, owner: str, due: str, addresses: str = "") -> dict[str, Any]:
    return {
        "action_what": {"action_what": {"type": "plain_text_input", "value": what}},
        "action_addresses": {
            "action_addresses": {"type": "plain_text_input", "value": addresses or None}
        },
        "action_owner": {"action_owner": {"type": "users_select", "selected_user": owner}},
        "action_due": {"action_due": {"type": "datepicker", "selected_date": due}},
    }


async def opened_view(harness: Harness, n: int = 1) -> dict[str, Any]:
    opened = await harness.slack.wait_for("views.open", count=n)
    view: dict[str, Any] = opened[-1].params["view"]
    return view


async def submit(harness: Harness, user: str, view: dict[str, Any], values: dict[str, Any]) -> Any:
    payload = view_submission(
        user, view["callback_id"], values, private_metadata=view["private_metadata"]
    )
    resp = await harness.interact(payload)
    assert resp.status == 200
    body = await resp.text()
    return json.loads(body) if body else None


async def test_a_manager_records_an_action_with_the_command(harness: Harness) -> None:
    resp = await harness.command("action it", user_id=IT_MANAGER)
    assert resp.status == 200
    view = await opened_view(harness)
    assert view["callback_id"] == "action_record"
    [listed] = await harness.slack.wait_for_response()
    assert "IT has no open action." in message_text(listed)

    values = record_values("Swap the VPN gateway", IT_MEMBER, "2026-11-25", "VPN drops")
    assert await submit(harness, IT_MANAGER, view, values) is None
    [action] = await Action.all()
    assert (action.what, action.owner, action.due, action.status) == (
        "Swap the VPN gateway", IT_MEMBER, date(2026, 11, 25), OPEN,
    )  # fmt: skip
    assert (action.addresses, action.week, action.created_by) == (
        "VPN drops",
        "2026-W46",
        IT_MANAGER,
    )
    [entry] = await AuditEntry.filter(action=ACTION)
    assert (entry.actor, entry.subject, entry.detail) == (IT_MANAGER, "it", f"#{action.id} open")
    # The owner hears of it from the app.
    [told] = await harness.slack.wait_for(
        "chat.postMessage", where=lambda c: c.params["channel"] == IT_MEMBER
    )
    assert "made you its owner, due 25 Nov: *Swap the VPN gateway*" in told.params["text"]


@pytest.mark.parametrize(
    ("user", "said"),
    [
        (EMPLOYEE, "Sorry, only IT's managers and the admins record its actions."),
        (FIN_MANAGER, "Sorry, only IT's managers and the admins record its actions."),
    ],
)
async def test_only_its_managers_and_admins_act_for_a_department(
    harness: Harness, user: str, said: str
) -> None:
    body = await (await harness.command("action it", user_id=user)).json()
    assert body["text"] == said
    assert harness.slack.calls_to("views.open") == []


async def test_a_forged_submission_for_another_department_is_refused(harness: Harness) -> None:
    await harness.command("action finance", user_id=FIN_MANAGER)
    view = await opened_view(harness)
    meta = json.loads(view["private_metadata"])
    forged = {**view, "private_metadata": json.dumps({**meta, "department": "it"})}
    answer = await submit(
        harness, FIN_MANAGER, forged, record_values("x", FIN_MANAGER, "2026-11-30")
    )
    assert answer["response_action"] == "errors"
    assert not await Action.exists()


async def test_a_due_date_in_the_past_is_refused_beside_it(harness: Harness) -> None:
    await harness.command("action it", user_id=ADMIN)
    view = await opened_view(harness)
    answer = await submit(harness, ADMIN, view, record_values("x", ADMIN, "2026-11-17"))
    assert answer == {
        "response_action": "errors", "errors": {"action_due": "Choose today or a later day."}
    }  # fmt: skip


async def seed_attention() -> None:
    await data.ratings("it", "2026-W46", [1, 2, 2], rater="finance")  # 1.7: under 3


async def test_act_on_this_in_the_managers_digest_dm_opens_the_modal_on_that_finding(
    harness: Harness,
) -> None:
    await seed_attention()
    await harness.command("digest post", user_id=ADMIN)
    await harness.slack.wait_for_response()
    [dm] = harness.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params["channel"] == IT_MANAGER
    )
    button = next(
        b["accessory"] for b in dm.params["blocks"]
        if b.get("accessory", {}).get("action_id") == "action_record_open"
        and "under 3" in b["text"]["text"]
    )  # fmt: skip
    container = {"type": "message", "channel_id": "D0IT00001", "message_ts": "1.1"}
    await harness.interact(
        block_action(IT_MANAGER, "action_record_open", value=button["value"], container=container)
    )
    view = await opened_view(harness)
    meta = json.loads(view["private_metadata"])
    assert meta == {"department": "it", "week": "2026-W46"}
    [addresses] = [b for b in view["blocks"] if b.get("block_id") == "action_addresses"]
    assert addresses["element"]["initial_value"] == "internal average 1.7, under 3"
    # Someone who may not act on IT gets no modal from the same button.
    await harness.interact(
        block_action(EMPLOYEE, "action_record_open", value=button["value"], container=container)
    )
    await asyncio.sleep(0.1)
    assert len(harness.slack.calls_to("views.open")) == 1


async def test_app_home_offers_act_on_this_and_lists_open_actions_to_update(
    harness: Harness,
) -> None:
    await seed_attention()
    await data.action(
        "it", "Swap the VPN gateway", created=datetime(2026, 11, 10, tzinfo=UTC),
        due=date(2026, 11, 13),
    )  # fmt: skip
    await harness.event(home_opened(IT_MANAGER), event_id="EvHomeAct")
    [published] = await harness.slack.wait_for("views.publish")
    blocks = published.params["view"]["blocks"]
    home = json.dumps(blocks, ensure_ascii=False)
    assert "Act on what the figures show" in home and "Act on this" in home
    assert "Swap the VPN gateway" in home and "(overdue)" in home
    act = next(
        b["accessory"] for b in blocks
        if b.get("accessory", {}).get("action_id") == "action_record_open"
    )  # fmt: skip
    await harness.interact(block_action(IT_MANAGER, "action_record_open", value=act["value"]))
    view = await opened_view(harness)
    assert view["callback_id"] == "action_record"  # recorded from App Home, on that finding
    assert json.loads(view["private_metadata"]) == {"department": "it", "week": "2026-W46"}
    update = next(
        b["accessory"] for b in blocks
        if b.get("accessory", {}).get("action_id") == "action_update_open"
    )  # fmt: skip
    await harness.interact(block_action(IT_MANAGER, "action_update_open", value=update["value"]))
    view = await opened_view(harness, 2)
    assert view["callback_id"] == "action_update"
    values = {
        "action_status": {"action_status": {"type": "radio_buttons",
                                            "selected_option": {"value": "done"}}},
        "action_note": {"action_note": {"type": "plain_text_input", "value": "New gateway"}},
    }  # fmt: skip
    assert await submit(harness, IT_MANAGER, view, values) is None
    [action] = await Action.all()
    assert (action.status, action.note) == (DONE, "New gateway") and action.closed_at is not None
    [entry] = await AuditEntry.filter(action=ACTION)
    assert entry.detail == f"#{action.id} open → done"


async def test_the_digest_and_the_report_show_open_and_overdue_actions(harness: Harness) -> None:
    created = datetime(2026, 11, 10, tzinfo=UTC)
    await data.ratings("it", "2026-W46", [4, 4, 5], rater="finance")
    await data.action("it", "Swap the VPN gateway", created=created, due=date(2026, 11, 13))
    await data.action("it", "Train the helpdesk", created=created, due=date(2026, 12, 1))
    await harness.command("digest", user_id=ADMIN)
    [digest] = await harness.slack.wait_for_response()
    assert "Actions: 2 open, 1 overdue" in message_text(digest)
    await harness.command("report it 1", user_id=IT_MANAGER)
    [_, report] = await harness.slack.wait_for_response(count=2)
    assert "Actions: 2 open, 1 overdue" in message_text(report)


async def test_the_owner_is_reminded_once_when_it_falls_due(
    harness: Harness, clock: FakeClock
) -> None:
    await data.action(
        "it", "Swap the VPN gateway", created=clock(), due=date(2026, 11, 20)
    )  # owner: U0IT00001
    reminders = harness.services.action_reminders
    await harness.services.tasks.drain(grace=5)  # the test takes the steps
    assert await reminders.step() == 0  # Wednesday: not due yet
    clock.advance(days=2)  # Friday 10:00 in Berlin: due today
    # Two instances sharing the database: one reminder.
    other = ActionReminders(
        client=harness.services.client, quality=harness.services.quality.current,
        clock=clock, gate=harness.services.gate,
    )  # fmt: skip
    assert sorted(await asyncio.gather(reminders.step(), other.step())) == [0, 1]
    [dm] = harness.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params["channel"] == IT_MANAGER
    )
    assert "An action you own for IT is due on 20 Nov: Swap the VPN gateway" in dm.params["text"]
    clock.advance(days=1)
    assert await reminders.step() == 0


async def test_erasing_an_owner_leaves_the_action_naming_no_one(
    harness: Harness, clock: FakeClock
) -> None:
    await data.action(
        "it", "Call U0IT00001 back, mail it-boss@acme.example", created=clock(),
        due=date(2026, 11, 20),
    )  # fmt: skip
    erased = await forget(
        IT_MANAGER, actor=ADMIN, now=clock(), contact=Contact(email="it-boss@acme.example")
    )
    assert erased.actions == 2  # its owner, and who recorded it
    [action] = await Action.all()
    assert (action.owner, action.created_by) == (None, None)
    assert action.what == "Call [someone] back, mail [email]"


@pytest.mark.parametrize("since", [[4, 5], [4, 5, 5]])
async def test_a_done_action_is_measured_again_before_and_since(
    harness: Harness, since: list[int]
) -> None:
    # The finding: W44. Before = W41–W44, of which W43 and W44 reached k (W42's two did not):
    # 6 responses, (1+2+2 + 1+1+2) / 6 = 1.5, "slow" with all six low scores. Done in W45;
    # since = W46, the week reported: two answers (k-1) say nothing yet, three (k) say 4.67.
    slow = [["slow"]] * 3
    await data.ratings("it", "2026-W42", [1, 1], rater="finance")
    await data.ratings("it", "2026-W43", [1, 2, 2], rater="finance", reasons=slow)
    await data.ratings("it", "2026-W44", [1, 1, 2], rater="finance", reasons=slow)
    await data.ratings("it", "2026-W46", since, rater="finance")
    await data.action(
        "it", "Swap the VPN gateway", week="2026-W44", status="done",
        created=datetime(2026, 11, 2, 9, tzinfo=UTC), due=date(2026, 11, 6),
        closed=datetime(2026, 11, 4, 9, tzinfo=UTC),
    )  # fmt: skip
    digest = await compute_week(harness.services.quality.current, Week.parse("2026-W46"))
    it = digest.department("it")
    assert it is not None
    [done] = it.actions.to_json()["done"]
    before: dict[str, Any] = {"weeks": 4, "responses": 6, "average": 1.5, "top_low_reason": "slow"}
    if len(since) < 3:
        after: dict[str, Any] = {
            "weeks": 1,
            "responses": None,
            "average": None,
            "top_low_reason": None,
        }
        words = "not enough answers yet to compare"
    else:
        after = {"weeks": 1, "responses": 3, "average": 4.67, "top_low_reason": None}
        words = "colleagues 1.5 → 4.7 (6 → 3 responses); top low reason “slow” → none shown"
    assert done == {"id": 1, "what": "Swap the VPN gateway", "done_week": "2026-W45",
                    "before": before, "since": after}  # fmt: skip
    await harness.command("digest", user_id=ADMIN)
    [body] = await harness.slack.wait_for_response()
    assert f"Done: Swap the VPN gateway (done in 2026-W45): {words}" in message_text(body)


async def asked(user: str, slug: str, sent_at: datetime, status: str = "closed") -> None:
    await Poll.create(
        user_id=user, department=await data.dept(slug), trigger="webhook", status=status,
        created_at=sent_at, sent_at=sent_at,
    )  # fmt: skip


def done_and_told(note: str) -> dict[str, Any]:
    """The update modal's answer: done, with `note`, and both of "tell them" ticked."""
    return {
        "action_status": {"action_status": {"type": "radio_buttons",
                                            "selected_option": {"value": "done"}}},
        "action_note": {"action_note": {"type": "plain_text_input", "value": note}},
        "action_announce": {"action_announce": {"type": "checkboxes", "selected_options": [
            {"value": "asked"}, {"value": "team"}]}},
    }  # fmt: skip


async def test_you_said_we_did_reaches_exactly_the_people_asked_that_week_once(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    w46 = datetime(2026, 11, 11, 10, tzinfo=UTC)
    people = ["U0EMP0011", "U0EMP0012", "U0EMP0013", "U0EMP0014"]
    for user in [*people, "U0EMP0015", "U0EMP0016"]:
        slack.add_user(user, name=user.lower())
    for user in people:  # asked about IT in W46, whatever they did with it
        await asked(user, "it", w46)
    await asked("U0EMP0015", "it", datetime(2026, 11, 4, 10, tzinfo=UTC))  # W45: not those weeks
    await asked("U0EMP0016", "finance", w46)  # another department
    await OptOut.create(user_id="U0EMP0013")
    for _ in range(3):  # U0EMP0014 has had the week's three asks already
        await asked("U0EMP0014", "finance", clock(), status="sent")
    action_id = await data.action(
        "it", "Swap the VPN gateway", created=w46, due=date(2026, 11, 20), week="2026-W46"
    )
    await harness.services.tasks.drain(grace=5)  # the test takes the steps

    await harness.interact(block_action(IT_MANAGER, "action_update_open", value=str(action_id)))
    view = await opened_view(harness)
    [tell] = [b for b in view["blocks"] if b.get("block_id") == "action_announce"]
    labels = [o["text"]["text"] for o in tell["element"]["options"]]
    assert labels == [
        "DM the 4 people asked about IT in 2026-W46",
        "Post it in the team channel of IT",
    ]
    values = done_and_told("New gateway")
    assert await submit(harness, IT_MANAGER, view, values) is None
    assert await harness.services.announcements.step() == 3  # two DMs and the team post
    dms = [c.params for c in slack.calls_to("chat.postMessage") if c.params["channel"] in people]
    assert sorted(d["channel"] for d in dms) == ["U0EMP0011", "U0EMP0012"]
    assert "You said, we did — IT: Swap the VPN gateway" in dms[0]["text"]
    skipped = dict(await Announcement.filter(status="skipped").values_list("user_id", "reason"))
    assert skipped == {"U0EMP0013": "opted_out", "U0EMP0014": "over_budget"}
    [post] = [c.params for c in slack.calls_to("chat.postMessage")
              if c.params["channel"] == "C0ITTEAM1"]  # fmt: skip
    assert "New gateway" in message_text(post)
    # Never twice: another step, and the same announcement asked for again.
    assert await harness.services.announcements.step() == 0
    await submit(harness, IT_MANAGER, view, values)
    assert await harness.services.announcements.step() == 0
    assert await Announcement.all().count() == 4
    # A DM sent counts in the person's weekly budget.
    assert await spent_this_week("U0EMP0011", quality=harness.services.quality.current,
                                 now=clock()) == 1  # fmt: skip


async def test_only_a_done_action_is_announced(harness: Harness) -> None:
    action_id = await data.action(
        "it", "Swap the VPN gateway", created=datetime(2026, 11, 11, tzinfo=UTC),
        due=date(2026, 11, 20),
    )  # fmt: skip
    await harness.interact(block_action(IT_MANAGER, "action_update_open", value=str(action_id)))
    view = await opened_view(harness)
    values = {
        "action_status": {"action_status": {"type": "radio_buttons",
                                            "selected_option": {"value": "open"}}},
        "action_announce": {"action_announce": {"type": "checkboxes",
                                                "selected_options": [{"value": "team"}]}},
    }  # fmt: skip
    answer = await submit(harness, IT_MANAGER, view, values)
    assert answer["errors"] == {"action_announce": "Only a done action."}


async def test_an_update_whose_announcement_fails_is_not_saved_either(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    action_id = await data.action(
        "it", "Swap the VPN gateway", created=datetime(2026, 11, 11, tzinfo=UTC),
        due=date(2026, 11, 20), week="2026-W46",
    )  # fmt: skip
    await harness.interact(block_action(IT_MANAGER, "action_update_open", value=str(action_id)))
    view = await opened_view(harness)
    values = done_and_told("New gateway")

    async def database_gone(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("the database went away")

    monkeypatch.setattr(Announcement, "bulk_create", database_gone)
    answer = await submit(harness, IT_MANAGER, view, values)
    assert answer["errors"] == {
        "action_status": "Couldn't save that — please try again in a moment."
    }
    action = await Action.get(id=action_id)
    assert (action.status, action.note, action.announced_at, action.team_post) == (
        OPEN,
        "",
        None,
        "",
    )
    assert not await AuditEntry.filter(action=ACTION, detail__contains="done").exists()

    monkeypatch.undo()  # the database is back: the same submission stores both
    assert await submit(harness, IT_MANAGER, view, values) is None
    action = await Action.get(id=action_id)
    assert action.status == DONE
    assert action.announced_at is not None and action.team_post  # queued, or sent already


async def test_two_instances_send_each_announcement_once(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    people = [f"U0EMP00{n}" for n in range(20, 26)]
    w46 = datetime(2026, 11, 11, 10, tzinfo=UTC)
    for user in people:
        slack.add_user(user, name=user.lower())
        await asked(user, "it", w46)
    action_id = await data.action(
        "it", "Swap the VPN gateway", created=w46, due=date(2026, 11, 20), week="2026-W46",
        status="done", closed=clock(),
    )  # fmt: skip
    await harness.services.tasks.drain(grace=5)
    quality = harness.services.quality.current
    manager = person(quality, IT_MANAGER)
    assert await announce(manager, action_id, dm=True, team=True, quality=quality, now=clock()) == 6
    assert await announce(manager, action_id, dm=True, team=True, quality=quality, now=clock()) == 0
    other = AnnouncementDelivery(
        client=harness.services.client, quality=quality, clock=clock, gate=harness.services.gate
    )
    sent = await asyncio.gather(harness.services.announcements.step(), other.step())
    assert sum(sent) == 7  # six DMs and one team post, between them
    dms = [c.params["channel"] for c in slack.calls_to("chat.postMessage")
           if c.params["channel"] in people]  # fmt: skip
    assert sorted(dms) == people
    team = slack.calls_to("chat.postMessage", where=lambda c: c.params["channel"] == "C0ITTEAM1")
    assert len(team) == 1
