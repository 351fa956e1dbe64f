"""SIGTERM, as `docker stop`, a rolling deploy or Kubernetes send it: `serve` exits within 8 s
however busy it is — here with its sentiment worker still loading its models, as on a cold
start on a loaded machine — and every answer it acknowledged is stored."""

import asyncio
import json
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import pytest

from bot.slack_standin import SlackStandIn
from models.survey import AnswerMark, HeldAnswer, Rating
from tests.database import database_url
from tests.handlers.poll_flows import submission
from tests.processes import ServeProcess, alive, crash, opened, serve_env, tree, workers
from tests.support import BOT_TOKEN, eventually, slack_headers

# Processes of the app, started and killed: slow, and still run by `make test`.
pytestmark = pytest.mark.system

DEADLINE = 8.0  # seconds from SIGTERM to exit
RATERS = tuple(f"U0EMP{n:04d}" for n in range(1, 13))

# Every Python process of the server imports this first (PYTHONPATH): the worker's models
# take a minute to load, so the worker is cold for the whole test.
COLD_WORKER = """
import time

import bot.sentiment.pool as pool

_load = pool.preload


def slow_preload():
    time.sleep(60)
    _load()


pool.preload = slow_preload  # what the pool gives its workers to load
"""


async def _answer(session: aiohttp.ClientSession, serve: ServeProcess, user: str) -> bool:
    """A rating by hand with a comment; True when the app acknowledged it (Slack closed the
    modal), False when the server went away first."""
    modal = submission(user=user, score="4", comment=f"comment of {user}", department="finance")
    body = urlencode({"payload": json.dumps(modal)})
    headers = slack_headers(body, content_type="application/x-www-form-urlencoded")
    try:
        async with session.post(f"{serve.url}/slack/events", data=body, headers=headers) as resp:
            return resp.status == 200 and await resp.text() == ""
    except aiohttp.ClientError:
        return False


async def test_sigterm_with_a_cold_worker_and_answers_in_flight_exits_in_time_losing_nothing(
    tmp_path: Path, slack: SlackStandIn
) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(COLD_WORKER)
    env = serve_env(tmp_path, slack)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site), env.get("PYTHONPATH")]))
    serve = ServeProcess(tmp_path, env)
    try:
        await serve.start()
        await serve.healthy()
        await eventually(lambda: bool(workers(serve.pid)), within=30)  # loading, for a minute
        spawned = workers(serve.pid)
        below = tree(serve.pid)  # the worker, multiprocessing's resource tracker
        loop = asyncio.get_running_loop()
        async with aiohttp.ClientSession() as session:
            answers = [asyncio.create_task(_answer(session, serve, u)) for u in RATERS]
            done, _ = await asyncio.wait(answers, return_when=asyncio.FIRST_COMPLETED)
            assert any(t.result() for t in done), serve.log
            stopping = loop.time()
            code = await serve.stop(grace=30)
            took = loop.time() - stopping
            acked = [u for u, t in zip(RATERS, await asyncio.gather(*answers), strict=True) if t]
    finally:
        await crash(serve)
    assert code == 0, serve.log
    assert took < DEADLINE, f"{took:.1f} s to exit\n{serve.log}"
    assert alive(spawned) == []  # the worker went too
    # and the rest of what it started: the resource tracker leaves a moment after.
    await eventually(lambda: alive(below) == [], within=10)
    assert "Traceback" not in serve.log, serve.log
    assert BOT_TOKEN not in serve.log
    async with opened(database_url(tmp_path, "q")):
        stored: list[Any] = await HeldAnswer.all().values_list("comment", flat=True)
        stored += await Rating.all().values_list("comment", flat=True)
        marks = await AnswerMark.all().values_list("user_id", flat=True)
    assert acked and set(acked) <= {str(m) for m in marks}
    assert {f"comment of {u}" for u in acked} <= set(stored)
    assert len(stored) == len(marks) == len(set(stored))  # nothing stored half, nothing twice
