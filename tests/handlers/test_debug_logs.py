"""The privacy promise at LOG_LEVEL=DEBUG, attacked end to end: the real app, configured as
production configures it, serves a request, a poll, a click, a comment with consent, a
look-up by e-mail and a rating by hand, and nothing it logs names a person or what they
answered."""

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.runtime.logs import configure_logging
from bot.slack_standin import SlackStandIn
from models.survey import Poll
from tests.conftest import Harness, make_settings, start_harness
from tests.handlers.poll_flows import SERVED_TS, click, reaction, submission
from tests.support import WEBHOOK_SECRET, FakeClock, eventually, until, webhook_headers

# Everyone the flow involves: the helped person, the IT member who reacted, a requester the
# tool names only by e-mail, and someone rating by hand under a short Enterprise Grid id.
PEOPLE = {
    "U0FIN0001": ("fin", "Fiona Finch", "fiona@acme.example"),
    "U0IT00001": ("ivo", "Ivo Teller", "ivo.teller@acme.example"),
    "U0EMP0001": ("emma", "Emma Employee", "emma@acme.example"),
    "W0ABC12": ("wanda", "Wanda Grid", "wanda@acme.example"),
}
BOT_USER = "U0BOT"  # the stand-in's bot user: a short id in every event's authorizations
COMMENT = "the printer on floor 3 ate my contract zebra-7741"
# Words that carry what someone answered, or that they answered at all (the thank-you).
ANSWER_WORDS = ("rated", "answer", "score", "zebra", " of 5")


class NotTheStandIn(logging.Filter):
    """Slack's side runs in our process only in tests: its own records are not ours. (The
    stand-in's server keeps no access log, so every aiohttp.access line is the app's.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith("bot.slack_standin")


@pytest.fixture
def debug_logs() -> Iterator[io.StringIO]:
    """LOG_LEVEL=DEBUG exactly as `quality-bot serve` sets it, written to a buffer; every
    logger's level, the root's handlers and level are put back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {
        name: logger.level
        for name, logger in logging.Logger.manager.loggerDict.items()
        if isinstance(logger, logging.Logger)
    }
    configure_logging("DEBUG")
    buffer = io.StringIO()
    [handler] = root.handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)  # keeps the formatter production uses
    handler.addFilter(NotTheStandIn())
    yield buffer
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, logger in logging.Logger.manager.loggerDict.items():
        if isinstance(logger, logging.Logger):
            logger.setLevel(levels.get(name, logging.NOTSET))


@pytest.fixture
async def harness(
    tmp_path: Path, slack: SlackStandIn, clock: FakeClock, debug_logs: io.StringIO
) -> AsyncIterator[Harness]:
    # Logging is configured before the app is built, as in production: bolt copies levels
    # into its loggers when it is created.
    for user_id, (name, real_name, email) in PEOPLE.items():
        slack.add_user(user_id, name=name, real_name=real_name, email=email)
    settings = make_settings(tmp_path, slack, REVIEW_WEBHOOK_SECRET=WEBHOOK_SECRET)
    h = await start_harness(settings, slack, clock=clock)
    slack.add_message("C0ITHELP1", SERVED_TS, user="U0FIN0001", text="My VPN drops every hour")
    yield h
    await h.client.close()


async def served_request_answered_by_click(harness: Harness) -> None:
    await harness.event(reaction(), event_id="EvServedDebug")
    await until(lambda: Poll.filter(user_id="U0FIN0001", message_ts__isnull=False).exists())
    poll = await Poll.get(user_id="U0FIN0001")
    url = harness.slack.response_url()
    assert (await harness.interact(click(poll, 1, response_url=url))).status == 200
    await harness.slack.wait_for_response(url)


async def emailed_request_answered_with_a_comment(harness: Harness) -> None:
    payload = json.dumps(
        {
            "id": "JIRA-7741",
            "department": "it",
            "requester": {"email": "emma@acme.example"},
            "summary": "New contract printed",
        }
    )
    resp = await harness.client.post(
        "/webhooks/interactions", data=payload, headers=webhook_headers(payload)
    )
    assert resp.status == 201, await resp.text()
    await until(lambda: Poll.filter(user_id="U0EMP0001", message_ts__isnull=False).exists())
    poll = await Poll.get(user_id="U0EMP0001")
    answer = submission(user="U0EMP0001", score="2", comment=COMMENT, consent=True, poll=poll)
    assert (await harness.interact(answer)).status == 200
    # The thank-you follows the answer, after the comment's sentiment (a model's first load).
    await harness.slack.wait_for("chat.update", timeout=30)
    await harness.services.polls.step()  # the follow-up IT's alert channel gets, with consent


async def rated_by_hand(harness: Harness) -> None:
    assert (await harness.command("rate IT", user_id="W0ABC12")).status == 200
    await harness.slack.wait_for("views.open")
    resp = await harness.interact(submission(user="W0ABC12", score="3", department="it"))
    assert resp.status == 200
    await eventually(
        lambda: bool(
            harness.slack.calls_to(
                "chat.postMessage", where=lambda c: c.params["channel"] == "W0ABC12"
            )
        )
    )


# What names a person: their ids, real names and addresses; in a line that also carries an
# answer, even what redaction leaves in their place pairs someone with it.
IDENTITIES = [
    *PEOPLE,
    BOT_USER,
    *(detail for _, *details in PEOPLE.values() for detail in details),
]
PLACEHOLDERS = ("[user]", "[email]")


async def test_debug_logs_name_no_one_and_no_answer(
    harness: Harness, debug_logs: io.StringIO
) -> None:
    # Our own loggers do write at DEBUG, through the capture: the test sees what production logs.
    logging.getLogger("bot.surveys").debug("debug flow starts")
    await served_request_answered_by_click(harness)
    await emailed_request_answered_with_a_comment(harness)
    await rated_by_hand(harness)
    await harness.services.polls.step()

    # The flow really ran: the comment reached IT's alert channel, with consent.
    assert any(COMMENT in m["text"] for m in harness.slack.posted("C0ITTEAM1"))
    text = debug_logs.getvalue()
    assert "DEBUG bot.surveys: debug flow starts" in text
    secrets = [*IDENTITIES, COMMENT, "zebra-7741", "printer on floor 3", "rated IT"]
    leaked = [secret for secret in secrets if secret in text]
    assert leaked == [], f"in the DEBUG log: {leaked}"
    pairs = [
        line
        for line in text.splitlines()
        if any(who in line for who in (*IDENTITIES, *PLACEHOLDERS))
        and any(word in line for word in ANSWER_WORDS)
    ]
    assert pairs == [], "a log line pairs a person with an answer:\n" + "\n".join(pairs[:5])
