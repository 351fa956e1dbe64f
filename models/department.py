"""Departments (synced from quality.yml) and who belongs to them."""

from tortoise import fields
from tortoise.models import Model


class Department(Model):
    """A department as configured. Rows are never deleted: ratings and reviews keep
    pointing at a department after it leaves the configuration, which marks it inactive."""

    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64, unique=True)
    name = fields.CharField(max_length=200)
    active = fields.BooleanField(default=True)
    updated_at = fields.DatetimeField(auto_now=True)

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
