"""`/quality privacy` and `/quality forget @user` through /slack/events, signed as Slack signs."""

from datetime import UTC, datetime
from typing import Any

import pytest

from models.audit import ERASE, AuditEntry
from models.department import Department
from models.survey import EXPIRED, OptOut, Poll, Rating
from tests.conftest import Harness
from tests.handlers.poll_flows import sent_poll
from tests.support import message_text

ADMIN, IT_MANAGER, FIN, SAM = "U0ADMIN01", "U0IT00001", "U0FIN0001", "U0EMP0001"


async def _answer(harness: Harness, text: str, user: str) -> dict[str, Any]:
    """The ephemeral answer, whether it came with the ack or later through response_url."""
    harness.slack.reset()
    resp = await harness.command(text, user_id=user)
    assert resp.status == 200
    if await resp.text():
        body: dict[str, Any] = await resp.json()
    else:
        [body] = await harness.slack.wait_for_response()
    assert body["response_type"] == "ephemeral"
    return body


async def _sam_was_asked_and_opted_out(harness: Harness) -> None:
    await Poll.create(
        user_id=SAM,
        department=await Department.get(slug="finance"),
        trigger="webhook",
        trigger_key="JIRA-7",
        summary="Expense paid",
        status=EXPIRED,
        created_at=datetime(2026, 11, 10, 8, tzinfo=UTC),
    )
    await _answer(harness, "optout", SAM)


async def test_privacy_shows_what_is_stored_about_the_caller(harness: Harness) -> None:
    await sent_poll(harness)  # Finance's manager was asked about IT
    await _sam_was_asked_and_opted_out(harness)
    harness.slack.reset()
    resp = await harness.command("privacy", user_id=FIN)
    assert resp.status == 200 and await resp.text() == ""  # acked first, answered later
    [answer] = await harness.slack.wait_for_response()
    text = message_text(answer)
    assert "1 poll (1 waiting for your answer) about IT, since <!date^" in text
    assert "You belong to Finance (listed in quality.yml)" in text
    assert "You have not opted out" in text
    assert "You manage Finance" in text
    assert "only the department you rated, your department, the score, your comment" in text
    assert "groups of 3 or more" in text and "Groups under 3 answers are never shown" in text
    assert "ask an admin (<@U0ADMIN01>)" in text
    # Nothing of Sam's: not their poll about Finance, not their opt-out.
    assert "expired" not in text and SAM not in str(answer)


async def test_privacy_of_someone_else_shows_only_their_own(harness: Harness) -> None:
    await sent_poll(harness)
    await _sam_was_asked_and_opted_out(harness)
    text = message_text(await _answer(harness, "privacy", SAM))
    assert "1 poll (1 expired unanswered) about Finance, since <!date^" in text
    assert "|2026-11-10>" in text
    assert "You opted out on <!date^" in text
    assert "You belong to no department" in text
    assert "about IT" not in text  # that poll is Finance's manager's
    assert "You manage" not in text and FIN not in str(text)


async def test_privacy_takes_no_arguments(harness: Harness) -> None:
    answer = await _answer(harness, "privacy <@U0FIN0001|fin>", SAM)
    assert answer["text"].startswith("`/quality privacy` takes no arguments")


async def test_help_lists_privacy_for_everyone_and_forget_for_admins(harness: Harness) -> None:
    text = message_text(await _answer(harness, "help", SAM))
    assert "`/quality privacy` — what is stored about you, and who sees what" in text
    assert "`/quality forget @user` — erase everything stored about a person  _(admins)_" in text


async def test_forget_by_someone_not_an_admin_is_refused_and_deletes_nothing(
    harness: Harness,
) -> None:
    await _sam_was_asked_and_opted_out(harness)
    for user in (IT_MANAGER, SAM):
        answer = await _answer(harness, f"forget <@{SAM}|sam>", user)
        assert answer["text"].startswith("Only an admin can erase")
    assert await Poll.filter(user_id=SAM).count() == 1
    assert await OptOut.exists(user_id=SAM)
    assert not await AuditEntry.exists()


async def test_an_admin_forgets_a_mentioned_person(harness: Harness) -> None:
    await sent_poll(harness)
    await _sam_was_asked_and_opted_out(harness)
    await Rating.create(
        department=await Department.get(slug="finance"),
        rater_department="unknown",
        score=2,
        week="2026-W46",
    )
    answer = await _answer(harness, f"forget <@{SAM}|sam>", ADMIN)
    assert answer["text"] == f"Erased everything stored about <@{SAM}>: 1 poll, 1 opt-out."
    assert "Ratings they gave stay" in message_text(answer)
    assert not await Poll.filter(user_id=SAM).exists()
    assert not await OptOut.exists(user_id=SAM)
    assert await Poll.filter(user_id=FIN).count() == 1  # someone else's poll stays
    assert await Rating.all().count() == 1
    [entry] = await AuditEntry.filter(action=ERASE)
    assert (entry.actor, entry.subject, entry.detail) == (
        ADMIN, SAM,
        "polls=1 memberships=0 opt_outs=1 follow_ups=0 thanks=0 actions=0 "
        "announcements=0 marks=0 digest_dms=0 texts=0 messages=0 departments=0 names=0",
    )  # fmt: skip

    again = await _answer(harness, f"forget {SAM}", ADMIN)  # a bare id works too
    assert again["text"].startswith(f"Nothing was left to erase about <@{SAM}>")


async def test_forgetting_a_configured_manager_says_where_they_are_still_listed(
    harness: Harness,
) -> None:
    answer = await _answer(harness, f"forget <@{IT_MANAGER}>", ADMIN)
    assert answer["text"].startswith(f"Erased everything stored about <@{IT_MANAGER}>: ")
    assert (
        "Still listed in quality.yml as a member of it and a manager of it: remove them there, "
        "or the next start lists them again."
    ) in message_text(answer)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("forget", "Whom should I forget?"),
        ("forget @sam", "`@sam` arrived as plain text, not as a mention"),
        ("forget sam", "`sam` is not a person I can look up."),
        ("forget <@U0EMP0001|sam> <@U0FIN0001|fin>", "One person at a time, please."),
        ("forget <#C0ITHELP1|it-help>", "`&lt;#C0ITHELP1|it-help&gt;` is not a person"),
        ("forget <!channel>", "`&lt;!channel&gt;` is not a person"),
        ("forget u0emp0001", "`u0emp0001` is not a person"),
        ("forget U0EMP0001; DROP TABLE poll", "is not a person I can look up"),
        ("forget " + "x" * 5000, "`" + "x" * 40 + "…` is not a person"),
        ("forget <@U0EMP0001|" + "a" * 4000 + ">", "is not a person I can look up"),
        ("forget <@U0EMP0001|sam", "is not a person I can look up"),
    ],
)
async def test_a_bad_argument_gets_the_format_and_erases_nothing(
    harness: Harness, text: str, expected: str
) -> None:
    await _sam_was_asked_and_opted_out(harness)
    answer = await _answer(harness, text, ADMIN)
    assert expected in answer["text"]
    assert "Mention the person, like `/quality forget @sam`" in answer["text"]
    assert len(answer["text"]) < 600
    assert await Poll.filter(user_id=SAM).exists() and not await AuditEntry.exists()
