"""PostgreSQL going away, for real: every connection cut and new ones refused. The app answers
webhooks 503 and keeps a rating modal open with an error (never an acknowledgement it cannot
keep) and, once the server takes connections again, recovers on its own: no restart, no
review or answer lost or doubled."""

import asyncio
import os
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest

from bot.slack_standin import SlackStandIn
from tests.conftest import Harness, make_settings, start_harness
from tests.database import SERVER, on_postgres
from tests.handlers.contract import REVIEWS
from tests.handlers.poll_flows import held, sent_poll, submission
from tests.handlers.test_webhook_faults import SECRET, post, reviews, stored_keys
from tests.support import eventually

pytestmark = pytest.mark.skipif(not on_postgres(), reason="needs a PostgreSQL server to stop")

SENDERS, BATCHES, SIZE = 4, 12, 5


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack, REVIEW_WEBHOOK_SECRET=SECRET), slack)
    yield h
    await h.client.close()


class Outage:
    """Cuts the test database off on the shared server, and lets it back."""

    def __init__(self, database_url: str) -> None:
        self.database = database_url.rsplit("/", 1)[1].split("?")[0]

    async def _allow(self, allow: bool) -> asyncpg.Connection:
        conn = await asyncpg.connect(os.environ[SERVER])
        await conn.execute(f'ALTER DATABASE "{self.database}" ALLOW_CONNECTIONS {allow}')
        return conn

    async def begin(self) -> None:
        conn = await self._allow(False)
        try:
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = $1 AND pid <> pg_backend_pid()",
                self.database,
            )
        finally:
            await conn.close()

    async def end(self) -> None:
        await (await self._allow(True)).close()


async def test_webhooks_answer_503_while_postgres_is_gone_and_recover_without_a_restart(
    harness: Harness,
) -> None:
    url = str(harness.client.make_url(REVIEWS))
    outage = Outage(harness.services.settings.database_url)
    acked: list[int] = []  # batch numbers answered 2xx
    statuses: list[int] = []
    some_acked = asyncio.Event()

    async def sender(n: int) -> None:
        """Sends its batches in turn, each until it is acknowledged, as a sender retries."""
        async with aiohttp.ClientSession() as session:
            for b in range(BATCHES):
                number = n * BATCHES + b
                body: dict[str, Any] = reviews(number * SIZE, SIZE)
                while True:
                    status, _ = await post(session, url, body, number)
                    statuses.append(status)
                    if status in (200, 201):
                        acked.append(number)
                        if len(acked) >= SENDERS:
                            some_acked.set()
                        break
                    assert status == 503, status
                    await asyncio.sleep(0.05)

    senders = [asyncio.create_task(sender(n)) for n in range(SENDERS)]
    try:
        await some_acked.wait()
        await outage.begin()
        async with aiohttp.ClientSession() as session:
            health = str(harness.client.make_url("/healthz"))
            async with session.get(health) as resp:
                assert resp.status == 503
            await eventually(lambda: statuses.count(503) >= 2 * SENDERS)  # the senders feel it
            await outage.end()
            await asyncio.wait_for(asyncio.gather(*senders), timeout=60)
            async with session.get(health) as resp:
                assert resp.status == 200
    finally:
        await outage.end()
        for task in senders:
            task.cancel()

    assert sorted(acked) == list(range(SENDERS * BATCHES))
    keys = await stored_keys()
    assert len(keys) == SENDERS * BATCHES * SIZE and set(keys.values()) == {1}


async def test_a_modal_submitted_while_postgres_is_gone_stays_open_and_nothing_is_stored(
    harness: Harness,
) -> None:
    poll, _ = await sent_poll(harness)
    outage = Outage(harness.services.settings.database_url)
    await outage.begin()
    try:
        resp = await harness.interact(submission(user="U0FIN0001", score="2", poll=poll))
        assert (await resp.json())["errors"] == {
            "score": "Couldn't save your answer — please try again."
        }
    finally:
        await outage.end()
    resp = await harness.interact(submission(user="U0FIN0001", score="2", poll=poll))
    assert (resp.status, await resp.text()) == (200, "")  # stored now, and the modal closes
    assert [h.score for h in await held(harness)] == [2]
