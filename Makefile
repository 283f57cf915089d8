# Two commands: `make run` and `make test` (`make test-fast` for the quick loop). Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export ANONYMIZED_TELEMETRY := False
# Where PYTHONDONTWRITEBYTECODE is set (this machine, CI), pytest would re-rewrite and recompile every test module
# on every run; empty means unset to Python.
test test-fast: export PYTHONDONTWRITEBYTECODE :=
# `make run` serves where COACH_HOST / COACH_PORT say (environment or `make run COACH_PORT=9000`).
COACH_HOST ?= 127.0.0.1
COACH_PORT ?= 8000
export COACH_HOST COACH_PORT

.PHONY: install install-test run test test-fast postgres chromium screenshots index eval bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Re-install only when the project's dependency list changes. Running needs only the runtime
# dependencies; the test extras (llama-cpp-python builds from source for minutes) come with `make test`.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

# Byte-compile the project's own code: where PYTHONDONTWRITEBYTECODE is set, every call would compile it anew
# (about 0.1-0.2 s of a CLI call). compileall skips files that did not change.
install: $(STAMP)
	@$(BIN)/python -m compileall -q coach api >/dev/null

install-test: $(TEST_STAMP) install

index: install
	$(BIN)/coach knowledge check
	$(BIN)/coach index

run: index
	$(BIN)/coach setup-local
	$(BIN)/coach serve --host $(COACH_HOST) --port $(COACH_PORT)

test: install-test postgres chromium
	$(BIN)/python -m pytest -q

# The quick loop: skips tests marked slow (server processes, llama.cpp, Chromium, fuzzing and load runs) and runs
# on two workers, each test file in one worker (the files' own order holds). The fuzz file is not collected there, so
# its plugins stay off. Under 60 s on 2 cores.
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not slow" -n 2 --dist loadfile -p no:schemathesis -p no:hypothesispytest

# The store and multi-server tests start a throwaway PostgreSQL; install its server binaries when root can.
postgres:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo "installing PostgreSQL for the tests" && \
	    { apt-get install -y -qq postgresql >/dev/null || { apt-get update -qq && apt-get install -y -qq postgresql >/dev/null; }; }; } || \
	  echo "no PostgreSQL server binaries: the PostgreSQL and multi-server tests will be skipped"

# The browser tests drive Debian's Chromium with Playwright (Playwright's own browser download needs the internet).
chromium:
	@command -v chromium >/dev/null || \
	  { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && echo "installing Chromium for the browser tests" && \
	    { apt-get install -y -qq chromium >/dev/null || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; }; } || \
	  echo "no Chromium: the browser tests will be skipped"

# Refresh the README's screenshots (docs/screenshots/) from the browser tests.
screenshots: install-test chromium
	COACH_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_web_browser.py

eval: install
	$(BIN)/coach eval all

bench: install
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/api.py
	$(BIN)/python bench/pages.py

clean:
	rm -rf .coach evals/results/*.json
