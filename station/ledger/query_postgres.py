"""The query tables in a PostgreSQL ledger: the statements of ``station.ledger.query_store`` over psycopg.

Each thread gets a connection of its own, as with SQLite. What the store may write is the database role's
business (the query site's role may write only the four ``query_*`` tables: docs/architecture.md).
"""

from __future__ import annotations

import psycopg

from station.errors import LedgerError
from station.ledger import redacted
from station.ledger.postgres import PgConnection, connect, schema_version
from station.ledger.query_store import QUERY_SCHEMA, SqlQueryStore


class PostgresQueryStore(SqlQueryStore):
    """The query tables of a PostgreSQL ledger, on connections of the store's own."""

    _errors = (psycopg.Error,)

    def __init__(self, url: str, busy_timeout_s: float = 10.0) -> None:
        self.url = url
        super().__init__(busy_timeout_s)

    def _connect(self) -> PgConnection:
        db = connect(self.url, self.busy_timeout_s, "trace-station query")
        try:
            version = schema_version(db)
        except psycopg.Error as err:
            db.close()
            raise LedgerError("ledger.io", reason=str(err)) from err
        if version < QUERY_SCHEMA:
            db.close()
            raise LedgerError("query.schema_old", path=redacted(self.url), found=version, needed=QUERY_SCHEMA)
        return db
