"""The repository interface every ledger backend implements, so callers never see SQL.

SQLite and PostgreSQL implement it with one shared SQL body (``station.ledger.sql``); another database is
added by implementing this class (or the hooks of ``SqlLedger``) and registering its URL scheme in
``station.ledger.open_ledger``.
"""

from __future__ import annotations

import abc
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from station.errors import RegistryError
from station.ledger.audit import AuditReport
from station.ledger.lifecycle import State
from station.ledger.rows import Certificate, Code, Enterprise, Lot, Order, Pickup, Product, Roll, Run

if TYPE_CHECKING:
    from station.ledger.changes import LedgerWatch

CodeRow = tuple[int, int, int | None]  # a code's order id, state and lot id, as the query service reads them


def utc_now() -> str:
    """Current UTC time in ISO 8601 with microseconds and a Z, as every ledger records times."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@dataclass(frozen=True)
class Actor:
    """Who is acting and at which station; recorded in every event."""

    operator: str
    station: str


class Ledger(abc.ABC):
    """Enterprises, products, orders, codes and the hash-chained event log."""

    def __init__(self, actor: Actor) -> None:
        self.actor = actor
        self.audit_key: bytes | None = None  # set by the station once its key is loaded: the chain is keyed

    @abc.abstractmethod
    def meta(self, name: str) -> str | None:
        """A value from the ledger's own settings (e.g. the fingerprint of the key it was issued with)."""

    @abc.abstractmethod
    def set_meta(self, name: str, value: str) -> None:
        """Record a ledger setting."""

    @abc.abstractmethod
    def is_empty(self) -> bool:
        """True while nothing was ever recorded."""

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abc.abstractmethod
    def close(self) -> None:
        """Release the connection."""

    @abc.abstractmethod
    def transaction(self) -> AbstractContextManager[None]:
        """A write transaction; nested calls join the outer one."""

    @abc.abstractmethod
    def append_event(
        self,
        kind: str,
        data: dict[str, Any] | None = None,
        *,
        enterprise_id: int | None = None,
        product_id: int | None = None,
        order_id: int | None = None,
        serial: int | None = None,
    ) -> int:
        """Append a hash-chained event inside the current transaction."""

    @abc.abstractmethod
    def add_enterprise(self, name: str, credit_code: str, contact: str = "") -> int:
        """Register an enterprise (pending review)."""

    @abc.abstractmethod
    def enterprise(self, eid: int) -> Enterprise:
        """One enterprise."""

    @abc.abstractmethod
    def enterprises(self) -> list[Enterprise]:
        """All enterprises."""

    @abc.abstractmethod
    def set_enterprise_documents(self, eid: int, documents: dict[str, Any]) -> None:
        """Record an enterprise's licences and qualifications (the event carries them)."""

    @abc.abstractmethod
    def update_enterprise(self, eid: int, kind: str, reason: str | None, **columns: Any) -> None:
        """Change status columns with an event."""

    @abc.abstractmethod
    def add_product(
        self,
        enterprise_id: int,
        name: str,
        origin_code: str,
        certifications: list[str],
        shelf_life_days: int | None,
        gtin: str | None,
    ) -> int:
        """Record a product."""

    @abc.abstractmethod
    def update_product(self, pid: int, columns: dict[str, Any]) -> None:
        """Change a product's label fields, with an event carrying the new values."""

    @abc.abstractmethod
    def product(self, pid: int) -> Product:
        """One product."""

    @abc.abstractmethod
    def products(self, enterprise_id: int | None = None) -> list[Product]:
        """Products, all or of one enterprise."""

    @abc.abstractmethod
    def create_order(
        self,
        enterprise_id: int,
        product_id: int,
        count: int,
        base_url: str,
        gtin: str | None,
        lot: str | None,
        serial_limit: int,
    ) -> tuple[int, int, int]:
        """Issue an order of codes atomically; (order id, first serial, last serial)."""

    @abc.abstractmethod
    def order(self, order_id: int) -> Order:
        """One order with its serial ranges."""

    @abc.abstractmethod
    def orders(self) -> list[Order]:
        """All orders."""

    @abc.abstractmethod
    def order_codes(self, order_id: int) -> Iterator[tuple[int, State]]:
        """(serial, state) of each code of an order, streamed."""

    @abc.abstractmethod
    def code(self, serial: int) -> Code | None:
        """One code: serial, order_id, state and lot_id (None until bound to a lot); None if never issued."""

    def code_row_reader(self) -> Callable[[int], CodeRow | None]:
        """A function reading one code's (order id, state, lot id), or None for a serial never issued: the query
        service calls it for every query. This one reads through ``code``; a backend may give a faster one."""

        def read(serial: int) -> CodeRow | None:
            row = self.code(serial)
            return None if row is None else (row["order_id"], int(row["state"]), row["lot_id"])

        return read

    def commit_watch(self) -> LedgerWatch | None:
        """A watch that tells without a query whether anything was committed since a mark (see
        ``station.ledger.changes``), or None where the backend has none (this default; SQLite has one)."""
        return None

    @abc.abstractmethod
    def lock_read_only(self) -> None:
        """Make this connection refuse every write from now on (the query service only reads the ledger)."""

    def issued_code(self, serial: int) -> Code:
        """One code that must have been issued (a serial the ledger itself gave out); RegistryError if not."""
        code = self.code(serial)
        if code is None:
            raise RegistryError("code.unknown_serial", serial=serial)
        return code

    @abc.abstractmethod
    def transition(self, serial: int, action: str, data: dict[str, Any] | None = None) -> State:
        """Apply a lifecycle action to one code."""

    @abc.abstractmethod
    def code_events(self, serial: int, order_id: int) -> list[dict[str, Any]]:
        """History of one code."""

    @abc.abstractmethod
    def events_of(
        self,
        kinds: Sequence[str] | None = None,
        *,
        enterprise_id: int | None = None,
        product_id: int | None = None,
        order_id: int | None = None,
        serial: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Events of these kinds (all kinds when None), narrowed to what is given, oldest first, streamed."""

    @abc.abstractmethod
    def latest_events(self, kinds: Sequence[str], limit: int) -> list[dict[str, Any]]:
        """The newest events of these kinds, newest first."""

    @abc.abstractmethod
    def order_code_events(self, order_id: int, kinds: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Events of these kinds about the order's codes, by serial and then oldest first, streamed."""

    @abc.abstractmethod
    def extend_order(self, order_id: int, count: int, serial_limit: int) -> tuple[int, int]:
        """Draw more codes for an order (replacements)."""

    @abc.abstractmethod
    def order_state_counts(self, order_id: int) -> dict[State, int]:
        """Codes of an order per state."""

    @abc.abstractmethod
    def state_counts(self) -> dict[State, int]:
        """Codes of the whole ledger per state."""

    @abc.abstractmethod
    def event_counts_since(self, at: str) -> dict[str, int]:
        """Events per kind recorded at or after an ISO 8601 UTC time."""

    @abc.abstractmethod
    def codes_in_state(self, order_id: int, state: State, limit: int | None = None) -> list[int]:
        """Serials of an order's codes in a state."""

    @abc.abstractmethod
    def create_run(self, order_id: int, template: str, roll_size: int, printer: str, camera: str) -> int:
        """Start a print run."""

    @abc.abstractmethod
    def run(self, run_id: int) -> Run:
        """One run."""

    @abc.abstractmethod
    def runs_of(self, order_id: int) -> list[Run]:
        """The order's runs, oldest first."""

    @abc.abstractmethod
    def unfinished_runs(self, order_id: int) -> list[Run]:
        """The order's unfinished runs, latest first."""

    @abc.abstractmethod
    def unfinished_run(self, order_id: int) -> Run | None:
        """The order's unfinished run."""

    @abc.abstractmethod
    def set_run_status(self, run_id: int, status: str, reason: str | None = None) -> None:
        """Change a run's status with its event."""

    @abc.abstractmethod
    def open_roll(self, run_id: int, roll_id: str, number: int) -> None:
        """Open a roll."""

    @abc.abstractmethod
    def close_roll(self, roll_id: str) -> None:
        """Close a roll."""

    @abc.abstractmethod
    def roll(self, roll_id: str) -> Roll:
        """One roll with its labels."""

    @abc.abstractmethod
    def rolls(self, order_id: int) -> list[Roll]:
        """An order's rolls."""

    @abc.abstractmethod
    def print_next_on_roll(
        self, order_id: int, roll_id: str, data: dict[str, Any], serial_limit: int
    ) -> tuple[int, int]:
        """Take the order's next issued code (or a replacement) and record it printed on a roll; (serial, position)."""

    @abc.abstractmethod
    def print_on_roll(self, serial: int, roll_id: str, data: dict[str, Any]) -> int:
        """Record a code as printed at the next position of a roll."""

    @abc.abstractmethod
    def roll_of(self, serial: int) -> str | None:
        """The roll a code was printed on, or None."""

    @abc.abstractmethod
    def last_label(self, printer: str | None = None) -> tuple[str, int | None] | None:
        """The roll and serial of the last label put on any roll (on a run of ``printer`` when given; serial None
        for a roll header), or None."""

    @abc.abstractmethod
    def roll_exists(self, roll_id: str) -> bool:
        """Whether the ledger holds a roll of this id."""

    @abc.abstractmethod
    def headers_missing(self, order_id: int) -> list[tuple[str, int]]:
        """The order's closed rolls without a printed header, with the header prints started for each."""

    @abc.abstractmethod
    def header_started(self, roll_id: str, data: dict[str, Any]) -> int:
        """Record a closed roll's header as about to be sent; the header prints the roll has had."""

    @abc.abstractmethod
    def header_printed(self, roll_id: str) -> None:
        """Record a roll's header as sent whole."""

    # --- lots, binding and pickups -------------------------------------------------------------------

    @abc.abstractmethod
    def add_lot(self, product_id: int, number: str, production_date: str, quantity: str, records: list[str]) -> int:
        """Record a lot of a product with its production and processing records."""

    @abc.abstractmethod
    def lot(self, lot_id: int) -> Lot:
        """One lot, with its product's enterprise."""

    @abc.abstractmethod
    def lots(self, product_id: int | None = None) -> list[Lot]:
        """Lots, all or of one product."""

    @abc.abstractmethod
    def update_lot(self, lot_id: int, kind: str, data: dict[str, Any], **columns: Any) -> None:
        """Change a lot's inspection, release or recall columns, with the event."""

    @abc.abstractmethod
    def lot_code_counts(self) -> dict[int, int]:
        """How many codes are bound to each lot (recalled ones too): lot id -> count, lots with codes only."""

    @abc.abstractmethod
    def lot_codes(self, lot_id: int, state: State | None = None) -> list[int]:
        """Serials bound to a lot (optionally only those in ``state``)."""

    @abc.abstractmethod
    def bind(self, serial: int, lot_id: int, data: dict[str, Any]) -> None:
        """Bind one distributed code to a lot."""

    @abc.abstractmethod
    def roll_pickup(self, roll_id: str) -> int | None:
        """The pickup that holds this roll now (not undone), if any."""

    @abc.abstractmethod
    def create_pickup(self, enterprise_id: int, receiver: str, roll_ids: list[str]) -> int:
        """Hand rolls to an enterprise: every verified code on them becomes distributed, in one transaction."""

    @abc.abstractmethod
    def pickup(self, pickup_id: int) -> Pickup:
        """One pickup with its rolls."""

    @abc.abstractmethod
    def undo_pickup(self, pickup_id: int, reason: str) -> None:
        """Take a pickup back: its codes return to verified."""

    # --- cancelling an order ---------------------------------------------------------------------------

    @abc.abstractmethod
    def cancel_order(self, order_id: int, reason: str) -> list[tuple[int, int]]:
        """Void every code of the order not yet printed and stop its unfinished run, with one event; the voided
        serials as (first, last) ranges."""

    @abc.abstractmethod
    def order_cancellation(self, order_id: int) -> dict[str, Any] | None:
        """The order's cancellation (``at``, ``operator``, ``reason``, ``voided`` ranges, ``count``), or None."""

    @abc.abstractmethod
    def add_certificate(self, lot_id: int, printer: str) -> Certificate:
        """Record the next 承诺达标合格证 of a lot, numbered, with its event."""

    @abc.abstractmethod
    def certificate(self, number: str) -> Certificate:
        """One certificate by its number."""

    @abc.abstractmethod
    def certificates(self, lot_id: int | None = None) -> list[Certificate]:
        """Certificates in the order they were issued, all or of one lot."""

    @abc.abstractmethod
    def events(self, after: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """Events by id, after the given one."""

    @abc.abstractmethod
    def add_operator(self, name: str, role: str, pin_hash: str) -> None:
        """Record an operator who may sign in, with their PIN's hash."""

    @abc.abstractmethod
    def operator(self, name: str) -> dict[str, Any] | None:
        """One operator's name, role and PIN hash, or None."""

    @abc.abstractmethod
    def update_operator(
        self, name: str, kind: str, *, disabled: bool | None = None, pin_hash: str | None = None
    ) -> None:
        """Disable or enable an operator, or set a new PIN hash, with its event."""

    @abc.abstractmethod
    def operators(self) -> list[dict[str, Any]]:
        """Name and role of every operator."""

    @abc.abstractmethod
    def verify_audit(self) -> AuditReport:
        """Recompute the event hash chain."""
