"""A lot's whole life (批次): recorded with its production records, inspected, released (合格产品准出), its
handed-over codes bound to it (赋码), and recalled. Every rule about a lot is here; the ledger keeps the rows.
"""

from __future__ import annotations

from datetime import date

from station.clean_text import NAME_MAX, REASON_MAX, clean
from station.codes import check_lot, group, make_code, parse_code
from station.errors import ClaimError, RegistryError
from station.home import Home
from station.ledger import Ledger, State
from station.pickup import require_pickup_allowed


def add_lot(
    ledger: Ledger,
    product_id: int,
    number: str,
    production_date: str,
    quantity: str = "",
    records: list[str] | None = None,
) -> int:
    """Record a lot of a product: its number (GS1 AI 10 characters), production date and records."""
    try:
        date.fromisoformat(production_date)
    except ValueError as err:
        raise RegistryError("lot.bad_date", value=production_date) from err
    return int(
        ledger.add_lot(
            product_id,
            check_lot(number.strip()),
            production_date,
            clean(quantity, "field.quantity", NAME_MAX, required=False),
            [clean(r, "field.record", REASON_MAX) for r in (records or []) if r.strip()],
        )
    )


def inspect_lot(ledger: Ledger, lot_id: int, result: str, report: str = "") -> None:
    """Record the lot's inspection (pass or fail); a released lot's result no longer changes."""
    lot = ledger.lot(lot_id)
    if lot["released"]:
        raise RegistryError("lot.already_inspected", number=lot["number"])
    ledger.update_lot(lot_id, "lot.inspected", {}, inspection=result, inspection_report=report)


def release_lot(ledger: Ledger, lot_id: int) -> None:
    """Release a lot that passed inspection (合格产品准出)."""
    lot = ledger.lot(lot_id)
    if lot["inspection"] != "pass":
        raise RegistryError("lot.not_inspected", number=lot["number"])
    if lot["recalled"]:
        raise RegistryError("lot.recalled", number=lot["number"], reason=lot["recall_reason"])
    ledger.update_lot(lot_id, "lot.released", {}, released=1)


def bind_codes(
    home: Home, lot_id: int, roll_id: str | None = None, first: str | None = None, last: str | None = None
) -> int:
    """Bind a roll's distributed codes, or a range of them from first to last on one roll, to a released lot."""
    ledger = home.ledger
    lot = ledger.lot(lot_id)
    require_pickup_allowed(home, lot["enterprise_id"])
    if lot["recalled"]:
        raise ClaimError("lot.recalled", number=lot["number"], reason=lot["recall_reason"])
    if not lot["released"]:
        raise ClaimError("lot.not_released", number=lot["number"])
    if roll_id is not None:
        from station.roll_ids import parse_roll_id

        labels = ledger.roll(parse_roll_id(roll_id, ledger.roll_exists))["labels"]
        serials = [s for _, s, st in labels if s is not None and st is State.DISTRIBUTED]
    else:
        if first is None or last is None:
            raise ClaimError("bind.need_range")
        a, b = parse_code(home.key, first), parse_code(home.key, last)
        serials = _range_on_roll(home, a, b)
    if not serials:
        raise ClaimError("bind.nothing")
    with ledger.transaction():
        for serial in serials:
            order = ledger.order(ledger.issued_code(serial)["order_id"])
            if order["enterprise_id"] != lot["enterprise_id"] or order["product_id"] != lot["product_id"]:
                raise ClaimError("bind.foreign", code=group(make_code(home.key, serial)))
            ledger.bind(serial, lot_id, {"number": lot["number"]})
    return len(serials)


def _range_on_roll(home: Home, a: int, b: int) -> list[int]:
    ledger = home.ledger
    roll_id = ledger.roll_of(a)
    if roll_id is None or ledger.roll_of(b) != roll_id:
        raise ClaimError("bind.not_same_roll")
    labels = [(p, s, st) for p, s, st in ledger.roll(roll_id)["labels"] if s is not None]
    positions = {s: p for p, s, _ in labels}
    lo, hi = sorted((positions[a], positions[b]))
    return [s for p, s, st in labels if lo <= p <= hi and st is State.DISTRIBUTED]


def recall_lot(home: Home, lot_id: int, reason: str) -> int:
    """Recall a lot: every code bound to it says so on lookup and query. Returns how many codes."""
    ledger = home.ledger
    if not reason.strip():
        raise RegistryError("enterprise.reason_needed")
    reason = clean(reason, "field.reason", REASON_MAX)
    with ledger.transaction():
        serials = ledger.lot_codes(lot_id, State.BOUND)
        for serial in serials:
            ledger.transition(serial, "recall", {"lot": lot_id, "reason": reason.strip()})
        ledger.update_lot(lot_id, "lot.recalled", {"codes": len(serials)}, recalled=1, recall_reason=reason.strip())
    return len(serials)
