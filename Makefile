# Everyday commands. `make run` serves the site with demo content; `make test` runs the linter
# and every test, exactly as CI does (.ci/run). Both set up .venv on first use, and re-install
# packages only after the lock file they depend on changes.

# The first Python 3.11 found: python3.11, else python3 if it is 3.11 (pyproject.toml requires 3.11).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || \
	{ python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && command -v python3; })
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help run serve test lint bench bench-archive

help:
	@echo "make run    serve the site with demo content on http://127.0.0.1:$(PORT) (PORT=8001 make run)"
	@echo "make serve  production on one machine: gunicorn behind Varnish, DEBUG off (docs/deployment.md)"
	@echo "make test   lint, then run every test (PYTEST_ARGS='-k browser' to pick some)"
	@echo "make lint   ruff only: its checks, and the code as ruff format writes it (ruff format . fixes that)"
	@echo "make bench  the reader pages under gunicorn and wrk against the ceiling; table in var/bench/latest.txt (BENCH_ARGS=--quick)"
	@echo "make bench-archive  the pages at 100,000 stories beside the demo's size (BENCH_ARGS=--articles 10000 ...)"

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Python 3.11 is needed: install it as python3.11, or set PYTHON=/path/to/python3.11." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

# Stamp files inside .venv record which lock was installed, so a changed lock re-installs and an
# unchanged one costs nothing; deleting .venv starts over.
$(VENV)/.installed-runtime: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.lock
	touch $@

# Development mode is explicit (see newsroom/settings.py). The data lives in var/, so a second
# run keeps it: migrate, load_demo, make_renditions and ensure_admin change nothing that is already there.
run: export DJANGO_DEBUG = 1
run: $(VENV)/.installed-runtime
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@# Renditions for images stored before the image pipeline, or with other widths; an image that
	@# cannot be read is reported and must not stop the site from starting.
	$(BIN)/python manage.py make_renditions || echo "Some images could not be used; upload them again (see above)."
	$(BIN)/python manage.py ensure_admin --port $(PORT)
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The Nu HTML Checker (vnu-jar, run with the machine's Java) and axe-core, pinned in package-lock.json, for the
# validity tests (tests/test_valid_pages.py). Same stamp pattern as above, inside node_modules/. --ignore-scripts:
# vnu-jar's install script would download a JDK of its own when it finds no Java; Debian's is used instead.
# Without npm the tests skip and say why (fail in CI, where NEWSROOM_REQUIRE_SERVICES=1).
node_modules/.installed: package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --ignore-scripts && touch $@; \
	else \
		echo "npm is missing, so the HTML validity and axe-core tests will not run (apt-get install npm)." >&2; \
	fi
# Production on one machine (scripts/serve.py): checks the settings, migrates, collects static files, loads the
# demo into an empty database only, then gunicorn behind varnishd on PORT until Ctrl-C.
serve: $(VENV)/.installed-runtime
	PORT=$(PORT) $(BIN)/python scripts/serve.py

# Settings refuse to start without a secret key when DEBUG is off, as in tests, and pytest-django
# loads them before any conftest runs, so the key must come from the environment. The default is
# for tests only; an environment value wins.
test: export DJANGO_SECRET_KEY ?= test-only-not-secret
test: lint node_modules/.installed
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Timings live here, never in the test suite: the machines are shared and noisy.
bench: $(VENV)/.installed-runtime
	$(BIN)/python scripts/bench.py $(BENCH_ARGS)

# The pages on a generated 100,000-story archive beside the demo's size (scripts/bench_archive.py); making the
# archive takes about a quarter of an hour on SQLite.
bench-archive: $(VENV)/.installed-runtime
	$(BIN)/python scripts/bench_archive.py $(BENCH_ARGS)
