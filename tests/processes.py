"""`quality-bot serve` as real processes: started, waited for, stopped gently or killed -9."""

import asyncio
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

import aiohttp

from bot.runtime import db
from bot.slack_standin import SlackStandIn
from tests.cli import cli_env
from tests.conftest import QUALITY_YML
from tests.support import BOT_TOKEN, SIGNING_SECRET, WEBHOOK_SECRET


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class ServeProcess:
    """One `quality-bot serve` on its own port, run in `cwd` (where its quality.yml is).
    Its log goes to a file, so that a chatty process never blocks on a full pipe."""

    def __init__(self, cwd: Path, env: dict[str, str], *, name: str = "serve") -> None:
        self.cwd = cwd
        self.port = free_port()
        self.env = {**env, "HOST": "127.0.0.1", "PORT": str(self.port)}
        self.log_path = cwd / f"{name}.log"
        self._proc: asyncio.subprocess.Process | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    @property
    def pid(self) -> int:
        assert self._proc is not None, "not started"
        return self._proc.pid

    @property
    def running(self) -> bool:
        return self._proc is not None and self._proc.returncode is None

    async def start(self) -> None:
        with self.log_path.open("ab") as log:
            self._proc = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", "serve",
                cwd=self.cwd, env=self.env, stdout=log, stderr=log,
            )  # fmt: skip

    async def healthy(self, within: float = 60.0) -> None:
        """Wait until /healthz answers 200; fail with the process's log if it never does."""
        deadline = asyncio.get_running_loop().time() + within
        async with aiohttp.ClientSession() as session:
            while asyncio.get_running_loop().time() < deadline:
                if not self.running:
                    raise AssertionError(f"serve exited early:\n{self.log}")
                with suppress(aiohttp.ClientError):
                    async with session.get(f"{self.url}/healthz") as resp:
                        if resp.status == 200:
                            return
                await asyncio.sleep(0.05)
        raise AssertionError(f"serve did not become healthy:\n{self.log}")

    async def kill(self) -> None:
        """kill -9: no shutdown hooks, no draining, as a crashed machine."""
        if self.running:
            assert self._proc is not None
            self._proc.kill()
            await self._proc.wait()

    async def stop(self, grace: float = 30.0) -> int:
        """SIGTERM and wait; kill -9 when it takes longer than `grace` seconds."""
        assert self._proc is not None
        if self.running:
            self._proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self._proc.wait(), grace)
            except TimeoutError:
                await self.kill()
        assert self._proc.returncode is not None
        return self._proc.returncode


def tree(pid: int) -> list[int]:
    """Every descendant of `pid` (its sentiment worker, multiprocessing's resource tracker),
    read from /proc; empty where there is none."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with suppress(OSError, IndexError, ValueError):
            # "pid (comm) state ppid …": comm may hold spaces and parentheses.
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
    found: list[int] = []
    frontier = {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found += frontier
    return found


def kill_tree(pids: list[int]) -> None:
    # A process's spawned workers outlive a kill -9 of it (they never see their parent go):
    # take them down too, as a crashed machine or an OOM-killed container would.
    for pid in pids:
        with suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def serve_env(tmp_path: Path, slack: SlackStandIn) -> dict[str, str]:
    """What `serve` needs in `tmp_path`: quality.yml, Slack's stand-in and the webhook secret."""
    (tmp_path / "quality.yml").write_text(QUALITY_YML)
    return cli_env(
        tmp_path,
        SLACK_BOT_TOKEN=BOT_TOKEN,
        SLACK_SIGNING_SECRET=SIGNING_SECRET,
        SLACK_API_URL=slack.api_url,
        REVIEW_WEBHOOK_SECRET=WEBHOOK_SECRET,
    )


def workers(pid: int) -> list[int]:
    """The sentiment workers among `pid`'s descendants."""
    return [p for p in tree(pid) if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


async def crash(serve: ServeProcess) -> None:
    """kill -9 the server, then what it had spawned. Only while it runs: a reaped process's
    pid may already belong to someone else."""
    if serve.running:
        below = tree(serve.pid)
        await serve.kill()
        kill_tree(below)


@asynccontextmanager
async def opened(url: str) -> AsyncIterator[None]:
    await db.open_database(url)
    try:
        yield
    finally:
        await db.close_database()


def alive(pids: list[int]) -> list[int]:
    """Those of `pids` that still run (or are not yet reaped)."""
    return [pid for pid in pids if Path(f"/proc/{pid}").exists()]
