"""`quality-bot forget` and `quality-bot audit`, as an operator runs them."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.config import load_settings
from bot.privacy import audit
from bot.runtime import db
from bot.runtime.startup import prepare_database
from bot.slack_standin import SlackStandIn
from models.audit import AuditEntry
from models.department import Department
from models.survey import ANSWERED, OptOut, Poll, Rating
from tests.cli import cli_env, run_cli
from tests.conftest import QUALITY_YML
from tests.database import database_url
from tests.support import BOT_TOKEN

SAM, KIM = "U0EMP0001", "U0EMP0002"


async def _open(tmp_path: Path) -> None:
    url = database_url(tmp_path, "q")
    await prepare_database(load_settings(environ={"DATABASE_URL": url}, cwd=tmp_path))


async def _seed(tmp_path: Path) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    await _open(tmp_path)
    try:
        it = await Department.get(slug="it")
        for user_id, count in ((SAM, 2), (KIM, 1)):
            for number in range(count):
                await Poll.create(
                    user_id=user_id,
                    department=it,
                    trigger="webhook",
                    trigger_key=f"JIRA-{user_id}-{number}",
                    status=ANSWERED,
                    created_at=datetime(2026, 11, 16, tzinfo=UTC),
                )
            await OptOut.create(user_id=user_id)
        await Rating.create(department=it, rater_department="finance", score=4, week="2026-W47")
    finally:
        await db.close_database()


async def _left(tmp_path: Path) -> dict[str, int]:
    await _open(tmp_path)
    try:
        return {
            "sam_polls": await Poll.filter(user_id=SAM).count(),
            "kim_polls": await Poll.filter(user_id=KIM).count(),
            "sam_opt_out": await OptOut.filter(user_id=SAM).count(),
            "ratings": await Rating.all().count(),
            "erasures": await AuditEntry.filter(action="erase", subject=SAM, actor="cli").count(),
        }
    finally:
        await db.close_database()


async def test_forget_by_user_id(tmp_path: Path) -> None:
    await _seed(tmp_path)
    code, out, err = await run_cli(tmp_path, "forget", SAM, env=cli_env(tmp_path))
    assert code == 0, err
    assert out.splitlines()[0] == f"Erased everything stored about {SAM}: 2 polls, 1 opt-out."
    assert await _left(tmp_path) == {
        "sam_polls": 0, "kim_polls": 1, "sam_opt_out": 0, "ratings": 1, "erasures": 1
    }  # fmt: skip
    code, out, _ = await run_cli(tmp_path, "forget", SAM, env=cli_env(tmp_path))
    assert code == 0 and out.startswith(f"Nothing was left to erase about {SAM}")


async def test_forget_someone_quality_yml_lists_says_so(tmp_path: Path) -> None:
    await _seed(tmp_path)
    code, out, err = await run_cli(tmp_path, "forget", "U0IT00001", env=cli_env(tmp_path))
    assert code == 0, err
    assert "1 department membership" in out  # synced from quality.yml at start
    assert (
        "Still listed in quality.yml as a member of it and a manager of it: remove them there, "
        "or the next start lists them again."
    ) in out


async def test_forget_by_email_asks_slack_who_it_is(tmp_path: Path, slack: SlackStandIn) -> None:
    await _seed(tmp_path)
    slack.add_user(SAM, name="sam", email="Sam.Doe@example.com")
    env = cli_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url)
    code, out, err = await run_cli(tmp_path, "forget", "sam.doe@example.com", env=env)
    assert code == 0, err
    assert out.startswith(f"Erased everything stored about {SAM}: 2 polls")
    [call] = slack.calls_to("users.lookupByEmail")
    assert call.params["email"] == "sam.doe@example.com"
    assert (await _left(tmp_path))["sam_polls"] == 0


async def test_an_unknown_email_or_a_missing_token_is_one_clear_line(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    await _seed(tmp_path)
    env = cli_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url)
    code, out, err = await run_cli(tmp_path, "forget", "nobody@example.com", env=env)
    assert (code, out) == (2, "")
    assert err.strip() == "quality-bot: no Slack user has the email 'nobody@example.com'"
    code, _, err = await run_cli(tmp_path, "forget", "sam@example.com", env=cli_env(tmp_path))
    assert code == 2
    assert err.strip() == (
        "quality-bot: SLACK_BOT_TOKEN: required to look a person up by email "
        "(or give their user id)"
    )
    code, _, err = await run_cli(tmp_path, "forget", "sam", env=cli_env(tmp_path))
    assert code == 2
    assert err.strip() == (
        "quality-bot: 'sam' is neither a Slack user id (like U0123ABCD) nor an email address"
    )
    assert (await _left(tmp_path))["sam_polls"] == 2  # nothing was erased


async def test_audit_lists_newest_first_aligned_and_since_a_date(tmp_path: Path) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    now = datetime.now(UTC).replace(microsecond=0)
    await _open(tmp_path)
    try:
        await audit.record(now - timedelta(days=30), "U0IT00001", "view_comments", "it", "weeks=4")
        await audit.record(now - timedelta(days=2), "U0ADMIN01", "export", "finance", "weeks=12")
    finally:
        await db.close_database()
    assert (await run_cli(tmp_path, "forget", SAM, env=cli_env(tmp_path)))[0] == 0

    code, out, err = await run_cli(tmp_path, "audit", env=cli_env(tmp_path))
    assert code == 0, err
    header, *rows = out.splitlines()
    assert header.split() == ["when", "(UTC)", "who", "action", "subject", "detail"]
    assert [row.split()[3] for row in rows] == ["erase", "export", "view_comments"]
    assert rows[1].startswith(f"{now - timedelta(days=2):%Y-%m-%d %H:%M:%S}  U0ADMIN01  export")
    assert rows[0].endswith(
        "polls=0 memberships=0 opt_outs=0 follow_ups=0 thanks=0 actions=0 "
        "announcements=0 marks=0 digest_dms=0 texts=0 messages=0 departments=0 names=0"
    )
    # Aligned: each column starts at the same place on every line.
    for column in ("who", "action", "subject", "detail"):
        start = header.index(column)
        assert all(row[start - 2 : start] == "  " and row[start] != " " for row in rows)

    since = (now - timedelta(days=10)).date().isoformat()
    code, out, _ = await run_cli(tmp_path, "audit", "--since", since, env=cli_env(tmp_path))
    assert code == 0
    assert [row.split()[3] for row in out.splitlines()[1:]] == ["erase", "export"]

    future = (now + timedelta(days=10)).date().isoformat()
    code, out, _ = await run_cli(tmp_path, "audit", "--since", future, env=cli_env(tmp_path))
    assert (code, out.strip()) == (0, f"No audit entries since {future} 00:00 UTC.")

    code, _, err = await run_cli(tmp_path, "audit", "--since", "last week", env=cli_env(tmp_path))
    assert code == 2
    assert err.strip() == "quality-bot: --since: 'last week' is not an ISO date (like 2026-11-16)"
