# Wrong check-in codes keep the address they came from (a limit per address replaces the one per
# lesson), and a meeting report is looked up by its lesson and file, to keep one per identical
# file. Reports uploaded twice before this migration stay as they are: they are evidence.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('vn_online_teaching', '0004_check_in_on_the_lesson'),
    ]

    operations = [
        migrations.AddField(
            model_name='codeattempt',
            name='ip',
            field=models.CharField(blank=True, default='', max_length=45),
        ),
        migrations.AddIndex(
            model_name='codeattempt',
            index=models.Index(fields=['lesson', 'ip', 'at'], name='vnot_codeattempt_ip_time'),
        ),
        migrations.AddIndex(
            model_name='meetingreport',
            index=models.Index(fields=['lesson', 'sha256'], name='vnot_report_lesson_file'),
        ),
    ]
