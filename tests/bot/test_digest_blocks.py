"""The digest as Slack shows it: the channel post, its thread, and the managers' DM."""

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from bot.blocks import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from bot.blocks.digest import build_digest_messages, build_manager_dm, digest_fallback_text
from bot.blocks.digest_parts import MESSAGE_TEXT_BUDGET, text_length
from bot.digest.model import (
    DepartmentWeek,
    External,
    Internal,
    MatrixCell,
    Quote,
    TrendPoint,
    WeekDigest,
)

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

HIDDEN_INTERNAL = Internal(None, None, None, None, True)
HIDDEN_EXTERNAL = External(None, None, None, None, True)
SECRET = "the colleague who wrote this must stay unknown"


def it_department() -> DepartmentWeek:
    return DepartmentWeek(
        slug="it",
        name="IT",
        internal=Internal(
            12, 4.1, 3.8, 0.31, False, polls_sent=15, polls_answered=12, negative_share=0.25
        ),
        external=External(40, 3.2, 3.5, -0.12, False),
        attention=("external rating down 0.3",),
        praise=(
            Quote("review", "it", "Fixed my laptop in <10 min & smiled <@U123>", 0.9, "google"),
            Quote("comment", "it", f"Always helpful, {SECRET}", 0.8),
        ),
        concerns=(Quote("review", "it", "Ticket open for weeks", -0.7, "trustpilot"),),
        trend=tuple(TrendPoint(f"2026-W{w}", None if w == 43 else 4.0, 3.1) for w in range(40, 48)),
    )


def week(*departments: DepartmentWeek, matrix: tuple[MatrixCell, ...] = ()) -> WeekDigest:
    return WeekDigest(
        week="2026-W47",
        start=date(2026, 11, 16),
        end=date(2026, 11, 22),
        timezone="Europe/Berlin",
        min_group_size=3,
        departments=departments,
        matrix=matrix,
    )


def sample() -> WeekDigest:
    logistics = DepartmentWeek(
        slug="logistics",
        name="Logistics",
        # A suppressed group whose figures slipped through must still show none of them.
        internal=Internal(2, 1.7, 3.9, -0.44, True),
        external=External(None, None, 3.6, None, True),
        attention=("external rating down 0.4", "internal and external falling together"),
    )
    sales = DepartmentWeek(
        slug="sales",
        name="Sales",
        internal=Internal(5, 3.9, None, None, False),
        external=External(0, None, None, None, False),
    )
    return week(
        sales,
        it_department(),
        logistics,
        matrix=(MatrixCell("sales", "it", 5, 4.4), MatrixCell("it", "sales", 3, 3.7)),
    )


def texts(blocks: list[dict[str, Any]]) -> Iterator[str]:
    for block in blocks:
        if isinstance(block.get("text"), dict):
            yield block["text"]["text"]
        for element in block.get("elements", []):
            yield element["text"]


def everything(messages: list[dict[str, Any]]) -> str:
    return "\n".join(text for m in messages for text in [m["text"], *texts(m["blocks"])])


def test_first_message_reads_header_attention_figures_then_quotes() -> None:
    messages = build_digest_messages(sample())
    assert len(messages) == 1
    blocks = messages[0]["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Service quality — week 2026-W47", "emoji": True},
    }
    shown = list(texts(blocks))
    assert shown[1] == "16–22 Nov 2026 · Europe/Berlin"
    body = "\n".join(shown)
    assert (
        "• *Logistics* — external rating down 0.4; internal and external falling together" in body
    )
    assert (
        body.index("*Needs attention*")
        < body.index("*Sales*\nColleagues")
        < body.index("*Top praise*")
    )
    assert body.index("*Top praise*") < body.index("*Top concerns*")
    assert "Colleagues' comments go to each department's managers." in body
    assert shown[-1] == "The chart follows in the thread. Groups under 3 are hidden."
    assert "2 departments need attention" in messages[0]["text"]


def test_changes_are_arrows_with_the_difference() -> None:
    body = everything(build_digest_messages(sample()))
    assert "Colleagues: 4.1 ▲0.3 (12 responses, 80% answered)" in body
    assert "Customers: 3.2★ ▼0.3 (40 reviews)" in body
    assert "Tone: comments +0.31 · reviews -0.12" in body
    # No previous week: the figure alone, no arrow; no reviews: "no data", never 0.
    assert "*Sales*\nColleagues: 3.9 (5 responses)\nCustomers: no data" in body


def test_suppressed_groups_show_no_number() -> None:
    messages = build_digest_messages(sample())
    body = everything(messages)
    lines = body[body.index("*Logistics*\nColleagues") :].split("\n")[:4]
    assert lines[:3] == [
        "*Logistics*",
        "Colleagues: hidden (<3 responses)",
        "Customers: hidden (<3 reviews)",
    ]
    assert not lines[3].startswith("Tone")
    for figure in ("1.7", "3.9 ▼", "-0.44", "3.6", "▼2.2"):
        assert figure not in body
    dm = everything([build_manager_dm(sample(), "logistics")])
    assert (
        "Fewer than 3 colleagues answered this week; "
        "nothing is shown so that no one can be identified." in dm
    )
    for figure in ("1.7", "3.9", "-0.44", "3.6", "2 responses"):
        assert figure not in dm


def test_channel_quotes_reviews_only_escaped_but_managers_see_comments() -> None:
    channel = everything(build_digest_messages(sample()))
    assert SECRET not in channel
    assert ">Fixed my laptop in &lt;10 min &amp; smiled &lt;@U123&gt;\n— *IT* · google" in channel
    assert "<@U123>" not in channel
    assert ">Ticket open for weeks\n— *IT* · trustpilot\n" in channel  # no individual score
    assert "1★" not in channel

    dm = build_manager_dm(sample(), "it")
    body = everything([dm])
    assert SECRET in body
    assert "&lt;@U123&gt;" in body and "<@U123>" not in body
    assert "Average 4.1 ▲0.3 (last week 3.8)" in body
    assert "12 responses · 80% of polls answered" in body
    assert "Negative comments 25%" in body
    assert "Rating 3.2★ ▼0.3 (last week 3.5★)" in body
    assert "Colleagues: W40 4.0 · W41 4.0 · W42 4.0 · W43 – · W44 4.0" in body
    assert "• external rating down 0.3" in body
    assert "*Who rated IT*\n• Sales: 4.4 (5 ratings)" in body
    assert dm["blocks"][0]["text"]["text"] == "IT — week 2026-W47"


def test_a_suppressed_groups_comments_never_reach_managers() -> None:
    it = it_department()
    digest = week(replace(it, internal=HIDDEN_INTERNAL))
    body = everything([build_manager_dm(digest, "it")])
    assert SECRET not in body
    assert "Fixed my laptop" in body  # the customers' group met the threshold


def test_quotes_are_the_three_most_extreme_across_departments() -> None:
    def dept(i: int) -> DepartmentWeek:
        praise = (Quote("review", f"d{i}", f"praise {i}", i / 10, "google"),)
        concerns = (Quote("review", f"d{i}", f"concern {i}", -i / 10, "google"),)
        ext = External(10, 4.0, None, None, False)
        return DepartmentWeek(
            f"d{i}", f"D{i}", HIDDEN_INTERNAL, ext, praise=praise, concerns=concerns
        )

    body = everything(build_digest_messages(week(*(dept(i) for i in range(1, 7)))))
    praise = body[body.index("*Top praise*") : body.index("*Top concerns*")]
    assert [n for n in range(1, 7) if f">praise {n}\n" in praise] == [4, 5, 6]
    assert praise.index("praise 6") < praise.index("praise 5") < praise.index("praise 4")
    concerns = body[body.index("*Top concerns*") :]
    assert [n for n in range(1, 7) if f">concern {n}\n" in concerns] == [4, 5, 6]


def test_fifty_departments_with_long_names_fit_and_each_appears_once() -> None:
    reasons = (
        "external rating down 0.9 over the week",
        "internal and external falling together for the third week running",
        "negative comments up from 10% to 45%",
    )
    long_quote = "The service was slow & <rude> " * 40

    def dept(i: int) -> DepartmentWeek:
        quote = Quote("review", f"d{i}", long_quote, -0.9, "google")
        return DepartmentWeek(
            slug=f"d{i}",
            name=f"Department {i:02d} of Regional Customer Operations and Field Service Logistics",
            internal=it_department().internal if i % 2 else HIDDEN_INTERNAL,
            external=External(40, 3.2, 3.5, -0.12, False),
            attention=reasons,
            concerns=(quote,),
        )

    digest = week(*(dept(i) for i in range(50)))
    messages = build_digest_messages(digest)
    assert len(messages) > 1  # the overflow goes in the thread
    for message in messages:
        assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
        assert text_length(message["blocks"]) <= MESSAGE_TEXT_BUDGET
        for text in texts(message["blocks"]):
            assert len(text) <= MAX_SECTION_TEXT
    assert messages[1]["blocks"][0]["elements"][0]["text"].endswith(
        f"continued (2 of {len(messages)})"
    )
    body = everything(messages)
    for dept_week in digest.departments:
        assert body.count(f"• *{dept_week.name}* — {reasons[0]}") == 1
        assert body.count(f"*{dept_week.name}*\nColleagues: ") == 1
    first_figures = "*Department 00 of Regional Customer Operations and Field Service Logistics*\n"
    assert body.index("• *Department 49") < body.index(first_figures + "Colleagues")
    assert "Continued in the thread" in everything(messages[:1])
    assert "*Top concerns*" in everything(messages[:1])
    # Long quotes are shortened once escaped, never cut inside an entity.
    assert "&amp;" in body and "&am…" not in body and "&lt;…" not in body

    dm = build_manager_dm(replace(digest, matrix=_everyone_rates(digest)), "d1")
    assert len(dm["blocks"]) <= MAX_MESSAGE_BLOCKS
    assert text_length(dm["blocks"]) <= MESSAGE_TEXT_BUDGET
    assert "…and 39 more groups." in everything([dm])


def _everyone_rates(digest: WeekDigest) -> tuple[MatrixCell, ...]:
    slugs = [d.slug for d in digest.departments]
    return tuple(MatrixCell(r, "d1", 5, 4.0) for r in slugs if r != "d1")


def test_fallback_text_names_who_needs_attention() -> None:
    assert digest_fallback_text(week(replace(it_department(), attention=()))) == (
        "Service quality — week 2026-W47: nothing needs attention."
    )
    assert digest_fallback_text(sample()) == (
        "Service quality — week 2026-W47: 2 departments need attention — IT, Logistics."
    )


def test_a_department_missing_from_the_week_gets_a_plain_answer() -> None:
    dm = build_manager_dm(sample(), "hr")
    assert dm["text"] == "Service quality — week 2026-W47: no figures for `hr` this week."
