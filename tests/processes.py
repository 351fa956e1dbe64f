"""`quality-bot serve` as real processes: started, waited for, stopped gently or killed -9."""

import asyncio
import signal
import socket
import sys
from contextlib import suppress
from pathlib import Path

import aiohttp


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
