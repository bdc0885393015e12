"""Settings of the workbench demo and of the test suite: the workbench's own settings plus our
app, SQLite (or MariaDB when VNOT_DB=mariadb), Vietnamese first, and nothing written to the
current folder (the database and files live under VNOT_VAR, default ./var of the checkout)."""
import os

from workbench.settings import *  # noqa: F401,F403 pylint: disable=wildcard-import,unused-wildcard-import

from vn_online_teaching.core.i18n import LOCALE_DIR

from .people import COURSE_KEY, ORG

HERE = os.path.dirname(os.path.abspath(__file__))
VAR = os.environ.get("VNOT_VAR") or os.path.abspath(os.path.join(HERE, "..", "..", "..", "var"))
os.makedirs(VAR, exist_ok=True)

if os.environ.get("VNOT_DB") == "mariadb":
    import pymysql  # noqa: PLC0415

    pymysql.version_info = (2, 2, 7, "final", 0)
    pymysql.install_as_MySQLdb()
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.mysql",
            "NAME": os.environ.get("VNOT_DB_NAME", "vnot"),
            "USER": os.environ.get("VNOT_DB_USER", "root"),
            "PASSWORD": os.environ.get("VNOT_DB_PASSWORD", ""),
            "HOST": os.environ.get("VNOT_DB_HOST", "127.0.0.1"),
            "PORT": os.environ.get("VNOT_DB_PORT", "3306"),
            "OPTIONS": {"charset": "utf8mb4"},
            "TEST": {"CHARSET": "utf8mb4", "COLLATION": "utf8mb4_unicode_ci"},
        }
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("VNOT_SQLITE", os.path.join(VAR, "workbench.db")),
            # IMMEDIATE: a transaction takes the write lock when it starts, so concurrent writers
            # queue instead of failing; this serialises audit appends on SQLite.
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30},
            "TEST": {"NAME": os.path.join(VAR, "test.db")},
        }
    }

INSTALLED_APPS = list(INSTALLED_APPS) + ["vn_online_teaching"]  # noqa: F405

TEMPLATES[0]["DIRS"] = [os.path.join(HERE, "templates")] + list(TEMPLATES[0]["DIRS"])  # noqa: F405

MIDDLEWARE = list(MIDDLEWARE)  # noqa: F405
MIDDLEWARE.insert(MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
                  "django.middleware.locale.LocaleMiddleware")

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [LOCALE_DIR]
TIME_ZONE = "Asia/Ho_Chi_Minh"

MEDIA_ROOT = os.path.join(VAR, "media")
DJFS = {"type": "osfs", "directory_root": os.path.join(VAR, "djpyfs"), "url_root": "/static/djpyfs"}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": os.path.join(VAR, "media"), "base_url": "/no-public-media/"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"file": {"class": "logging.FileHandler", "filename": os.path.join(VAR, "workbench.log")}},
    "root": {"handlers": ["file"], "level": "WARNING"},
}

WORKBENCH = dict(WORKBENCH)  # noqa: F405
WORKBENCH["services"] = dict(WORKBENCH["services"], user="vn_online_teaching.demo.users.DemoUserService")

VN_ONLINE_TEACHING = {
    "DEFAULT_ORG": ORG,
    "DEFAULT_COURSE_KEY": COURSE_KEY,
    "USER_DIRECTORY": "vn_online_teaching.demo.people.lookup",
    "SCHOOL_NAME": "Trường THPT Nam Lợi (trường mẫu)",
    # The demo's own signing key, made by load_demo (a school makes its own: create_archive_key).
    "ARCHIVE_SIGNING_KEY": os.path.join(VAR, "archive-signing-key.pem"),
}

# The front page lists our scenarios with a link per role (demo/index.py), never the SDK's samples.
ROOT_URLCONF = "vn_online_teaching.demo.urls"
