"""The App Home stays within Slack's limits for an admin of fifty departments with ten polls."""

from datetime import date

import pytest

from bot.blocks.home import AuditLine, home_view
from bot.blocks.poll import PollView
from bot.blocks.setup import ChannelToFix, Listed, SetupState, admin_blocks
from bot.digest.model import DepartmentWeek, External, Internal, Quote, TrendPoint, WeekDigest

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database


def _department(n: int) -> DepartmentWeek:
    slug = f"dept-{n:02d}"
    weeks = [f"2026-W{w}" for w in range(39, 47)]
    return DepartmentWeek(
        slug=slug,
        name=f"Department number {n:02d} with a rather long name",
        internal=Internal(5, 3.2, 3.9, -0.2, False, polls_sent=9, polls_answered=5),
        external=External(None, None, None, None, True),
        attention=("internal rating down 0.7", "internal and external falling together"),
        concerns=tuple(
            Quote("comment", slug, "It took far too long and nobody answered " * 5, -0.6)
            for _ in range(3)
        ),
        trend=tuple(TrendPoint(w, 3.5, None) for w in weeks),
    )


def test_fifty_departments_ten_polls_and_the_audit_log_fit_a_home_view() -> None:
    digest = WeekDigest(
        week="2026-W46", start=date(2026, 11, 9), end=date(2026, 11, 15),
        timezone="Europe/Berlin", min_group_size=3,
        departments=tuple(_department(n) for n in range(50)),
    )  # fmt: skip
    polls = [PollView(f"p{n}", "IT", "Laptop replaced", None) for n in range(10)]
    audit = [AuditLine("2026-11-16 09:00", "U0ADMIN01", "export", "it") for _ in range(10)]
    view = home_view(polls, min_group_size=3, oversight=digest, audit=audit)
    blocks = view["blocks"]
    assert len(blocks) <= 100
    for block in blocks:
        assert len(block.get("text", {}).get("text", "")) <= 3000
    text = str(blocks)
    assert "Audit log" in text and "Waiting for your answer" in text
    shown = sum(f"Department number {n:02d}" in text for n in range(50))
    assert shown == 50 or "`/quality report` has them all" in text
    assert "hidden (<3 reviews)" in text


def test_an_admins_set_up_fits_beside_fifty_departments_and_ten_polls() -> None:
    digest = WeekDigest(
        week="2026-W46", start=date(2026, 11, 9), end=date(2026, 11, 15),
        timezone="Europe/Berlin", min_group_size=3,
        departments=tuple(_department(n) for n in range(50)),
    )  # fmt: skip
    listed = [
        Listed(f"d{n}", f"Department {n}", n % 2 == 0, (f"C0D{n:06d}",), ("U0M000001",))
        for n in range(50)
    ]
    to_fix = [ChannelToFix(f"C0D{n:06d}", "a service channel", n % 2 == 0) for n in range(30)]
    setup = SetupState(50, True, to_fix, None, sample_sent=False)
    polls = [PollView(f"p{n}", "IT", "Laptop replaced", None) for n in range(10)]
    audit = [AuditLine("2026-11-16 09:00", "U0ADMIN01", "export", "it") for _ in range(10)]

    view = home_view(
        polls, min_group_size=3, oversight=digest, audit=audit,
        admin=admin_blocks(listed, setup, bot_name="quality-bot"),
    )  # fmt: skip

    blocks = view["blocks"]
    assert len(blocks) <= 100
    text = str(blocks)
    assert "Set-up checklist" in text and "Add a department" in text
    assert "And 30 more: `/quality departments` lists them all." in text
    assert text.count("Send me a sample poll") == 1 and text.count("setup_join") == 5
    assert "Waiting for your answer" in text and "Audit log" in text
    shown = sum(f"Department number {n:02d}" in text for n in range(50))
    assert shown == 50 or (shown and "`/quality report` has them all" in text)
