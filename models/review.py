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
    rating = fields.FloatField(null=True)  # 1 to 5
    rating_original = fields.CharField(max_length=32, null=True)  # as the source gave it: "Great"
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
    # The alert that quoted it alone, once posted: deleted in Slack if its source deletes it.
    alert_channel = fields.CharField(max_length=32, null=True)
    alert_ts = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "review"
        unique_together = (("source", "external_id"),)


class DeletedReview(Model):
    """A review its source deleted: the review is gone, this keeps a redelivery from reviving it."""

    id = fields.IntField(primary_key=True)
    source = fields.CharField(max_length=64)
    external_id = fields.CharField(max_length=255)
    deleted_at = fields.DatetimeField()

    class Meta:
        table = "deleted_review"
        unique_together = (("source", "external_id"),)


class ReviewPoll(Model):
    """A polled review source: where its last pass got to, and which instance polls it now."""

    id = fields.IntField(primary_key=True)
    source = fields.CharField(max_length=64, unique=True)  # the source's name in quality.yml
    # How far passes got: {"seen": the newest time a finished pass covered, "resume": where an
    # unfinished pass goes on, "top": the newest time that pass has seen}.
    cursor: fields.Field[dict[str, object]] = fields.JSONField(default=dict)
    owner = fields.CharField(max_length=64, null=True)  # the instance holding the lease
    lease_until = fields.DatetimeField(null=True)
    next_at = fields.DatetimeField()  # not polled again before this
    polled_at = fields.DatetimeField(null=True)  # the last pass that finished
    failures = fields.IntField(default=0)  # passes failed in a row
    error = fields.CharField(max_length=500, null=True)  # why the last pass failed

    class Meta:
        table = "review_poll"
