"""App Home: a person's waiting polls, answerable there, and a way to rate."""

import json

from models.audit import AuditEntry
from models.department import Department
from models.survey import ANSWERED, SENT, Poll
from tests.bot import digest_data as data
from tests.conftest import Harness
from tests.handlers.poll_flows import held, sent_poll
from tests.support import block_action, eventually, home_opened


async def _click_in_home(harness: Harness, poll: Poll, score: int) -> None:
    """A score clicked in App Home (no response_url there), and Home published again."""
    answer = block_action(
        poll.user_id, f"poll_score_{score}", value=str(poll.id), block_id=f"poll_scores:{poll.id}"
    )
    published = len(harness.slack.calls_to("views.publish"))
    await harness.interact(answer)
    await eventually(lambda: len(harness.slack.calls_to("views.publish")) == published + 1)


async def test_home_shows_waiting_polls_and_answers_them_there(harness: Harness) -> None:
    poll, _ = await sent_poll(harness)
    await harness.event(home_opened("U0FIN0001"), event_id="EvHome1")
    [published] = await harness.slack.wait_for("views.publish")
    assert published.params["user_id"] == "U0FIN0001"
    view = published.params["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    text = json.dumps(view["blocks"])
    assert "Waiting for your answer" in text and "My VPN drops every hour" in text
    assert "home_rate" in text

    await _click_in_home(harness, poll, 5)
    assert (await Poll.get(id=poll.id)).status == ANSWERED
    assert [a.score for a in await held(harness)] == [5]
    [dm] = harness.slack.calls_to("chat.update")
    assert dm.params["text"] == "Thank you — your answer about IT is in."  # the DM says so too
    refreshed = json.dumps(harness.slack.calls_to("views.publish")[-1].params["view"])
    assert "No polls are waiting for you" in refreshed


async def test_home_for_someone_with_nothing_waiting(harness: Harness) -> None:
    await harness.event(home_opened("U0EMP0007"), event_id="EvHome2")
    [published] = await harness.slack.wait_for("views.publish")
    assert "No polls are waiting for you" in json.dumps(published.params["view"])


async def test_rate_button_opens_the_modal(harness: Harness) -> None:
    await harness.interact(block_action("U0EMP0001", "home_rate"))
    [opened] = await harness.slack.wait_for("views.open")
    assert opened.params["view"]["callback_id"] == "rate_department"


async def _seed_last_week() -> None:
    """W46, the last complete week on the fake clock (Wednesday of W47)."""
    await data.ratings(
        "it", "2026-W46", [2, 2, 3], rater="finance",
        sentiments=[("negative", -0.8)] * 3, comments=["The laptop swap took three weeks"] * 3,
    )  # fmt: skip
    await data.ratings(
        "finance", "2026-W46", [1, 2, 2], rater="it",
        sentiments=[("negative", -0.9)] * 3, comments=["Expenses vanish into a void"] * 3,
    )  # fmt: skip


async def _home(harness: Harness, user: str, event_id: str) -> str:
    await harness.event(home_opened(user), event_id=event_id)
    [published] = await harness.slack.wait_for("views.publish")
    view = published.params["view"]
    assert len(view["blocks"]) <= 100
    return json.dumps(view["blocks"])


async def test_a_manager_sees_their_department_and_its_concerns_only(harness: Harness) -> None:
    await _seed_last_week()
    home = await _home(harness, "U0IT00001", "EvHomeM")
    assert "Your departments" in home and "2026-W46" in home
    assert "The laptop swap took three weeks" in home
    assert "Expenses vanish" not in home and "Audit log" not in home
    [entry] = await AuditEntry.all()
    assert (entry.actor, entry.action, entry.subject) == ("U0IT00001", "view_comments", "it")


async def test_an_admin_sees_every_department_and_the_audit_log(harness: Harness) -> None:
    await _seed_last_week()
    home = await _home(harness, "U0ADMIN01", "EvHomeA")
    assert "The laptop swap took three weeks" in home and "Expenses vanish" in home
    assert "Audit log" in home
    assert await AuditEntry.filter(actor="U0ADMIN01").count() == 2


async def test_an_employee_sees_no_departments_detail(harness: Harness) -> None:
    await _seed_last_week()
    home = await _home(harness, "U0EMP0007", "EvHomeE")
    assert "Your departments" not in home and "laptop swap" not in home
    assert "You were asked 0 times in the last four weeks." in home
    assert await AuditEntry.all().count() == 0


async def test_a_group_under_the_threshold_shows_no_figure_and_no_comment(harness: Harness) -> None:
    await data.ratings(
        "finance", "2026-W46", [1, 1], rater="it",
        sentiments=[("negative", -0.9)] * 2, comments=["Two people only said this"] * 2,
    )  # fmt: skip
    home = await _home(harness, "U0ADMIN01", "EvHomeK")
    assert "Two people only said this" not in home
    assert "hidden (<3 responses)" in home and "1.0" not in home
    assert await AuditEntry.all().count() == 0  # no comments were shown


async def test_home_with_two_waiting_polls_is_taken_by_slack(harness: Harness) -> None:
    """Each poll's blocks carry ids of their own: Slack refuses a view that repeats one."""
    poll, _ = await sent_poll(harness)
    second = await Poll.create(
        user_id=poll.user_id, department=await Department.get(slug="finance"), trigger="webhook",
        trigger_key="REQ-2", summary="Expense claim paid", status=SENT, created_at=poll.created_at,
        sent_at=poll.sent_at, channel=poll.channel, message_ts="1763456400.000900",
    )  # fmt: skip
    await harness.event(home_opened("U0FIN0001"), event_id="EvHome3")
    [published] = await harness.slack.wait_for("views.publish")
    assert published.ok, published.response
    shown = json.dumps(harness.slack.home_views["U0FIN0001"]["blocks"])
    assert "My VPN drops every hour" in shown and "Expense claim paid" in shown
    # Both answerable from there: a click on the second answers the second.
    await _click_in_home(harness, second, 4)
    assert (await Poll.get(id=second.id)).status == ANSWERED
    assert (await Poll.get(id=poll.id)).status == SENT
