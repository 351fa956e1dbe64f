"""`/quality report`: figures for anyone, comments for the department's managers and admins, each
view of comments in the audit log, and nothing from a group under the threshold. The clock says
Wednesday of 2026-W47, so the last complete week is 2026-W46."""

import pytest

from bot.config import DepartmentConfig, QualityConfig
from handlers.subcommands.report import Request, parse_args
from models.audit import VIEW_COMMENTS, AuditEntry
from tests.bot import digest_data as data
from tests.conftest import Harness
from tests.support import message_text

ADMIN, IT_MANAGER, FINANCE_MANAGER, EMPLOYEE = "U0ADMIN01", "U0IT00001", "U0FIN0001", "U0EMP0001"
PRAISE = "Quick laptop swap, thanks <@U0EMP0002> for the help"
CONCERN = "The VPN ticket waited a whole week"
POSITIVE, NEGATIVE = ("positive", 0.6), ("negative", -0.7)


async def report(harness: Harness, text: str, user: str = EMPLOYEE, *, nth: int = 1) -> str:
    """Run `/quality report …`; the answer that comes through response_url, as text."""
    resp = await harness.command(f"report {text}".strip(), user_id=user)
    assert resp.status == 200 and await resp.text() == ""  # acknowledged at once, empty
    answers = await harness.slack.wait_for_response(count=nth)
    assert len(answers) == nth
    assert answers[-1]["response_type"] == "ephemeral"
    return message_text(answers[-1])


async def refused(harness: Harness, text: str, user: str = EMPLOYEE) -> str:
    """Run a `/quality report …` that is answered in the ack itself."""
    resp = await harness.command(f"report {text}", user_id=user)
    assert resp.status == 200
    body = await resp.json()
    assert body["response_type"] == "ephemeral"
    return str(body["text"])


async def seed_it(scores: list[int], week: str = "2026-W46") -> None:
    n = len(scores)
    comments = [PRAISE, CONCERN, *(["Fine"] * (n - 2))][:n]
    sentiments = [POSITIVE, NEGATIVE, *([("neutral", 0.0)] * (n - 2))][:n]
    await data.ratings(
        "it", week, scores, rater="finance", sentiments=sentiments, comments=comments
    )


async def views() -> list[tuple[str, str, str, str]]:
    rows = await AuditEntry.all().order_by("id")
    return [(r.actor, r.action, r.subject, r.detail) for r in rows]


@pytest.mark.parametrize(
    ("user", "sees_comments"),
    [(EMPLOYEE, False), (IT_MANAGER, True), (FINANCE_MANAGER, False), (ADMIN, True)],
    ids=["employee", "manager-of-it", "manager-of-another", "admin"],
)
async def test_who_sees_its_comments(harness: Harness, user: str, sees_comments: bool) -> None:
    await seed_it([5, 2, 4])
    answer = await report(harness, "it", user)
    assert "IT — last 4 weeks" in answer
    assert "Colleagues: 3.7 (3 responses)" in answer  # figures are for everyone
    assert "W43 – · W44 – · W45 – · W46 3.7" in answer
    assert ("Quick laptop swap" in answer) is sees_comments
    assert ("VPN ticket waited" in answer) is sees_comments
    assert "U0EMP0002" not in answer  # a mention in a comment never reaches anyone
    if sees_comments:
        assert "recorded in the audit log" in answer
        assert await views() == [(user, VIEW_COMMENTS, "it", "weeks=4 via /quality report")]
    else:
        assert "comments are for the managers of IT" in answer
        assert await views() == []


async def test_a_group_under_the_threshold_shows_no_figure_and_no_comment(harness: Harness) -> None:
    await seed_it([5, 1])  # k - 1
    answer = await report(harness, "it", ADMIN)
    assert "Colleagues: hidden (<3 responses)" in answer
    assert "3.0" not in answer and "Quick laptop" not in answer and "VPN ticket" not in answer
    assert await views() == []  # nothing was shown, so nothing to log

    await data.ratings("it", "2026-W46", [3], rater="finance")  # now k
    answer = await report(harness, "it", ADMIN, nth=2)
    assert "Colleagues: 3.0 (3 responses)" in answer
    assert "Quick laptop" in answer and "VPN ticket" in answer
    assert [v[2] for v in await views()] == ["it"]


async def test_hidden_weeks_count_for_nothing_in_the_period(harness: Harness) -> None:
    await seed_it([4, 4, 4], week="2026-W45")
    await data.reviews("it", "2026-W46", [1, 1], sentiments=[NEGATIVE] * 2)  # under k
    answer = await report(harness, "it")
    assert "Colleagues: 4.0 (3 responses)" in answer
    assert "W45 4.0 · W46 –" in answer
    assert "Customers: hidden (<3 reviews)" in answer and "1.0" not in answer


async def test_the_overview_shows_every_department_and_only_the_managers_own_comments(
    harness: Harness,
) -> None:
    await seed_it([5, 2, 4])
    await data.ratings(
        "finance", "2026-W46", [3, 3, 3], sentiments=[NEGATIVE] * 3,
        comments=["Expense refunds are painfully slow"] * 3,
    )  # fmt: skip
    answer = await report(harness, "", IT_MANAGER)
    assert "Service quality — last 4 weeks" in answer
    assert "*IT*" in answer and "*Finance*" in answer
    assert "Quick laptop swap" in answer
    assert "refunds are painfully slow" not in answer  # Finance's comments are not theirs
    assert [v[2] for v in await views()] == ["it"]

    answer = await report(harness, "all 2", ADMIN, nth=2)
    assert "Service quality — last 2 weeks" in answer
    assert "Quick laptop swap" in answer and "refunds are painfully slow" in answer
    assert [(v[0], v[2], v[3]) for v in await views()][1:] == [
        (ADMIN, "it", "weeks=2 via /quality report"),
        (ADMIN, "finance", "weeks=2 via /quality report"),
    ]


async def test_weeks_in_any_order_and_more_than_the_digests_eight(harness: Harness) -> None:
    await data.ratings("it", "2026-W34", [1, 1, 1])  # the 12 weeks before: the comparison
    await data.ratings("it", "2026-W35", [4, 4, 4])
    await data.ratings("it", "2026-W46", [5, 5, 5])
    answer = await report(harness, "12 it")
    assert "IT — last 12 weeks" in answer and "W35–W46" in answer
    assert "_W35 4.0 · W36 –" in answer and "W46 5.0" in answer
    assert "Colleagues: 4.5 ▲3.5 (6 responses)" in answer
    assert "last 6 weeks" in await report(harness, "IT 6 weeks", nth=2)


async def test_a_service_channel_names_its_department(harness: Harness) -> None:
    assert "IT — last 2 weeks" in await report(harness, "<#C0ITHELP1|it-help> 2")
    assert "Finance — last 4 weeks" in await report(harness, "<#C0FINANCE>", nth=2)
    answer = await refused(harness, "<#C0RANDOM1|random>")
    assert answer == "No department serves <#C0RANDOM1>. `/quality departments` lists them."


async def test_an_unknown_department_gets_a_suggestion(harness: Harness) -> None:
    answer = await refused(harness, "fnance 2")
    assert answer.startswith("I don't know the department `fnance`. Did you mean `finance`?")
    answer = await refused(harness, "<b>hr</b>")
    assert "`&lt;b&gt;hr&lt;/b&gt;`" in answer and "<b>" not in answer
    assert await views() == []


@pytest.mark.parametrize("text", ["it 13", "0", "it -2", "it 99999999999999999999", "4 it 8"])
async def test_weeks_out_of_range_are_explained(harness: Harness, text: str) -> None:
    answer = await refused(harness, text)
    assert "1 to 12 complete weeks" in answer and "`/quality report it 8`" in answer


@pytest.mark.parametrize("text", ["x" * 5000, "it " + "9" * 5000, "sales " * 800])
async def test_very_long_input_gets_a_short_friendly_answer(harness: Harness, text: str) -> None:
    answer = await refused(harness, text)
    assert len(answer) < 400
    assert "I don't know the department" in answer or "complete weeks" in answer


async def test_the_help_lists_report(harness: Harness) -> None:
    body = await (await harness.command("help")).json()
    assert "`/quality report [department] [weeks]` — figures for one or all departments" in (
        message_text(body)
    )


def test_multi_word_names_and_numbers_in_any_order() -> None:
    quality = QualityConfig(
        departments=(
            DepartmentConfig(slug="support", name="Customer Support", channels=("C0SUPPORT1",)),
            DepartmentConfig(slug="team-2", name="Team 2"),
        )
    )
    assert parse_args(quality, ["customer", "SUPPORT"]) == Request("support", 4)
    assert parse_args(quality, ["6", "Customer", "Support"]) == Request("support", 6)
    assert parse_args(quality, ["Customer", "Support", "6w"]) == Request("support", 6)
    assert parse_args(quality, ["Team", "2"]) == Request("team-2", 4)
    assert parse_args(quality, ["Team", "2", "3"]) == Request("team-2", 3)
    assert parse_args(quality, ["<#C0SUPPORT1|support>", "1"]) == Request("support", 1)
    assert parse_args(quality, ["12"]) == Request(None, 12)
    assert parse_args(quality, []) == Request(None, 4)
