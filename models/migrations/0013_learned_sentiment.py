from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0012_review_sources')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LearnedModel',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('language', fields.CharField(unique=True, max_length=8)),
                ('texts', fields.IntField(default=0)),
                ('accuracy', fields.FloatField(null=True)),
                ('builtin', fields.FloatField(null=True)),
                ('model', fields.BinaryField(null=True)),
                ('reason', fields.CharField(null=True, max_length=200)),
                ('trained_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('claimed_until', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'learned_model', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'What the last training of a language found, and the model when it is used.'},
            bases=['Model'],
        ),
    ]
