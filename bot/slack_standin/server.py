"""The stand-in for slack.com: an aiohttp server on 127.0.0.1 answering Web API calls as Slack does.

Every answer is recorded as a `Call` (failures and 429s too). An API request meets, in order: the
faults a test asked for → unknown method → token check → enforced rate limits → the method itself.
"""

import asyncio
import types
from collections.abc import Mapping, Sequence
from typing import Self

from aiohttp import web

from bot.slack_standin.calls import RESPONSE_URL, Call, CallFilter, CallLog
from bot.slack_standin.errors import SlackError
from bot.slack_standin.faults import Answer, Fault, Faults
from bot.slack_standin.methods import all_methods
from bot.slack_standin.params import read_params
from bot.slack_standin.ratelimits import (
    SLACK_RATE_LIMITS,
    MethodLimits,
    RateLimiter,
    minimum_seconds,
    retry_after_header,
)
from bot.slack_standin.side_doors import RESPONSE_PATH, SideDoors
from bot.slack_standin.socket_mode import SocketModeServer
from bot.slack_standin.workspace import JSON, Workspace
from bot.slack_standin.workspace_access import WorkspaceAccess

MAX_BODY = 64 * 1024 * 1024  # uploads (charts, CSV exports) go well past aiohttp's 1 MiB default
DEFAULT_SCOPES = (
    "chat:write",
    "commands",
    "files:write",
    "im:write",
    "im:history",
    "channels:history",
    "groups:history",
    "reactions:read",
    "users:read",
    "users:read.email",
    "usergroups:read",
    "channels:read",
    "groups:read",
    "channels:join",
)


class SlackStandIn(WorkspaceAccess):
    """Point a client at it: `AsyncWebClient(token=..., base_url=standin.api_url)`.

    `time_scale` speeds up the clock of the enforced rate limits only: with time_scale=10 every
    bucket refills 10 times faster (bursts keep their size) and Retry-After is the wall-clock wait,
    rounded up to whole seconds and at least 1. Trigger expiry, and the Retry-After of faults asked
    for with `rate_limit()`, are not scaled.
    """

    def __init__(
        self,
        *,
        token: str = "xoxb-test-token",  # noqa: S107 - the fake workspace's own token
        app_token: str = "xapp-test-token",  # noqa: S107 - for Socket Mode's connections.open
        team_id: str = "T0TEST",
        bot_user_id: str = "U0BOT",
        bot_id: str = "B0BOT",
        bot_name: str = "quality-bot",
        enforce_rate_limits: bool = False,
        time_scale: float = 1.0,
        rate_limits: Mapping[str, MethodLimits] = SLACK_RATE_LIMITS,
        scopes: Sequence[str] = DEFAULT_SCOPES,
    ) -> None:
        super().__init__(
            Workspace(
                team_id=team_id,
                bot_user_id=bot_user_id,
                bot_id=bot_id,
                bot_name=bot_name,
                scopes=frozenset(scopes),
            )
        )
        self.token = token
        self.app_token = app_token
        self._socket_mode = SocketModeServer()
        self.enforce_rate_limits = enforce_rate_limits
        self.time_scale = time_scale
        self.rate_limits = rate_limits
        self._scopes = ",".join(scopes)
        self._limiter = RateLimiter(rate_limits, time_scale=time_scale)
        self._log = CallLog()
        self._faults = Faults()
        self._methods = all_methods()
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    # lifecycle

    async def start(self) -> None:
        if self._runner is not None:
            raise RuntimeError("the Slack stand-in is already running")
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_route("*", "/api/{method}", self._api)
        SideDoors(self.workspace, self._log, self._faults, self.token).register(app)
        self._socket_mode.register(app)
        # Stopped, it drops what it still holds (a lost request, a late answer) at once, as a
        # Slack that went away would, instead of waiting out each stall.
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self._base_url = self.workspace.base_url = f"http://127.0.0.1:{port}/"

    async def stop(self) -> None:
        await self._socket_mode.close()
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
            raise RuntimeError("start the stand-in first: async with SlackStandIn() as slack")
        return self._base_url

    @property
    def api_url(self) -> str:
        """What AsyncWebClient takes as base_url; ends with "/" because slack-sdk uses urljoin."""
        return self.base_url + "api/"

    def response_url(self, key: str | None = None) -> str:
        """A response_url whose POSTs land in `responses[key]` (a fresh key when none is given)."""
        return f"{self.base_url}{RESPONSE_PATH}{key or self.workspace.new_id('R')}"

    # what was called

    @property
    def calls(self) -> list[Call]:
        """Every request answered, in order, including failures, 429s, uploads and response_urls."""
        return self._log.calls

    @property
    def responses_429(self) -> int:
        return self._log.responses_429

    def calls_to(
        self, method: str, *, include_failed: bool = False, where: CallFilter | None = None
    ) -> list[Call]:
        """Calls of `method` that succeeded (HTTP 200 and ok: true), or all of them; `where`
        narrows them, e.g. `where=lambda c: c.params["channel"] == "C1"`."""
        return self._log.to(method, include_failed=include_failed, where=where)

    async def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a test helper's deadline, like asyncio.wait_for's
        *,
        where: CallFilter | None = None,
    ) -> list[Call]:
        """Wait until `count` calls of `method` (matching `where`) succeeded; return all such
        calls so far. TimeoutError, naming the calls seen, when they don't come in time."""
        return await self._log.wait_for(method, count, timeout, where=where)

    async def wait_for_response(
        self,
        response_url: str | None = None,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a test helper's deadline, like asyncio.wait_for's
    ) -> list[JSON]:
        """Wait until `count` JSON bodies were POSTed to that response_url (its URL or key; any
        response_url when None) and return them all, in order."""
        key = None if response_url is None else response_url.rstrip("/").rsplit("/", 1)[-1]
        calls = await self._log.wait_for(
            RESPONSE_URL, count, timeout, where=lambda c: key is None or c.params["key"] == key
        )
        return [c.params["payload"] for c in calls]

    def minimum_seconds(self, method: str, count: int, *, channels: int = 1) -> float:
        """Wall-clock seconds this stand-in's enforced limits need for `count` calls at once."""
        return minimum_seconds(
            method, count, channels=channels, limits=self.rate_limits, time_scale=self.time_scale
        )

    async def socket_send(
        self,
        envelope_type: str,
        payload: JSON,
        timeout: float = 5.0,  # noqa: ASYNC109 - a test helper's deadline, like asyncio.wait_for's
    ) -> JSON:
        """Deliver a Socket Mode envelope ("slash_commands", "events_api", "interactive") to
        the app connected through apps.connections.open; return the app's acknowledgement."""
        return await self._socket_mode.send(envelope_type, payload, timeout)

    # faults

    def fail(self, method: str, error: str = "internal_error", *, times: int = 1) -> None:
        """The next `times` calls of `method` answer 200 {"ok": false, "error": error}."""
        self._faults.add(method, Fault(status=200, error=error, remaining=times))

    def fail_http(self, method: str, status: int = 503, *, times: int = 1) -> None:
        """The next `times` calls of `method` answer that HTTP status."""
        error = "service_unavailable" if status == 503 else "fatal_error"
        self._faults.add(method, Fault(status=status, error=error, remaining=times))

    def rate_limit(self, method: str, *, retry_after: int = 1, times: int = 1) -> None:
        """The next `times` calls of `method` answer 429, Retry-After: retry_after (not scaled)."""
        fault = Fault(status=429, error="ratelimited", retry_after=retry_after, remaining=times)
        self._faults.add(method, fault)

    def stall(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next `times` calls of `method` are held `seconds` and then carried out as usual:
        a client that gave up waiting does not know that Slack acted."""
        fault = Fault(status=200, error="", remaining=times, stall=seconds, acts=True)
        self._faults.add(method, fault)

    def lose_answer(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next `times` calls of `method` are carried out at once and their answer held
        `seconds`: a client that times out sooner never learns that Slack acted. The call is in
        `calls`, and its effect in the workspace, from the moment it was carried out."""
        fault = Fault(status=200, error="", remaining=times, acts=True, answer_late=seconds)
        self._faults.add(method, fault)

    def lose_request(self, method: str, seconds: float, *, times: int = 1) -> None:
        """The next `times` calls of `method` never reach Slack: held `seconds`, then answered
        504 as a gateway that gave up would, and never carried out. A client that times out
        sooner sees only its timeout."""
        fault = Fault(status=504, error="fatal_error", remaining=times, stall=seconds)
        self._faults.add(method, fault)

    def reset(self) -> None:
        """Forget calls, pending faults and spent rate limits; the workspace's content stays."""
        self._log.clear()
        self._faults.clear()
        self._limiter.reset()

    # HTTP

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        fault: Fault | None = None
        try:
            params, token = await read_params(request)
        except SlackError as error:
            params, token = {}, None
            status, body, headers = 200, error.body(), dict[str, str]()
        else:
            fault = self._faults.take(method)
            if fault is not None and fault.stall:
                await asyncio.sleep(fault.stall)
            refusal = None if fault is None or fault.acts else fault
            status, body, headers = self._answer(method, params, token, refusal)
        self._log.answered(method, params, token, status, body)
        if fault is not None and fault.answer_late:
            await asyncio.sleep(fault.answer_late)  # carried out already; only the answer waits
        headers["X-OAuth-Scopes"] = self._scopes
        return web.json_response(body, status=status, headers=headers)

    def _answer(self, method: str, params: JSON, token: str | None, fault: Fault | None) -> Answer:
        if fault is not None:
            return fault.answer()
        if method == "apps.connections.open":
            return self._open_connection(token)
        handler = self._methods.get(method)
        if handler is None:
            return 200, {"ok": False, "error": "unknown_method"}, {}
        if token is None:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if token != self.token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        if self.enforce_rate_limits:
            channel = params.get("channel")
            key = self.workspace.resolve_channel(channel) if isinstance(channel, str) else None
            wait = self._limiter.acquire(method, key)
            if wait > 0:
                retry_after = str(retry_after_header(wait))
                return 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": retry_after}
        try:
            return 200, handler(self.workspace, params), {}
        except SlackError as error:
            return 200, error.body(), {}

    def _open_connection(self, token: str | None) -> Answer:
        # Only an app-level token may open a socket; a bot token is refused, as Slack does.
        if token is None:
            return 200, {"ok": False, "error": "not_authed"}, {}
        if token != self.app_token:
            return 200, {"ok": False, "error": "invalid_auth"}, {}
        return 200, {"ok": True, "url": self._socket_mode.url(self.base_url)}, {}
