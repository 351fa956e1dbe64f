from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0003_reviews')]

    initial = False

    operations = [
        ops.CreateModel(
            name='DigestPost',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('week', fields.CharField(max_length=8)),
                ('channel', fields.CharField(max_length=32)),
                ('status', fields.CharField(default='pending', max_length=8)),
                ('owner', fields.CharField(null=True, max_length=64)),
                ('lease_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('attempts', fields.IntField(default=0)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('posted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'digest_post', 'app': 'quality', 'unique_together': (('week', 'channel'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DigestPart',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('post', fields.ForeignKeyField('quality.DigestPost', source_field='post_id', db_constraint=True, to_field='id', related_name='parts', on_delete=OnDelete.CASCADE)),
                ('key', fields.CharField(max_length=80)),
                ('status', fields.CharField(default='sending', max_length=8)),
                ('channel', fields.CharField(null=True, max_length=32)),
                ('ts', fields.CharField(null=True, max_length=32)),
            ],
            options={'table': 'digest_part', 'app': 'quality', 'unique_together': (('post', 'key'),), 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
