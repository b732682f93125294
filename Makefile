# phpnet: two commands for everything.
#   make run    serve phpnet with demo data on http://127.0.0.1:5000
#   make test   install what is missing, then lint and test on SQLite and PostgreSQL
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := run

VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet
HOST ?= 127.0.0.1
PORT ?= 5000
# Extra pytest arguments for the SQLite and the PostgreSQL run. The whole suite
# runs on SQLite; on PostgreSQL every test whose outcome can depend on the
# database runs again, which leaves out the real-browser tests and the
# authorization matrix (they drive the same views, whose queries the plugins'
# and core's HTTP tests run on PostgreSQL), the hardening tests, whose
# database-bound part `make hardening` runs on PostgreSQL, and the scaffold's
# test, which runs a generated module's tests on SQLite in a copy of the repo.
PYTEST_ARGS ?=
# pytest-xdist workers: one per core of the office server and of CI.
PYTEST_WORKERS ?= 2
PG_PYTEST_ARGS ?= -m "not browser" --ignore=tests/hardening \
	--ignore=tests/test_authorization.py --ignore=tests/test_scaffold.py

.PHONY: run test lint system-packages

run: $(VENV)/.installed
	$(BIN)/phpnet db upgrade
	$(BIN)/phpnet regions load
	$(BIN)/phpnet demo --if-empty
	@echo "phpnet: http://$(HOST):$(PORT)  (Ctrl+C untuk berhenti)"
	$(BIN)/gunicorn --workers 2 --bind $(HOST):$(PORT) --access-logfile - wsgi:app

test: system-packages $(VENV)/.installed-test node_modules/.installed lint
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PYTEST_ARGS)
	scripts/with-postgres.sh $(BIN)/pytest -q -n $(PYTEST_WORKERS) $(PG_PYTEST_ARGS)

# ruff's rules and formatting, and the import contract of plugins (pyproject.toml).
lint: $(VENV)/.installed-test
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/lint-imports

system-packages:
	@scripts/system-packages.sh

$(BIN)/python:
	python3 -m venv $(VENV)

# Stamps: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	@touch $@ $(VENV)/.installed

node_modules/.installed: package.json package-lock.json
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

# The benchmark (bench/README.md): its own bench/.venv, datasets cached in bench/out.
#   make bench BENCH_ARGS=--quick
BENCH_ARGS ?=
.PHONY: bench
bench:
	bench/run $(BENCH_ARGS)

# The hardening suite of issue 6 (security.md): the injection corpus, fuzzing
# and the fault tests on SQLite, the ones where the database matters on
# PostgreSQL, then wapiti and sqlmap against a logged-in server. The quick
# hardening modules already run in `make test` on SQLite.
HARDENING_PG_TESTS := tests/hardening/test_fault_gunicorn_kill.py \
	tests/hardening/test_fault_concurrent_writes.py tests/hardening/test_fault_migration_populated.py \
	tests/hardening/test_fuzz_lists.py tests/hardening/test_lost_update.py \
	tests/hardening/test_nul_bytes.py tests/hardening/test_injection_corpus.py \
	tests/hardening/test_injection_corpus_every_form.py tests/hardening/test_huge_ids.py

.PHONY: hardening hardening-sqlite hardening-postgres scan ci
hardening: hardening-sqlite hardening-postgres scan

hardening-sqlite: system-packages $(VENV)/.installed-test node_modules/.installed
	PHPNET_HARDENING=1 $(BIN)/pytest -q -n $(PYTEST_WORKERS) tests/hardening

hardening-postgres: system-packages $(VENV)/.installed-test
	PHPNET_HARDENING=1 scripts/with-postgres.sh $(BIN)/pytest -q -n $(PYTEST_WORKERS) $(HARDENING_PG_TESTS) \
		-k "not test_injection_corpus or nul or 100kB"

scan: $(VENV)/.installed
	scripts/scan.sh

# CI (.ci/run): every check once. `make test` with PHPNET_HARDENING=1 takes the
# whole hardening suite into its SQLite run, then the rest of `make hardening`.
ci: export PHPNET_HARDENING = 1
ci: test hardening-postgres scan
