"""The ledger: registry, orders, codes and the audit chain, behind one repository interface.

Backends are chosen by URL; only what is named is imported.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from station.errors import LedgerError
from station.ledger.base import Actor, Ledger
from station.ledger.lifecycle import State

__all__ = ["Actor", "Ledger", "State", "open_ledger"]

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


@contextmanager
def needs_psycopg() -> Iterator[None]:
    """Around the import of a module built on psycopg: LedgerError saying what to install when it is missing."""
    try:
        yield
    except ImportError as err:
        if not (err.name or "").startswith("psycopg"):
            raise
        raise LedgerError("ledger.no_driver", package="psycopg[binary]", reason=str(err)) from err


def redacted(url: str) -> str:
    """The URL with any password replaced by ***, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@", 1)))
