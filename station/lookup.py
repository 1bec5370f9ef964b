"""Checking a typed code offline, and looking up everything the ledger knows about it."""

from __future__ import annotations

from typing import Any

from station.codes import group, parse_code, payload
from station.errors import CodeError
from station.home import Home
from station.ledger import State
from station.ledger.rows import Code
from station.places import full_place_name


def check_code(home: Home, text: str) -> Code:
    """Serial, state and order of a genuine code of this ledger; CodeError with the reason otherwise."""
    ledger = home.ledger
    serial = parse_code(home.key, text, known=lambda s: ledger.code(s) is not None)
    row = ledger.code(serial)
    if row is None:
        raise CodeError("code.unknown_serial", serial=serial)
    return row


def lookup_code(home: Home, text: str) -> dict[str, Any]:
    """State, enterprise, product, order, payload and full event history of a code."""
    row = check_code(home, text)
    ledger = home.ledger
    order = ledger.order(row["order_id"])
    enterprise = ledger.enterprise(order["enterprise_id"])
    product = ledger.product(order["product_id"])
    digits = "".join(ch for ch in text if ch.isdigit())
    return {
        "code": digits,
        "code_grouped": group(digits),
        "serial": row["serial"],
        "state": row["state"].label,
        "payload": payload(order["base_url"], digits, order["gtin"], order["lot"]),
        "enterprise": {
            "id": enterprise["id"],
            "name": enterprise["name"],
            "credit_code": enterprise["credit_code"],
            "status": enterprise["status"],
            "blacklisted": bool(enterprise["blacklisted"]),
        },
        "product": {
            "id": product["id"],
            "name": product["name"],
            "origin_code": product["origin_code"],
            "origin_place": full_place_name(product["origin_code"]),
            "gtin": product["gtin"],
            "certifications": product["certifications"],
            "shelf_life_days": product["shelf_life_days"],
        },
        "order": {"id": order["id"], "count": order["count"], "lot": order["lot"], "created_at": order["created_at"]},
        "events": ledger.code_events(row["serial"], row["order_id"]),
        "lot": _lot_of(home, row["lot_id"]),
        "void": _void_of(home, row),
    }


def _void_of(home: Home, row: Code) -> dict[str, Any] | None:
    """A voided code's void: how (spoiled at printing, by the office, its order cancelled), why and when (UTC)."""
    if row["state"] is not State.VOIDED:
        return None
    from station.voids import void_note

    note = void_note(home.ledger, row["serial"], row["order_id"])
    return None if note is None else {"kind": note.kind, "reason": note.reason, "at": note.at}


def _lot_of(home: Home, lot_id: int | None) -> dict[str, Any] | None:
    """The lot a code is bound to, with its inspection and any recall."""
    if lot_id is None:
        return None
    ledger = home.ledger
    lot = ledger.lot(lot_id)
    return {
        key: lot[key]
        for key in (
            "id",
            "number",
            "production_date",
            "quantity",
            "records",
            "inspection",
            "released",
            "recalled",
            "recall_reason",
        )
    }
