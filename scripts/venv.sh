#!/usr/bin/env bash
# Create (or update) the virtual environment: Python $PYTHON_VERSION when pyenv or the system
# has it, otherwise python3. Every install is constrained (no Django 6, setuptools<82).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
want=${PYTHON_VERSION:-3.12}
pick_python() {
  if command -v pyenv >/dev/null 2>&1; then
    local v; v=$(pyenv versions --bare 2>/dev/null | grep -E "^${want//./\\.}(\.|$)" | sort -V | tail -1 || true)
    if [ -n "$v" ]; then echo "$(pyenv root)/versions/$v/bin/python"; return; fi
  fi
  if command -v "python$want" >/dev/null 2>&1; then command -v "python$want"; return; fi
  echo "Python $want not found; using python3" >&2
  command -v python3
}
if [ ! -x "$VENV/bin/python" ]; then
  py=$(pick_python)
  echo "Creating $VENV with $("$py" --version)"
  "$py" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --upgrade pip 'setuptools<82' wheel
"$VENV/bin/python" -m pip install -q -c requirements/constraints.txt -r requirements/dev.txt
"$VENV/bin/python" -m pip install -q -c requirements/constraints.txt -e .
