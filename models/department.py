"""Departments (from quality.yml, or managed by admins in Slack), who belongs to them, and the
Slack names quality.yml uses, as last resolved."""

from typing import Any

from tortoise import fields
from tortoise.models import Model

# Where a department is defined, and so where it is changed.
FROM_FILE, FROM_SLACK = "quality.yml", "slack"


class Department(Model):
    """A department as configured. Rows are never deleted: ratings and reviews keep
    pointing at a department after it leaves the configuration or is retired, which marks it
    inactive."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)
    # FROM_FILE or FROM_SLACK; the database default fills the rows of an upgraded database.
    origin = fields.CharField(max_length=16, default=FROM_FILE, db_default=FROM_FILE)
    # A department managed in Slack: its settings, as a department of quality.yml has them
    # (Slack ids only). None for one from quality.yml, whose settings are the file's.
    settings: fields.Field[dict[str, Any] | None] = fields.JSONField(null=True)

    memberships: fields.ReverseRelation["Membership"]

    class Meta:
        table = "department"


class Membership(Model):
    """One person in one department, from one source: the configured `members` list or
    the department's Slack user group. Sources are kept apart so that a user-group sync
    never removes someone listed by hand, and the other way round."""

    id = fields.IntField(primary_key=True)
    user_id = fields.CharField(max_length=32, db_index=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="memberships", on_delete=fields.CASCADE
    )
    source = fields.CharField(max_length=16)  # "config" or "usergroup"
    synced_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "membership"
        unique_together = (("user_id", "department", "source"),)


class SlackName(Model):
    """A Slack name quality.yml uses, and the id it stood for when last resolved.

    Names such as #it-help, @ines, ines@acme.com and @it-team. Used when Slack cannot be
    asked, and by the commands that do not ask it. An erasure deletes the rows naming the
    person erased."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharField(max_length=16)  # channel, user or usergroup
    name = fields.CharField(max_length=255)
    slack_id = fields.CharField(max_length=32, db_index=True)
    resolved_at = fields.DatetimeField()

    class Meta:
        table = "slack_name"
        unique_together = (("kind", "name"),)
