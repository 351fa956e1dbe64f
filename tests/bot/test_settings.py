"""Settings: every source, every check, and the exact line a user reads for each mistake."""

from __future__ import annotations

import datetime as dt
import json
import pickle
import zoneinfo
from collections.abc import Mapping
from pathlib import Path

import pytest

from bot.config import ConfigError, Problem, check_config, load_settings
from bot.store_standins import new_key

MINIMAL = "departments:\n  - slug: it\n    name: IT\n"
BOT_TOKEN = "xoxb-111-222-SECRETBOTTOKEN"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
APP_TOKEN = "xapp-1-A111-222-SECRETAPPTOKEN"
WEBHOOK_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
# What serving over HTTP needs, so a test about one mistake sees only that mistake.
SERVABLE = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET}

FULL = """\
timezone: Europe/Berlin
admins: [U0ADMIN01]
privacy:
  min_group_size: 5
surveys:
  resolved_reactions: [white_check_mark, ":heavy_check_mark:"]
  max_per_person_per_week: 2
  cooldown_days_per_department: 0
  remind_after_hours: 12
  expire_after_hours: 48
digest:
  channel: C0DIGEST01
  schedule: "fri 16:30"
  manager_dms: false
alerts:
  negative_review_rating: 2.5
departments:
  - slug: it
    name: IT
    channels: [C0ITHELP1]
    alert_channel: C0ITTEAM1
    members: [U0IT0001, W0IT0002]
    usergroup: S0IT0001
    managers: [U0IT0001]
    keywords: [laptop, vpn]
    standard:
      promise: Laptops fixed or swapped within one working day
      target: 4.2
      resolve_within_hours: 8
  - slug: finance
    name: Finance
    channels: [G0FINANCE]
"""


def write(directory: Path, text: str, name: str = "quality.yml") -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def problems(cwd: Path, environ: Mapping[str, str] | None = None) -> list[str]:
    return [str(p) for p in check_config(environ={**SERVABLE, **(environ or {})}, cwd=cwd)]


def yaml_problems(cwd: Path, text: str) -> list[str]:
    write(cwd, text)
    return problems(cwd)


@pytest.fixture
def minimal(tmp_path: Path) -> Path:
    write(tmp_path, MINIMAL)
    return tmp_path


def test_defaults_with_a_minimal_file(minimal: Path) -> None:
    settings = load_settings(environ={}, cwd=minimal)

    assert settings.slack_bot_token is None
    assert settings.slack_signing_secret is None
    assert settings.slack_app_token is None
    assert not settings.socket_mode
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.database_url == "sqlite://quality.db"
    assert settings.quality_config_path == minimal / "quality.yml"
    assert settings.review_webhook_secrets == ()
    assert settings.public_url is None
    assert settings.host == "0.0.0.0"  # noqa: S104 - the documented default
    assert (settings.port, settings.log_level) == (3000, "INFO")

    quality = settings.quality_file
    assert quality.timezone == "UTC"
    assert quality.tz == zoneinfo.ZoneInfo("UTC")
    assert quality.admins == ()
    assert quality.privacy.min_group_size == 3
    assert quality.surveys.resolved_reactions == ("white_check_mark",)
    assert quality.surveys.max_per_person_per_week == 3
    assert quality.surveys.cooldown_days_per_department == 2
    assert quality.surveys.remind_after_hours == 24
    assert quality.surveys.expire_after_hours == 72
    assert quality.digest.channel is None
    assert quality.digest.schedule.text == "mon 09:00"
    assert (quality.digest.schedule.weekday, quality.digest.schedule.time) == (0, dt.time(9))
    assert quality.digest.manager_dms is True
    assert quality.alerts.negative_review_rating == 2
    department = quality.department("it")
    assert department is not None
    assert (department.name, department.channels, department.members) == ("IT", (), ())
    assert (department.alert_channel, department.usergroup) == (None, None)
    assert (department.managers, department.keywords) == ((), ())
    assert quality.department("sales") is None


def test_every_documented_key_is_read(tmp_path: Path) -> None:
    write(tmp_path, FULL)

    quality = load_settings(environ={}, cwd=tmp_path).quality_file

    assert quality.tz == zoneinfo.ZoneInfo("Europe/Berlin")
    assert quality.admins == ("U0ADMIN01",)
    assert quality.privacy.min_group_size == 5
    # Reactions are matched against event payloads, which carry bare names.
    assert quality.surveys.resolved_reactions == ("white_check_mark", "heavy_check_mark")
    assert quality.surveys.cooldown_days_per_department == 0
    assert (quality.surveys.remind_after_hours, quality.surveys.expire_after_hours) == (12, 48)
    assert quality.digest.channel == "C0DIGEST01"
    assert (quality.digest.schedule.weekday, quality.digest.schedule.time) == (4, dt.time(16, 30))
    assert quality.digest.manager_dms is False
    assert quality.alerts.negative_review_rating == 2.5
    it = quality.department("it")
    assert it is not None
    assert it.members == ("U0IT0001", "W0IT0002")
    assert (it.usergroup, it.alert_channel, it.keywords) == (
        "S0IT0001",
        "C0ITTEAM1",
        ("laptop", "vpn"),
    )
    assert it.standard is not None
    assert (it.standard.promise, it.standard.target, it.standard.resolve_within_hours) == (
        "Laptops fixed or swapped within one working day",
        4.2,
        8,
    )
    assert [d.slug for d in quality.departments] == ["it", "finance"]


def test_environment_values_are_read_and_normalised(minimal: Path) -> None:
    settings = load_settings(
        environ={
            **SERVABLE,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_API_URL": "http://localhost:8888/api",
            "DATABASE_URL": "postgres://quality:pw@db:5432/quality",
            "REVIEW_WEBHOOK_SECRET": f"  {WEBHOOK_SECRET}\twhsec_c2Vjb25k ",
            "PUBLIC_URL": "https://quality.example.com/",
            "HOST": "127.0.0.1",
            "PORT": "8080",
            "LOG_LEVEL": "debug",
        },
        cwd=minimal,
    )

    assert settings.socket_mode
    # slack-sdk joins method names with urljoin, which drops a last segment without "/".
    assert settings.slack_api_url == "http://localhost:8888/api/"
    assert settings.database_url == "postgres://quality:pw@db:5432/quality"
    assert settings.review_webhook_secrets == (WEBHOOK_SECRET, "whsec_c2Vjb25k")
    assert settings.public_url == "https://quality.example.com"
    assert (settings.host, settings.port, settings.log_level) == ("127.0.0.1", 8080, "DEBUG")


def test_dotenv_is_read(minimal: Path) -> None:
    write(minimal, f"SLACK_BOT_TOKEN={BOT_TOKEN}\nPORT=4000\n# a comment\n", name=".env")

    settings = load_settings(environ={}, cwd=minimal)

    assert (settings.slack_bot_token, settings.port) == (BOT_TOKEN, 4000)


def test_environment_beats_dotenv(minimal: Path) -> None:
    write(minimal, "PORT=4000\nLOG_LEVEL=debug\n", name=".env")

    settings = load_settings(environ={"PORT": "5000"}, cwd=minimal)

    assert (settings.port, settings.log_level) == (5000, "DEBUG")


def test_dotenv_interpolates_from_the_given_environment(minimal: Path) -> None:
    write(
        minimal, "DB_HOST=db\nDATABASE_URL=postgres://q:${DB_PASSWORD}@${DB_HOST}/q\n", name=".env"
    )

    settings = load_settings(environ={"DB_PASSWORD": "pw"}, cwd=minimal)

    assert settings.database_url == "postgres://q:pw@db/q"


def test_the_real_environment_is_never_read(minimal: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "9999")
    monkeypatch.setenv("SLACK_BOT_TOKEN", "nonsense")

    settings = load_settings(environ={}, cwd=minimal)

    assert (settings.port, settings.slack_bot_token) == (3000, None)


def test_an_empty_value_counts_as_unset(minimal: Path) -> None:
    settings = load_settings(environ={"PORT": "", "SLACK_APP_TOKEN": " "}, cwd=minimal)

    assert (settings.port, settings.socket_mode) == (3000, False)


def test_a_bad_value_from_dotenv_names_dotenv(minimal: Path) -> None:
    write(minimal, "PORT=eighty\nnot a setting\n", name=".env")

    assert problems(minimal) == [
        ".env: PORT: must be a whole number from 1 to 65535, not 'eighty'",
        ".env: line 2: is not a KEY=value line",
    ]


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("SLACK_BOT_TOKEN", "bot-token", "must be a bot token starting with xoxb-"),
        (
            "SLACK_BOT_TOKEN",
            "xoxp-1-user",
            "must be a bot token starting with xoxb-; this looks like a user token (xoxp-…)",
        ),
        (
            "SLACK_APP_TOKEN",
            "xoxb-1-bot",
            "must be an app-level token starting with xapp-; this looks like a bot token (xoxb-…)",
        ),
        (
            "SLACK_SIGNING_SECRET",
            "xoxb-1-bot",
            "looks like a token; the signing secret is on your Slack app's Basic Information page",
        ),
        (
            "REVIEW_WEBHOOK_SECRET",
            "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "must be 'whsec_' followed by base64, as Standard Webhooks secrets are;"
            " separate several with spaces",
        ),
        (
            "REVIEW_WEBHOOK_SECRET",
            f"{WEBHOOK_SECRET} whsec_not-base64!",
            "secret 2 of 2 must be 'whsec_' followed by base64, as Standard Webhooks secrets are",
        ),
        (
            "SLACK_API_URL",
            "slack.com/api",
            "must be an http:// or https:// URL, not 'slack.com/api'",
        ),
        (
            "PUBLIC_URL",
            "ftp://example.com",
            "must be an http:// or https:// URL, not 'ftp://example.com'",
        ),
        ("PUBLIC_URL", "https://", "must be an http:// or https:// URL, not 'https://'"),
        (
            "DATABASE_URL",
            "mysql://root:pw@db/quality",
            "must start with sqlite:// or postgres://, not mysql://"
            " (like sqlite://quality.db or postgres://user:password@host:5432/db)",
        ),
        (
            "DATABASE_URL",
            "quality.db",
            "must start with sqlite:// or postgres://"
            " (like sqlite://quality.db or postgres://user:password@host:5432/db)",
        ),
        (
            "DATABASE_URL",
            "sqlite://",
            "needs a file path after sqlite://, like sqlite://quality.db",
        ),
        (
            "DATABASE_URL",
            "postgres://user:pw@/quality",
            "needs a host (like sqlite://quality.db or postgres://user:password@host:5432/db)",
        ),
        (
            "DATABASE_URL",
            "postgres://db:99999/quality",
            "has a port that is not a number from 1 to 65535"
            " (a password with / ? # @ [ or ] in it must be %-encoded)",
        ),
        (
            "DATABASE_URL",
            "postgres://db/quality?min_size=few",
            "has query parameters tortoise-orm cannot read"
            " (like sqlite://quality.db or postgres://user:password@host:5432/db)",
        ),
        ("PORT", "http", "must be a whole number from 1 to 65535, not 'http'"),
        ("PORT", "0", "must be a whole number from 1 to 65535, not '0'"),
        ("PORT", "65536", "must be a whole number from 1 to 65535, not '65536'"),
        (
            "LOG_LEVEL",
            "verbose",
            "must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'verbose'",
        ),
    ],
)
def test_each_environment_check(minimal: Path, variable: str, value: str, expected: str) -> None:
    assert problems(minimal, {variable: value}) == [f"environment: {variable}: {expected}"]


@pytest.mark.parametrize(
    "url",
    [
        "sqlite://quality.db",
        "sqlite:///var/lib/quality/quality.db",
        "sqlite://:memory:",
        "postgres://user:pass@host:5432/db",
        "postgresql://user@host/db?ssl=true",
    ],
)
def test_database_urls_tortoise_accepts(minimal: Path, url: str) -> None:
    assert load_settings(environ={"DATABASE_URL": url}, cwd=minimal).database_url == url


@pytest.mark.parametrize(
    ("yaml", "expected"),
    [
        (
            "departments:\n  - {slug: it, name: IT}\n  - {slug: hr, name: HR}\n"
            "  - {slug: IT Dept, name: IT}\n",
            "departments[2].slug: 'IT Dept' must match [a-z0-9-]+",
        ),
        (
            "departments:\n  - {slug: it, name: IT}\n  - {slug: it, name: Help desk}\n",
            "departments[1].slug: 'it' is already used by department 'it'",
        ),
        ("departments:\n  - {slug: it}\n", "departments[0].name: is required"),
        ("departments:\n  - {slug: it, name: ' '}\n", "departments[0].name: must not be empty"),
        ("timezone: UTC\n", "departments: is required"),
        (
            "departments:\n  - {slug: it, name: IT, chanels: [C0ITHELP1]}\n",
            "departments[0].chanels: is not a known key (did you mean 'channels'?)",
        ),
        (
            "colour: blue\n" + MINIMAL,
            "colour: is not a known key (expected one of: timezone, admins, privacy, surveys,"
            " digest, alerts, departments, review_sources)",
        ),
        (
            "departments:\n  - {slug: it, name: IT, channels: C0ITHELP1}\n",
            "departments[0].channels: must be a list, like [C0ITHELP1]",
        ),
        (
            "departments:\n  - {slug: it, name: IT, channels: [it-help]}\n",
            "departments[0].channels[0]: 'it-help'"
            " is not a Slack channel ID or #name (like C0123ABCD or '#it-help')",
        ),
        (
            "departments:\n  - {slug: it, name: IT, alert_channel: D0DIRECT1}\n",
            "departments[0].alert_channel: 'D0DIRECT1'"
            " is not a Slack channel ID or #name (like C0123ABCD or '#it-help')",
        ),
        (
            "departments:\n  - {slug: it, name: IT, members: [U0IT0001, alice]}\n",
            "departments[0].members[1]: 'alice'"
            " is not a Slack member ID, @name or email (like U0123ABCD, '@ines' or ines@acme.com)",
        ),
        (
            "departments:\n  - {slug: it, name: IT, managers: [u0it0001]}\n",
            "departments[0].managers[0]: 'u0it0001'"
            " is not a Slack member ID, @name or email (like U0123ABCD, '@ines' or ines@acme.com)",
        ),
        (
            "departments:\n  - {slug: it, name: IT, usergroup: it-team}\n",
            "departments[0].usergroup: 'it-team'"
            " is not a Slack user group ID or @handle (like S0123ABCD or '@it-team')",
        ),
        (
            "admins: [C0ADMIN01]\n" + MINIMAL,
            "admins[0]: 'C0ADMIN01'"
            " is not a Slack member ID, @name or email (like U0123ABCD, '@ines' or ines@acme.com)",
        ),
        (
            "departments:\n  - {slug: it, name: IT, channels: [C0HELP]}\n"
            "  - {slug: hr, name: HR, channels: [C0HR, C0HELP]}\n",
            "departments[1].channels[1]: 'C0HELP' is already a service channel of department 'it'",
        ),
        (
            "departments:\n  - {slug: it, name: IT, keywords: [laptop, '']}\n",
            "departments[0].keywords[1]: must not be empty",
        ),
        (
            "departments:\n  - {slug: it, name: IT, keywords: [laptop, 42]}\n",
            "departments[0].keywords[1]: must be text, not 42",
        ),
        (
            "timezone: Europe/Berln\n" + MINIMAL,
            "timezone: 'Europe/Berln' is not an IANA time zone name"
            " (did you mean 'Europe/Berlin'?)",
        ),
        (
            "timezone: Middle/Earth\n" + MINIMAL,
            "timezone: 'Middle/Earth' is not an IANA time zone name"
            " (like 'Europe/Berlin' or 'UTC')",
        ),
        (
            "digest:\n  schedule: monday 9am\n" + MINIMAL,
            "digest.schedule: 'monday 9am' must be a weekday and a 24-hour time, like 'mon 09:00'",
        ),
        (
            "digest:\n  schedule: mon 24:00\n" + MINIMAL,
            "digest.schedule: 'mon 24:00' must be a weekday and a 24-hour time, like 'mon 09:00'",
        ),
        (
            "digest:\n  schedule: {weekday: 0}\n" + MINIMAL,
            "digest.schedule: {'weekday': 0} must be a weekday and a 24-hour time,"
            " like 'mon 09:00'",
        ),
        (
            "digest:\n  manager_dms: sometimes\n" + MINIMAL,
            "digest.manager_dms: must be true or false, not 'sometimes'",
        ),
        (
            "digest:\n  channel: quality\n" + MINIMAL,
            "digest.channel: 'quality'"
            " is not a Slack channel ID or #name (like C0123ABCD or '#it-help')",
        ),
        (
            "privacy:\n  min_group_size: 0\n" + MINIMAL,
            "privacy.min_group_size: must be at least 1, not 0",
        ),
        (
            "privacy:\n  min_group_size: '3'\n" + MINIMAL,
            "privacy.min_group_size: must be a whole number, not '3'",
        ),
        (
            "surveys:\n  max_per_person_per_week: 1.5\n" + MINIMAL,
            "surveys.max_per_person_per_week: must be a whole number, not 1.5",
        ),
        (
            "surveys:\n  cooldown_days_per_department: -1\n" + MINIMAL,
            "surveys.cooldown_days_per_department: must be at least 0, not -1",
        ),
        (
            "surveys:\n  remind_after_hours: 0\n" + MINIMAL,
            "surveys.remind_after_hours: must be at least 1, not 0",
        ),
        (
            "surveys:\n  expire_after_hours: 24\n" + MINIMAL,
            "surveys.expire_after_hours: must be more than remind_after_hours (24)",
        ),
        (
            "surveys:\n  resolved_reactions: [white check mark]\n" + MINIMAL,
            "surveys.resolved_reactions[0]: 'white check mark' is not a reaction name"
            " (like white_check_mark)",
        ),
        (
            "surveys:\n" + MINIMAL,
            "surveys: must be a mapping of keys, but it is empty",
        ),
        (
            "alerts:\n  negative_review_rating: 6\n" + MINIMAL,
            "alerts.negative_review_rating: must be at most 5, not 6",
        ),
        (
            "alerts:\n  negative_review_rating: 0.5\n" + MINIMAL,
            "alerts.negative_review_rating: must be at least 1, not 0.5",
        ),
        ("- it\n- hr\n", "must be a mapping of settings, not a list"),
        (
            MINIMAL + "    standard:\n      target: 5.5\n",
            "departments[0].standard.target: must be at most 5, not 5.5",
        ),
        (
            MINIMAL + "    standard:\n      target: '4'\n",
            "departments[0].standard.target: must be a number, not '4'",
        ),
        (
            MINIMAL + "    standard:\n      resolve_within_hours: 0\n",
            "departments[0].standard.resolve_within_hours: must be more than 0, not 0",
        ),
        (
            MINIMAL + "    standard:\n      promise: ''\n",
            "departments[0].standard.promise: must not be empty",
        ),
        (
            MINIMAL + "    standard:\n      promise: " + "x" * 201 + "\n",
            "departments[0].standard.promise: must be at most 200 characters, not 201",
        ),
        (
            MINIMAL + "    standard: {}\n",
            "departments[0].standard: says nothing: give a promise, a target or"
            " resolve_within_hours",
        ),
        (
            MINIMAL + "    standard:\n      tagret: 4\n",
            "departments[0].standard.tagret: is not a known key (did you mean 'target'?)",
        ),
        (
            MINIMAL + "    team_channel: it-team\n",
            "departments[0].team_channel: 'it-team'"
            " is not a Slack channel ID or #name (like C0123ABCD or '#it-help')",
        ),
        (
            MINIMAL + "    reasons:\n      low: [slow, slow]\n",
            "departments[0].reasons.low: names a reason twice",
        ),
        (
            MINIMAL + "    reasons:\n      high: [" + "x" * 41 + "]\n",
            "departments[0].reasons.high: '" + "x" * 41 + "' is longer than 40 characters",
        ),
        (
            "surveys:\n  reasons:\n    low: ["
            + ", ".join(f"r{n}" for n in range(11))
            + "]\n"
            + MINIMAL,
            "surveys.reasons.low: offers at most 10 reasons, not 11",
        ),
        (
            MINIMAL + "    reasons:\n      middle: [ok]\n",
            "departments[0].reasons.middle: is not a known key (expected one of: low, high)",
        ),
    ],
)
def test_each_quality_yml_check(tmp_path: Path, yaml: str, expected: str) -> None:
    assert yaml_problems(tmp_path, yaml) == [f"quality.yml: {expected}"]


def test_a_department_whose_every_field_is_wrong_is_not_also_too_short(tmp_path: Path) -> None:
    found = yaml_problems(tmp_path, "departments:\n  - {slug: IT, name: IT}\n")

    assert found == ["quality.yml: departments[0].slug: 'IT' must match [a-z0-9-]+"]


def test_an_empty_file_still_needs_departments(tmp_path: Path) -> None:
    assert yaml_problems(tmp_path, "") == ["quality.yml: departments: is required"]


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    found = yaml_problems(tmp_path, "timezone: UTC\ndepartments:\n  - slug: it\n   name: IT\n")

    assert found == [
        "quality.yml: line 4: invalid YAML at column 4: expected <block end>,"
        " but found '<block mapping start>' (check the indentation)"
    ]


def test_a_key_given_twice_is_reported_not_silently_dropped(tmp_path: Path) -> None:
    found = yaml_problems(tmp_path, "timezone: UTC\n" + MINIMAL + "timezone: Europe/Berlin\n")

    assert found == ["quality.yml: line 5: 'timezone' is given twice (first on line 1)"]


def test_missing_config_file(tmp_path: Path) -> None:
    assert problems(tmp_path) == [
        f"quality.yml: file not found (looked for {tmp_path / 'quality.yml'});"
        " create it or set QUALITY_CONFIG to its path"
    ]


def test_quality_config_is_relative_to_the_working_directory(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL, name="conf/prod.yml")

    settings = load_settings(environ={"QUALITY_CONFIG": "conf/prod.yml"}, cwd=tmp_path)

    assert settings.quality_config_path == path
    assert problems(tmp_path, {"QUALITY_CONFIG": "conf/staging.yml"}) == [
        f"conf/staging.yml: file not found (looked for {tmp_path / 'conf/staging.yml'});"
        " create it or set QUALITY_CONFIG to its path"
    ]


def test_problems_in_another_file_are_named_after_it(tmp_path: Path) -> None:
    write(tmp_path, "departments:\n  - {slug: it}\n", name="conf/prod.yml")

    assert problems(tmp_path, {"QUALITY_CONFIG": "conf/prod.yml"}) == [
        "conf/prod.yml: departments[0].name: is required"
    ]


def test_every_problem_at_once_in_source_then_key_order(tmp_path: Path) -> None:
    write(tmp_path, "LOG_LEVEL=loud\nPORT=1\n", name=".env")
    write(
        tmp_path,
        "departments:\n"
        "  - {slug: it, name: IT, channels: [C0HELP]}\n"
        "  - {slug: it, name: IT2, channels: [C0HELP], members: [bob]}\n"
        "surveys: {remind_after_hours: 0}\n"
        "timezone: Mars/Olympus\n",
    )
    environ = {"PORT": "x", "SLACK_BOT_TOKEN": "nope", "SLACK_SIGNING_SECRET": SIGNING_SECRET}

    with pytest.raises(ConfigError) as raised:
        load_settings(environ=environ, cwd=tmp_path, purpose="serve")

    expected = [
        "environment: SLACK_BOT_TOKEN: must be a bot token starting with xoxb-",
        "environment: PORT: must be a whole number from 1 to 65535, not 'x'",
        ".env: LOG_LEVEL: must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL, not 'loud'",
        "quality.yml: timezone: 'Mars/Olympus' is not an IANA time zone name"
        " (like 'Europe/Berlin' or 'UTC')",
        "quality.yml: surveys.remind_after_hours: must be at least 1, not 0",
        "quality.yml: departments[1].slug: 'it' is already used by department 'it'",
        "quality.yml: departments[1].channels[0]: 'C0HELP' is already a service channel"
        " of department 'it'",
        "quality.yml: departments[1].members[0]: 'bob'"
        " is not a Slack member ID, @name or email (like U0123ABCD, '@ines' or ines@acme.com)",
    ]
    assert [str(p) for p in raised.value.problems] == expected
    assert str(raised.value) == "\n".join(expected)
    assert raised.value.problems[0] == Problem("environment", "SLACK_BOT_TOKEN", expected[0][30:])


def test_serve_over_http_needs_a_bot_token_and_signing_secret(minimal: Path) -> None:
    load_settings(environ={}, cwd=minimal, purpose="cli")

    with pytest.raises(ConfigError) as raised:
        load_settings(environ={}, cwd=minimal, purpose="serve")

    assert str(raised.value).splitlines() == [
        "environment: SLACK_BOT_TOKEN: is required to serve: the bot token (xoxb-…)"
        " from your Slack app's OAuth & Permissions page",
        "environment: SLACK_SIGNING_SECRET: is required to serve over HTTP (set SLACK_APP_TOKEN"
        " for Socket Mode instead): the signing secret from your Slack app's Basic Information"
        " page",
    ]
    settings = load_settings(environ=SERVABLE, cwd=minimal, purpose="serve")
    assert not settings.socket_mode


def test_serve_in_socket_mode_needs_no_signing_secret(minimal: Path) -> None:
    environ = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN}

    settings = load_settings(environ=environ, cwd=minimal, purpose="serve")

    assert settings.socket_mode
    assert settings.slack_signing_secret is None
    with pytest.raises(ConfigError, match="SLACK_BOT_TOKEN: is required to serve"):
        load_settings(environ={"SLACK_APP_TOKEN": APP_TOKEN}, cwd=minimal, purpose="serve")


def test_check_config_reports_what_serve_would_need(minimal: Path) -> None:
    found = [p.key for p in check_config(environ={}, cwd=minimal)]

    assert found == ["SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET"]
    assert check_config(environ=SERVABLE, cwd=minimal) == []


def test_secrets_never_appear_in_messages(minimal: Path) -> None:
    environ = {
        "SLACK_BOT_TOKEN": "xoxp-SENSITIVE1",
        "SLACK_SIGNING_SECRET": "xoxb-SENSITIVE2",
        "SLACK_APP_TOKEN": "SENSITIVE3",
        "REVIEW_WEBHOOK_SECRET": "whsec_SENSITIVE4! SENSITIVE5",
        "DATABASE_URL": "postgres://quality:SENSITIVE6/x@db:5432/q",
        "SLACK_API_URL": "ftp://user:SENSITIVE7@proxy",
        "PUBLIC_URL": "user:SENSITIVE8@example.com",
    }

    with pytest.raises(ConfigError) as raised:
        load_settings(environ=environ, cwd=minimal, purpose="serve")

    assert len(raised.value.problems) == len(environ) + 1  # REVIEW_WEBHOOK_SECRET twice
    assert "SENSITIVE" not in str(raised.value)
    assert "SENSITIVE" not in repr(raised.value)


def test_secrets_never_appear_in_repr(minimal: Path) -> None:
    settings = load_settings(
        environ={
            "SLACK_BOT_TOKEN": "xoxb-SENSITIVE1",
            "SLACK_SIGNING_SECRET": "SENSITIVE2",
            "SLACK_APP_TOKEN": "xapp-SENSITIVE3",
            "REVIEW_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "DATABASE_URL": "postgres://quality:SENSITIVE4@db:5432/q",
            "SLACK_API_URL": "https://user:SENSITIVE5@proxy.example.com/api/",
        },
        cwd=minimal,
    )

    shown = repr(settings)

    assert "SENSITIVE" not in shown
    assert WEBHOOK_SECRET not in shown
    assert "postgres://quality:***@db:5432/q" in shown
    assert "slack_signing_secret='***'" in shown
    assert "slack_app_token='***'" in shown


def test_config_error_survives_pickling() -> None:
    # Worker processes hand exceptions back pickled; the problems must come with them.
    error = ConfigError([Problem("environment", "PORT", "must be a number")])

    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert copy.problems == error.problems
    assert str(copy) == "environment: PORT: must be a number"


@pytest.mark.parametrize(
    ("text", "weekday", "time"),
    [
        ("mon 09:00", 0, dt.time(9, 0)),
        ("Tue 7:05", 1, dt.time(7, 5)),
        ("wednesday 23:59", 2, dt.time(23, 59)),
        ("sun 00:00", 6, dt.time(0, 0)),
    ],
)
def test_schedule_parsing(tmp_path: Path, text: str, weekday: int, time: dt.time) -> None:
    write(tmp_path, f"digest:\n  schedule: {text}\n" + MINIMAL)

    schedule = load_settings(environ={}, cwd=tmp_path).quality_file.digest.schedule

    assert (schedule.weekday, schedule.time, schedule.text, str(schedule)) == (
        weekday,
        time,
        text,
        text,
    )


@pytest.mark.parametrize(
    ("zone", "summer_offset"),
    [("UTC", 0), ("Europe/Berlin", 2), ("America/Argentina/Buenos_Aires", -3)],
)
def test_timezone_parsing(tmp_path: Path, zone: str, summer_offset: int) -> None:
    write(tmp_path, f"timezone: {zone}\n" + MINIMAL)

    quality = load_settings(environ={}, cwd=tmp_path).quality_file

    assert quality.timezone == zone
    assert dt.datetime(2026, 7, 1, 12, tzinfo=quality.tz).utcoffset() == dt.timedelta(
        hours=summer_offset
    )


SOURCES = """\
review_sources:
  - preset: zendesk
    name: support-desk
    secret_env: ZENDESK_SECRET
  - preset: appstore
    name: ios
    secret_env: APPSTORE_KEY
    app_id: "1234567890"
    key_id: ABC123
    issuer_id: issuer-1
  - preset: googleplay
    name: android
    secret_env: PLAY_ACCOUNT
    package: com.acme.app
"""


def test_review_sources_need_their_secrets_in_the_shape_of_their_preset(tmp_path: Path) -> None:
    write(tmp_path, MINIMAL + SOURCES)
    assert problems(tmp_path) == [
        "environment: ZENDESK_SECRET: is required by review source 'support-desk': the"
        " webhook's signing secret (Admin Center, Webhooks, Reveal secret)",
        "environment: APPSTORE_KEY: is required by review source 'ios': the App Store Connect"
        " API key (the .p8 file's contents)",
        "environment: PLAY_ACCOUNT: is required by review source 'android': the Google service"
        " account's JSON key",
    ]
    wrong = {
        "ZENDESK_SECRET": "SENSITIVE1",
        "APPSTORE_KEY": "-----BEGIN PRIVATE KEY-----\nSENSITIVE2\n-----END PRIVATE KEY-----",
        "PLAY_ACCOUNT": '{"type": "authorized_user", "refresh_token": "SENSITIVE3"}',
    }
    found = problems(tmp_path, wrong)
    assert found == [
        "environment: APPSTORE_KEY: (review source 'ios') must be the .p8 key's contents, from"
        " -----BEGIN PRIVATE KEY----- on",
        "environment: PLAY_ACCOUNT: (review source 'android') must be a service account's JSON"
        ' key ("type": "service_account")',
    ]
    assert "SENSITIVE" not in str(found)

    private, _ = new_key()
    account = {"type": "service_account", "client_email": "a@b.iam", "private_key": "k",
               "token_uri": "https://oauth2.googleapis.com/token"}  # fmt: skip
    good = {**wrong, "APPSTORE_KEY": private, "PLAY_ACCOUNT": json.dumps(account)}
    settings = load_settings(environ={**SERVABLE, **good}, cwd=tmp_path, purpose="serve")
    assert settings.source_secrets["ZENDESK_SECRET"] == "SENSITIVE1"
    assert "SENSITIVE1" not in repr(settings) and "PRIVATE" not in repr(settings)
    # The commands that do not serve need none of them.
    assert load_settings(environ={}, cwd=tmp_path).source_secrets == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "  - {preset: zendesk, name: support-desk, secret_env: S, app_id: '1'}\n",
            "review_sources[0]: app_id is only for appstore, not zendesk",
        ),
        (
            "  - {preset: appstore, name: ios, secret_env: S, app_id: '1'}\n",
            "review_sources[0]: appstore needs key_id, issuer_id",
        ),
        (
            "  - {preset: yelp, name: yelp, secret_env: S}\n",
            "review_sources[0].preset: must be one of 'zendesk', 'typeform', 'helpscout',"
            " 'intercom', 'trustpilot', 'appstore' or 'googleplay', not 'yelp'",
        ),
        (
            "  - {preset: zendesk, name: typeform, secret_env: S}\n",
            "review_sources: 'typeform' is another preset's name, not a zendesk source's",
        ),
        (
            "  - {preset: zendesk, name: a, secret_env: S}\n"
            "  - {preset: typeform, name: a, secret_env: T}\n",
            "review_sources: two review sources are named 'a'",
        ),
        (
            "  - {preset: typeform, name: survey, secret_env: S, rating_scale: 10-0}\n",
            "review_sources[0].rating_scale: '10-0' must be the lowest and highest rating,"
            " like '0-10'",
        ),
        (
            "  - {preset: googleplay, name: android, secret_env: S, package: a.b,"
            " poll_every_minutes: 2000}\n",
            "review_sources[0].poll_every_minutes: must be at most 1440, not 2000",
        ),
        (
            "  - {preset: intercom, name: ic, secret_env: S, fields: {text: 'data.[item'}}\n",
            "review_sources[0]: fields.text: 'data.[item' is not a JMESPath expression",
        ),
        (
            "  - {preset: zendesk, name: zd, secret_env: zendesk}\n",
            "review_sources[0].secret_env: 'zendesk' must be an environment variable's name,"
            " like ZENDESK_SECRET",
        ),
    ],
)
def test_each_review_source_check(tmp_path: Path, source: str, expected: str) -> None:
    found = yaml_problems(tmp_path, MINIMAL + "review_sources:\n" + source)
    assert found == [f"quality.yml: {expected}"]
