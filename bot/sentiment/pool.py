"""Scoring many texts without holding up the event loop.

Scoring is pure CPU (about ten thousand short texts a second), so a batch runs in worker
processes: a thread would still share the GIL with the loop that has to ack Slack within
three seconds. Workers are spawned, not forked (forking a process that runs an event loop and
database threads is unsafe), and each loads the analyzer once.
"""

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from bot.sentiment.analyzer import analyze_all, preload
from bot.sentiment.model import Sentiment

CHUNK = 250  # texts per task: large enough to amortise pickling, small enough to spread


class SentimentPool:
    """`workers=0` scores in a thread of this process instead: for short-lived commands and
    tests, where spawning a worker and loading every model would cost more than it saves."""

    def __init__(self, *, workers: int | None = None) -> None:
        # One worker by default: each holds every language model (about 0.6 GiB).
        self._workers = 1 if workers is None else workers
        self._executor: Executor | None = None

    def _pool(self) -> Executor:
        if self._executor is None and self._workers == 0:
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sentiment")
        if self._executor is None:
            context = multiprocessing.get_context("spawn")
            self._executor = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(),),
            )
        return self._executor

    async def analyze(self, text: str) -> Sentiment:
        [result] = await self.analyze_many([text])
        return result

    async def analyze_many(self, texts: Sequence[str]) -> list[Sentiment]:
        if not texts:
            return []
        chunks = [list(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
        pool = self._pool()
        try:
            results = await self._gather(pool, chunks)
        except BrokenProcessPool:
            # A worker was killed (the OOM killer's first pick: it holds every model). A broken
            # pool stays broken: replace it (unless a concurrent call already has) and retry.
            if self._executor is pool:
                pool.shutdown(wait=False, cancel_futures=True)
                self._executor = None
            results = await self._gather(self._pool(), chunks)
        return [s for chunk in results for s in chunk]

    @staticmethod
    async def _gather(pool: Executor, chunks: list[list[str]]) -> list[list[Sentiment]]:
        loop = asyncio.get_running_loop()
        return await asyncio.gather(*(loop.run_in_executor(pool, analyze_all, c) for c in chunks))

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


def _start_worker(parent: int) -> None:
    """A worker's initializer: exit once the process that spawned it is gone. Nothing tells a
    worker its parent was killed -9, and it would hold its models (0.6 GiB) forever."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    preload()
