"""The anonymity promise, attacked as the independent review attacked it: through the real app,
as an employee, as a manager of the rated department, and as someone who reads the database
— its system columns, its row order, and two reads a moment apart."""

import asyncio
import json
from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise

from bot.digest.compute import compute_week
from bot.privacy.export import export_rows
from models.survey import (
    CLOSED,
    SKIPPED,
    AnswerMark,
    FollowUp,
    HeldAnswer,
    Poll,
    PollTally,
    Rating,
)
from tests.conftest import Harness
from tests.database import on_postgres, system_rows
from tests.handlers.company import (
    FINANCE,
    IT_MANAGER,
    OUTSIDERS,
    SALES,
    answer,
    ask,
    company,
    end_week,
    rate_by_hand,
)
from tests.support import FakeClock

__all__ = ["company"]


async def test_once_the_week_closes_nothing_ties_a_rating_to_a_poll_or_a_moment(
    company: Harness, clock: FakeClock
) -> None:
    h = company
    given: list[str] = []  # the comments, in the order they were given
    seen = [0]  # ratings a reader finds after each answer

    async def read_between() -> None:
        await h.services.release.step()  # the app's loop, as it runs between answers
        seen.append(await Rating.all().count())

    people = [*SALES, *FINANCE]
    for number, user in enumerate(people):
        assert await ask(h, user, "it", f"REQ-{number}") is not None
    assert await ask(h, OUTSIDERS[0], "it", "REQ-unanswered") is not None
    for number, user in enumerate(people):
        comment = f"comment {number} from a colleague"
        await answer(h, user, "it", 1 + number % 5, comment=comment)
        given.append(comment)
        await read_between()
    for user in OUTSIDERS[1:]:
        comment = f"comment {len(given)} typed by hand"
        assert await rate_by_hand(h, user, "it", 4, comment) == {}
        given.append(comment)
        await read_between()

    # Two reads a moment apart never show one new rating: answers appear k or more at a time.
    assert all(b - a == 0 or b - a >= 3 for a, b in pairwise(seen)), seen
    week = await end_week(h, clock)

    ratings = await system_rows("rating", "comment", "rater_department", "week")
    assert sorted(r["comment"] for r in ratings) == sorted(given)
    # The row order a reader of the file sees is not the order the answers came in.
    assert [r["comment"] for r in ratings] not in (given, given[::-1])
    # Rater departments that would single someone out are stored generalised: Finance's two
    # and the two raters of no department are one group of four, "unknown".
    assert Counter(r["rater_department"] for r in ratings) == {"sales": 5, "unknown": 4}
    # Answered and expired polls are the same closed row, with no time that tells them apart.
    polls = await Poll.filter(department__slug="it").values(
        "user_id", "status", "reminded_at", "closed_at"
    )
    assert len(polls) == 8 and {p["status"] for p in polls} == {CLOSED}
    assert {(p["reminded_at"], p["closed_at"]) for p in polls} == {(None, None)}
    assert not await Poll.filter(trigger__in=("manual", "shortcut")).exists()
    assert await AnswerMark.all().count() == 0 and await HeldAnswer.all().count() == 0
    # What remains of who answered is a count.
    assert await PollTally.filter(week=week.label).values_list("sent", "answered") == [(8, 7)]
    if on_postgres():
        # The whole week's ratings were written in one transaction, shared with no row that
        # names anyone: the review's `JOIN … ON p.xmin = r.xmin` finds nobody.
        assert len({r["xmin"] for r in ratings}) == 1
        named = set()
        for table in ("poll", "follow_up", "answer_mark", "opt_out", "membership"):
            named |= {r["xmin"] for r in await system_rows(table, "user_id")}
        assert not named & {r["xmin"] for r in ratings}
        assert len({r["xmin"] for r in await system_rows("poll", "user_id")}) == 1


async def test_a_person_rates_a_department_once_a_week_however_they_try(
    company: Harness, clock: FakeClock
) -> None:
    h = company
    sam = OUTSIDERS[0]
    assert await ask(h, sam, "it", "MON") is not None
    clock.advance(days=2)
    assert await ask(h, sam, "it", "WED") is None  # no second poll about IT this week
    [skipped] = await Poll.filter(trigger_key="webhook:WED")
    assert (skipped.status, skipped.reason) == (SKIPPED, "rated_this_week")
    await answer(h, sam, "it", 2)
    # By hand afterwards, and twice at once from two devices: refused, and one answer stands.
    refusal = await rate_by_hand(h, sam, "it", 1)
    assert "You rated IT this week already" in refusal["errors"]["department"]
    kim = OUTSIDERS[1]
    both = await asyncio.gather(rate_by_hand(h, kim, "it", 5), rate_by_hand(h, kim, "it", 5))
    assert {} in both and any("errors" in b for b in both)
    assert sorted(a.score for a in await HeldAnswer.all()) == [2, 5]
    # Next week they may rate again.
    await end_week(h, clock)
    assert await rate_by_hand(h, kim, "it", 3) == {}


async def test_a_manager_never_rates_their_own_department(company: Harness) -> None:
    refusal = await rate_by_hand(company, IT_MANAGER, "it", 5)
    assert "You are part of IT" in refusal["errors"]["department"]
    assert await ask(company, IT_MANAGER, "it", "BOSS-1") is None
    [poll] = await Poll.filter(trigger_key="webhook:BOSS-1")
    assert poll.reason == "own_department"
    # Rating another department, the manager counts as one of IT's people.
    assert await rate_by_hand(company, IT_MANAGER, "finance", 4) == {}
    [held] = await HeldAnswer.all()
    assert held.rater_department == "it"


async def test_the_digest_leaves_nothing_to_subtract(company: Harness, clock: FakeClock) -> None:
    # The review's case: four ratings of IT, three from Sales and one from Finance. Shown beside
    # IT's total, Sales' cell would leave Finance's one rating to be worked out, and the DM
    # quoted that person's comment with its score.
    h = company
    for number, (user, score) in enumerate(
        [(SALES[0], 4), (SALES[1], 5), (SALES[2], 4), (FINANCE[1], 1)]
    ):
        await ask(h, user, "it", f"SUB-{number}")
        comment = "The VPN broke the day before my board meeting" if score == 1 else None
        await answer(h, user, "it", score, comment=comment)
    week = await end_week(h, clock)
    await h.services.digest.post(week)
    dm = json.dumps(h.slack.posted(h.slack.dm_channel(IT_MANAGER))[-1])
    assert "4 responses" in dm and "Average 3.5" in dm
    assert "Sales:" not in dm and "Finance:" not in dm  # no cell: its rest would be one person
    assert "board meeting" in dm  # the comment is quoted…
    assert "rated 1" not in dm and "1★" not in dm  # …never with its score
    digest = await compute_week(h.services.quality.current, week)
    assert digest.to_json()["matrix"] == []


async def test_signed_answers_leave_no_one_else_derivable(
    company: Harness, clock: FakeClock
) -> None:
    # Two of three raters ask to be contacted: their names and comments go to IT. Neither
    # their scores nor a comment of the third can then be worked out.
    h = company
    signed = {SALES[0]: (1, "Call me about the printer"), SALES[1]: (5, "Happy to help test")}
    for number, user in enumerate(SALES[:3]):
        await ask(h, user, "it", f"SIGN-{number}")
    for user, (score, comment) in signed.items():
        await answer(h, user, "it", score, comment=comment, consent=True)
    await answer(h, SALES[2], "it", 3, comment="Nobody told me the ticket was closed")
    await h.services.polls.step()
    # The app's own delivery loop may be posting one of them at the same moment: wait for both.
    await h.slack.wait_for(
        "chat.postMessage", 2, where=lambda c: c.params.get("channel") == "C0ITTEAM1"
    )
    posts = [m["text"] for m in h.slack.posted("C0ITTEAM1")]
    assert len(posts) == 2
    for text in posts:
        assert any(f"<@{user}>" in text for user in signed)
        assert not any(digit in text.split(">", 1)[1] for digit in "12345")  # no score
    # The signed comments are not among the anonymous answers, and no answer row says whose.
    assert sorted(a.comment or "" for a in await HeldAnswer.all()) == [
        "",
        "",
        "Nobody told me the ticket was closed",
    ]
    weeks = await FollowUp.all().values_list("week", flat=True)
    assert {str(week) for week in weeks} == {"2026-W47"}
    week = await end_week(h, clock)
    await h.services.digest.post(week)
    dm = json.dumps(h.slack.posted(h.slack.dm_channel(IT_MANAGER))[-1])
    # Three answered, two signed: the unsigned comment would be the third person's.
    assert "ticket was closed" not in dm
    assert "Comment tone no data" in dm


async def test_the_preview_and_the_export_cannot_be_differenced(
    company: Harness, clock: FakeClock
) -> None:
    h = company
    for number, user in enumerate(SALES[:3]):
        await ask(h, user, "it", f"EARLY-{number}")
        await answer(h, user, "it", 4)
    clock.now = datetime(2026, 11, 22, 18, 0, tzinfo=UTC)  # Sunday evening in Berlin
    for number, user in enumerate(SALES[3:]):
        await ask(h, user, "it", f"LATE-{number}")
    await rate_by_hand(h, OUTSIDERS[0], "finance", 2)  # Finance: one rating, under k
    week = await end_week(h, clock)
    quality = h.services.quality.current
    before = (await compute_week(quality, week)).department("it")
    # Someone answers Sunday's poll on Monday: last week's figures do not move, so two
    # previews a day apart cannot tell that one person answered late.
    await answer(h, SALES[3], "it", 1)
    await h.services.release.step()
    after = (await compute_week(quality, week)).department("it")
    assert before is not None and after is not None
    assert before.internal == after.internal
    assert (after.internal.polls_sent, after.internal.polls_answered) == (5, 3)
    # An export cannot tell Finance's hidden week from Sales' empty one.
    clock.advance(days=7)
    hidden = await export_rows(quality, ["finance"], 2, clock())
    empty = await export_rows(quality, ["sales"], 2, clock())
    assert hidden.rows == empty.rows == ()
    assert hidden.summary() == empty.summary()
