"""Departments and members from quality.yml and from Slack user groups."""

from pathlib import Path

from bot.people.membership import departments_of, member_counts, sync_departments, sync_usergroups
from bot.slack.client import build_client
from bot.slack_standin import SlackStandIn
from models.department import Department
from tests.conftest import Harness, make_settings


async def test_config_members_and_departments_are_synced_on_start(harness: Harness) -> None:
    assert await departments_of("U0IT00002") == ["it"]
    assert await departments_of("U0FIN0001") == ["finance"]
    assert await departments_of("U0NOBODY1") == []
    assert {d.slug: d.name for d in await Department.all()} == {"it": "IT", "finance": "Finance"}


async def test_usergroup_members_join_and_leave(harness: Harness, tmp_path: Path) -> None:
    slack = harness.slack
    settings = make_settings(tmp_path, slack)
    client = build_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    slack.add_usergroup("S0IT00001", ["U0IT00003", "U0IT00004"])
    result = await sync_usergroups(client, settings.quality_file.departments)
    assert result.synced == {"it": 2}
    assert await departments_of("U0IT00003") == ["it"]
    assert (await member_counts())["it"] == 4  # two configured, two from the group

    slack.add_usergroup("S0IT00001", ["U0IT00004", "U0IT00001"])  # 3 left; a manager joined
    await sync_usergroups(client, settings.quality_file.departments)
    assert await departments_of("U0IT00003") == []
    assert (await member_counts())["it"] == 3  # U0IT00001 counted once, in both sources


async def test_a_failing_usergroup_keeps_its_last_members(harness: Harness, tmp_path: Path) -> None:
    slack = harness.slack
    settings = make_settings(tmp_path, slack)
    client = build_client(token=settings.slack_bot_token, base_url=settings.slack_api_url)
    slack.add_usergroup("S0IT00001", ["U0IT00003"])
    await sync_usergroups(client, settings.quality_file.departments)
    slack.fail("usergroups.users.list", error="missing_scope")
    result = await sync_usergroups(client, settings.quality_file.departments)
    assert result.failed == {"it": "missing_scope"}
    assert await departments_of("U0IT00003") == ["it"]


async def test_a_department_removed_from_config_stays_inactive(
    harness: Harness, tmp_path: Path, slack: SlackStandIn
) -> None:
    settings = make_settings(tmp_path, slack)
    quality = settings.quality_file
    only_it = quality.model_copy(
        update={"departments": tuple(d for d in quality.departments if d.slug == "it")}
    )
    await sync_departments(only_it)
    finance = await Department.get(slug="finance")
    assert finance.active is False
    assert await departments_of("U0FIN0001") == []
