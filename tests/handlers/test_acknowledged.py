"""What Slack shows as done is stored: every answer, click and opt-out is committed before the
app acknowledges it, and when the database fails in the middle the person is told so and
nothing is stored half (the transaction is rolled back whole)."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from tortoise.exceptions import OperationalError

from models.survey import OPEN, AnswerMark, FollowUp, HeldAnswer, OptOut, Poll
from tests.conftest import Harness
from tests.handlers.poll_flows import click, sent_poll, submission


@pytest.fixture
def writes_fail(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The held answer's insert fails (a full disk, a lost connection) after the poll was
    closed and the person marked, in the same transaction."""

    async def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(HeldAnswer, "create", refuse)
    monkeypatch.setattr(OptOut, "get_or_create", refuse)
    yield


async def _nothing_stored(poll: Poll | None = None) -> None:
    assert await HeldAnswer.all().count() == 0
    assert await AnswerMark.all().count() == 0
    assert await FollowUp.all().count() == 0
    if poll is not None:
        assert (await Poll.get(id=poll.id)).status in OPEN  # still answerable


async def test_a_modal_the_database_fails_stays_open_and_says_so(
    harness: Harness, writes_fail: None
) -> None:
    poll, _ = await sent_poll(harness)
    resp = await harness.interact(
        submission(user="U0FIN0001", score="2", comment="Slow", poll=poll)
    )
    assert resp.status == 200
    body = await resp.json()  # not an empty ack: Slack keeps the modal open
    assert body == {
        "response_action": "errors",
        "errors": {"score": "Couldn't save your answer — please try again."},
    }
    await _nothing_stored(poll)


async def test_a_rating_by_hand_the_database_fails_is_not_taken(
    harness: Harness, writes_fail: None
) -> None:
    resp = await harness.interact(submission(user="U0FIN0001", score="4", department="it"))
    assert (await resp.json())["response_action"] == "errors"
    await _nothing_stored()


async def test_a_click_the_database_fails_gets_a_note_and_the_poll_stays(
    harness: Harness, writes_fail: None
) -> None:
    poll, _ = await sent_poll(harness)
    url = harness.slack.response_url()
    resp = await harness.interact(click(poll, 4, response_url=url))
    assert resp.status == 200
    [note] = await harness.slack.wait_for_response(url)
    assert note["response_type"] == "ephemeral" and note["replace_original"] is False
    assert note["text"].startswith("Couldn't save your answer")
    await _nothing_stored(poll)
    assert harness.slack.calls_to("chat.update") == []  # the poll's buttons stay


async def test_an_opt_out_the_database_fails_is_not_confirmed(
    harness: Harness, writes_fail: None
) -> None:
    resp = await harness.command("optout", user_id="U0FIN0001")
    answer: dict[str, Any] = await resp.json()
    assert answer["text"].startswith("Couldn't save that") and "nobody" not in json.dumps(answer)
    assert not await OptOut.exists(user_id="U0FIN0001")


async def test_the_time_from_arrival_to_commit_is_measured_for_each_answer(
    harness: Harness,
) -> None:
    poll, _ = await sent_poll(harness)
    await harness.interact(click(poll, 4, response_url=harness.slack.response_url()))
    await harness.interact(submission(user="U0EMP0001", score="3", department="finance"))
    await harness.interact(submission(user="U0EMP0001", score="3", department="finance"))  # refused
    metrics = await (await harness.client.get("/metrics")).text()
    assert 'quality_answer_commit_seconds_count{kind="click"} 1.0' in metrics
    assert 'quality_answer_commit_seconds_count{kind="modal"} 1.0' in metrics
