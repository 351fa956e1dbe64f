"""`/quality export [department]`: a CSV by DM for the department's managers and admins only."""

import csv
import io
from typing import Any

from models.audit import AuditEntry
from tests.bot import digest_data as data
from tests.conftest import Harness

ADMIN, IT_MANAGER, FINANCE_MANAGER, EMPLOYEE = "U0ADMIN01", "U0IT00001", "U0FIN0001", "U0EMP0001"


async def _seed() -> None:  # the clock says Wednesday of W47: W46 is the last complete week
    await data.ratings(
        "it", "2026-W46", [2, 4, 5], rater="finance",
        sentiments=[("negative", -0.5), ("positive", 0.4), ("positive", 0.9)],
        comments=["Slow, ask Mr Smith", "Fine", "Great, thanks <@U0IT00002>"],
    )  # fmt: skip
    await data.ratings("it", "2026-W45", [3, 3], rater="finance")  # under k: withheld
    await data.reviews("it", "2026-W46", [1, 2], author="Jane Doe")  # under k: withheld
    await data.ratings("finance", "2026-W46", [4, 4, 4], rater="it")


def _csv(file: dict[str, Any]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(file["bytes"].decode(), newline="")))


async def _audit() -> list[tuple[str, str, str]]:
    rows = await AuditEntry.all().order_by("id").values_list("actor", "subject", "detail")
    return [tuple(row) for row in rows]


async def _refusal(harness: Harness, text: str, user: str) -> str:
    resp = await harness.command(text, user_id=user)
    body = await resp.json()
    assert body["response_type"] == "ephemeral"
    return str(body["text"])


async def test_a_manager_gets_the_csv_of_their_department_by_dm(harness: Harness) -> None:
    await _seed()
    resp = await harness.command("export it", user_id=IT_MANAGER)
    assert resp.status == 200 and await resp.text() == ""  # acked first, answered later
    [answer] = await harness.slack.wait_for_response()
    assert answer["response_type"] == "ephemeral"
    assert answer["text"] == (
        "Sent to your DMs: 6 rows from 2026-W35 to 2026-W46. A department's week with fewer "
        "than 3 ratings or reviews is left out, like a week with none."
    )
    [file] = harness.slack.files.values()
    assert file["filename"] == "quality-it-2026-W46.csv"
    [opened] = harness.slack.calls_to("conversations.open")
    assert opened.params["users"] == IT_MANAGER
    assert file["channel_id"] == opened.response["channel"]["id"]  # their DM, nowhere else
    assert file["initial_comment"].startswith("Your export: 6 rows")
    rows = _csv(file)
    ratings = [r for r in rows if r["kind"] == "rating"]
    shown = [(r["week"], r["rater_department"], r["score"], r["comment_or_text"]) for r in ratings]
    assert shown == [
        ("2026-W46", "finance", "2", ""), ("2026-W46", "finance", "4", ""),
        ("2026-W46", "finance", "5", ""),
    ]  # fmt: skip
    # Comments apart from their scores, ordered by their own tone.
    comments = [r for r in rows if r["kind"] == "comment"]
    assert [(r["comment_or_text"], r["score"]) for r in comments] == [
        ("Slow, ask Mr [name]", ""), ("Fine", ""), ("Great, thanks [someone]", "")
    ]  # fmt: skip
    raw = file["bytes"].decode()
    assert "U0" not in raw and "Smith" not in raw and "Jane" not in raw
    assert await _audit() == [(IT_MANAGER, "it", "weeks=12 rows=6 via /quality export")]


async def test_a_manager_of_one_department_needs_no_argument(harness: Harness) -> None:
    await _seed()
    await harness.command("export", user_id=FINANCE_MANAGER)
    [answer] = await harness.slack.wait_for_response()
    assert answer["text"].startswith("Sent to your DMs: 3 rows")
    [file] = harness.slack.files.values()
    assert file["filename"] == "quality-finance-2026-W46.csv"
    assert {r["department"] for r in _csv(file)} == {"finance"}


async def test_an_employee_is_refused_politely_and_told_who_may(harness: Harness) -> None:
    await _seed()
    text = await _refusal(harness, "export it", EMPLOYEE)
    assert text == (
        f"Sorry, only IT's managers (<@{IT_MANAGER}>) and admins can export "
        "IT's ratings and reviews."
    )
    text = await _refusal(harness, "export", EMPLOYEE)
    assert text.startswith("Sorry, exports are for a department's managers and for admins.")
    assert harness.slack.files == {} and await _audit() == []


async def test_a_manager_is_refused_another_department(harness: Harness) -> None:
    await _seed()
    text = await _refusal(harness, "export Finance", IT_MANAGER)
    assert f"only Finance's managers (<@{FINANCE_MANAGER}>) and admins" in text
    assert harness.slack.files == {} and await _audit() == []


async def test_an_admin_may_export_any_department_or_all(harness: Harness) -> None:
    await _seed()
    await harness.command("export finance", user_id=ADMIN)
    await harness.slack.wait_for_response()
    await harness.command("export", user_id=ADMIN)
    answers = await harness.slack.wait_for_response(count=2)
    assert answers[1]["text"].startswith("Sent to your DMs: 9 rows")
    names = sorted(f["filename"] for f in harness.slack.files.values())
    assert names == ["quality-all-2026-W46.csv", "quality-finance-2026-W46.csv"]
    [everything] = [
        f for f in harness.slack.files.values() if f["filename"].startswith("quality-all")
    ]
    assert [r["department"] for r in _csv(everything)] == ["it"] * 6 + ["finance"] * 3
    assert await _audit() == [
        (ADMIN, "finance", "weeks=12 rows=3 via /quality export"),
        (ADMIN, "it", "weeks=12 rows=6 via /quality export"),
        (ADMIN, "finance", "weeks=12 rows=3 via /quality export"),
    ]


async def test_an_unknown_department_gets_a_suggestion_and_no_markup(harness: Harness) -> None:
    text = await _refusal(harness, "export itt", IT_MANAGER)
    assert text.startswith("I don't know the department `itt`. Did you mean `it`?")
    text = await _refusal(harness, "export <!channel>", ADMIN)
    assert "`&lt;!channel&gt;`" in text and "<!channel>" not in text


async def test_a_failed_upload_is_said_and_its_attempt_stays_audited(harness: Harness) -> None:
    # The entry is written before the file leaves; an upload that then fails leaves the
    # record of an attempt, never a delivery without one.
    await _seed()
    harness.slack.fail("files.getUploadURLExternal", "ratelimited_internal")
    await harness.command("export it", user_id=IT_MANAGER)
    [answer] = await harness.slack.wait_for_response()
    assert answer["text"].startswith(
        "I couldn't send the export to your DMs (ratelimited_internal)."
    )
    assert harness.slack.files == {}
    assert await _audit() == [(IT_MANAGER, "it", "weeks=12 rows=6 via /quality export")]


async def test_the_help_lists_export_for_managers_and_admins(harness: Harness) -> None:
    body = await (await harness.command("help")).json()
    help_text = "\n".join(b["text"]["text"] for b in body["blocks"] if "text" in b)
    assert "`/quality export [department]`" in help_text and "_(managers, admins)_" in help_text
