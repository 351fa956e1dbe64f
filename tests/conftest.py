"""Fixtures that build the real app against a Slack stand-in and a real SQLite file."""

import json
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.app import create_app
from bot.clock import Clock, utc_now
from bot.config import Kind, Settings, is_slack_id, load_settings
from bot.people.setup import configured_channels
from bot.sentiment import SentimentPool
from bot.services import SERVICES, Services
from bot.slack_standin import SlackStandIn
from handlers.routes import BOLT_APP
from tests.database import database_url, drop_created, on_postgres
from tests.support import (
    BOT_TOKEN,
    SIGNING_SECRET,
    TEST_CHANNELS,
    add_channels,
    command_body,
    event_body,
    slack_headers,
)

QUALITY_YML = """\
timezone: Europe/Berlin
admins: [U0ADMIN01]
digest:
  channel: C0DIGEST01
departments:
  - slug: it
    name: IT
    channels: [C0ITHELP1]
    alert_channel: C0ITTEAM1
    members: [U0IT00001, U0IT00002]
    usergroup: S0IT00001
    managers: [U0IT00001]
    keywords: [laptop, vpn]
  - slug: finance
    name: Finance
    channels: [C0FINANCE]
    members: [U0FIN0001]
    managers: [U0FIN0001]
"""


def make_settings(
    tmp_path: Path, slack: SlackStandIn, *, quality_yml: str = QUALITY_YML, **env: str
) -> Settings:
    """Settings for the app against `slack`, whose workspace gets the channels quality.yml
    names (the bot invited to each) unless the test already added them."""
    (tmp_path / "quality.yml").write_text(quality_yml)
    environ = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": slack.api_url,
        "DATABASE_URL": database_url(tmp_path),
        **env,
    }
    settings = load_settings(environ=environ, cwd=tmp_path, purpose="serve")
    # A channel named by its name (`"#it-help"`) is the test's to add, with its id.
    named = [
        c.channel
        for c in configured_channels(settings.quality_file)
        if is_slack_id(Kind.CHANNEL, c.channel)
    ]
    add_channels(slack, {c: TEST_CHANNELS.get(c, c.lower()) for c in named})
    return settings


@pytest.fixture
async def slack() -> AsyncIterator[SlackStandIn]:
    async with SlackStandIn(token=BOT_TOKEN) as standin:
        add_channels(standin)
        yield standin


@dataclass
class Harness:
    """The running app, and ways to talk to it as Slack would."""

    client: TestClient[web.Request, web.Application]
    slack: SlackStandIn
    app: web.Application

    async def command(self, text: str, *, user_id: str = "U0EMP0001") -> Any:
        """`/quality text` as a person typed it; Slack escapes it (see `command_text`)."""
        body = command_body(text, user_id=user_id, response_url=self.slack.response_url())
        headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
        return await self.client.post("/slack/events", data=body, headers=headers)

    async def event(self, event: dict[str, Any], *, event_id: str, retry_num: int = 0) -> Any:
        body = event_body(event, event_id=event_id)
        headers = slack_headers(body, content_type="application/json")
        if retry_num:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = "http_timeout"
        return await self.client.post("/slack/events", data=body, headers=headers)

    async def interact(self, payload: dict[str, Any]) -> Any:
        """A block action, view submission or shortcut, as Slack posts them."""
        body = urlencode({"payload": json.dumps(payload)})
        headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
        return await self.client.post("/slack/events", data=body, headers=headers)

    @property
    def services(self) -> Services:
        return self.app[SERVICES]

    @property
    def bolt(self) -> Any:
        return self.app[BOLT_APP]


async def start_harness(
    settings: Settings,
    slack: SlackStandIn,
    clock: Clock | None = None,
    *,
    digest_tick: timedelta | None = None,
) -> Harness:
    # Scoring in a thread, digests on the loop: a worker process per test app would load
    # every language model, and open the database again.
    # The digest scheduler runs only where a test asks for it: it would post at start. Answers
    # are released when a test steps the release (`services.release.step()`): on its own the
    # loop would close the weeks a test is still writing.
    app = create_app(
        settings,
        clock=clock or utc_now,
        sentiment=SentimentPool(workers=0),
        reads_in_worker=False,
        digest_tick=digest_tick,
        release_tick=None,
        review_poll_tick=None,
    )
    test_client: TestClient[web.Request, web.Application] = TestClient(TestServer(app))
    await test_client.start_server()
    return Harness(client=test_client, slack=slack, app=app)


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack), slack)
    yield h
    await h.client.close()


@pytest.fixture(autouse=True)
def _one_tests_databases() -> Iterator[None]:
    """On PostgreSQL, each test's databases are dropped when it ends."""
    yield
    if on_postgres():
        drop_created()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """`make test` runs the suite on both databases; what does not depend on the database runs
    in one of the two runs only: the SQLite run, or the PostgreSQL run when its marker says
    `run_on="postgresql"` (some slow ones, so that the two runs take about as long)."""
    here = "postgresql" if on_postgres() else "sqlite"

    def runs_here(item: pytest.Item) -> bool:
        marker = item.get_closest_marker("same_on_either_database")
        return marker is None or marker.kwargs.get("run_on", "sqlite") == here

    kept = [item for item in items if runs_here(item)]
    if len(kept) < len(items):
        config.hook.pytest_deselected(items=[i for i in items if i not in kept])
        items[:] = kept
