"""Property-based fuzzing of both webhooks through the real app, against their OpenAPI document.

For any body (valid by the document, valid with one field broken, random JSON, random bytes,
huge, deeply nested), any Content-Type and Content-Encoding, any headers, signed or not:
- never a 5xx (but 503 with the database deliberately down);
- always a documented status, with a JSON answer that matches the document's schema for it;
- the checks run in the documented order, so the status is the one that order predicts;
- a body the document accepts is accepted, and sent again is a duplicate;
- nothing is stored unless the answer is a 2xx, and a 2xx stores exactly what it says.

Each test starts one app (SQLite file, Slack stand-in) and Hypothesis runs every example
against it: the test is synchronous and owns an event loop, and each example is one
`runner.run(...)` on it (function-scoped async fixtures cannot be shared across examples).
Requests are drawn in `fuzz_requests`, judged in `fuzz_oracle`.
"""

import asyncio
import json
import os
from collections import Counter
from collections.abc import Callable
from contextlib import AsyncExitStack
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.reviews.payload import MAX_BATCH
from bot.runtime import db
from bot.slack_standin import SlackStandIn
from models.review import Review
from models.survey import Poll
from tests.conftest import QUALITY_YML, Harness, make_settings, start_harness
from tests.handlers.contract import INTERACTIONS, REVIEWS
from tests.handlers.fuzz_oracle import (
    KNOWN_BUGS,
    answer_of,
    check_answer,
    expected,
    known_bug,
    unless_known_bug,
)
from tests.handlers.fuzz_requests import (
    CONTRACT,
    LIMIT,
    SECRET,
    Attempt,
    at_size,
    attempts,
    batch,
    dump,
    valid_bodies,
)
from tests.support import BOT_TOKEN


def fuzz(max_examples: int = 150) -> settings:
    """Bounded and the same on every run, for CI. For a deeper hunt, on a new seed each time:
    `WEBHOOK_FUZZ_EXAMPLES=5000 pytest tests/handlers/test_webhook_fuzz.py`."""
    deeper = int(os.environ.get("WEBHOOK_FUZZ_EXAMPLES", "0"))
    return settings(
        max_examples=deeper or max_examples,
        deadline=None,
        derandomize=not deeper,
        database=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.large_base_example,
        ],
    )


class LiveApp:
    """The real app on its own event loop, for a synchronous Hypothesis test to drive."""

    def __init__(self, tmp_path: Path, *, quality_yml: str = QUALITY_YML, **env: str) -> None:
        self.tmp_path = tmp_path
        self.quality_yml = quality_yml
        self.env = env
        self.runner = asyncio.Runner()
        self.stack = AsyncExitStack()
        self.answered: Counter[int] = Counter()  # status -> how many examples got it

    def __enter__(self) -> "LiveApp":
        self.harness = self.runner.run(self._start())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.runner.run(self.stack.aclose())
        finally:
            self.runner.close()

    async def _start(self) -> Harness:
        slack = await self.stack.enter_async_context(SlackStandIn(token=BOT_TOKEN))
        settings = make_settings(
            self.tmp_path,
            slack,
            quality_yml=self.quality_yml,
            **{"REVIEW_WEBHOOK_SECRET": SECRET, **self.env},
        )
        harness = await start_harness(settings, slack)
        self.stack.push_async_callback(harness.client.close)
        # A new connection for each request, as webhook senders mostly do: a request that
        # leaves its connection unusable must not fail the next example instead.
        connector = aiohttp.TCPConnector(force_close=True)
        self.session = await self.stack.enter_async_context(
            aiohttp.ClientSession(connector=connector)
        )
        return harness

    def run(self, attempt: Attempt) -> None:
        self.runner.run(self.check(attempt))

    async def send(self, attempt: Attempt) -> tuple[int, str, bytes]:
        async with self.session.post(
            self.harness.client.make_url(attempt.path),
            data=attempt.wire_body(),
            headers=attempt.headers(),
            skip_auto_headers=["Content-Type"] if attempt.content_type is None else [],
        ) as response:
            return response.status, response.content_type, await response.read()

    async def check(self, attempt: Attempt) -> None:
        before = await stored()
        status, content_type, raw = await self.send(attempt)
        after = await stored()
        self.answered[status] += 1
        # Never tolerated, not even for a known bug: a failure stores nothing at all.
        if not 200 <= status < 300:
            assert after == before, f"{status} {raw[:300]!r}, yet rows went {before} -> {after}"
        with unless_known_bug(attempt):
            answer = answer_of(content_type, raw)
            check_answer(attempt, status, answer)
        if 200 <= status < 300 and known_bug(attempt) is None:
            assert after == rows_after(before, attempt.path, answer)
            await self.check_retry(attempt)

    async def check_retry(self, attempt: Attempt) -> None:
        """A sender's retry of an accepted body (new message id, new signature) stores
        nothing new and says so."""
        before = await stored()
        status, content_type, raw = await self.send(replace(attempt, signing="valid"))
        answer = answer_of(content_type, raw)
        assert status == 200, (status, answer)
        assert not CONTRACT.problems(attempt.path, status, answer)
        if "results" in answer:
            assert answer["created"] == 0  # a batch may hold two versions of one review
        else:
            assert answer["status"] == "duplicate", answer
        assert await stored() == before


async def stored() -> tuple[int, int]:
    return await Review.all().count(), await Poll.all().count()


def rows_after(before: tuple[int, int], path: str, answer: dict[str, Any]) -> tuple[int, int]:
    """The (reviews, polls) counts once what `answer` says was created is stored."""
    reviews, polls = before
    if path == INTERACTIONS:
        return reviews, polls + (answer["status"] == "created")
    created = answer["created"] if "results" in answer else answer["status"] == "created"
    return reviews + created, polls


# --- the properties ---------------------------------------------------------------------------


def every_status(path: str) -> list[Attempt]:
    """One request for each answer the document gives but 503 (and 200, which is a retry
    of the 201 one): the drawn examples vary with the code around them, these do not."""
    created = at_size(path, LIMIT)  # exactly the limit: taken
    attempts = [
        created,
        replace(created, body=created.body + b" "),  # one byte over: 413
        replace(created, body=created.body[:-1]),  # malformed: 400
        replace(created, signing="unsigned"),
        replace(created, content_type="text/plain"),
        replace(created, encoding="gzip", compressed=True),  # 415: compressed
    ]
    if path == INTERACTIONS:
        body = json.loads(created.body)
        attempts.append(Attempt(path, dump({**body, "id": "x-1", "department": "nope"})))
        attempts.append(
            Attempt(path, dump({**body, "id": "x-2", "requester": {"email": "no@one.test"}}))
        )
    else:
        attempts += [batch(MAX_BATCH), batch(MAX_BATCH + 1)]
    return attempts


def with_examples(attempts: list[Attempt]) -> Callable[[Callable[..., None]], Callable[..., None]]:
    def decorate(test: Callable[..., None]) -> Callable[..., None]:
        for attempt in attempts:
            test = example(attempt=attempt)(test)
        return test

    return decorate


# The document's promises are the handlers', the same on either database: each of these two
# runs once (the database's own part, an outage, is tested on both below).
@pytest.mark.same_on_either_database
@pytest.mark.parametrize("path", [REVIEWS, INTERACTIONS])
def test_webhook_holds_to_its_document_for_any_request(tmp_path: Path, path: str) -> None:
    with LiveApp(tmp_path) as app:

        @fuzz()
        @given(attempt=attempts(path))
        @with_examples(every_status(path))
        def check(attempt: Attempt) -> None:
            app.run(attempt)

        check()
        assert CONTRACT.statuses(path) - {500, 503} <= set(app.answered), (
            app.answered
        )  # never by design
        # The drawn requests, not just the examples, got through to the database.
        assert app.answered[200] + app.answered[201] >= 10, app.answered


@pytest.mark.same_on_either_database(run_on="postgresql")
def test_every_body_the_document_accepts_is_stored_once(tmp_path: Path) -> None:
    """Signed and well formed, so only the body is on trial: the document's promise."""
    with LiveApp(tmp_path) as app:

        @fuzz()
        @given(path=st.sampled_from([REVIEWS, INTERACTIONS]), data=st.data())
        def check(path: str, data: st.DataObject) -> None:
            body = data.draw(valid_bodies(path), label="body")
            app.run(Attempt(path, dump(body)))

        check()
        assert app.answered[201] >= 30, app.answered  # not all of them duplicates of one


def test_database_down_is_503_for_what_would_be_stored(tmp_path: Path) -> None:
    with LiveApp(tmp_path) as app:
        app.runner.run(db.close_database())

        @fuzz(max_examples=60)
        @given(attempt=attempts(REVIEWS) | attempts(INTERACTIONS))
        @with_examples([at_size(REVIEWS, 1000), at_size(INTERACTIONS, 1000)])
        def check(attempt: Attempt) -> None:
            status, content_type, raw = app.runner.run(app.send(attempt))
            app.answered[status] += 1
            assert not 200 <= status < 300, (status, raw)
            with unless_known_bug(attempt):
                answer = answer_of(content_type, raw)
                assert not CONTRACT.problems(attempt.path, status, answer), (status, answer)
                assert status < 500 or status == 503, (status, answer)
                if expected(attempt) <= {200, 201, 422}:
                    # Past every check but the database: the sender is told to retry.
                    assert status in (503, 422), (status, answer)

        try:
            check()
        finally:
            app.runner.run(db.open_database(app.harness.services.settings.database_url))
        assert app.answered[503] >= 2, app.answered
        assert app.runner.run(stored()) == (0, 0)


def test_every_known_bug_is_still_there(tmp_path: Path) -> None:
    """Each entry of KNOWN_BUGS is tolerated by the properties above, so it must still fail
    its own check: once it is fixed, this fails until the entry goes."""
    if not KNOWN_BUGS:
        return
    with LiveApp(tmp_path) as app:
        for bug in KNOWN_BUGS:
            assert known_bug(bug.example) is bug, f"{bug.name}: its example does not apply"
            status, content_type, raw = app.runner.run(app.send(bug.example))
            try:
                check_answer(bug.example, status, answer_of(content_type, raw))
            except AssertionError:
                continue
            pytest.fail(f"{bug.name} is fixed: take it out of KNOWN_BUGS")
