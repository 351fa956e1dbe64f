"""Customer reviews, as their sources sent them, routed and scored."""

from tortoise import fields
from tortoise.models import Model

from models.department import Department

# Where a review's alert stands: none needed, waiting, on its way, delivered.
ALERT_NONE, ALERT_PENDING, ALERT_SENDING, ALERT_SENT = "none", "pending", "sending", "sent"


class Review(Model):
    id = fields.IntField(primary_key=True)
    source = fields.CharField(max_length=64)
    external_id = fields.CharField(max_length=255)  # the source's own id
    department: fields.ForeignKeyNullableRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="reviews", null=True, on_delete=fields.SET_NULL
    )
    routed_by = fields.CharField(max_length=16)  # field, keyword, fallback
    rating = fields.FloatField(null=True)
    title = fields.CharField(max_length=500, null=True)
    text = fields.TextField(null=True)
    author = fields.CharField(max_length=200, null=True)
    language = fields.CharField(max_length=8, null=True)  # as given, else as detected
    url = fields.CharField(max_length=2000, null=True)
    created_at = fields.DatetimeField()  # when written, as the source says; decides the week
    week = fields.CharField(max_length=8, db_index=True)
    received_at = fields.DatetimeField()
    content_hash = fields.CharField(max_length=64)  # tells an edit from a redelivery
    sentiment_label = fields.CharField(max_length=24, null=True)
    sentiment_polarity = fields.FloatField(null=True)
    sentiment_language = fields.CharField(max_length=8, null=True)
    disagrees = fields.BooleanField(default=False)  # the stars and the words say opposite things
    alert = fields.CharField(max_length=8, default=ALERT_NONE, db_index=True)
    alert_claimed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "review"
        unique_together = (("source", "external_id"),)
