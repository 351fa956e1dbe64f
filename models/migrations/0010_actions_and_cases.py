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
                ('announced_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('team_post', fields.CharField(default='', max_length=16)),
                ('team_post_claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'action', 'app': 'quality', 'pk_attr': 'id', 'table_description': 'An action on a finding: what will change, who owns it, by when, and how it ended.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Announcement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('action', fields.ForeignKeyField('quality.Action', source_field='action_id', db_constraint=True, to_field='id', related_name='announcements', on_delete=OnDelete.CASCADE)),
                ('user_id', fields.CharField(db_index=True, max_length=32)),
                ('status', fields.CharField(default='queued', db_index=True, max_length=16)),
                ('reason', fields.CharField(null=True, max_length=32)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('channel', fields.CharField(null=True, max_length=32)),
                ('ts', fields.CharField(null=True, max_length=32)),
            ],
            options={'table': 'announcement', 'app': 'quality', 'unique_together': (('action', 'user_id'),), 'pk_attr': 'id', 'table_description': 'You said, we did: one DM about a done action to someone asked about its department.'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='FollowUp',
            name='claimed_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='claimed_by',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='nudged_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='posted_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='resolution',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='resolved_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='FollowUp',
            name='resolved_by',
            field=fields.CharField(null=True, max_length=32),
        ),
    ]
