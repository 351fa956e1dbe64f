"""Polls (who was asked what, and where the poll stands), answers held before release, and
ratings (what was answered).

Who answered and what they answered are kept apart (docs/privacy.md says it for users):
- an answer is committed, at once, as a `HeldAnswer`: the rated department, the rater's
  department, the score, the comment, the reasons picked and the week — no user id, no link
  to the poll;
- answers are released into `Rating` in shuffled batches, in transactions of their own, so no
  system column, row order or id ties a rating to the moment or the poll it came from; when a
  week closes, its ratings are written again, all at once and shuffled, and its polls lose the
  difference between answered and expired;
- an `AnswerMark` keeps "this person rated this department this week" while the week is open,
  for the one-rating-a-week rule, and is deleted when the week closes.
"""

import uuid

from tortoise import fields
from tortoise.models import Model
from tortoise.queryset import QuerySet

from models.department import Department

# A poll's life: queued → sending → sent → (reminded) → answered | expired → closed; or
# skipped, with a reason. "sending" is an instance's claim on a queued poll while its DM is on
# the way. "closed" is answered or expired once the week is closed: no one can tell which.
QUEUED, SENDING, SENT, REMINDED, ANSWERED, EXPIRED, CLOSED, SKIPPED = (
    "queued", "sending", "sent", "reminded", "answered", "expired", "closed", "skipped",
)  # fmt: skip
OPEN = (SENT, REMINDED)
FINISHED = (ANSWERED, EXPIRED)  # what a week's close folds into CLOSED
# What the fatigue budget counts: every poll that was or will be sent.
COUNTED = (QUEUED, SENDING, SENT, REMINDED, ANSWERED, EXPIRED, CLOSED)
# A rating's rater department when the rater is in no department, or when the group of raters
# from theirs was too small to name once the week closed.
UNKNOWN_RATER = "unknown"


class Poll(Model):
    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    user_id = fields.CharField(max_length=32, db_index=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="polls", on_delete=fields.CASCADE
    )
    trigger = fields.CharField(max_length=16)  # reaction, webhook
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
    # Cleared when the week closes: "never reminded" would tell an early answer.
    reminded_at = fields.DatetimeField(null=True)
    # Set when a poll is skipped, never when it is answered or expires: a time of closing
    # would let someone line polls up with the moment ratings appeared.
    closed_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)  # failed sends, for a later retry
    claimed_at = fields.DatetimeField(null=True)  # when "sending" began

    class Meta:
        table = "poll"

    @classmethod
    def waiting_for(cls, user_id: str) -> "QuerySet[Poll]":
        """The polls in this person's DMs still waiting for their answer."""
        return cls.filter(user_id=user_id, status__in=OPEN)


class HeldAnswer(Model):
    """An answer committed when it was given, waiting to be released into the ratings with
    others. It names no one; sentiment is scored after release (bot/surveys/scoring.py).

    While its reasons may still be picked, it keeps a random `token` (which only the
    thank-you offering them carries) until `open_until`, and is not released before."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="held_answers", on_delete=fields.CASCADE
    )
    rater_department = fields.CharField(max_length=64)
    score = fields.SmallIntField()
    comment = fields.TextField(null=True)
    reasons: fields.Field[list[str] | None] = fields.JSONField(null=True)
    week = fields.CharField(max_length=8, db_index=True)
    token = fields.CharField(max_length=32, unique=True, null=True)
    open_until = fields.DatetimeField(null=True)

    class Meta:
        table = "held_answer"


class Rating(Model):
    """A released answer: no user id, no time, no link to a poll, a random id. A comment whose
    sentiment is not scored yet has no `sentiment_label` (pending)."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="ratings", on_delete=fields.CASCADE
    )
    rater_department = fields.CharField(max_length=64)
    score = fields.SmallIntField()
    comment = fields.TextField(null=True)
    reasons: fields.Field[list[str] | None] = fields.JSONField(null=True)  # picked, if any
    sentiment_label = fields.CharField(max_length=24, null=True)
    sentiment_polarity = fields.FloatField(null=True)
    sentiment_language = fields.CharField(max_length=8, null=True)
    week = fields.CharField(max_length=8, db_index=True)  # ISO week, e.g. 2026-W47

    class Meta:
        table = "rating"


class AnswerMark(Model):
    """That a person rated a department in the open week (by poll or by hand): one rating per
    person, department and week, kept by the unique key. Deleted when the week closes."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    user_id = fields.CharField(max_length=32, db_index=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="answer_marks", on_delete=fields.CASCADE
    )
    week = fields.CharField(max_length=8)
    by_hand = fields.BooleanField(default=False)  # a rating by hand spends the weekly budget

    class Meta:
        table = "answer_mark"
        unique_together = (("user_id", "department", "week"),)


class PollTally(Model):
    """How many of a department's polls were sent in a week, and how many of those were
    answered within it: counted when the week closes, from polls that then forget which."""

    id = fields.IntField(primary_key=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="poll_tallies", on_delete=fields.CASCADE
    )
    week = fields.CharField(max_length=8)
    sent = fields.IntField()
    answered = fields.IntField()

    class Meta:
        table = "poll_tally"
        unique_together = (("department", "week"),)


class ResolutionTime(Model):
    """How long one served request took, naming no one.

    The hours from the request to its resolution, in the week it was resolved: written once
    with the request's poll (whether or not the poll is sent). Several make a department's
    time to resolution."""

    id = fields.IntField(primary_key=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="resolutions", on_delete=fields.CASCADE
    )
    week = fields.CharField(max_length=8, db_index=True)
    hours = fields.FloatField()

    class Meta:
        table = "resolution"


class ClosedWeek(Model):
    """A week whose answers are released and whose polls are folded into tallies."""

    week = fields.CharField(max_length=8, primary_key=True)

    class Meta:
        table = "closed_week"


class OptOut(Model):
    user_id = fields.CharField(max_length=32, primary_key=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "opt_out"


class FollowUp(Model):
    """A comment its writer chose to put their name to ("IT may contact me about this"): the
    only place a person and what they said meet, and only by their consent. It keeps no score,
    and its comment is not among the anonymous ratings: a signed answer never lets anyone work
    out someone else's by subtraction. It arrives in the alert channel as a case to claim and
    resolve — every one, whatever its score: a case only for a 1 or 2 would tell it."""

    id = fields.IntField(primary_key=True)
    user_id = fields.CharField(max_length=32, db_index=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="follow_ups", on_delete=fields.CASCADE
    )
    comment = fields.TextField(null=True)
    created_at = fields.DatetimeField()
    # Its rating's week: the signed are left out when counting who a quote may be from.
    week = fields.CharField(max_length=8, null=True)
    posted = fields.BooleanField(default=False)  # delivered to the alert channel
    channel = fields.CharField(max_length=32, null=True)  # where it was posted, for erasure
    ts = fields.CharField(max_length=32, null=True)
    # As a case in the alert channel: who claimed it and when, who resolved it, when and how,
    # and when an unclaimed one was nudged.
    posted_at = fields.DatetimeField(null=True)
    claimed_by = fields.CharField(max_length=32, null=True)
    claimed_at = fields.DatetimeField(null=True)
    resolved_by = fields.CharField(max_length=32, null=True)
    resolved_at = fields.DatetimeField(null=True)
    resolution = fields.TextField(null=True)
    nudged_at = fields.DatetimeField(null=True)

    class Meta:
        table = "follow_up"


class Thanks(Model):
    """A thanks to a department, posted to its team channel.

    It keeps no score and no time: one unsigned names no one and waits for the day's batch
    (`post_after`, shared by all of that day's); one signed keeps who signed it, for erasure,
    and is posted at once.

    `token` is the one the thank-you offered with a 4 or 5, spent here: one thanks per
    answer, so per person, department and week."""

    id = fields.UUIDField(primary_key=True, default=uuid.uuid4)
    token = fields.CharField(max_length=32, unique=True)
    department: fields.ForeignKeyRelation[Department] = fields.ForeignKeyField(
        "quality.Department", related_name="thanks", on_delete=fields.CASCADE
    )
    week = fields.CharField(max_length=8, db_index=True)
    comment = fields.TextField(null=True)
    signed_by = fields.CharField(max_length=32, null=True, db_index=True)
    post_after = fields.DatetimeField()
    status = fields.CharField(max_length=16, default=QUEUED)  # queued → sending → sent
    claimed_at = fields.DatetimeField(null=True)
    channel = fields.CharField(max_length=32, null=True)  # where it was posted, for erasure
    ts = fields.CharField(max_length=32, null=True)

    class Meta:
        table = "thanks"
