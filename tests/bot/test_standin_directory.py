"""The Slack stand-in's directory, as Slack answers it: conversations.list (paged first, filtered
after), conversations.join, users.list and usergroups.list, each behind its scope."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.slack_standin import SLACK_RATE_LIMITS, SlackStandIn
from bot.slack_standin.server import DEFAULT_SCOPES

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

TOKEN = "xoxb-test-token"
# What an app that resolves #channels, @people and @groups, and joins channels, asks for.
DIRECTORY_SCOPES = tuple(
    dict.fromkeys((*DEFAULT_SCOPES, "channels:read", "groups:read", "channels:join"))
)


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(token=TOKEN, scopes=DIRECTORY_SCOPES) as standin:
        standin.add_user("U0EMP0001", name="sam", email="sam@example.com")
        standin.add_user("U0IT00001", name="ines", real_name="Inès Duval", email="ines@example.com")
        standin.add_user("U0GONE001", name="gone", deleted=True)
        standin.add_channel("C0ITHELP1", name="it-help")
        standin.add_channel("G0SECRET1", name="hr-cases", private=True, bot_member=False)
        standin.add_channel("C0RANDOM1", name="random", bot_member=False, members={"U0EMP0001"})
        standin.add_channel("G0ITTEAM1", name="it-team-private", private=True)
        standin.add_channel("C0GENERAL", name="general", bot_member=False)
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=slack.api_url)


async def refusal(call: Any) -> dict[str, Any]:
    with pytest.raises(SlackApiError) as caught:
        await call
    return dict(caught.value.response.data)


async def pages(client: AsyncWebClient, method: str, **params: Any) -> list[dict[str, Any]]:
    """Every page, following next_cursor until Slack says "" (as slack-sdk's iterator does)."""
    found = []
    async for page in await client.api_call(method, http_verb="GET", params=params):
        found.append(dict(page.data))
    return found


def names(page: dict[str, Any], key: str = "channels") -> list[str]:
    return [item["name"] for item in page[key]]


# conversations.list


async def test_public_channels_come_page_by_page_until_next_cursor_is_empty(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    listed = await pages(client, "conversations.list", limit=2)

    assert [names(p) for p in listed] == [["it-help", "random"], ["general"]]
    assert listed[0]["response_metadata"]["next_cursor"] != ""
    assert listed[-1]["response_metadata"]["next_cursor"] == ""
    # Each is the channel as conversations.info has it, with the bot's own membership.
    it_help = (await client.conversations_info(channel="C0ITHELP1"))["channel"]
    assert listed[0]["channels"][0] == it_help
    assert [c["is_member"] for c in listed[0]["channels"]] == [True, False]
    assert listed[0]["channels"][1]["num_members"] == 1  # sam


async def test_a_private_channel_is_listed_only_while_the_bot_is_in_it(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    types = "public_channel,private_channel"

    listed = await pages(client, "conversations.list", types=types, limit=2)

    # Slack pages first and filters after: #hr-cases takes a place on the first page and is not
    # shown, so that page is short while more follow. Only next_cursor says when it ends.
    assert [names(p) for p in listed] == [["it-help"], ["random", "it-team-private"], ["general"]]
    assert listed[0]["response_metadata"]["next_cursor"] != ""
    private = listed[1]["channels"][1]
    assert (private["is_private"], private["is_group"], private["is_member"]) == (True, True, True)

    alone = await client.conversations_list(types="private_channel", limit=1)
    assert (alone["channels"], alone["response_metadata"]["next_cursor"] != "") == ([], True)

    slack.invite_bot("G0SECRET1")
    invited = await pages(client, "conversations.list", types="private_channel")
    assert [names(p) for p in invited] == [["hr-cases", "it-team-private"]]


async def test_archived_channels_are_listed_unless_excluded(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.archive_channel("C0RANDOM1")

    everything = await client.conversations_list()
    unarchived = await client.conversations_list(exclude_archived=True)

    assert [(c["name"], c["is_archived"]) for c in everything["channels"]] == [
        ("it-help", False),
        ("random", True),
        ("general", False),
    ]
    assert names(unarchived.data) == ["it-help", "general"]  # type: ignore[arg-type]


async def test_conversations_list_refuses_what_slack_refuses(client: AsyncWebClient) -> None:
    bad_type = await refusal(client.conversations_list(types="public_channel,channel"))
    bad_cursor = await refusal(client.conversations_list(cursor="not-a-cursor"))
    bad_limit = await refusal(client.api_call("conversations.list", params={"limit": "lots"}))

    assert bad_type["error"] == "invalid_types"
    assert bad_cursor["error"] == "invalid_cursor"
    assert bad_limit["error"] == "invalid_limit"


async def test_conversations_list_needs_the_read_scope_of_each_type_asked_for() -> None:
    async with SlackStandIn(token=TOKEN, scopes=("chat:write", "users:read")) as slack:
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        none = await refusal(client.conversations_list())
    async with SlackStandIn(token=TOKEN, scopes=("chat:write", "channels:read")) as slack:
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        public = await client.conversations_list()
        private = await refusal(client.conversations_list(types="public_channel,private_channel"))

    # Without any of them Slack names all four it would take.
    assert (none["error"], none["needed"]) == (
        "missing_scope",
        "channels:read,groups:read,mpim:read,im:read",
    )
    assert public["ok"] is True
    assert (private["error"], private["needed"], private["provided"]) == (
        "missing_scope",
        "groups:read",
        "channels:read,chat:write",
    )


async def test_dms_and_group_dms_are_listed_with_their_own_scopes() -> None:
    scopes = ("chat:write", "im:read", "mpim:read", "users:read")
    async with SlackStandIn(token=TOKEN, scopes=scopes) as slack:
        slack.add_user("U0EMP0001", name="sam")
        slack.add_user("U0IT00001", name="ines")
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        await client.chat_postMessage(channel="U0EMP0001", text="Rate IT?")
        group = (await client.conversations_open(users="U0EMP0001,U0IT00001"))["channel"]["id"]

        ims = (await client.conversations_list(types="im"))["channels"]
        mpims = (await client.conversations_list(types="mpim"))["channels"]

    assert [(c["id"], c["user"], c["is_im"]) for c in ims] == [
        (slack.dm_channel("U0EMP0001"), "U0EMP0001", True)
    ]
    assert [(c["id"], c["name"], c["is_mpim"]) for c in mpims] == [
        (group, "mpdm-quality-bot--sam--ines-1", True)
    ]


# conversations.join


async def test_the_bot_joins_a_public_channel_and_may_then_post_there(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    before = await refusal(client.chat_postMessage(channel="C0RANDOM1", text="hello"))

    joined = await client.conversations_join(channel="C0RANDOM1")
    await client.chat_postMessage(channel="C0RANDOM1", text="hello")

    assert before["error"] == "not_in_channel"
    assert (joined["channel"]["id"], joined["channel"]["is_member"]) == ("C0RANDOM1", True)
    assert joined["channel"]["num_members"] == 2
    assert "warning" not in joined.data and "response_metadata" not in joined.data
    assert slack.channels["C0RANDOM1"].members == {"U0EMP0001", slack.workspace.bot_user_id}
    # Slack tells the channel, and the app reading its history meets that message too.
    history = (await client.conversations_history(channel="C0RANDOM1"))["messages"]
    assert [(m.get("subtype"), m["text"]) for m in history] == [
        (None, "hello"),
        ("channel_join", "<@U0BOT> has joined the channel"),
    ]


async def test_joining_where_the_bot_already_is_succeeds_with_a_warning(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    joined = await client.conversations_join(channel="C0ITHELP1")

    assert joined["ok"] is True and joined["channel"]["is_member"] is True
    assert joined["warning"] == "already_in_channel"
    assert joined["response_metadata"] == {"warnings": ["already_in_channel"]}
    assert slack.messages["C0ITHELP1"] == []  # nobody joined


async def test_the_bot_cannot_join_a_private_an_unknown_or_an_archived_channel(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.archive_channel("C0GENERAL")

    # A private channel wants an invitation, whether or not the bot already has one.
    for private in ("G0SECRET1", "G0ITTEAM1"):
        assert (await refusal(client.conversations_join(channel=private)))["error"] == (
            "method_not_supported_for_channel_type"
        )
    assert (await refusal(client.conversations_join(channel="C0NOSUCH1")))["error"] == (
        "channel_not_found"
    )
    assert (await refusal(client.conversations_join(channel="C0GENERAL")))["error"] == (
        "is_archived"
    )
    assert slack.workspace.bot_user_id not in slack.channels["G0SECRET1"].members


async def test_joining_needs_channels_join() -> None:
    async with SlackStandIn(token=TOKEN, scopes=("chat:write", "channels:read")) as slack:
        slack.add_channel("C0RANDOM1", name="random", bot_member=False)
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)

        refused = await refusal(client.conversations_join(channel="C0RANDOM1"))

        assert (refused["error"], refused["needed"]) == ("missing_scope", "channels:join")
        assert slack.workspace.bot_user_id not in slack.channels["C0RANDOM1"].members


async def test_an_archived_channel_is_read_but_not_posted_to(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel="C0ITHELP1", text="before")
    slack.archive_channel("C0ITHELP1")

    refused = await refusal(client.chat_postMessage(channel="C0ITHELP1", text="after"))
    history = await client.conversations_history(channel="C0ITHELP1")

    assert refused["error"] == "is_archived"
    assert [m["text"] for m in history["messages"]] == ["before"]


# users.list


async def test_users_list_has_everyone_the_bot_slackbot_and_the_deleted_page_by_page(
    client: AsyncWebClient,
) -> None:
    listed = await pages(client, "users.list", limit=2)

    assert [names(p, "members") for p in listed] == [
        ["quality-bot", "slackbot"],
        ["sam", "ines"],
        ["gone"],
    ]
    assert [p["response_metadata"]["next_cursor"] == "" for p in listed] == [False, False, True]
    assert all(isinstance(p["cache_ts"], int) for p in listed)
    members = {m["id"]: m for p in listed for m in p["members"]}
    # Slackbot is no bot to Slack; an app that skips bots must skip it by id.
    assert (members["U0BOT"]["is_bot"], members["USLACKBOT"]["is_bot"]) == (True, False)
    assert members["U0GONE001"]["deleted"] is True
    ines = members["U0IT00001"]
    assert (ines["name"], ines["profile"]["display_name"], ines["profile"]["email"]) == (
        "ines",
        "ines",
        "ines@example.com",
    )
    assert ines == (await client.users_info(user="U0IT00001"))["user"]


async def test_users_list_without_a_limit_is_everyone_at_once(client: AsyncWebClient) -> None:
    listed = await client.users_list()

    assert len(listed["members"]) == 5
    assert listed["response_metadata"] == {"next_cursor": ""}


async def test_users_list_needs_users_read_and_shows_emails_only_with_users_read_email() -> None:
    async with SlackStandIn(token=TOKEN, scopes=("chat:write",)) as slack:
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        refused = await refusal(client.users_list())
    async with SlackStandIn(token=TOKEN, scopes=("chat:write", "users:read")) as slack:
        slack.add_user("U0IT00001", name="ines", email="ines@example.com")
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        listed = await client.users_list()
        info = await client.users_info(user="U0IT00001")

    assert (refused["error"], refused["needed"]) == ("missing_scope", "users:read")
    ines = next(m for m in listed["members"] if m["id"] == "U0IT00001")
    assert "email" not in ines["profile"] and "email" not in info["user"]["profile"]
    assert ines["profile"]["display_name"] == "ines"


# usergroups.list


async def test_usergroups_list_gives_handles_and_names_and_members_only_when_asked(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.add_usergroup("S0IT00001", ["U0IT00001"], handle="@it-team", name="IT team")
    slack.add_usergroup("S0FIN0001", ["U0EMP0001", "U0IT00001"])

    plain = (await client.usergroups_list())["usergroups"]
    with_users = (await client.usergroups_list(include_users=True, include_count=True))[
        "usergroups"
    ]

    assert [(g["id"], g["handle"], g["name"]) for g in plain] == [
        ("S0IT00001", "it-team", "IT team"),
        ("S0FIN0001", "s0fin0001", "s0fin0001"),  # a group given no handle: its id, lowercased
    ]
    assert all("users" not in g and "user_count" not in g for g in plain)
    assert [(g["users"], g["user_count"]) for g in with_users] == [
        (["U0IT00001"], 1),
        (["U0EMP0001", "U0IT00001"], 2),
    ]
    it_team = plain[0]
    assert (it_team["team_id"], it_team["is_usergroup"], it_team["date_delete"]) == (
        "T0TEST",
        True,
        0,
    )
    assert it_team["prefs"] == {"channels": [], "groups": []}
    assert {"description", "is_external", "date_create", "date_update", "auto_type"} <= set(it_team)
    assert {"created_by", "updated_by", "deleted_by"} <= set(it_team)


async def test_a_usergroup_keeps_its_handle_when_its_members_change(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    slack.add_usergroup("S0IT00001", ["U0IT00001"], handle="it-team")
    slack.add_usergroup("S0IT00001", ["U0IT00001", "U0EMP0001"])  # what a sync test does
    slack.set_usergroup_users("S0IT00001", ["U0EMP0001"])

    (group,) = (await client.usergroups_list(include_users=True))["usergroups"]
    members = await client.usergroups_users_list(usergroup="S0IT00001")

    assert (group["handle"], group["name"], group["users"]) == ("it-team", "it-team", ["U0EMP0001"])
    assert group["date_update"] >= group["date_create"]
    assert members["users"] == ["U0EMP0001"]
    assert slack.usergroups["S0IT00001"].handle == "it-team"
    with pytest.raises(ValueError, match="unique"):
        slack.add_usergroup("S0OTHER01", [], handle="IT-team")
    with pytest.raises(KeyError):
        slack.set_usergroup_users("S0NONE001", [])


async def test_usergroups_need_usergroups_read() -> None:
    async with SlackStandIn(token=TOKEN, scopes=("chat:write",)) as slack:
        slack.add_usergroup("S0IT00001", ["U0IT00001"])
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)

        listing = await refusal(client.usergroups_list())
        members = await refusal(client.usergroups_users_list(usergroup="S0IT00001"))

    assert (listing["error"], listing["needed"]) == ("missing_scope", "usergroups:read")
    assert (members["error"], members["needed"]) == ("missing_scope", "usergroups:read")


# rate limits


def test_the_directory_methods_have_slacks_tiers() -> None:
    tiers = {
        method: SLACK_RATE_LIMITS[method].tier
        for method in ("conversations.list", "conversations.join", "users.list", "usergroups.list")
    }

    assert tiers == {
        "conversations.list": "Tier 2",
        "conversations.join": "Tier 3",
        "users.list": "Tier 2",
        "usergroups.list": "Tier 2",
    }


async def test_conversations_list_is_rate_limited_at_tier_2() -> None:
    async with SlackStandIn(
        token=TOKEN, scopes=DIRECTORY_SCOPES, enforce_rate_limits=True
    ) as slack:
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        for _ in range(20):  # Tier 2: 20 per minute, all at once
            await client.conversations_list()

        refused = await refusal(client.conversations_list())

        assert refused["error"] == "ratelimited"
        assert slack.responses_429 == 1
