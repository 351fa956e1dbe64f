"""`quality-bot digest` as a terminal reader sees it: a table, attention, the matrix, quotes."""

from dataclasses import replace
from datetime import date

import pytest

from bot.digest.model import DepartmentWeek, External, Internal
from bot.digest.text import change, date_range, render_text
from bot.privacy.scrub import shorten
from tests.bot.test_digest_blocks import SECRET, it_department, sample, week

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database


def _row(report: str, name: str) -> list[str]:
    line = next(line for line in report.splitlines() if line.startswith(name + " "))
    return line.split()


def test_title_dates_and_timezone() -> None:
    report = render_text(sample())
    assert report.splitlines()[:2] == [
        "Service quality — week 2026-W47",
        "16–22 Nov 2026 · Europe/Berlin",
    ]
    assert "\033[" not in report


def test_table_shows_figures_changes_hidden_and_no_data() -> None:
    report = render_text(sample())
    assert _row(report, "IT") == ["IT", "4.1", "▲0.3", "12", "80%", "+0.31", "3.2", "▼0.3", "40"]
    # No previous week, no response rate, no comments, no reviews: "–", never 0.
    assert _row(report, "Sales") == ["Sales", "3.9", "–", "5", "–", "–", "–", "–", "0"]
    # Suppressed: the figures that slipped into the data (1.7, 3.9, -0.44, 3.6) stay hidden.
    assert _row(report, "Logistics") == ["Logistics", "hidden", "hidden"]
    assert "1.7" not in report and "-0.44" not in report and "3.6" not in report
    assert "hidden: fewer than 3 responses — hidden for privacy. –: no data." in report
    widths = {len(line) for line in report.splitlines()[3:9] if line}
    assert max(widths) <= 88


def test_attention_matrix_and_quotes_follow_the_table() -> None:
    report = render_text(sample())
    assert (
        "  Logistics — external rating down 0.4; internal and external falling together" in report
    )
    assert "  IT — external rating down 0.3" in report
    assert "  sales → it: 4.4 (5)\n  it → sales: 3.7 (3)" in report
    assert report.index("Department") < report.index("Needs attention") < report.index("sales →")
    assert '"Fixed my laptop in <10 min & smiled <@U123>" — IT, google' in report
    assert '"Ticket open for weeks" — IT, trustpilot' in report
    assert SECRET not in report  # colleagues' comments are for managers only


def test_nothing_to_say_is_said_plainly() -> None:
    quiet = DepartmentWeek(
        "hr", "HR", Internal(None, None, None, None, False), External(None, None, None, None, False)
    )
    report = render_text(week(quiet))
    assert _row(report, "HR") == ["HR", "–", "–", "–", "–", "–", "–", "–", "–"]
    assert "Nothing stands out this week." in report
    assert "No pair of departments reached the threshold." in report
    assert report.count("No customer reviews to quote this week.") == 2


def test_quotes_of_a_suppressed_customer_group_are_not_printed() -> None:
    hidden = External(None, None, None, None, True)
    report = render_text(week(replace(it_department(), external=hidden)))
    assert "Fixed my laptop" not in report
    assert _row(report, "IT")[-1] == "hidden"


def test_change_and_dates() -> None:
    assert change(4.1, 3.8) == "▲0.3"
    assert change(3.2, 3.5) == "▼0.3"
    assert change(4.0, 4.02) == "±0.0"
    assert change(4.1, None) == "" and change(None, 3.8) == ""
    assert date_range(date(2026, 11, 30), date(2026, 12, 6)) == "30 Nov – 6 Dec 2026"
    assert date_range(date(2026, 12, 28), date(2027, 1, 3)) == "28 Dec 2026 – 3 Jan 2027"
    assert shorten("word " * 100, 20) == "word word word word…"
