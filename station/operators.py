"""Operators who sign in to the station, their roles, and what each role may do.

PINs are stored as scrypt hashes (slow on purpose: a stolen ledger does not give the PINs away quickly).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import time
from typing import Any

from station.clean_text import RECEIVER_MAX, clean, refuse_copy
from station.errors import RegistryError
from station.ledger import Ledger

ROLES = ("clerk", "qc", "admin")

# action -> roles allowed to do it
PERMISSIONS: dict[str, frozenset[str]] = {
    "issue": frozenset({"clerk", "admin"}),
    "run": frozenset({"clerk", "admin"}),
    "pickup": frozenset({"clerk", "admin"}),
    "review": frozenset({"admin"}),
    "blacklist": frozenset({"admin"}),
    "lots": frozenset({"clerk", "admin"}),
    "qc": frozenset({"qc", "admin"}),
    "lookup": frozenset({"clerk", "qc", "admin"}),
    "devices": frozenset({"clerk", "qc", "admin"}),
    "settings": frozenset({"admin"}),
    "register": frozenset({"clerk", "admin"}),
    "operators": frozenset({"admin"}),
    "void": frozenset({"clerk", "admin"}),
    "hidden_export": frozenset({"admin"}),
}


def _hash(pin: str, salt: bytes) -> str:
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def check_pin(pin: str, pin_length: int) -> str:
    """A new PIN: ``pin_length`` to 12 digits."""
    if not (pin.isascii() and pin.isdigit() and pin_length <= len(pin) <= 12):
        raise RegistryError("operator.bad_pin", digits=pin_length)
    return pin


def add_operator(ledger: Ledger, name: str, role: str, pin: str, pin_length: int = 6) -> None:
    """Add an operator; a PIN is ``pin_length`` (the setting station.pin_length) to 12 digits."""
    if role not in ROLES:
        raise RegistryError("operator.bad_role", role=role, allowed=", ".join(ROLES))
    check_pin(pin, pin_length)
    if not name.strip():
        raise RegistryError("operator.bad_name")
    name = clean(name, "field.operator_name", RECEIVER_MAX)
    refuse_copy(name, ((None, o["name"]) for o in ledger.operators()), "field.operator_name")
    ledger.add_operator(name, role, _hash(pin, os.urandom(16)))


# after this many wrong PINs in a row a name is locked, first for LOCK_FIRST_S, twice as long after each further
# wrong PIN, at most LOCK_MAX_S; a right PIN after the lock ends clears the count
LOCK_AFTER = 5
LOCK_FIRST_S = 30.0
LOCK_MAX_S = 3600.0


def _lock_key(name: str) -> str:
    return "sign_in:" + name


def lock_seconds(failures: int) -> float:
    """How long a name stays locked after ``failures`` wrong PINs in a row (0 below LOCK_AFTER)."""
    if failures < LOCK_AFTER:
        return 0.0
    return min(LOCK_MAX_S, LOCK_FIRST_S * 2 ** (failures - LOCK_AFTER))


def sign_in(ledger: Ledger, name: str, pin: str, now: float | None = None) -> str:
    """The operator's role when the PIN is right; RegistryError otherwise (the same message either way).

    Wrong PINs are counted per name (known or not, so a lock does not tell which names exist) and recorded as
    events; after LOCK_AFTER in a row the name is locked with back-off, and a PIN tried while locked is refused
    without being checked. ``now`` is the time in seconds (time.time() when None).
    """
    name = name.strip()
    now = time.time() if now is None else now
    state = json.loads(ledger.meta(_lock_key(name)) or '{"failures": 0, "last": 0}')
    wait = state["last"] + lock_seconds(state["failures"]) - now
    if wait > 0:
        raise RegistryError("operator.locked", name=name, seconds=math.ceil(wait))
    row = ledger.operator(name)
    stored = row["pin_hash"] if row else _hash("0000", b"\0" * 16)  # same work for an unknown name
    _, salt, _digest = stored.split("$")
    right = hmac.compare_digest(_hash(pin, bytes.fromhex(salt)), stored)
    if row is not None and right and row["disabled"]:
        raise RegistryError("operator.disabled", name=name)
    if row is None or not right:
        failures = state["failures"] + 1
        with ledger.transaction():
            ledger.set_meta(_lock_key(name), json.dumps({"failures": failures, "last": now}))
            ledger.append_event("operator.sign_in_failed", {"name": name, "failures": failures})
            if failures >= LOCK_AFTER:
                ledger.append_event("operator.locked", {"name": name, "seconds": lock_seconds(failures)})
        if failures >= LOCK_AFTER:
            raise RegistryError("operator.locked", name=name, seconds=math.ceil(lock_seconds(failures)))
        raise RegistryError("operator.bad_sign_in")
    with ledger.transaction():
        if state["failures"]:
            ledger.set_meta(_lock_key(name), json.dumps({"failures": 0, "last": now}))
        ledger.append_event("operator.signed_in", {"name": name})
    return str(row["role"])


def operators(ledger: Ledger) -> list[dict[str, Any]]:
    """Name, role and whether disabled of every operator."""
    return ledger.operators()


def set_disabled(ledger: Ledger, name: str, disabled: bool) -> None:
    """Disable an operator (they keep their history but no longer sign in), or enable them again. The last admin
    who can sign in is never disabled: nobody could change settings or add operators any more."""
    row = ledger.operator(name)
    if row is None:
        raise RegistryError("operator.unknown", name=name)
    admins = [o for o in ledger.operators() if o["role"] == "admin" and not o["disabled"]]
    if disabled and row["role"] == "admin" and [a["name"] for a in admins] == [name]:
        raise RegistryError("operator.last_admin", name=name)
    ledger.update_operator(name, "operator.disabled" if disabled else "operator.enabled", disabled=disabled)


def reset_pin(ledger: Ledger, name: str, pin: str, pin_length: int = 6) -> None:
    """Give an operator a new PIN (an admin does this); their wrong-PIN count and lock are cleared."""
    check_pin(pin, pin_length)
    if ledger.operator(name) is None:
        raise RegistryError("operator.unknown", name=name)
    with ledger.transaction():
        ledger.update_operator(name, "operator.pin_reset", pin_hash=_hash(pin, os.urandom(16)))
        ledger.set_meta(_lock_key(name), json.dumps({"failures": 0, "last": 0}))


def allowed(role: str, action: str) -> bool:
    """True when ``role`` may do ``action``."""
    return role in PERMISSIONS.get(action, frozenset())
