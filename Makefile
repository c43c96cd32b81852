# make run  : install, migrate, seed demo data into an empty database, serve http://localhost:$(PORT)
# make test : the same set-up, then every test (unit, state, http, browser end-to-end)
# make bench: the dev requirements, then benchmarks/tickets.py (1M tickets; BENCH_ARGS="--repeat 10" to pass options)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
PORT ?= 3000
HOST ?= 127.0.0.1
export PORT

# Reflex needs bun. Where none is installed, take it from the npm registry and tell Reflex to
# use it (Reflex's own download needs the internet); a normal machine keeps Reflex's own way.
ifeq ($(shell command -v bun 2>/dev/null),)
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
BUN := .tools/node_modules/.bin/bun
endif

AXE := .tools/node_modules/axe-core/axe.min.js

.PHONY: run test migrate seed install install-dev system-deps bench clean

$(VENV)/.runtime: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

.tools/node_modules/.bin/bun:
	npm install --silent --no-audit --no-fund --prefix .tools bun@1.4 axe-core@4.14

# axe-core, injected by the browser tests (tests/e2e/test_accessibility.py), also where bun is installed
$(AXE):
	npm install --silent --no-audit --no-fund --prefix .tools axe-core@4.14

install: $(VENV)/.runtime $(BUN)
install-dev: $(VENV)/.dev $(BUN) $(AXE)

migrate: install
	$(BIN)/alembic upgrade head

seed: migrate
	$(BIN)/python -m portal_app.seed

run: seed
	$(BIN)/reflex run --env prod --single-port --backend-host $(HOST)

# What the tests need from Debian (browser, PostgreSQL, Redis), installed only when missing
# (as root, or with sudo); elsewhere install chromium, postgresql and redis-server yourself.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || missing="$$missing postgresql"; \
	if [ -n "$$missing" ]; then \
	  sudo=""; [ "$$(id -u)" = 0 ] || sudo="sudo"; \
	  echo "installing:$$missing"; \
	  $$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq $$missing >/dev/null; \
	fi

test: install-dev system-deps
	REFLEX_PERF_MODE=raise $(BIN)/python -m pytest -p no:cacheprovider tests/unit tests/state tests/http tests/e2e

bench: $(VENV)/.dev
	$(BIN)/python benchmarks/tickets.py $(BENCH_ARGS)

clean:
	rm -rf .web .states
