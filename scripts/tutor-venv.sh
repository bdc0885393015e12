#!/usr/bin/env bash
# Create (or update) the Tutor environment of the platform tier: ${VENV}-tutor, made with the same
# Python as $VENV, holding requirements/tutor.txt and our package (editable, without dependencies:
# only its tutor.plugin.v1 entry point is needed). Prints the path of its `tutor` command.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
TUTOR_VENV=${TUTOR_VENV:-$VENV-tutor}
stamp="$TUTOR_VENV/.installed"
if [ ! -x "$TUTOR_VENV/bin/tutor" ] || [ ! -f "$stamp" ] || [ requirements/tutor.txt -nt "$stamp" ] \
   || [ setup.py -nt "$stamp" ]; then
  [ -x "$TUTOR_VENV/bin/python" ] || "$VENV/bin/python" -m venv "$TUTOR_VENV" >&2
  "$TUTOR_VENV/bin/python" -m pip install -q --upgrade pip >&2
  "$TUTOR_VENV/bin/python" -m pip install -q -r requirements/tutor.txt >&2
  "$TUTOR_VENV/bin/python" -m pip install -q --no-deps -e . >&2
  touch "$stamp"
fi
case $TUTOR_VENV in /*) echo "$TUTOR_VENV/bin/tutor" ;; *) echo "$PWD/$TUTOR_VENV/bin/tutor" ;; esac
