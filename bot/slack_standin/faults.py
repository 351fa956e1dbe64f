"""Failures a test asks for, served to the next calls of a method in the order they were asked."""

from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Any

# HTTP status, JSON body, extra headers.
Answer = tuple[int, dict[str, Any], dict[str, str]]


@dataclass
class Fault:
    """A call answered with `status` and `error`, or, with `acts`, carried out as usual. A slow
    Slack holds the request `stall` seconds before doing either, or holds the answer
    `answer_late` seconds after: a client that gives up waiting never learns what Slack did."""

    status: int  # 200 for an {"ok": false} answer
    error: str
    retry_after: int | None = None  # seconds, sent as Retry-After with a 429
    remaining: int = 1
    stall: float = 0.0
    acts: bool = False
    answer_late: float = 0.0

    def answer(self) -> Answer:
        headers = {} if self.retry_after is None else {"Retry-After": str(self.retry_after)}
        return self.status, {"ok": False, "error": self.error}, headers


class Faults:
    def __init__(self) -> None:
        self._pending: defaultdict[str, deque[Fault]] = defaultdict(deque)

    def add(self, method: str, fault: Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("times must be at least 1")
        self._pending[method].append(fault)

    def take(self, method: str) -> Fault | None:
        queue = self._pending.get(method)
        if not queue:
            return None
        fault = queue[0]
        fault.remaining -= 1
        if fault.remaining == 0:
            queue.popleft()
        return fault

    def clear(self) -> None:
        self._pending.clear()
