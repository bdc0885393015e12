"""The Django app that holds our records; plugged into the LMS and Studio by entry points."""
from django.apps import AppConfig
from django.core import checks
from django.db.models.signals import post_migrate


def ensure_audit_head(sender, using="default", **kwargs):
    """The audit chain's head row, created once after migrate (and after a test flush)."""
    from .core.models import AuditHead  # noqa: PLC0415

    AuditHead.objects.using(using).get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


def check_settings(app_configs=None, **kwargs):
    """A key of ``VN_ONLINE_TEACHING`` that nobody declares is almost always a typo the blocks would
    silently ignore: say so at start-up (``manage.py check``)."""
    from django.conf import settings  # noqa: PLC0415

    from .core import config  # noqa: PLC0415

    conf = getattr(settings, "VN_ONLINE_TEACHING", {}) or {}
    return [checks.Warning(f"VN_ONLINE_TEACHING has the key {key}, which no feature declares.",
                           hint="See docs/permissions.md (or `manage.py vnot_rules`) for every setting.",
                           id="vn_online_teaching.W001")
            for key in config.unknown_keys(conf)]


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
        from .core import registry  # noqa: PLC0415

        # Every feature's actions, settings and exporters, read now: a faulty declaration stops the
        # start-up instead of a request (or a records officer's export), and every process sees the
        # same catalog.
        registry.catalog()
        registry.export_modules()
        checks.register(check_settings, checks.Tags.compatibility)
        post_migrate.connect(ensure_audit_head, sender=self)
