#!/usr/bin/env bash
# Make this checkout runnable on a fresh Debian/Ubuntu machine:
#   1. system packages the station needs, installed with apt-get only when missing (sudo when not root);
#   2. .venv with the pinned dependencies (requirements.lock) and the project itself.
# Safe to run again: it does nothing when everything is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}

# Each need is checked by what it provides, not by a package name (names change: libzbar0 is libzbar0t64 on
# Debian 13 and Ubuntu 24.04); the first package name apt knows is installed.
missing=()
need() {  # need CHECK-COMMAND PACKAGE [PACKAGE …]
    local check=$1
    shift
    if ! bash -c "$check" >/dev/null 2>&1; then
        for pkg in "$@"; do
            if apt-cache show "$pkg" >/dev/null 2>&1; then
                missing+=("$pkg")
                return
            fi
        done
        missing+=("$1")
    fi
}
need "ldconfig -p | grep -q 'libzbar\.so\.0'" libzbar0t64 libzbar0
need "ldconfig -p | grep -q 'libusb-1\.0\.so\.0'" libusb-1.0-0
need "test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc" fonts-wqy-microhei
need "command -v fc-match" fontconfig
# the ledger tests run on a throwaway PostgreSQL server too (tests/pg_helpers.py starts it on 127.0.0.1)
need "ls /usr/lib/postgresql/*/bin/initdb" postgresql
# the query page is checked in a real browser (tests/test_query_browser.py), driven by Playwright without a download
need "command -v chromium || command -v chromium-browser" chromium
if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing+=(python3-venv)
fi
if ((${#missing[@]})); then
    echo "bootstrap: installing system packages: ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    missing=("${missing[@]}")
    # after the update, prefer names the freshly read package lists know
    resolved=()
    for pkg in "${missing[@]}"; do
        case "$pkg" in
            libzbar0t64|libzbar0) if apt-cache show libzbar0t64 >/dev/null 2>&1; then pkg=libzbar0t64; else pkg=libzbar0; fi ;;
        esac
        resolved+=("$pkg")
    done
    $SUDO apt-get install -y -qq --no-install-recommends "${resolved[@]}"
fi

stamp_want=$(cat pyproject.toml requirements.lock | sha256sum | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.stamp 2>/dev/null)" != "$stamp_want" ]; then
    echo "bootstrap: preparing .venv"
    "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
    if ! .venv/bin/python -m pip install -q --disable-pip-version-check --no-deps -e . >.venv/install.log 2>&1; then
        cat .venv/install.log >&2
        echo "bootstrap: installing the project into .venv failed (log above)" >&2
        exit 1
    fi
    echo "$stamp_want" > .venv/.stamp
fi
