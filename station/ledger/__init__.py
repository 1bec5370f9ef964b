"""The ledger: registry, orders, codes and the audit chain, behind one repository interface; and the query
service's own tables in the same database (``open_store``).

Backends are chosen by URL; only what is named is imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from station.errors import LedgerError
from station.ledger.base import Actor, Ledger
from station.ledger.lifecycle import State
from station.redact import redacted

if TYPE_CHECKING:
    from station.ledger.changes import LedgerWatch
    from station.ledger.query_store import QueryStore

__all__ = ["Actor", "Ledger", "State", "open_ledger", "open_store", "redacted"]

SCHEMES = ("sqlite:///PATH", "postgresql://USER:PASSWORD@HOST:PORT/DATABASE", "postgres://…")
POSTGRES_PREFIXES = ("postgresql://", "postgres://")


def open_ledger(url: str, actor: Actor, busy_timeout_s: float = 10.0) -> Ledger:
    """Open the ledger named by ``url`` (``sqlite:///PATH`` or ``postgresql://…``), creating and migrating it as
    needed."""
    if url.startswith("sqlite:///"):
        from station.ledger.sqlite import SqliteLedger

        return SqliteLedger(Path(url[len("sqlite://") :]), actor, busy_timeout_s)
    if url.startswith(POSTGRES_PREFIXES):
        with needs_psycopg():
            from station.ledger.postgres import PostgresLedger
        return PostgresLedger(url, actor, busy_timeout_s)
    raise LedgerError("ledger.unsupported_url", url=redacted(url), allowed=", ".join(SCHEMES))


def open_store(url: str, busy_timeout_s: float = 10.0, watch: LedgerWatch | None = None) -> QueryStore:
    """The query store for the ledger at ``url`` (same URL scheme as ``open_ledger``); ``watch``, the ledger's
    ``commit_watch``, is told of each commit of the store's own (SQLite only)."""
    if url.startswith("sqlite:///"):
        from station.ledger.query_store import SqliteQueryStore

        return SqliteQueryStore(Path(url[len("sqlite://") :]), busy_timeout_s, watch)
    if url.startswith(POSTGRES_PREFIXES):
        with needs_psycopg():
            from station.ledger.query_postgres import PostgresQueryStore
        return PostgresQueryStore(url, busy_timeout_s)
    raise LedgerError("ledger.unsupported_url", url=redacted(url), allowed=", ".join(SCHEMES))


@contextmanager
def needs_psycopg() -> Iterator[None]:
    """Around the import of a module built on psycopg: LedgerError saying what to install when it is missing."""
    try:
        yield
    except ImportError as err:
        if not (err.name or "").startswith("psycopg"):
            raise
        raise LedgerError("ledger.no_driver", package="psycopg[binary]", reason=str(err)) from err
