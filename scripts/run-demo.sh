#!/usr/bin/env bash
# Migrate, load the demo data (idempotent) and serve the workbench.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
HOST=${HOST:-127.0.0.1:8000}
export DJANGO_SETTINGS_MODULE=vn_online_teaching.demo.settings
"$VENV/bin/python" -m django migrate --run-syncdb -v 0
"$VENV/bin/python" -m django load_demo
echo
echo "Demo: http://$HOST/   (Vietnamese; add ?student=<username> to be someone)"
exec "$VENV/bin/python" -m django runserver --noreload "$HOST"
