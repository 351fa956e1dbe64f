"""The audit log: every view of comments, every export, every erasure, every action recorded
or updated, every department added, edited or retired in Slack, and every sample poll an
admin sent themselves."""

from tortoise import fields
from tortoise.models import Model

# What was done.
VIEW_COMMENTS, EXPORT, ERASE, ACTION = "view_comments", "export", "erase", "action"
DEPARTMENT, SAMPLE_POLL = "department", "sample_poll"


class AuditEntry(Model):
    id = fields.IntField(primary_key=True)
    at = fields.DatetimeField(db_index=True)
    actor = fields.CharField(max_length=64)  # a Slack user id, or "cli" for the command line
    action = fields.CharField(max_length=32)
    # What it concerned: a department slug, or for an erasure the person erased (their id is
    # what an admin needs to answer "was I erased?"; nothing else about them is kept).
    subject = fields.CharField(max_length=255)
    detail = fields.TextField(default="")  # e.g. "weeks=4 via /quality report"

    class Meta:
        table = "audit_entry"
