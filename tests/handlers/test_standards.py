"""A department's standard — its promise, the average it aims for, how fast it resolves —
where its internal customers and managers meet it: the poll, `/quality departments`, the
report, App Home and the digest, which say whether the target was met, and nothing of the kind
when the average is hidden. The clock says Wednesday of 2026-W47: W46 is the last complete week."""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.slack_standin import SlackStandIn
from tests.bot import digest_data as data
from tests.conftest import QUALITY_YML, Harness, make_settings, start_harness
from tests.handlers.poll_flows import SERVED_TS, sent_poll
from tests.handlers.test_webhook_interactions import SECRET
from tests.support import FakeClock, home_opened, message_text

ADMIN, IT_MANAGER = "U0ADMIN01", "U0IT00001"
PROMISE = "Laptops fixed or swapped in <1 day & never lost"  # Slack's markup characters
SHOWN = "Laptops fixed or swapped in &lt;1 day &amp; never lost"  # as mrkdwn shows them

STANDARDS_YML = QUALITY_YML.replace(
    "    keywords: [laptop, vpn]\n",
    "    keywords: [laptop, vpn]\n"
    "    standard:\n"
    f"      promise: '{PROMISE}'\n"
    "      target: 4.2\n"
    "      resolve_within_hours: 8\n",
).replace(
    "    managers: [U0FIN0001]\n",
    "    managers: [U0FIN0001]\n    standard:\n      target: 4\n",
)


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn, clock: FakeClock) -> AsyncIterator[Harness]:
    settings = make_settings(
        tmp_path, slack, quality_yml=STANDARDS_YML, REVIEW_WEBHOOK_SECRET=SECRET
    )
    h = await start_harness(settings, slack, clock=clock)
    slack.add_message("C0ITHELP1", SERVED_TS, user="U0FIN0001", text="My VPN drops every hour")
    yield h
    await h.client.close()


async def answer(harness: Harness, text: str, user: str = "U0EMP0001", nth: int = 1) -> str:
    """`/quality text`, answered through response_url."""
    resp = await harness.command(text, user_id=user)
    assert resp.status == 200 and await resp.text() == ""
    answers = await harness.slack.wait_for_response(count=nth)
    return message_text(answers[-1])


async def test_the_poll_states_the_departments_promise(harness: Harness) -> None:
    _, dm = await sent_poll(harness)
    assert f"IT's promise: {SHOWN}" in message_text(dm)


async def test_departments_lists_each_standard(harness: Harness) -> None:
    listed = await answer(harness, "departments")
    assert f"Promise: “{SHOWN}” · aims for 4.2 / 5 · resolves requests within 8 h" in listed
    assert "Promise: aims for 4 / 5" in listed  # Finance states a target only


async def test_a_met_target_a_missed_one_and_a_hidden_one(harness: Harness) -> None:
    await data.ratings("it", "2026-W46", [5, 4, 4], rater="finance")  # 4.33: met
    await data.ratings("finance", "2026-W46", [1, 1], rater="it")  # two people: hidden
    digest = await answer(harness, "digest")
    assert "Standard: target 4.2 met" in digest
    assert "Standard: target 4: too few answers to say" in digest
    assert "missed" not in digest

    report = await answer(harness, "report it 1", nth=2)
    assert f"Standard: “{SHOWN}”; target 4.2 met; resolves requests within 8 h" in report
    report = await answer(harness, "report finance 1", nth=3)
    assert "Standard: target 4: too few answers to say" in report

    await data.ratings("it", "2026-W46", [1, 1, 1], rater="finance")  # 3.0 over the six
    assert "Standard: target 4.2 missed" in await answer(harness, "digest", nth=4)


async def test_a_manager_meets_the_standard_in_app_home_and_the_digest_dm(
    harness: Harness,
) -> None:
    await data.ratings("it", "2026-W46", [5, 4, 4], rater="finance")
    await harness.event(home_opened(IT_MANAGER), event_id="EvHomeStd")
    [published] = await harness.slack.wait_for("views.publish")
    home = json.dumps(published.params["view"]["blocks"], ensure_ascii=False)
    assert f"Promise: “{SHOWN}”" in home and "Standard: target 4.2 met" in home

    await harness.command("digest post", user_id=ADMIN)
    await harness.slack.wait_for_response()
    [dm] = harness.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params["channel"] == IT_MANAGER
    )
    assert "*Your standard*" in message_text(dm.params)
    assert f"“{SHOWN}”; target 4.2 met; resolves requests within 8 h" in message_text(dm.params)


async def test_the_digest_celebrates_targets_met_and_the_most_improved(harness: Harness) -> None:
    await data.ratings("it", "2026-W46", [5, 4, 4], rater="finance")  # 4.33, target 4.2
    await data.ratings("it", "2026-W45", [4, 4, 3], rater="finance")  # 3.67
    await data.ratings("finance", "2026-W46", [2, 2, 2], rater="it")  # 2.0, target 4
    await data.ratings("finance", "2026-W45", [1, 1, 1], rater="it")  # 1.0
    digest = await answer(harness, "digest")
    assert "*Celebrate*\n• Targets met: IT 4.33 (target 4.2)\n" in digest
    assert (
        "• Most improved: Finance, colleagues 1.0 → 2.0 (▲1.0); IT, colleagues 3.7 → 4.3 (▲0.7)"
        in digest
    )


async def test_nothing_hidden_is_celebrated(harness: Harness) -> None:
    await data.ratings("it", "2026-W46", [5, 5], rater="finance")  # two people: hidden
    await data.ratings("it", "2026-W45", [1, 1, 1], rater="finance")
    digest = await answer(harness, "digest")
    assert "Celebrate" not in digest
