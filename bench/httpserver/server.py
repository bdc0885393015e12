"""Driving scripts/server.sh from Python: start, stop, kill hard, restart, and run
``httpserver.seed`` with the server's environment (settings, database, variable folder)."""
import json
import os
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "scripts", "server.sh")
MARIADB = os.path.join(ROOT, "scripts", "mariadb.sh")


class Server:
    """The gunicorn of scripts/server.sh with the bench settings, on the database ``db_name``."""

    def __init__(self, var, db_name="vnot_server", workers=2):
        self.env = dict(os.environ, VNOT_VAR=var, VNOT_DB="mariadb", VNOT_DB_NAME=db_name,
                        DJANGO_SETTINGS_MODULE="httpserver.settings", VNOT_SERVER_WORKERS=str(workers),
                        PYTHONPATH=os.path.join(ROOT, "bench"), VENV=sys.prefix)
        self.env.pop("VNOT_SERVER_PORT", None)
        self.mariadb_started = False

    def _run(self, *args, script=SCRIPT, env=None):
        done = subprocess.run(["bash", script, *args], env=env or self.env, cwd=ROOT, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{os.path.basename(script)} {' '.join(args)} failed ({done.returncode}): "
                               f"{done.stderr.strip()[-2000:]}")
        return done.stdout.strip()

    def mariadb_running(self):
        return subprocess.run(["bash", MARIADB, "port"], env=self.env, cwd=ROOT, capture_output=True).returncode == 0

    def start(self, fresh=True):
        """MariaDB (started here when it is not running: ``close`` stops it then), a new database,
        the demo data, gunicorn."""
        if not self.mariadb_running():
            self._run("start", script=MARIADB)
            self.mariadb_started = True
        self.env["VNOT_DB_PORT"] = self._run("port", script=MARIADB)
        self._run("start", env=dict(self.env, VNOT_SERVER_FRESH="1" if fresh else "0"))
        return self

    def serve(self):
        self._run("serve")

    def stop(self):
        self._run("stop")

    def close(self):
        """Stop gunicorn, and MariaDB when ``start`` started it."""
        try:
            self.stop()
        finally:
            if self.mariadb_started:
                self._run("stop", script=MARIADB)

    @property
    def url(self):
        return self._run("url")

    def pids(self):
        """The master's id and its workers'."""
        master = int(self._run("pid"))
        with open(f"/proc/{master}/task/{master}/children", encoding="ascii") as children:
            return master, [int(pid) for pid in children.read().split()]

    def kill_hard(self):
        """SIGKILL to the master and every worker, as a crash or the OOM killer ends them; returns
        once they are gone."""
        master, workers = self.pids()
        for pid in [master, *workers]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        for pid in [master, *workers]:
            for _ in range(100):
                if not os.path.exists(f"/proc/{pid}") or _zombie(pid):
                    break
                time.sleep(0.05)
        return master, workers

    def seed(self, command, *args):
        """Run ``httpserver.seed COMMAND ARGS`` with the server's environment; its JSON answer."""
        out = subprocess.run([sys.executable, "-W", "ignore", "-m", "httpserver.seed", command, *map(str, args)],
                             env=self.env, cwd=ROOT, check=True, capture_output=True, text=True).stdout
        return json.loads(out)


def _zombie(pid):
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().split(") ", 1)[1].startswith("Z")
    except OSError:
        return True
