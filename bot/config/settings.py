"""All configuration, loaded and validated in one place.

The environment wins over `.env` in the working directory; then `quality.yml` (or QUALITY_CONFIG)
is read. Every mistake in any of them is collected before anything fails, so one run of
`quality-bot check-config` shows all of them. Nothing here reads `os.environ` itself: callers pass
the environment and working directory in, which keeps tests away from the real ones.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from dotenv import dotenv_values
from dotenv.parser import parse_stream
from dotenv.variables import parse_variables

from bot.config import env_checks
from bot.config.env_checks import Variables
from bot.config.problems import DOTENV, ENVIRONMENT, MASK, ConfigError, Problem, redact_url
from bot.config.quality_models import QualityConfig
from bot.config.quality_yaml import QualityConfigError, read_quality_config

# The order of the table of variables in docs/configuration.md, which is also the order
# problems are reported in.
VARIABLES = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "SLACK_API_URL",
    "DATABASE_URL",
    "QUALITY_CONFIG",
    "REVIEW_WEBHOOK_SECRET",
    "PUBLIC_URL",
    "HOST",
    "PORT",
    "LOG_LEVEL",
)


@dataclass(frozen=True, repr=False)
class Settings:
    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_api_url: str
    database_url: str
    quality_config_path: Path
    review_webhook_secrets: tuple[str, ...]
    # The value of each review source's `secret_env`, by the variable's name.
    source_secrets: Mapping[str, str]
    public_url: str | None
    host: str
    port: int
    log_level: str
    # quality.yml as written: names not yet resolved through Slack, no department managed in
    # Slack. The configuration in effect is bot.people.directory's.
    quality_file: QualityConfig

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def __repr__(self) -> str:
        # Settings end up in tracebacks and debug logs, so secrets show only whether they are set.
        def hidden(value: str | None) -> str | None:
            return None if value is None else MASK

        shown = {
            "slack_bot_token": hidden(self.slack_bot_token),
            "slack_signing_secret": hidden(self.slack_signing_secret),
            "slack_app_token": hidden(self.slack_app_token),
            "slack_api_url": redact_url(self.slack_api_url),
            "database_url": redact_url(self.database_url),
            "quality_config_path": self.quality_config_path,
            "review_webhook_secrets": tuple(MASK for _ in self.review_webhook_secrets),
            "source_secrets": {name: MASK for name in self.source_secrets},
            "public_url": None if self.public_url is None else redact_url(self.public_url),
            "host": self.host,
            "port": self.port,
            "log_level": self.log_level,
            "quality_file": self.quality_file,
        }
        return f"Settings({', '.join(f'{name}={value!r}' for name, value in shown.items())})"


def load_settings(
    *, environ: Mapping[str, str], cwd: Path, purpose: Literal["serve", "cli"] = "cli"
) -> Settings:
    """Raises ConfigError listing every problem; `serve` also needs what talking to Slack needs."""
    settings, problems = _load(environ, cwd, serving=purpose == "serve")
    if settings is None or problems:
        raise ConfigError(problems)
    return settings


def check_config(*, environ: Mapping[str, str], cwd: Path) -> list[Problem]:
    """Everything `quality-bot check-config` reports, including what `serve` would need."""
    return _load(environ, cwd, serving=True)[1]


def _load(
    environ: Mapping[str, str], cwd: Path, *, serving: bool
) -> tuple[Settings | None, list[Problem]]:
    dotenv, dotenv_problems = _read_dotenv(cwd / DOTENV, environ)
    env = Variables(environ, dotenv)

    bot_token = env_checks.token(env, "SLACK_BOT_TOKEN", "xoxb-", "a bot token")
    signing_secret = env_checks.signing_secret(env)
    app_token = env_checks.token(env, "SLACK_APP_TOKEN", "xapp-", "an app-level token")
    if serving and bot_token is None and env.get("SLACK_BOT_TOKEN") is None:
        env.fail(
            "SLACK_BOT_TOKEN",
            "is required to serve: the bot token (xoxb-…) from your Slack app's"
            " OAuth & Permissions page",
        )
    if serving and signing_secret is None and env.get("SLACK_APP_TOKEN") is None:
        env.fail(
            "SLACK_SIGNING_SECRET",
            "is required to serve over HTTP (set SLACK_APP_TOKEN for Socket Mode instead):"
            " the signing secret from your Slack app's Basic Information page",
        )
    api_url = env_checks.http_url(env, "SLACK_API_URL") or "https://slack.com/api/"
    database_url = env_checks.database_url(env) or "sqlite://quality.db"
    secrets = env_checks.webhook_secrets(env)
    public_url = env_checks.http_url(env, "PUBLIC_URL")
    host = env.get("HOST") or "0.0.0.0"  # noqa: S104 - a server in a container listens on all
    port = env_checks.port(env)
    log_level = env_checks.log_level(env)

    configured = env.get("QUALITY_CONFIG") or "quality.yml"
    config_path = cwd / configured
    quality, quality_problems = _read_quality(config_path, configured)
    sources = quality.review_sources if quality is not None else ()
    source_secrets = env_checks.source_secrets(env, sources, required=serving)

    order = {name: index for index, name in enumerate(VARIABLES)}
    problems = sorted(
        env.problems + dotenv_problems,
        key=lambda p: (p.source != ENVIRONMENT, order.get(p.key, len(order)), _line(p.key)),
    )
    problems += quality_problems
    if quality is None or problems:
        return None, problems
    settings = Settings(
        slack_bot_token=bot_token,
        slack_signing_secret=signing_secret,
        slack_app_token=app_token,
        slack_api_url=api_url if api_url.endswith("/") else api_url + "/",
        database_url=database_url,
        quality_config_path=config_path,
        review_webhook_secrets=secrets,
        source_secrets=source_secrets,
        public_url=public_url.rstrip("/") if public_url else None,
        host=host,
        port=port,
        log_level=log_level,
        quality_file=quality,
    )
    return settings, []


def _read_dotenv(path: Path, environ: Mapping[str, str]) -> tuple[dict[str, str], list[Problem]]:
    if not path.is_file():
        return {}, []
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        # The decoder's own message quotes the offending byte, which may belong to a secret.
        return {}, [Problem(DOTENV, "", "is not UTF-8 text")]
    except OSError as error:
        return {}, [Problem(DOTENV, "", f"could not be read: {error.strerror}")]
    problems = [
        Problem(DOTENV, f"line {binding.original.line}", "is not a KEY=value line")
        for binding in parse_stream(io.StringIO(text))
        if binding.error
    ]
    # dotenv's own interpolation would read os.environ; resolve ${VAR} against the environment
    # we were given, which wins as it does for the values themselves.
    values: dict[str, str] = {}
    for name, raw in dotenv_values(stream=io.StringIO(text), interpolate=False).items():
        if raw is not None:
            scope = {**values, **environ}
            values[name] = "".join(atom.resolve(scope) for atom in parse_variables(raw))
    return values, problems


def _read_quality(path: Path, configured: str) -> tuple[QualityConfig | None, list[Problem]]:
    if not path.exists():
        reason = f"file not found (looked for {path}); create it or set QUALITY_CONFIG to its path"
        return None, [Problem(configured, "", reason)]
    try:
        return read_quality_config(path), []
    except QualityConfigError as error:
        return None, [Problem(configured, key, reason) for key, reason in error.issues]


def _line(key: str) -> int:
    match = re.fullmatch(r"line (\d+)", key)
    return int(match[1]) if match else 0
