"""Names in quality.yml — `#it-help`, `@ines`, `ines@acme.com`, `@it-team` — resolved through
Slack at start and by check-config, remembered for when Slack cannot be asked, and every name
Slack does not know reported with its key."""

import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import yaml
from slack_sdk.web.async_client import AsyncWebClient

from bot.config import LiveQuality, QualityConfig, parse_quality_config, read_quality_config
from bot.config.quality_yaml import QualityConfigError
from bot.people.directory import Directory, UnresolvedNames
from bot.people.names import resolve_names
from bot.runtime import db
from bot.slack_standin import SlackStandIn
from models.department import Membership, SlackName
from models.survey import Poll
from tests.cli import cli_env, run_cli
from tests.conftest import make_settings, start_harness
from tests.database import database_url
from tests.handlers.poll_flows import SERVED_TS, reaction
from tests.support import BOT_TOKEN, SIGNING_SECRET, FakeClock, until

NAMED = """\
admins: ["@ada"]
digest:
  channel: "#quality"
departments:
  - slug: it
    name: IT
    channels: ["#it-help", "#it-private"]
    alert_channel: C0ITTEAM1
    members: ["@ines", "bo@acme.com", U0IT00009]
    usergroup: "@it-team"
    managers: ["@ines"]
"""


def workspace(slack: SlackStandIn) -> None:
    slack.add_user("U0ADA0001", name="ada")
    slack.add_user("U0IT00001", name="ines.m", display_name="ines")  # @ines: as Slack shows her
    slack.add_user("U0IT00002", name="bo", email="Bo@Acme.com")
    slack.add_user("U0SAM0001", name="sam.a", display_name="sam")  # two people show as "sam"
    slack.add_user("U0SAM0002", name="sam.k", display_name="sam")
    slack.add_usergroup("S0IT00001", ["U0IT00001"], handle="it-team", name="IT team")
    slack.add_channel("C0ITHELP1", name="it-help")
    slack.add_channel("C0ITPRIV1", name="it-private", private=True)
    slack.add_channel("C0ITTEAM1", name="it-team")
    slack.add_channel("C0QUALITY", name="quality")


@pytest.fixture
async def client(slack: SlackStandIn) -> AsyncIterator[AsyncWebClient]:
    workspace(slack)
    yield AsyncWebClient(token=slack.token, base_url=slack.api_url)


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[None]:
    url = database_url(tmp_path)
    await db.migrate(url)
    await db.open_database(url)
    yield
    await db.close_database()


async def test_every_name_form_is_resolved_through_slack(
    client: AsyncWebClient, database: None
) -> None:
    resolution = await resolve_names(parse_quality_config_text(NAMED), client, now=FakeClock()())

    quality = resolution.quality
    assert resolution.unresolved == [] and quality is not None
    assert quality.admins == ("U0ADA0001",)
    assert quality.digest.channel == "C0QUALITY"
    [it] = quality.departments
    assert it.channels == ("C0ITHELP1", "C0ITPRIV1")
    assert it.alert_channel == "C0ITTEAM1"  # ids keep working
    assert it.members == ("U0IT00001", "U0IT00002", "U0IT00009")
    assert (it.usergroup, it.managers) == ("S0IT00001", ("U0IT00001",))
    cached = {(n.kind, n.name): n.slack_id for n in await SlackName.all()}
    assert cached[("channel", "#it-help")] == "C0ITHELP1"
    assert cached[("user", "bo@acme.com")] == "U0IT00002"


async def test_each_unknown_name_is_reported_at_its_key(
    client: AsyncWebClient, slack: SlackStandIn, database: None
) -> None:
    slack.remove_bot("C0ITPRIV1")  # private, and the bot was never invited: Slack hides it
    text = NAMED.replace('"#quality"', '"#qualty"').replace('"@ada"', '"@sam"')
    text = text.replace("bo@acme.com", "bob@acme.com").replace('"@it-team"', '"@it-tema"')

    resolution = await resolve_names(parse_quality_config_text(text), client, now=FakeClock()())

    assert resolution.quality is None
    assert resolution.unresolved == [
        ("admins[0]", "@sam: 2 people in Slack go by this name; give their email or member ID"
                      " instead"),
        ("digest.channel", "#qualty: no such channel in Slack (or it is private, and the bot is"
                           " not in it: invite it with /invite, or give the channel's id)"),
        ("departments[0].channels[1]", "#it-private: no such channel in Slack (or it is private,"
         " and the bot is not in it: invite it with /invite, or give the channel's id)"),
        ("departments[0].members[1]", "bob@acme.com: nobody in Slack has this email"),
        ("departments[0].usergroup", "@it-tema: no such user group handle in Slack"),
    ]  # fmt: skip


async def test_names_resolved_once_serve_when_slack_is_down(
    client: AsyncWebClient, slack: SlackStandIn, database: None
) -> None:
    quality = parse_quality_config_text(NAMED)
    first = await resolve_names(quality, client, now=FakeClock()())
    slack.fail_http("conversations.list", 503, times=10)

    again = await resolve_names(quality, client, now=FakeClock()())
    offline = await resolve_names(quality, None, now=FakeClock()())  # a command: no Slack asked

    assert again.quality == first.quality == offline.quality


async def test_a_name_never_resolved_stops_the_start_with_its_key(
    client: AsyncWebClient, slack: SlackStandIn, database: None
) -> None:
    quality = parse_quality_config_text(NAMED)
    directory = Directory(quality_file=quality, live=LiveQuality(quality), client=None,
                          clock=FakeClock())  # fmt: skip

    with pytest.raises(UnresolvedNames) as raised:
        await directory.start()

    assert raised.value.unresolved[0] == (
        "admins[0]",
        "@ada: not resolved through Slack yet (`quality-bot serve` resolves it when it starts)",
    )
    assert not await Membership.exists()


def parse_quality_config_text(text: str) -> QualityConfig:
    return parse_quality_config(yaml.safe_load(text))


@pytest.mark.same_on_either_database
@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ('    channels: [#it-help]', '#it-help must be in quotes, like "#it-help": unquoted, YAML'
                                    " reads it as a comment"),
        ("    alert_channel: #it-team", '#it-team must be in quotes, like "#it-team": unquoted,'
                                        " YAML reads it as a comment"),
        ("    managers: [@ines]", '@ines must be in quotes, like "@ines": unquoted, YAML cannot'
                                  " read it"),
        ("    members:\n      - @ines", '@ines must be in quotes, like "@ines": unquoted, YAML'
                                        " cannot read it"),
    ],
)  # fmt: skip
def test_an_unquoted_name_is_pointed_at(tmp_path: Path, line: str, reason: str) -> None:
    path = tmp_path / "quality.yml"
    path.write_text("departments:\n  - slug: it\n    name: IT\n" + line + "\n")

    with pytest.raises(QualityConfigError) as raised:
        read_quality_config(path)

    assert raised.value.issues == [(f"line {4 + line.count(chr(10))}", reason)]


async def test_serve_resolves_names_at_start_and_polls_by_them(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    workspace(slack)
    slack.add_user("U0FIN0001", name="farah")
    slack.add_message("C0ITHELP1", SERVED_TS, user="U0FIN0001", text="My VPN drops")
    h = await start_harness(make_settings(tmp_path, slack, quality_yml=NAMED), slack)
    try:
        [it] = h.services.quality.current.departments
        assert it.channels == ("C0ITHELP1", "C0ITPRIV1") and it.managers == ("U0IT00001",)
        # Ines (@ines) marks it served in #it-help: the poll goes to its author.
        await h.event(reaction(reactor="U0IT00001"), event_id="EvNamed1")
        await until(lambda: Poll.filter(user_id="U0FIN0001", department__slug="it").exists())
        assert await Membership.exists(user_id="U0IT00002", department__slug="it")  # by email
        # What it keeps to know who "bo@acme.com" is, Bo is told, and an erasure removes.
        await h.command("privacy", user_id="U0IT00002")
        [answer] = await slack.wait_for_response()
        assert "quality.yml names you as bo@acme.com" in json.dumps(answer)
    finally:
        await h.client.close()


@pytest.mark.system
@pytest.mark.same_on_either_database  # check-config opens no database
async def test_check_config_names_what_slack_does_not_know(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    workspace(slack)
    (tmp_path / "quality.yml").write_text(NAMED.replace('"#it-help"', '"#it-hlep"'))
    slack.remove_bot("C0ITTEAM1")
    env = cli_env(tmp_path, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                  SLACK_API_URL=slack.api_url)  # fmt: skip

    code, out, _ = await run_cli(tmp_path, "check-config", env=env)

    assert code == 1
    assert out.splitlines() == [
        "quality.yml: departments[0].channels[0]: #it-hlep: no such channel in Slack (or it is"
        " private, and the bot is not in it: invite it with /invite, or give the channel's id)"
    ]
    # Once every name resolves, the channels are checked, each shown as quality.yml names it.
    (tmp_path / "quality.yml").write_text(NAMED.replace("C0ITTEAM1", '"#it-team"'))
    code, out, _ = await run_cli(tmp_path, "check-config", env=env)
    assert out.splitlines() == [
        "quality.yml: departments[0].alert_channel: @quality-bot is not in channel #it-team"
        " (IT's alert channel): invite it — in that channel, type /invite @quality-bot"
    ]
