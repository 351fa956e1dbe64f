"""All configuration, loaded and validated in one place (SPEC §3).

The environment wins over `.env` in the working directory; then `quality.yml` (or QUALITY_CONFIG)
is read. Every mistake in any of them is collected before anything fails, so one run of
`quality-bot check-config` shows all of them. Nothing here reads `os.environ` itself: callers pass
the environment and working directory in, which keeps tests away from the real ones.
"""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from dotenv import dotenv_values
from dotenv.parser import parse_stream
from dotenv.variables import parse_variables

from bot.quality_config import (
    AlertsConfig,
    DepartmentConfig,
    DigestConfig,
    PrivacyConfig,
    QualityConfig,
    QualityConfigError,
    Schedule,
    SurveysConfig,
    read_quality_config,
)

__all__ = [
    "AlertsConfig",
    "ConfigError",
    "DepartmentConfig",
    "DigestConfig",
    "PrivacyConfig",
    "Problem",
    "QualityConfig",
    "Schedule",
    "Settings",
    "SurveysConfig",
    "check_config",
    "load_settings",
    "redact_url",
]

ENVIRONMENT = "environment"
DOTENV = ".env"
# The order of SPEC §3's table, which is also the order problems are reported in.
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
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What tortoise-orm's expand_db_url maps to its sqlite and asyncpg backends.
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")
_TOKEN_KINDS = {
    "xoxb-": "a bot token",
    "xoxp-": "a user token",
    "xapp-": "an app-level token",
    "xoxe": "a token rotation token",
}
_MASK = "***"


@dataclass(frozen=True)
class Problem:
    """One mistake, printed as `source: key: reason`, the way check-config shows it."""

    source: str  # "environment", ".env", or the YAML path as configured
    key: str  # "" when the problem is the whole source, e.g. a missing file
    reason: str

    def __str__(self) -> str:
        return ": ".join(part for part in (self.source, self.key, self.reason) if part)


class ConfigError(Exception):
    """Every problem found, one per line, so a single run shows everything there is to fix."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__(problems)

    def __str__(self) -> str:
        return "\n".join(map(str, self.problems))


@dataclass(frozen=True, repr=False)
class Settings:
    slack_bot_token: str | None
    slack_signing_secret: str | None
    slack_app_token: str | None
    slack_api_url: str
    database_url: str
    quality_config_path: Path
    review_webhook_secrets: tuple[str, ...]
    public_url: str | None
    host: str
    port: int
    log_level: str
    quality: QualityConfig

    @property
    def socket_mode(self) -> bool:
        return self.slack_app_token is not None

    def __repr__(self) -> str:
        # Settings end up in tracebacks and debug logs, so secrets show only whether they are set.
        def hidden(value: str | None) -> str | None:
            return None if value is None else _MASK

        shown = {
            "slack_bot_token": hidden(self.slack_bot_token),
            "slack_signing_secret": hidden(self.slack_signing_secret),
            "slack_app_token": hidden(self.slack_app_token),
            "slack_api_url": redact_url(self.slack_api_url),
            "database_url": redact_url(self.database_url),
            "quality_config_path": self.quality_config_path,
            "review_webhook_secrets": tuple(_MASK for _ in self.review_webhook_secrets),
            "public_url": None if self.public_url is None else redact_url(self.public_url),
            "host": self.host,
            "port": self.port,
            "log_level": self.log_level,
            "quality": self.quality,
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


def redact_url(url: str) -> str:
    """The URL with its password replaced, fit for logs and messages."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return _MASK
    if password is None:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:{_MASK}@{hostinfo}").geturl()


class _Variables:
    """The merged environment, remembering where each value came from so problems can say so."""

    def __init__(self, environ: Mapping[str, str], dotenv: Mapping[str, str]) -> None:
        self._values = {name: (value, DOTENV) for name, value in dotenv.items()}
        self._values.update((name, (value, ENVIRONMENT)) for name, value in environ.items())
        self.problems: list[Problem] = []

    def get(self, name: str) -> str | None:
        # An empty value counts as unset: that is how people blank a variable in compose files.
        value = self._values.get(name, ("", ENVIRONMENT))[0].strip()
        return value or None

    def fail(self, name: str, reason: str) -> None:
        source = self._values.get(name, ("", ENVIRONMENT))[1]
        self.problems.append(Problem(source, name, reason))


def _load(
    environ: Mapping[str, str], cwd: Path, *, serving: bool
) -> tuple[Settings | None, list[Problem]]:
    dotenv, dotenv_problems = _read_dotenv(cwd / DOTENV, environ)
    env = _Variables(environ, dotenv)

    bot_token = _token(env, "SLACK_BOT_TOKEN", "xoxb-", "a bot token")
    signing_secret = env.get("SLACK_SIGNING_SECRET")
    app_token = _token(env, "SLACK_APP_TOKEN", "xapp-", "an app-level token")
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
    if signing_secret and signing_secret.startswith(tuple(_TOKEN_KINDS)):
        env.fail(
            "SLACK_SIGNING_SECRET",
            "looks like a token; the signing secret is on your Slack app's Basic Information page",
        )
    api_url = _http_url(env, "SLACK_API_URL") or "https://slack.com/api/"
    database_url = _database_url(env) or "sqlite://quality.db"
    secrets = _webhook_secrets(env)
    public_url = _http_url(env, "PUBLIC_URL")
    host = env.get("HOST") or "0.0.0.0"  # noqa: S104 - a server in a container listens on all
    port = _port(env)
    log_level = _log_level(env)

    configured = env.get("QUALITY_CONFIG") or "quality.yml"
    config_path = cwd / configured
    quality, quality_problems = _read_quality(config_path, configured)

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
        public_url=public_url.rstrip("/") if public_url else None,
        host=host,
        port=port,
        log_level=log_level,
        quality=quality,
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


def _token(env: _Variables, name: str, prefix: str, kind: str) -> str | None:
    value = env.get(name)
    if value is None or value.startswith(prefix):
        return value
    # Only a well-known public prefix is ever named, never any part of the token itself.
    seen = next(
        (f"; this looks like {k} ({p}…)" for p, k in _TOKEN_KINDS.items() if value.startswith(p)),
        "",
    )
    env.fail(name, f"must be {kind} starting with {prefix}{seen}")
    return None


def _webhook_secrets(env: _Variables) -> tuple[str, ...]:
    secrets = tuple((env.get("REVIEW_WEBHOOK_SECRET") or "").split())
    for number, secret in enumerate(secrets, start=1):
        if not _is_webhook_secret(secret):
            shape = "must be 'whsec_' followed by base64, as Standard Webhooks secrets are"
            if len(secrets) > 1:
                reason = f"secret {number} of {len(secrets)} {shape}"
            else:
                reason = f"{shape}; separate several with spaces"
            env.fail("REVIEW_WEBHOOK_SECRET", reason)
    return secrets


def _is_webhook_secret(secret: str) -> bool:
    prefix, _, key = secret.partition("_")
    try:
        return prefix == "whsec" and bool(base64.b64decode(key, validate=True))
    except ValueError:  # binascii.Error, or characters that are not ASCII
        return False


def _http_url(env: _Variables, name: str) -> str | None:
    value = env.get(name)
    if value is None:
        return None
    try:
        parts = urlsplit(value)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        valid = False
    if not valid:
        # Without a scheme, "user:password@host" does not parse as credentials; show none of it.
        shown = f", not {redact_url(value)!r}" if "@" not in value else ""
        env.fail(name, f"must be an http:// or https:// URL{shown}")
        return None
    return value


def _database_url(env: _Variables) -> str | None:
    value = env.get("DATABASE_URL")
    reason = _database_url_problem(value) if value else None
    if reason:
        env.fail("DATABASE_URL", reason)
        return None
    return value


def _database_url_problem(url: str) -> str | None:
    """What is wrong with a tortoise URL, in words that never include its password."""
    example = "like sqlite://quality.db or postgres://user:password@host:5432/db"
    scheme, separator, rest = url.partition("://")
    scheme = scheme.lower()
    if not separator or scheme not in DATABASE_SCHEMES:
        shown = f", not {scheme}://" if separator and re.fullmatch(r"[\w+.-]+", scheme) else ""
        return f"must start with sqlite:// or postgres://{shown} ({example})"
    if scheme == "sqlite":
        if not rest.partition("?")[0]:
            return "needs a file path after sqlite://, like sqlite://quality.db"
    else:
        bad_port = (
            "has a port that is not a number from 1 to 65535"
            " (a password with / ? # @ [ or ] in it must be %-encoded)"
        )
        try:
            parts = urlsplit(url)
            host, port = parts.hostname, parts.port
        except ValueError:
            return bad_port
        if port == 0:
            return bad_port
        if not host:
            return f"needs a host ({example})"
    if not _tortoise_accepts(url):
        return f"has query parameters tortoise-orm cannot read ({example})"
    return None


def _tortoise_accepts(url: str) -> bool:
    # Imported here: tortoise is heavy, and only this check needs it at configuration time.
    from tortoise.backends.base.config_generator import expand_db_url
    from tortoise.exceptions import ConfigurationError

    try:
        expand_db_url(url)
    except (ConfigurationError, ValueError, TypeError):
        return False
    return True


def _port(env: _Variables) -> int:
    value = env.get("PORT") or "3000"
    if re.fullmatch(r"\d{1,5}", value) and 1 <= int(value) <= 65535:
        return int(value)
    env.fail("PORT", f"must be a whole number from 1 to 65535, not {value!r}")
    return 0


def _log_level(env: _Variables) -> str:
    value = env.get("LOG_LEVEL") or "INFO"
    if value.upper() not in LOG_LEVELS:
        env.fail("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return value.upper()


def _line(key: str) -> int:
    match = re.fullmatch(r"line (\d+)", key)
    return int(match[1]) if match else 0
