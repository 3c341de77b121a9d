# The two commands that matter: `make run` and `make test` (see README.md).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-dev
HOST ?= 127.0.0.1
PORT ?= 8000
DEMO_PASSWORD ?= send-demo-password
# The suite runs on every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

.PHONY: run setup install test test-fast lint format lock vendor bench bench-roles bench-reminders bench-reports bench-import bench-worklist bench-national bench-national-plans bench-load clean help


help:
	@echo "make run    - set up (venv, install, migrate, demo data) and serve http://$(HOST):$(PORT) on SQLite"
	@echo "make test   - run the whole test suite (lint, migrations check, unit, integration, browser)"
	@echo "make bench  - time the EHC screens on a national-size demo data set"
	@echo "make bench-roles - time the job description PDF"
	@echo "make bench-reminders - time the reminder selection and print its query plans"
	@echo "make bench-reports - time the dashboard and the annual report PDF"
	@echo "make bench-import - time a 10,000-row caseload import (BENCH_ROWS to change it)"
	@echo "make bench-worklist - time the worklist on 200,000+ requests, with plans (PostgreSQL)"
	@echo "make bench-national - every page at 10k and 1M requests on PostgreSQL (BENCH_REQUESTS to change it)"
	@echo "make bench-load - 20 users against gunicorn for 60 s, with and without think time"
	@echo "make lock   - re-pin dependencies from pyproject.toml into requirements/*.txt"
	@echo "make vendor - refresh GOV.UK Frontend and MOJ Frontend from npm"

# The virtual environment, rebuilt whenever the lock file changes.
$(STAMP): requirements/dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements/dev.txt
	touch $(STAMP)

install: $(STAMP)

# Migrate, create the database cache table (used when REDIS_URL is unset) and
# load the small demo data set; safe to repeat (no duplicates).
setup: export DEMO_PASSWORD := $(DEMO_PASSWORD)
setup: $(STAMP)
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo --size small

run: export DEMO_PASSWORD := $(DEMO_PASSWORD)
# Links in emails point at the portal being run: `make run PORT=8001` sets
# SITE_URL to http://127.0.0.1:8001 (HOST and PORT as given; `SITE_URL=...`
# on the command line still wins over this).
run: export SITE_URL := http://$(HOST):$(PORT)
run: setup
	@echo ""
	@echo "Demo password for every account above: $(DEMO_PASSWORD)"
ifeq ($(strip $(filter-out none,$(OTP_REQUIRED_ROLES))),)
	@echo "Two-factor sign-in is off in development: the password is enough. To try it, run"
	@echo "  OTP_REQUIRED_ROLES=administrator,designated_officer,health_practitioner,la_officer make run"
	@echo "or set up an authenticator app under 'Your settings' (README.md, 'Two-factor sign-in')."
else
	@echo "Two-factor sign-in is required of: $(OTP_REQUIRED_ROLES)."
	@echo "Those demo users set up an authenticator app at their first sign-in."
endif
	@echo "Open http://$(HOST):$(PORT)/ and sign in. Press Ctrl+C to stop."
	@echo ""
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(STAMP)
	$(PY) -m ruff check .
	DATABASE_URL=sqlite:///:memory: $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest -n $(TEST_WORKERS) --dist load --durations=15 $(PYTEST_ARGS)

# Everything except the browser tests, for a quick loop while coding.
test-fast: $(STAMP)
	$(PY) -m pytest -m "not functional and not slow" $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

lock:
	uv pip compile pyproject.toml --python-version 3.11 -o requirements/base.txt
	uv pip compile pyproject.toml --python-version 3.11 --extra dev -o requirements/dev.txt

vendor:
	scripts/vendor_frontend.sh

# Timings of the EHC screens on a big demo data set (see bench/ehc_pages.py).
bench: $(STAMP)
	$(PY) bench/ehc_pages.py

# Median time to render a full job description PDF (see bench/job_description_pdf.py).
bench-roles: $(STAMP)
	$(PY) bench/job_description_pdf.py

# The daily reminder selection: time and query plans, before and after adding
# closed history (see bench/reminder_selection.py).
bench-reminders: $(STAMP)
	$(PY) bench/reminder_selection.py

# The commissioner's dashboard and the annual report PDF (bench/reports.py).
bench-reports: $(STAMP)
	$(PY) bench/reports.py

# A 10,000-row caseload tracker imported through the services (bench/caseload_import.py).
bench-import: $(STAMP)
	$(PY) bench/caseload_import.py

# The worklist on a data set grown in SQL to about 220,000 requests: median, p95,
# the raw SQL's time, and EXPLAIN with BENCH_EXPLAIN=1 (bench/worklist.py; needs
# DATABASE_URL pointing at PostgreSQL).
bench-worklist: $(STAMP)
	$(PY) bench/worklist.py
# The national benchmark on PostgreSQL (bench/national.py, docs/performance.md):
# builds or reuses <name>_10k and <name> from DATABASE_URL when it names PostgreSQL (else
# BENCH_DATABASE_URL), measures every
# page on both and writes bench/results/national.json. It drops and rebuilds only
# databases it built itself.
BENCH_DATABASE_URL ?= $(if $(filter postgres%,$(DATABASE_URL)),$(DATABASE_URL),postgres://postgres@127.0.0.1:5432/send_portal_national)
bench-national: $(STAMP)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/national.py

# EXPLAIN ANALYZE of each measure's slowest statements on the database bench-national
# built (bench/national_plans.py; BENCH_PLANS=worklist,... to choose).
bench-national-plans: $(STAMP)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/national_plans.py

# Mixed load (bench/load.py, bench/locustfile.py): gunicorn on 127.0.0.1, 16 officers
# and 4 commissioners for 60 s with think time and without; bench/results/load.json.
bench-load: $(STAMP)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/load.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-shm db.sqlite3-wal
