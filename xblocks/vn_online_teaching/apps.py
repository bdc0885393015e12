"""The Django app that holds our records; plugged into the LMS and Studio by entry points."""
from django.apps import AppConfig


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
