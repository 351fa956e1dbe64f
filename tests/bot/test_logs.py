import io
import logging
import sys
from collections.abc import Iterator

import pytest

from bot.runtime.logs import LIBRARY_LOGGERS, RedactingFormatter, configure_logging, redact

# Touches no database: run once, in the SQLite run.
pytestmark = pytest.mark.same_on_either_database


@pytest.fixture
def restored_logging() -> Iterator[None]:
    """configure_logging changes process-wide state: put the root's handlers and level, and
    the libraries' levels, back for the tests that follow."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    levels = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, saved in levels.items():
        logging.getLogger(name).setLevel(saved)


@pytest.mark.parametrize(
    "secret",
    [
        "xoxb-1234-5678-abcdefABCDEF",
        "xapp-1-A0123-4567-abcdef",
        "xoxp-99-88-77",
        "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
        "U0123ABCDEF",
        "W0123ABCDEF",
    ],
)
def test_secrets_and_user_ids_never_reach_a_log_line(secret: str) -> None:
    assert secret not in redact(f"calling with {secret} now")


@pytest.mark.parametrize("user_id", ["U0BOT", "U12345", "W0ABC12", "U024BE7LH", "UABCDEFGH"])
def test_user_ids_of_every_length_are_redacted(user_id: str) -> None:
    for line in (f"user {user_id}.", f"'user': '{user_id}'", f"user_id={user_id}&x=1"):
        assert user_id not in redact(line)
        assert "[user]" in redact(line)


def test_ids_next_to_underscores_and_percent_escapes_are_redacted() -> None:
    line = redact("key_U0BOT users=U0FIN0001%2CU12345")
    assert line == "key_[user] users=[user]%2C[user]"


@pytest.mark.parametrize(
    ("mention", "name"),
    [("<@U0FIN0001>", None), ("<@U0BOT|fiona>", "fiona"), ("<@W0ABC12|Wanda Grid>", "Wanda")],
)
def test_mentions_go_whole_with_the_name_in_them(mention: str, name: str | None) -> None:
    line = redact(f"follow up with {mention} please")
    assert line == "follow up with [user] please"
    assert name is None or name not in line


@pytest.mark.parametrize(
    "email",
    ["fiona@acme.example", "fiona.finch+it@mail.acme.example", "fiona%40acme.example"],
)
def test_email_addresses_are_redacted(email: str) -> None:
    assert redact(f"looking up email={email}&x=1") == "looking up email=[email]&x=1"


def test_database_password_and_bearer_are_redacted() -> None:
    line = redact("postgres://quality:s3cr3t@db:5432/q Authorization: Bearer xyz.abc")
    assert "s3cr3t" not in line and "xyz.abc" not in line
    assert "postgres://" in line and "db:5432/q" in line


def test_ordinary_text_is_left_alone() -> None:
    text = "department it: 12 responses, average 4.1 (UTC), URL https://acme.test/x"
    assert redact(text) == text


@pytest.mark.parametrize(
    "text",
    [
        "URL UTC WAL UPDATE WARNING USER WHERE",  # no digit, shorter than 9: words, not ids
        "PRAGMA journal_mode=WAL; UPDATE poll SET status='sent'",
        "channel C0ITHELP1 in team T0TEST, bot B0BOT, DM D0ABC12",  # not people
        "U1 and W9 are too short to be anyone",
        "week 2026-W47",
    ],
)
def test_ordinary_words_are_not_taken_for_user_ids(text: str) -> None:
    assert redact(text) == text


def test_formatter_redacts_tracebacks_too() -> None:
    try:
        raise ValueError("token xoxb-1-2-3 for U0BOT <fiona@acme.example>")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
        record.exc_info = sys.exc_info()
    out = RedactingFormatter("%(message)s").format(record)
    assert "xoxb-1-2-3" not in out and "U0BOT" not in out and "fiona@" not in out
    assert "ValueError" in out


@pytest.mark.usefixtures("restored_logging")
def test_debug_keeps_sql_and_slack_bodies_at_info_but_ours_at_debug() -> None:
    configure_logging("DEBUG")
    assert logging.getLogger("tortoise.db_client").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("aiosqlite").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("slack_sdk").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("slack_sdk.web.async_base_client").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("slack_bolt.AsyncApp").getEffectiveLevel() == logging.INFO
    assert logging.getLogger("bot.something").getEffectiveLevel() == logging.DEBUG
    assert logging.getLogger("handlers.views").getEffectiveLevel() == logging.DEBUG


@pytest.mark.usefixtures("restored_logging")
def test_a_library_debug_line_is_not_written_and_ours_is() -> None:
    configure_logging("DEBUG")
    [handler] = logging.getLogger().handlers
    assert isinstance(handler, logging.StreamHandler)
    buffer = io.StringIO()
    handler.setStream(buffer)
    logging.getLogger("tortoise.db_client").debug("INSERT INTO rating VALUES (?): [1, 'slow']")
    logging.getLogger("bot.surveys").debug("poll step for U0BOT")
    assert buffer.getvalue().endswith("DEBUG bot.surveys: poll step for [user]\n")
    assert "INSERT" not in buffer.getvalue()


@pytest.mark.usefixtures("restored_logging")
def test_a_quieter_level_quiets_the_libraries_too() -> None:
    configure_logging("WARNING")
    assert logging.getLogger("tortoise.db_client").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("slack_sdk").getEffectiveLevel() == logging.WARNING
    assert logging.getLogger("bot.something").getEffectiveLevel() == logging.WARNING
