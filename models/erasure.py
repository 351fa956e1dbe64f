"""Slack messages the app posted that must go, waiting to be deleted: those that name a person
who was erased, and the alert that quoted a review its source deleted."""

from tortoise import fields
from tortoise.models import Model


class MessageToDelete(Model):
    """Written in the erasure's transaction, deleted once `chat.delete` took the message (or
    Slack says it is gone): an erasure finishes in Slack even when Slack was down at the time."""

    id = fields.IntField(primary_key=True)
    channel = fields.CharField(max_length=32)
    ts = fields.CharField(max_length=32)
    attempts = fields.IntField(default=0)

    class Meta:
        table = "message_to_delete"
        unique_together = (("channel", "ts"),)
