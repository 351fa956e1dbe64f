from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0002_polls')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Review',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('source', fields.CharField(max_length=64)),
                ('external_id', fields.CharField(max_length=255)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='reviews', on_delete=OnDelete.SET_NULL)),
                ('routed_by', fields.CharField(max_length=16)),
                ('rating', fields.FloatField(null=True)),
                ('title', fields.CharField(null=True, max_length=500)),
                ('text', fields.TextField(null=True, unique=False)),
                ('author', fields.CharField(null=True, max_length=200)),
                ('language', fields.CharField(null=True, max_length=8)),
                ('url', fields.CharField(null=True, max_length=2000)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('week', fields.CharField(db_index=True, max_length=8)),
                ('received_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('content_hash', fields.CharField(max_length=64)),
                ('sentiment_label', fields.CharField(null=True, max_length=24)),
                ('sentiment_polarity', fields.FloatField(null=True)),
                ('sentiment_language', fields.CharField(null=True, max_length=8)),
                ('disagrees', fields.BooleanField(default=False)),
                ('alert', fields.CharField(default='none', db_index=True, max_length=8)),
                ('alert_claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'review', 'app': 'quality', 'unique_together': (('source', 'external_id'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
