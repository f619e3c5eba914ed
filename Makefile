# `demo` and `test` share names with folders: .PHONY or make calls them up to date.
.PHONY: setup native demo test test-fast lint typecheck bench clean lock audit check-hardening

VENV ?= .venv
BIN := $(VENV)/bin

setup:
	bash scripts/bootstrap.sh

# The detectors compiled with mypyc again, after `make setup` (which builds them when their
# sources changed).
native:
	$(BIN)/python scripts/build_native.py --force

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

# requirements.lock pins every package (dev tools too) with its hashes; `make setup` installs
# exactly that. After changing pyproject.toml's dependencies, run `make lock` and commit both.
# It pins what the current environment has where pyproject allows it (so a relock does not
# quietly upgrade); `make lock UPGRADE=1` takes the newest versions instead.
lock: setup
	$(BIN)/python -m pip install -q uv
	$(BIN)/pip freeze --exclude-editable | grep -v '^listingwatch' > $(VENV)/.lock-constraints.txt
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python $(BIN)/python \
		$(if $(UPGRADE),,--constraint $(VENV)/.lock-constraints.txt) \
		--custom-compile-command "make lock" -o requirements.lock

# Known vulnerabilities in the locked packages (needs a machine that reaches the advisory database).
audit: setup
	$(BIN)/python -m pip install -q pip-audit
	$(BIN)/pip-audit --require-hashes --disable-pip -r requirements.lock

# The issue-14 review's figures again (kill -9 / SIGTERM of a scan, bad inputs, 2,000 requests to
# the web app), on loopback against a demo database in a temporary folder. A manual check that
# takes minutes and measures this machine: not part of `make test` (CI). See docs/security.md.
check-hardening: setup
	$(BIN)/python scripts/check_hardening.py $(ARGS)

clean:
	rm -rf var out .pytest_cache .mypy_cache .ruff_cache
	rm -f detectors/*.so detectors/_native.json
