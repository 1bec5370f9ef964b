"""Exports for spreadsheets: one row per code, streamed."""

from __future__ import annotations

import csv
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import IO

from station.codes import group, make_code, payload
from station.errors import StationError
from station.home import Home

CODE_COLUMNS = ("code", "code_grouped", "serial", "state", "payload", "order", "enterprise", "product")


def spreadsheet_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading = + - @ (or tab, CR) would make it a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_codes_csv(home: Home, order_id: int, out: Path | None) -> int:
    """Write every code of an order as CSV (UTF-8 with BOM, so spreadsheet programs read Chinese).

    Writes to a temporary file renamed into place, so an interrupted export never leaves half a file.
    Returns the number of rows.
    """
    ledger = home.ledger
    order = ledger.order(order_id)
    enterprise = spreadsheet_safe(ledger.enterprise(order["enterprise_id"])["name"])
    product = spreadsheet_safe(ledger.product(order["product_id"])["name"])
    if out is not None and out.is_dir():
        raise StationError("export.is_dir", path=str(out))
    tmp = out.with_name(out.name + ".part") if out else None
    count = 0
    handle: IO[str]
    ctx = open(tmp, "w", encoding="utf-8-sig", newline="") if tmp else nullcontext(sys.stdout)  # noqa: SIM115
    try:
        with ctx as handle:
            if tmp is None:
                handle.write("\ufeff")
            writer = csv.writer(handle)
            writer.writerow(CODE_COLUMNS)
            for serial, state in ledger.order_codes(order_id):
                code = make_code(home.key, serial)
                url = payload(order["base_url"], code, order["gtin"], order["lot"])
                writer.writerow((code, group(code), serial, state.label, url, order_id, enterprise, product))
                count += 1
        if tmp is not None and out is not None:
            tmp.replace(out)
    except BaseException:
        if tmp is not None:
            tmp.unlink(missing_ok=True)  # never leave half a file behind
        raise
    return count
