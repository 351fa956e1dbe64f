"""The Slack Web API stand-in, driven by slack-sdk's real AsyncWebClient as the app drives it."""

import asyncio
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack_standin import (
    SLACK_RATE_LIMITS,
    MethodLimits,
    RateLimit,
    SlackStandIn,
    minimum_seconds,
)
from bot.slack_standin.ratelimits import RateLimiter
from tests.support import add_channels, eventually

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

TOKEN = "xoxb-test-token"
CHANNELS = {
    "C1": "one",
    "C2": "two",
    "C0GENERAL": "general",
    "C0ITHELP1": "it-help",
    "C0DIGEST01": "quality-digest",
}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str = "Rate IT", **extra: Any) -> dict[str, Any]:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("How did it go?")],
        **extra,
    }


@pytest.fixture
async def standin() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(token=TOKEN) as slack:
        slack.add_user("U0EMP0001", name="ada", real_name="Ada Lovelace", email="Ada@Example.com")
        slack.add_user("U0GONE001", name="gone", deleted=True)
        slack.add_usergroup("S0IT00001", ["U0IT00001", "U0IT00002"])
        add_channels(slack, CHANNELS)
        yield slack


@pytest.fixture
def client(standin: SlackStandIn) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=standin.api_url)


async def error_of(call: Any) -> str:
    with pytest.raises(SlackApiError) as caught:
        await call
    return str(caught.value.response["error"])


# identity and tokens


async def test_auth_test_answers_as_the_bot_with_its_scopes(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    assert standin.api_url.endswith("/api/") and standin.api_url.startswith(standin.base_url)

    response = await client.auth_test()

    assert (response["user_id"], response["team_id"], response["bot_id"]) == (
        "U0BOT",
        "T0TEST",
        "B0BOT",
    )
    assert "chat:write" in response.headers["x-oauth-scopes"]
    assert standin.calls[-1].token == TOKEN


async def test_a_missing_or_wrong_token_is_refused_like_slack(standin: SlackStandIn) -> None:
    no_token = AsyncWebClient(token=None, base_url=standin.api_url)
    wrong = AsyncWebClient(token="xoxb-wrong", base_url=standin.api_url)

    assert await error_of(no_token.auth_test()) == "not_authed"
    assert await error_of(wrong.chat_postMessage(channel="C1", text="hi")) == "invalid_auth"
    assert standin.messages["C1"] == []
    assert [c.status for c in standin.calls] == [200, 200]
    assert standin.calls_to("chat.postMessage") == []
    assert standin.calls_to("chat.postMessage", include_failed=True)[0].token == "xoxb-wrong"


async def test_a_token_and_json_arguments_sent_as_form_fields_are_understood(
    standin: SlackStandIn,
) -> None:
    form_client = AsyncWebClient(token=None, base_url=standin.api_url)
    blocks = [section("*hello*")]

    await form_client.api_call(
        "chat.postMessage",
        data={"token": TOKEN, "channel": "C0GENERAL", "blocks": json.dumps(blocks)},
    )

    (call,) = standin.calls_to("chat.postMessage")
    assert call.token == TOKEN and call.params["blocks"] == blocks
    assert standin.messages["C0GENERAL"][0]["blocks"] == blocks


async def test_an_unknown_method_is_unknown_method(client: AsyncWebClient) -> None:
    assert await error_of(client.api_call("quality.rate")) == "unknown_method"


# messages


async def test_a_message_to_a_user_lands_in_their_dm_and_can_be_updated_there(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(
        channel="U0EMP0001", text="Rate IT?", blocks=[section("Rate IT from 1 to 5")]
    )
    dm = standin.dm_channel("U0EMP0001")
    assert posted["channel"] == dm and dm.startswith("D")
    assert posted["message"]["bot_id"] == "B0BOT"

    await client.chat_update(
        channel=dm, ts=posted["ts"], text="Thanks!", blocks=[section("Thanks")]
    )

    (message,) = standin.messages[dm]
    assert (message["ts"], message["text"]) == (posted["ts"], "Thanks!")
    assert message["blocks"] == [section("Thanks")] and "edited" in message
    assert standin.posted() == [{**message, "channel": dm}]


async def test_editing_needs_the_dm_channel_id_and_a_known_ts(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    posted = await client.chat_postMessage(channel="U0EMP0001", text="Rate IT?")

    user_id_edit = client.chat_update(channel="U0EMP0001", ts=posted["ts"], text="x")
    assert await error_of(user_id_edit) == "channel_not_found"
    unknown_ts = client.chat_update(channel=posted["channel"], ts="1.000001", text="x")
    assert await error_of(unknown_ts) == "message_not_found"
    assert standin.messages[posted["channel"]][0]["text"] == "Rate IT?"


async def test_only_the_bots_own_messages_can_be_edited_or_deleted(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    standin.add_message("C0ITHELP1", "1700000000.000100", user="U0EMP0001", text="laptop broken")
    mine = await client.chat_postMessage(channel="C0ITHELP1", text="On it")

    edit = client.chat_update(channel="C0ITHELP1", ts="1700000000.000100", text="x")
    assert await error_of(edit) == "cant_update_message"
    await client.chat_delete(channel="C0ITHELP1", ts=mine["ts"])

    assert [m["text"] for m in standin.messages["C0ITHELP1"]] == ["laptop broken"]


BUTTON = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}


@pytest.mark.parametrize(
    ("arguments", "error"),
    [
        ({}, "no_text"),
        ({"text": "x", "blocks": [section("x")] * 51}, "invalid_blocks"),
        ({"text": "x", "blocks": [section("x" * 3001)]}, "invalid_blocks"),
        (  # a block_id names one block of a message
            {"text": "x", "blocks": [{**section("a"), "block_id": "b"}] * 2},
            "invalid_blocks",
        ),
        (  # an action_id one element of a block
            {"text": "x", "blocks": [{"type": "actions", "elements": [BUTTON, BUTTON]}]},
            "invalid_blocks",
        ),
    ],
)
async def test_messages_slack_would_reject_are_rejected(
    standin: SlackStandIn, client: AsyncWebClient, arguments: dict[str, Any], error: str
) -> None:
    post = client.api_call("chat.postMessage", json={"channel": "C1", **arguments})
    assert await error_of(post) == error
    assert standin.messages["C1"] == []


async def test_a_deactivated_user_cannot_be_messaged(client: AsyncWebClient) -> None:
    assert await error_of(client.chat_postMessage(channel="U0GONE001", text="hi")) == (
        "channel_not_found"
    )
    assert await error_of(client.conversations_open(users="U0GONE001")) == "user_disabled"


async def test_ephemeral_messages_are_recorded_for_their_user(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    response = await client.chat_postEphemeral(channel="C1", user="U0EMP0001", text="only you")

    assert standin.ephemerals == [
        {
            "channel": "C1",
            "user": "U0EMP0001",
            "text": "only you",
            "message_ts": response["message_ts"],
        }
    ]
    assert standin.messages["C1"] == []


async def test_conversations_open_gives_the_same_dm_as_posting_to_the_user(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    opened = await client.conversations_open(users="U0EMP0001")
    again = await client.conversations_open(users=["U0EMP0001"], return_im=True)
    posted = await client.chat_postMessage(channel="U0EMP0001", text="hi")

    group = await client.conversations_open(users="U0EMP0001,U0IT00001")
    same_group = await client.conversations_open(users=["U0IT00001", "U0EMP0001"])

    assert opened["channel"]["id"] == again["channel"]["id"] == posted["channel"]
    assert again["already_open"] is True
    assert group["channel"]["id"] == same_group["channel"]["id"] != posted["channel"]


async def test_history_fetches_one_message_by_ts_and_replies_fetch_its_thread(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    for ts, text in [("1700000001.000000", "first"), ("1700000002.000000", "second")]:
        standin.add_message("C0ITHELP1", ts, user="U0EMP0001", text=text)
    standin.add_message("C0ITHELP1", "1700000003.000000", user="U0BOT", text="third")
    standin.add_message(
        "C0ITHELP1",
        "1700000004.000000",
        user="U0IT00001",
        text="fixed",
        thread_ts="1700000002.000000",
    )

    one = await client.conversations_history(
        channel="C0ITHELP1", latest="1700000002.000000", inclusive=True, limit=1
    )
    everything = await client.conversations_history(channel="C0ITHELP1")
    thread = await client.conversations_replies(channel="C0ITHELP1", ts="1700000002.000000")

    assert [m["text"] for m in one["messages"]] == ["second"] and one["has_more"] is True
    assert [m["text"] for m in everything["messages"]] == ["third", "second", "first"]
    assert [m["text"] for m in thread["messages"]] == ["second", "fixed"]
    assert thread["messages"][0]["reply_count"] == 1
    missing = client.conversations_replies(channel="C0ITHELP1", ts="1.000000")
    assert await error_of(missing) == "thread_not_found"


async def test_message_metadata_is_kept_and_read_back_only_when_asked_for(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    metadata = {"event_type": "quality_poll", "event_payload": {"poll": "p-1", "kind": "poll"}}
    posted = await client.chat_postMessage(channel="U0EMP0001", text="Rate IT?", metadata=metadata)
    await client.chat_postMessage(channel=posted["channel"], text="reply", thread_ts=posted["ts"])
    dm = (await client.conversations_open(users="U0EMP0001"))["channel"]["id"]

    plain = await client.conversations_history(channel=dm)
    marked = await client.conversations_history(channel=dm, include_all_metadata=True)
    thread = await client.conversations_replies(channel=dm, ts=posted["ts"])
    marked_thread = await client.conversations_replies(
        channel=dm, ts=posted["ts"], include_all_metadata=True
    )

    assert dm == posted["channel"] == standin.dm_channel("U0EMP0001")
    assert standin.messages[dm][0]["metadata"] == metadata
    assert [m.get("metadata") for m in plain["messages"]] == [None]
    assert [m.get("metadata") for m in marked["messages"]] == [metadata]
    assert [m.get("metadata") for m in thread["messages"]] == [None, None]
    assert [m.get("metadata") for m in marked_thread["messages"]] == [metadata, None]


# directory


async def test_users_are_found_by_id_and_email_and_unknown_ones_are_not(
    client: AsyncWebClient,
) -> None:
    by_id = await client.users_info(user="U0EMP0001")
    by_email = await client.users_lookupByEmail(email="ada@example.com")

    assert by_id["user"]["real_name"] == "Ada Lovelace" and by_id["user"]["tz"] == "UTC"
    assert by_email["user"]["id"] == "U0EMP0001"
    assert await error_of(client.users_info(user="U0NOBODY1")) == "user_not_found"
    assert await error_of(client.users_lookupByEmail(email="no@example.com")) == "users_not_found"


async def test_usergroup_members_can_change_between_syncs(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    before = await client.usergroups_users_list(usergroup="S0IT00001")
    standin.set_usergroup_users("S0IT00001", ["U0IT00002", "U0IT00003"])
    after = await client.usergroups_users_list(usergroup="S0IT00001")

    assert before["users"] == ["U0IT00001", "U0IT00002"]
    assert after["users"] == ["U0IT00002", "U0IT00003"]
    assert await error_of(client.usergroups_users_list(usergroup="S0NONE")) == "no_such_subteam"


# views


async def test_a_modal_needs_a_trigger_id_that_works_once(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    trigger_id = standin.issue_trigger_id()

    opened = await client.views_open(trigger_id=trigger_id, view=modal(callback_id="rate"))
    reused = client.views_open(trigger_id=trigger_id, view=modal())
    no_trigger = client.api_call("views.open", json={"view": modal()})

    view = standin.views[opened["view"]["id"]]
    assert (view["callback_id"], view["trigger_id"]) == ("rate", trigger_id)
    assert await error_of(reused) == "exchanged_trigger_id"
    assert await error_of(no_trigger) == "invalid_arguments"


async def test_a_trigger_id_expires_after_three_seconds(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    trigger_id = standin.issue_trigger_id()
    standin.workspace.triggers[trigger_id] -= 3.5  # issued 3.5 s ago

    assert await error_of(client.views_open(trigger_id=trigger_id, view=modal())) == (
        "expired_trigger_id"
    )


async def test_a_modal_slack_would_reject_is_rejected(client: AsyncWebClient) -> None:
    too_long_title = client.views_open(trigger_id="1.2.a", view=modal("A title over 24 characters"))
    too_many_blocks = client.views_open(
        trigger_id="1.2.b", view={**modal(), "blocks": [section("x")] * 101}
    )

    assert await error_of(too_long_title) == "invalid_arguments"
    assert await error_of(too_many_blocks) == "invalid_arguments"


async def test_home_views_are_published_per_user_and_updated_by_external_id(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    home = {"type": "home", "blocks": [section("Your polls")]}
    first = await client.views_publish(user_id="U0EMP0001", view=home)
    second = await client.views_publish(user_id="U0EMP0001", view={**home, "blocks": []})
    opened = await client.views_open(trigger_id="1.2.c", view=modal(external_id="poll-7"))
    await client.views_update(external_id="poll-7", view=modal("Thanks"))

    assert first["view"]["id"] == second["view"]["id"]
    assert standin.home_views["U0EMP0001"]["blocks"] == []
    assert standin.views[opened["view"]["id"]]["title"]["text"] == "Thanks"
    assert await error_of(client.views_update(view_id="V0NONE", view=modal())) == "not_found"


# files


async def test_files_upload_v2_delivers_the_bytes_to_the_channel(
    standin: SlackStandIn, client: AsyncWebClient, tmp_path: Path
) -> None:
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)

    from_bytes = await client.files_upload_v2(
        channel="C0DIGEST01", content=b"week,avg\n47,4.1\n", filename="it.csv", title="IT"
    )
    from_path = await client.files_upload_v2(
        channel="C0DIGEST01", file=str(chart), title="Chart", initial_comment="This week"
    )

    csv = standin.files[from_bytes["file"]["id"]]
    png = standin.files[from_path["file"]["id"]]
    assert (csv["bytes"], csv["filename"], csv["title"]) == (b"week,avg\n47,4.1\n", "it.csv", "IT")
    assert png["bytes"] == chart.read_bytes() and png["initial_comment"] == "This week"
    assert png["channel_id"] == "C0DIGEST01"
    assert [m["text"] for m in standin.messages["C0DIGEST01"]] == ["", "This week"]


async def test_a_file_keeps_its_alt_text_up_to_slacks_limit(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    sent = await client.files_upload_v2(
        channel="C0DIGEST01", content=b"\x89PNG", filename="c.png", alt_txt="IT: 4.2"
    )
    assert standin.files[sent["file"]["id"]]["alt_txt"] == "IT: 4.2"

    too_long = client.files_upload_v2(
        channel="C0DIGEST01", content=b"\x89PNG", filename="c.png", alt_txt="x" * 1001
    )
    assert await error_of(too_long) == "alt_txt_too_large"


async def test_completing_an_upload_whose_bytes_never_came_fails(client: AsyncWebClient) -> None:
    announced = await client.files_getUploadURLExternal(filename="x.csv", length=3)

    complete = client.files_completeUploadExternal(files=[{"id": announced["file_id"]}])

    assert await error_of(complete) == "file_not_found"


# response_url


async def test_response_url_posts_are_recorded_by_key(standin: SlackStandIn) -> None:
    url = standin.response_url("cmd-1")

    response = await AsyncWebhookClient(url).send(
        text="Here is your report", response_type="ephemeral"
    )

    assert response.status_code == 200
    assert standin.responses["cmd-1"] == [
        {"text": "Here is your report", "response_type": "ephemeral"}
    ]
    assert standin.response_url() != standin.response_url()


async def test_wait_for_response_waits_for_that_response_url_only(standin: SlackStandIn) -> None:
    mine, other = standin.response_url(), standin.response_url()
    sending = asyncio.gather(
        AsyncWebhookClient(other).send(text="not this one"),
        AsyncWebhookClient(mine).send(text="first"),
        AsyncWebhookClient(mine).send(text="second", replace_original=True),
    )

    replies = await standin.wait_for_response(mine, count=2, timeout=2)
    await sending

    assert [r["text"] for r in replies] == ["first", "second"]
    assert len(await standin.wait_for_response(count=3)) == 3
    with pytest.raises(TimeoutError):
        await standin.wait_for_response(standin.response_url(), timeout=0.05)


# faults


async def test_a_failure_asked_for_reaches_the_client_then_calls_succeed_again(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    standin.fail("chat.postMessage", "channel_not_found", times=2)

    first = await error_of(client.chat_postMessage(channel="C1", text="a"))
    second = await error_of(client.chat_postMessage(channel="C1", text="b"))
    await client.chat_postMessage(channel="C1", text="c")

    assert (first, second) == ("channel_not_found", "channel_not_found")
    assert [m["text"] for m in standin.messages["C1"]] == ["c"]


async def test_an_http_failure_is_that_status_and_a_retrying_client_gets_through(
    standin: SlackStandIn,
) -> None:
    plain = AsyncWebClient(token=TOKEN, base_url=standin.api_url)
    retrying = AsyncWebClient(
        token=TOKEN,
        base_url=standin.api_url,
        retry_handlers=[
            AsyncServerErrorRetryHandler(
                max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
            )
        ],
    )
    standin.fail_http("users.info", 503)
    with pytest.raises(SlackApiError) as caught:
        await plain.users_info(user="U0EMP0001")
    standin.fail_http("users.info", 500, times=2)

    response = await retrying.users_info(user="U0EMP0001")

    assert caught.value.response.status_code == 503
    assert response["user"]["id"] == "U0EMP0001"
    assert [c.status for c in standin.calls_to("users.info", include_failed=True)] == [
        503,
        500,
        500,
        200,
    ]


async def test_a_rate_limit_asked_for_is_a_429_that_a_retrying_client_waits_out(
    standin: SlackStandIn,
) -> None:
    plain = AsyncWebClient(token=TOKEN, base_url=standin.api_url)
    retrying = AsyncWebClient(
        token=TOKEN, base_url=standin.api_url, retry_handlers=[AsyncRateLimitErrorRetryHandler()]
    )
    standin.rate_limit("chat.postMessage", retry_after=1)
    with pytest.raises(SlackApiError) as caught:
        await plain.chat_postMessage(channel="C1", text="a")
    standin.rate_limit("chat.postMessage", retry_after=1)

    started = time.monotonic()
    await retrying.chat_postMessage(channel="C1", text="b")
    waited = time.monotonic() - started

    assert caught.value.response.status_code == 429
    assert caught.value.response["error"] == "ratelimited"
    assert caught.value.response.headers["Retry-After"] == "1"
    assert waited >= 1.0
    assert standin.responses_429 == 2
    assert [m["text"] for m in standin.messages["C1"]] == ["b"]


async def test_a_lost_answer_times_the_client_out_after_slack_acted(
    standin: SlackStandIn,
) -> None:
    impatient = AsyncWebClient(token=TOKEN, base_url=standin.api_url, timeout=1)
    standin.lose_answer("chat.postMessage", 2)

    with pytest.raises(TimeoutError):
        await impatient.chat_postMessage(channel="U0EMP0001", text="Rate IT?")

    # Already there when the client gave up, and carried out once.
    assert [m["text"] for m in standin.messages[standin.dm_channel("U0EMP0001")]] == ["Rate IT?"]
    assert len(standin.calls_to("chat.postMessage", include_failed=True)) == 1
    await impatient.chat_postMessage(channel="U0EMP0001", text="next")  # the fault is spent


async def test_a_lost_request_times_the_client_out_and_is_never_carried_out(
    standin: SlackStandIn,
) -> None:
    impatient = AsyncWebClient(token=TOKEN, base_url=standin.api_url, timeout=1)
    standin.lose_request("chat.postMessage", 1.5)

    with pytest.raises(TimeoutError):
        await impatient.chat_postMessage(channel="C1", text="lost")
    await eventually(lambda: bool(standin.calls_to("chat.postMessage", include_failed=True)))

    [call] = standin.calls_to("chat.postMessage", include_failed=True)
    assert call.status == 504 and standin.messages.get("C1", []) == []


# enforced rate limits


async def test_a_fast_burst_to_one_channel_gets_429s_once_its_short_burst_is_spent() -> None:
    async with SlackStandIn(token=TOKEN, enforce_rate_limits=True) as standin:
        add_channels(standin, CHANNELS)
        client = AsyncWebClient(token=TOKEN, base_url=standin.api_url)
        burst = [client.chat_postMessage(channel="C1", text=str(i)) for i in range(6)]

        outcomes = await asyncio.gather(*burst, return_exceptions=True)

        refused = [o for o in outcomes if isinstance(o, SlackApiError)]
        assert len(refused) == 3  # a burst of 3 per channel, then 1 per second
        assert all(e.response.status_code == 429 for e in refused)
        assert all(e.response.headers["Retry-After"] == "1" for e in refused)
        assert standin.responses_429 == 3 and len(standin.messages["C1"]) == 3


async def test_a_client_that_honours_retry_after_gets_every_message_through() -> None:
    async with SlackStandIn(token=TOKEN, enforce_rate_limits=True, time_scale=60) as standin:
        add_channels(standin, CHANNELS)
        client = AsyncWebClient(
            token=TOKEN,
            base_url=standin.api_url,
            retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=10)],
        )
        texts = [str(i) for i in range(6)]

        await asyncio.gather(*(client.chat_postMessage(channel="C2", text=t) for t in texts))

        assert sorted(m["text"] for m in standin.messages["C2"]) == texts
        assert standin.responses_429 >= 3


async def test_the_per_channel_limit_is_per_channel() -> None:
    async with SlackStandIn(token=TOKEN, enforce_rate_limits=True) as standin:
        add_channels(standin, CHANNELS)
        client = AsyncWebClient(token=TOKEN, base_url=standin.api_url)
        # Three each (a full per-channel burst) to four people at once.
        people = [f"U0EMP000{n}" for n in range(4)] * 3
        await asyncio.gather(*(client.chat_postMessage(channel=p, text="poll") for p in people))

        assert standin.responses_429 == 0


async def test_retry_after_is_the_wait_until_the_tier_allows_the_next_call() -> None:
    async with SlackStandIn(token=TOKEN, enforce_rate_limits=True) as slack:
        slack.add_usergroup("S1", [])
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        for _ in range(20):  # Tier 2: 20 per minute, all at once
            await client.usergroups_users_list(usergroup="S1")

        with pytest.raises(SlackApiError) as caught:
            await client.usergroups_users_list(usergroup="S1")

        # The next token comes 60 / 20 = 3 s after the burst.
        assert caught.value.response.headers["Retry-After"] == "3"


@pytest.mark.parametrize(("time_scale", "retry_after"), [(1.0, "10"), (4.0, "3"), (100.0, "1")])
async def test_time_scale_shortens_retry_after_to_whole_wall_clock_seconds(
    time_scale: float, retry_after: str
) -> None:
    six_a_minute = {"auth.test": MethodLimits("test", RateLimit(per_minute=6, burst=1))}
    async with SlackStandIn(
        token=TOKEN, enforce_rate_limits=True, time_scale=time_scale, rate_limits=six_a_minute
    ) as slack:
        client = AsyncWebClient(token=TOKEN, base_url=slack.api_url)
        await client.auth_test()

        with pytest.raises(SlackApiError) as caught:
            await client.auth_test()

        # 10 s on the stand-in's clock: 10 s, 2.5 s rounded up, and never less than 1 s.
        assert caught.value.response.headers["Retry-After"] == retry_after
        assert slack.minimum_seconds("auth.test", 2) == pytest.approx(10 / time_scale)


def test_a_client_that_waits_exactly_as_told_finishes_at_the_computed_minimum() -> None:
    now = [0.0]
    limiter = RateLimiter(SLACK_RATE_LIMITS, time_scale=1.0, clock=lambda: now[0])
    pending = [f"D{n % 4}" for n in range(40)]  # 40 DMs over 4 conversations

    while pending:
        waits = [limiter.acquire("chat.postMessage", channel) for channel in pending]
        pending = [c for c, wait in zip(pending, waits, strict=True) if wait > 0]
        if pending:
            now[0] += min(w for w in waits if w > 0)

    assert now[0] == pytest.approx(minimum_seconds("chat.postMessage", 40, channels=4))
    assert now[0] == pytest.approx(7.0)  # 10 per channel: a burst of 3, then 1 per second


def test_minimum_seconds_for_a_thousand_dms() -> None:
    # Workspace-wide 300 per minute with a minute's burst; 1,000 DMs are 1,000 channels.
    assert minimum_seconds("chat.postMessage", 1000, channels=1000) == pytest.approx(140.0)
    assert minimum_seconds("chat.postMessage", 1000, channels=1) == pytest.approx(997.0)
    assert minimum_seconds("chat.postMessage", 1000, channels=1000, time_scale=10) == (
        pytest.approx(14.0)
    )
    assert minimum_seconds("auth.test", 0) == 0.0
    assert SLACK_RATE_LIMITS["usergroups.users.list"].workspace == RateLimit(
        per_minute=20, burst=20
    )


# observing


async def test_wait_for_returns_once_the_calls_arrive_and_says_what_it_saw_when_not(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    later = asyncio.create_task(client.chat_postMessage(channel="C1", text="late"))

    (call,) = await standin.wait_for("chat.postMessage", timeout=2)
    await later
    await error_of(client.users_info(user="U0NOBODY1"))
    with pytest.raises(TimeoutError, match=r"users\.info → 200 user_not_found"):
        await standin.wait_for("users.info", timeout=0.05)

    assert call.params == {"channel": "C1", "text": "late"} and call.ok


async def test_calls_can_be_narrowed_to_the_ones_that_matter(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel="U0EMP0001", text="poll")
    await client.chat_postMessage(channel="C0DIGEST01", text="digest")
    dm = standin.dm_channel("U0EMP0001")

    to_digest = standin.calls_to("chat.postMessage", where=lambda c: c.params["channel"] != dm)
    waited = await standin.wait_for("chat.postMessage", where=lambda c: c.response["channel"] == dm)

    assert [c.params["text"] for c in to_digest] == ["poll", "digest"]  # params are as sent
    assert [c.params["text"] for c in waited] == ["poll"]


async def test_reset_forgets_calls_and_faults_but_not_the_workspace(
    standin: SlackStandIn, client: AsyncWebClient
) -> None:
    await client.chat_postMessage(channel="C1", text="kept")
    standin.fail("users.info")

    standin.reset()

    assert standin.calls == [] and standin.responses_429 == 0
    assert (await client.users_info(user="U0EMP0001"))["ok"] is True
    assert [m["text"] for m in standin.messages["C1"]] == ["kept"]


async def test_urls_are_only_known_once_started() -> None:
    standin = SlackStandIn()
    with pytest.raises(RuntimeError):
        _ = standin.api_url
    # Each context is entered before the next is built, so api_url is known by then.
    async with (
        standin,
        aiohttp.ClientSession() as session,
        session.post(standin.api_url + "auth.test") as response,
    ):
        assert (await response.json())["error"] == "not_authed"
