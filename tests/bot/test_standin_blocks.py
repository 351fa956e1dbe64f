"""Block Kit as the Slack stand-in checks it: what Slack refuses is refused, with Slack's error and
a json-pointer to the culprit; what Slack takes is taken."""

from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from bot.slack_standin import SlackStandIn
from tests.support import add_channels

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database

TOKEN = "xoxb-test-token"


def plain(text: str) -> dict[str, Any]:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": text}


def option(text: str, value: str, kind: str = "plain_text") -> dict[str, Any]:
    return {"text": {"type": kind, "text": text}, "value": value}


def button(text: dict[str, Any], action_id: str = "go", **extra: Any) -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "text": text, **extra}


def select(**extra: Any) -> dict[str, Any]:
    return {"type": "static_select", "action_id": "pick", "options": [option("IT", "it")], **extra}


def actions(*elements: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": list(elements)}


def input_block(label: dict[str, Any], **extra: Any) -> dict[str, Any]:
    element = {"type": "plain_text_input", "action_id": "comment"}
    return {"type": "input", "block_id": "c", "label": label, "element": element, **extra}


def modal(title: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    blocks = [{"type": "section", "text": mrkdwn("How did it go?")}]
    return {"type": "modal", "title": title or plain("Rate IT"), "blocks": blocks, **extra}


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(token=TOKEN) as standin:
        add_channels(standin, {"C0ITHELP1": "it-help"})
        yield standin


@pytest.fixture
def client(slack: SlackStandIn) -> AsyncWebClient:
    return AsyncWebClient(token=TOKEN, base_url=slack.api_url)


async def refusal(call: Any) -> tuple[str, list[str]]:
    with pytest.raises(SlackApiError) as caught:
        await call
    response = caught.value.response
    return str(response["error"]), response.get("response_metadata", {}).get("messages", [])


# messages


@pytest.mark.parametrize(
    ("block", "message"),
    [
        (
            {"type": "header", "text": mrkdwn("*Weekly*")},
            "[ERROR] must be a plain_text text object (got type `mrkdwn`) "
            "[json-pointer:/blocks/0/text/type]",
        ),
        (
            {"type": "header", "text": plain("x" * 151)},
            "[ERROR] must be less than 151 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            {"type": "section", "text": mrkdwn("x" * 3001)},
            "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            {"type": "section", "text": mrkdwn("")},
            "[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]",
        ),
        (
            {"type": "section", "text": {**mrkdwn("hi"), "emoji": True}},
            "[ERROR] invalid additional property: emoji [json-pointer:/blocks/0/text/emoji]",
        ),
        (
            {"type": "section"},
            "[ERROR] must define either `text` or `fields` [json-pointer:/blocks/0]",
        ),
        (
            actions(button(mrkdwn("*Go*"))),
            "[ERROR] must be a plain_text text object (got type `mrkdwn`) "
            "[json-pointer:/blocks/0/elements/0/text/type]",
        ),
        (
            actions(button(plain("x" * 76))),
            "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
        ),
        (
            actions(select(options=[option("*IT*", "it", "mrkdwn")])),
            "[ERROR] must be a plain_text text object (got type `mrkdwn`) "
            "[json-pointer:/blocks/0/elements/0/options/0/text/type]",
        ),
        (
            actions(select(options=[option("x" * 76, "it")])),
            "[ERROR] must be less than 76 characters "
            "[json-pointer:/blocks/0/elements/0/options/0/text/text]",
        ),
        (
            actions(select(placeholder=plain("x" * 151))),
            "[ERROR] must be less than 151 characters "
            "[json-pointer:/blocks/0/elements/0/placeholder/text]",
        ),
        (
            actions(select(initial_option=option("HR", "hr"))),
            "[ERROR] must match one of the provided options "
            "[json-pointer:/blocks/0/elements/0/initial_option]",
        ),
        (
            actions(
                {
                    "type": "overflow",
                    "action_id": "more",
                    "options": [option(str(n), str(n)) for n in range(6)],
                }
            ),
            "[ERROR] must provide between 1 and 5 items "
            "[json-pointer:/blocks/0/elements/0/options]",
        ),
        (
            {"type": "context", "elements": [button(plain("Go"))]},
            "[ERROR] unsupported type: `button` is not allowed here "
            "[json-pointer:/blocks/0/elements/0/type]",
        ),
        (
            {"type": "carousel_of_cats"},
            "[ERROR] unsupported type: `carousel_of_cats` [json-pointer:/blocks/0/type]",
        ),
        # What only slack_sdk's models know is still found, at the block.
        (
            actions(button(plain("Go"), accessibility_label="x" * 76)),
            "[ERROR] accessibility_label attribute cannot exceed 75 characters "
            "[json-pointer:/blocks/0]",
        ),
    ],
)
async def test_a_message_with_a_block_slack_refuses_is_invalid_blocks_saying_where(
    slack: SlackStandIn, client: AsyncWebClient, block: dict[str, Any], message: str
) -> None:
    post = client.chat_postMessage(channel="C0ITHELP1", text="fallback", blocks=[block])

    assert await refusal(post) == ("invalid_blocks", [message])
    assert slack.messages["C0ITHELP1"] == []


async def test_every_problem_is_listed_and_block_ids_are_unique_per_message(
    client: AsyncWebClient,
) -> None:
    blocks = [
        {"type": "header", "block_id": "top", "text": plain("Weekly")},
        {"type": "section", "block_id": "top", "text": mrkdwn("x" * 3001)},
        actions(button(plain("1"), "score"), button(plain("2"), "score")),
    ]

    error, messages = await refusal(
        client.chat_postMessage(channel="C0ITHELP1", text="x", blocks=blocks)
    )

    assert error == "invalid_blocks"
    assert messages == [
        "[ERROR] duplicate block_id `top` [json-pointer:/blocks/1/block_id]",
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/1/text/text]",
        "[ERROR] duplicate action_id `score` [json-pointer:/blocks/2/elements/1]",
    ]


async def test_updates_ephemerals_and_response_urls_are_checked_too(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    bad = [{"type": "header", "text": mrkdwn("*no*")}]
    posted = await client.chat_postMessage(channel="C0ITHELP1", text="Rate IT?")
    url = slack.response_url("cmd-1")

    update = client.chat_update(channel="C0ITHELP1", ts=posted["ts"], text="x", blocks=bad)
    ephemeral = client.chat_postEphemeral(
        channel="C0ITHELP1", user="U0EMP0001", text="x", blocks=bad
    )
    answer = await AsyncWebhookClient(url).send(text="x", blocks=bad)

    assert (await refusal(update))[0] == "invalid_blocks"
    assert (await refusal(ephemeral))[0] == "invalid_blocks"
    # As an incoming webhook does: HTTP 400, the error as the body; nothing is shown.
    assert (answer.status_code, answer.body) == (400, "invalid_blocks")
    assert slack.responses["cmd-1"] == [] and slack.ephemerals == []
    assert slack.messages["C0ITHELP1"][0]["text"] == "Rate IT?"


async def test_a_message_slack_takes_is_taken(slack: SlackStandIn, client: AsyncWebClient) -> None:
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {**plain("Weekly :star:"), "emoji": True}},
        {
            "type": "section",
            "block_id": "summary",
            "fields": [mrkdwn("*IT*"), mrkdwn("4.2")],
            "accessory": button(plain("Details"), "details", style="primary", value="it"),
        },
        {"type": "divider"},
        {"type": "context", "elements": [mrkdwn("3 ratings"), plain("this week")]},
        actions(
            select(initial_option=option("IT", "it"), placeholder=plain("Department")),
            {"type": "overflow", "action_id": "more", "options": [option("Mute", "mute")]},
            {"type": "datepicker", "action_id": "day", "initial_date": "2026-11-18"},
            {
                "type": "radio_buttons",
                "action_id": "score",
                "options": [option("*1*", "1", "mrkdwn"), option("*2*", "2", "mrkdwn")],
            },
            button(
                plain("Forget"),
                "forget",
                style="danger",
                confirm={
                    "title": plain("Sure?"),
                    "text": mrkdwn("This *cannot* be undone."),
                    "confirm": plain("Forget"),
                    "deny": plain("Keep"),
                },
            ),
        ),
        input_block(plain("Anything to add?"), hint=plain("Stored without your name")),
    ]

    await client.chat_postMessage(channel="C0ITHELP1", text="Weekly", blocks=blocks)

    assert slack.messages["C0ITHELP1"][0]["blocks"] == blocks


# views


@pytest.mark.parametrize(
    ("view", "message"),
    [
        (
            modal(mrkdwn("Rate IT")),
            "[ERROR] must be a plain_text text object (got type `mrkdwn`) "
            "[json-pointer:/view/title/type]",
        ),
        (
            modal(plain("A title over 24 characters")),
            "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]",
        ),
        (
            modal(submit=plain("Send my rating to the team")),
            "[ERROR] must be less than 25 characters [json-pointer:/view/submit/text]",
        ),
        (
            modal(close=mrkdwn("*Cancel*")),
            "[ERROR] must be a plain_text text object (got type `mrkdwn`) "
            "[json-pointer:/view/close/type]",
        ),
        (
            {**modal(submit=plain("Send")), "blocks": [input_block(plain("x" * 2001))]},
            "[ERROR] must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]",
        ),
        (
            {**modal(submit=plain("Send")), "blocks": [input_block(mrkdwn("*Comment*"))]},
            "[ERROR] must be a plain_text text object (got type `mrkdwn`) "
            "[json-pointer:/view/blocks/0/label/type]",
        ),
        (
            {
                **modal(submit=plain("Send")),
                "blocks": [input_block(plain("Comment"), hint=mrkdwn("_optional_"))],
            },
            "[ERROR] must be a plain_text text object (got type `mrkdwn`) "
            "[json-pointer:/view/blocks/0/hint/type]",
        ),
        (
            {**modal(), "blocks": [input_block(plain("Comment"))]},
            "[ERROR] must provide `submit` when the view has input blocks [json-pointer:/view]",
        ),
        (
            {**modal(), "blocks": [{"type": "divider", "block_id": "d"}] * 2},
            "[ERROR] duplicate block_id `d` [json-pointer:/view/blocks/1/block_id]",
        ),
        (
            {"type": "home", "submit": plain("Send"), "blocks": []},
            "[ERROR] a home view has no submit button [json-pointer:/view/submit]",
        ),
        (
            modal(private_metadata="x" * 3001),
            "[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]",
        ),
    ],
)
async def test_a_view_slack_refuses_is_invalid_arguments_saying_where(
    slack: SlackStandIn, client: AsyncWebClient, view: dict[str, Any], message: str
) -> None:
    if view["type"] == "home":
        call = client.views_publish(user_id="U0EMP0001", view=view)
    else:
        call = client.views_open(trigger_id=slack.issue_trigger_id(), view=view)

    assert await refusal(call) == ("invalid_arguments", [message])
    assert slack.views == {}


async def test_updating_or_pushing_a_view_is_checked_like_opening_one(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    opened = await client.views_open(trigger_id=slack.issue_trigger_id(), view=modal())
    bad = modal(plain("Thanks for rating us, really"))

    update = client.views_update(view_id=opened["view"]["id"], view=bad)
    push = client.views_push(trigger_id=slack.issue_trigger_id(), view=bad)

    assert (await refusal(update))[0] == "invalid_arguments"
    assert (await refusal(push))[0] == "invalid_arguments"
    assert slack.views[opened["view"]["id"]]["title"]["text"] == "Rate IT"


async def test_an_empty_home_tab_and_a_modal_with_inputs_are_taken(
    slack: SlackStandIn, client: AsyncWebClient
) -> None:
    rating = {
        **modal(submit=plain("Send"), close=plain("Cancel"), callback_id="rate"),
        "blocks": [
            input_block(plain("Comment"), optional=True),
            {
                "type": "input",
                "block_id": "score",
                "label": plain("Score"),
                "element": {
                    "type": "static_select",
                    "action_id": "score",
                    "options": [option(str(n), str(n)) for n in range(1, 6)],
                },
            },
        ],
    }

    await client.views_publish(user_id="U0EMP0001", view={"type": "home", "blocks": []})
    opened = await client.views_open(trigger_id=slack.issue_trigger_id(), view=rating)

    assert slack.views[opened["view"]["id"]]["callback_id"] == "rate"
    assert slack.home_views["U0EMP0001"]["blocks"] == []
