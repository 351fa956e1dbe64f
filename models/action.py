"""What a department does about what its figures show: an owned action with a due date."""

from tortoise import fields
from tortoise.models import Model

from models.department import Department

OPEN, DONE, DROPPED = "open", "done", "dropped"
STATUSES = (OPEN, DONE, DROPPED)


class Action(Model):
    """An action on a finding: what will change, who owns it, by when, and how it ended.

    It names its owner and who recorded it (Slack user ids): accountability is the point. It
    says nothing of anyone's answer."""

    id = fields.IntField(primary_key=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="actions", on_delete=fields.CASCADE
    )
    what = fields.TextField()  # what will change
    addresses = fields.TextField(default="")  # the finding it answers, in words
    week = fields.CharField(max_length=8)  # the week of that finding
    owner = fields.CharField(max_length=32, null=True)  # None once the owner is erased
    created_by = fields.CharField(max_length=32, null=True)
    created_at = fields.DatetimeField()
    due = fields.DateField()
    status = fields.CharField(max_length=16, default=OPEN, db_index=True)
    note = fields.TextField(default="")  # what was done, or why it was dropped
    closed_at = fields.DatetimeField(null=True)  # when it was done or dropped
    reminded_at = fields.DatetimeField(null=True)  # its owner was reminded it is due
    # "You said, we did": when its people were to be told (their DMs are `announcement` rows),
    # and its post in the team channel: "" (none), queued, sending, sent.
    announced_at = fields.DatetimeField(null=True)
    team_post = fields.CharField(max_length=16, default="")
    team_post_claimed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "action"


QUEUED, SENDING, SENT, SKIPPED = "queued", "sending", "sent", "skipped"


class Announcement(Model):
    """You said, we did: one DM about a done action to someone asked about its department.

    They were *asked* about it in the week the action answers (from polls, never from
    ratings); once per person and action, within the fatigue budget and opt-outs."""

    id = fields.IntField(primary_key=True)
    action: fields.ForeignKeyRelation[Action] = fields.ForeignKeyField(
        "quality.Action", related_name="announcements", on_delete=fields.CASCADE
    )
    user_id = fields.CharField(max_length=32, db_index=True)
    status = fields.CharField(max_length=16, default=QUEUED, db_index=True)
    reason = fields.CharField(max_length=32, null=True)  # why it was skipped
    claimed_at = fields.DatetimeField(null=True)
    sent_at = fields.DatetimeField(null=True)  # counts in the person's weekly budget
    channel = fields.CharField(max_length=32, null=True)  # the DM, for erasure
    ts = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "announcement"
        unique_together = (("action", "user_id"),)
