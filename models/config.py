"""The tortoise configuration, built from a database URL (never from the environment here)."""

from typing import Any

APP_LABEL = "quality"
MODEL_MODULES = [
    "models.audit",
    "models.department",
    "models.digest",
    "models.review",
    "models.slack_event",
    "models.survey",
]


def tortoise_config(database_url: str) -> dict[str, Any]:
    return {
        "connections": {"default": database_url},
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
