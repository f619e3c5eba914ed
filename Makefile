# `demo` and `test` share names with folders: .PHONY or make calls them up to date.
.PHONY: setup demo test test-fast lint typecheck bench clean

VENV ?= .venv
BIN := $(VENV)/bin

setup:
	bash scripts/bootstrap.sh

demo: setup
	$(BIN)/listingwatch demo --out out

test: setup
	$(BIN)/python -m pytest -n 2

test-fast: setup
	$(BIN)/python -m pytest -m "not slow and not browser"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy .

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf var out .pytest_cache .mypy_cache .ruff_cache
