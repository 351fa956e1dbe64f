"""What the stand-in was asked, in order, and a way to wait for it."""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]
CallFilter = Callable[["Call"], bool]
UPLOAD = "file_upload"  # the POST of a file's bytes to its upload_url
RESPONSE_URL = "response_url"  # a POST to a response_url


@dataclass(frozen=True)
class Call:
    """One request answered. `method` is the Web API method, or UPLOAD / RESPONSE_URL."""

    method: str
    params: dict[str, Any]
    token: str | None
    status: int
    at: float  # time.monotonic() when answered
    response: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.response.get("ok") is True

    @property
    def error(self) -> str | None:
        error = self.response.get("error")
        return error if isinstance(error, str) else None

    def describe(self) -> str:
        outcome = "ok" if self.ok else (self.error or "failed")
        return f"{self.method} → {self.status} {outcome}"


class CallLog:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.responses_429 = 0
        self._changed = asyncio.Event()

    def answered(
        self, method: str, params: dict[str, Any], token: str | None, status: int, body: JSON
    ) -> None:
        self.record(Call(method, params, token, status, time.monotonic(), body))

    def record(self, call: Call) -> None:
        self.calls.append(call)
        if call.status == 429:
            self.responses_429 += 1
        self._changed.set()

    def to(
        self, method: str, *, include_failed: bool = False, where: CallFilter | None = None
    ) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.method == method and (include_failed or c.ok) and (where is None or where(c))
        ]

    async def wait_for(
        self,
        method: str,
        count: int,
        timeout: float,  # noqa: ASYNC109 - a test helper's deadline, like asyncio.wait_for's
        where: CallFilter | None = None,
    ) -> list[Call]:
        try:
            async with asyncio.timeout(timeout):
                while len(found := self.to(method, where=where)) < count:
                    # Single-threaded: no call can be recorded between this clear and the wait.
                    self._changed.clear()
                    await self._changed.wait()
        except TimeoutError:
            seen = "; ".join(c.describe() for c in self.calls[-20:]) or "none"
            raise TimeoutError(
                f"waited {timeout} s for {count} successful {method} call(s), "
                f"got {len(self.to(method, where=where))}; last calls: {seen}"
            ) from None
        return found

    def clear(self) -> None:
        self.calls.clear()
        self.responses_429 = 0
