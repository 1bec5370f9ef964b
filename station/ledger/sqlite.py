"""The SQLite ledger: one file, WAL, foreign keys on, every write in a BEGIN IMMEDIATE transaction."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from station.errors import LedgerError
from station.ledger.base import Actor
from station.ledger.schema import MIGRATIONS
from station.ledger.sql import SqlLedger


class SqliteLedger(SqlLedger):
    """A ledger in one SQLite file; the schema version is ``PRAGMA user_version``."""

    _driver_errors = (sqlite3.Error,)

    def __init__(self, path: Path, actor: Actor, busy_timeout_s: float = 10.0) -> None:
        super().__init__(actor)
        self.path = path
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
