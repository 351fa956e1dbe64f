"""Property-based fuzzing of `/slack/events` through the real app, every body signed with the
signing secret so that it gets past the signature check to bolt and the listeners.

For any event callback, slash command, interactive payload, or body that is none of these
(drawn in `slack_fuzz_bodies`), under any Content-Type:
- never a 5xx; a body Slack sends to one of the app's listeners is answered 200;
- nothing logged at ERROR: no listener failed ("listener failed", handlers/middleware.py), no
  background task or request handler did;
- from a body Slack never sends (a field the listener needs left out or of another type,
  malformed JSON, another Content-Type) nothing is stored;
- the app answers `/healthz` afterwards, and the bodies Slack does send did their work.

As in test_webhook_fuzz, each test starts one app (database, Slack stand-in) and Hypothesis
runs every example against it, each example one `runner.run(...)` on the test's own loop; an
example waits for the listeners it started, so a failure shrinks to the body that caused it.
"""

import asyncio
import json
import logging
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import AsyncExitStack
from itertools import count
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from tortoise.models import Model

from bot.blocks.home import RATE_ACTION
from bot.blocks.poll import COMMENT_ACTION
from bot.slack_standin import RESPONSE_URL, SlackStandIn
from bot.weeks import Week
from models.audit import AuditEntry
from models.digest import DigestPost
from models.review import Review
from models.survey import OPEN, SENDING, FollowUp, HeldAnswer, OptOut, Poll, Rating
from tests.bot import digest_data
from tests.bot.digest_data import NONE
from tests.conftest import Harness, make_settings, start_harness
from tests.handlers.slack_fuzz_bodies import (
    POLL_ID,
    POLL_USER,
    SlackBody,
    click,
    command,
    commands,
    event,
    events,
    interaction,
    interactions,
    metadata,
    modal_values,
    raw,
    shortcut,
    submission,
    under_any_type,
)
from tests.support import BOT_TOKEN, TEAM_ID, event_body, slack_headers, until

# What a body does is decided by bolt and the listeners, the same on either database: run once,
# in the PostgreSQL run, which has fewer tests.
pytestmark = pytest.mark.same_on_either_database(run_on="postgresql")

STORED: tuple[type[Model], ...] = (
    Poll, HeldAnswer, Rating, FollowUp, OptOut, AuditEntry, Review, DigestPost
)  # fmt: skip


def fuzz(max_examples: int) -> settings:
    """Bounded and the same on every run, for CI. For a deeper hunt, on a new seed each time:
    `SLACK_FUZZ_EXAMPLES=2000 pytest tests/handlers/test_slack_fuzz.py`."""
    deeper = int(os.environ.get("SLACK_FUZZ_EXAMPLES", "0"))
    return settings(
        max_examples=deeper or max_examples,
        deadline=None,
        derandomize=not deeper,
        database=None,
        suppress_health_check=[
            HealthCheck.function_scoped_fixture,
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


class LiveSlackApp:
    """The real app on its own event loop, for a synchronous Hypothesis test to drive."""

    def __init__(self, tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
        self.tmp_path = tmp_path
        self.caplog = caplog
        self.runner = asyncio.Runner()
        self.stack = AsyncExitStack()
        self.answered: Counter[int] = Counter()  # status -> how many examples got it
        self.kinds: Counter[str] = Counter()  # what was sent
        self._authors = count(1)

    def __enter__(self) -> "LiveSlackApp":
        self.caplog.set_level(logging.WARNING)
        self.harness = self.runner.run(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.runner.run(self.stack.aclose())
        finally:
            self.runner.close()

    async def _start(self) -> Harness:
        slack = await self.stack.enter_async_context(SlackStandIn(token=BOT_TOKEN))
        harness = await start_harness(make_settings(self.tmp_path, slack), slack)
        self.stack.push_async_callback(harness.client.close)
        # A new connection for each request: one a body leaves unusable fails no other.
        connector = aiohttp.TCPConnector(force_close=True)
        self.session = await self.stack.enter_async_context(
            aiohttp.ClientSession(connector=connector)
        )
        self.harness = harness
        await self._last_week_rated()
        return harness

    async def _last_week_rated(self) -> None:
        """Commented ratings of both departments last week: reports, exports, App Home and
        the digest then have figures and comments to show (and audit)."""
        quality = self.harness.services.quality.current
        week = Week.last_complete(self.harness.services.clock(), quality.tz).label
        for slug, rater in (("it", "finance"), ("finance", "it")):
            await digest_data.ratings(
                slug,
                week,
                [2, 3, 4, 5],
                rater=rater,
                sentiments=[("positive", 0.5), ("negative", -0.6), ("neutral", 0.0), NONE],
                comments=["Quick and friendly", "Slow and rude", "It was fine", None],
            )

    async def poll_to_answer(self) -> tuple[str, str]:
        """(id, person) of a poll waiting for an answer; when every poll is answered, someone
        new is served in #it-help and asked, as the app does."""
        poll = await Poll.filter(status__in=OPEN).order_by("-created_at").first()
        if poll is not None:
            return str(poll.id), poll.user_id
        author, ts = f"U0SEED{next(self._authors):04d}", f"1763456400.{next(self._authors):06d}"
        self.harness.slack.add_message("C0ITHELP1", ts, user=author, text="My VPN drops")
        event = {
            "type": "reaction_added",
            "user": "U0IT00001",
            "reaction": "white_check_mark",
            "item": {"type": "message", "channel": "C0ITHELP1", "ts": ts},
            "item_user": author,
            "event_ts": ts,
        }
        body = event_body(event, event_id=f"EvServed{ts}")
        headers = slack_headers(body, content_type="application/json")
        response = await self.harness.client.post("/slack/events", data=body, headers=headers)
        assert response.status == 200
        await self.settled()

        async def asked() -> bool:
            return await Poll.exists(user_id=author, status__in=OPEN)

        await until(asked)
        poll = await Poll.get(user_id=author, status__in=OPEN)
        return str(poll.id), poll.user_id

    def run(self, body: SlackBody) -> None:
        self.runner.run(self.check(body))

    async def send(self, body: SlackBody, poll: tuple[str, str]) -> tuple[int, bytes]:
        wire = body.wire(response_url=self.harness.slack.response_url(), poll=poll)
        # Signed over the text the app hands bolt (bytes that are not UTF-8 replaced), so
        # that a body that is not UTF-8 gets past the signature to the parsers too.
        headers = slack_headers(wire.decode("utf-8", errors="replace"), content_type="")
        del headers["Content-Type"]
        if body.content_type is not None:
            headers["Content-Type"] = body.content_type
        async with self.session.post(
            self.harness.client.make_url("/slack/events"),
            data=wire,
            headers=headers,
            skip_auto_headers=["Content-Type"] if body.content_type is None else [],
        ) as response:
            return response.status, await response.read()

    async def settled(self) -> None:
        """Wait for the listeners a request started, then deliver the polls they queued, so
        that what they do (and log) belongs to this example."""
        services = self.harness.services

        async def idle() -> bool:
            return services.tasks.pending == 0

        async def delivered() -> bool:
            # The delivery loop, woken by a listener, may be sending one right now.
            return not await Poll.exists(status=SENDING)

        await until(idle, within=15)
        await services.polls.step()
        await until(delivered, within=15)

    async def check(self, body: SlackBody) -> None:
        poll = ("", "")
        if POLL_ID in body.body or POLL_USER in body.body:
            poll = await self.poll_to_answer()
        before = await stored()
        logged = len(self.caplog.records)
        status, answer = await self.send(body, poll)
        await self.settled()
        self.answered[status] += 1
        self.kinds[body.kind] += 1
        assert status < 500, (status, answer[:300])
        if body.expect_ok:
            assert status == 200, (status, answer[:300])
        errors = [
            f"{r.name}: {r.getMessage()}"
            for r in self.caplog.records[logged:]
            if r.levelno >= logging.ERROR
        ]
        assert not errors, errors
        if not body.may_store:
            after = await stored()
            assert after == before, f"{status}: stored from a body Slack never sends"

    def fuzz(
        self,
        bodies: st.SearchStrategy[SlackBody],
        max_examples: int,
        examples: Sequence[SlackBody] = (),
    ) -> None:
        @fuzz(max_examples)
        @given(body=bodies)
        def check(body: SlackBody) -> None:
            self.run(body)

        # Slack's own bodies for each thing a listener does, run first whatever is drawn.
        for body in reversed(examples):
            check = example(body=body)(check)
        check()
        assert self.runner.run(self.health()) == 200

    async def health(self) -> int:
        async with self.session.get(self.harness.client.make_url("/healthz")) as response:
            return response.status

    def stored(self) -> dict[str, int]:
        return self.runner.run(stored())

    def calls(self, method: str) -> int:
        return len(self.harness.slack.calls_to(method))


async def stored() -> dict[str, int]:
    return {model.__name__: await model.all().count() for model in STORED}


@pytest.fixture
def live(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> Iterator[LiveSlackApp]:
    with LiveSlackApp(tmp_path, caplog) as live:
        yield live


def test_event_callbacks(live: LiveSlackApp) -> None:
    served = {
        "type": "reaction_added",
        "user": "U0IT00001",
        "reaction": "white_check_mark",
        "item": {"type": "message", "channel": "C0ITHELP1", "ts": "1763456400.000300"},
        "item_user": "U0EMP0001",
        "event_ts": "1763456400.000400",
    }
    home = {"type": "app_home_opened", "user": "U0IT00001", "tab": "home", "channel": "D0DM0001"}
    live.fuzz(under_any_type(events), max_examples=200, examples=[event(served), event(home)])
    # The reactions Slack sends asked the people served, and App Home was shown.
    assert live.stored()["Poll"] >= 3, live.stored()
    assert live.calls("views.publish") >= 5, live.kinds
    assert live.answered[200] >= 100, live.answered


def test_slash_commands(live: LiveSlackApp) -> None:
    examples = [
        command("optout", "U0EMP0001"),
        command("report it", "U0IT00001"),  # IT's manager: with its comments, audited
        command("export finance", "U0FIN0001"),
        command("rate it", "U0EMP0001"),
        command("forget <@U0EMP0001>", "U0ADMIN01"),
    ]
    live.fuzz(under_any_type(commands), max_examples=200, examples=examples)
    # The commands Slack sends were answered, and did what they say.
    assert live.calls(RESPONSE_URL) >= 20, live.answered
    assert live.stored()["AuditEntry"] >= 3  # the report, the export and the erasure
    assert live.calls("views.open") >= 1
    assert live.calls("files.completeUploadExternal") >= 1


def test_interactive_payloads(live: LiveSlackApp) -> None:
    examples = [
        interaction(click("poll_score_4")),
        interaction(click("poll_score_2", in_home=True)),
        interaction(click(COMMENT_ACTION)),
        interaction(click(RATE_ACTION, "", "U0EMP0001", in_home=True)),
        interaction(submission(modal_values("5", comment="Quick!"), metadata(POLL_ID), POLL_USER)),
        interaction(submission(modal_values("3", department="finance"), metadata(), "U0EMP0002")),
        interaction(shortcut("message_action", "U0EMP0003")),
        interaction(shortcut("shortcut", "U0EMP0003")),
    ]
    live.fuzz(under_any_type(interactions), max_examples=300, examples=examples)
    # Clicks and modals answered polls and rated departments; shortcuts opened the modal.
    # The 8 ratings of last week, and new answers, held until they are released.
    stored = live.stored()
    assert stored["Rating"] == 8 and stored["HeldAnswer"] >= 3, stored
    assert live.calls("views.open") >= 3, live.kinds
    assert live.answered[400] >= 5, live.answered  # malformed payloads among them


def test_bodies_slack_never_sends(live: LiveSlackApp) -> None:
    before = live.stored()
    live.fuzz(raw(), max_examples=150)
    assert live.stored() == before
    assert live.answered[400] >= 10, live.answered


# --- what the fuzzing found: each a body that failed, as a plain test ---------------------------


async def post(harness: Harness, body: str, content_type: str) -> tuple[int, str]:
    headers = slack_headers(body, content_type=content_type)
    response = await harness.client.post("/slack/events", data=body, headers=headers)
    return response.status, await response.text()


async def settle(harness: Harness) -> None:
    async def idle() -> bool:
        return harness.services.tasks.pending == 0

    await until(idle)


def errors_logged(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(
    "body",
    [
        # bolt's parser indexed these without looking: 500 from inside AsyncBoltRequest.
        '{"type": "event_callback", "event": {"type": "message"}, "authorizations": [null]}',
        '{"type": "event_callback", "event": {"type": "message"}, "authorizations": 7}',
        '{"type": "block_actions", "user": 5, "actions": [{"action_id": "home_rate"}]}',
        "[" * 5000 + "]" * 5000,
        # ...and these in dispatch, where even the error handler failed on them: 500.
        '{"type": "event_callback", "event": null}',
        '{"type": "event_callback", "event": "reaction_added"}',
        '{"type": "block_actions", "actions": []}',
        '{"type": "block_actions", "actions": [{"action_id": 1}]}',
        '{"type": "interactive_message", "callback_id": 1, "actions": [{}]}',
        '{"type": "view_submission", "view": []}',
    ],
)
async def test_a_body_bolt_cannot_take_is_a_400(
    harness: Harness, caplog: pytest.LogCaptureFixture, body: str
) -> None:
    status, answer = await post(harness, body, "application/json")
    assert (status, answer) == (400, '{"error": "malformed body"}')
    assert errors_logged(caplog) == []
    # Unsigned, the same body still learns nothing but 401.
    response = await harness.client.post(
        "/slack/events", data=body, headers={"Content-Type": "application/json"}
    )
    assert response.status == 401


async def test_a_reaction_to_no_message_is_ignored(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # `item` a string: AttributeError in the listener. A ts no message has: a trigger_key
    # longer than Poll.trigger_key holds.
    for item in ("x", {"type": "message", "channel": "C0ITHELP1", "ts": "1" * 300}):
        event = {
            "type": "reaction_added",
            "user": "U0IT00001",
            "reaction": "white_check_mark",
            "item": item,
            "item_user": "U0EMP0001",
        }
        assert (await harness.event(event, event_id=f"Ev{len(str(item))}")).status == 200
    await settle(harness)
    assert errors_logged(caplog) == []
    assert await Poll.all().count() == 0


async def test_an_event_id_too_long_to_claim_still_runs_the_listener(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # It failed the claim (ProcessedEvent.event_id holds 64): 500, and no App Home.
    event = {"type": "app_home_opened", "user": "U0EMP0001", "tab": "home"}
    assert (await harness.event(event, event_id="Ev" + "x" * 100)).status == 200
    await harness.slack.wait_for("views.publish")
    assert errors_logged(caplog) == []


def _form(**fields: str) -> str:
    base = {
        "team_id": TEAM_ID,
        "user_id": "U0EMP0001",
        "command": "/quality",
        "text": "optout",
        "response_url": "",
        "trigger_id": "1763456400.1.abc",
    }
    return urlencode({k: v for k, v in {**base, **fields}.items() if v != "-"})


async def test_a_command_without_its_user_or_response_url_does_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    response_url = harness.slack.response_url()
    for form in (
        _form(user_id="-", response_url=response_url),  # stored an opt-out for user ""
        _form(response_url="-"),  # stored the opt-out, then failed to answer: respond is None
        _form(text="rate", trigger_id="-", response_url=response_url),  # views.open refused
    ):
        status, answer = await post(harness, form, "application/x-www-form-urlencoded")
        assert status == 200
        assert "arrived without what Slack always sends" in answer
    await settle(harness)
    assert errors_logged(caplog) == []
    assert await OptOut.all().count() == 0


async def test_a_spent_trigger_is_said_not_failed(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    harness.slack.fail("views.open", "expired_trigger_id")
    assert (await harness.command("rate")).status == 200
    [answer] = await harness.slack.wait_for_response()
    assert "did not let me open the rating form" in answer["text"]
    await settle(harness)
    assert errors_logged(caplog) == []


NO_POLL = "00000000-0000-0000-0000-000000000001"  # the id of a poll there is not


@pytest.mark.parametrize(
    "payload",
    [
        {**click("home_rate", "", "U0EMP0001", in_home=True), "trigger_id": None},  # KeyError
        {**click(COMMENT_ACTION, "x", "U0EMP0001"), "response_url": None},  # respond is None
        {**click("poll_score_3", NO_POLL, "U0EMP0001"), "user": "U0EMP0001"},  # AttributeError
        {**click("poll_score_3", NO_POLL, "U0EMP0001"), "container": []},  # AttributeError
        {**shortcut("message_action", "U0EMP0001"), "channel": "C0ITHELP1"},  # AttributeError
        {**shortcut("message_action", "U0EMP0001"), "message": "text"},  # AttributeError
    ],
)
async def test_a_click_or_shortcut_missing_a_part_does_nothing(
    harness: Harness, caplog: pytest.LogCaptureFixture, payload: dict[str, Any]
) -> None:
    payload = {k: v for k, v in payload.items() if v is not None}
    body = json.dumps(payload).replace("zzFRESHzz", "1763456400.2.abc")
    assert (await harness.interact(json.loads(body))).status == 200
    await settle(harness)
    assert errors_logged(caplog) == []


@pytest.mark.parametrize(
    ("values", "private_metadata", "user"),
    [
        ("scores", '{"poll": "not-a-poll-id"}', "U0EMP0001"),  # ValueError before ack: 500
        ("scores", "[]", "U0EMP0001"),  # AttributeError before ack: 500
        ("scores", "not json", "U0EMP0001"),  # rated by hand, from metadata we never wrote
        ("scores", '{"poll": null, "trigger": "x"}', "U0EMP0001"),  # Poll.trigger holds 16
        ("scores", '{"poll": null, "trigger": "manual"}', 5),  # rated for user "5"
        ("not values", '{"poll": null, "trigger": "manual"}', "U0EMP0001"),  # AttributeError
    ],
)
async def test_a_submission_the_app_cannot_read_records_nothing(
    harness: Harness,
    caplog: pytest.LogCaptureFixture,
    values: str,
    private_metadata: str,
    user: object,
) -> None:
    state = modal_values("4", department="finance") if values == "scores" else values
    payload = submission(state, private_metadata, "U0EMP0001")  # type: ignore[arg-type]
    payload["user"]["id"] = user
    assert (await harness.interact(payload)).status == 200
    await settle(harness)
    assert errors_logged(caplog) == []
    assert await HeldAnswer.all().count() == 0 and await Rating.all().count() == 0
    assert await Poll.all().count() == 0


async def test_a_comment_longer_than_the_modal_takes_is_refused_in_it(harness: Harness) -> None:
    values = modal_values("4", department="finance", comment="x" * 2001)
    response = await harness.interact(submission(values, metadata(), "U0EMP0001"))
    assert response.status == 200
    assert (await response.json())["errors"] == {"comment": "Keep the comment to 2000 characters."}
    assert await HeldAnswer.all().count() == 0 and await Rating.all().count() == 0


async def test_a_comment_with_a_nul_character_is_refused_in_the_modal(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # PostgreSQL cannot store it: the listener failed after the ack and the rating was lost.
    values = modal_values("4", department="finance", comment="fine\x00")
    response = await harness.interact(submission(values, metadata(), "U0EMP0001"))
    assert response.status == 200
    assert "NUL character" in (await response.json())["errors"]["comment"]
    await settle(harness)
    assert errors_logged(caplog) == []
    assert await HeldAnswer.all().count() == 0 and await Rating.all().count() == 0


async def test_a_message_with_a_nul_character_is_named_without_it(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    # The shortcut's modal carried it to the rating by hand, and the served request's poll
    # stored it: PostgreSQL refused both.
    harness.slack.add_message("C0ITHELP1", "1763456400.000500", user="U0EMP0001", text="VPN\x00!")
    served = {
        "type": "reaction_added",
        "user": "U0IT00001",
        "reaction": "white_check_mark",
        "item": {"type": "message", "channel": "C0ITHELP1", "ts": "1763456400.000500"},
        "item_user": "U0EMP0001",
    }
    assert (await harness.event(served, event_id="EvNul1")).status == 200
    await settle(harness)
    assert [p.summary for p in await Poll.all()] == ["VPN!"]
    payload = shortcut("message_action", "U0EMP0002", text="VPN\x00!")
    payload["trigger_id"] = "1763456400.3.abc"
    assert (await harness.interact(payload)).status == 200
    [opened] = await harness.slack.wait_for("views.open")
    assert json.loads(opened.params["view"]["private_metadata"])["summary"] == "VPN!"
    assert errors_logged(caplog) == []
