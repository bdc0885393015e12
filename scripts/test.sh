#!/usr/bin/env bash
# The test tiers, in order; stops at the first failing tier, prints each tier's time and, at the
# end (failure included), a summary table.
#   1     unit, meeting-report parsers, integration on SQLite (workbench runtime), catalog, packaging
#   platform  our blocks against the platform's own pip-installable parts (edx-django-utils' plugin
#         loading, edx-completion, opaque keys) in LMS- and Studio-shaped runtimes, and the Tutor
#         plugin rendered by the real Tutor (its own environment, <venv>-tutor: scripts/tutor-venv.sh)
#   fuzz  every block handler fed generated input (Hypothesis; VNOT_FUZZ_EXAMPLES per handler,
#         the suite's default when unset; `make fuzz` runs 10000)
#   2     the integration suite again on MariaDB (a private server started here from Debian's package)
#   server  the periodic test over HTTP against a real server: gunicorn serving the demo project on
#         MariaDB (scripts/server.sh), killed and restarted, the network cut for 60 s, saves twice
#         and out of order, two devices, and a short run of bench/http_load.py (tests/server)
#   3     xblock-sdk's own suite with our blocks installed (renders every scenario)
#   4     browser tests in Debian's Chromium (screenshots in test-artifacts/screenshots)
# TIERS chooses and orders them: TIERS="1 fuzz" bash scripts/test.sh. Default: all, as above.
# Outside CI a missing MariaDB or Chromium skips that tier with a loud message; in CI it fails.
# A tier that collects no test fails (pytest exits 5): a tier never passes by running nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
case $VENV in /*) PY="$VENV/bin/python" ;; *) PY="$PWD/$VENV/bin/python" ;; esac
TIERS=${TIERS:-1 platform fuzz 2 server 3 4}
export VNOT_VAR=${VNOT_VAR:-$PWD/var/test-$(basename "$VENV")}
export DJANGO_SETTINGS_MODULE=vn_online_teaching.demo.settings
mkdir -p "$VNOT_VAR" test-artifacts
in_ci() { [ "${CI:-}" = "true" ]; }
banner() { printf '\n=== %s ===\n' "$*"; }
wants() { [[ " $TIERS " == *" $1 "* ]]; }

for tier in $TIERS; do
  case $tier in 1|platform|fuzz|2|server|3|4) ;; *) echo "unknown tier '$tier' (tiers: 1 platform fuzz 2 server 3 4)" >&2; exit 2 ;; esac
done
if wants 2 || wants server || wants 4; then
  bash scripts/system-deps.sh || echo "!! could not install system packages; dependent tiers may skip" >&2
fi

ROWS=()
MARIADB_STARTED=""
finish() {
  local status=$?
  if [ -n "$MARIADB_STARTED" ]; then bash scripts/mariadb.sh stop || true; fi
  printf '\n=== Summary: Python %s, %s ===\n' "$("$PY" -c 'import platform; print(platform.python_version())' 2>/dev/null || echo '?')" "$VENV"
  printf '%-8s  %-12s  %7s  %s\n' "tier" "result" "seconds" "what"
  local row
  for row in ${ROWS[@]+"${ROWS[@]}"}; do
    IFS='|' read -r name result secs what <<<"$row"
    printf '%-8s  %-12s  %7s  %s\n' "$name" "$result" "$secs" "$what"
  done
  exit "$status"
}
trap finish EXIT

# run NAME WHAT COMMAND...: one tier, timed; its exit status is the command's.
run() {
  local name=$1 what=$2 start=$SECONDS status=0
  shift 2
  banner "Tier $name: $what"
  "$@" || status=$?
  local secs=$((SECONDS - start))
  printf -- '--- tier %s: %ss, %s\n' "$name" "$secs" "$([ "$status" = 0 ] && echo passed || echo "failed (exit $status)")"
  ROWS+=("$name|$([ "$status" = 0 ] && echo passed || echo "FAILED ($status)")|$secs|$what")
  return "$status"
}
skip() {  # skip NAME WHAT REASON: loud outside CI, a failure in CI
  if in_ci; then echo "$3 in CI" >&2; ROWS+=("$1|FAILED|0|$2"); exit 1; fi
  echo "!!!!! $3: tier $1 ($2) is SKIPPED !!!!!" >&2
  ROWS+=("$1|SKIPPED|0|$2")
}

# The tiers. They run where `set -e` does not reach (inside `run`), so each step that can fail
# returns explicitly. PYTEST_ARGS (e.g. "--durations=30") is passed to every tier's pytest.
run_pytest() { "$PY" -m pytest "$@" ${PYTEST_ARGS:-}; }
tier_1() { run_pytest tests -m "not browser" --ignore=tests/browser --ignore=tests/fuzz --ignore=tests/platform --ignore=tests/server -q; }
# Its own settings module (tests/platform/settings.py, shaped like the LMS's) and pytest.ini.
tier_platform() {
  VENV=$VENV bash scripts/tutor-venv.sh >/dev/null || return
  run_pytest tests/platform --ds=settings -q
}
tier_fuzz() { run_pytest tests/fuzz -q; }
tier_2() {
  bash scripts/mariadb.sh start || return
  MARIADB_STARTED=yes
  local port
  port=$(bash scripts/mariadb.sh port) || return
  VNOT_DB=mariadb VNOT_DB_PORT=$port run_pytest tests/integration -q
}
# Starts MariaDB when tier 2 has not (then stops it), and gunicorn, on a database of its own.
tier_server() { run_pytest tests/server -q -p no:randomly; }
tier_3() {
  (cd "$VNOT_VAR" && run_pytest -p no:cacheprovider -o django_find_project=false \
     --ds=vn_online_teaching.demo.sdk_settings --pyargs workbench.test -q -W ignore)
}
tier_4() { DJANGO_ALLOW_ASYNC_UNSAFE=true run_pytest tests/browser -m browser -q; }

for tier in $TIERS; do
  case $tier in
    1) run 1 "unit, parsers, integration on SQLite, catalog, packaging" tier_1 ;;
    platform) run platform "the platform's parts, LMS and Studio runtimes, Tutor plugin" tier_platform ;;
    fuzz) run fuzz "handlers fed generated input (${VNOT_FUZZ_EXAMPLES:-default} examples each)" tier_fuzz ;;
    2) if command -v mariadbd >/dev/null 2>&1; then run 2 "integration on MariaDB" tier_2
       else skip 2 "integration on MariaDB" "MariaDB is not installed (run as root or install mariadb-server)"; fi ;;
    server) if command -v mariadbd >/dev/null 2>&1; then run server "over HTTP: gunicorn on MariaDB, faults, load smoke" tier_server
       else skip server "over HTTP: gunicorn on MariaDB" "MariaDB is not installed (run as root or install mariadb-server)"; fi ;;
    3) run 3 "xblock-sdk's own suite with our blocks" tier_3 ;;
    4) if [ -x /usr/bin/chromium ]; then run 4 "browser tests (Chromium)" tier_4
       else skip 4 "browser tests (Chromium)" "Chromium is not installed"; fi ;;
  esac
done
