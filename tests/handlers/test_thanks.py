"""Recognition: after a 4 or 5, "Thank IT" posts a thanks to IT's team channel — signed if the
person chooses, else anonymous and posted with the day's batch — once per answer, so once per
person, department and week; escaped like every text a person wrote; erased with its signer.
The clock says Wednesday 2026-11-18, 09:00 UTC (10:00 in Berlin)."""

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.privacy.erasure import forget
from bot.privacy.stored import what_we_store
from bot.slack_standin import SlackStandIn
from models.erasure import MessageToDelete
from models.survey import Thanks
from tests.conftest import QUALITY_YML, Harness, make_settings, start_harness
from tests.handlers.poll_flows import SERVED_TS, click, sent_poll
from tests.support import FakeClock, block_action, message_text, view_submission

RATER, TEAM = "U0FIN0001", "C0ITKUDOS"
THANKS_YML = QUALITY_YML.replace(
    "    alert_channel: C0ITTEAM1\n", f"    alert_channel: C0ITTEAM1\n    team_channel: {TEAM}\n"
).replace("    members: [U0FIN0001]\n", "    members: [U0FIN0001]\n    team_channel: C0FINTEAM\n")
# Slack's markup characters, a mention typed as text, and a line break.
WORDS = "Fixed in <10 min & kept me posted, thanks <@U0IT00002>!\nBest team"


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn, clock: FakeClock) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack, quality_yml=THANKS_YML), slack, clock)
    slack.add_message("C0ITHELP1", SERVED_TS, user=RATER, text="My VPN drops every hour")
    yield h
    await h.client.close()


async def thank_button(harness: Harness, score: int = 5) -> dict[str, Any] | None:
    """Score the poll; the thanks offer's button, if it came."""
    poll, _ = await sent_poll(harness)
    url = harness.slack.response_url()
    await harness.interact(click(poll, score, response_url=url))
    await harness.slack.wait_for_response(url)
    await harness.slack.wait_for("chat.postEphemeral", count=2 if score >= 4 else 1)
    for offer in harness.slack.workspace.ephemerals:
        for block in offer["blocks"]:
            for element in block.get("elements", []):
                if element.get("action_id") == "thank_department":
                    return {**element, "channel": offer["channel"]}
    return None


async def opened_modal(harness: Harness, button: dict[str, Any]) -> dict[str, Any]:
    container = {"type": "message", "channel_id": button["channel"], "is_ephemeral": True}
    await harness.interact(
        block_action(RATER, "thank_department", value=button["value"], container=container)
    )
    [opened] = await harness.slack.wait_for("views.open")
    view: dict[str, Any] = opened.params["view"]
    return view


def sent(view: dict[str, Any], words: str = "", *, sign: bool = False) -> dict[str, Any]:
    values = {
        "thanks_comment": {"thanks_comment": {"type": "plain_text_input", "value": words or None}},
        "thanks_sign": {
            "thanks_sign": {
                "type": "checkboxes",
                "selected_options": [{"value": "Sign it with my name"}] if sign else [],
            }
        },
    }
    return view_submission(
        RATER, "thank_department", values, private_metadata=view["private_metadata"]
    )


async def posted(harness: Harness) -> list[dict[str, Any]]:
    """The posts to the team channel, once one is there."""
    await harness.slack.wait_for("chat.postMessage", where=lambda c: c.params["channel"] == TEAM)
    return posts(harness)


def posts(harness: Harness) -> list[dict[str, Any]]:
    return [
        c.params for c in harness.slack.calls_to("chat.postMessage") if c.params["channel"] == TEAM
    ]


async def test_a_low_score_is_not_offered_a_thanks(harness: Harness) -> None:
    assert await thank_button(harness, score=2) is None


async def test_a_signed_thanks_is_posted_at_once_escaped_and_only_once(harness: Harness) -> None:
    button = await thank_button(harness)
    assert button is not None and button["text"]["text"] == "Thank IT"
    view = await opened_modal(harness, button)
    resp = await harness.interact(sent(view, WORDS, sign=True))
    assert resp.status == 200 and await resp.text() == ""
    await harness.services.thanks.step()  # or the loop its signing woke
    [post] = await posted(harness)
    assert post["text"] == (
        f":tada: <@{RATER}> says thank you, IT!"
        "\n>Fixed in &lt;10 min &amp; kept me posted, thanks &lt;@U0IT00002&gt;!\n>Best team"
    )
    # The same answer's button again: refused in the modal, nothing posted.
    resp = await harness.interact(sent(view, "again", sign=True))
    refused = await resp.json()
    assert refused["response_action"] == "errors"
    assert "already" in refused["errors"]["thanks_comment"]
    await harness.services.thanks.step()
    assert len(posts(harness)) == 1
    assert await Thanks.all().count() == 1


async def test_an_anonymous_thanks_waits_for_the_days_batch_and_names_no_one(
    harness: Harness, clock: FakeClock
) -> None:
    button = await thank_button(harness)
    assert button is not None
    resp = await harness.interact(sent(await opened_modal(harness, button), "Great help"))
    assert resp.status == 200
    [stored] = await Thanks.all()
    assert stored.signed_by is None
    # 16:00 in Berlin, the day's batch: at least two hours after 10:00.
    assert stored.post_after == datetime(2026, 11, 18, 15, 0, tzinfo=UTC)
    await harness.services.thanks.step()
    assert posts(harness) == []
    clock.advance(hours=6)
    assert await harness.services.thanks.step() == 1
    [post] = posts(harness)
    assert post["text"] == ":tada: Someone you served says thank you, IT!\n>Great help"
    assert RATER not in json.dumps(post) and RATER not in json.dumps(
        await Thanks.all().values(), default=str
    )


async def test_given_late_in_the_afternoon_it_waits_for_the_next_day(
    harness: Harness, clock: FakeClock
) -> None:
    clock.advance(hours=5)  # 15:00 in Berlin: today's batch is under two hours away
    assert harness.services.thanks.next_batch(clock()) == datetime(2026, 11, 19, 15, tzinfo=UTC)


async def test_a_day_of_anonymous_thanks_is_written_again_shuffled_before_posting(
    harness: Harness, clock: FakeClock
) -> None:
    thanks = harness.services.thanks
    for n in range(5):
        given = await thanks.give(f"{n:032x}", "it", "2026-W47", comment=f"n{n}", signed_by=None)
        assert given.value == "given"
    before = {str(row.id) for row in await Thanks.all()}
    clock.advance(hours=6)
    assert await thanks.step() == 5
    rows = await Thanks.all()
    assert before.isdisjoint(str(row.id) for row in rows)  # new ids: not the order given
    assert sorted(row.comment or "" for row in rows) == [f"n{n}" for n in range(5)]
    assert len(posts(harness)) == 5


async def test_erasing_the_signer_deletes_their_thanks_and_its_post(harness: Harness) -> None:
    button = await thank_button(harness)
    assert button is not None
    await harness.interact(sent(await opened_modal(harness, button), "Thanks!", sign=True))
    await harness.services.thanks.step()  # or the loop its signing woke
    [post] = await posted(harness)
    stored = await what_we_store(harness.services.quality.current, RATER)
    assert [d.slug for d in stored.signed_thanks] == ["it"]  # /quality privacy says so
    erased = await forget(RATER, actor="U0ADMIN01", now=harness.services.clock())
    assert erased.thanks == 1
    assert not await Thanks.exists()
    assert await MessageToDelete.filter(channel=TEAM).count() == 1
    assert post["channel"] == TEAM


async def test_the_digest_celebrates_thanks_from_k_people_only(
    harness: Harness, clock: FakeClock
) -> None:
    thanks = harness.services.thanks
    for n in range(3):  # k = 3 people thanked IT in 2026-W46
        await thanks.give(f"{n:032x}", "it", "2026-W46", comment=None, signed_by=None)
    for n in range(2):  # two thanked Finance: under k
        await thanks.give(f"{n + 10:032x}", "finance", "2026-W46", comment=None, signed_by=None)
    resp = await harness.command("digest", user_id="U0ADMIN01")
    assert resp.status == 200
    [body] = await harness.slack.wait_for_response()
    digest = message_text(body)
    assert await Thanks.filter(department__slug="finance").count() == 2
    assert "• Thanked by colleagues: IT 3 times" in digest
    assert "Finance 2" not in digest


async def test_a_thanks_whose_answer_was_lost_is_found_in_the_channel_not_posted_twice(
    harness: Harness, slack: SlackStandIn, clock: FakeClock
) -> None:
    thanks = harness.services.thanks
    await harness.services.tasks.drain(grace=5)  # the test takes the steps
    harness.services.client.timeout = 1
    given = await thanks.give("f" * 32, "it", "2026-W47", comment="Thanks!", signed_by=RATER)
    assert given.value == "given"
    slack.lose_answer("chat.postMessage", 2)  # Slack posts it; its answer never arrives in time
    assert await thanks.step() == 0
    assert len(posts(harness)) == 1  # out in the channel, and the row still says "sending"
    clock.advance(minutes=6)  # the claim is stale: looked for before anything is posted again
    assert await thanks.step() == 1
    assert len(posts(harness)) == 1
    [row] = await Thanks.all()
    assert (row.status, row.channel) == ("sent", TEAM) and row.ts
