from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('quality', '0004_digest')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('actor', fields.CharField(max_length=64)),
                ('action', fields.CharField(max_length=32)),
                ('subject', fields.CharField(max_length=255)),
                ('detail', fields.TextField(default='', unique=False)),
            ],
            options={'table': 'audit_entry', 'app': 'quality', 'pk_attr': 'id'},
            bases=['Model'],
        ),
    ]
