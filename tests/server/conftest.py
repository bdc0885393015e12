"""The server tier: a real gunicorn serving the demo project on MariaDB (scripts/server.sh),
started once for the tier and stopped after it, driven over HTTP by clients that save answers as
the student's page does (bench/httpserver/client.py). The database is read by a separate process
(``httpserver.seed inspect``), never through this process's own connection.

Without MariaDB the tier is skipped here with a loud reason, and fails in CI (as tier 2 does)."""
import os
import secrets
import shutil
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "bench"))

from httpserver.server import Server  # noqa: E402


@pytest.fixture(scope="session")
def server():
    if shutil.which("mariadbd") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("MariaDB is not installed (the server tier needs mariadb-server) in CI")
        pytest.skip("MariaDB is not installed: the server tier is SKIPPED")
    var = os.environ.get("VNOT_VAR") or os.path.join(ROOT, "var")
    running = Server(var).start(fresh=True)
    try:
        yield running
    finally:
        running.close()


@pytest.fixture
def roster(server):
    """``roster(n)``: n new students of class 10A1 (names unique to the test) and the periodic
    test's usage id."""
    def make(count):
        return server.seed("learners", "10A1", f"s{secrets.token_hex(3)}x", count)
    return make
