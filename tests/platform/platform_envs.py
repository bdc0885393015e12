"""The parts of the platform's settings our package meets, with the platform's names and values,
and the order in which the platform applies plugin settings.

Sources (openedx-platform): openedx/envs/common.py (``_make_locale_paths``, ``LOCALE_PATHS =
Derived(_make_locale_paths)``, ``PREPEND_LOCALE_PATHS = []``, ``COMPREHENSIVE_THEME_LOCALE_PATHS =
[]``, ``DATA_UPLOAD_MAX_MEMORY_SIZE = None``), lms/envs/common.py (``STUDENT_FILEUPLOAD_MAX_SIZE =
4 * 1000 * 1000``, ``MAX_FILEUPLOADS_PER_INPUT = 20``, ``COMPLETION_BY_VIEWING_DELAY_MS``, the field
override settings, and at its end ``INSTALLED_APPS.extend(get_plugin_apps(ProjectType.LMS))`` then
``add_plugins(__name__, ProjectType.LMS, SettingsType.COMMON)``), lms/envs/production.py and
cms/envs/production.py (``derive_settings(__name__)`` then ``add_plugins(__name__, ...,
SettingsType.PRODUCTION)``), lms/envs/test.py (``add_plugins(..., SettingsType.TEST)`` then
``derive_settings``), openedx/core/djangoapps/plugins/constants.py (``ProjectType``,
``SettingsType``).

``REPO_ROOT`` is a stand-in checkout under ``VNOT_VAR`` (a ``str``: the platform's is a
``path.Path``, and ``REPO_ROOT + '/conf/locale'`` gives the same text with either).
"""
import os

from platform_derived import Derived


class ProjectType:
    """openedx/core/djangoapps/plugins/constants.py, ``ProjectType``."""
    LMS = 'lms.djangoapp'
    CMS = 'cms.djangoapp'


class SettingsType:
    """openedx/core/djangoapps/plugins/constants.py, ``SettingsType``."""
    PRODUCTION = 'production'
    COMMON = 'common'
    DEVSTACK = 'devstack'
    TEST = 'test'


def _make_locale_paths(settings):
    """openedx/envs/common.py, ``_make_locale_paths`` (unchanged but for ``path()`` of theme
    paths, which are ``str`` here)."""
    locale_paths = list(settings.PREPEND_LOCALE_PATHS)
    locale_paths += [settings.REPO_ROOT + '/conf/locale']  # edx-platform/conf/locale/

    if settings.ENABLE_COMPREHENSIVE_THEMING:
        # Add locale paths to settings for comprehensive theming.
        for locale_path in settings.COMPREHENSIVE_THEME_LOCALE_PATHS:
            locale_paths += (str(locale_path), )
    return locale_paths


def var_dir():
    var = os.environ.get("VNOT_VAR") or os.path.abspath(
        os.path.join(os.path.dirname(__file__), "..", "..", "var", "platform"))
    os.makedirs(var, exist_ok=True)
    return var


def repo_root():
    """The stand-in platform checkout: only ``conf/locale`` (empty until a test writes a catalog)."""
    root = os.path.join(var_dir(), "edx-platform")
    os.makedirs(os.path.join(root, "conf", "locale"), exist_ok=True)
    return root


def common_settings(service_variant="lms"):
    """Fresh copies of the platform's values, as they stand when plugin COMMON settings run."""
    return {
        "SERVICE_VARIANT": service_variant,
        "REPO_ROOT": repo_root(),
        "DEBUG": False,
        "SECRET_KEY": "platform tier",
        "USE_TZ": True,
        "TIME_ZONE": "UTC",
        "USE_I18N": True,
        "LANGUAGE_CODE": "en",
        "LANGUAGES": [("en", "English"), ("vi", "Tiếng Việt")],
        "LANGUAGE_COOKIE_NAME": "openedx-language-preference",
        "PREPEND_LOCALE_PATHS": [],
        "COMPREHENSIVE_THEME_LOCALE_PATHS": [],
        "ENABLE_COMPREHENSIVE_THEMING": False,
        "LOCALE_PATHS": Derived(_make_locale_paths),
        "ALLOWED_HOSTS": ["*"],
        "SITE_NAME": "localhost",
        "HTTPS": "on",
        "STATIC_URL": "/static/",
        "DEFAULT_AUTO_FIELD": "django.db.models.AutoField",
        "DATA_UPLOAD_MAX_MEMORY_SIZE": None,
        "DATA_UPLOAD_MAX_NUMBER_FIELDS": None,
        "STUDENT_FILEUPLOAD_MAX_SIZE": 4 * 1000 * 1000,  # 4 MB
        "MAX_FILEUPLOADS_PER_INPUT": 20,
        "COMPLETION_BY_VIEWING_DELAY_MS": 5000,
        # The platform lists ContentTypeGatingFieldOverride here; that module is not installable.
        "FIELD_OVERRIDE_PROVIDERS": (),
        "MODULESTORE_FIELD_OVERRIDE_PROVIDERS": (),
        "XBLOCK_FIELD_DATA_WRAPPERS": [],
        "FEATURES": {},
        "INSTALLED_APPS": [
            "django.contrib.auth",
            "django.contrib.contenttypes",
            "django.contrib.sessions",
            "django.contrib.messages",
            "django.contrib.staticfiles",
            "waffle",
            "eventtracking.django.apps.EventTrackingConfig",
        ],
        # lms/envs/common.py sends events to the tracking log and Segment; no backend here.
        "EVENT_TRACKING_ENABLED": True,
        "EVENT_TRACKING_BACKENDS": {},
        "EVENT_TRACKING_PROCESSORS": [],
        "MIDDLEWARE": [
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.locale.LocaleMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ],
        "TEMPLATES": [{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [],
                       "APP_DIRS": True, "OPTIONS": {}}],
    }


# What lms/envs/production.py adds after deriving (the modulestore-level overrides).
PRODUCTION_FIELD_DATA_WRAPPER = "platform_overrides:OverrideModulestoreFieldData.wrap"
