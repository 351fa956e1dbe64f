"""The export CSV: hand-checked rows, whole weeks withheld under k, no one named."""

import csv
import io
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.clock import utc_now
from bot.config import QualityConfig, load_settings
from bot.people.membership import sync_departments
from bot.privacy.export import COLUMNS, Export, export_rows, record, to_csv
from bot.runtime import db
from bot.weeks import Week
from models.audit import AuditEntry
from models.review import Review
from tests.bot import digest_data as data
from tests.cli import cli_env, run_cli
from tests.conftest import QUALITY_YML, Harness
from tests.database import database_url

NOW = datetime(2026, 11, 18, 9, tzinfo=UTC)  # Wednesday of W47: W46 is the last complete week


@pytest.fixture
def quality(harness: Harness) -> QualityConfig:
    return harness.services.quality.current


def _lines(export: Export) -> list[list[str]]:
    return list(csv.reader(io.StringIO(to_csv(export), newline="")))


async def _seed_it() -> None:
    # W46 ratings: sales 3, finance 2, unknown 1 (6 in all). The blank rest is 3 = k.
    await data.ratings(
        "it", "2026-W46", [5, 4, 3], rater="sales",
        sentiments=[("positive", 0.8), ("negative", -0.25)],
        comments=["Thanks Tom Baker, superb help", "Slow, but ok <@U0FIN0001>"],
    )  # fmt: skip
    await data.ratings(
        "it", "2026-W46", [2, 2], rater="finance",
        sentiments=[("negative", -0.6)] * 2,
        comments=["Nobody answered, call me at +49 170 1234567"] * 2,
        reasons=[["slow"], ["slow"]],
    )  # fmt: skip
    await data.ratings(
        "it", "2026-W46", [1], rater="unknown", sentiments=[("no_signal", None)], comments=["meh"],
        reasons=[["slow", "unclear"]],
    )  # fmt: skip
    await data.ratings("it", "2026-W45", [1, 1], rater="sales")  # k-1: withheld
    await data.reviews(
        "it", "2026-W44", [1, 4.5, None], author="Jane Doe",
        sentiments=[("negative", -0.7), ("positive", 0.5), ("unsupported_language", None)],
        texts=["Jane Doe here. Terrible, write to jane@example.com",
               '=HYPERLINK("http://x") nice', "Sehr gut"],
    )  # fmt: skip
    await Review.filter(week="2026-W44").update(language="en", url="https://reviews.example/jd")
    await data.reviews("it", "2026-W43", [5, 5], author="Jane Doe")  # k-1: withheld
    await data.ratings("it", "2026-W47", [5, 5, 5])  # the week still open: never exported
    await data.ratings("finance", "2026-W46", [4, 4, 4], rater="it")  # another department


async def test_a_seeded_department_gives_the_hand_checked_csv(quality: QualityConfig) -> None:
    await _seed_it()
    export = await export_rows(quality, ["it"], 12, NOW)
    assert export.weeks[0] == "2026-W35" and export.weeks[-1] == "2026-W46"
    assert _lines(export) == [
        list(COLUMNS),
        ["review", "2026-W44", "it", "", "1", "trustpilot",
         "[name] here. Terrible, write to [email]", "negative", "-0.7", "en", "", ""],
        # A leading "=" would run in a spreadsheet: quoted out.
        ["review", "2026-W44", "it", "", "4.5", "trustpilot",
         "'=HYPERLINK(\"http://x\") nice", "positive", "0.5", "en", "", ""],
        ["review", "2026-W44", "it", "", "", "trustpilot", "Sehr gut",
         "unsupported_language", "", "en", "", ""],
        # Ordered by score, never by when they came: order must not lead back to a rater.
        ["rating", "2026-W46", "it", "", "1", "", "", "", "", "", "", ""],
        ["rating", "2026-W46", "it", "", "2", "", "", "", "", "", "", ""],
        ["rating", "2026-W46", "it", "", "2", "", "", "", "", "", "", ""],
        ["rating", "2026-W46", "it", "sales", "3", "", "", "", "", "", "", ""],
        ["rating", "2026-W46", "it", "sales", "4", "", "", "", "", "", "", ""],
        ["rating", "2026-W46", "it", "sales", "5", "", "", "", "", "", "", ""],
        # The comments apart, by their own tone: none of them leads to its score.
        ["comment", "2026-W46", "it", "", "", "", "Nobody answered, call me at [phone]",
         "negative", "-0.6", "en", "", ""],
        ["comment", "2026-W46", "it", "", "", "", "Nobody answered, call me at [phone]",
         "negative", "-0.6", "en", "", ""],
        ["comment", "2026-W46", "it", "", "", "", "Slow, but ok [someone]",
         "negative", "-0.25", "en", "", ""],
        ["comment", "2026-W46", "it", "", "", "", "meh", "no_signal", "", "en", "", ""],
        ["comment", "2026-W46", "it", "", "", "", "Thanks [name], superb help",
         "positive", "0.8", "en", "", ""],
        # Reasons counted as the digest counts them: "slow" with all 3 low scores is shown,
        # "unclear" with 1 is not; a rating's own row never says its reasons.
        ["reason", "2026-W46", "it", "", "", "", "slow", "", "", "", "low", "3"],
    ]  # fmt: skip
    assert export.summary() == (
        "15 rows from 2026-W35 to 2026-W46. A department's week with fewer than 3 ratings or "
        "reviews is left out, like a week with none."
    )


async def test_a_week_of_k_minus_one_is_withheld_and_of_k_included(
    quality: QualityConfig,
) -> None:
    await data.ratings("it", "2026-W46", [4, 4], rater="sales")
    await data.reviews("it", "2026-W46", [3, 3, 3])
    await data.ratings("finance", "2026-W46", [2, 2, 2], rater="it")
    export = await export_rows(quality, ["it", "finance"], 12, NOW)
    kinds = [(r.department, r.kind) for r in export.rows]
    assert kinds == [("it", "review")] * 3 + [("finance", "rating")] * 3


async def test_nothing_in_the_csv_names_a_person(quality: QualityConfig) -> None:
    await _seed_it()
    await data.reviews(
        "it", "2026-W46", [2, 2, 2], author="Ada Lovelace",
        texts=["Ada Lovelace: <@U0IT00002> never called, mail ada@example.org"] * 3,
    )  # fmt: skip
    await Review.filter(author="Ada Lovelace").update(url="https://reviews.example/ada")
    text = to_csv(await export_rows(quality, ["it"], 12, NOW))
    assert "author" not in text.splitlines()[0] and "url" not in text.splitlines()[0]
    for needle in ("Jane", "Doe", "Ada", "Lovelace", "Tom", "Baker", "U0", "@", "example",
                   "1234567"):  # fmt: skip
        assert needle not in text, needle
    assert "[name]: [someone] never called, mail [email]" in text


async def test_a_blank_rater_standing_for_fewer_than_k_blanks_the_rest_too(
    quality: QualityConfig,
) -> None:
    # Sales 3 and finance 1: a lone blank would be finance's one rater by elimination.
    await data.ratings("it", "2026-W46", [4, 4, 4], rater="sales")
    await data.ratings("it", "2026-W46", [1], rater="finance")
    await data.ratings("it", "2026-W45", [3, 3, 3], rater="sales")
    export = await export_rows(quality, ["it"], 12, NOW)
    raters = [(r.week, r.rater_department) for r in export.rows]
    assert raters == [("2026-W45", "sales")] * 3 + [("2026-W46", "")] * 4


async def test_weeks_reach_back_n_complete_weeks(quality: QualityConfig) -> None:
    await data.ratings("it", "2026-W34", [4, 4, 4])
    assert (await export_rows(quality, ["it"], 12, NOW)).rows == ()
    export = await export_rows(quality, ["it"], 13, NOW)
    assert [r.week for r in export.rows] == ["2026-W34"] * 3
    with pytest.raises(ValueError, match="from 1 to 104"):
        await export_rows(quality, ["it"], 0, NOW)


async def test_each_department_exported_gets_an_audit_entry(quality: QualityConfig) -> None:
    await data.ratings("it", "2026-W46", [4, 4, 4])
    export = await export_rows(quality, ["it", "finance"], 12, NOW)
    await record(export, actor="U0ADMIN01", at=NOW, via="/quality export")
    entries = (
        await AuditEntry.all().order_by("subject").values("actor", "action", "subject", "detail")
    )
    assert entries == [
        {"actor": "U0ADMIN01", "action": "export", "subject": "finance",
         "detail": "weeks=12 rows=0 via /quality export"},
        {"actor": "U0ADMIN01", "action": "export", "subject": "it",
         "detail": "weeks=12 rows=3 via /quality export"},
    ]  # fmt: skip


# The command line, as an operator runs it: the real clock, so weeks are counted from today.


async def _seed_cli(tmp_path: Path) -> Week:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    url = database_url(tmp_path, "q")
    await db.migrate(url)
    await db.open_database(url)
    last = Week.last_complete(utc_now(), ZoneInfo("Europe/Berlin"))
    try:
        settings = load_settings(environ={"DATABASE_URL": url}, cwd=tmp_path)
        await sync_departments(settings.quality_file)
        await data.ratings("it", last.label, [5, 4, 3], rater="finance")
        await data.ratings("it", last.previous.label, [1, 1], rater="finance")
    finally:
        await db.close_database()
    return last


async def test_cli_prints_the_csv_and_logs_the_export(tmp_path: Path) -> None:
    last = await _seed_cli(tmp_path)
    code, out, err = await run_cli(tmp_path, "export", "--department", "IT", env=cli_env(tmp_path))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [(r["week"], r["rater_department"], r["score"]) for r in rows] == [
        (last.label, "finance", "3"), (last.label, "finance", "4"), (last.label, "finance", "5")
    ]  # fmt: skip
    assert err.strip().endswith("is left out, like a week with none.")
    await db.open_database(database_url(tmp_path, "q"))
    try:
        [entry] = await AuditEntry.all()
    finally:
        await db.close_database()
    assert (entry.actor, entry.action, entry.subject) == ("cli", "export", "it")
    assert entry.detail == "weeks=12 rows=3 via quality-bot export"


async def test_cli_refuses_an_unknown_department_and_bad_weeks_in_one_line(
    tmp_path: Path,
) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    code, out, err = await run_cli(tmp_path, "export", "--department", "itt", env=cli_env(tmp_path))
    assert (code, out) == (2, "")
    assert err.strip() == "quality-bot: --department: no department 'itt'; did you mean 'it'?"
    code, out, err = await run_cli(tmp_path, "export", "--weeks", "0", env=cli_env(tmp_path))
    assert (code, out) == (2, "")
    assert err.strip() == "quality-bot: --weeks: '0' is not a whole number from 1 to 104"
