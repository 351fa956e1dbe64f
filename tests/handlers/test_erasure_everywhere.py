"""`/quality forget`, checked as an auditor would: afterwards no table, no file beside the
database and no message the app left in Slack holds the person's id, e-mail or phone."""

import json
from pathlib import Path
from typing import Any

from tortoise import Tortoise, fields

from models.audit import AuditEntry
from models.department import Department
from models.erasure import MessageToDelete
from models.review import Review
from models.survey import Poll
from tests.conftest import Harness
from tests.database import on_postgres
from tests.handlers.company import SALES, answer, ask, company, end_week
from tests.support import FakeClock, until

__all__ = ["company"]

SAM = "U0EMP0001"
EMAIL, PHONE = "sam.sample@acme.example", "+49 171 2345678"
TRACES = (SAM, EMAIL, "2345678")


async def _command(h: Harness, text: str, user: str) -> dict[str, Any]:
    resp = await h.command(text, user_id=user)
    assert resp.status == 200
    [body] = await h.slack.wait_for_response()
    return body


async def traces_in_the_database() -> list[str]:
    """Every text column of every table holding one of TRACES, as `table.column`."""
    found = []
    for model in Tortoise.apps["quality"].values():
        for name, field in model._meta.fields_map.items():
            if not isinstance(field, fields.CharField | fields.TextField):
                continue
            for needle in TRACES:
                if await model.filter(**{f"{name}__icontains": needle}).exists():
                    found.append(f"{model._meta.db_table}.{name}")
    return sorted(set(found))


async def test_forget_leaves_no_trace_in_any_table_file_or_slack_message(
    company: Harness, clock: FakeClock, tmp_path: Path
) -> None:
    h = company
    h.slack.add_user(SAM, name="sam", real_name="Sam Sample", email=EMAIL, phone=PHONE)
    # Sam is asked, answers and signs a comment: a post in IT's channel names Sam.
    await ask(h, SAM, "it", "SAM-1")
    await answer(h, SAM, "it", 2, comment="Please call me back", consent=True)
    await h.services.polls.step()
    # Others' texts name Sam: a request's summary, comments (held and released), a review.
    await ask(h, SALES[0], "it", "ABOUT-SAM")
    await answer(h, SALES[0], "it", 5, comment=f"Thanks to <@{SAM}>, mail {EMAIL}")
    for user in SALES[1:3]:
        await ask(h, user, "it", f"OTHER-{user}")
        await answer(h, user, "it", 4, comment=f"ring {PHONE.replace('+49 ', '0')} if stuck")
    await end_week(h, clock)  # released: ratings now hold those comments
    await ask(h, SALES[3], "it", "NEXT-WEEK")
    await answer(h, SALES[3], "it", 3, comment=f"same as <@{SAM}|sam> said")  # held
    await Poll.filter(trigger_key="webhook:ABOUT-SAM").update(summary=f"Laptop for <@{SAM}>")
    await Review.create(
        source="trustpilot", external_id="r-sam", department=await Department.get(slug="it"),
        routed_by="field", rating=2.0, text=f"Ask {EMAIL} or {PHONE}", created_at=clock(),
        week="2026-W48", received_at=clock(), content_hash="h",
    )  # fmt: skip
    assert len(await traces_in_the_database()) >= 6
    [post] = [m for m in h.slack.posted("C0ITTEAM1") if f"<@{SAM}>" in m["text"]]

    body = await _command(h, f"forget <@{SAM}|sam>", "U0ADMIN01")
    said = json.dumps(body)
    assert "mentions, e-mail address and phone number were removed from 6 other stored" in said
    assert "2 Slack messages that name them or were sent to them are being deleted" in said
    await until(lambda: _gone(h))
    # Nothing in the database names Sam but the record that Sam was erased.
    assert await traces_in_the_database() == ["audit_entry.subject"]
    erased = await AuditEntry.filter(subject=SAM).values_list("action", flat=True)
    assert [str(action) for action in erased] == ["erase"]
    # Slack: the signed post and Sam's poll DM are gone; nothing the app left names Sam.
    assert post not in h.slack.posted("C0ITTEAM1")
    assert h.slack.posted(h.slack.dm_channel(SAM)) == []
    assert not [m for m in h.slack.posted() if SAM in json.dumps(m) or EMAIL in json.dumps(m)]
    if not on_postgres():
        # The write-ahead log beside the SQLite file was checkpointed and emptied.
        wal = tmp_path / "quality.db-wal"
        assert not wal.exists() or SAM.encode() not in wal.read_bytes()


async def _gone(h: Harness) -> bool:
    return not await MessageToDelete.exists()
