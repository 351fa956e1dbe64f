"""`quality-bot digest` as an operator runs it: text, its public JSON, and --post once a week."""

import asyncio
import json
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.clock import utc_now
from bot.config import load_settings
from bot.people.membership import sync_departments
from bot.runtime import db
from bot.slack_standin import SlackStandIn
from bot.weeks import Week
from models.digest import DigestPost
from tests.bot import digest_data as data
from tests.cli import cli_env, run_cli
from tests.conftest import QUALITY_YML
from tests.database import database_url
from tests.support import BOT_TOKEN


async def _seed(tmp_path: Path) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    url = database_url(tmp_path, "q")
    await db.migrate(url)
    await db.open_database(url)
    try:
        settings = load_settings(environ={"DATABASE_URL": url}, cwd=tmp_path)
        await sync_departments(settings.quality_file)
        await data.ratings("it", "2026-W47", [5, 4, 3], rater="finance")
        await data.reviews("it", "2026-W47", [2, 2, 2])
    finally:
        await db.close_database()


async def test_json_is_spec_shaped_and_text_is_readable(tmp_path: Path) -> None:
    await _seed(tmp_path)
    code, out, err = await run_cli(
        tmp_path, "digest", "--week", "2026-W47", "--json", env=cli_env(tmp_path)
    )
    assert code == 0, err
    digest = json.loads(out)
    assert list(digest) == ["week", "start", "end", "timezone", "departments", "matrix"]
    it = digest["departments"][0]
    assert it["internal"] == {
        "responses": 3, "average": 4.0, "previous_average": None, "sentiment": None,
        "suppressed": False,
    }  # fmt: skip
    assert digest["matrix"] == [{"from": "finance", "to": "it", "responses": 3, "average": 4.0}]
    code, out, _ = await run_cli(tmp_path, "digest", "--week", "2026-W47", env=cli_env(tmp_path))
    assert code == 0
    assert "2026-W47" in out and "IT" in out and "external rating 2.0, under 3" in out


async def test_a_bad_week_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    code, _, err = await run_cli(tmp_path, "digest", "--week", "2026-W60", env=cli_env(tmp_path))
    assert code == 2
    assert err.strip() == "quality-bot: --week: '2026-W60': 2026 has no week 60"


async def test_post_goes_through_the_claim_once(tmp_path: Path, slack: SlackStandIn) -> None:
    await _seed(tmp_path)
    env = cli_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url)
    code, out, err = await run_cli(tmp_path, "digest", "--week", "2026-W47", "--post", env=env)
    assert (code, out.strip()) == (0, "Posted the digest of 2026-W47 to C0DIGEST01."), err
    code, out, _ = await run_cli(tmp_path, "digest", "--week", "2026-W47", "--post", env=env)
    assert (code, out.strip()) == (0, "The digest of 2026-W47 is already in C0DIGEST01.")
    mains = [m for m in slack.messages["C0DIGEST01"] if m.get("metadata")]
    assert len(mains) == 1


async def test_post_refuses_a_week_that_is_not_over(tmp_path: Path, slack: SlackStandIn) -> None:
    await _seed(tmp_path)
    env = cli_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url)
    # The command reads the real clock, and the current week is never over yet. It is named
    # with the moment the scheduler posts it (quality.yml: Europe/Berlin, "mon 09:00").
    tz = ZoneInfo("Europe/Berlin")
    week = Week.of(utc_now(), tz)
    monday = week.next.monday
    code, _, err = await run_cli(tmp_path, "digest", "--week", week.label, "--post", env=env)
    assert code == 2
    assert err.strip() == (
        f"quality-bot: --week: {week} is not over yet; "
        f"it can be posted from Monday {monday:%Y-%m-%d} 09:00 Europe/Berlin."
    )
    assert slack.calls_to("chat.postMessage") == []
    await db.open_database(database_url(tmp_path, "q"))
    try:
        assert not await DigestPost.exists()  # its one post is not spent
    finally:
        await db.close_database()
    # Looking at the week so far is fine.
    code, out, err = await run_cli(tmp_path, "digest", "--week", week.label, "--json", env=env)
    assert code == 0 and json.loads(out)["week"] == week.label, err
    code, out, err = await run_cli(tmp_path, "digest", "--week", week.label, env=env)
    assert code == 0 and week.label in out, err


async def test_post_needs_a_token(tmp_path: Path) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    code, _, err = await run_cli(tmp_path, "digest", "--post", env=cli_env(tmp_path))
    assert code == 2 and "SLACK_BOT_TOKEN: required to post the digest" in err


async def test_processes_posting_at_once_post_once(tmp_path: Path, slack: SlackStandIn) -> None:
    await _seed(tmp_path)
    env = cli_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=slack.api_url)
    runs = await asyncio.gather(
        *(run_cli(tmp_path, "digest", "--week", "2026-W47", "--post", env=env) for _ in range(4))
    )
    assert [code for code, _, _ in runs] == [0, 0, 0, 0], runs
    outs = [out.strip() for _, out, _ in runs]
    assert outs.count("Posted the digest of 2026-W47 to C0DIGEST01.") == 1, runs
    others = {"Another instance is posting the digest of 2026-W47 right now.",
              "The digest of 2026-W47 is already in C0DIGEST01."}  # fmt: skip
    assert set(outs) - {"Posted the digest of 2026-W47 to C0DIGEST01."} <= others, runs
    mains = [m for m in slack.messages["C0DIGEST01"] if m.get("metadata")]
    assert len(mains) == 1
