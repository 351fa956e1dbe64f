"""Digest posts: one claim per (week, channel), and each message it sends.

The claim's unique key makes a week's digest one post per channel across restarts and
instances; its lease says who is posting it now. Each part (the message, thread replies, the
chart, a manager's DM) is recorded before it is sent and after Slack took it, so a post that
stopped midway resumes where it stopped and can tell "maybe sent" from "never sent".
"""

from tortoise import fields
from tortoise.models import Model

# A claim. "skipped": the scheduler passed the week over (it ended before the installation, or
# nothing happened in it); it can still be posted by hand (bot/digest/schedule.py).
PENDING, DONE, SKIPPED = "pending", "done", "skipped"
SENDING, SENT, FAILED = "sending", "sent", "failed"  # a part


class DigestPost(Model):
    id = fields.IntField(primary_key=True)
    week = fields.CharField(max_length=8)  # e.g. 2026-W47
    channel = fields.CharField(max_length=32)
    status = fields.CharField(max_length=8, default=PENDING)
    owner = fields.CharField(max_length=64, null=True)  # the instance holding the lease
    lease_until = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    created_at = fields.DatetimeField()
    posted_at = fields.DatetimeField(null=True)

    parts: fields.ReverseRelation["DigestPart"]

    class Meta:
        table = "digest_post"
        unique_together = (("week", "channel"),)


class DigestPart(Model):
    id = fields.IntField(primary_key=True)
    post: fields.ForeignKeyRelation[DigestPost] = fields.ForeignKeyField(
        "quality.DigestPost", related_name="parts", on_delete=fields.CASCADE
    )
    key = fields.CharField(max_length=80)  # "main", "thread-2", "chart", "dm-it-U0IT00001"
    status = fields.CharField(max_length=8, default=SENDING)
    channel = fields.CharField(max_length=32, null=True)
    ts = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "digest_part"
        unique_together = (("post", "key"),)
