"""Django settings for the platform tier, in the order the LMS builds its own:

1. the platform's common values (platform_envs.py), ``LOCALE_PATHS`` still a ``Derived``;
2. plugin apps and their COMMON settings through edx-django-utils, as at the end of
   openedx-platform lms/envs/common.py:
   ``INSTALLED_APPS.extend(get_plugin_apps(ProjectType.LMS))`` and
   ``add_plugins(__name__, ProjectType.LMS, SettingsType.COMMON)``;
3. lms/envs/production.py: ``derive_settings(__name__)``, then
   ``add_plugins(__name__, ProjectType.LMS, SettingsType.PRODUCTION)`` and the modulestore-level
   field-data wrapper (``XBLOCK_FIELD_DATA_WRAPPERS``);
4. what this test run needs, where Tutor's own settings come (after production): SQLite and
   files under ``VNOT_VAR``.

Our package is found the way the platform finds it: by its ``lms.djangoapp`` entry point, as are
edx-completion and edx-toggles.
"""
import os

from edx_django_utils.plugins import add_plugins, get_plugin_apps

from platform_derived import derive_settings
from platform_envs import PRODUCTION_FIELD_DATA_WRAPPER, ProjectType, SettingsType, common_settings, var_dir

globals().update(common_settings("lms"))

############## Plugin Django Apps (lms/envs/common.py) #########################
INSTALLED_APPS.extend(get_plugin_apps(ProjectType.LMS))  # noqa: F821
add_plugins(__name__, ProjectType.LMS, SettingsType.COMMON)

#### DERIVE ANY DERIVED SETTINGS (lms/envs/production.py)
derive_settings(__name__)
#### LOAD SETTINGS FROM DJANGO PLUGINS
add_plugins(__name__, ProjectType.LMS, SettingsType.PRODUCTION)
XBLOCK_FIELD_DATA_WRAPPERS = [*XBLOCK_FIELD_DATA_WRAPPERS, PRODUCTION_FIELD_DATA_WRAPPER]  # noqa: F821

############## This test run ####################################################
VAR = var_dir()
ROOT_URLCONF = "platform_urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.path.join(VAR, "platform.db"),
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30},
        "TEST": {"NAME": os.path.join(VAR, "platform-test.db")},
    }
}
MEDIA_ROOT = os.path.join(VAR, "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": MEDIA_ROOT, "base_url": "/no-public-media/"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": os.path.join(VAR, "platform.log")}},
    "root": {"handlers": ["file"], "level": "WARNING"},
}
