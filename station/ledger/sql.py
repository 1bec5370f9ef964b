"""The ledger in SQL, written once for every SQL backend; each backend supplies a few dialect hooks.

Statements use ``?`` placeholders and rows are read by column name or position (``sqlite3.Row`` does both; the
PostgreSQL backend's connection translates placeholders and builds such rows). What differs between databases
is behind the hooks: how a write transaction takes the ledger's one write lock, how an inserted row's id comes
back, how a million codes go in, where the schema version is recorded and how a migration reads in its dialect.
"""

from __future__ import annotations

import abc
import json
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Protocol, cast

from station.errors import CodeError, LedgerError, RegistryError, TransitionError
from station.ledger.audit import Anchor, AuditReport, check_anchor, event_hash, verify_chain
from station.ledger.base import Ledger, utc_now
from station.ledger.lifecycle import State, next_state
from station.ledger.replay import ROW_QUERIES, Disagreement, Replay, compare_codes, pin_digest
from station.ledger.rows import Code, Enterprise, Order, Product
from station.ledger.runs import RunTables
from station.ledger.schema import SCHEMA_VERSION
from station.ledger.trace import TraceTables
from station.ledger.voids import VoidTables

# Codes are written and read in slices of this many serials, so memory stays flat for any order size.
STREAM_SLICE = 50_000


class Connection(Protocol):
    """What the shared SQL needs of a connection: ``sqlite3.Connection`` as it is, or an adapter."""

    def execute(self, sql: str, parameters: Any = ..., /) -> Any:
        """Run one statement with ``?`` placeholders; a cursor of rows by name and position."""

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        """Run one statement for each parameter tuple."""

    def close(self) -> None:
        """Close the connection."""


class SqlLedger(RunTables, TraceTables, VoidTables, Ledger):
    """Every ledger method in SQL; a backend opens ``_db`` and implements the hooks below."""

    _db: Connection
    # the driver's error classes: wrapped into LedgerError at a transaction's edge
    _driver_errors: tuple[type[BaseException], ...] = ()

    def _setup(self) -> None:
        """Called by the backend once ``_db`` is open: bring the schema up to date."""
        self._depth = 0
        self._migrate()

    # --- dialect hooks ------------------------------------------------------------------------------

    @abc.abstractmethod
    def _begin_write(self) -> None:
        """Begin a transaction holding the ledger's write lock (writers take turns, as in SQLite); on timeout
        raise LedgerError('ledger.busy')."""

    @abc.abstractmethod
    def _begin_read(self) -> None:
        """Begin a read-only transaction that sees one consistent snapshot."""

    @abc.abstractmethod
    def _begin_migration(self) -> None:
        """Begin the transaction that migrates, locked against another process migrating at the same time."""

    @abc.abstractmethod
    def _schema_version(self) -> int:
        """The number of migrations applied (0 for a new database)."""

    @abc.abstractmethod
    def _record_migration(self, version: int) -> None:
        """Record that migration ``version`` (1-based) is applied, inside the migration's transaction."""

    @abc.abstractmethod
    def _migration_statements(self, index: int) -> list[str]:
        """The statements of ``MIGRATIONS[index]`` in this backend's dialect."""

    @abc.abstractmethod
    def _insert(self, sql: str, params: Iterable[Any]) -> int:
        """Run an INSERT into a table with an ``id`` key; the new row's id."""

    def _insert_codes(self, order_id: int, first: int, last: int) -> None:
        """Insert serials ``first..last`` of an order as issued codes (backends may do this faster)."""
        for start in range(first, last + 1, STREAM_SLICE):
            stop = min(start + STREAM_SLICE, last + 1)
            self._db.executemany(
                "INSERT INTO codes (serial, order_id, state) VALUES (?, ?, ?)",
                ((s, order_id, int(State.ISSUED)) for s in range(start, stop)),
            )

    # --- plumbing -----------------------------------------------------------------------------------

    def _migrate(self) -> None:
        found = self._schema_version()
        if found > SCHEMA_VERSION:
            raise LedgerError("ledger.schema_newer", found=found, supported=SCHEMA_VERSION)
        if found == SCHEMA_VERSION:
            return
        self._begin_migration()
        try:
            # read again under the lock: another process may have migrated meanwhile
            found = self._schema_version()
            for version in range(found, SCHEMA_VERSION):
                for statement in self._migration_statements(version):
                    self._db.execute(statement)
                self._record_migration(version + 1)
            self._db.execute("COMMIT")
        except BaseException as err:
            self._db.execute("ROLLBACK")
            if isinstance(err, self._driver_errors):
                raise LedgerError(
                    "ledger.migrate_failed", found=found, supported=SCHEMA_VERSION, reason=str(err)
                ) from err
            raise

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """All writes inside commit together or not at all; nested calls join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._begin_write()
        self._depth = 1
        try:
            yield
            self._db.execute("COMMIT")
        except BaseException as err:
            self._depth = 0
            try:
                self._db.execute("ROLLBACK")
            except self._driver_errors:
                pass  # the transaction is already gone; the first error is the one to report
            if isinstance(err, self._driver_errors):
                raise LedgerError("ledger.io", reason=str(err)) from err
            raise
        finally:
            self._depth = 0

    @contextmanager
    def _snapshot(self) -> Iterator[None]:
        """Reads inside see one state of the ledger, even while other stations write (joins a transaction)."""
        if self._depth:
            yield
            return
        self._begin_read()
        try:
            yield
        finally:
            self._db.execute("COMMIT")

    def _one(self, sql: str, params: Iterable[Any] = ()) -> Any:
        """The first row of a query, or None."""
        return self._db.execute(sql, tuple(params)).fetchone()

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
        """Append one event to the chain (inside the caller's transaction, which holds the write lock)."""
        if not self._depth:
            raise RuntimeError("append_event must run inside ledger.transaction()")
        head = self._one("SELECT last_id, last_hash FROM chain_head WHERE singleton = 1")
        assert head is not None
        event = {
            "id": head["last_id"] + 1,
            "at": utc_now(),
            "operator": self.actor.operator,
            "station": self.actor.station,
            "kind": kind,
            "enterprise_id": enterprise_id,
            "product_id": product_id,
            "order_id": order_id,
            "serial": serial,
            "data": json.dumps(data or {}, ensure_ascii=False, sort_keys=True, separators=(",", ":")),
        }
        digest = event_hash(event, head["last_hash"], self.audit_key)
        self._db.execute(
            "INSERT INTO events (id, at, operator, station, kind, enterprise_id, product_id, order_id, serial,"
            " data, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (*event.values(), head["last_hash"], digest),
        )
        self._db.execute("UPDATE chain_head SET last_id = ?, last_hash = ? WHERE singleton = 1", (event["id"], digest))
        return int(event["id"])

    # --- enterprises and products -------------------------------------------------------------------

    def add_enterprise(self, name: str, credit_code: str, contact: str = "") -> int:
        """Register an enterprise application (status pending)."""
        with self.transaction():
            existing = self._one("SELECT id FROM enterprises WHERE credit_code = ?", (credit_code,))
            if existing is not None:
                raise RegistryError("enterprise.duplicate", code=credit_code, id=existing["id"])
            eid = self._insert(
                "INSERT INTO enterprises (name, credit_code, contact, status, created_at)"
                " VALUES (?, ?, ?, 'pending', ?)",
                (name, credit_code, contact, utc_now()),
            )
            self.append_event(
                "enterprise.added", {"name": name, "credit_code": credit_code, "contact": contact}, enterprise_id=eid
            )
        return eid

    def enterprise(self, eid: int) -> Enterprise:
        """One enterprise as a dict, or RegistryError."""
        row = self._one("SELECT * FROM enterprises WHERE id = ?", (eid,))
        if row is None:
            raise RegistryError("enterprise.unknown", id=eid)
        return cast(Enterprise, dict(row))

    def enterprises(self) -> list[Enterprise]:
        """Every enterprise, by id."""
        return [cast(Enterprise, dict(r)) for r in self._db.execute("SELECT * FROM enterprises ORDER BY id")]

    def set_enterprise_documents(self, eid: int, documents: dict[str, Any]) -> None:
        """Record an enterprise's licences and qualifications, with the event that carries them."""
        with self.transaction():
            self.enterprise(eid)
            self._db.execute(
                "UPDATE enterprises SET documents = ? WHERE id = ?", (json.dumps(documents, ensure_ascii=False), eid)
            )
            self.append_event("enterprise.documents", documents, enterprise_id=eid)

    def update_enterprise(self, eid: int, kind: str, reason: str | None, **columns: Any) -> None:
        """Change an enterprise's status columns and record why."""
        with self.transaction():
            self.enterprise(eid)
            sets = ", ".join(f"{name} = ?" for name in columns)
            self._db.execute(f"UPDATE enterprises SET {sets} WHERE id = ?", (*columns.values(), eid))
            self.append_event(kind, {"reason": reason, **columns}, enterprise_id=eid)

    def add_product(
        self,
        enterprise_id: int,
        name: str,
        origin_code: str,
        certifications: list[str],
        shelf_life_days: int | None,
        gtin: str | None,
    ) -> int:
        """Record a product of an enterprise."""
        with self.transaction():
            self.enterprise(enterprise_id)
            pid = self._insert(
                "INSERT INTO products (enterprise_id, name, origin_code, certifications, shelf_life_days, gtin,"
                " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    enterprise_id,
                    name,
                    origin_code,
                    json.dumps(certifications, ensure_ascii=False),
                    shelf_life_days,
                    gtin,
                    utc_now(),
                ),
            )
            self.append_event(
                "product.added",
                {
                    "name": name,
                    "origin_code": origin_code,
                    "gtin": gtin,
                    "certifications": certifications,
                    "shelf_life_days": shelf_life_days,
                },
                enterprise_id=enterprise_id,
                product_id=pid,
            )
        return pid

    def update_product(self, pid: int, columns: dict[str, Any]) -> None:
        """Change a product's label fields (name, origin_code, certifications, shelf_life_days, gtin)."""
        allowed = {"name", "origin_code", "certifications", "shelf_life_days", "gtin"}
        if not columns or not set(columns) <= allowed:
            raise ValueError(f"product columns must be some of {sorted(allowed)}")
        stored = {k: json.dumps(v, ensure_ascii=False) if k == "certifications" else v for k, v in columns.items()}
        with self.transaction():
            product = self.product(pid)
            sets = ", ".join(f"{name} = ?" for name in stored)
            self._db.execute(f"UPDATE products SET {sets} WHERE id = ?", (*stored.values(), pid))
            self.append_event("product.updated", columns, enterprise_id=product["enterprise_id"], product_id=pid)

    def product(self, pid: int) -> Product:
        """One product as a dict, or RegistryError."""
        row = self._one("SELECT * FROM products WHERE id = ?", (pid,))
        if row is None:
            raise RegistryError("product.unknown", id=pid)
        product = dict(row)
        product["certifications"] = json.loads(product["certifications"])
        return cast(Product, product)

    def products(self, enterprise_id: int | None = None) -> list[Product]:
        """Products, all or of one enterprise."""
        if enterprise_id is None:
            rows = self._db.execute("SELECT id FROM products ORDER BY id")
        else:
            rows = self._db.execute("SELECT id FROM products WHERE enterprise_id = ? ORDER BY id", (enterprise_id,))
        return [self.product(r["id"]) for r in rows.fetchall()]

    # --- orders and codes ---------------------------------------------------------------------------

    def next_serial(self) -> int:
        """The lowest serial never used; codes are never deleted, so this never goes back."""
        row = self._one("SELECT max(serial) AS m FROM codes")
        return 1 if row is None or row["m"] is None else int(row["m"]) + 1

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
        """Issue ``count`` codes in one transaction: the order is wholly present or absent.

        Returns (order id, first serial, last serial). Rows are streamed, never held in memory.
        """
        with self.transaction():
            first = self.next_serial()
            last = first + count - 1
            if last >= serial_limit:
                raise CodeError("code.capacity", left=max(0, serial_limit - first), count=count)
            order_id = self._insert(
                "INSERT INTO orders (enterprise_id, product_id, count, base_url, gtin, lot, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (enterprise_id, product_id, count, base_url, gtin, lot, utc_now()),
            )
            self._db.execute(
                "INSERT INTO order_ranges (order_id, first_serial, last_serial) VALUES (?, ?, ?)",
                (order_id, first, last),
            )
            self._insert_codes(order_id, first, last)
            self.append_event(
                "order.issued",
                {
                    "count": count,
                    "first_serial": first,
                    "last_serial": last,
                    "gtin": gtin,
                    "lot": lot,
                    "base_url": base_url,
                },
                enterprise_id=enterprise_id,
                product_id=product_id,
                order_id=order_id,
            )
        return order_id, first, last

    def extend_order(self, order_id: int, count: int, serial_limit: int) -> tuple[int, int]:
        """Draw ``count`` more codes for an order (replacements for voided labels); (first, last) serial."""
        with self.transaction():
            order = self.order(order_id)
            cancelled = self.order_cancellation(order_id)
            if cancelled is not None:  # a cancelled order prints nothing more, so it draws no replacements
                raise RegistryError("void.order_cancelled", order=order_id, reason=cancelled["reason"])
            first = self.next_serial()
            last = first + count - 1
            if last >= serial_limit:
                raise CodeError("code.capacity", left=max(0, serial_limit - first), count=count)
            self._db.execute(
                "INSERT INTO order_ranges (order_id, first_serial, last_serial) VALUES (?, ?, ?)",
                (order_id, first, last),
            )
            self._insert_codes(order_id, first, last)
            self.append_event(
                "order.extended",
                {"count": count, "first_serial": first, "last_serial": last},
                enterprise_id=order["enterprise_id"],
                product_id=order["product_id"],
                order_id=order_id,
            )
        return first, last

    def order_state_counts(self, order_id: int) -> dict[State, int]:
        """How many of the order's codes are in each state."""
        rows = self._db.execute("SELECT state, count(*) FROM codes WHERE order_id = ? GROUP BY state", (order_id,))
        return {State(state): int(n) for state, n in rows}

    def state_counts(self) -> dict[State, int]:
        """How many codes of the whole ledger are in each state."""
        rows = self._db.execute("SELECT state, count(*) FROM codes GROUP BY state")
        return {State(state): int(n) for state, n in rows}

    def event_counts_since(self, at: str) -> dict[str, int]:
        """How many events of each kind were recorded at or after ``at`` (ISO 8601 UTC, as events store it)."""
        rows = self._db.execute("SELECT kind, count(*) FROM events WHERE at >= ? GROUP BY kind", (at,))
        return {str(kind): int(n) for kind, n in rows}

    def codes_in_state(self, order_id: int, state: State, limit: int | None = None) -> list[int]:
        """Serials of the order's codes in ``state``, lowest first."""
        sql = "SELECT serial FROM codes WHERE order_id = ? AND state = ? ORDER BY serial"
        params: tuple[Any, ...] = (order_id, int(state))
        if limit is not None:
            sql += " LIMIT ?"
            params += (limit,)
        return [int(r[0]) for r in self._db.execute(sql, params)]

    def order(self, order_id: int) -> Order:
        """One order with its serial ranges, or RegistryError."""
        row = self._one("SELECT * FROM orders WHERE id = ?", (order_id,))
        if row is None:
            raise RegistryError("order.unknown", id=order_id)
        order = cast(Order, dict(row))
        order["ranges"] = [
            (r["first_serial"], r["last_serial"])
            for r in self._db.execute(
                "SELECT first_serial, last_serial FROM order_ranges WHERE order_id = ? ORDER BY first_serial",
                (order_id,),
            )
        ]
        return order

    def orders(self) -> list[Order]:
        """Every order, by id."""
        return [self.order(r["id"]) for r in self._db.execute("SELECT id FROM orders ORDER BY id").fetchall()]

    def order_codes(self, order_id: int) -> Iterator[tuple[int, State]]:
        """(serial, state) for every code of the order in serial order, read in slices of its ranges."""
        for first, last in self.order(order_id)["ranges"]:
            for start in range(first, last + 1, STREAM_SLICE):
                rows = self._db.execute(
                    "SELECT serial, state FROM codes WHERE serial BETWEEN ? AND ? AND order_id = ? ORDER BY serial",
                    (start, min(start + STREAM_SLICE - 1, last), order_id),
                ).fetchall()
                for serial, state in rows:
                    yield serial, State(state)

    def code(self, serial: int) -> Code | None:
        """The code row with its order and lot, or None when the serial was never issued."""
        row = self._one("SELECT serial, order_id, state, lot_id FROM codes WHERE serial = ?", (serial,))
        if row is None:
            return None
        return {
            "serial": row["serial"],
            "order_id": row["order_id"],
            "state": State(row["state"]),
            "lot_id": row["lot_id"],
        }

    def transition(self, serial: int, action: str, data: dict[str, Any] | None = None) -> State:
        """Move one code through the lifecycle table, with its event, atomically."""
        with self.transaction():
            row = self.code(serial)
            if row is None:
                raise LedgerError("ledger.unknown_code", serial=serial)
            new = next_state(action, row["state"])
            if new is None:
                raise TransitionError(
                    "ledger.illegal_transition",
                    code=serial,
                    state=_state_text(row["state"]),
                    action=_action_text(action),
                )
            self._db.execute("UPDATE codes SET state = ? WHERE serial = ?", (int(new), serial))
            self.append_event(
                f"code.{action}",
                {"from": row["state"].label, "to": new.label, **(data or {})},
                order_id=row["order_id"],
                serial=serial,
            )
        return new

    def code_events(self, serial: int, order_id: int) -> list[dict[str, Any]]:
        """The code's own events and its order's, oldest first."""
        rows = self._db.execute(
            "SELECT * FROM events WHERE serial = ? UNION ALL"
            " SELECT * FROM events WHERE order_id = ? AND serial IS NULL ORDER BY id",
            (serial, order_id),
        )
        return [_event_dict(r) for r in rows]

    def events_of(
        self,
        kinds: Sequence[str] | None = None,
        *,
        enterprise_id: int | None = None,
        product_id: int | None = None,
        order_id: int | None = None,
        serial: int | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Events of these kinds (all kinds when None), narrowed to what is given, oldest first, read in slices."""
        where: list[str] = []
        params: list[Any] = []
        if kinds is not None:
            where.append(f"kind IN ({', '.join('?' for _ in kinds) or 'NULL'})")
            params += kinds
        for column, value in (
            ("enterprise_id", enterprise_id),
            ("product_id", product_id),
            ("order_id", order_id),
            ("serial", serial),
        ):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        after = 0
        while True:
            rows = self._db.execute(
                "SELECT * FROM events WHERE " + " AND ".join([*where, "id > ?"]) + " ORDER BY id LIMIT ?",
                (*params, after, STREAM_SLICE),
            ).fetchall()
            for row in rows:
                yield _event_dict(row)
            if len(rows) < STREAM_SLICE:
                return
            after = rows[-1]["id"]

    def latest_events(self, kinds: Sequence[str], limit: int) -> list[dict[str, Any]]:
        """The newest ``limit`` events of these kinds, newest first."""
        marks = ", ".join("?" for _ in kinds) or "NULL"
        rows = self._db.execute(
            f"SELECT * FROM events WHERE kind IN ({marks}) ORDER BY id DESC LIMIT ?", (*kinds, limit)
        ).fetchall()
        return [_event_dict(r) for r in rows]

    def order_code_events(self, order_id: int, kinds: Sequence[str]) -> Iterator[dict[str, Any]]:
        """Events of these kinds about the order's codes, by serial and then oldest first, read in slices of
        the order's ranges (every serial in an order's range belongs to that order)."""
        marks = ", ".join("?" for _ in kinds) or "NULL"
        for first, last in self.order(order_id)["ranges"]:
            for start in range(first, last + 1, STREAM_SLICE):
                rows = self._db.execute(
                    f"SELECT * FROM events WHERE serial BETWEEN ? AND ? AND kind IN ({marks}) ORDER BY serial, id",
                    (start, min(start + STREAM_SLICE - 1, last), *kinds),
                ).fetchall()
                for row in rows:
                    yield _event_dict(row)

    def events(self, after: int = 0, limit: int | None = None) -> list[dict[str, Any]]:
        """Events by id, after the given one."""
        sql = "SELECT * FROM events WHERE id > ? ORDER BY id"
        params: tuple[Any, ...] = (after,)
        if limit is not None:
            sql += " LIMIT ?"
            params = (after, limit)
        return [_event_dict(r) for r in self._db.execute(sql, params)]

    # --- operators ----------------------------------------------------------------------------------

    def add_operator(self, name: str, role: str, pin_hash: str) -> None:
        """Record an operator with the hash of their PIN, with its event: the hash stays out of the event, a keyed
        digest of it goes in (so `audit verify` proves the stored hash is the one set)."""
        with self.transaction():
            if self.operator(name) is not None:
                raise RegistryError("operator.exists", name=name)
            self._db.execute(
                "INSERT INTO operators (name, role, pin_hash, created_at) VALUES (?, ?, ?, ?)",
                (name, role, pin_hash, utc_now()),
            )
            self.append_event(
                "operator.added", {"name": name, "role": role, "pin": pin_digest(name, pin_hash, self.audit_key)}
            )

    def operator(self, name: str) -> dict[str, Any] | None:
        """One operator's name, role, PIN hash and whether disabled, or None."""
        row = self._one("SELECT name, role, pin_hash, disabled FROM operators WHERE name = ?", (name,))
        return None if row is None else dict(row)

    def operators(self) -> list[dict[str, Any]]:
        """Name, role and whether disabled of every operator, by name."""
        return [dict(r) for r in self._db.execute("SELECT name, role, disabled FROM operators ORDER BY name")]

    def update_operator(
        self, name: str, kind: str, *, disabled: bool | None = None, pin_hash: str | None = None
    ) -> None:
        """Disable or enable an operator, or set a new PIN hash, with its event (the hash stays out of it)."""
        with self.transaction():
            if self.operator(name) is None:
                raise RegistryError("operator.unknown", name=name)
            if disabled is not None:
                self._db.execute("UPDATE operators SET disabled = ? WHERE name = ?", (int(disabled), name))
            if pin_hash is not None:
                self._db.execute("UPDATE operators SET pin_hash = ? WHERE name = ?", (pin_hash, name))
            data: dict[str, Any] = {"name": name}
            if pin_hash is not None:
                data["pin"] = pin_digest(name, pin_hash, self.audit_key)
            self.append_event(kind, data)

    # --- audit --------------------------------------------------------------------------------------

    def verify_audit(self, anchors: Sequence[Anchor] = ()) -> AuditReport:
        """Recompute the hash chain over every event, check it against head records kept outside the database,
        and recompute the tables from the events: all in one snapshot of the ledger. The report names the first
        event, head record or row that disagrees."""
        with self._snapshot():
            head = self._one("SELECT last_id, last_hash FROM chain_head WHERE singleton = 1")
            head_id, head_hash = (head["last_id"], head["last_hash"]) if head else (-1, "")
            replay = Replay(self.audit_key)
            report = verify_chain(replay.feed(self._all_events()), head_id, head_hash, self.audit_key)
            if not report.ok:
                return report
            for anchor in anchors:
                row = self._one("SELECT hash FROM events WHERE id = ?", (anchor.last_id,))
                reason = check_anchor(anchor, report.events, None if row is None else row["hash"], self.audit_key)
                if reason is not None:
                    return AuditReport(False, report.events, report.head, anchor.last_id, reason)
            found = self._rows_disagreeing(replay)
        if found is not None:
            return AuditReport(
                False,
                report.events,
                report.head,
                None,
                "audit.reason.state",
                subject=found.subject,
                kind=found.kind,
                table=found.table,
                row=found.row,
                column=found.column,
                expected=found.expected,
                found=found.found,
                anchors=len(anchors),
            )
        return replace(report, anchors=len(anchors))

    def _all_events(self) -> Iterator[dict[str, Any]]:
        """Every event row by id, read in slices so a long chain does not fill memory."""
        last = None
        while True:
            if last is None:
                rows = self._db.execute("SELECT * FROM events ORDER BY id LIMIT ?", (STREAM_SLICE,)).fetchall()
            else:
                rows = self._db.execute(
                    "SELECT * FROM events WHERE id > ? ORDER BY id LIMIT ?", (last, STREAM_SLICE)
                ).fetchall()
            for row in rows:
                yield dict(row)
            if len(rows) < STREAM_SLICE:
                return
            last = rows[-1]["id"]

    def _rows_disagreeing(self, replay: Replay) -> Disagreement | None:
        """The first row of a covered table that is not what the events say: the small tables whole, then codes
        and their labels on rolls in slices of serials (with the code events of each slice)."""
        for table, sql in ROW_QUERIES.items():
            found = replay.compare(table, self._db.execute(sql).fetchall())
            if found is not None:
                return found
        spans = replay.serial_spans()
        for first, last in spans:
            for start in range(first, last + 1, STREAM_SLICE):
                stop = min(start + STREAM_SLICE - 1, last)
                found = compare_codes(
                    replay,
                    start,
                    stop,
                    self._db.execute(
                        "SELECT serial, order_id, state, lot_id FROM codes WHERE serial BETWEEN ? AND ?"
                        " ORDER BY serial",
                        (start, stop),
                    ).fetchall(),
                    self._db.execute(
                        "SELECT serial, roll_id, position FROM roll_labels WHERE serial BETWEEN ? AND ?"
                        " ORDER BY serial",
                        (start, stop),
                    ).fetchall(),
                    self._db.execute(
                        "SELECT serial, kind, data FROM events WHERE serial BETWEEN ? AND ? ORDER BY serial, id",
                        (start, stop),
                    ).fetchall(),
                )
                if found is not None:
                    return found
        gaps: list[tuple[int | None, int | None]] = [(None, spans[0][0] if spans else None)]
        gaps += [(a[1], b[0]) for a, b in zip(spans, spans[1:], strict=False)]
        gaps += [(spans[-1][1], None)] if spans else []
        for table, query in (
            ("codes", "SELECT serial FROM codes WHERE {} ORDER BY serial LIMIT 1"),
            ("roll_labels", "SELECT roll_id || ':' || position FROM roll_labels WHERE {} ORDER BY serial LIMIT 1"),
        ):
            for below, above in gaps:
                where = ["serial IS NOT NULL"]
                params: list[int] = []
                if below is not None:
                    where.append("serial > ?")
                    params.append(below)
                if above is not None:
                    where.append("serial < ?")
                    params.append(above)
                row = self._one(query.format(" AND ".join(where)), params)
                if row is not None:
                    return Disagreement("extra", table, str(row[0]))
        return None

    # --- ledger settings ----------------------------------------------------------------------------

    def meta(self, name: str) -> str | None:
        """A value of the ledger's own settings."""
        row = self._one("SELECT value FROM meta WHERE key = ?", (name,))
        return None if row is None else str(row["value"])

    def set_meta(self, name: str, value: str) -> None:
        """Record a ledger setting."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (name, value),
            )

    def is_empty(self) -> bool:
        """True while nothing was ever recorded."""
        return self._one("SELECT 1 FROM events LIMIT 1") is None and self._one("SELECT 1 FROM codes LIMIT 1") is None


def _event_dict(row: Any) -> dict[str, Any]:
    event = dict(row)
    event["data"] = json.loads(event["data"])
    return event


def _state_text(state: State) -> str:
    from station.texts import t

    return t(f"state.{state.label}")


def _action_text(action: str) -> str:
    from station.texts import TEXTS, t

    return t(f"action.{action}") if f"action.{action}" in TEXTS else action
