# The two commands a newcomer needs: `make run` (demo on SQLite, tasks in-process) and `make test`
# (whole suite against PostgreSQL and Redis). Everything else supports them.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages the portal needs: WeasyPrint's Pango, gettext, Chromium for the browser tests.
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 gettext chromium poppler-utils
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/guichet
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test install system-deps services lint typecheck hooks format migrations-check messages lock check-deploy screenshots worker beat clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed

system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installation des paquets Debian : $$missing"; \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

## make run — install, migrate, load the demo data and serve http://127.0.0.1:8000 (SQLite, tasks in-process)
run: install system-deps
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# Coverage of the project's packages, measured by every `make test`. The floor is enforced only on a
# whole run: a partial one (`make test PYTEST_ARGS="-k isolation"`) covers little by design and must
# not fail for it. Set COVERAGE_FLOOR= (empty) to skip it, or another figure to try one.
COVERAGE_PACKAGES := config portal installations governance training prevention
COVERAGE_FLOOR ?= 90
COVERAGE_ARGS := $(addprefix --cov=,$(COVERAGE_PACKAGES)) --cov-report=term-missing:skip-covered
ifeq ($(strip $(PYTEST_ARGS)),)
ifneq ($(strip $(COVERAGE_FLOOR)),)
COVERAGE_ARGS += --cov-fail-under=$(COVERAGE_FLOOR)
endif
endif

## make test — the whole suite against PostgreSQL and Redis (started here if they are down), with
## coverage; a whole run fails under COVERAGE_FLOOR %
test: install system-deps services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest --create-db $(COVERAGE_ARGS) $(PYTEST_ARGS)

## make screenshots — the public pages of each demo territory at 360 and 1,280 px, in var/screenshots/
screenshots: install system-deps services
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(BIN)/pytest --create-db tests/browser/test_demo_screenshots.py

services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no
	@for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 && exit 0; sleep 1; done; \
		echo "PostgreSQL ou Redis ne répond pas sur 127.0.0.1"; exit 1

## make lint — ruff (lint + format check) and the import contracts of pyproject.toml (import-linter)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

## make typecheck — mypy with django-stubs (lenient on the project, strict on the shared core's API)
typecheck: install
	$(BIN)/mypy

## make hooks — run ruff, the migrations check, import-linter and mypy before each commit (pre-commit)
hooks: install
	$(BIN)/pre-commit install

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

## make messages — extract the French strings and compile them (the .mo files are committed).
## The source strings are French: msgen copies each one as its own translation.
messages: install system-deps
	$(BIN)/python manage.py makemessages -l fr --ignore=.venv --ignore=var --ignore=tests --ignore=benchmarks --no-obsolete --no-location
	# The code's strings are French already: every entry is its own translation. A "fuzzy" guess by
	# msgmerge (a similar older string) would be skipped at compile time, and its plural read with the
	# wrong rule: cleared, then filled from the source like the others.
	msgattrib --no-wrap --clear-fuzzy --empty -o locale/fr/LC_MESSAGES/django.po locale/fr/LC_MESSAGES/django.po
	msgen --no-wrap -o locale/fr/LC_MESSAGES/django.po locale/fr/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages -l fr --ignore=.venv

## make check-deploy — the production settings with every required variable (nothing is contacted)
check-deploy: install
	DJANGO_SETTINGS_MODULE=config.settings.production SECRET_KEY=$$(head -c 64 /dev/urandom | base64 | tr -d '\n=/+') \
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) CELERY_BROKER_URL=$(TEST_REDIS_URL) \
	ALLOWED_HOSTS=sante.example.org $(BIN)/python manage.py check --deploy --fail-level WARNING

lock: $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	(echo "# Exact versions of every package, direct and transitive: a fresh install is reproducible."; \
	 echo "# Regenerate with: make lock"; $(BIN)/pip freeze --exclude-editable | grep -v '^guichet') > requirements/constraints.txt

worker: install
	$(BIN)/celery -A config worker -l info

beat: install
	$(BIN)/celery -A config beat -l info

clean:
	rm -rf $(VENV) var db.sqlite3
