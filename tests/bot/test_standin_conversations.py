"""Channels, threads and message text in the Slack stand-in, as Slack has them: the bot reads and
posts only where it was invited, a thread comes parent first, and text is escaped."""

from collections.abc import AsyncIterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_standin import SlackStandIn
from bot.slack_standin.text import slack_text_of
from tests.support import Escaped, command_body

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

TOKEN = "xoxb-test-token"
PARENT, FIRST, SECOND, THIRD = (f"1763456400.00010{n}" for n in range(4))


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(token=TOKEN) as standin:
        standin.add_user("U0EMP0001", name="sam")
        standin.add_channel("C0ITHELP1", name="it-help")
        standin.add_channel("C0RANDOM1", name="random", bot_member=False)
        standin.add_channel("G0SECRET1", name="hr-cases", private=True, bot_member=False)
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=slack.api_url)


async def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as caught:
        await call
    return str(caught.value.response["error"])


def texts(response: Any) -> list[str]:
    return [m["text"] for m in response["messages"]]


# channels and membership


async def test_the_bot_posts_and_reads_only_where_it_was_invited(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel="C0ITHELP1", text="in")

    # chat:write without chat:write.public: a public channel the bot is not in says so…
    assert await error_of(client.chat_postMessage(channel="C0RANDOM1", text="x")) == (
        "not_in_channel"
    )
    assert await error_of(client.conversations_history(channel="C0RANDOM1")) == "not_in_channel"
    assert await error_of(client.conversations_replies(channel="C0RANDOM1", ts=PARENT)) == (
        "not_in_channel"
    )
    # …a private one it is not in, and an id no channel has, do not exist for it.
    for hidden in ("G0SECRET1", "C0NOSUCH1"):
        assert await error_of(client.chat_postMessage(channel=hidden, text="x")) == (
            "channel_not_found"
        )
        assert await error_of(client.conversations_history(channel=hidden)) == ("channel_not_found")
    ephemeral = client.chat_postEphemeral(channel="C0RANDOM1", user="U0EMP0001", text="x")
    assert await error_of(ephemeral) == "not_in_channel"
    upload = client.files_upload_v2(channel="C0RANDOM1", content=b"x", filename="x.csv")
    assert await error_of(upload) == "not_in_channel"
    assert [m["channel"] for m in slack.posted()] == ["C0ITHELP1"]


async def test_dms_need_no_invitation(slack: SlackStandIn, client: AsyncWebClient) -> None:
    by_user = await client.chat_postMessage(channel="U0EMP0001", text="Rate IT?")
    group = await client.conversations_open(users="U0EMP0001,U0IT00001")
    await client.chat_postMessage(channel=group["channel"]["id"], text="hello both")

    history = await client.conversations_history(channel=by_user["channel"])

    assert texts(history) == ["Rate IT?"]
    assert texts(await client.conversations_history(channel=group["channel"]["id"])) == [
        "hello both"
    ]


async def test_inviting_and_removing_the_bot_changes_what_it_may_do(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.invite_bot("C0RANDOM1")
    await client.chat_postMessage(channel="C0RANDOM1", text="now I may")
    slack.remove_bot("C0ITHELP1")

    assert await error_of(client.chat_postMessage(channel="C0ITHELP1", text="x")) == (
        "not_in_channel"
    )
    assert slack.workspace.bot_user_id in slack.channels["C0RANDOM1"].members


async def test_conversations_info_needs_channels_read() -> None:
    async with SlackStandIn(token=TOKEN, scopes=("chat:write",)) as slack:
        slack.add_channel("C0ITHELP1", name="it-help")
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        with pytest.raises(SlackApiError) as caught:
            await client.conversations_info(channel="C0ITHELP1")
        assert caught.value.response["error"] == "missing_scope"
        assert caught.value.response["needed"] == "channels:read"

    scopes = ("chat:write", "channels:read", "groups:read")
    async with SlackStandIn(token=TOKEN, scopes=scopes) as slack:
        slack.add_channel("C0ITHELP1", name="it-help")
        slack.add_channel("C0RANDOM1", name="random", bot_member=False)
        slack.add_channel("G0SECRET1", name="hr-cases", private=True, bot_member=False)
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)

        it_help = (await client.conversations_info(channel="C0ITHELP1"))["channel"]
        random = (await client.conversations_info(channel="C0RANDOM1"))["channel"]

        assert (it_help["name"], it_help["is_member"], it_help["is_private"]) == (
            "it-help",
            True,
            False,
        )
        assert (random["name"], random["is_member"]) == ("random", False)
        assert await error_of(client.conversations_info(channel="G0SECRET1")) == (
            "channel_not_found"
        )


# threads


async def thread(slack: SlackStandIn) -> None:
    slack.add_message("C0ITHELP1", PARENT, user="U0EMP0001", text="VPN drops")
    for ts, text in ((FIRST, "since when?"), (SECOND, "this morning"), (THIRD, "fixed")):
        slack.add_message("C0ITHELP1", ts, user="U0IT00001", text=text, thread_ts=PARENT)


async def test_replies_to_a_replys_ts_are_its_whole_thread_parent_first(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    await thread(slack)

    by_parent = await client.conversations_replies(channel="C0ITHELP1", ts=PARENT)
    by_reply = await client.conversations_replies(channel="C0ITHELP1", ts=SECOND)
    just_one = await client.conversations_replies(channel="C0ITHELP1", ts=SECOND, limit=1)

    everything = ["VPN drops", "since when?", "this morning", "fixed"]
    assert texts(by_parent) == texts(by_reply) == everything
    # With limit=1 Slack gives the parent, not the reply asked about.
    assert texts(just_one) == ["VPN drops"] and just_one["has_more"] is True
    parent = by_reply["messages"][0]
    assert (parent["reply_count"], parent["latest_reply"], parent["thread_ts"]) == (
        3,
        THIRD,
        PARENT,
    )


async def test_oldest_and_latest_narrow_the_replies_but_the_parent_stays_first(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    await thread(slack)

    from_second = await client.conversations_replies(
        channel="C0ITHELP1", ts=SECOND, oldest=SECOND, inclusive=True, limit=2
    )
    after_second = await client.conversations_replies(channel="C0ITHELP1", ts=PARENT, oldest=SECOND)
    before_second = await client.conversations_replies(channel="C0ITHELP1", ts=THIRD, latest=SECOND)

    assert texts(from_second) == ["VPN drops", "this morning"]
    assert texts(after_second) == ["VPN drops", "fixed"]
    assert texts(before_second) == ["VPN drops", "since when?"]


async def test_a_message_outside_any_thread_is_its_own_thread_and_an_unknown_ts_none(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.add_message("C0ITHELP1", PARENT, user="U0EMP0001", text="printer jammed")

    alone = await client.conversations_replies(channel="C0ITHELP1", ts=PARENT)

    assert texts(alone) == ["printer jammed"] and "reply_count" not in alone["messages"][0]
    missing = client.conversations_replies(channel="C0ITHELP1", ts="1763456999.000100")
    assert await error_of(missing) == "thread_not_found"


async def test_history_shows_a_threads_parent_with_its_summary_and_broadcasts_only(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    await thread(slack)
    broadcast = "1763456400.000200"
    slack.add_message(
        "C0ITHELP1",
        broadcast,
        user="U0EMP0001",
        text="works again, thanks",
        thread_ts=PARENT,
        subtype="thread_broadcast",
    )

    history = await client.conversations_history(channel="C0ITHELP1")
    replies = await client.conversations_replies(channel="C0ITHELP1", ts=broadcast)

    assert texts(history) == ["works again, thanks", "VPN drops"]
    assert history["messages"][1]["reply_count"] == 4
    assert history["messages"][0]["root"]["text"] == "VPN drops"
    assert texts(replies)[0] == "VPN drops" and texts(replies)[-1] == "works again, thanks"


# text and message shapes


def test_typed_text_becomes_what_slack_stores() -> None:
    stored = slack_text_of(
        "my laptop <urgent> & @U0IT00001 see https://wiki.example/vpn?a=1&b=2 or #C0ITHELP1",
        channels={"C0ITHELP1": "it-help"},
    )

    assert stored == (
        "my laptop &lt;urgent&gt; &amp; <@U0IT00001> see <https://wiki.example/vpn?a=1&amp;b=2>"
        " or <#C0ITHELP1|it-help>"
    )


def test_a_slash_command_sends_its_text_escaped_as_slack_does() -> None:
    # The manifest's should_escape: true. A picked mention is Slack's token, typed text escaped.
    def sent(typed: str) -> str:
        body = command_body(typed, user_id="U0EMP0001", response_url="https://x.example/r")
        return parse_qs(body)["text"][0]

    assert sent("report R&D") == "report R&amp;D"
    assert sent("forget <@U0IT00001|tom> <b>") == "forget <@U0IT00001|tom> &lt;b&gt;"
    assert sent("forget <@U0IT00001|tom") == "forget &lt;@U0IT00001|tom"
    assert sent(Escaped("report &lt;it&gt;")) == "report &lt;it&gt;"


@pytest.mark.parametrize(
    "text",
    ["my laptop <urgent>", "R&D needs help", "a > b", "see <wiki page>", "&nbsp;"],
)
def test_seeded_text_slack_could_never_send_is_refused(slack: SlackStandIn, text: str) -> None:
    with pytest.raises(ValueError, match="slack_text_of"):
        slack.add_message("C0ITHELP1", PARENT, user="U0EMP0001", text=text)
    assert slack.messages["C0ITHELP1"] == []


async def test_seeded_text_comes_back_as_slack_stores_it(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    typed = "R&D's <prod> server, ask @U0IT00001 in #C0ITHELP1 or mail it@acme.example @here"
    slack.add_message("C0ITHELP1", PARENT, user="U0EMP0001", text=slack.text_of(typed))

    [message] = (await client.conversations_history(channel="C0ITHELP1"))["messages"]

    assert message["text"] == (
        "R&amp;D's &lt;prod&gt; server, ask <@U0IT00001> in <#C0ITHELP1|it-help> or mail "
        "<mailto:it@acme.example|it@acme.example> <!here>"
    )


async def test_a_file_share_carries_its_files_as_slack_fills_them_in(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.add_message(
        "C0ITHELP1",
        PARENT,
        user="U0EMP0001",
        text="this error again",
        subtype="file_share",
        files=[{"name": "error.png"}],
    )

    [message] = (await client.conversations_history(channel="C0ITHELP1"))["messages"]

    assert (message["subtype"], message["upload"], message["user"]) == (
        "file_share",
        True,
        "U0EMP0001",
    )
    [shared] = message["files"]
    assert shared["id"].startswith("F") and shared["mimetype"] == "image/png"
    assert (shared["name"], shared["filetype"], shared["user"]) == ("error.png", "png", "U0EMP0001")
    with pytest.raises(ValueError, match="files"):
        slack.add_message("C0ITHELP1", FIRST, user="U0EMP0001", subtype="file_share")


async def test_bot_and_system_messages_have_slacks_shapes(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.add_message("C0ITHELP1", PARENT, text="deploy done", bot_id="B0CI")
    slack.add_message("C0ITHELP1", FIRST, user="U0EMP0002", subtype="channel_join")
    slack.add_message("C0ITHELP1", SECOND, text="our own", bot_id=slack.workspace.bot_id)

    joined, ci = (await client.conversations_history(channel="C0ITHELP1"))["messages"][1:]

    assert (ci["subtype"], ci["bot_id"], "user" in ci) == ("bot_message", "B0CI", False)
    assert (joined["subtype"], joined["text"]) == (
        "channel_join",
        "<@U0EMP0002> has joined the channel",
    )
    assert "U0EMP0002" in slack.channels["C0ITHELP1"].members
    assert slack.posted()[0]["user"] == slack.workspace.bot_user_id


@pytest.mark.parametrize(
    ("seed", "problem"),
    [
        ({"text": "hi"}, "user"),  # a person's message without a person
        ({"user": "U0EMP0001", "text": "hi", "subtype": "bot_message"}, "no user"),
        ({"user": "U0EMP0001", "text": "hi", "subtype": "pinned_itemz"}, "subtype"),
        ({"user": "U0EMP0001", "text": "hi", "thread_ts": "1763456999.000100"}, "parent"),
        ({"user": "U0EMP0001", "text": "hi", "subtype": "thread_broadcast"}, "thread_ts"),
    ],
)
def test_messages_slack_never_has_are_refused(
    slack: SlackStandIn, seed: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        slack.add_message("C0ITHELP1", PARENT, **seed)


def test_seeding_needs_a_channel_the_workspace_has(slack: SlackStandIn) -> None:
    with pytest.raises(ValueError, match="add_channel"):
        slack.add_message("C0NOSUCH1", PARENT, user="U0EMP0001", text="hi")
    slack.add_message(slack.dm_channel("U0EMP0001"), PARENT, user="U0EMP0001", text="a DM")
