from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from datetime import UTC, date, datetime

# When was a database that already holds history installed? The weekly digest is posted for no
# week that ended before the installation (nothing was asked then), so an existing install must
# count as installed from its earliest record, or it would stop posting the weeks it has always
# posted. A new database (every table empty) gets its row at the app's first start instead
# (bot/runtime/installation.py), from the app's own clock.
_MOMENTS = (
    ("digest_post", "created_at"),
    ("poll", "created_at"),
    ("review", "received_at"),
    ("processed_event", "received_at"),
    ("follow_up", "created_at"),
    ("opt_out", "created_at"),
    ("audit_entry", "at"),
)
# Ratings keep no time, only their ISO week: the Monday of the earliest one, at 00:00 UTC (the
# configured time zone is not known here; the week itself still ends after that moment).
_WEEKS = ("rating", "held_answer", "answer_mark", "poll_tally")


def _moment(value) -> datetime:
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _monday(label: str) -> datetime:
    year, week = label.split("-W")
    monday = date.fromisocalendar(int(year), int(week), 1)
    return datetime(monday.year, monday.month, monday.day, tzinfo=UTC)


async def _installed_from_history(apps, schema_editor) -> None:
    client = schema_editor.client
    found = []
    for table, column in _MOMENTS:
        rows = await client.execute_query_dict(f"SELECT MIN({column}) AS m FROM {table}")
        if rows and rows[0]["m"] is not None:
            found.append(_moment(rows[0]["m"]))
    for table in _WEEKS:
        rows = await client.execute_query_dict(f"SELECT MIN(week) AS m FROM {table}")
        if rows and rows[0]["m"] is not None:
            found.append(_monday(rows[0]["m"]))
    if not found:
        return
    mark = "$1" if client.capabilities.dialect == "postgres" else "?"
    await client.execute_query(
        f"INSERT INTO installation (id, installed_at) VALUES (1, {mark})", [min(found)]
    )


class Migration(migrations.Migration):
    dependencies = [('quality', '0006_anonymity')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Installation',
            fields=[
                ('id', fields.IntField(generated=False, primary_key=True, unique=True, db_index=True)),
                ('installed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'installation', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'One row, written once: the first start of the app on a new database.'},
            bases=['Model'],
        ),
        ops.RunPython(_installed_from_history),
    ]
