#!/usr/bin/env bash
# A real server for the server tier and the HTTP benchmark: gunicorn serving the demo Django
# project (the xblock-sdk workbench with our blocks) on the private MariaDB of scripts/mariadb.sh.
#   start  start MariaDB (when it is not running), create the database, migrate, load the demo data,
#          then serve; VNOT_SERVER_FRESH=1 drops the database first
#   serve  serve only (the database is ready): what a restart after a crash does
#   stop   stop gunicorn (SIGTERM to its master, which stops its workers); MariaDB stays up
#   url    print the server's base URL (http://127.0.0.1:PORT)
#   pid    print the gunicorn master's process id
# Settings: DJANGO_SETTINGS_MODULE (default vn_online_teaching.demo.settings; the tier and the
# benchmark use bench/httpserver/settings.py, the demo's settings plus a bare view);
# VNOT_DB_NAME (default vnot_server); VNOT_SERVER_PORT (default: the first free port from 8100,
# kept for `serve`, so a restarted server answers at the same address); VNOT_SERVER_WORKERS (2).
#
# The command line is the LMS's as Tutor runs it. Tutor serves the LMS with uWSGI
# (tutor/templates/build/openedx/settings/uwsgi.ini: `processes = $(UWSGI_WORKERS)`, 2 by default
# in tutor/templates/config/defaults.yml `OPENEDX_LMS_UWSGI_WORKERS: 2`, no `threads`, and
# `lazy-apps = false`: the application is loaded once in the master, then the workers fork).
# Before uWSGI, Tutor ran gunicorn (tutor/templates/build/openedx/Dockerfile up to v11:
# `gunicorn -c gunicorn_conf.py --bind=0.0.0.0:8000 --max-requests=1000 --max-requests-jitter=100
# --timeout=120`, gunicorn_conf.py `workers = GUNICORN_WORKERS` = 2, the default sync worker).
# So: 2 sync workers, one request at a time each, the application preloaded in the master.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=${VENV:-.venv}
case $VENV in /*) PY="$VENV/bin/python" ;; *) PY="$ROOT/$VENV/bin/python" ;; esac
export VNOT_VAR=${VNOT_VAR:-$ROOT/var}
DIR="$VNOT_VAR/server"
PID="$DIR/gunicorn.pid"
PORT_FILE="$DIR/port"
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-vn_online_teaching.demo.settings}
export VNOT_DB=mariadb VNOT_DB_NAME=${VNOT_DB_NAME:-vnot_server}
export PYTHONPATH="$ROOT/bench${PYTHONPATH:+:$PYTHONPATH}"
mkdir -p "$DIR"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# A master killed with SIGKILL may stay a zombie until it is reaped: that is not running.
running() { [ -f "$PID" ] && [ -r "/proc/$(cat "$PID")/stat" ] && ! grep -q ') Z ' "/proc/$(cat "$PID")/stat" 2>/dev/null; }
db_port() { bash scripts/mariadb.sh port; }

setup_db() {
  bash scripts/mariadb.sh start
  VNOT_DB_PORT=$(db_port)
  export VNOT_DB_PORT
  local sock="$VNOT_VAR/mariadb/mariadb.sock" sql=""
  if [ "${VNOT_SERVER_FRESH:-}" = "1" ]; then sql="DROP DATABASE IF EXISTS \`$VNOT_DB_NAME\`;"; fi
  mariadb --socket="$sock" -uroot -e "$sql CREATE DATABASE IF NOT EXISTS \`$VNOT_DB_NAME\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
  # The workbench has no migrations for its own state table: --run-syncdb creates it.
  "$PY" -W ignore -m django migrate --run-syncdb -v0
  "$PY" -W ignore -m django load_demo >"$DIR/load_demo.log"
}

serve() {
  if running; then return 0; fi
  VNOT_DB_PORT=$(db_port)
  export VNOT_DB_PORT
  local port
  if [ -n "${VNOT_SERVER_PORT:-}" ]; then port=$VNOT_SERVER_PORT
  elif [ -f "$PORT_FILE" ]; then port=$(cat "$PORT_FILE")
  else
    port=8100
    while ! port_free "$port"; do
      port=$((port + 1))
      [ "$port" -le 8199 ] || { echo "no free port for the server between 8100 and 8199" >&2; exit 1; }
    done
  fi
  echo "$port" >"$PORT_FILE"
  rm -f "$PID"
  local extra=()  # recent gunicorn opens a control socket in $HOME unless told not to
  if "$(dirname "$PY")/gunicorn" --help 2>/dev/null | grep -q -- --no-control-socket; then extra+=(--no-control-socket); fi
  # --preload: uWSGI's `lazy-apps = false`; httpserver.wsgi also loads the workbench's scenarios
  # there, so every worker, a respawned one too, knows the blocks' usage ids.
  "$(dirname "$PY")/gunicorn" --chdir "$ROOT" --preload --workers "${VNOT_SERVER_WORKERS:-2}" --worker-class sync \
    --bind "127.0.0.1:$port" --backlog 2048 --timeout 120 --max-requests 1000 --max-requests-jitter 100 \
    --pid "$PID" --access-logfile "$DIR/access.log" --error-logfile "$DIR/error.log" --daemon \
    ${extra[@]+"${extra[@]}"} httpserver.wsgi:application
  for _ in $(seq 1 150); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && running; then return 0; fi
    sleep 0.2
  done
  echo "gunicorn did not start; see $DIR/error.log" >&2
  exit 1
}

stop_server() {
  if running; then
    local pid
    pid=$(cat "$PID")
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -f "$PID"
}

case "${1:-}" in
  start) stop_server; rm -f "$PORT_FILE"; setup_db; serve ;;
  serve) serve ;;
  stop) stop_server ;;
  url) [ -f "$PORT_FILE" ] || { echo "the server was never started" >&2; exit 1; }; echo "http://127.0.0.1:$(cat "$PORT_FILE")" ;;
  pid) running && cat "$PID" || { echo "the server is not running" >&2; exit 1; } ;;
  *) echo "usage: $0 start|serve|stop|url|pid" >&2; exit 2 ;;
esac
