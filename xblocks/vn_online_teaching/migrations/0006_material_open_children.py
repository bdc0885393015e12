# A material keeps which of its child blocks learners may reach outside its own view: the LMS asks
# it through the block's visible_to_staff_only (docs/decisions/0007-gating-through-the-platforms-
# visibility.md). Materials approved before this migration open none: their fingerprints of child
# blocks were taken with inherited and per-learner settings, so their children stay hidden from
# learners until the material is approved again (its own content stays visible, as approved).
# Attachments are found by their hash when a rerun, an import or a copy of a material asks for a
# file of the block it came from.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vn_online_teaching', '0005_check_in_address_and_report_file'),
    ]

    operations = [
        migrations.AddField(
            model_name='materialstate',
            name='open_children',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddIndex(
            model_name='attachment',
            index=models.Index(fields=['sha256'], name='vnot_attachment_sha'),
        ),
    ]
