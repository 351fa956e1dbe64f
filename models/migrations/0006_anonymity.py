from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields
from datetime import UTC, datetime
import secrets

# Ratings written before this release may share a transaction with the poll they answered
# (PostgreSQL's xmin) or sit in the order they were given (SQLite's rowid): that link is history
# and cannot be cut in place. They are copied out, the table is emptied (TRUNCATE gives
# PostgreSQL a new file, so the old row versions are gone with the old one) and they are
# written back in shuffled order, in this migration's transaction.
_RATING_COLUMNS = (
    "id", "department_id", "rater_department", "score", "comment", "sentiment_label",
    "sentiment_polarity", "sentiment_language", "week",
)


async def _shuffle_ratings(apps, schema_editor) -> None:
    client = schema_editor.client
    columns = ", ".join(_RATING_COLUMNS)
    rows = await client.execute_query_dict(f"SELECT {columns} FROM rating")
    secrets.SystemRandom().shuffle(rows)
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_query("TRUNCATE rating" if postgres else "DELETE FROM rating")
    marks = ", ".join(
        f"${n}" if postgres else "?" for n in range(1, len(_RATING_COLUMNS) + 1)
    )
    if rows:
        await client.execute_many(
            f"INSERT INTO rating ({columns}) VALUES ({marks})",
            [[row[c] for c in _RATING_COLUMNS] for row in rows],
        )


async def _weeks_of_follow_ups(apps, schema_editor) -> None:
    """A follow-up now keeps its week; older ones get the ISO week of their time in UTC (the
    configured time zone is not known here: at most a few hours at a week's edge differ)."""
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    rows = await client.execute_query_dict("SELECT id, created_at FROM follow_up")
    for row in rows:
        at = row["created_at"]
        if isinstance(at, str):
            at = datetime.fromisoformat(at)
        if at.tzinfo is None:
            at = at.replace(tzinfo=UTC)
        year, week, _ = at.astimezone(UTC).isocalendar()
        marks = ("$1", "$2") if postgres else ("?", "?")
        await client.execute_query(
            f"UPDATE follow_up SET week = {marks[0]} WHERE id = {marks[1]}",
            [f"{year}-W{week:02d}", row["id"]],
        )


# Ratings whose comment waits to be scored (bot/surveys/release.py looks for them every step):
# an index of exactly those rows, empty most of the time. Models cannot declare a partial
# index; a migration that rebuilds the table must create it again.
_PENDING_INDEX = (
    "CREATE INDEX IF NOT EXISTS idx_rating_pending ON rating (id)"
    " WHERE comment IS NOT NULL AND sentiment_label IS NULL"
)


# A rating by hand was stored as a poll marked answered: a row that says who rated what, when.
# The ratings stay; the record of who gave them goes.
_FORGET_RATINGS_BY_HAND = "DELETE FROM poll WHERE trigger IN ('manual', 'shortcut')"


class Migration(migrations.Migration):
    dependencies = [('quality', '0005_audit')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AnswerMark',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user_id', fields.CharField(db_index=True, max_length=32)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='answer_marks', on_delete=OnDelete.CASCADE)),
                ('week', fields.CharField(max_length=8)),
                ('by_hand', fields.BooleanField(default=False)),
            ],
            options={'table': 'answer_mark', 'app': 'quality', 'unique_together': (('user_id', 'department', 'week'),), 'pk_attr': 'id', 'table_description': 'That a person rated a department in the open week (by poll or by hand): one rating per'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ClosedWeek',
            fields=[
                ('week', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=8)),
            ],
            options={'table': 'closed_week', 'app': 'quality', 'pk_attr': 'week', 'table_description': 'A week whose answers are released and whose polls are folded into tallies.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='HeldAnswer',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='held_answers', on_delete=OnDelete.CASCADE)),
                ('rater_department', fields.CharField(max_length=64)),
                ('score', fields.SmallIntField()),
                ('comment', fields.TextField(null=True, unique=False)),
                ('week', fields.CharField(db_index=True, max_length=8)),
            ],
            options={'table': 'held_answer', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'An answer committed when it was given, waiting to be released into the ratings with'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MessageToDelete',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('channel', fields.CharField(max_length=32)),
                ('ts', fields.CharField(max_length=32)),
                ('attempts', fields.IntField(default=0)),
            ],
            options={'table': 'message_to_delete', 'app': 'quality', 'unique_together': (('channel', 'ts'),), 'pk_attr': 'id', 'table_description': "Written in the erasure's transaction, deleted once `chat.delete` took the message (or"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PollTally',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='poll_tallies', on_delete=OnDelete.CASCADE)),
                ('week', fields.CharField(max_length=8)),
                ('sent', fields.IntField()),
                ('answered', fields.IntField()),
            ],
            options={'table': 'poll_tally', 'app': 'quality', 'unique_together': (('department', 'week'),), 'pk_attr': 'id', 'table_description': "How many of a department's polls were sent in a week, and how many of those were"},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='FollowUp',
            options={'table': 'follow_up', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'A comment its writer chose to put their name to ("IT may contact me about this"): the'},
        ),
        ops.AddField(
            model_name='FollowUp',
            name='channel',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='ts',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='week',
            field=fields.CharField(null=True, max_length=8),
        ),
        ops.RemoveField(model_name='FollowUp', name='score'),
        ops.AlterModelOptions(
            name='Rating',
            options={'table': 'rating', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'A released answer: no user id, no time, no link to a poll, a random id. A comment whose'},
        ),
        ops.RunPython(_weeks_of_follow_ups),
        ops.RunSQL(_FORGET_RATINGS_BY_HAND),
        ops.RunPython(_shuffle_ratings),
        ops.RunSQL(_PENDING_INDEX),
    ]
