# termsgate: `make run` serves on the embedded SQLite store, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck pytest bench openapi postgres-server wrk clean

$(BIN)/termsgate: pyproject.toml requirements/build.lock requirements/dev.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r requirements/build.lock -r requirements/dev.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

run: $(BIN)/termsgate
	@echo "termsgate on http://$(HOST):$(PORT)  (store: $${TERMSGATE_DATABASE_URL:-sqlite:///./termsgate.db})"
	@echo "first key:  $(BIN)/termsgate apikey create --name ops --scope admin"
	@echo "demo data:  $(BIN)/termsgate demo --customers 200 --seed 7   (then: $(BIN)/termsgate segment)"
	$(BIN)/termsgate serve --host $(HOST) --port $(PORT)

test: lint typecheck pytest

lint: $(BIN)/termsgate
	$(BIN)/ruff check app tests migrations
	$(BIN)/ruff format --check app tests migrations

typecheck: $(BIN)/termsgate
	$(BIN)/mypy

pytest: $(BIN)/termsgate postgres-server
	$(BIN)/pytest -q

# The test suite starts a private PostgreSQL cluster; install the server if its binaries are missing.
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || { \
	  echo "installing the PostgreSQL server (Debian package postgresql)"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; }

wrk:
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: $(BIN)/termsgate postgres-server wrk
	$(BIN)/python -m tests.perf.run

openapi: $(BIN)/termsgate
	$(BIN)/termsgate openapi > openapi/openapi.json

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache termsgate.db
