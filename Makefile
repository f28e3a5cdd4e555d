# Steppe: `make run` serves the demo site, `make test` runs the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
UV_VERSION := 0.13.9
UV := $(VENV)/bin/uv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install install-prod lock migrate demo lint format messages check-deploy smoke clean

$(UV):
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

# Installs the locked dependencies (exact versions and hashes); re-runs only when the lock changes.
$(VENV)/.installed: $(UV) requirements/dev.lock
	$(UV) pip install --quiet --python $(VENV)/bin/python --require-hashes -r requirements/dev.lock
	@touch $@

# After changing dependencies in pyproject.toml: pin them again (runtime only, and runtime + dev).
lock: $(UV)
	$(UV) pip compile pyproject.toml --generate-hashes --universal --python-version 3.11 --no-header -q -o requirements/base.lock
	$(UV) pip compile pyproject.toml --group dev --generate-hashes --universal --python-version 3.11 --no-header -q -o requirements/dev.lock

install: $(VENV)/.installed

# A production server: the runtime dependencies only (no test tools, browsers' drivers or moto).
install-prod: $(UV)
	$(UV) pip sync --quiet --python $(VENV)/bin/python --require-hashes requirements/base.lock

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

# The demo lets the editor in without a second factor; production requires it (STEPPE_EDITOR_MFA_REQUIRED).
run: demo
	@echo "Steppe: http://$(HOST):$(PORT)/"
	DEBUG=1 STEPPE_EDITOR_MFA_REQUIRED=0 $(PY) manage.py runserver $(HOST):$(PORT)

# The whole suite, on SQLite unless DATABASE_URL says otherwise (CI runs it on PostgreSQL too).
test: install
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest --create-db $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Refresh the French catalogue after changing translatable strings, then fill in the new msgstr.
messages: install
	$(PY) manage.py makemessages -l fr --ignore=.venv --ignore=var --ignore=demo --no-obsolete
	$(PY) manage.py compilemessages -l fr

check-deploy: install
	STEPPE_ENV=production SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
		ALLOWED_HOSTS=steppe.example.org $(PY) manage.py check --deploy --fail-level WARNING

# The production profile end to end on this machine: S3 (moto), gunicorn, db_worker, PostgreSQL, Redis.
smoke: install
	$(PY) deploy/smoke.py

clean:
	rm -rf $(VENV) var test-output
