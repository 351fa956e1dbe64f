"""How configuration mistakes are reported, and the redaction that keeps secrets out of reports."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

# Where a value came from, as a Problem names it; a YAML problem names the file as configured.
ENVIRONMENT = "environment"
DOTENV = ".env"
MASK = "***"


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


def redact_url(url: str) -> str:
    """The URL with its password replaced, fit for logs and messages."""
    try:
        parts = urlsplit(url)
        password = parts.password
    except ValueError:
        return MASK
    if password is None:
        return url
    userinfo, _, hostinfo = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return parts._replace(netloc=f"{user}:{MASK}@{hostinfo}").geturl()
