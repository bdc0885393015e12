from django.db import migrations, models


class Migration(migrations.Migration):
    """Audit entries name the rule their hash follows: the entries already written keep rule 1;
    new ones are appended with rule 2 (core/audit.py)."""

    dependencies = [("vn_online_teaching", "0010_sitting_bank_blueprint")]

    operations = [
        migrations.AddField(model_name="auditentry", name="version",
                            field=models.PositiveSmallIntegerField(default=1)),
    ]
