"""Code issuance: an order of N codes for an approved enterprise's product, all or nothing."""

from __future__ import annotations

import time
from dataclasses import dataclass

from station.codes import SERIAL_LIMIT, check_lot, make_code
from station.errors import RegistryError
from station.home import Home
from station.ledger import Ledger
from station.ledger.rows import Lot
from station.registry import require_issuable


@dataclass(frozen=True)
class IssueResult:
    """What one issue produced."""

    order: int
    first: str
    last: str
    count: int
    seconds: float
    first_serial: int
    last_serial: int

    def summary(self) -> str:
        """The order, its count and its first and last codes, for a person."""
        from station.codes import group
        from station.texts import t

        return t(
            "cli.issued",
            order=self.order,
            count=self.count,
            first=group(self.first),
            last=group(self.last),
            seconds=self.seconds,
        )


def issuable_products(ledger: Ledger) -> list[tuple[int, str, int, str]]:
    """(enterprise id, enterprise name, product id, product name) of every product codes may be issued for now,
    in the ledger's order of products: its enterprise passes ``require_issuable`` (approved, not blacklisted)."""
    names: dict[int, str] = {}
    for ent in ledger.enterprises():
        try:
            names[ent["id"]] = require_issuable(ledger, ent["id"])["name"]
        except RegistryError:
            continue
    return [
        (p["enterprise_id"], names[p["enterprise_id"]], p["id"], p["name"])
        for p in ledger.products()
        if p["enterprise_id"] in names
    ]


def issuable_lot(home: Home, product_id: int, number: str) -> Lot:
    """The product's lot ``number`` that an order may be issued for: it must exist, not be recalled, and be released
    unless the setting codes.issue_unreleased_lots allows printing before release (the labels then say so)."""
    wanted = check_lot(number.strip())
    lot = next((row for row in home.ledger.lots(product_id) if row["number"] == wanted), None)
    if lot is None:
        raise RegistryError("order.lot_unknown", lot=wanted, product=product_id)
    if lot["recalled"]:
        raise RegistryError("lot.recalled", number=wanted, reason=lot["recall_reason"])
    if not lot["released"] and not home.config.codes.issue_unreleased_lots:
        raise RegistryError("order.lot_not_released", lot=wanted)
    return lot


def issue_codes(home: Home, enterprise_id: int, product_id: int, count: int, lot: str | None = None) -> IssueResult:
    """Issue ``count`` codes as one order; streams rows, so a million codes use little memory."""
    started = time.perf_counter()
    ledger = home.ledger
    key = home.key
    limit = home.config.codes.max_per_order
    if not 1 <= count <= limit:
        raise RegistryError("order.bad_count", count=count, max=limit)
    with ledger.transaction():
        require_issuable(ledger, enterprise_id)
        product = ledger.product(product_id)
        if product["enterprise_id"] != enterprise_id:
            raise RegistryError(
                "product.wrong_enterprise",
                product=product_id,
                owner=product["enterprise_id"],
                enterprise=enterprise_id,
            )
        order_id, first, last = ledger.create_order(
            enterprise_id,
            product_id,
            count,
            home.config.codes.base_url,
            product["gtin"],
            issuable_lot(home, product_id, lot)["number"] if lot else None,
            SERIAL_LIMIT,
        )
    return IssueResult(
        order=order_id,
        first=make_code(key, first),
        last=make_code(key, last),
        count=count,
        seconds=round(time.perf_counter() - started, 3),
        first_serial=first,
        last_serial=last,
    )
