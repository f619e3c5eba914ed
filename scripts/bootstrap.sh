#!/usr/bin/env bash
# Set up listingwatch on a fresh Debian machine (as root) or any machine with Python 3.11+:
# system packages when apt is there, a virtual environment with the project, Chromium
# for the Playwright paths, and the database schema. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}

have() { command -v "$1" >/dev/null 2>&1; }

apt_install() {
    # Only root on a Debian-like system installs system packages; elsewhere say what is missing.
    if have apt-get && [ "$(id -u)" = 0 ]; then
        if [ -z "${APT_UPDATED:-}" ]; then
            apt-get update -qq
            APT_UPDATED=1
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    else
        echo "bootstrap: please install $* (no apt or not root)" >&2
        return 1
    fi
}

if ! have "$PYTHON" || ! "$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
    apt_install python3 python3-venv python3-dev
fi
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    apt_install python3-venv
fi

if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV"
fi
stamp="$VENV/.installed-$(cat pyproject.toml requirements.lock | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
    "$VENV/bin/python" -m pip install -q --upgrade pip
    # Exactly the locked versions, each checked against its hash; then the project itself.
    "$VENV/bin/python" -m pip install -q --require-hashes -r requirements.lock
    "$VENV/bin/python" -m pip install -q --no-deps -e .
    if ! "$VENV/bin/python" -m pip check >/dev/null; then
        "$VENV/bin/python" -m pip check >&2 || true
        echo "bootstrap: requirements.lock does not cover pyproject.toml: run 'make lock' and commit it" >&2
        exit 1
    fi
    rm -f "$VENV"/.installed-*
    touch "$stamp"
fi

# Chromium for the Playwright paths: Debian's package where apt is available,
# Playwright's own download elsewhere.
if [ -z "${LISTINGWATCH_CHROMIUM:-}" ] && ! have chromium; then
    if have apt-get && [ "$(id -u)" = 0 ]; then
        apt_install chromium fonts-noto-core
    else
        "$VENV/bin/playwright" install chromium
    fi
fi

# The detectors compiled with mypyc (C extensions beside their sources; about a minute, once
# per change of the sources). Without a C compiler, or with LISTINGWATCH_NATIVE=0, the Python
# sources run: the same results, slower. See docs/benchmarks.md.
if ! have cc && ! have gcc && [ "${LISTINGWATCH_NATIVE:-}" != 0 ]; then
    apt_install gcc libc6-dev || true
fi
"$VENV/bin/python" scripts/build_native.py

"$VENV/bin/listingwatch" db upgrade
