from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0011_departments_in_slack')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DeletedReview',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('source', fields.CharField(max_length=64)),
                ('external_id', fields.CharField(max_length=255)),
                ('deleted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'deleted_review', 'app': 'quality', 'unique_together': (('source', 'external_id'),), 'pk_attr': 'id', 'table_description': 'A review its source deleted: the review is gone, this keeps a redelivery from reviving it.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ReviewPoll',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('source', fields.CharField(unique=True, max_length=64)),
                ('cursor', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('owner', fields.CharField(null=True, max_length=64)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('next_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('polled_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('failures', fields.IntField(default=0)),
                ('error', fields.CharField(null=True, max_length=500)),
            ],
            options={'table': 'review_poll', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'A polled review source: where its last pass got to, and which instance polls it now.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Review',
            name='alert_channel',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='Review',
            name='alert_ts',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='Review',
            name='rating_original',
            field=fields.CharField(null=True, max_length=32),
        ),
    ]
