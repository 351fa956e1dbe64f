"""When quality-bot was installed on this database."""

from tortoise import fields
from tortoise.models import Model

ONLY = 1  # the one row's id


class Installation(Model):
    """One row, written once: the first start of the app on a new database.

    Written by bot/runtime/installation.py; for a database that already held history when this
    table arrived, it holds the moment of its
    earliest record (models/migrations/0007_installation.py). The weekly digest is posted for
    no week that ended before it: nobody was asked anything then."""

    id = fields.IntField(primary_key=True, generated=False)
    installed_at = fields.DatetimeField()

    class Meta:
        table = "installation"
