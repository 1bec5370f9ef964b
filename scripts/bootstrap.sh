#!/usr/bin/env bash
# Make this checkout runnable on a fresh Debian/Ubuntu machine:
#   1. system packages the station needs, installed with apt-get only when missing (sudo when not root);
#   2. .venv with the pinned dependencies (requirements.lock) and the project itself.
# Safe to run again: it does nothing when everything is already in place.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
SYSTEM_PACKAGES=(libzbar0 libusb-1.0-0 fonts-wqy-microhei fontconfig)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    missing+=(python3-venv)
fi
if ((${#missing[@]})); then
    echo "bootstrap: installing system packages: ${missing[*]}"
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
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
