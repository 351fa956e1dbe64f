from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0010_actions_and_cases')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SlackName',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=16)),
                ('name', fields.CharField(max_length=255)),
                ('slack_id', fields.CharField(db_index=True, max_length=32)),
                ('resolved_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'slack_name', 'app': 'quality', 'unique_together': (('kind', 'name'),), 'pk_attr': 'id', 'table_description': 'A Slack name quality.yml uses, and the id it stood for when last resolved.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Department',
            name='origin',
            field=fields.CharField(default='quality.yml', db_default='quality.yml', max_length=16),
        ),
        ops.AddField(
            model_name='Department',
            name='settings',
            field=fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads),
        ),
    ]
