"""Work that outlives the request that started it, kept where shutdown can find it.

asyncio holds tasks only weakly, and bolt runs a listener's body in a task of its own after
`ack()`. Everything here holds strong references, so nothing is garbage-collected mid-flight,
and `drain()` lets SIGTERM finish what was acknowledged before the database closes.
"""

import asyncio
import contextlib
import functools
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

log = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")


class BackgroundTasks:
    def __init__(self) -> None:
        self._work: set[asyncio.Task[Any]] = set()
        self._loops: set[asyncio.Task[None]] = set()

    def spawn(self, coro: Coroutine[Any, Any, T], *, name: str) -> asyncio.Task[T]:
        """Run finite work in the background; shutdown waits for it."""
        task = asyncio.create_task(coro, name=name)
        self._hold(self._work, task)
        return task

    def every(
        self,
        seconds: float,
        job: Callable[[], Awaitable[object]],
        *,
        name: str,
        first_after: float = 0.0,
    ) -> asyncio.Task[None]:
        """Run `job` after `first_after` seconds and then every `seconds`, until shutdown
        cancels it. A failing run is logged and the loop goes on."""

        async def loop() -> None:
            await asyncio.sleep(first_after)
            while True:
                try:
                    await job()
                except Exception:
                    log.exception("periodic job %s failed", name)
                await asyncio.sleep(seconds)

        task = asyncio.create_task(loop(), name=name)
        self._hold(self._loops, task)
        return task

    def forever(self, coro: Coroutine[Any, Any, None], *, name: str) -> asyncio.Task[None]:
        """Run a loop of its own (or anything nobody waits for) until shutdown cancels it."""
        task = asyncio.create_task(coro, name=name)
        self._hold(self._loops, task)
        return task

    def tracked(self, func: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[T]]:
        """Wrap a bolt listener so that shutdown waits for it. bolt injects arguments by the
        wrapped function's parameter names (it unwraps), so the signature is kept."""

        @functools.wraps(func)
        async def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            task = asyncio.current_task()
            if task is not None and task not in self._work:
                self._hold(self._work, task)
            return await func(*args, **kwargs)

        return wrapper

    @property
    def pending(self) -> int:
        return sum(1 for t in self._work if t is not asyncio.current_task())

    async def drain(self, grace: float) -> None:
        """Stop the periodic loops, then give in-flight work `grace` seconds to finish."""
        for task in self._loops:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.gather(*self._loops, return_exceptions=True)
        current = asyncio.current_task()
        work = [t for t in self._work if t is not current]
        if not work:
            return
        _, late = await asyncio.wait(work, timeout=grace)
        if late:
            log.warning(
                "shutdown: %d task(s) still running after %.0fs, cancelled", len(late), grace
            )
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)

    @staticmethod
    def _hold(bucket: set[asyncio.Task[Any]], task: asyncio.Task[Any]) -> None:
        bucket.add(task)

        def release(t: asyncio.Task[Any]) -> None:
            bucket.discard(t)
            if not t.cancelled() and (exc := t.exception()) is not None:
                log.error("background task %s failed", t.get_name(), exc_info=exc)

        task.add_done_callback(release)
