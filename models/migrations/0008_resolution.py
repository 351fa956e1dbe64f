from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0007_installation')]

    initial = False

    operations = [
        ops.CreateModel(
            name='ResolutionTime',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('department', fields.ForeignKeyField('quality.Department', source_field='department_id', db_constraint=True, to_field='id', related_name='resolutions', on_delete=OnDelete.CASCADE)),
                ('week', fields.CharField(db_index=True, max_length=8)),
                ('hours', fields.FloatField()),
            ],
            options={'table': 'resolution', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'How long one served request took, naming no one.'},
            bases=['Model'],
        ),
    ]
