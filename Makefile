# The two commands: `make run` (demo workbench) and `make test` (every test tier).
# Both create or update the virtual environment first; nothing is needed beforehand.
VENV ?= .venv
PYTHON_VERSION ?= 3.12
PY := $(VENV)/bin/python
SETTINGS := vn_online_teaching.demo.settings
HOST ?= 127.0.0.1:8000

.PHONY: run test venv messages migrations bench bench-checkin clean system-deps

venv: $(VENV)/.installed

$(VENV)/.installed: setup.py requirements/dev.txt requirements/constraints.txt scripts/venv.sh
	PYTHON_VERSION=$(PYTHON_VERSION) VENV=$(VENV) bash scripts/venv.sh
	touch $@

messages: venv
	bash scripts/compile-messages.sh

run: venv messages
	VENV=$(VENV) HOST=$(HOST) bash scripts/run-demo.sh

test: venv messages
	VENV=$(VENV) bash scripts/test.sh

migrations: venv
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) -m django makemigrations vn_online_teaching

bench: venv
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) bench/material_render.py

bench-checkin: venv
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) bench/checkin.py

clean:
	rm -rf $(VENV) var build dist *.egg-info xblocks/*.egg-info
