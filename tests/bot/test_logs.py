import logging

import pytest

from bot.logs import RedactingFormatter, redact


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


def test_database_password_and_bearer_are_redacted() -> None:
    line = redact("postgres://quality:s3cr3t@db:5432/q Authorization: Bearer xyz.abc")
    assert "s3cr3t" not in line and "xyz.abc" not in line
    assert "postgres://" in line and "db:5432/q" in line


def test_ordinary_text_is_left_alone() -> None:
    text = "department it: 12 responses, average 4.1 (UTC), URL https://acme.test/x"
    assert redact(text) == text


def test_formatter_redacts_tracebacks_too() -> None:
    try:
        raise ValueError("token xoxb-1-2-3 for U0123ABCDEF")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, None)
        import sys

        record.exc_info = sys.exc_info()
    out = RedactingFormatter("%(message)s").format(record)
    assert "xoxb-1-2-3" not in out and "U0123ABCDEF" not in out
    assert "ValueError" in out
