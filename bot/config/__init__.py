"""Settings: the environment (`settings`, its checks in `env_checks`) and quality.yml, and how a
mistake in either is worded (`problems`; `validation` words webhook payloads and imports the
same way). Import from `bot.config` only: the modules behind it are its own business.

quality.yml lives in three modules, each depending only on the one before it:

- `quality_fields`: the checked values (Slack IDs, slugs, reactions, time zones, schedules);
- `quality_models`: the sections of the file as frozen pydantic models, and the departments'
  conflict check;
- `quality_yaml`: reading the YAML and wording every mistake as a `(key, reason)` pair.

`live` holds the configuration in effect while the app runs: the file with its Slack names
resolved, and the departments managed in Slack.

May use: the standard library, pydantic, PyYAML, python-dotenv and jmespath (to check the
field paths of `review_sources`). Nothing here talks to Slack or the database.
"""

from bot.config.live import LiveQuality, QualitySource, current
from bot.config.problems import ENVIRONMENT, ConfigError, Problem
from bot.config.quality_fields import Kind, Schedule, is_slack_id
from bot.config.quality_models import (
    HIGH,
    LOW,
    DepartmentConfig,
    QualityConfig,
    StandardConfig,
)
from bot.config.quality_yaml import format_key, parse_quality_config, read_quality_config
from bot.config.review_sources import FIELDS, ReviewSourceConfig
from bot.config.settings import VARIABLES, Settings, check_config, load_settings
from bot.config.validation import describe_errors

__all__ = [
    "ENVIRONMENT",
    "FIELDS",
    "HIGH",
    "LOW",
    "VARIABLES",
    "ConfigError",
    "DepartmentConfig",
    "Kind",
    "LiveQuality",
    "Problem",
    "QualityConfig",
    "QualitySource",
    "ReviewSourceConfig",
    "Schedule",
    "Settings",
    "StandardConfig",
    "check_config",
    "current",
    "describe_errors",
    "format_key",
    "is_slack_id",
    "load_settings",
    "parse_quality_config",
    "read_quality_config",
]
