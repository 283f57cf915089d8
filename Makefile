# Two commands: `make run` and `make test` (`make test-fast` for the quick loop). Everything installs into .venv.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export ANONYMIZED_TELEMETRY := False

.PHONY: install install-test run test test-fast index eval bench clean

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

install: $(STAMP)

install-test: $(TEST_STAMP)

index: install
	$(BIN)/coach knowledge check
	$(BIN)/coach index

run: index
	$(BIN)/coach setup-local
	$(BIN)/coach serve --host 127.0.0.1 --port 8000

test: install-test
	$(BIN)/python -m pytest -q

# The quick loop: skips tests marked slow (server processes, llama.cpp, the full eval ratchets).
test-fast: install-test
	$(BIN)/python -m pytest -q -m "not slow"

eval: install
	$(BIN)/coach eval all

bench: install
	$(BIN)/python bench/retrieval.py
	$(BIN)/python bench/api.py

clean:
	rm -rf .coach evals/results/*.json
