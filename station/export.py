"""Exports for spreadsheets: one row per code, streamed."""

from __future__ import annotations

import csv
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO

from station.codes import group, make_code, payload
from station.home import Home

CODE_COLUMNS = ("code", "code_grouped", "serial", "state", "payload", "order", "enterprise", "product")


def export_codes_csv(home: Home, order_id: int, out: Path | None) -> int:
    """Write every code of an order as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese).

    Writes to a temporary file renamed into place, so an interrupted export never leaves half a file.
    Returns the number of rows.
    """
    ledger = home.ledger
    order = ledger.order(order_id)
    enterprise = ledger.enterprise(order["enterprise_id"])["name"]
    product = ledger.product(order["product_id"])["name"]
    tmp = out.with_name(out.name + ".part") if out else None
    count = 0
    handle: IO[str]
    ctx = open(tmp, "w", encoding="utf-8-sig", newline="") if tmp else nullcontext(sys.stdout)  # noqa: SIM115
    with ctx as handle:
        if tmp is None:
            handle.write("\ufeff")
        writer = csv.writer(handle)
        writer.writerow(CODE_COLUMNS)
        for serial, state in ledger.order_codes(order_id):
            code = make_code(home.key, serial)
            writer.writerow(
                (
                    code,
                    group(code),
                    serial,
                    state.label,
                    payload(order["base_url"], code, order["gtin"], order["lot"]),
                    order_id,
                    enterprise,
                    product,
                )
            )
            count += 1
    if tmp and out:
        tmp.replace(out)
    return count
