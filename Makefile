# The two commands: `make run` (demo workbench) and `make test` (every test tier).
# Both create or update the virtual environment first; nothing is needed beforehand.
# `make test TIERS="1 fuzz"` runs some tiers only (scripts/test.sh lists them); `make test-311`
# runs what catches a Python 3.11 difference (tier 1, packaging included, and the platform tier with
# its Tutor) in a second venv;
# `make fuzz` runs the fuzz tier long (FUZZ_EXAMPLES generated inputs per handler).
VENV ?= .venv
PYTHON_VERSION ?= 3.12
PY := $(VENV)/bin/python
SETTINGS := vn_online_teaching.demo.settings
HOST ?= 127.0.0.1:8000
TIERS ?= 1 platform fuzz 2 server 3 4
FUZZ_EXAMPLES ?= 10000

.PHONY: run test test-311 fuzz venv messages update-catalog migrations bench bench-checkin bench-http clean system-deps

venv: $(VENV)/.installed

$(VENV)/.installed: setup.py requirements/dev.txt requirements/constraints.txt scripts/venv.sh
	PYTHON_VERSION=$(PYTHON_VERSION) VENV=$(VENV) bash scripts/venv.sh
	touch $@

messages: venv
	bash scripts/compile-messages.sh

# Extract the marked strings into both catalogs, keeping every translation (docs/contributing.md).
update-catalog: venv
	$(PY) scripts/messages.py update

run: venv messages
	VENV=$(VENV) HOST=$(HOST) bash scripts/run-demo.sh

test: venv messages
	VENV=$(VENV) TIERS="$(TIERS)" bash scripts/test.sh

test-311:
	$(MAKE) test VENV=.venv311 PYTHON_VERSION=3.11 TIERS="1 platform"

fuzz: venv messages
	VENV=$(VENV) TIERS=fuzz VNOT_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) bash scripts/test.sh

system-deps:
	bash scripts/system-deps.sh

migrations: venv
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) -m django makemigrations vn_online_teaching

bench: venv
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) bench/material_render.py

bench-checkin: venv
	DJANGO_SETTINGS_MODULE=$(SETTINGS) $(PY) bench/checkin.py

# Over HTTP against gunicorn on MariaDB (scripts/server.sh): 300 students saving for 5 minutes, then
# the 7:30 check-in burst of 400 beside a bare view. BENCH_HTTP_ARGS="--students 30 --minutes 0.5".
bench-http: venv
	bash scripts/system-deps.sh
	VENV=$(VENV) $(PY) bench/http_load.py $(BENCH_HTTP_ARGS)

clean:
	rm -rf $(VENV) $(VENV)-tutor .venv311 .venv311-tutor var build dist *.egg-info xblocks/*.egg-info
