"""`quality-bot` as an operator runs it: a real process, real settings, the Slack stand-in."""

from pathlib import Path

from bot.slack_standin import SlackStandIn
from tests.cli import cli_env, run_cli
from tests.conftest import QUALITY_YML
from tests.processes import free_port
from tests.support import BOT_TOKEN, SIGNING_SECRET


async def test_check_config_names_file_key_and_reason(tmp_path: Path) -> None:
    (tmp_path / "quality.yml").write_text(
        "departments:\n  - slug: it\n    name: IT\n  - slug: 'IT Dept'\n    name: Ops\n"
    )
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxp-a-user-token\n")
    code, out, _ = await run_cli(tmp_path, "check-config", env=cli_env(tmp_path))
    assert code == 1
    assert "quality.yml: departments[1].slug: 'IT Dept' must match [a-z0-9-]+" in out
    assert ".env: SLACK_BOT_TOKEN:" in out
    assert "xoxp-a-user-token" not in out  # never echo a secret


async def test_check_config_passes_a_good_configuration(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    env = cli_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,  # check-config asks Slack about the token and channels
    )
    code, out, err = await run_cli(tmp_path, "check-config", env=env)
    assert (code, out.strip()) == (0, "Configuration OK."), err
    assert slack.calls_to("conversations.history")  # the channels were really checked


async def test_serve_refuses_a_missing_setting_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    code, _, err = await run_cli(tmp_path, "serve", env=cli_env(tmp_path, SLACK_SIGNING_SECRET="x"))
    assert code == 2
    [line] = err.strip().splitlines()
    assert line.startswith("quality-bot: environment: SLACK_BOT_TOKEN: is required to serve")
    assert "Traceback" not in err


async def test_serve_refuses_a_token_slack_rejects(tmp_path: Path, slack: SlackStandIn) -> None:
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    env = cli_env(
        tmp_path,
        SLACK_BOT_TOKEN="xoxb-revoked",
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        PORT=str(free_port()),
    )
    code, _, err = await run_cli(tmp_path, "serve", env=env)
    assert code == 1
    assert "quality-bot: SLACK_BOT_TOKEN: Slack refused the token (invalid_auth)" in err
    assert "Traceback" not in err
