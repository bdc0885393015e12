"""The demo's settings (vn_online_teaching.demo.settings, MariaDB chosen by VNOT_DB=mariadb) as a
production server runs them (DEBUG off), plus the bench's URLs (the bare view) and the ten class
attendance blocks of the 7:30 burst (httpserver.scenarios). Used by scripts/server.sh for the
server tier and the HTTP benchmark only."""
from vn_online_teaching.demo.settings import *  # noqa: F401,F403 pylint: disable=wildcard-import,unused-wildcard-import

DEBUG = False
TEMPLATES[0]["OPTIONS"]["debug"] = False  # noqa: F405
ROOT_URLCONF = "httpserver.urls"
VNOT_BENCH_SCENARIOS = True
