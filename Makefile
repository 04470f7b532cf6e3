# termsgate: `make run` serves on the embedded SQLite store, `make test` checks everything.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test lint typecheck pytest reliability bench openapi client packages postgres-server chromium nginx promtool wrk clean

# Python caches compiled modules in __pycache__ (git ignores it), whatever the environment says:
# with PYTHONDONTWRITEBYTECODE set, every server and command a test starts compiled the app
# afresh and pytest rewrote all the test modules again in each of its workers.
export PYTHONDONTWRITEBYTECODE :=

# What running needs and no more (the runtime lock: uvicorn[standard] and the app's imports).
# The venv's pip is first replaced with the pinned one of requirements/pip.lock: the pip Python
# 3.11 puts in a venv spent 8 s choosing among the index's files for the runtime lock alone.
# Nothing is byte-compiled at install: Python caches what is imported, on first import (12.9 s
# to install with compiling, 9.3 s without).
$(BIN)/termsgate: pyproject.toml requirements/pip.lock requirements/build.lock requirements/runtime.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --no-compile --require-hashes -r requirements/pip.lock
	$(BIN)/pip install --quiet --no-compile --require-hashes \
	  -r requirements/build.lock -r requirements/runtime.lock
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

# The dev tools (pytest, mypy, ruff, import-linter, MkDocs...) on top, for what checks the code.
# Not byte-compiled either: the checks import a fraction of them (6 of the 26 s it took).
DEV_TOOLS := $(VENV)/.dev-tools
$(DEV_TOOLS): $(BIN)/termsgate requirements/dev.lock
	$(BIN)/pip install --quiet --no-compile --require-hashes -r requirements/dev.lock
	touch $@

lint typecheck pytest reliability bench cluster client: $(DEV_TOOLS)

run: $(BIN)/termsgate
	@echo "termsgate on http://$(HOST):$(PORT)  (it names its store, without the password)"
	@echo "first key:  $(BIN)/termsgate apikey create --name ops --owner $${USER:-me} --scope admin"
	@echo "demo data:  $(BIN)/termsgate demo --customers 200 --seed 7   (then: $(BIN)/termsgate segment)"
	$(BIN)/termsgate serve --host $(HOST) --port $(PORT)

# What the checks need is set up first: the venv and the missing Debian packages side by side
# (pip reads local wheels while apt-get downloads and unpacks); then the lint and the type check
# run beside the tests, each line printed whole.
test:
	@$(MAKE) --no-print-directory -j2 --output-sync=line $(DEV_TOOLS) packages
	@$(MAKE) --no-print-directory -j3 --output-sync=line lint typecheck pytest

lint: $(BIN)/termsgate promtool
	$(BIN)/ruff check app tests migrations deploy
	$(BIN)/ruff format --check app tests migrations deploy
	$(BIN)/lint-imports
	promtool check rules deploy/prometheus/alerts.yml
	promtool test rules deploy/prometheus/alerts_test.yml deploy/prometheus/alerts_days_test.yml
	$(BIN)/hadolint --failure-threshold style Dockerfile
	$(BIN)/python -m tests.deploy.manifests
	$(BIN)/python -m tests.deploy.vulnerabilities
	$(BIN)/mkdocs build --strict --site-dir site
	@tmp=$$(mktemp -d) && $(CLIENT_GENERATE) --output-path $$tmp/python >/dev/null && \
	  diff -r -x __pycache__ $$tmp/python clients/python; drift=$$?; rm -rf $$tmp; test $$drift -eq 0 || { \
	  echo "clients/python is not what openapi/openapi.json generates: run make client"; exit 1; }
	$(BIN)/mypy -p termsgate_client

typecheck: $(BIN)/termsgate
	$(BIN)/mypy

# xdist workers, each with a PostgreSQL cluster of its own. The suite keeps 2 cores busy from start
# to end: on this 2-core machine, back to back (pytest alone, 2026-12-04), 2 workers took 312 s,
# 3 took 267-270 s and 4 took 291-293 s, on 16% more CPU than 3. The tests that load the whole
# machine share the xdist group "machine", so they run one after another on one worker
# (--dist loadgroup).
PYTEST_WORKERS ?= 3
pytest: $(BIN)/termsgate postgres-server nginx chromium
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadgroup

# The reliability proof (docs/reliability.md): its tests at full size, the long ones included,
# with the table of figures at the end (also written to docs/figures/reliability.jsonl).
reliability: $(BIN)/termsgate postgres-server nginx
	TERMSGATE_FIGURES_FILE=docs/figures/reliability.jsonl $(BIN)/pytest -q --long \
	  tests/reliability tests/test_access_matrix.py tests/deploy/test_vulnerabilities.py

# The Debian packages the checks use, each with the test that it is there. The test suite starts
# a private PostgreSQL cluster (postgresql); the console's browser tests drive Chromium headless
# through Playwright for Python, at /usr/bin/chromium (`playwright install` never runs);
# tests/cluster/ and `make cluster` put nginx in front of the replicas (Debian installs it in
# /usr/sbin, which is not on a normal user's PATH); promtool (prometheus) checks the alert rules
# and runs their unit tests; `make bench` drives the servers with wrk.
HAS_postgresql := ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
HAS_chromium := test -x /usr/bin/chromium
HAS_nginx := command -v nginx >/dev/null 2>&1 || test -x /usr/sbin/nginx
HAS_prometheus := command -v promtool >/dev/null 2>&1
HAS_wrk := command -v wrk >/dev/null 2>&1

# Those of the named packages that are missing, installed with one apt-get update and one install
# (apt holds one lock; recommends left out: chromium-sandbox, prometheus-node-exporter).
define apt_install
@missing=""; $(foreach package,$(1),{ $(HAS_$(package)); } || missing="$$missing $(package)";) \
	test -z "$$missing" || { echo "installing Debian packages:$$missing"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; }
endef

packages:
	$(call apt_install,postgresql chromium nginx prometheus)
postgres-server:
	$(call apt_install,postgresql)
chromium:
	$(call apt_install,chromium)
nginx:
	$(call apt_install,nginx)
promtool:
	$(call apt_install,prometheus)
wrk:
	$(call apt_install,wrk)

.PHONY: cluster screenshots

# The console's pictures in docs/console/, drawn again by its browser tests.
screenshots: $(DEV_TOOLS) postgres-server chromium
	TERMSGATE_SCREENSHOTS=$(CURDIR)/docs/console $(BIN)/pytest -q tests/console/test_browser.py

# PostgreSQL, two replicas of two workers, a relay and nginx on 127.0.0.1:8080, until Ctrl-C.
# Work dir .cluster/ (emptied on every start). Other options: make cluster CLUSTER_ARGS="--help".
cluster: $(BIN)/termsgate postgres-server nginx
	$(BIN)/python -m deploy.local.cluster $(CLUSTER_ARGS)

bench: $(BIN)/termsgate postgres-server wrk
	$(BIN)/python -m tests.perf.run

openapi: $(BIN)/termsgate
	$(BIN)/termsgate openapi > openapi/openapi.json

# The typed Python client (clients/python), generated from the committed contract; the ruff that
# formats it is the dev lock's, so the same document always gives the same files.
CLIENT_GENERATE := PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/openapi-python-client generate \
  --path openapi/openapi.json --meta uv --overwrite --config clients/openapi-python-client.yaml \
  --custom-template-path clients/templates
client:
	$(CLIENT_GENERATE) --output-path clients/python

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache termsgate.db .cluster site
