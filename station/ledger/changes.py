"""Knowing without a query that nothing was committed to a SQLite ledger since a given moment.

A code's state must be current for every query (a recall or a void shows at once), and reading it costs a read
transaction: two file locks and a page lookup, about 6 µs on a quiet machine and twice that under load. But
SQLite in WAL mode publishes each commit by rewriting the WAL-index header at the start of the ledger's ``-shm``
file (https://www.sqlite.org/walformat.html, a format every SQLite version sharing the file keeps): two copies
of a 48-byte header, written one after the other, that a reader may trust when both copies are equal. Its bytes
change with every commit (the ``iChange`` counter), so while they stay the same, nothing was committed and a row
read before is still the row. ``LedgerWatch.mark`` reads them from a read-only mapping of the file: no system
call, no lock. Bytes that change without a commit (a log restart) only cost a read; a commit always changes them.

The query store's own commits change the header too, and touch only the query tables. The store reports each of
its commits as a pair of marks, the header it saw while holding the ledger's write lock and the header after its
commit; when the header's commit counter went up by exactly one between them, that one commit was the store's,
and rows read before it are still the rows (``same_data``). Between its commit and its report the store's write
is ``in_flight``: a reader that sees the header move on from the mark the write began at reads the ledger for
that query and keeps its rows for the report to settle.
"""

from __future__ import annotations

import mmap
import os
import sys
from pathlib import Path

_HEADER = 48  # one copy of the WAL-index header (WalIndexHdr)
_CHANGE = slice(8, 12)  # its u32 iChange, in the machine's byte order: incremented by every commit
_OWN_KEPT = 256  # the store's most recent commits remembered


class LedgerWatch:
    """The WAL-index header of one SQLite ledger, read without a query."""

    def __init__(self, ledger_path: Path) -> None:
        shm = ledger_path.with_name(ledger_path.name + "-shm")
        fd = os.open(shm, os.O_RDONLY)
        try:
            self._map: mmap.mmap | None = mmap.mmap(fd, 2 * _HEADER, access=mmap.ACCESS_READ)
        finally:
            os.close(fd)
        self._own: dict[bytes, bytes] = {}  # mark under the store's write lock -> mark after its commit
        self.in_flight: bytes | None = None  # the mark a write of the store's own began at, until it reports

    @classmethod
    def open(cls, ledger_path: Path) -> LedgerWatch | None:
        """The watch of a ledger in WAL mode (open on this process's connection), or None when there is none."""
        try:
            return cls(ledger_path)
        except (OSError, ValueError):  # no -shm file (not in WAL mode), or an empty one
            return None

    def mark(self) -> bytes | None:
        """The header as it is now; None when it cannot be trusted (a commit is rewriting it, or closed)."""
        if self._map is None:
            return None
        both = self._map[: 2 * _HEADER]
        first = both[:_HEADER]
        return first if first == both[_HEADER:] else None

    def writing(self) -> bytes | None:
        """Called by the query store holding the ledger's write lock: the mark its write begins at."""
        before = self.mark()
        self.in_flight = before
        return before

    def done(self) -> None:
        """Called by the query store when its write is over and reported (or failed)."""
        self.in_flight = None

    def own_commit(self, before: bytes | None, after: bytes | None) -> None:
        """Note a commit of the query store's own: ``before`` read holding the write lock, ``after`` after it."""
        if before is None or after is None:
            return
        counted = int.from_bytes(after[_CHANGE], sys.byteorder) - int.from_bytes(before[_CHANGE], sys.byteorder)
        if counted % 2**32 == 1:  # exactly one commit since the lock was taken: ours
            if len(self._own) >= _OWN_KEPT:
                self._own.clear()
            self._own[before] = after

    def same_data(self, old: bytes, new: bytes) -> bool:
        """True when the ledger's data outside the query tables is the same at mark ``new`` as at ``old``: every
        commit between them was the store's own."""
        for _ in range(_OWN_KEPT):
            if old == new:
                return True
            step = self._own.get(old)
            if step is None:
                return False
            old = step
        return False

    def close(self) -> None:
        """Unmap the header; marks are None from now on."""
        if self._map is not None:
            self._map.close()
            self._map = None
