"""Worker processes for work that must not run on the event loop, which stop when told.

A `ProcessPoolExecutor` shut down while a worker is busy waits for it: a worker still loading
its models (seconds, on a cold start or a loaded machine) would hold the whole process past
its stop deadline. `WorkerPool.stop()` ends its workers at once instead. What they were doing
is never something a person was told is done: that is committed before it is acknowledged.

Workers are spawned, not forked: forking a process that runs an event loop and database
threads is unsafe.
"""

import asyncio
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.process import BaseProcess
from typing import Any, TypeVar

T = TypeVar("T")

STOP_WAIT = 1.0  # seconds a worker gets to exit on SIGTERM before it is killed


class PoolStopped(RuntimeError):
    """Work submitted to a pool that was stopped (the process is shutting down)."""


class WorkerPool:
    """`workers` spawned processes, each set up once by `setup(*setup_args)`, `nice` steps
    below this process in the CPU's queue: on a busy machine the event loop that acknowledges
    Slack comes first, and what the workers do a moment later."""

    def __init__(
        self,
        workers: int,
        setup: Callable[..., None],
        setup_args: tuple[Any, ...] = (),
        *,
        nice: int = 0,
    ) -> None:
        self._workers = workers
        self._nice = nice
        self._setup = setup
        self._setup_args = setup_args
        self._executor: ProcessPoolExecutor | None = None
        self._children: set[BaseProcess] = set()
        self._stopped = False

    @property
    def executor(self) -> ProcessPoolExecutor:
        if self._stopped:
            raise PoolStopped
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self._workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(os.getpid(), self._nice, self._setup, self._setup_args),
            )
        return self._executor

    def submit(self, fn: Callable[..., T], *args: Any) -> "asyncio.Future[T]":
        """Run `fn(*args)` in a worker. The executor starts a worker, if it needs one, inside
        the submit call: the processes that appear during it are this pool's."""
        executor = self.executor
        before = set(multiprocessing.active_children())
        future = asyncio.get_running_loop().run_in_executor(executor, fn, *args)
        self._children |= set(multiprocessing.active_children()) - before
        return future

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a worker; if the worker died (the OOM killer, a crash in its set-up),
        once more in a new one."""
        executor = self.executor
        try:
            return await self.submit(fn, *args)
        except BrokenProcessPool:
            self.replace(executor)
            return await self.submit(fn, *args)

    def replace(self, broken: ProcessPoolExecutor) -> None:
        """Drop an executor whose worker died (unless a concurrent call already has)."""
        if self._executor is broken:
            broken.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def stop(self) -> None:
        """End every worker now (SIGTERM, a moment to exit, then SIGKILL), for good: what
        was waiting for them fails, and nothing starts another."""
        self._stopped = True
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
        children, self._children = self._children, set()
        for child in children:
            if child.is_alive():
                child.terminate()
        deadline = time.monotonic() + STOP_WAIT
        for child in children:
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                child.kill()
                child.join()


def _start_worker(
    parent: int, nice: int, setup: Callable[..., None], args: tuple[Any, ...]
) -> None:
    """A worker's initializer: exit once the process that spawned it is gone (nothing tells a
    worker its parent was killed -9, and it may hold large models), then `setup`."""
    os.nice(nice)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
    setup(*args)
