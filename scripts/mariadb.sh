#!/usr/bin/env bash
# Start (or stop) a private MariaDB server for the MariaDB test tier: its own data folder under
# var/, listening on 127.0.0.1 only, on $VNOT_DB_PORT when it is set, otherwise on the first free
# port from 3307 (another server, such as a developer's own, may hold 3307). `start` prints
# nothing on success; `port` prints the port the running server listens on.
set -euo pipefail
cd "$(dirname "$0")/.."
VAR=${VNOT_VAR:-$PWD/var}
DATA="$VAR/mariadb"
SOCK="$DATA/mariadb.sock"
PID="$DATA/mariadb.pid"
PORT_FILE="$DATA/port"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
running() { [ -f "$PID" ] && kill -0 "$(cat "$PID")" 2>/dev/null; }
case "${1:-start}" in
  port)
    running && cat "$PORT_FILE" || { echo "no private MariaDB server is running" >&2; exit 1; }
    ;;
  start)
    if running; then exit 0; fi
    if [ -n "${VNOT_DB_PORT:-}" ]; then
      PORT=$VNOT_DB_PORT
    else
      PORT=3307
      while ! port_free "$PORT"; do
        PORT=$((PORT + 1))
        [ "$PORT" -le 3399 ] || { echo "no free port for MariaDB between 3307 and 3399" >&2; exit 1; }
      done
    fi
    command -v mariadbd >/dev/null 2>&1 || { echo "mariadbd not installed" >&2; exit 3; }
    mkdir -p "$DATA"
    user_opt=()
    if [ "$(id -u)" = "0" ]; then chown -R mysql:mysql "$DATA" 2>/dev/null || true; user_opt=(--user=mysql); fi
    if [ ! -d "$DATA/mysql" ]; then
      mariadb-install-db "${user_opt[@]}" --datadir="$DATA" --auth-root-authentication-method=normal \
        --skip-test-db >"$VAR/mariadb-install.log" 2>&1
    fi
    mariadbd "${user_opt[@]}" --datadir="$DATA" --bind-address=127.0.0.1 --port="$PORT" --socket="$SOCK" \
      --pid-file="$PID" --skip-log-bin --innodb-buffer-pool-size=128M \
      --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci >"$VAR/mariadb.log" 2>&1 &
    for _ in $(seq 1 100); do
      if mariadb-admin --socket="$SOCK" -uroot ping >/dev/null 2>&1; then break; fi
      sleep 0.2
    done
    mariadb-admin --socket="$SOCK" -uroot ping >/dev/null 2>&1 || { echo "MariaDB did not start; see $VAR/mariadb.log" >&2; exit 1; }
    echo "$PORT" >"$PORT_FILE"
    mariadb --socket="$SOCK" -uroot -e "CREATE DATABASE IF NOT EXISTS vnot CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
    ;;
  stop)
    if [ -f "$PID" ]; then kill "$(cat "$PID")" 2>/dev/null || true; rm -f "$PID"; fi
    ;;
  *) echo "usage: $0 start|stop|port" >&2; exit 2 ;;
esac
