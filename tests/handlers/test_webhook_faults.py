"""The reviews webhook under faults a sender's retries make likely: the same batch from several
clients at once, and the database going away before or in the middle of a batch."""

import asyncio
import base64
import json
from collections import Counter
from collections.abc import AsyncIterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import aiohttp
import asyncpg
import pytest
from tortoise import Tortoise

from bot.runtime import db
from bot.slack_standin import SlackStandIn
from models.review import Review
from tests.conftest import Harness, make_settings, start_harness
from tests.database import on_postgres
from tests.handlers.contract import REVIEWS, Contract
from tests.support import webhook_headers

SECRET = "whsec_" + base64.b64encode(b"faults-test-secret").decode()
CONTRACT = Contract()


@pytest.fixture
async def harness(tmp_path: Path, slack: SlackStandIn) -> AsyncIterator[Harness]:
    h = await start_harness(make_settings(tmp_path, slack, REVIEW_WEBHOOK_SECRET=SECRET), slack)
    yield h
    await h.client.close()


def reviews(first: int, count: int) -> dict[str, Any]:
    return {
        "reviews": [
            {"id": f"tp-{i}", "source": "trustpilot", "rating": 1 + i % 5, "text": f"Review {i}"}
            for i in range(first, first + count)
        ]
    }


async def post(
    session: aiohttp.ClientSession, url: str, body: dict[str, Any], n: int
) -> tuple[int, Any]:
    """One sender's delivery, as its own message (its own webhook-id), checked against the
    document whatever it answers."""
    payload = json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json",
        **webhook_headers(payload, secret=SECRET, msg_id=f"m{n}", content_type=None),
    }
    async with session.post(url, data=payload, headers=headers) as response:
        if response.content_type != "application/json":
            return response.status, await response.text()
        answer = await response.json()
        assert not CONTRACT.problems(REVIEWS, response.status, answer), answer
        return response.status, answer


async def from_clients(h: Harness, bodies: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    """Each body from its own client (its own connection), all at once."""
    url = str(h.client.make_url(REVIEWS))
    sessions = [aiohttp.ClientSession() for _ in bodies]
    try:
        return await asyncio.gather(
            *(
                post(s, url, body, n)
                for n, (s, body) in enumerate(zip(sessions, bodies, strict=True))
            )
        )
    finally:
        await asyncio.gather(*(s.close() for s in sessions))


async def stored_keys() -> Counter[tuple[str, str]]:
    rows = await Review.all().values_list("source", "external_id")
    return Counter((str(source), str(external_id)) for source, external_id in rows)


async def test_same_batch_from_five_clients_at_once_is_stored_once(harness: Harness) -> None:
    batch = reviews(0, 50)
    answers = await from_clients(harness, [batch] * 5)

    assert all(status in (200, 201) for status, _ in answers), answers
    assert sum(answer["created"] for _, answer in answers) == 50
    for _, answer in answers:
        assert [r["id"] for r in answer["results"]] == [r["id"] for r in batch["reviews"]]
        assert answer["created"] + answer["duplicate"] == 50, answer  # never "updated"
    created = Counter(
        r["id"] for _, answer in answers for r in answer["results"] if r["status"] == "created"
    )
    assert created == Counter(r["id"] for r in batch["reviews"])  # each by exactly one
    keys = await stored_keys()
    assert len(keys) == 50 and set(keys.values()) == {1}


async def test_overlapping_batches_at_once_store_each_review_once(harness: Harness) -> None:
    # Client i sends reviews 10i .. 10i+49: 90 distinct reviews, most of them sent 5 times.
    answers = await from_clients(harness, [reviews(10 * i, 50) for i in range(5)])

    assert all(status in (200, 201) for status, _ in answers), answers
    assert sum(answer["created"] for _, answer in answers) == 90
    keys = await stored_keys()
    assert len(keys) == 90 and set(keys.values()) == {1}


async def test_database_gone_before_a_batch_is_503_then_the_retry_is_stored_once(
    harness: Harness,
) -> None:
    batch = reviews(0, 50)
    async with aiohttp.ClientSession() as session:
        url = str(harness.client.make_url(REVIEWS))
        await Tortoise.close_connections()
        status, answer = await post(session, url, batch, 1)
        assert (status, answer) == (503, {"error": "database unavailable"})

        await db.open_database(harness.services.settings.database_url)
        assert await Review.all().count() == 0
        status, answer = await post(session, url, batch, 2)  # the sender's retry
        assert (status, answer["created"]) == (201, 50)
        status, answer = await post(session, url, batch, 3)  # and one more, to be sure
        assert (status, answer["duplicate"]) == (200, 50)
    keys = await stored_keys()
    assert len(keys) == 50 and set(keys.values()) == {1}


async def lose_the_database_halfway(
    h: Harness, batch: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> tuple[int, Any]:
    """Send `batch`, and close the database from elsewhere (as an outage or a shutdown would)
    once half of it is written inside its transaction; the answer, then the database back."""
    bulk_create = Review.bulk_create
    halfway, resume = asyncio.Event(), asyncio.Event()

    async def insert_pausing_halfway(reviews: list[Review], *args: Any, **kwargs: Any) -> None:
        # New reviews are inserted together: write the first half, then wait.
        half = len(reviews) // 2
        await bulk_create(reviews[:half], *args, **kwargs)
        halfway.set()
        await resume.wait()
        await bulk_create(reviews[half:], *args, **kwargs)

    monkeypatch.setattr(Review, "bulk_create", insert_pausing_halfway)
    url = h.services.settings.database_url
    try:
        async with aiohttp.ClientSession() as session:
            in_flight = asyncio.create_task(
                post(session, str(h.client.make_url(REVIEWS)), batch, 1)
            )
            await halfway.wait()
            await _lose(url)
            resume.set()
            return await in_flight
    finally:
        monkeypatch.undo()
        await db.close_database()
        await db.open_database(url)


async def _lose(url: str) -> None:
    """The database goes away under the app: on PostgreSQL its sessions are ended by the
    server (closing the pool from here would wait for the busy connection first); a SQLite
    file's one connection is closed."""
    if not on_postgres():
        await Tortoise.close_connections()
        return
    admin = await asyncpg.connect(url)
    try:
        await admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    finally:
        await admin.close()


async def test_database_gone_in_the_middle_of_a_batch_stores_none_of_it(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Half the batch is written in its transaction when the database goes: not one of those
    reviews survives to be acknowledged later, and the retry stores the whole batch once."""
    batch = reviews(0, 50)
    status, _ = await lose_the_database_halfway(harness, batch, monkeypatch)
    assert status >= 500  # never acknowledged
    assert await Review.all().count() == 0

    async with aiohttp.ClientSession() as session:
        status, answer = await post(session, str(harness.client.make_url(REVIEWS)), batch, 2)
    assert (status, answer["created"]) == (201, 50)
    keys = await stored_keys()
    assert len(keys) == 50 and set(keys.values()) == {1}


async def test_database_gone_in_the_middle_of_a_batch_is_a_503(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    status, answer = await lose_the_database_halfway(harness, reviews(0, 50), monkeypatch)
    assert (status, answer) == (503, {"error": "database unavailable"})


@pytest.mark.parametrize(
    ("failure", "status", "error"),
    [
        (BrokenProcessPool(), 503, "sentiment scoring unavailable"),  # a retry can cure it
        (RuntimeError("a bug of ours"), 500, "internal error"),
    ],
)
async def test_a_failure_that_is_not_the_databases_is_still_answered_in_json(
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    failure: Exception,
    status: int,
    error: str,
) -> None:
    async def broken(texts: Any) -> Any:
        raise failure

    monkeypatch.setattr(harness.services.sentiment, "analyze_many", broken)
    async with aiohttp.ClientSession() as session:
        url = str(harness.client.make_url(REVIEWS))
        assert await post(session, url, reviews(0, 3), 1) == (status, {"error": error})
    assert await Review.all().count() == 0
