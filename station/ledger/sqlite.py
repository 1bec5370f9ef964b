"""The SQLite ledger: one file, WAL, foreign keys on, every write in a BEGIN IMMEDIATE transaction."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from station.errors import LedgerError
from station.ledger.base import Actor, CodeRow
from station.ledger.changes import LedgerWatch
from station.ledger.schema import MIGRATIONS
from station.ledger.sql import SqlLedger

_CODE_ROW = "SELECT order_id, state, lot_id FROM codes WHERE serial = ?"
_ROW_WRITES = frozenset({sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE})
_SCHEMA_CHANGES = frozenset(
    getattr(sqlite3, name)
    for name in dir(sqlite3)
    if name.startswith(("SQLITE_CREATE_", "SQLITE_DROP_"))
    or name in ("SQLITE_ALTER_TABLE", "SQLITE_ATTACH", "SQLITE_DETACH", "SQLITE_REINDEX", "SQLITE_ANALYZE")
)


def write_authorizer(writable: frozenset[str]) -> Callable[[int, str | None, str | None, str | None, str | None], int]:
    """A ``sqlite3.Connection.set_authorizer`` callback that lets a connection write rows of the ``writable``
    tables and nothing else: no other table's rows, no schema change, no pragma set (reading one is fine)."""

    def decide(action: int, arg1: str | None, arg2: str | None, _db: str | None, _trigger: str | None) -> int:
        if action in _ROW_WRITES:
            return sqlite3.SQLITE_OK if arg1 in writable else sqlite3.SQLITE_DENY
        if action in _SCHEMA_CHANGES:
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_PRAGMA and arg2 is not None:
            return sqlite3.SQLITE_DENY  # reading a pragma is fine; setting one is not
        return sqlite3.SQLITE_OK

    return decide


def _create_private(path: Path) -> None:
    """Create the ledger file readable by its owner only, before SQLite does (its WAL and shared-memory files take
    the database file's mode)."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError:
        pass  # SQLite says what is wrong with the place when it opens it


class SqliteLedger(SqlLedger):
    """A ledger in one SQLite file; the schema version is ``PRAGMA user_version``."""

    _driver_errors = (sqlite3.Error,)
    _db: sqlite3.Connection

    def __init__(self, path: Path, actor: Actor, busy_timeout_s: float = 10.0) -> None:
        super().__init__(actor)
        self.path = path
        _create_private(path)
        try:
            self._db = sqlite3.connect(path, timeout=busy_timeout_s, isolation_level=None)
            self._db.row_factory = sqlite3.Row
            self._db.execute("PRAGMA journal_mode = WAL")
            self._db.execute("PRAGMA foreign_keys = ON")
            # FULL: a committed order must survive a power cut, or its serials would be issued again
            self._db.execute("PRAGMA synchronous = FULL")
            self._setup()
        except sqlite3.DatabaseError as err:
            raise LedgerError("ledger.corrupt", path=str(path), reason=str(err)) from err

    def lock_read_only(self) -> None:
        """Refuse every write on this connection, by an authorizer that lets no table be written."""
        self._db.set_authorizer(write_authorizer(frozenset()))

    def code_row_reader(self) -> Callable[[int], CodeRow | None]:
        """Rows straight from this connection as plain tuples, through a cursor kept for them."""
        cursor = self._db.cursor()
        cursor.row_factory = None

        def read(serial: int) -> CodeRow | None:
            try:
                found: CodeRow | None = cursor.execute(_CODE_ROW, (serial,)).fetchone()
            except sqlite3.Error as err:  # answered as "unavailable", as a failing ledger is elsewhere
                raise LedgerError("ledger.io", reason=str(err)) from err
            return found

        return read

    def commit_watch(self) -> LedgerWatch | None:
        """The watch of the ledger file's WAL-index header (None when the file is not in WAL mode)."""
        return LedgerWatch.open(self.path)

    def _begin_write(self) -> None:
        try:
            self._db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as err:
            raise LedgerError("ledger.busy") from err

    def _begin_read(self) -> None:
        self._db.execute("BEGIN DEFERRED")

    def _begin_migration(self) -> None:
        self._db.execute("BEGIN IMMEDIATE")

    def _schema_version(self) -> int:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _record_migration(self, version: int) -> None:
        self._db.execute(f"PRAGMA user_version = {int(version)}")

    def _migration_statements(self, index: int) -> list[str]:
        return split_sql(MIGRATIONS[index])

    def _insert(self, sql: str, params: Iterable[Any]) -> int:
        return int(self._db.execute(sql, tuple(params)).lastrowid or 0)


def split_sql(script: str) -> list[str]:
    """Split a migration into statements; comment lines go, triggers keep their inner semicolons."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--"):
            continue
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements
