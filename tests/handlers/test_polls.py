"""Rating polls end to end: a served request in Slack → one DM → one click → one anonymous
rating; and every rule around it (membership, retries, double clicks, reminders, expiry,
opt-out, consent)."""

import json
from pathlib import Path
from typing import Any

import pytest

from bot.slack_standin import SlackStandIn
from models.survey import (
    ANSWERED,
    EXPIRED,
    QUEUED,
    REMINDED,
    SENT,
    SKIPPED,
    FollowUp,
    OptOut,
    Poll,
    Rating,
)
from tests.conftest import Harness, make_settings, start_harness
from tests.handlers.poll_flows import (
    SERVED_TS,
    click,
    held,
    polls_settled,
    reaction,
    released,
    sent_poll,
    submission,
)
from tests.support import FakeClock, eventually, until


async def test_a_served_request_gets_one_poll_and_one_click_one_rating(harness: Harness) -> None:
    poll, params = await sent_poll(harness)
    assert poll.user_id == "U0FIN0001" and poll.department.slug == "it"
    assert poll.status == SENT and poll.summary == "My VPN drops every hour"
    # The DM: names the department and the request, one plain privacy line, five alike
    # buttons 1..5 in one actions block, then a way to comment.
    assert params["channel"] == "U0FIN0001"
    blocks = params["blocks"]
    text = json.dumps(blocks)
    assert "IT" in text and "My VPN drops every hour" in text
    assert "Stored without your name" in text
    [scores] = [b for b in blocks if b["type"] == "actions" and len(b["elements"]) == 5]
    assert [e["action_id"] for e in scores["elements"]] == [f"poll_score_{i}" for i in range(1, 6)]
    assert all("style" not in e for e in scores["elements"])
    assert any(
        e["action_id"] == "poll_comment"
        for b in blocks
        if b["type"] == "actions"
        for e in b["elements"]
    )

    response_url = harness.slack.response_url()
    resp = await harness.interact(click(poll, 4, response_url=response_url))
    assert resp.status == 200
    [thanks] = await harness.slack.wait_for_response(response_url)
    assert thanks["replace_original"] is True
    assert thanks["text"] == "Thank you — your answer about IT is in."  # never the score
    # Committed before the ack, held until enough others answered or the week ends.
    [answer] = await held(harness)
    assert (answer.department.slug, answer.rater_department, answer.score) == ("it", "finance", 4)
    assert (await Poll.get(id=poll.id)).status == ANSWERED
    [rating] = await released(harness)
    assert (rating.department.slug, rating.score, rating.week) == ("it", 4, "2026-W47")
    # Alone, its rater department would name the one person from Finance who answered.
    assert rating.rater_department == "unknown"
    assert await held(harness) == []


async def test_a_double_click_gives_one_rating_and_a_kind_note(harness: Harness) -> None:
    poll, _ = await sent_poll(harness)
    first, second = harness.slack.response_url(), harness.slack.response_url()
    await harness.interact(click(poll, 5, response_url=first))
    await harness.interact(click(poll, 1, response_url=second))
    await harness.slack.wait_for_response(first)
    [note] = await harness.slack.wait_for_response(second)
    assert note["response_type"] == "ephemeral" and note["replace_original"] is False
    assert "already been answered or has closed" in note["text"]
    assert [a.score for a in await held(harness)] == [5]


async def test_someone_elses_poll_cannot_be_answered(harness: Harness) -> None:
    poll, _ = await sent_poll(harness)
    url = harness.slack.response_url()
    await harness.interact(click(poll, 1, user="U0EMP0009", response_url=url))
    await harness.slack.wait_for_response(url)
    assert await Rating.all().count() == 0


async def test_retries_second_reactions_and_second_members_add_nothing(harness: Harness) -> None:
    await harness.event(reaction(), event_id="EvA")
    await harness.event(reaction(), event_id="EvA", retry_num=1)
    await harness.event(reaction(reactor="U0IT00002"), event_id="EvB")  # another IT member
    await harness.event(reaction(reaction="heavy_check_mark"), event_id="EvC")
    await eventually(lambda: bool(harness.slack.calls_to("chat.postMessage")))
    polls = await polls_settled(harness)
    assert len(polls) == 1
    assert len(harness.slack.calls_to("chat.postMessage")) == 1


@pytest.mark.parametrize(
    "event",
    [
        reaction(reactor="U0EMP0005"),  # not a member of IT: cannot say IT served someone
        reaction(author="U0IT00002"),  # IT helping IT: not a served request
        reaction(author="U0IT00001"),  # reacting to one's own message
        reaction(author=None),  # no author (a bot's or system message)
        reaction(reaction="eyes"),  # not a resolved reaction
        reaction(
            item={"type": "message", "channel": "C0RANDOM1", "ts": SERVED_TS}
        ),  # not a service channel
        reaction(item={"type": "file", "file": "F0FILE001"}),
    ],
)
async def test_reactions_that_serve_no_one_ask_no_one(
    harness: Harness, event: dict[str, Any]
) -> None:
    resp = await harness.event(event, event_id="EvNo")
    assert resp.status == 200
    await harness.services.polls.step()
    assert await Poll.all().count() == 0
    assert harness.slack.calls_to("chat.postMessage") == []


async def test_a_bots_message_and_a_deleted_message(harness: Harness, slack: SlackStandIn) -> None:
    slack.add_message(
        "C0ITHELP1", "1763456500.000200", user=None, text="deploy done", bot_id="B0CI"
    )
    await harness.event(
        reaction(item={"type": "message", "channel": "C0ITHELP1", "ts": "1763456500.000200"}),
        event_id="EvBot",
    )
    # A message that no longer exists: the poll still names nothing harmful.
    await harness.event(
        reaction(item={"type": "message", "channel": "C0ITHELP1", "ts": "1763456999.000900"}),
        event_id="EvGone",
    )
    # The listener looks the message up, then queues the poll, then wakes the sender.
    await until(lambda: Poll.filter(status=SENT).exists())
    polls = await polls_settled(harness)
    assert [(p.summary, p.status) for p in polls] == [("", SENT)]


async def test_reminded_once_then_expired(harness: Harness, clock: FakeClock) -> None:
    poll, _ = await sent_poll(harness)
    clock.advance(hours=23)
    await harness.services.polls.step()
    assert (await Poll.get(id=poll.id)).status == SENT
    clock.advance(hours=2)
    await harness.services.polls.step()
    await harness.services.polls.step()
    assert (await Poll.get(id=poll.id)).status == REMINDED
    reminders = harness.slack.calls_to("chat.postMessage")[1:]
    assert len(reminders) == 1 and "gentle reminder" in reminders[0].params["text"]
    clock.advance(hours=48)
    await harness.services.polls.step()
    assert (await Poll.get(id=poll.id)).status == EXPIRED
    [update] = harness.slack.calls_to("chat.update")
    assert "has closed" in update.params["text"]
    url = harness.slack.response_url()
    await harness.interact(click(poll, 3, response_url=url))
    [note] = await harness.slack.wait_for_response(url)
    assert "has closed" in note["text"] and await Rating.all().count() == 0


async def test_opted_out_people_are_never_asked(harness: Harness) -> None:
    resp = await harness.command("optout", user_id="U0FIN0001")
    assert "nobody will ask you" in (await resp.json())["text"]  # said once stored
    await harness.event(reaction(), event_id="EvOpt")
    await until(lambda: Poll.exists())
    polls = await polls_settled(harness)
    assert [(p.status, p.reason) for p in polls] == [(SKIPPED, "opted_out")]
    assert harness.slack.calls_to("chat.postMessage") == []
    resp = await harness.command("optin", user_id="U0FIN0001")
    assert "Welcome back" in (await resp.json())["text"]
    assert not await OptOut.exists(user_id="U0FIN0001")


async def test_a_comment_with_consent_reaches_the_alert_channel(harness: Harness) -> None:
    poll, _ = await sent_poll(harness)
    resp = await harness.interact(
        submission(
            user="U0FIN0001",
            score="2",
            comment="Slow, and the VPN still drops",
            consent=True,
            poll=poll,
        )
    )
    assert resp.status == 200
    await eventually(
        lambda: bool(
            harness.slack.calls_to(
                "chat.postMessage", where=lambda c: c.params["channel"] == "C0ITTEAM1"
            )
        )
    )
    [alert] = harness.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params["channel"] == "C0ITTEAM1"
    )
    assert (
        "<@U0FIN0001>" in alert.params["text"]
        and "Slow, and the VPN still drops" in alert.params["text"]
    )
    text = alert.params["text"]
    assert "2" not in text.replace("U0FIN0001", "")  # the signed post never carries the score
    # The score stays among the anonymous answers; the signed comment is not among them too.
    [answer] = await held(harness)
    assert answer.score == 2 and answer.comment is None
    [update] = await harness.slack.wait_for("chat.update")
    assert update.params["text"] == "Thank you — your answer about IT is in."


async def test_a_comment_without_consent_names_no_one_anywhere(harness: Harness) -> None:
    poll, _ = await sent_poll(harness)
    await harness.interact(
        submission(user="U0FIN0001", score="5", comment="Quick fix, thanks!", poll=poll)
    )
    await harness.slack.wait_for("chat.update")
    await harness.services.polls.step()
    assert await FollowUp.all().count() == 0
    posted = [c.params["channel"] for c in harness.slack.calls_to("chat.postMessage")]
    assert posted == ["U0FIN0001"]  # only the poll itself


async def test_the_modal_reports_errors_in_the_modal(harness: Harness) -> None:
    resp = await harness.interact(submission(user="U0FIN0001", score=None, department="it"))
    assert (await resp.json())["errors"] == {"score": "Choose a score from 1 to 5."}
    resp = await harness.interact(submission(user="U0IT00002", score="5", department="it"))
    assert "You are part of IT" in (await resp.json())["errors"]["department"]
    resp = await harness.interact(
        submission(user="U0EMP0001", score="3", department="finance", consent=True)
    )
    assert "no channel to follow up" in (await resp.json())["errors"]["consent"]


async def test_one_rating_by_hand_a_department_and_week(harness: Harness) -> None:
    resp = await harness.interact(submission(user="U0EMP0001", score="4", department="it"))
    assert resp.status == 200 and await resp.text() == ""
    await harness.slack.wait_for("chat.postMessage")
    assert [a.score for a in await held(harness)] == [4]
    resp = await harness.interact(submission(user="U0EMP0001", score="1", department="it"))
    assert "You rated IT this week already" in (await resp.json())["errors"]["department"]
    assert len(await held(harness)) == 1


async def test_quality_rate_opens_the_modal_and_knows_names(harness: Harness) -> None:
    resp = await harness.command("rate Finance", user_id="U0EMP0001")
    assert resp.status == 200
    [opened] = await harness.slack.wait_for("views.open")
    view = opened.params["view"]
    assert view["callback_id"] == "rate_department"
    [dept] = [b for b in view["blocks"] if b.get("block_id") == "department"]
    assert dept["element"]["initial_option"]["value"] == "finance"
    body = await (await harness.command("rate fnance", user_id="U0EMP0001")).json()
    assert "Did you mean `finance`?" in body["text"]


async def test_the_stored_rating_cannot_be_joined_back_to_a_person(harness: Harness) -> None:
    poll, _ = await sent_poll(harness)
    url = harness.slack.response_url()
    await harness.interact(click(poll, 3, response_url=url))
    await harness.slack.wait_for_response(url)
    [rating] = await released(harness)
    columns = set(Rating._meta.db_fields)
    assert columns == {
        "id",
        "department_id",
        "rater_department",
        "score",
        "comment",
        "reasons",
        "sentiment_label",
        "sentiment_polarity",
        "sentiment_language",
        "week",
    }
    answered = await Poll.get(id=poll.id)
    assert rating.id != poll.id and rating.id.version == 4  # random, so no order to line up
    assert answered.closed_at is None  # no answer time to line up with either
    assert "U0FIN0001" not in json.dumps(await Rating.all().values(), default=str)


async def test_500_triggers_drain_under_slacks_rate_limits(
    tmp_path: Path, clock: FakeClock
) -> None:
    from bot.surveys.requests import PollRequest, request_poll

    async with SlackStandIn(
        token="xoxb-test-token", enforce_rate_limits=True, time_scale=30
    ) as slack:
        h = await start_harness(make_settings(tmp_path, slack), slack, clock=clock)
        try:
            quality = h.services.quality.current
            for i in range(500):
                await request_poll(
                    PollRequest(
                        user_id=f"U0PPL{i:04d}",
                        department="it",
                        trigger="webhook",
                        trigger_key=f"t{i}",
                    ),
                    quality=quality,
                    now=clock(),
                )
            for _ in range(20):
                await h.services.polls.step()
                if not await Poll.filter(status=QUEUED).exists():
                    break
            assert await Poll.filter(status=SENT).count() == 500
            assert len({c.params["channel"] for c in slack.calls_to("chat.postMessage")}) == 500
            assert slack.responses_429 <= 25, f"{slack.responses_429} 429s: a storm"
        finally:
            await h.client.close()


async def test_a_rating_by_hand_answers_the_poll_waiting_about_that_department(
    harness: Harness,
) -> None:
    poll, _ = await sent_poll(harness)
    resp = await harness.interact(submission(user="U0FIN0001", score="2", department="it"))
    assert resp.status == 200 and await resp.text() == ""
    assert (await Poll.get(id=poll.id)).status == ANSWERED
    assert [a.score for a in await held(harness)] == [2]
    # The poll's DM says it is answered; no second thank-you is posted.
    [update] = await harness.slack.wait_for("chat.update")
    assert update.params["ts"] == poll.message_ts
    assert [c.params["channel"] for c in harness.slack.calls_to("chat.postMessage")] == [
        "U0FIN0001"
    ]
