"""The ledger's rows as its callers receive them: one typed dictionary per kind of row.

They are plain dicts at run time (what the repository methods always returned), typed so that a key the table
does not have, or a value used as the wrong type, is found by the type checker and not by a clerk.
"""

from __future__ import annotations

from typing import TypedDict

from station.ledger.lifecycle import State


class Enterprise(TypedDict):
    id: int
    name: str
    credit_code: str
    contact: str
    status: str  # pending, approved or rejected
    blacklisted: int  # 0 or 1
    blacklist_reason: str | None
    created_at: str
    documents: str  # JSON: licences and qualifications


class Product(TypedDict):
    id: int
    enterprise_id: int
    name: str
    origin_code: str
    certifications: list[str]
    shelf_life_days: int | None
    gtin: str | None
    created_at: str


class Order(TypedDict):
    id: int
    enterprise_id: int
    product_id: int
    count: int
    base_url: str
    gtin: str | None
    lot: str | None
    created_at: str
    ranges: list[tuple[int, int]]  # (first serial, last serial), the first at issue, more for replacements


class Code(TypedDict):
    serial: int
    order_id: int
    state: State
    lot_id: int | None  # None until bound to a lot


class Lot(TypedDict):
    id: int
    product_id: int
    enterprise_id: int
    number: str
    production_date: str
    quantity: str
    records: list[str]
    inspection: str | None  # pass or fail, None before inspection
    inspection_report: str | None
    released: int  # 0 or 1
    recalled: int  # 0 or 1
    recall_reason: str | None
    created_at: str


class Run(TypedDict):
    id: int
    order_id: int
    template: str
    roll_size: int
    printer: str
    camera: str
    status: str  # running, paused, done or stopped
    reason: str | None
    started_at: str
    finished_at: str | None


class Roll(TypedDict):
    id: str
    run_id: int
    order_id: int
    number: int
    opened_at: str
    closed_at: str | None
    headers: int  # header prints started (recorded before each is sent)
    header_at: str | None  # when the last header print was sent whole; None: the roll has no header yet
    labels: list[tuple[int, int | None, State | None]]  # (position, serial, state); serial None for the header


class Certificate(TypedDict):
    """A 承诺达标合格证 issued for a lot."""

    id: int
    lot_id: int
    number: str
    at: str
    operator: str
    station: str
    printer: str


class Pickup(TypedDict):
    id: int
    enterprise_id: int
    receiver: str
    operator: str
    station: str
    at: str
    undone_at: str | None
    undo_reason: str | None
    rolls: list[str]
