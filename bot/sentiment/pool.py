"""Scoring many texts without holding up the event loop.

Scoring is pure CPU (about ten thousand short texts a second), so a batch runs in worker
processes (bot/runtime/processes.py): a thread would still share the GIL with the loop that has to
ack Slack within three seconds. Each worker loads the analyzer once.

Small calls (a webhook's one review) are sent together: while the workers are busy, the texts
of every call that arrives wait and then go as one task. A task per text would cost a pickle,
a pipe round trip and a hand-over between this process's threads each, which under a storm
of deliveries costs more than the scoring itself; one task per batch costs them once.
"""

import asyncio
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bot.runtime.processes import WorkerPool
from bot.sentiment.analyzer import analyze_all, preload
from bot.sentiment.learning import Learned, learn
from bot.sentiment.model import Sentiment

NICE = 5  # below the loop that acknowledges Slack (bot/runtime/processes.py)
CHUNK = 250  # texts per task: large enough to amortise pickling, small enough to spread


@dataclass(frozen=True)
class _Call:
    texts: list[str]
    scored: "asyncio.Future[list[Sentiment]]"


class SentimentPool:
    """`workers=0` scores in a thread of this process instead: for short-lived commands and
    tests, where spawning a worker and loading every model would cost more than it saves."""

    def __init__(self, *, workers: int | None = None) -> None:
        # One worker by default: each holds every language model (about 0.6 GiB).
        workers = 1 if workers is None else workers
        self._processes = WorkerPool(workers, preload, nice=NICE) if workers else None
        self._thread: ThreadPoolExecutor | None = None
        self._parallel = max(1, workers)
        self._waiting: deque[_Call] = deque()  # small calls to send together
        self._in_flight = 0  # their tasks sent and not answered yet
        self._batches: set[asyncio.Task[None]] = set()
        # The models learned from the company's texts, serialised: sent with every batch, so
        # that any worker, a replaced one included, scores with the ones in use.
        self._learned: tuple[bytes, ...] = ()
        self._trainer: WorkerPool | None = None

    def use_learned(self, models: Sequence[bytes]) -> None:
        self._learned = tuple(models)

    async def learn(self, language: str, texts: Sequence[str], positive: Sequence[bool]) -> Learned:
        """Train a language's model in a process of its own, which ends with it: training takes
        seconds, and the scoring worker must stay free for the texts people wait on."""
        if self._processes is None:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(None, learn, language, list(texts), list(positive))
        trainer = self._trainer = WorkerPool(1, _nothing, nice=NICE)
        try:
            return await trainer.run(learn, language, list(texts), list(positive))
        finally:
            self._trainer = None
            # Off the loop: stopping waits for the process to exit.
            await asyncio.to_thread(trainer.stop)

    async def analyze(self, text: str) -> Sentiment:
        [result] = await self.analyze_many([text])
        return result

    async def analyze_many(self, texts: Sequence[str]) -> list[Sentiment]:
        if not texts:
            return []
        if len(texts) >= CHUNK:
            return await self._scored(texts)
        call = _Call(list(texts), asyncio.get_running_loop().create_future())
        self._waiting.append(call)
        self._send_waiting()
        return await call.scored

    def _send_waiting(self) -> None:
        # Each worker has one task running and one queued behind it: the next is sent when
        # one comes back, with every text that arrived in the meantime.
        while self._waiting and self._in_flight < 2 * self._parallel:
            batch = [self._waiting.popleft()]
            size = len(batch[0].texts)
            while self._waiting and size + len(self._waiting[0].texts) <= CHUNK:
                size += len(self._waiting[0].texts)
                batch.append(self._waiting.popleft())
            self._in_flight += 1
            task = asyncio.get_running_loop().create_task(self._score_batch(batch))
            self._batches.add(task)
            task.add_done_callback(self._batches.discard)

    async def _score_batch(self, batch: list[_Call]) -> None:
        try:
            if len(batch) == 1:
                await self._answer(batch[0])
                return
            try:
                results = await self._scored([t for call in batch for t in call.texts])
            except Exception:
                # Whatever failed, each call learns it from its own texts alone, so that one
                # caller's text never fails another's.
                for call in batch:
                    await self._answer(call)
                return
            for call in batch:
                mine, results = results[: len(call.texts)], results[len(call.texts) :]
                if not call.scored.done():  # its caller may have given up
                    call.scored.set_result(mine)
        except BaseException:  # cancelled at shutdown: nobody waits in vain
            for call in batch:
                call.scored.cancel()
            raise
        finally:
            self._in_flight -= 1
            if self._waiting:
                self._send_waiting()

    async def _answer(self, call: _Call) -> None:
        try:
            results = await self._scored(call.texts)
        except Exception as exc:
            if not call.scored.done():
                call.scored.set_exception(exc)
        else:
            if not call.scored.done():
                call.scored.set_result(results)

    async def _scored(self, texts: Sequence[str]) -> list[Sentiment]:
        chunks = [list(texts[i : i + CHUNK]) for i in range(0, len(texts), CHUNK)]
        if self._processes is None:
            if self._thread is None:
                self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sentiment")
            loop = asyncio.get_running_loop()
            results = await asyncio.gather(
                *(loop.run_in_executor(self._thread, analyze_all, c, self._learned) for c in chunks)
            )
            return [s for chunk in results for s in chunk]
        # A worker killed meanwhile (the OOM killer's first pick: it holds every model) is
        # replaced, and its chunks scored again.
        pool = self._processes
        learned = self._learned
        results = await asyncio.gather(*(pool.run(analyze_all, c, learned) for c in chunks))
        return [s for chunk in results for s in chunk]

    def close(self) -> None:
        """Stop scoring now: a worker is ended even while it loads its models."""
        for pool in (self._processes, self._trainer):
            if pool is not None:
                pool.stop()
        if self._thread is not None:
            self._thread.shutdown(wait=True, cancel_futures=True)
            self._thread = None


def _nothing() -> None:
    """The trainer's set-up: it loads what it needs as it goes."""
