"""`quality.yml` as frozen pydantic models, and the reading that turns its mistakes into words.

This is the one place to import them from. They live in three modules, each depending only on
the one before it:

- `bot.config.quality_fields`: the checked values (Slack IDs, slugs, reactions, time zones,
  schedules);
- `bot.config.quality_models`: the sections of the file, and the departments' conflict check;
- `bot.config.quality_yaml`: reading the YAML and wording every mistake as a `(key, reason)` pair.
"""

from __future__ import annotations

from bot.config.quality_fields import (
    ChannelId,
    PositiveInt,
    Schedule,
    Slug,
    Text,
    UsergroupId,
    UserId,
)
from bot.config.quality_models import (
    AlertsConfig,
    DepartmentConfig,
    DigestConfig,
    Loc,
    PrivacyConfig,
    QualityConfig,
    SurveysConfig,
)
from bot.config.quality_yaml import (
    QualityConfigError,
    format_key,
    parse_quality_config,
    read_quality_config,
)

__all__ = [
    "AlertsConfig",
    "ChannelId",
    "DepartmentConfig",
    "DigestConfig",
    "Loc",
    "PositiveInt",
    "PrivacyConfig",
    "QualityConfig",
    "QualityConfigError",
    "Schedule",
    "Slug",
    "SurveysConfig",
    "Text",
    "UserId",
    "UsergroupId",
    "format_key",
    "parse_quality_config",
    "read_quality_config",
]
