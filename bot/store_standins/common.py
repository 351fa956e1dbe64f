"""What the two store stand-ins share: the server's life, the log of calls, faults on demand,
a rolling hour of quota and opaque page tokens.

Two clocks: `clock` (an aware UTC datetime, movable by tests) is the store's idea of "now" for
its data and its quotas; signatures and token lifetimes are checked against the wall clock,
since the client libraries sign with the wall clock.
"""

import base64
import types
from abc import ABC, abstractmethod
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Self

from aiohttp import web

JSON = dict[str, Any]
Clock = Callable[[], datetime]
Handler = Callable[[web.Request], Any]


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Call:
    """One request answered: `query` holds the last value of each parameter."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    at: datetime  # the stand-in's clock when answered


class Faults:
    """HTTP statuses to answer the next requests with, in the order they were asked for."""

    def __init__(self) -> None:
        self._pending: deque[list[int]] = deque()  # [status, times left]

    def add(self, status: int, times: int) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        self._pending.append([status, times])

    def take(self) -> int | None:
        if not self._pending:
            return None
        fault = self._pending[0]
        fault[1] -= 1
        if fault[1] == 0:
            self._pending.popleft()
        return fault[0]

    def clear(self) -> None:
        self._pending.clear()


class RollingHour:
    """A budget of `limit` requests in any 60 minutes of `clock`."""

    def __init__(self, limit: int, clock: Clock) -> None:
        self.limit = limit
        self._clock = clock
        self._spent: deque[datetime] = deque()

    def remaining(self) -> int:
        hour_ago = self._clock() - timedelta(hours=1)
        while self._spent and self._spent[0] <= hour_ago:
            self._spent.popleft()
        return max(0, self.limit - len(self._spent))

    def spend(self) -> bool:
        """Spend one request; False, spending nothing, when the hour's budget is used up."""
        if self.remaining() == 0:
            return False
        self._spent.append(self._clock())
        return True


def page_token(prefix: str, offset: int) -> str:
    """An opaque token for the page starting at `offset`."""
    return prefix + base64.urlsafe_b64encode(f"o{offset}".encode()).decode().rstrip("=")


def read_page_token(prefix: str, token: str) -> int | None:
    """The offset in a token from `page_token`, None for anything else."""
    if not token.startswith(prefix):
        return None
    body = token[len(prefix) :]
    try:
        text = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    return int(text[1:]) if text[:1] == "o" and text[1:].isdigit() else None


class StandInServer(ABC):
    """An aiohttp server on 127.0.0.1 at a free port, started by `async with`; every answer,
    refusals included, lands in `calls`."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.calls: list[Call] = []
        self._faults = Faults()  # the API's own requests (a token endpoint may have others)
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    def rate_limit(self, times: int = 1) -> None:
        """The next `times` API requests answer 429, as the API words it, whatever its budget."""
        self._faults.add(429, times)

    def fail(self, times: int = 1, *, status: int = 503) -> None:
        """The next `times` API requests answer `status`, as the API's servers would."""
        self._faults.add(status, times)

    @abstractmethod
    def _routes(self, app: web.Application) -> None:
        """Add the API's routes to `app`."""

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError(f"{type(self).__name__} is already running")
        app = web.Application(middlewares=[self._record])
        self._routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._base_url = f"http://127.0.0.1:{self._runner.addresses[0][1]}/"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: types.TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """The server's root, http://127.0.0.1:PORT/, known once started."""
        if self._base_url is None:
            raise RuntimeError(f"start the stand-in first: async with {type(self).__name__}(…)")
        return self._base_url

    @web.middleware
    async def _record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPException as refusal:  # aiohttp's own 404/405 for unknown paths
            self._log(request, refusal.status)
            raise
        self._log(request, response.status)
        return response

    def _log(self, request: web.Request, status: int) -> None:
        call = Call(request.method, request.path, dict(request.query), status, self.clock())
        self.calls.append(call)
