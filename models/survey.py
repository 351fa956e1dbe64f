"""Polls (who was asked what, and where the poll stands) and ratings (what was answered).

The two are kept apart on purpose (SPEC §8): a rating row holds no user id, no timestamp and
no link to its poll, and its id is random, so neither its columns nor its order lead back to
the person who gave it. The poll keeps who was asked, for the fatigue budget and to update
the message; it never keeps the score.
"""

import uuid

from tortoise import fields
from tortoise.models import Model

from models.department import Department

# A poll's life: queued → sending → sent → (reminded) → answered | expired; or skipped, with
# a reason. "sending" is an instance's claim on a queued poll while its DM is on the way.
QUEUED, SENDING, SENT, REMINDED, ANSWERED, EXPIRED, SKIPPED = (
    "queued", "sending", "sent", "reminded", "answered", "expired", "skipped",
)  # fmt: skip
OPEN = (SENT, REMINDED)
COUNTED = (QUEUED, SENDING, SENT, REMINDED, ANSWERED, EXPIRED)  # what the fatigue budget counts


class Poll(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    user_id = fields.CharField(max_length=32, db_index=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="polls", on_delete=fields.CASCADE
    )
    trigger = fields.CharField(max_length=16)  # reaction, webhook, manual, shortcut
    # Unique per served request (a message, an internal tool's id): once per request.
    trigger_key = fields.CharField(max_length=255, unique=True, null=True)
    summary = fields.CharField(max_length=500, default="")
    url = fields.CharField(max_length=1000, null=True)
    status = fields.CharField(max_length=16, default=QUEUED, db_index=True)
    reason = fields.CharField(max_length=64, null=True)  # why it was skipped
    channel = fields.CharField(max_length=32, null=True)  # the DM, once sent
    message_ts = fields.CharField(max_length=32, null=True)
    created_at = fields.DatetimeField()
    sent_at = fields.DatetimeField(null=True, db_index=True)
    reminded_at = fields.DatetimeField(null=True)
    # Set when a poll expires or is skipped, never when it is answered: an answer time would
    # let someone line polls up with ratings.
    closed_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)  # failed sends, for a later retry
    claimed_at = fields.DatetimeField(null=True)  # when "sending" began

    class Meta:
        table = "poll"


class Rating(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="ratings", on_delete=fields.CASCADE
    )
    rater_department = fields.CharField(max_length=64)  # a slug, or "unknown"
    score = fields.SmallIntField()
    comment = fields.TextField(null=True)
    sentiment_label = fields.CharField(max_length=24, null=True)
    sentiment_polarity = fields.FloatField(null=True)
    sentiment_language = fields.CharField(max_length=8, null=True)
    week = fields.CharField(max_length=8, db_index=True)  # ISO week, e.g. 2026-W47

    class Meta:
        table = "rating"


class OptOut(Model):
    user_id = fields.CharField(max_length=32, primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "opt_out"


class FollowUp(Model):
    """A rating its giver chose to put their name to ("IT may contact me about this"):
    the only place a person and an answer meet, and only by their consent."""

    id = fields.IntField(primary_key=True)
    user_id = fields.CharField(max_length=32, db_index=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="follow_ups", on_delete=fields.CASCADE
    )
    score = fields.SmallIntField()
    comment = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    posted = fields.BooleanField(default=False)  # delivered to the alert channel

    class Meta:
        table = "follow_up"
