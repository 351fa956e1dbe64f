"""Erasing a person: everything naming them goes, ratings and other people stay."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import Settings, load_settings
from bot.privacy import audit
from bot.privacy.erasure import Erased, describe, forget, still_listed
from bot.privacy.stored import what_we_store
from bot.runtime import db
from bot.runtime.startup import prepare_database
from models.audit import ERASE, VIEW_COMMENTS, AuditEntry
from models.department import Department, Membership
from models.digest import SENT, DigestPart, DigestPost
from models.survey import ANSWERED, EXPIRED, SKIPPED, FollowUp, OptOut, Poll, Rating
from tests.conftest import QUALITY_YML
from tests.database import database_url

SAM, KIM = "U0EMP0001", "U0EMP0002"
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


@pytest.fixture
async def settings(tmp_path: Path) -> AsyncIterator[Settings]:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    loaded = load_settings(environ={"DATABASE_URL": database_url(tmp_path, "q")}, cwd=tmp_path)
    await prepare_database(loaded)
    yield loaded
    await db.close_database()


async def seed_person(
    user_id: str, *, polls: list[tuple[str, str]], groups: list[tuple[str, str]], dms: list[str]
) -> None:
    """Rows as the app stores them: polls (department, status), memberships (department,
    source), an opt-out, one follow-up about the first poll's department, digest DM parts."""
    for number, (slug, status) in enumerate(polls):
        await Poll.create(
            user_id=user_id,
            department=await Department.get(slug=slug),
            trigger="reaction",
            trigger_key=f"{user_id}-{number}",
            summary="VPN drops every hour",
            status=status,
            created_at=datetime(2026, 11, 2 + number, 10, tzinfo=UTC),
        )
    for slug, source in groups:
        await Membership.create(
            user_id=user_id, department=await Department.get(slug=slug), source=source
        )
    await OptOut.create(user_id=user_id)
    await FollowUp.create(
        user_id=user_id,
        department=await Department.get(slug=polls[0][0]),
        comment="Call me about the VPN",
        created_at=NOW,
    )
    post, _ = await DigestPost.get_or_create(
        week="2026-W46", channel="C0DIGEST01", defaults={"created_at": NOW}
    )
    for key in dms:
        await DigestPart.create(post=post, key=key, status=SENT, channel="D0DM", ts="1.2")


async def seed_both() -> None:
    await seed_person(
        SAM,
        polls=[("it", ANSWERED), ("finance", EXPIRED), ("it", SKIPPED)],
        groups=[("finance", "config"), ("it", "usergroup")],
        dms=[f"dm-it-{SAM}", f"dm-finance-{SAM}"],
    )
    await seed_person(
        KIM, polls=[("finance", ANSWERED), ("it", ANSWERED)], groups=[("it", "config")], dms=[]
    )
    post = await DigestPost.get(week="2026-W46")
    # Parts that merely end in Sam's id, or name nobody: never Sam's DM record.
    for key in ("main", "chart", "thread-1", f"dm-it-X{SAM}", f"dm-it-{KIM}"):
        await DigestPart.create(post=post, key=key, status=SENT)
    it = await Department.get(slug="it")
    for score in (5, 4, 2, 1):
        await Rating.create(department=it, rater_department="finance", score=score, week="2026-W46")
    await audit.record(NOW, SAM, VIEW_COMMENTS, subject="it", detail="weeks=4 via /quality report")


async def test_forget_removes_every_row_naming_the_person_and_nothing_else(
    settings: Settings,
) -> None:
    await seed_both()
    erased = await forget(SAM, actor="U0ADMIN01", now=NOW)

    assert erased.counts == {
        "polls": 3, "memberships": 2, "opt_outs": 1, "follow_ups": 1, "thanks": 0, "actions": 0,
        "announcements": 0, "marks": 0, "digest_dms": 2, "texts": 0, "messages": 0,
        "departments": 0, "names": 0,
    }  # fmt: skip
    assert erased.usergroups == ("it",)  # the next user-group sync would add Sam back
    assert erased.audit_entries_kept == 1
    for model in (Poll, Membership, OptOut, FollowUp):
        assert not await model.filter(user_id=SAM).exists()
    # Kim is untouched, and so is every anonymous rating.
    assert await Poll.filter(user_id=KIM).count() == 2
    assert await Membership.filter(user_id=KIM).count() == 1
    assert await OptOut.exists(user_id=KIM) and await FollowUp.exists(user_id=KIM)
    assert await Rating.all().count() == 4
    keys = {str(key) for key in await DigestPart.all().values_list("key", flat=True)}
    assert keys == {"main", "chart", "thread-1", f"dm-it-X{SAM}", f"dm-it-{KIM}"}


async def test_the_erasure_is_audited_with_its_counts(settings: Settings) -> None:
    await seed_both()
    await forget(SAM, actor="U0ADMIN01", now=NOW)
    [entry] = await AuditEntry.filter(action=ERASE)
    assert (entry.at, entry.actor, entry.subject) == (NOW, "U0ADMIN01", SAM)
    assert entry.detail == (
        "polls=3 memberships=2 opt_outs=1 follow_ups=1 thanks=0 actions=0 "
        "announcements=0 marks=0 digest_dms=2 texts=0 messages=0 departments=0 names=0"
    )
    # The log of what Sam viewed as a reader of comments stays: it is who saw what.
    assert await AuditEntry.filter(actor=SAM, action=VIEW_COMMENTS).count() == 1


async def test_erasing_twice_is_harmless_and_says_nothing_was_left(settings: Settings) -> None:
    await seed_both()
    await forget(SAM, actor="U0ADMIN01", now=NOW)
    again = await forget(SAM, actor="cli", now=NOW)
    assert again.total == 0
    assert describe(again, SAM)[0].startswith(f"Nothing was left to erase about {SAM}")
    assert await AuditEntry.filter(action=ERASE, subject=SAM).count() == 2
    assert await Poll.filter(user_id=KIM).count() == 2


async def test_an_erasure_that_cannot_be_audited_erases_nothing(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed_both()

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        await forget(SAM, actor="U0ADMIN01", now=NOW)
    assert await Poll.filter(user_id=SAM).count() == 3
    assert await DigestPart.filter(key=f"dm-it-{SAM}").exists()


async def test_only_a_slack_user_id_is_accepted(settings: Settings) -> None:
    for bad in ("U0EMP%", "", "u0emp0001", "U0EMP0001 ", "sam@example.com"):
        with pytest.raises(ValueError):
            await forget(bad, actor="cli", now=NOW)
    assert not await AuditEntry.exists()


async def test_privacy_reads_what_is_stored_and_forget_empties_it(settings: Settings) -> None:
    await seed_both()
    stored = await what_we_store(settings.quality_file, SAM)
    assert stored.polls == 3
    assert stored.polls_by_status == {"answered": 1, "expired": 1, "skipped": 1}
    assert [d.slug for d in stored.poll_departments] == ["finance", "it"]
    assert stored.oldest_poll == datetime(2026, 11, 2, 10, tzinfo=UTC)
    assert [(d.slug, source) for d, source in stored.memberships] == [
        ("finance", "config"), ("it", "usergroup")
    ]  # fmt: skip
    assert stored.opted_out_since is not None
    assert (stored.follow_ups, stored.digest_dms, stored.audit_entries) == (1, 2, 1)
    assert (stored.admin, stored.manages, stored.admins) == (False, (), ("U0ADMIN01",))

    await forget(SAM, actor="U0ADMIN01", now=NOW)
    after = await what_we_store(settings.quality_file, SAM)
    assert (after.polls, after.memberships, after.opted_out_since, after.follow_ups) == (
        0, (), None, 0
    )  # fmt: skip
    assert after.digest_dms == 0
    assert (await what_we_store(settings.quality_file, KIM)).polls == 2


async def test_the_answer_says_where_the_person_is_still_listed(settings: Settings) -> None:
    quality = settings.quality_file
    assert still_listed(quality, "U0IT00001") == ["a member of it", "a manager of it"]
    assert still_listed(quality, "U0ADMIN01") == ["an admin"]
    assert still_listed(quality, SAM) == []
    erased = Erased(SAM, 2, 1, 0, 1, 0, 0, 0, 0, 0, usergroups=("it",), audit_entries_kept=3)
    lines = describe(erased, "<@U0IT00001>", still_listed(quality, "U0IT00001"))
    assert lines[0] == (
        "Erased everything stored about <@U0IT00001>: 2 polls, 1 department membership, "
        "1 follow-up."
    )
    assert (
        "Still listed in quality.yml as a member of it and a manager of it: remove them there, "
        "or the next start lists them again."
    ) in lines
    assert any(line.startswith("Still in the Slack user group of it") for line in lines)
    assert any(line.startswith("Kept: 3 audit-log entries") for line in lines)
