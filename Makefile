# casehub: `make run` to try it, `make test` to check it.
VENV      ?= .venv
PY        := $(VENV)/bin/python
HOST      ?= 127.0.0.1
PORT      ?= 8000
# Development defaults; any of them can be overridden from the environment.
export DEBUG ?= 1

.PHONY: help venv install migrate seed run test lint bench messages clean

help:
	@echo "make run    set up, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   run the test suite"
	@echo "make bench  run the benchmarks"

# The virtual environment is rebuilt when the dependency pins change.
$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@set -e; \
	if [ ! -x $(PY) ]; then \
	  python=$$(scripts/find-python); \
	  echo "creating $(VENV) with $$python"; \
	  $$python -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt '.[dev]'
	@touch $@

venv install: $(VENV)/.installed

migrate: $(VENV)/.installed
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_agencies
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_disclosures

# The outbox worker runs beside the server and stops with it.
run: seed
	@echo "casehub on http://$(HOST):$(PORT)/  (demo logins: see README)"
	@$(PY) manage.py run_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/uvicorn casehub.asgi:application --host $(HOST) --port $(PORT) --ws-max-size 65536

# Tests run on whatever DATABASE_URL / REDIS_URL say (SQLite and the
# in-memory layer by default; .ci/run points them at PostgreSQL and Redis).
test: $(VENV)/.installed
	DEBUG=0 $(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .

bench: $(VENV)/.installed
	DEBUG=0 $(PY) -m bench $(BENCH_ARGS)

# Refresh the translation catalogue after changing user-facing text.
messages: $(VENV)/.installed
	$(PY) manage.py makemessages --locale zh_Hans --locale en --ignore '.venv/*' --ignore 'tests/*' --ignore 'bench/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

clean:
	rm -rf $(VENV) var .pytest_cache
