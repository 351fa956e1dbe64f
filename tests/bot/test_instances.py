"""Three `quality-bot serve` processes on one PostgreSQL database, as behind a load balancer:
whatever one of them does, the others must not do again."""

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.config import Settings
from bot.digest.schedule import latest_due
from bot.people.directory import REFRESH_EVERY
from bot.runtime import db
from bot.runtime.startup import prepare_database
from bot.slack_standin import SlackStandIn
from bot.slack_standin.calls import Call
from models.department import Department, Membership
from models.digest import DigestPost
from models.installation import Installation
from models.review import ALERT_PENDING, ALERT_SENT, Review
from models.survey import EXPIRED, REMINDED, SENT, FollowUp, Poll
from tests.bot import digest_data as data
from tests.cli import cli_env
from tests.conftest import make_settings
from tests.database import database_url, on_postgres
from tests.handlers.poll_flows import SERVED_TS, reaction
from tests.processes import ServeProcess
from tests.support import (
    BOT_TOKEN,
    SIGNING_SECRET,
    command_body,
    event_body,
    slack_headers,
    view_submission,
)

pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(
        not on_postgres(), reason="several instances share PostgreSQL; SQLite serves one instance"
    ),
]

INSTANCES = 3
EACH = 8  # polls to send, to remind and to expire; follow-ups to post
ALERTS = 4  # review alerts: few enough to be posted one by one, not as a burst summary


@pytest.fixture
async def instances(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[list[ServeProcess]]:
    settings = make_settings(tmp_path, slack)  # writes quality.yml into tmp_path
    await _seed(settings, slack)
    env = cli_env(
        tmp_path,
        DATABASE_URL=database_url(tmp_path),
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
    )
    servers = [ServeProcess(tmp_path, env, name=f"serve-{i}") for i in range(INSTANCES)]
    try:
        # All at once, as an orchestrator starts replicas: migrations and start-up race too.
        await asyncio.gather(*(s.start() for s in servers))
        await asyncio.gather(*(s.healthy() for s in servers))
        yield servers
        codes = await asyncio.gather(*(s.stop() for s in servers))
        for server, code in zip(servers, codes, strict=True):
            assert code == 0, server.log
            assert "Traceback" not in server.log, server.log
    finally:
        await asyncio.gather(*(s.kill() for s in servers))


async def test_three_instances_do_each_thing_once(
    instances: list[ServeProcess], slack: SlackStandIn, tmp_path: Path
) -> None:
    # A served request: Slack delivers the event to one instance and, having had no answer in
    # time, retries it to the others.
    slack.add_message("C0ITHELP1", SERVED_TS, user="U0FIN0001", text="My VPN drops every hour")
    async with aiohttp.ClientSession() as session:
        for retry, server in enumerate(instances):
            body = event_body(reaction(), event_id="EvServedOnce")
            headers = slack_headers(body, content_type="application/json")
            if retry:
                headers |= {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
            async with session.post(f"{server.url}/slack/events", data=body, headers=headers) as r:
                assert r.status == 200

    def posts(channel: str) -> Callable[[Call], bool]:
        # Top-level messages; a manager's digest DM (marked as the digest's) is not a poll.
        return lambda c: (
            c.params.get("channel") == channel
            and "thread_ts" not in c.params
            and (c.params.get("metadata") or {}).get("event_type") != "quality_digest"
        )

    await slack.wait_for("chat.postMessage", where=posts("U0FIN0001"), timeout=30)
    await slack.wait_for("chat.postMessage", where=_digest, timeout=30)
    await slack.wait_for("chat.postMessage", EACH, where=_dm_to_seeded, timeout=30)
    await slack.wait_for("chat.postMessage", EACH + ALERTS, where=posts("C0ITTEAM1"), timeout=30)
    await slack.wait_for("chat.update", EACH, timeout=30)
    await asyncio.sleep(3)  # an instance that would do something twice has had time to

    def calls(method: str) -> list[Call]:
        return slack.calls_to(method, include_failed=True)

    # One poll for the served request, however many instances the event reached.
    assert len([c for c in calls("chat.postMessage") if posts("U0FIN0001")(c)]) == 1
    # Each queued poll sent once, each due reminder sent once, each expiry shown once.
    dms = Counter(c.params["channel"] for c in calls("chat.postMessage") if _dm_to_seeded(c))
    assert dms == Counter({f"U0Q{i:06d}": 1 for i in range(EACH)}) + Counter(
        {f"D0R{i:06d}": 1 for i in range(EACH)}
    )
    assert sorted(c.params["ts"] for c in calls("chat.update")) == [
        f"1763000000.{i:06d}" for i in range(EACH)
    ]
    # Follow-ups and review alerts: one message each in the alert channel.
    alerts = [
        c.params["text"] + str(c.params.get("blocks"))
        for c in calls("chat.postMessage")
        if posts("C0ITTEAM1")(c)
    ]
    assert len(alerts) == EACH + ALERTS and len(set(alerts)) == EACH + ALERTS
    # The digest: one post of the week, whichever instance won.
    assert len([c for c in calls("chat.postMessage") if _digest(c)]) == 1

    await db.open_database(database_url(tmp_path))
    try:
        assert await DigestPost.all().count() == 1
        assert await Poll.filter(trigger="reaction").count() == 1
        assert await Poll.filter(status=SENT, user_id__startswith="U0Q").count() == EACH
        assert await Poll.filter(status=REMINDED).count() == EACH
        assert await Poll.filter(status=EXPIRED).count() == EACH
        assert await FollowUp.filter(posted=True).count() == EACH
        assert await Review.filter(alert=ALERT_SENT).count() == ALERTS
        # Each instance synced IT's user group at start; its members are there once each.
        members = await Membership.filter(source="usergroup").values_list("user_id", flat=True)
        assert sorted(map(str, members)) == ["U0IT00001", "U0IT00003"]
    finally:
        await db.close_database()
    assert len(slack.calls_to("usergroups.users.list")) >= INSTANCES


def _digest(call: Call) -> bool:
    return call.params.get("channel") == "C0DIGEST01" and "thread_ts" not in call.params


def _dm_to_seeded(call: Call) -> bool:
    return str(call.params.get("channel", ""))[:3] in ("U0Q", "D0R")


async def _seed(settings: Settings, slack: SlackStandIn) -> None:
    """Work waiting in the database when the instances start: polls to send, to remind and
    to expire, follow-ups and review alerts to post."""
    slack.add_usergroup("S0IT00001", ["U0IT00001", "U0IT00003"])
    now = datetime.now(UTC)
    await prepare_database(settings)  # migrated, and quality.yml's departments in place
    try:
        it = await Department.get(slug="it")
        for i in range(EACH):
            slack.add_user(f"U0Q{i:06d}", name=f"queued{i}")
            await Poll.create(
                user_id=f"U0Q{i:06d}", department=it, trigger="webhook", created_at=now
            )
            await Poll.create(
                user_id=f"U0R{i:06d}", department=it, trigger="webhook", status=SENT,
                created_at=now - timedelta(hours=30), sent_at=now - timedelta(hours=25),
                channel=f"D0R{i:06d}", message_ts=f"1763100000.{i:06d}",
            )  # fmt: skip
            await Poll.create(
                user_id=f"U0X{i:06d}", department=it, trigger="webhook", status=SENT,
                created_at=now - timedelta(hours=80), sent_at=now - timedelta(hours=73),
                channel=f"D0X{i:06d}", message_ts=f"1763000000.{i:06d}",
            )  # fmt: skip
            # The poll DM itself, for chat.update to close.
            slack.add_message(
                f"D0X{i:06d}", f"1763000000.{i:06d}", user=None, text="How did IT do?",
                bot_id=slack.workspace.bot_id,
            )  # fmt: skip
            await FollowUp.create(
                user_id=f"U0F{i:06d}", department=it, score=2, comment=f"follow-up {i}",
                created_at=now,
            )  # fmt: skip
        # Installed a month ago, with ratings in the week whose digest is due now: the
        # instances have that digest to post (a week before the installation, or one with
        # nothing in it, would be passed over).
        await Installation.filter(id=1).update(installed_at=now - timedelta(days=30))
        due = latest_due(now, settings.quality_file.digest.schedule, settings.quality_file.tz)
        await data.ratings("it", due.label, [4, 5, 3], rater="finance")
        for i in range(ALERTS):
            await Review.create(
                source="shop", external_id=f"r-{i}", department=it, routed_by="field",
                rating=1.0, text=f"Terrible service, case {i}.", created_at=now,
                week="2026-W47", received_at=now, content_hash=f"h{i}", alert=ALERT_PENDING,
            )  # fmt: skip
    finally:
        await db.close_database()


async def test_a_department_added_on_one_instance_is_used_by_another(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    # Two instances; an admin adds Legal in App Home, served by the first, and the second
    # asks about Legal when a request in Legal's channel is marked served — no restart.
    make_settings(tmp_path, slack)  # writes quality.yml into tmp_path
    slack.add_channel("C0LEGALHP1", name="legal-help")
    env = cli_env(
        tmp_path, DATABASE_URL=database_url(tmp_path), SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET, SLACK_API_URL=slack.api_url,
    )  # fmt: skip
    first, second = (ServeProcess(tmp_path, env, name=f"serve-{i}") for i in range(2))
    try:
        await asyncio.gather(first.start(), second.start())
        await asyncio.gather(first.healthy(), second.healthy())
        async with aiohttp.ClientSession() as session:
            values = {
                "name": {"name": {"type": "plain_text_input", "value": "Legal"}},
                "channels": {"channels": {"type": "multi_conversations_select",
                                          "selected_conversations": ["C0LEGALHP1"]}},
                "managers": {"managers": {"type": "multi_users_select",
                                          "selected_users": ["U0LEG0001"]}},
            }  # fmt: skip
            saved = view_submission(
                "U0ADMIN01", "department_editor", values, private_metadata='{"slug": null}'
            )
            body = urlencode({"payload": json.dumps(saved)})
            headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
            async with session.post(f"{first.url}/slack/events", data=body, headers=headers) as r:
                assert r.status == 200 and await r.text() == ""
            # The second instance lists Legal within seconds: ask it until it does.
            for attempt in range(int(REFRESH_EVERY * 3 / 0.25)):
                key = f"departments-{attempt}"
                body = command_body(
                    "departments", user_id="U0EMP0001", response_url=slack.response_url(key)
                )
                headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
                async with session.post(f"{second.url}/slack/events", data=body, headers=headers):
                    pass
                [listed] = await slack.wait_for_response(key, timeout=10)
                if "Legal" in json.dumps(listed):
                    break
                await asyncio.sleep(0.25)
            else:
                raise AssertionError("the second instance never listed Legal")

            ts = "1763456500.000100"
            slack.add_message("C0LEGALHP1", ts, user="U0FIN0001", text="Can you check this NDA?")
            item = {"type": "message", "channel": "C0LEGALHP1", "ts": ts}
            body = event_body(reaction(reactor="U0LEG0001", item=item), event_id="EvLegal1")
            headers = slack_headers(body, content_type="application/json")
            async with session.post(f"{second.url}/slack/events", data=body, headers=headers) as r:
                assert r.status == 200
        [poll] = await slack.wait_for(
            "chat.postMessage", where=lambda c: c.params.get("channel") == "U0FIN0001", timeout=30
        )
        assert "How did Legal do?" in json.dumps(poll.params["blocks"])
        assert await first.stop() == 0 and await second.stop() == 0
    finally:
        await asyncio.gather(first.kill(), second.kill())
