"""Every view of comments and every export is in the audit log before it is delivered: when
the entry cannot be written, nothing goes out — an export, a manager's digest DM, the comments
of a report, a manager's App Home."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from tortoise.exceptions import OperationalError

from bot.weeks import Week
from models.audit import AuditEntry
from tests.bot import digest_data as data
from tests.conftest import Harness
from tests.support import home_opened

IT_MANAGER = "U0IT00001"
COMMENT = "The laptop swap took three weeks"


@pytest.fixture
def audit_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The audit log's table refuses every write (a full disk, a revoked grant)."""

    async def refuse(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("could not write to audit_entry")

    monkeypatch.setattr(AuditEntry, "create", refuse)
    yield


async def _seed_last_week() -> None:
    """W46, the last complete week on the fake clock (Wednesday of W47)."""
    await data.ratings(
        "it", "2026-W46", [2, 2, 3], rater="finance",
        sentiments=[("negative", -0.8)] * 3, comments=[COMMENT] * 3,
    )  # fmt: skip


async def test_an_export_is_not_sent_without_its_audit_entry(
    harness: Harness, audit_down: None
) -> None:
    await _seed_last_week()
    await harness.command("export it", user_id=IT_MANAGER)
    [answer] = await harness.slack.wait_for_response()
    assert answer["text"].startswith("The export could not be written to the audit log")
    assert harness.slack.files == {}
    assert harness.slack.calls_to("files.completeUploadExternal") == []


async def test_a_report_shows_no_comment_it_could_not_audit(
    harness: Harness, audit_down: None
) -> None:
    await _seed_last_week()
    await harness.command("report it", user_id=IT_MANAGER)
    [answer] = await harness.slack.wait_for_response()
    shown = json.dumps(answer)
    assert COMMENT not in shown
    assert "the audit log could not record that you viewed them" in shown
    assert "2.3" in shown  # the figures are still there


async def test_a_managers_digest_dm_waits_for_its_audit_entry(
    harness: Harness, audit_down: None
) -> None:
    await _seed_last_week()
    result = await harness.services.digest.post(Week.parse("2026-W46"))
    assert result.outcome.value == "failed"  # retried later, from where it stopped
    assert harness.slack.posted(harness.slack.dm_channel(IT_MANAGER)) == []


async def test_app_home_shows_no_comment_it_could_not_audit(
    harness: Harness, audit_down: None
) -> None:
    await _seed_last_week()
    await harness.event(home_opened(IT_MANAGER), event_id="EvHomeAudit")
    await harness.services.tasks.drain(5)
    published = harness.slack.calls_to("views.publish")
    assert not any(COMMENT in json.dumps(call.params) for call in published)
