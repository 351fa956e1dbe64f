from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from uuid import uuid4
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='FollowUp',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user_id', fields.CharField(db_index=True, max_length=32)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='follow_ups', on_delete=OnDelete.CASCADE)),
                ('score', fields.SmallIntField()),
                ('comment', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('posted', fields.BooleanField(default=False)),
            ],
            options={'table': 'follow_up', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'A rating its giver chose to put their name to ("IT may contact me about this"):'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='OptOut',
            fields=[
                ('user_id', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'opt_out', 'app': 'quality', 'pk_attr': 'user_id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Poll',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('user_id', fields.CharField(db_index=True, max_length=32)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='polls', on_delete=OnDelete.CASCADE)),
                ('trigger', fields.CharField(max_length=16)),
                ('trigger_key', fields.CharField(null=True, unique=True, max_length=255)),
                ('summary', fields.CharField(default='', max_length=500)),
                ('url', fields.CharField(null=True, max_length=1000)),
                ('status', fields.CharField(default='queued', db_index=True, max_length=16)),
                ('reason', fields.CharField(null=True, max_length=64)),
                ('channel', fields.CharField(null=True, max_length=32)),
                ('message_ts', fields.CharField(null=True, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, db_index=True, auto_now=False, auto_now_add=False)),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'poll', 'app': 'quality', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Rating',
            fields=[
                ('id', fields.UUIDField(primary_key=True, default=uuid4, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='ratings', on_delete=OnDelete.CASCADE)),
                ('rater_department', fields.CharField(max_length=64)),
                ('score', fields.SmallIntField()),
                ('comment', fields.TextField(null=True, unique=False)),
                ('sentiment_label', fields.CharField(null=True, max_length=24)),
                ('sentiment_polarity', fields.FloatField(null=True)),
                ('sentiment_language', fields.CharField(null=True, max_length=8)),
                ('week', fields.CharField(db_index=True, max_length=8)),
            ],
            options={'table': 'rating', 'app': 'quality', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
