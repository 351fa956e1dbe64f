"""Text as Slack sends it and as Slack shows it: a request's text is read once (Slack's markup
and escapes resolved) and escaped once on the way out, wherever it appears."""

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.slack.text import command_words, plain
from bot.slack_standin import SlackStandIn
from models.survey import SENT, Poll
from tests.conftest import Harness, make_settings, start_harness
from tests.handlers.poll_flows import reaction, submission
from tests.support import (
    WEBHOOK_SECRET,
    FakeClock,
    block_action,
    eventually,
    home_opened,
    until,
    webhook_headers,
)

REQUEST_TS = "1763456500.000200"
# What someone typed: "@Ada my laptop <urgent> & slow, see the wiki 🙏" with a mention and a link.
AS_SLACK_SENDS = (
    "<@U0IT00002> my laptop &lt;urgent&gt; &amp; slow, see "
    "<https://wiki.example.com/vpn?a=1&amp;b=2|the wiki> :pray:"
)
AS_READ = "@someone my laptop <urgent> & slow, see the wiki :pray:"
SHOWN = "@someone my laptop &lt;urgent&gt; &amp; slow, see the wiki :pray:"


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Harness]:
    settings = make_settings(tmp_path, slack, REVIEW_WEBHOOK_SECRET=WEBHOOK_SECRET)
    h = await start_harness(settings, slack, clock=FakeClock())
    yield h
    await h.client.close()


async def _served(h: Harness, ts: str, *, event_id: str) -> Poll:
    """IT's member marks the message at `ts` resolved; the poll it asked for, once sent."""
    await h.event(
        reaction(item={"type": "message", "channel": "C0ITHELP1", "ts": ts}), event_id=event_id
    )
    await until(lambda: Poll.exists())
    await h.services.polls.step()
    await until(lambda: Poll.exists(status=SENT))
    return await Poll.get(status=SENT).prefetch_related("department")


def _dm(h: Harness) -> dict[str, Any]:
    [call] = h.slack.calls_to(
        "chat.postMessage", where=lambda c: c.params["channel"] == "U0FIN0001"
    )
    return call.params


def _texts(blocks: list[dict[str, Any]]) -> str:
    return json.dumps(blocks, ensure_ascii=False)


def test_slack_text_reads_as_typed() -> None:
    assert plain(AS_SLACK_SENDS) == AS_READ
    assert plain("<!here> see <#C0ITHELP1|it-help> or <mailto:it@example.com|it@example.com>") == (
        "@here see #it-help or it@example.com"
    )
    assert plain("typed &amp;lt;b&amp;gt; literally") == "typed &lt;b&gt; literally"
    assert (
        plain("<!subteam^S0IT00001|@it-team> <https://x.example>") == "@it-team https://x.example"
    )
    assert command_words("report R&amp;D  4") == ["report", "R&D", "4"]
    assert command_words("forget <@U0FIN0001|sam>") == ["forget", "<@U0FIN0001|sam>"]


async def test_a_request_is_read_once_and_escaped_once(harness: Harness) -> None:
    harness.slack.add_message("C0ITHELP1", REQUEST_TS, user="U0FIN0001", text=AS_SLACK_SENDS)
    poll = await _served(harness, REQUEST_TS, event_id="EvText1")
    assert poll.summary == AS_READ  # stored once, as plain text
    dm = _dm(harness)
    assert SHOWN in _texts(dm["blocks"]) and "&amp;lt;" not in _texts(dm["blocks"])
    assert dm["text"] == f"How did IT do with your request? “{SHOWN}”"
    # App Home and the comment modal show it the same way.
    await harness.event(home_opened("U0FIN0001"), event_id="EvHome")
    await eventually(
        lambda: SHOWN in _texts(harness.slack.home_views.get("U0FIN0001", {}).get("blocks", []))
    )
    container = {"type": "message", "channel_id": poll.channel, "message_ts": poll.message_ts}
    comment = block_action(
        "U0FIN0001",
        "poll_comment",
        value=str(poll.id),
        block_id=f"poll_more:{poll.id}",
        container=container,
    )
    await harness.interact(comment)
    [opened] = await harness.slack.wait_for("views.open")
    assert SHOWN in _texts(opened.params["view"]["blocks"])
    assert "&amp;lt;" not in _texts(opened.params["view"]["blocks"])


@pytest.mark.parametrize(
    "shape",
    [
        {"subtype": "file_share", "files": [{"id": "F0SCREEN1", "name": "error.png"}]},
        {"subtype": "thread_broadcast", "thread_ts": "1763456400.000100", "root": {}},
    ],
    ids=["file_share", "thread_broadcast"],
)
async def test_a_request_with_a_file_or_sent_to_the_channel_is_asked_about(
    harness: Harness, shape: dict[str, Any]
) -> None:
    harness.slack.add_message(
        "C0ITHELP1", "1763456400.000100", user="U0FIN0002", text="Printer jam"
    )
    harness.slack.add_message(
        "C0ITHELP1", REQUEST_TS, user="U0FIN0001", text="It still says &lt;error 42&gt;", **shape
    )
    poll = await _served(harness, REQUEST_TS, event_id="EvShape")
    assert poll.summary == "It still says <error 42>"


@pytest.mark.parametrize(
    "message",
    [
        {
            "user": "U0FIN0001",
            "subtype": "channel_join",
            "text": "<@U0FIN0001> has joined the channel",
        },
        {"user": None, "subtype": "bot_message", "bot_id": "B0OTHER1", "text": "Build passed"},
    ],
    ids=["channel_join", "bot_message"],
)
async def test_what_slack_or_a_bot_wrote_is_not_a_request(
    harness: Harness, message: dict[str, Any]
) -> None:
    fields = {k: v for k, v in message.items() if k not in ("user", "text")}
    harness.slack.add_message(
        "C0ITHELP1", REQUEST_TS, user=message["user"], text=message["text"], **fields
    )
    await harness.event(
        reaction(item={"type": "message", "channel": "C0ITHELP1", "ts": REQUEST_TS}),
        event_id="EvNotRequest",
    )
    await until(lambda: _looked_up(harness))
    await harness.services.polls.step()
    assert not await Poll.exists()


async def _looked_up(h: Harness) -> bool:
    return bool(h.slack.calls_to("conversations.history", where=_about_the_request))


def _about_the_request(call: Any) -> bool:
    return bool(call.params.get("latest") == REQUEST_TS)


async def test_a_resolved_thread_reply_is_named_by_its_own_text(harness: Harness) -> None:
    parent = "1763456400.000100"
    harness.slack.add_message("C0ITHELP1", parent, user="U0IT00002", text="VPN maintenance tonight")
    harness.slack.add_message(
        "C0ITHELP1", REQUEST_TS, user="U0FIN0001", text="Mine drops since then", thread_ts=parent
    )
    poll = await _served(harness, REQUEST_TS, event_id="EvReply")
    assert poll.summary == "Mine drops since then"


async def test_a_signed_comment_pings_no_one(harness: Harness) -> None:
    harness.slack.add_message("C0ITHELP1", REQUEST_TS, user="U0FIN0001", text="VPN drops")
    poll = await _served(harness, REQUEST_TS, event_id="EvSigned")
    assert poll is not None
    comment = "<!channel> call me, or ask <@U0IT00001> & co"  # typed into the modal: plain
    await harness.interact(
        submission(user="U0FIN0001", score="2", comment=comment, consent=True, poll=poll)
    )
    to_alerts = lambda c: c.params["channel"] == "C0ITTEAM1"  # noqa: E731
    await eventually(lambda: bool(harness.slack.calls_to("chat.postMessage", where=to_alerts)))
    [alert] = harness.slack.calls_to("chat.postMessage", where=to_alerts)
    assert "&lt;!channel&gt; call me, or ask &lt;@U0IT00001&gt; &amp; co" in alert.params["text"]
    assert "<!channel>" not in alert.params["text"]


async def test_a_command_is_read_as_typed(tmp_path: Path, slack: SlackStandIn) -> None:
    quality = (
        "timezone: Europe/Berlin\nadmins: [U0ADMIN01]\ndigest:\n  channel: C0DIGEST01\n"
        "departments:\n  - slug: rnd\n    name: R&D\n    channels: [C0RNDHELP]\n"
        "    members: [U0RND0001]\n    managers: [U0RND0001]\n"
    )
    h = await start_harness(make_settings(tmp_path, slack, quality_yml=quality), slack)
    try:
        resp = await h.command("report R&D", user_id="U0RND0001")
        answer = await resp.json() if resp.content_type == "application/json" else {}
        responses = [] if answer else await slack.wait_for_response()
        said = json.dumps([answer, *responses])
        assert "I don't know the department" not in said, said
        assert "R&amp;D" in said and "&amp;amp;" not in said
    finally:
        await h.client.close()


async def test_an_internal_tools_summary_is_escaped_in_the_notification(harness: Harness) -> None:
    summary = "Deploy <prod> & restart — can someone help?"
    body = json.dumps(
        {"id": "T-1", "department": "it", "requester": {"slack_id": "U0FIN0001"},
         "summary": summary}
    )  # fmt: skip
    resp = await harness.client.post(
        "/webhooks/interactions", data=body, headers=webhook_headers(body, msg_id="T-1")
    )
    assert resp.status == 201
    await harness.services.polls.step()
    await until(lambda: Poll.exists(status=SENT))
    [poll] = await Poll.all()
    assert poll.summary == summary  # the same plain form as a Slack request's
    text = _dm(harness)["text"]
    # Escaped once; and the question does not run into the request's own "?" ("help??").
    assert text == (
        "How did IT do with your request? “Deploy &lt;prod&gt; &amp; restart — can someone help?”"
    )
