from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0008_resolution')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Thanks',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('token', fields.CharField(unique=True, max_length=32)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='thanks', on_delete=OnDelete.CASCADE)),
                ('week', fields.CharField(db_index=True, max_length=8)),
                ('comment', fields.TextField(null=True, unique=False)),
                ('signed_by', fields.CharField(null=True, db_index=True, max_length=32)),
                ('post_after', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('status', fields.CharField(default='queued', max_length=16)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('channel', fields.CharField(null=True, max_length=32)),
                ('ts', fields.CharField(null=True, max_length=32)),
            ],
            options={'table': 'thanks', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'A thanks to a department, posted to its team channel.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='HeldAnswer',
            name='open_until',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='HeldAnswer',
            name='reasons',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
        ops.AddField(
            model_name='HeldAnswer',
            name='token',
            field=fields.CharField(null=True, unique=True, max_length=32),
        ),
        ops.AddField(
            model_name='Rating',
            name='reasons',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
