from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='Department',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('slug', fields.CharField(unique=True, max_length=64)),
                ('name', fields.CharField(max_length=200)),
                ('active', fields.BooleanField(default=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'department', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'A department as configured. Rows are never deleted: ratings and reviews keep'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Membership',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.CharField(db_index=True, max_length=32)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='memberships', on_delete=OnDelete.CASCADE)),
                ('source', fields.CharField(max_length=16)),
                ('synced_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'membership', 'app': 'quality', 'unique_together': (('user_id', 'department', 'source'),), 'pk_attr': 'id', 'table_description': 'One person in one department, from one source: the configured `members` list or'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProcessedEvent',
            fields=[
                ('event_id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('received_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'processed_event', 'app': 'quality', 'pk_attr': 'event_id'},
            bases=['Model'],
        ),
    ]
