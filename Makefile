# The two commands a fresh machine needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test chromium install install-test lint worker beat

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): requirements/base.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt
	touch $@

$(STAMP_TEST): requirements/base.txt requirements/dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements/base.txt -r requirements/dev.txt
	touch $@ $(STAMP_RUN)

install: $(STAMP_RUN)
install-test: $(STAMP_TEST)

# SQLite, in-process tasks and console email unless DATABASE_URL / REDIS_URL / EMAIL_URL are set.
run: export PORTAL_ENV ?= development
run: $(STAMP_RUN)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_data
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite; DATABASE_URL and REDIS_URL are used when set (CI sets both).
# Chromium is checked first, so a machine that lacks it learns so before the long install.
test: chromium $(STAMP_TEST)
	$(BIN)/python -m pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

# Debian's Chromium for the browser tests: installed when missing and this is root with apt-get,
# otherwise one line says what to install.
chromium:
	@bash scripts/ensure-chromium

lint: $(STAMP_TEST)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/bandit -q -c pyproject.toml -r portal -lll

worker: $(STAMP_RUN)
	$(BIN)/celery -A portal worker --loglevel=info

beat: $(STAMP_RUN)
	$(BIN)/celery -A portal beat --loglevel=info
