# The same checks as CI. `make run` and `make test` work on a fresh machine (Debian, Python 3.11+).
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
BIN := $(VENV)/bin

.PHONY: run test lint typecheck pytest bench system-deps install clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

## Load the demo job search into a throwaway database, show today's agenda, and serve the web UI on it.
run: install
	$(BIN)/followup demo --serve

## Debian packages the tests need: the PostgreSQL server, Dovecot and Chromium (installed only when missing;
## needs root). Playwright drives the system's Chromium: `playwright install` is never run.
system-deps:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || missing="$$missing dovecot-imapd"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -z "$$missing" ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	else echo "Not installed:$$missing: install these Debian packages (tests that need them will skip)"; fi

lint: install
	$(BIN)/ruff check src tests bench

typecheck: install
	$(BIN)/mypy src

pytest: install system-deps
	$(BIN)/pytest -q

## Everything CI runs: lint, types, the whole suite (PostgreSQL included).
test: system-deps lint typecheck pytest

## Benchmarks: ratios against a floor measured in the same run; never a pass/fail on time.
## bench_sync starts its own Dovecot (system-deps), as root; it takes about 5 minutes. bench_web loads
## `followup serve` with wrk (Debian package wrk, installed here when missing).
bench: install system-deps
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; } || echo "wrk is not installed: bench_web is skipped"
	$(PY) bench/bench_list.py
	$(PY) bench/bench_today.py
	$(PY) bench/bench_send.py
	$(PY) bench/bench_sync.py
	$(PY) bench/bench_web.py
	$(PY) bench/bench_import.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .hypothesis bench/.data
