"""The Django app that holds our records; plugged into the LMS and Studio by entry points."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_audit_head(sender, using="default", **kwargs):
    """The audit chain's head row, created once after migrate (and after a test flush)."""
    from .core.models import AuditHead  # noqa: PLC0415

    AuditHead.objects.using(using).get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


class VnOnlineTeachingConfig(AppConfig):
    name = "vn_online_teaching"
    label = "vn_online_teaching"
    verbose_name = "Vietnamese online teaching"
    default_auto_field = "django.db.models.BigAutoField"

    # Open edX plugin registration (edx-django-utils reads this dict).
    plugin_app = {
        "settings_config": {
            "lms.djangoapp": {"common": {"relative_path": "settings"}},
            "cms.djangoapp": {"common": {"relative_path": "settings"}},
        },
    }

    def ready(self):
        post_migrate.connect(ensure_audit_head, sender=self)
