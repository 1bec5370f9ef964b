"""The ledger: registry, orders, codes and the audit chain, behind one repository interface.

Backends are chosen by URL; only what is named is imported.
"""

from __future__ import annotations

from pathlib import Path

from station.errors import LedgerError
from station.ledger.base import Actor, Ledger
from station.ledger.lifecycle import State

__all__ = ["Actor", "Ledger", "State", "open_ledger"]

SCHEMES = ("sqlite",)


def open_ledger(url: str, actor: Actor, busy_timeout_s: float = 10.0) -> Ledger:
    """Open the ledger named by ``url`` (``sqlite:///PATH``), creating and migrating it as needed."""
    if url.startswith("sqlite:///"):
        from station.ledger.sqlite import SqliteLedger

        return SqliteLedger(Path(url[len("sqlite://") :]), actor, busy_timeout_s)
    raise LedgerError("ledger.unsupported_url", url=url, allowed=", ".join(f"{s}:///…" for s in SCHEMES))
