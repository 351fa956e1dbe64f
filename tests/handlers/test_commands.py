"""`/quality` through /slack/events, signed as Slack signs it."""

from tests.conftest import Harness
from tests.support import message_text


async def test_help_lists_the_built_subcommands_ephemerally(harness: Harness) -> None:
    resp = await harness.command("help")
    assert resp.status == 200
    body = await resp.json()
    assert body["response_type"] == "ephemeral"
    text = message_text(body)
    assert "`/quality help`" in text
    usages = [
        "help", "rate [department]", "report [department] [weeks]", "departments", "digest",
        "digest post", "export [department]", "privacy", "optout", "optin", "forget @user",
    ]  # fmt: skip
    positions = [text.index(f"`/quality {usage}`") for usage in usages]
    assert positions == sorted(positions)  # the order the help documents


async def test_empty_command_shows_help(harness: Harness) -> None:
    body = await (await harness.command("")).json()
    assert "`/quality help`" in message_text(body)


async def test_unknown_subcommand_gets_help_naming_it(harness: Harness) -> None:
    body = await (await harness.command("fly <@U0IT00001|bob> away")).json()
    text = message_text(body)
    assert "I don't know `fly`" in text
    assert "`/quality help`" in text


async def test_unknown_subcommand_is_escaped(harness: Harness) -> None:
    body = await (await harness.command("<!channel>")).json()
    assert "&lt;!channel&gt;" in message_text(body)


async def test_departments_answers_through_response_url(harness: Harness) -> None:
    resp = await harness.command("departments")
    assert resp.status == 200
    assert await resp.text() == ""  # acknowledged at once; the answer follows
    [reply] = await harness.slack.wait_for_response()
    assert reply["response_type"] == "ephemeral"
    text = message_text(reply)
    assert "*IT*  `it`" in text and "*Finance*  `finance`" in text
    assert "<#C0ITHELP1>" in text and "<@U0IT00001>" in text
    assert "2 members" in text  # the configured members of IT


async def test_departments_with_arguments_gets_help(harness: Harness) -> None:
    body = await (await harness.command("departments it")).json()
    assert "takes no arguments" in message_text(body)
