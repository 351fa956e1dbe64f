"""Configured channels the bot is not in, said where an operator looks: `serve` warns at start
and keeps running, `check-config` reports each as a problem."""

from pathlib import Path

import pytest

from bot.slack_standin import SlackStandIn
from tests.cli import cli_env, run_cli
from tests.conftest import QUALITY_YML
from tests.processes import ServeProcess, free_port, serve_env
from tests.support import BOT_TOKEN, SIGNING_SECRET, eventually

# check-config opens no database: its tests run once, in the SQLite run.
only_once = pytest.mark.same_on_either_database

NOT_IN_ALERTS = (
    "quality.yml: departments[0].alert_channel: @quality-bot is not in channel C0ITTEAM1"
    " (IT's alert channel): invite it — in that channel, type /invite @quality-bot"
)
PRIVATE_FINANCE = (
    "quality.yml: departments[1].channels[0]: @quality-bot cannot see channel C0FINANCE"
    " (Finance's service channel): check the id (the channel's details show it), and if the"
    " channel is private, invite @quality-bot to it (/invite @quality-bot)"
)


def check_env(tmp_path: Path, api_url: str) -> dict[str, str]:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    return cli_env(
        tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=api_url,
    )  # fmt: skip


async def test_serve_warns_about_each_channel_it_cannot_use_and_runs(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    slack.remove_bot("C0ITTEAM1")
    slack.add_channel("C0FINANCE", name="finance", private=True, bot_member=False)
    serve = ServeProcess(tmp_path, serve_env(tmp_path, slack))

    await serve.start()
    try:
        await serve.healthy()  # it runs; the channels are checked beside the start
        await eventually(lambda: NOT_IN_ALERTS in serve.log and PRIVATE_FINANCE in serve.log)
    finally:
        assert await serve.stop() == 0

    # The channels the bot is in are fine: no word about them.
    assert "channel C0ITHELP1 (" not in serve.log and "channel C0DIGEST01 (" not in serve.log


@only_once
async def test_check_config_names_each_channel_to_invite_the_bot_to(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    slack.remove_bot("C0ITTEAM1")
    slack.add_channel("C0FINANCE", name="finance", private=True, bot_member=False)

    code, out, err = await run_cli(tmp_path, "check-config", env=check_env(tmp_path, slack.api_url))

    assert code == 1
    assert out.splitlines() == [NOT_IN_ALERTS, PRIVATE_FINANCE]
    assert "2 problems found." in err


@only_once
async def test_check_config_says_a_channel_id_slack_does_not_know(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    env = check_env(tmp_path, slack.api_url)
    (tmp_path / "quality.yml").write_text(QUALITY_YML.replace("C0DIGEST01", "C0DIGSET01"))

    code, out, _ = await run_cli(tmp_path, "check-config", env=env)

    assert code == 1
    assert out.strip() == (
        "quality.yml: digest.channel: @quality-bot cannot see channel C0DIGSET01 (the digest"
        " channel): check the id (the channel's details show it), and if the channel is"
        " private, invite @quality-bot to it (/invite @quality-bot)"
    )


@only_once
async def test_check_config_reports_a_token_slack_refuses(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    env = {**check_env(tmp_path, slack.api_url), "SLACK_BOT_TOKEN": "xoxb-revoked"}

    code, out, _ = await run_cli(tmp_path, "check-config", env=env)

    assert (code, out.strip()) == (
        1,
        "environment: SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)",
    )


@only_once
async def test_check_config_without_slack_checks_the_files_and_says_what_it_skipped(
    tmp_path: Path,
) -> None:
    nobody = f"http://127.0.0.1:{free_port()}/api/"

    code, out, err = await run_cli(tmp_path, "check-config", env=check_env(tmp_path, nobody))

    assert (code, out.strip()) == (0, "Configuration OK.")
    assert f"Slack unreachable at {nobody}" in err
    assert "the token, names and channels were not checked" in err


@only_once
async def test_check_config_names_a_team_channel_the_bot_is_not_in(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    env = check_env(tmp_path, slack.api_url)
    (tmp_path / "quality.yml").write_text(
        QUALITY_YML.replace("    alert_channel: C0ITTEAM1\n", "    alert_channel: C0ITTEAM1\n"
                            "    team_channel: C0ITKUDOS\n")
    )  # fmt: skip
    slack.add_channel("C0ITKUDOS", name="it-kudos", bot_member=False)

    code, out, _ = await run_cli(tmp_path, "check-config", env=env)

    assert code == 1
    assert out.splitlines() == [
        "quality.yml: departments[0].team_channel: @quality-bot is not in channel C0ITKUDOS"
        " (IT's team channel): invite it — in that channel, type /invite @quality-bot"
    ]
