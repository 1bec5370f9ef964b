"""The PostgreSQL ledger, shared by several stations and a query site: the SQL of ``station.ledger.sql`` over
psycopg 3, with PostgreSQL's answers to the dialect hooks.

- Writers take turns as in SQLite: a write transaction begins by locking the ``chain_head`` row, so two stations
  appending at once still make one chain, and a new order's first serial is read after the lock.
- Migrations are the SQLite ones (``schema.py``) translated statement by statement (``postgres_statements``);
  each applied one is a row of ``schema_migrations``, written in the migrating transaction under an advisory lock.
- A million codes go in as one ``INSERT … SELECT FROM generate_series``: no row crosses the network.

psycopg is imported only here, and this module only when a ``postgresql://`` URL is opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from typing import Any

import psycopg
from psycopg import errors as pg_errors

from station.errors import LedgerError
from station.ledger import redacted
from station.ledger.base import Actor, utc_now
from station.ledger.schema import MIGRATIONS
from station.ledger.sql import SqlLedger
from station.ledger.sqlite import split_sql

# any constant: the key of the advisory lock held while migrating
_MIGRATION_LOCK = 0x5452_4143  # "TRAC"


class Row:
    """A result row read by column name or position, like ``sqlite3.Row`` (so ``dict(row)`` works)."""

    __slots__ = ("_index", "_values")

    def __init__(self, values: Sequence[Any], index: dict[str, int]) -> None:
        self._values = tuple(values)
        self._index = index

    def __getitem__(self, key: int | str) -> Any:
        return self._values[self._index[key] if isinstance(key, str) else key]

    def __iter__(self) -> Iterator[Any]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def keys(self) -> list[str]:
        """Column names in order."""
        return list(self._index)

    def __repr__(self) -> str:
        return f"Row({dict(zip(self._index, self._values, strict=True))!r})"


def _row_factory(cursor: Any) -> Any:
    index = {column.name: i for i, column in enumerate(cursor.description or ())}
    return lambda values: Row(values, index)


@lru_cache(maxsize=512)
def postgres_sql(sql: str) -> str:
    """``?`` placeholders become ``%s`` and a literal ``%`` becomes ``%%``; string literals are left alone."""
    out: list[str] = []
    quoted = False
    for ch in sql:
        if ch == "'":
            quoted = not quoted
        if quoted:
            out.append("%%" if ch == "%" else ch)
        elif ch == "?":
            out.append("%s")
        elif ch == "%":
            out.append("%%")
        else:
            out.append(ch)
    return "".join(out)


class PgConnection:
    """A psycopg connection that speaks like ``sqlite3.Connection`` to the shared SQL: ``?`` placeholders, rows
    by name and position, autocommit with explicit BEGIN/COMMIT."""

    def __init__(self, conn: Any) -> None:
        self.raw = conn

    def execute(self, sql: str, parameters: Iterable[Any] = ()) -> Any:
        """Run one statement; the cursor."""
        params = tuple(parameters)
        cursor = self.raw.cursor()
        if params:
            cursor.execute(postgres_sql(sql), params)
        else:
            cursor.execute(sql)  # without parameters psycopg sends the text as it is
        return cursor

    def executemany(self, sql: str, parameters: Iterable[Any]) -> Any:
        """Run one statement for each parameter tuple (pipelined by psycopg)."""
        cursor = self.raw.cursor()
        cursor.executemany(postgres_sql(sql), parameters)
        return cursor

    def close(self) -> None:
        """Close the connection."""
        self.raw.close()


class PostgresLedger(SqlLedger):
    """A ledger in a PostgreSQL database, which several stations may share."""

    _driver_errors = (psycopg.Error,)
    _db: PgConnection

    def __init__(self, url: str, actor: Actor, busy_timeout_s: float = 10.0) -> None:
        super().__init__(actor)
        self.url = url
        self._db = connect(url, busy_timeout_s, f"trace-station {actor.station}")
        try:
            self._setup()
        except BaseException:
            self._db.close()
            raise

    def lock_read_only(self) -> None:
        """Make this connection's transactions read-only; the query site's database role holds it there for anyone
        else (docs/architecture.md)."""
        self._db.execute("SET default_transaction_read_only = on")

    def _begin_write(self) -> None:
        self._db.execute("BEGIN")
        try:
            self._db.execute("SELECT last_id FROM chain_head WHERE singleton = 1 FOR UPDATE")
        except pg_errors.LockNotAvailable as err:
            self._db.execute("ROLLBACK")
            raise LedgerError("ledger.busy") from err
        except psycopg.Error as err:
            self._db.execute("ROLLBACK")
            raise LedgerError("ledger.io", reason=_first_line(err)) from err

    def _begin_read(self) -> None:
        self._db.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")

    def _begin_migration(self) -> None:
        self._db.execute("BEGIN")
        self._db.execute(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        self._db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT)")

    def _schema_version(self) -> int:
        return schema_version(self._db)

    def _record_migration(self, version: int) -> None:
        self._db.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", (version, utc_now()))

    def _migration_statements(self, index: int) -> list[str]:
        return [out for statement in split_sql(MIGRATIONS[index]) for out in postgres_statements(statement, index)]

    def _insert(self, sql: str, params: Iterable[Any]) -> int:
        return int(self._db.execute(sql + " RETURNING id", params).fetchone()[0])

    def _insert_codes(self, order_id: int, first: int, last: int) -> None:
        self._db.execute(
            "INSERT INTO codes (serial, order_id, state) SELECT s, ?, 0 FROM generate_series(?::bigint, ?::bigint) s",
            (order_id, first, last),
        )


def connect(url: str, busy_timeout_s: float, application_name: str = "trace-station") -> PgConnection:
    """An autocommit connection whose writers wait at most ``busy_timeout_s`` for a lock; LedgerError naming the
    server (not the password) when it cannot be had."""
    try:
        conn = psycopg.connect(
            url,
            autocommit=True,
            row_factory=_row_factory,
            connect_timeout=max(1, round(busy_timeout_s)),
            application_name=application_name[:63],
            client_encoding="UTF8",
        )
    except psycopg.Error as err:
        raise LedgerError("ledger.unreachable", url=redacted(url), reason=_first_line(err)) from err
    db = PgConnection(conn)
    try:
        db.execute(f"SET lock_timeout = {max(1, round(busy_timeout_s * 1000))}")
    except BaseException:
        conn.close()
        raise
    return db


def schema_version(db: PgConnection) -> int:
    """How many migrations the database has applied (0 when it has none yet)."""
    if db.execute("SELECT to_regclass('schema_migrations')").fetchone()[0] is None:
        return 0
    return int(db.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()[0])


def _first_line(err: BaseException) -> str:
    return (str(err).strip().splitlines() or [type(err).__name__])[0]


# --- the SQLite migrations in PostgreSQL ------------------------------------------------------------

_TRIGGER = re.compile(
    r"CREATE\s+TRIGGER\s+(?P<name>\w+)\s+BEFORE\s+(?P<event>UPDATE|DELETE)(?:\s+OF\s+(?P<columns>[\w, ]+?))?"
    r"\s+ON\s+(?P<table>\w+)\s+BEGIN\s+SELECT\s+RAISE\s*\(\s*ABORT\s*,\s*'(?P<message>(?:[^']|'')*)'\s*\)\s*;\s*END\s*;?",
    re.IGNORECASE,
)
_REFUSE = (
    "CREATE OR REPLACE FUNCTION ledger_refuse() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation'; END $$"
)
_TYPES = [
    (
        re.compile(r"\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b", re.IGNORECASE),
        "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY",
    ),
    (re.compile(r"\bINTEGER\b", re.IGNORECASE), "BIGINT"),
    (re.compile(r"\bREAL\b", re.IGNORECASE), "DOUBLE PRECISION"),
    (re.compile(r"\bBLOB\b", re.IGNORECASE), "BYTEA"),
]
_UNTRANSLATABLE = re.compile(
    r"\b(PRAGMA|INSERT OR|REPLACE INTO|WITHOUT ROWID|RAISE|datetime\(|strftime\(|julianday\(|randomblob\()",
    re.IGNORECASE,
)


def postgres_statements(statement: str, index: int) -> list[str]:
    """One SQLite migration statement in PostgreSQL: 64-bit integers as SQLite has, ``INTEGER PRIMARY KEY`` as an
    identity column, and a refusing trigger as a trigger calling ``ledger_refuse`` (a refused DELETE also refuses
    TRUNCATE, which PostgreSQL has and SQLite has not). Anything else SQLite-only is refused by name, so a new
    migration is made to translate rather than silently differ."""
    trigger = _TRIGGER.fullmatch(statement.strip())
    if trigger is not None:
        name, event, table = trigger["name"], trigger["event"].upper(), trigger["table"]
        columns = f" OF {trigger['columns']}" if trigger["columns"] else ""
        message = trigger["message"]  # quoted as SQLite quotes it, which is how PostgreSQL quotes it too
        out = [
            _REFUSE,
            f"CREATE TRIGGER {name} BEFORE {event}{columns} ON {table}"
            f" FOR EACH ROW EXECUTE FUNCTION ledger_refuse('{message}')",
        ]
        if event == "DELETE":
            out.append(
                f"CREATE TRIGGER {name}_truncate BEFORE TRUNCATE ON {table}"
                f" FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse('{message}')"
            )
        return out
    found = _UNTRANSLATABLE.search(statement)
    if found is not None:
        raise LedgerError("ledger.untranslatable", version=index + 1, what=found.group(0), statement=statement[:200])
    for pattern, replacement in _TYPES:
        statement = pattern.sub(replacement, statement)
    return [statement]
