"""Slack event ids already taken, so a redelivered event never runs a listener twice."""

from tortoise import fields
from tortoise.models import Model


class ProcessedEvent(Model):
    event_id = fields.CharField(max_length=64, primary_key=True)
    received_at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "processed_event"
