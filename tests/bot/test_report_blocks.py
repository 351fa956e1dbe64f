"""`/quality report` as Slack shows it: within Slack's limits for fifty departments, comments
only where allowed, and nothing of a hidden group."""

from datetime import date
from typing import Any

import pytest

from bot.blocks import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from bot.blocks.digest_parts import MESSAGE_TEXT_BUDGET, text_length
from bot.blocks.report import ReportMessage, build_report_message
from bot.digest.model import External, Internal, TrendPoint
from bot.digest.report import Comment, DepartmentReport, Report

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

HIDDEN_INTERNAL = Internal(None, None, None, None, True)
HIDDEN_EXTERNAL = External(None, None, None, None, True)
WEEKS = tuple(f"2026-W{w}" for w in range(35, 47))  # twelve weeks, the most one may ask for


def department(n: int, *, name: str | None = None, weeks: int = 12) -> DepartmentReport:
    comment = Comment(f"Department {n} was {'wonderful ' * 40}".strip(), 0.9, "2026-W46")
    concern = Comment(f"Department {n} was {'slow & <late> ' * 30}".strip(), -0.8, "2026-W45")
    return DepartmentReport(
        slug=f"dept-{n}",
        name=name or f"Department {n}",
        internal=Internal(120, 4.12, 3.8, 0.31, False),
        external=External(40, 3.2, 3.5, -0.12, False),
        trend=tuple(
            TrendPoint(w, None if i % 3 == 1 else 4.0, 3.1) for i, w in enumerate(WEEKS[-weeks:])
        ),
        comments_read=True,
        praise=(comment,) * 3,
        concerns=(concern,) * 3,
    )


def report(*departments: DepartmentReport, weeks: int = 12) -> Report:
    return Report(
        weeks=WEEKS[-weeks:],
        start=date(2026, 8, 24) if weeks == 12 else date(2026, 11, 9),
        end=date(2026, 11, 15),
        timezone="Europe/Berlin",
        min_group_size=3,
        departments=departments,
    )


def texts(message: ReportMessage) -> str:
    found = []
    for block in message.blocks:
        if isinstance(block.get("text"), dict):
            found.append(block["text"]["text"])
        found += [e.get("text", "") for e in block.get("elements", []) if isinstance(e, dict)]
    return "\n".join(found)


def within_limits(blocks: list[dict[str, Any]]) -> None:
    assert len(blocks) <= MAX_MESSAGE_BLOCKS
    assert text_length(blocks) <= MESSAGE_TEXT_BUDGET
    for block in blocks:
        if block["type"] == "section":
            assert len(block["text"]["text"]) <= MAX_SECTION_TEXT
        if block["type"] == "header":
            assert len(block["text"]["text"]) <= 150


def fifty(**kwargs: Any) -> tuple[DepartmentReport, ...]:
    return tuple(department(n, **kwargs) for n in range(1, 51))


def test_fifty_departments_fit_in_one_message_each_named() -> None:
    message = build_report_message(report(*fifty()))
    within_limits(message.blocks)
    shown = texts(message)
    assert all(f"*Department {n}*" in shown for n in range(1, 51))
    assert "`/quality report <department>` shows one department's weekly trend." in shown
    assert message.comments_shown == frozenset()
    assert "wonderful" not in shown  # comments were read, but this caller may not see them


def test_twenty_departments_over_a_few_weeks_keep_their_trends() -> None:
    departments = tuple(department(n, weeks=2) for n in range(20))
    message = build_report_message(report(*departments, weeks=2))
    within_limits(message.blocks)
    assert texts(message).count("_W45 4.0 · W46 –_") == 20
    assert texts(message).count("_W45 3.1 · W46 3.1_") == 20
    assert "shows one department's weekly trend" not in texts(message)


def test_names_too_long_for_one_message_are_summarised_with_a_note() -> None:
    departments = tuple(department(n, name=f"{n} " + "Very Long Name " * 13) for n in range(50))
    message = build_report_message(report(*departments))
    within_limits(message.blocks)
    shown = texts(message)
    listed = sum(1 for n in range(50) if f"*{n} Very Long" in shown)
    assert 0 < listed < 50
    assert f"…and {50 - listed} more departments not shown." in shown


def test_an_admin_sees_the_comments_that_fit_and_is_told_of_the_rest() -> None:
    departments = fifty()
    message = build_report_message(report(*departments), comments_of={d.slug for d in departments})
    within_limits(message.blocks)
    shown = texts(message)
    assert message.comments_shown  # some fit ...
    assert len(message.comments_shown) < 50  # ... not all
    for dept in departments:  # and the audit names exactly the departments quoted
        quoted = f"Most positive comments — {dept.name}*" in shown
        assert quoted is (dept.slug in message.comments_shown)
    assert "are not shown here: `/quality report dept-" in shown
    assert "recorded in the audit log" in shown
    assert "&lt;late&gt;" in shown and "<late>" not in shown  # comments are escaped


def test_one_department_in_detail_with_its_comments() -> None:
    message = build_report_message(report(department(7)), comments_of={"dept-7"})
    within_limits(message.blocks)
    shown = texts(message)
    assert message.blocks[0]["text"]["text"] == "Department 7 — last 12 weeks"
    assert "W35–W46 · 24 Aug – 15 Nov 2026 · Europe/Berlin" in shown
    assert "Colleagues: 4.1 ▲0.3 (120 responses)" in shown
    assert "_W35 4.0 · W36 – · W37 4.0" in shown
    assert "Customers: 3.2★ ▼0.3 (40 reviews)" in shown
    assert "*Most positive comments*" in shown and "\n— W45" in shown
    assert "rated" not in shown  # a comment never shows the score it came with
    assert message.comments_shown == {"dept-7"}


def test_comments_only_for_the_slugs_given() -> None:
    message = build_report_message(report(department(7)), comments_of={"dept-8"})
    shown = texts(message)
    assert "wonderful" not in shown and "late" not in shown
    assert "Colleagues' comments are for the managers of Department 7." in shown
    assert message.comments_shown == frozenset()


def test_a_hidden_group_shows_no_figure() -> None:
    dept = department(1, weeks=3)
    hidden = DepartmentReport(
        slug="legal",
        name="Legal",
        internal=HIDDEN_INTERNAL,
        external=HIDDEN_EXTERNAL,
        trend=tuple(TrendPoint(w, None, None) for w in WEEKS[-3:]),
    )
    shown = texts(build_report_message(report(dept, hidden, weeks=3)))
    assert "*Legal*\nColleagues: hidden (<3 responses)\nCustomers: hidden (<3 reviews)" in shown
    assert "A week with fewer than 3 answers is hidden (–)" in shown


@pytest.mark.parametrize("weeks", [1, 4])
def test_no_trend_line_for_a_single_week(weeks: int) -> None:
    shown = texts(build_report_message(report(department(1, weeks=weeks), weeks=weeks)))
    assert ("· W46 4.0_" in shown) is (weeks > 1)
    assert ("last week" in shown) is (weeks == 1)


def test_comments_not_read_for_the_overview_are_pointed_to() -> None:
    unread = DepartmentReport(
        slug="legal",
        name="Legal",
        internal=Internal(9, 4.0, None, None, False),
        external=HIDDEN_EXTERNAL,
        trend=(),
    )
    message = build_report_message(report(department(1), unread), comments_of={"dept-1", "legal"})
    shown = texts(message)
    assert message.comments_shown == {"dept-1"}
    assert "Comments of 1 more department are not shown here: `/quality report legal`" in shown
