"""The environment variables (docs/configuration.md): where each value came from, and one
check per variable.

Each check reads its variable from `Variables`, records what is wrong with it there, and returns
the value to use (None, or a placeholder, when it is wrong). No reason ever quotes a secret.
"""

from __future__ import annotations

import base64
import json
import re
from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

from bot.config.problems import DOTENV, ENVIRONMENT, Problem, redact_url
from bot.config.review_sources import ReviewSourceConfig

LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
# What tortoise-orm's expand_db_url maps to its sqlite and asyncpg backends.
DATABASE_SCHEMES = ("sqlite", "postgres", "postgresql", "asyncpg")
_TOKEN_KINDS = {
    "xoxb-": "a bot token",
    "xoxp-": "a user token",
    "xapp-": "an app-level token",
    "xoxe": "a token rotation token",
}


class Variables:
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


def token(env: Variables, name: str, prefix: str, kind: str) -> str | None:
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


def signing_secret(env: Variables) -> str | None:
    value = env.get("SLACK_SIGNING_SECRET")
    if value and value.startswith(tuple(_TOKEN_KINDS)):
        env.fail(
            "SLACK_SIGNING_SECRET",
            "looks like a token; the signing secret is on your Slack app's Basic Information page",
        )
    return value


def webhook_secrets(env: Variables) -> tuple[str, ...]:
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


def http_url(env: Variables, name: str) -> str | None:
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


def database_url(env: Variables) -> str | None:
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
            host, port_number = parts.hostname, parts.port
        except ValueError:
            return bad_port
        if port_number == 0:
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


def port(env: Variables) -> int:
    value = env.get("PORT") or "3000"
    if re.fullmatch(r"\d{1,5}", value) and 1 <= int(value) <= 65535:
        return int(value)
    env.fail("PORT", f"must be a whole number from 1 to 65535, not {value!r}")
    return 0


def log_level(env: Variables) -> str:
    value = env.get("LOG_LEVEL") or "INFO"
    if value.upper() not in LOG_LEVELS:
        env.fail("LOG_LEVEL", f"must be one of {', '.join(LOG_LEVELS)}, not {value!r}")
    return value.upper()


# What each preset's `secret_env` holds, for the line saying it is missing.
_SOURCE_SECRETS = {
    "zendesk": "the webhook's signing secret (Admin Center, Webhooks, Reveal secret)",
    "typeform": "the secret set on the form's webhook",
    "helpscout": "the secret key of the Help Scout webhook",
    "intercom": "the client secret of the Intercom app (Basic Info)",
    "trustpilot": "the secret that ends the webhook's URL",
    "appstore": "the App Store Connect API key (the .p8 file's contents)",
    "googleplay": "the Google service account's JSON key",
}


def source_secrets(
    env: Variables, sources: Iterable[ReviewSourceConfig], *, required: bool
) -> dict[str, str]:
    """The secret of each review source, by the variable holding it, checked for its preset."""
    found: dict[str, str] = {}
    for source in sources:
        name = source.secret_env
        value = env.get(name)
        if value is None:
            if required:
                what = _SOURCE_SECRETS[source.preset]
                env.fail(name, f"is required by review source {source.name!r}: {what}")
            continue
        reason = _source_secret_problem(source.preset, value)
        if reason:
            env.fail(name, f"(review source {source.name!r}) {reason}")
            continue
        found[name] = value
    return found


def _source_secret_problem(preset: str, value: str) -> str | None:
    if preset == "appstore":
        return _ec_key_problem(value)
    if preset == "googleplay":
        return _service_account_problem(value)
    return None


def _ec_key_problem(value: str) -> str | None:
    # Imported here: only a configured App Store source needs it at configuration time.
    from cryptography.hazmat.primitives.asymmetric.ec import EllipticCurvePrivateKey
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    try:
        key = load_pem_private_key(value.encode(), password=None)
    except (ValueError, TypeError):
        return "must be the .p8 key's contents, from -----BEGIN PRIVATE KEY----- on"
    if not isinstance(key, EllipticCurvePrivateKey):
        return "must be an App Store Connect API key (an EC key, as in the .p8 file)"
    return None


def _service_account_problem(value: str) -> str | None:
    try:
        account = json.loads(value)
    except ValueError:
        return "must be the service account's JSON key, as downloaded"
    needed = ("client_email", "private_key", "token_uri")
    if not isinstance(account, dict) or account.get("type") != "service_account":
        return 'must be a service account\'s JSON key ("type": "service_account")'
    missing = [key for key in needed if not isinstance(account.get(key), str)]
    if missing:
        return f"is a service account key without {', '.join(missing)}"
    return None
