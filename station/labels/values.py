"""Field values for a label, gathered from the ledger (enterprise, product, order, code)."""

from __future__ import annotations

from datetime import date, timedelta

from station.codes import group, make_code, payload
from station.home import Home
from station.ledger.rows import Lot, Product


def product_values(product: Product) -> dict[str, str]:
    """The product's fields for a label, its origin also as the place the code names (the code where the division
    data does not name it)."""
    from station.places import find_place

    days = product["shelf_life_days"]
    place = find_place(product["origin_code"])
    return {
        "product.origin_place": place.short if place is not None else product["origin_code"],
        "product.origin_place_full": place.full if place is not None else product["origin_code"],
        "product.name": product["name"],
        "product.origin_code": product["origin_code"],
        "product.shelf_life": f"{days}天" if days else "",
        "product.shelf_life_days": str(days or ""),
        "product.certifications": "、".join(product["certifications"]),
        "product.gtin": product["gtin"] or "",
    }


def order_values(home: Home, order_id: int) -> dict[str, str]:
    """Values shared by every label of an order."""
    ledger = home.ledger
    order = ledger.order(order_id)
    enterprise = ledger.enterprise(order["enterprise_id"])
    values = {
        "enterprise.name": enterprise["name"],
        "enterprise.credit_code": enterprise["credit_code"],
        "enterprise.contact": enterprise["contact"],
        "lot.number": order["lot"] or "",
        "order.id": str(order_id),
        "order.count": str(order["count"]),
        "print.date": date.today().isoformat(),
        "print.station": home.config.station.id,
    }
    from station.hidden import order_hidden

    if order_hidden(home, order_id):
        values["order.hidden"] = "1"
    product = ledger.product(order["product_id"])
    values.update(product_values(product))
    if order["lot"]:
        lot = next((row for row in ledger.lots(order["product_id"]) if row["number"] == order["lot"]), None)
        if lot is not None:
            values.update(lot_values(lot, product["shelf_life_days"]))
    return values


def best_before(production_date: str, shelf_life_days: int | None) -> str:
    """The best-before date (production date + shelf life) as YYYY-MM-DD, or empty without a shelf life."""
    if not shelf_life_days:
        return ""
    return (date.fromisoformat(production_date) + timedelta(days=shelf_life_days)).isoformat()


def lot_values(lot: Lot, shelf_life_days: int | None) -> dict[str, str]:
    """The lot's truth for its labels: production date, best-before date, quantity, the basis of the commitment
    (委托检测 with an inspection report, else 自行检测 once inspected) and whether it was printed before release."""
    basis = ""
    if lot["inspection"] == "pass":
        basis = "委托检测" if lot["inspection_report"] else "自行检测"
    status = "" if lot["released"] else "放行前印制"
    return {
        "lot.number": lot["number"],
        "lot.production_date": lot["production_date"],
        "lot.best_before": best_before(lot["production_date"], shelf_life_days),
        "lot.quantity": lot["quantity"],
        "lot.basis": basis,
        "lot.status": status,
        "lot.note": " ".join(part for part in (f"规格 {lot['quantity']}" if lot["quantity"] else "", status) if part),
    }


def code_values(home: Home, serial: int, shared: dict[str, str] | None = None) -> dict[str, str]:
    """Values for the label of one code."""
    row = home.ledger.code(serial)
    if row is None:
        from station.errors import LedgerError

        raise LedgerError("ledger.unknown_code", serial=serial)
    order = home.ledger.order(row["order_id"])
    values = dict(shared) if shared is not None else order_values(home, row["order_id"])
    code = make_code(home.key, serial)
    values.update(
        {
            "code": code,
            "code_grouped": group(code),
            "serial": str(serial),
            "payload": payload(order["base_url"], code, order["gtin"], order["lot"]),
        }
    )
    if values.get("order.hidden"):
        from station.hidden import hidden_values

        values.update(hidden_values(home, code))
    return values


def roll_id(order_id: int, roll_number: int) -> str:
    """A roll's id: R, 6 digits of order, 4 digits of roll number and a check digit (``station.roll_ids``)."""
    from station.roll_ids import make_roll_id

    return make_roll_id(order_id, roll_number)


def order_roll_values(home: Home, order_id: int) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Roll-header and pickup-slip values treating the whole order as one roll (for previews)."""
    values = order_values(home, order_id)
    order = home.ledger.order(order_id)
    first, last = order["ranges"][0][0], order["ranges"][-1][1]
    rid = roll_id(order_id, 1)
    values.update(
        {
            "roll.id": rid,
            "roll.first": group(make_code(home.key, first)),
            "roll.last": group(make_code(home.key, last)),
            "roll.count": str(order["count"]),
            "slip.id": f"P{order_id:06d}",
            "slip.operator": home.operator,
            "slip.receiver": "",
            "slip.total": str(order["count"]),
            "slip.rolls": "1",
        }
    )
    rows = [
        {
            "row.n": "1",
            "row.roll": rid,
            "row.product": values["product.name"],
            "row.count": str(order["count"]),
            "row.first": values["roll.first"],
            "row.last": values["roll.last"],
        }
    ]
    return values, rows
