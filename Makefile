# 履职通 Lvzhi — every routine task. `make demo` and `make test` are all a fresh
# machine needs; both install what they use into .venv first.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
# One test process per core of this machine kind (2).
PYTEST_WORKERS ?= 2
STAMP := $(VENV)/.installed

.PHONY: demo serve install test test-pg e2e lint format ci bench bench-province bench-load bench-export bench-assist vendor messages browser clean

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(STAMP)

# Migrate, load the demo committee (idempotent), print the logins and serve.
# No worker runs beside the demo server, so its jobs (large exports) run in
# the request (HUEY_IMMEDIATE=1).
demo: $(STAMP)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl-C to stop)"
	HUEY_IMMEDIATE=1 $(PY) manage.py runserver 127.0.0.1:$(PORT) --noreload

serve: $(STAMP)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Debian's Chromium and a CJK font for the browser tests. Installed when missing
# and we are root; otherwise stop with a clear message (never a silent skip).
browser:
	@if [ -x /usr/bin/chromium ] && fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  exit 0; \
	elif [ "$$(id -u)" = "0" ]; then \
	  echo "Installing Debian's chromium and fonts-noto-cjk for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk gettext >/dev/null; \
	else \
	  echo "The browser tests need Debian's chromium and fonts-noto-cjk:"; \
	  echo "  sudo apt-get install -y chromium fonts-noto-cjk"; \
	  exit 1; \
	fi

# The whole suite on SQLite, browser tests included, in PYTEST_WORKERS
# processes (pytest-xdist; each seeds its own demo and has its own database).
XDIST := -n $(PYTEST_WORKERS)
test: $(STAMP) browser
	$(PY) -m pytest -q $(XDIST)

# The same suite on PostgreSQL.
test-pg: $(STAMP) browser
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(PY) -m pytest -q $(XDIST)

e2e: $(STAMP) browser
	$(PY) -m pytest -q -m browser

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy lvzhi
	$(VENV)/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	DEBUG=0 HTTPS=1 SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(64))') \
	  ALLOWED_HOSTS=lvzhi.example.org $(PY) manage.py check --deploy --fail-level WARNING

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

ci: lint test test-pg

bench: $(STAMP)
	$(PY) bench/run.py

# The key pages on the province dataset (PostgreSQL; built by bench/province.py
# when missing, ≤ 20 min): DATABASE_URL must name a scratch database.
bench-province: $(STAMP)
	@test -n "$$DATABASE_URL" || { echo "bench-province needs DATABASE_URL=postgres://… (a scratch database)"; exit 1; }
	$(PY) bench/run_province.py

# 200 concurrent users through nginx → gunicorn on loopback, driven by locust,
# on the province dataset (bench/run_load.py). Installs nginx (Debian, as root)
# and locust (bench/requirements-load.txt) when missing; neither is needed by
# `make demo` or `make test`.
bench-load: $(STAMP)
	@test -n "$$DATABASE_URL" || { echo "bench-load needs DATABASE_URL=postgres://… (the province dataset)"; exit 1; }
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { \
	  if [ "$$(id -u)" = "0" ]; then DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; \
	  else echo "bench-load needs nginx: sudo apt-get install -y nginx-light"; exit 1; fi; }
	$(PY) -m pip install --quiet -r bench/requirements-load.txt
	$(PY) bench/run_load.py

# Time and peak memory of an export of 10,000 and 100,000 rows (bench/export.py).
bench-export: $(STAMP)
	$(PY) bench/export.py

# p50/p95 of search and similar proposals on a province-sized index (bench/assist_latency.py).
bench-assist: $(STAMP)
	$(PY) bench/assist_latency.py

vendor:
	bash scripts/vendor.sh

# Refresh the catalogues after changing UI text; zh_Hans must stay complete.
# New translations may be dropped into locale/zh_Hans/pending/*.json
# ({"English msgid": "中文"}); the merge fills them in. zh_Hant is generated
# from zh_Hans. The compiled .mo files are committed, so serving and testing
# need no gettext tools; only this target does (apt-get install gettext).
messages: $(STAMP)
	$(PY) manage.py makemessages -l zh_Hans -l en --ignore=.venv --ignore=var --ignore=static/vendor --no-obsolete
	$(PY) scripts/merge_translations.py
	$(PY) scripts/make_zh_hant.py
	$(PY) manage.py compilemessages --ignore=.venv -v0

clean:
	rm -rf var/test*.sqlite3* var/static
