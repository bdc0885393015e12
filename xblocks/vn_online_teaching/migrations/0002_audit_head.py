"""The audit chain's head row exists from the start, so the first concurrent appends lock it
instead of racing to create it."""
from django.db import migrations


def create_head(apps, schema_editor):
    AuditHead = apps.get_model("vn_online_teaching", "AuditHead")
    AuditHead.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("vn_online_teaching", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
