"""What every `quality-bot` command does first: read the settings, or say what is wrong."""

import os
import sys
from pathlib import Path
from typing import Literal

from bot.settings import ConfigError, Settings, load_settings


def settings_or_exit(purpose: Literal["serve", "cli"] = "cli") -> Settings:
    """The settings; on a problem, one line each on stderr and exit status 2."""
    try:
        return load_settings(environ=os.environ, cwd=Path.cwd(), purpose=purpose)
    except ConfigError as err:
        for problem in err.problems:
            print(f"quality-bot: {problem}", file=sys.stderr)
        raise SystemExit(2) from None
