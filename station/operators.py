"""Operators who sign in to the station, their roles, and what each role may do.

PINs are stored as scrypt hashes (slow on purpose: a stolen ledger does not give the PINs away quickly).
"""

from __future__ import annotations

import hashlib
import hmac
import os
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
}


def _hash(pin: str, salt: bytes) -> str:
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    return f"scrypt${salt.hex()}${digest.hex()}"


def add_operator(ledger: Ledger, name: str, role: str, pin: str) -> None:
    """Add an operator; a PIN is 4 to 12 digits."""
    if role not in ROLES:
        raise RegistryError("operator.bad_role", role=role, allowed=", ".join(ROLES))
    if not (pin.isdigit() and 4 <= len(pin) <= 12):
        raise RegistryError("operator.bad_pin")
    if not name.strip():
        raise RegistryError("operator.bad_name")
    name = clean(name, "field.operator_name", RECEIVER_MAX)
    refuse_copy(name, ((None, o["name"]) for o in ledger.operators()), "field.operator_name")
    ledger.add_operator(name, role, _hash(pin, os.urandom(16)))


def sign_in(ledger: Ledger, name: str, pin: str) -> str:
    """The operator's role when the PIN is right; RegistryError otherwise (the same message either way)."""
    row = ledger.operator(name.strip())
    stored = row["pin_hash"] if row else _hash("0000", b"\0" * 16)  # same work for an unknown name
    _, salt, _digest = stored.split("$")
    if row is None or not hmac.compare_digest(_hash(pin, bytes.fromhex(salt)), stored):
        raise RegistryError("operator.bad_sign_in")
    return str(row["role"])


def operators(ledger: Ledger) -> list[dict[str, Any]]:
    """Name and role of every operator."""
    return ledger.operators()


def allowed(role: str, action: str) -> bool:
    """True when ``role`` may do ``action``."""
    return role in PERMISSIONS.get(action, frozenset())
