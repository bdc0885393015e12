# The records of periodic_assessment: the sitting, each student's one attempt (unique per test and
# student) with the paper delivered to them, every answer saved (unique per attempt and sequence
# number), the integrity events, the head of school's remote decisions, accommodations, the board's
# window changes, essay marks and the history of re-scoring (assessment/models.py).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vn_online_teaching', '0006_material_open_children'),
    ]

    operations = [
        migrations.CreateModel(
            name='Attempt',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_key', models.CharField(max_length=255)),
                ('user_key', models.CharField(max_length=255)),
                ('state', models.CharField(db_index=True, max_length=24)),
                ('mode', models.CharField(max_length=16)),
                ('seed', models.CharField(max_length=64)),
                ('paper', models.JSONField()),
                ('paper_hash', models.CharField(max_length=64)),
                ('started_at', models.DateTimeField()),
                ('deadline_at', models.DateTimeField()),
                ('accept_until', models.DateTimeField()),
                ('ended_at', models.DateTimeField(blank=True, null=True)),
                ('reopened_at', models.DateTimeField(blank=True, null=True)),
                ('reopen_minutes', models.PositiveSmallIntegerField(blank=True, null=True)),
                ('device_hash', models.CharField(blank=True, default='', max_length=64)),
                ('device_salt', models.CharField(blank=True, default='', max_length=32)),
                ('device_bound_at', models.DateTimeField(blank=True, null=True)),
                ('ip', models.CharField(blank=True, default='', max_length=45)),
                ('last_ip', models.CharField(blank=True, default='', max_length=45)),
                ('user_agent', models.CharField(blank=True, default='', max_length=300)),
                ('last_seq', models.PositiveIntegerField(default=0)),
                ('saves', models.PositiveIntegerField(default=0)),
                ('signals', models.PositiveIntegerField(default=0)),
                ('sheet_hash', models.CharField(blank=True, default='', max_length=64)),
                ('result', models.JSONField(blank=True, null=True)),
                ('published_at', models.DateTimeField(blank=True, null=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name='Sitting',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('usage_key', models.CharField(max_length=255, unique=True)),
                ('course_key', models.CharField(db_index=True, max_length=255)),
                ('org', models.CharField(db_index=True, max_length=255)),
                ('class_name', models.CharField(max_length=20)),
                ('subject', models.CharField(blank=True, default='', max_length=100)),
                ('title', models.CharField(blank=True, default='', max_length=255)),
                ('opens', models.DateTimeField()),
                ('closes', models.DateTimeField()),
                ('minutes', models.PositiveSmallIntegerField()),
                ('grace_seconds', models.PositiveIntegerField(default=0)),
                ('mode', models.CharField(max_length=16)),
                ('corrections', models.JSONField(blank=True, default=dict)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
            ],
        ),
        migrations.CreateModel(
            name='EssayMark',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('question_id', models.CharField(max_length=40)),
                ('points', models.CharField(max_length=16)),
                ('comment', models.TextField(blank=True, default='')),
                ('reason', models.TextField(blank=True, default='')),
                ('by_key', models.CharField(max_length=255)),
                ('by_name', models.CharField(blank=True, default='', max_length=255)),
                ('role', models.CharField(max_length=32)),
                ('at', models.DateTimeField()),
                ('attempt', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='essay_marks', to='vn_online_teaching.attempt')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='ScoreHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=16)),
                ('at', models.DateTimeField()),
                ('by_key', models.CharField(max_length=255)),
                ('by_name', models.CharField(blank=True, default='', max_length=255)),
                ('role', models.CharField(max_length=32)),
                ('reason', models.TextField(blank=True, default='')),
                ('change', models.JSONField()),
                ('attempt', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='score_history', to='vn_online_teaching.attempt')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='RemoteDecision',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField()),
                ('students', models.JSONField(default=list)),
                ('decided_by', models.CharField(max_length=255)),
                ('decided_by_name', models.CharField(blank=True, default='', max_length=255)),
                ('role', models.CharField(max_length=32)),
                ('decided_at', models.DateTimeField()),
                ('sitting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='decisions', to='vn_online_teaching.sitting')),
            ],
            options={
                'ordering': ['decided_at', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='attempt',
            name='sitting',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='attempts', to='vn_online_teaching.sitting'),
        ),
        migrations.CreateModel(
            name='Accommodation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('user_key', models.CharField(max_length=255)),
                ('kind', models.CharField(max_length=16)),
                ('minutes', models.PositiveSmallIntegerField()),
                ('reason', models.TextField()),
                ('by_key', models.CharField(max_length=255)),
                ('by_name', models.CharField(blank=True, default='', max_length=255)),
                ('role', models.CharField(max_length=32)),
                ('at', models.DateTimeField()),
                ('attempt', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='vn_online_teaching.attempt')),
                ('sitting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='accommodations', to='vn_online_teaching.sitting')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='SittingChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=16)),
                ('at', models.DateTimeField()),
                ('until', models.DateTimeField(blank=True, null=True)),
                ('reason', models.TextField()),
                ('by_key', models.CharField(max_length=255)),
                ('by_name', models.CharField(blank=True, default='', max_length=255)),
                ('role', models.CharField(max_length=32)),
                ('sitting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='vn_online_teaching.sitting')),
            ],
            options={
                'ordering': ['at', 'pk'],
            },
        ),
        migrations.CreateModel(
            name='Answer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('seq', models.PositiveIntegerField()),
                ('position', models.PositiveSmallIntegerField()),
                ('question_id', models.CharField(max_length=40)),
                ('response', models.JSONField(blank=True, null=True)),
                ('saved_at', models.DateTimeField()),
                ('attempt', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='answers', to='vn_online_teaching.attempt')),
            ],
            options={
                'indexes': [models.Index(fields=['attempt', 'position', 'seq'], name='vnot_answer_position')],
                'constraints': [models.UniqueConstraint(fields=('attempt', 'seq'), name='vnot_answer_seq')],
            },
        ),
        migrations.CreateModel(
            name='IntegrityEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('user_key', models.CharField(max_length=255)),
                ('kind', models.CharField(max_length=32)),
                ('source', models.CharField(max_length=8)),
                ('at', models.DateTimeField()),
                ('client_at', models.DateTimeField(blank=True, null=True)),
                ('data', models.JSONField(blank=True, default=dict)),
                ('attempt', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='vn_online_teaching.attempt')),
                ('sitting', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='events', to='vn_online_teaching.sitting')),
            ],
            options={
                'ordering': ['at', 'pk'],
                'indexes': [models.Index(fields=['sitting', 'kind', 'at'], name='vnot_event_kind_time'), models.Index(fields=['sitting', 'user_key', 'kind', 'at'], name='vnot_event_user_kind')],
            },
        ),
        migrations.AddIndex(
            model_name='attempt',
            index=models.Index(fields=['state', 'accept_until'], name='vnot_attempt_due'),
        ),
        migrations.AddConstraint(
            model_name='attempt',
            constraint=models.UniqueConstraint(fields=('usage_key', 'user_key'), name='vnot_attempt_unique'),
        ),
        migrations.AddIndex(
            model_name='accommodation',
            index=models.Index(fields=['sitting', 'user_key'], name='vnot_accommodation_user'),
        ),
    ]
