"""The tortoise configuration, built from a database URL (never from the environment here)."""

from typing import Any

from tortoise.backends.base.config_generator import expand_db_url

APP_LABEL = "quality"
MODEL_MODULES = [
    "models.action",
    "models.audit",
    "models.department",
    "models.digest",
    "models.erasure",
    "models.installation",
    "models.review",
    "models.sentiment",
    "models.slack_event",
    "models.survey",
]


def tortoise_config(database_url: str) -> dict[str, Any]:
    connection = expand_db_url(database_url)
    if connection["engine"] == "tortoise.backends.sqlite":
        # Deleted rows (answers once released, what an erasure removed) are overwritten with
        # zeros in the file, rather than left readable in its free pages.
        connection["credentials"].setdefault("secure_delete", "ON")
        # One writer at a time: a command started beside `serve` (or several at once) waits
        # up to 30 s for the write lock, rather than the driver's 5 s, before it gives up.
        connection["credentials"].setdefault("busy_timeout", "30000")
        # Transactions that take the write lock when they begin: see models/sqlite.py.
        connection["engine"] = "models.sqlite"
    elif connection["engine"] == "tortoise.backends.asyncpg":
        # Connections given back when a transaction cannot begin: see models/postgres.py.
        connection["engine"] = "models.postgres"
    return {
        "connections": {"default": connection},
        "apps": {
            APP_LABEL: {
                "models": MODEL_MODULES,
                "default_connection": "default",
                "migrations": "models.migrations",
            }
        },
        "use_tz": True,
        "timezone": "UTC",
    }
