from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0009_reasons_and_thanks')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Action',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='actions', on_delete=OnDelete.CASCADE)),
                ('what', fields.TextField(unique=False)),
                ('addresses', fields.TextField(default='', unique=False)),
                ('week', fields.CharField(max_length=8)),
                ('owner', fields.CharField(null=True, max_length=32)),
                ('created_by', fields.CharField(null=True, max_length=32)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('due', fields.DateField()),
                ('status', fields.CharField(default='open', db_index=True, max_length=16)),
                ('note', fields.TextField(default='', unique=False)),
                ('closed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('reminded_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'action', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'An action on a finding: what will change, who owns it, by when, and how it ended.'},
            bases=['Model'],
        ),
    ]
