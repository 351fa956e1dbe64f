"""`quality-bot` run as an operator runs it: a real process, in its own working directory."""

import asyncio
import os
import sys
from pathlib import Path

from tests.database import database_url


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A bare environment (nothing of the developer's leaks in) with the test's database."""
    keep = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "SYSTEMROOT")}
    return {**keep, "DATABASE_URL": database_url(tmp_path, "q"), **extra}


async def run_cli(tmp_path: Path, *args: str, env: dict[str, str]) -> tuple[int, str, str]:
    """(exit status, stdout, stderr) of `quality-bot ARGS` run in `tmp_path`."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=tmp_path,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), timeout=60)
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()
