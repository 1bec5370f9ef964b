"""What the query service writes: query counters, anomalies, daily totals and consumer reports.

``QueryStore`` is the small interface the service and ``station stats``/``station reports`` use; ``SqlQueryStore``
runs the statements below over a backend's connections. The SQLite store opens its own connections to the ledger
file (one per thread; WAL lets them run beside the station's own) and is locked by
``sqlite3.Connection.set_authorizer`` so that it can write the four query tables and nothing else; the PostgreSQL
store (``station.ledger.query_postgres``) is held to them by its database role. The SQL is kept portable
(``INSERT … ON CONFLICT … DO UPDATE``, ``RETURNING``, ``?`` placeholders that a server backend swaps for its own).
``station.ledger.open_store`` opens the store of a ledger URL."""

from __future__ import annotations

import abc
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.errors import LedgerError
from station.ledger.changes import LedgerWatch
from station.ledger.query_hidden import HiddenStore
from station.ledger.sqlite import write_authorizer

QUERY_TABLES = frozenset({"query_codes", "query_anomalies", "query_daily", "query_reports", "query_hidden"})
QUERY_SCHEMA = 6  # the ledger migration that created the query tables
REPORT_KINDS = ("counterfeit", "quality", "other")


@dataclass(slots=True)
class CodeQueries:
    """How often one code was queried, since when, and from where last."""

    queries: int
    first_at: str
    last_at: str
    last_network: str
    anomalies: int = 0


@dataclass(frozen=True)
class Anomaly:
    """One code queried from two far-apart client networks within the window."""

    serial: int
    at: str
    network: str
    previous_network: str
    previous_at: str


@dataclass(frozen=True)
class Report:
    """A consumer's report (失信行为举报) about a code."""

    at: str
    code: str
    serial: int | None
    kind: str
    text: str
    contact: str
    network: str
    id: int | None = None


@dataclass
class Batch:
    """Counter changes written together: per code (added queries and anomalies, latest time and network), per
    (day, status), and the anomalies found."""

    codes: dict[int, CodeQueries] = field(default_factory=dict)
    daily: dict[tuple[str, str], int] = field(default_factory=dict)
    anomalies: list[Anomaly] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.codes or self.daily or self.anomalies)

    def merge(self, later: Batch) -> None:
        """Fold a later batch into this one (used when a write failed and is tried again)."""
        for serial, delta in later.codes.items():
            mine = self.codes.get(serial)
            if mine is None:
                self.codes[serial] = delta
            else:
                mine.queries += delta.queries
                mine.anomalies += delta.anomalies
                mine.last_at, mine.last_network = delta.last_at, delta.last_network
        for key, n in later.daily.items():
            self.daily[key] = self.daily.get(key, 0) + n
        self.anomalies.extend(later.anomalies)


@dataclass(frozen=True)
class Totals:
    """The raw figures behind ``station stats``."""

    by_status_today: dict[str, int]
    by_status_total: dict[str, int]
    top: list[tuple[int, CodeQueries]]
    anomalies_today: int
    anomalies_total: int
    recent_anomalies: list[Anomaly]
    reports_today: int
    reports_total: int


class QueryStore(abc.ABC):
    """Counters, anomalies, daily totals and reports of the query service."""

    @abc.abstractmethod
    def code_queries(self, serial: int) -> CodeQueries | None:
        """The stored counter of one code, or None when it was never queried."""

    @abc.abstractmethod
    def save(self, batch: Batch) -> None:
        """Add a batch of counter changes in one transaction."""

    @abc.abstractmethod
    def add_report(self, report: Report) -> int:
        """Store a consumer report; its id."""

    @abc.abstractmethod
    def reports(self, since: str | None = None) -> list[Report]:
        """Reports at or after ``since`` (UTC, ISO 8601 as stored), oldest first."""

    @abc.abstractmethod
    def totals(self, day: str, day_start: str, top: int = 10) -> Totals:
        """Figures for ``station stats``: ``day`` is the local date in query_daily, ``day_start`` its UTC start."""

    @abc.abstractmethod
    def ledger_version(self) -> int:
        """The ledger's version: the id of the last event of its audit chain, which every change appends to in
        the change's own transaction (so a reader that sees the same id sees the same ledger)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Release every connection."""

    def __enter__(self) -> QueryStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


CODES_PER_STATEMENT = 500  # 3,000 parameters: within SQLite's and PostgreSQL's limits

# --- the statements, shared by every backend (``?`` placeholders) -------------------------------------------

SQL = {
    "code": "SELECT queries, first_at, last_at, last_network, anomalies FROM query_codes WHERE serial = ?",
    "add_codes": (  # {rows}: one "(?, ?, ?, ?, ?, ?)" per code
        "INSERT INTO query_codes (serial, queries, first_at, last_at, last_network, anomalies)"
        " VALUES {rows}"
        " ON CONFLICT (serial) DO UPDATE SET queries = query_codes.queries + excluded.queries,"
        " last_at = excluded.last_at, last_network = excluded.last_network,"
        " anomalies = query_codes.anomalies + excluded.anomalies"
    ),
    "add_daily": (
        "INSERT INTO query_daily (day, status, queries) VALUES (?, ?, ?)"
        " ON CONFLICT (day, status) DO UPDATE SET queries = query_daily.queries + excluded.queries"
    ),
    "add_anomaly": (
        "INSERT INTO query_anomalies (serial, at, network, previous_network, previous_at) VALUES (?, ?, ?, ?, ?)"
    ),
    "add_report": (
        "INSERT INTO query_reports (at, code, serial, kind, text, contact, network) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " RETURNING id"
    ),
    "reports": "SELECT id, at, code, serial, kind, text, contact, network FROM query_reports WHERE at >= ? ORDER BY id",
    "daily_day": "SELECT status, SUM(queries) FROM query_daily WHERE day = ? GROUP BY status",
    "daily_all": "SELECT status, SUM(queries) FROM query_daily GROUP BY status",
    "top": (
        "SELECT serial, queries, first_at, last_at, last_network, anomalies FROM query_codes"
        " ORDER BY queries DESC, serial LIMIT ?"
    ),
    "anomalies_since": "SELECT COUNT(*) FROM query_anomalies WHERE at >= ?",
    "recent_anomalies": (
        "SELECT serial, at, network, previous_network, previous_at FROM query_anomalies ORDER BY id DESC LIMIT ?"
    ),
    "reports_since": "SELECT COUNT(*) FROM query_reports WHERE at >= ?",
    "ledger_version": "SELECT last_id FROM chain_head WHERE singleton = 1",
}


class SqlQueryStore(HiddenStore, QueryStore):
    """The statements of ``SQL`` on connections of the store's own, one per thread; a backend opens them."""

    _errors: tuple[type[BaseException], ...] = ()  # the driver's errors, reported as LedgerError
    _begin = "BEGIN"  # how a write transaction begins

    def __init__(self, busy_timeout_s: float = 10.0) -> None:
        self.busy_timeout_s = busy_timeout_s
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[Any] = []
        self._db()  # fail now, not on the first query, when the ledger is missing, unreachable or too old

    @abc.abstractmethod
    def _connect(self) -> Any:
        """A new connection (``execute``/``executemany`` with ``?``) to a ledger that has the query tables."""

    def _db(self) -> Any:
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
            with self._lock:
                self._connections.append(db)
        return db

    def _began(self) -> object:
        """Called holding the write lock, at the start of each write; what it returns goes to ``_committed``."""
        return None

    def _committed(self, _began: object) -> None:
        """Called after each commit of the store's own."""

    def _ended(self) -> None:
        """Called when each write is over, committed or not."""

    @contextmanager
    def _write(self) -> Iterator[Any]:
        db = self._db()
        try:
            db.execute(self._begin)
        except self._errors as err:
            raise LedgerError("ledger.io", reason=str(err)) from err
        try:
            began = self._began()
            yield db
            db.execute("COMMIT")
            self._committed(began)
        except BaseException as err:
            try:
                db.execute("ROLLBACK")
            except self._errors:
                pass  # already rolled back; the first error is the one to report
            if isinstance(err, self._errors):
                raise LedgerError("ledger.io", reason=str(err)) from err
            raise
        finally:
            self._ended()

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            rows: list[tuple[Any, ...]] = self._db().execute(sql, params).fetchall()
        except self._errors as err:
            raise LedgerError("ledger.io", reason=str(err)) from err
        return rows

    def close(self) -> None:
        """Close the connections of every thread that used the store."""
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    def ledger_version(self) -> int:
        """The id of the ledger's last event (its audit chain's head)."""
        rows = self._read(SQL["ledger_version"])
        return int(rows[0][0]) if rows else 0

    def code_queries(self, serial: int) -> CodeQueries | None:
        """The stored counter of one code."""
        rows = self._read(SQL["code"], (serial,))
        return CodeQueries(*rows[0]) if rows else None

    def save(self, batch: Batch) -> None:
        """Add the batch's counters, daily totals and anomalies in one transaction."""
        # in key order, so that two services sharing a server database lock rows in the same order
        codes = [
            (serial, d.queries, d.first_at, d.last_at, d.last_network, d.anomalies)
            for serial, d in sorted(batch.codes.items())
        ]
        with self._write() as db:
            # many codes to a statement: on SQLite each statement lets the event loop's thread have the GIL back
            # once, where a statement per code would hand it over and back for every code
            for start in range(0, len(codes), CODES_PER_STATEMENT):
                chunk = codes[start : start + CODES_PER_STATEMENT]
                rows = ", ".join(["(?, ?, ?, ?, ?, ?)"] * len(chunk))
                db.execute(SQL["add_codes"].format(rows=rows), [value for row in chunk for value in row])
            db.executemany(SQL["add_daily"], [(day, status, n) for (day, status), n in sorted(batch.daily.items())])
            db.executemany(
                SQL["add_anomaly"],
                [(a.serial, a.at, a.network, a.previous_network, a.previous_at) for a in batch.anomalies],
            )

    def add_report(self, report: Report) -> int:
        """Store a report and return its id."""
        with self._write() as db:
            row = db.execute(
                SQL["add_report"],
                (report.at, report.code, report.serial, report.kind, report.text, report.contact, report.network),
            ).fetchone()
        return int(row[0])

    def reports(self, since: str | None = None) -> list[Report]:
        """Reports at or after ``since``, oldest first."""
        rows = self._read(SQL["reports"], (since or "",))
        return [
            Report(at, code, serial, kind, text, contact, network, rid)
            for rid, at, code, serial, kind, text, contact, network in rows
        ]

    def totals(self, day: str, day_start: str, top: int = 10) -> Totals:
        """Counts for one day and overall, the most-queried codes, anomalies and reports."""
        return Totals(
            by_status_today={s: int(n) for s, n in self._read(SQL["daily_day"], (day,))},
            by_status_total={s: int(n) for s, n in self._read(SQL["daily_all"])},
            top=[(row[0], CodeQueries(*row[1:])) for row in self._read(SQL["top"], (top,))],
            anomalies_today=int(self._read(SQL["anomalies_since"], (day_start,))[0][0]),
            anomalies_total=int(self._read(SQL["anomalies_since"], ("",))[0][0]),
            recent_anomalies=[Anomaly(*row) for row in self._read(SQL["recent_anomalies"], (top,))],
            reports_today=int(self._read(SQL["reports_since"], (day_start,))[0][0]),
            reports_total=int(self._read(SQL["reports_since"], ("",))[0][0]),
        )


class SqliteQueryStore(SqlQueryStore):
    """The query tables in the SQLite ledger file, on connections of their own that may write only those tables."""

    _errors = (sqlite3.Error,)
    _begin = "BEGIN IMMEDIATE"

    def __init__(self, path: Path, busy_timeout_s: float = 10.0, watch: LedgerWatch | None = None) -> None:
        self.path = path
        # the service's watch of the ledger (station.ledger.changes): told of each commit of the store's own, so
        # that rows of the rest of the ledger read before it stay good
        self.watch = watch
        super().__init__(busy_timeout_s)

    def _began(self) -> object:
        # BEGIN IMMEDIATE holds the ledger's write lock: no other commit can come until ours
        return self.watch.writing() if self.watch is not None else None

    def _committed(self, began: object) -> None:
        if self.watch is not None and isinstance(began, bytes):
            self.watch.own_commit(began, self.watch.mark())

    def _ended(self) -> None:
        if self.watch is not None:
            self.watch.done()

    def _connect(self) -> sqlite3.Connection:
        try:
            # mode=rw: never create an empty ledger where the real one is missing
            db = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=rw",
                uri=True,
                timeout=self.busy_timeout_s,
                isolation_level=None,
                check_same_thread=False,
            )
            db.execute("PRAGMA foreign_keys = ON")
            # NORMAL in WAL mode: a commit survives a crash of the service, not a power cut; counters are written
            # in batches anyway, and the station's own connection keeps FULL for the ledger.
            db.execute("PRAGMA synchronous = NORMAL")
            version = db.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as err:
            raise LedgerError("ledger.corrupt", path=str(self.path), reason=str(err)) from err
        if version < QUERY_SCHEMA:
            db.close()
            raise LedgerError("query.schema_old", path=str(self.path), found=version, needed=QUERY_SCHEMA)
        db.set_authorizer(write_authorizer(QUERY_TABLES))
        return db
