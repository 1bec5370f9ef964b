"""Query counters per code, copy detection, and daily totals: counted in memory, written in batches.

A request never waits for the disk: ``count`` updates the counter in memory and returns it, and one background
thread writes what changed every ``interval_s`` seconds (sooner once ``flush_max`` queries wait) in one
transaction. A crash of the service loses at most the queries of that last interval; a write that fails (the
ledger busy for longer than its timeout) is kept and tried again with the next batch.

What is stored is exact however many processes count: each adds its own queries to the stored counters
(``INSERT … ON CONFLICT DO UPDATE SET queries = queries + …``), so the ledger's totals are the sum of every
process's answers. A code seen before is answered from memory, and a counter is dropped from memory only after
everything counted for it is written, so reading it back from the store is always complete: what a page shows is
exact for one process per ledger. With ``shared`` (what the service uses: its workers, other hosts or another
`station serve` may count on the same ledger) a counter kept in memory is read again from the store once it is
``interval_s`` old and everything this process counted for it is written: a page then shows the other processes'
queries up to their last write (about one ``interval_s`` behind), and this process's own at once.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime, timedelta
from typing import Any

from station.errors import StationError
from station.ledger.query_store import Anomaly, Batch, CodeQueries, QueryStore

log = logging.getLogger(__name__)


_SECOND: list[tuple[Any, str]] = [((), "")]  # the last second stamped, as its fields, and its text to the fraction


def stamp(at: datetime) -> str:
    """A UTC time as the ledger writes it: ISO 8601 with microseconds and a Z."""
    if at.tzinfo is not UTC:
        at = at.astimezone(UTC)
    # what strftime("%Y-%m-%dT%H:%M:%S.%fZ") says; every query stamps its time, and most share their second with
    # the one before: its text is written once
    second = (at.second, at.minute, at.hour, at.day, at.month, at.year)
    last = _SECOND[0]  # one read: a thread that stamps another second replaces the pair whole
    if second != last[0]:
        last = _SECOND[0] = second, at.isoformat(timespec="seconds")[:19] + "."
    return f"{last[1]}{at.microsecond:06d}Z"


def _copy(entry: CodeQueries) -> CodeQueries:
    return CodeQueries(entry.queries, entry.first_at, entry.last_at, entry.last_network, entry.anomalies)


class Counters:
    """Per-code query counters and per-day totals, with the background thread that writes them."""

    def __init__(
        self,
        store: QueryStore,
        anomaly_window_s: float,
        interval_s: float = 0.5,
        flush_max: int = 500,
        max_cached: int = 100_000,
        shared: bool = False,
    ) -> None:
        self._store = store
        self._window = timedelta(seconds=anomaly_window_s)
        self._interval = interval_s
        self._flush_max = flush_max
        self._max_cached = max_cached
        self._cache: OrderedDict[int, CodeQueries] = OrderedDict()  # touched only by the counting thread
        self._lock = threading.Lock()  # guards what the writer thread shares: the batch, _unsaved, _generation
        self._batch = Batch()
        self._unsaved: dict[int, int] = {}  # serial -> generation of its latest change not yet written
        self._generation = 0
        self._waiting = 0
        self._wake = threading.Event()
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.failures = 0  # batches that could not be written (and were kept for the next try)
        # shared: when each kept counter was read from the store (monotonic seconds), to read it again later
        self._read_at: dict[int, float] | None = {} if shared else None

    # --- counting (the event loop's thread) -------------------------------------------------------------

    def count(self, serial: int, network: str, at: datetime) -> tuple[CodeQueries, Anomaly | None]:
        """Count one query of a genuine code from ``network``; the counter with this query, and the anomaly it
        raised (the code's previous query came from another network within the window), if any."""
        now = stamp(at)
        cache = self._cache
        entry = cache.get(serial)
        read_at = self._read_at
        if entry is not None and read_at is not None and serial not in self._unsaved:
            # another process may have counted it since: read it again once it is old (what this one counted for
            # it is all written, and taken off _unsaved only after the commit, so the store has it)
            clock = time.monotonic()
            if clock - read_at.get(serial, 0.0) >= self._interval:
                del cache[serial]
                entry = None
        if entry is not None:
            cache.move_to_end(serial)
        else:
            entry = self._store.code_queries(serial)  # complete: nothing unwritten is ever dropped from memory
            if entry is None:
                entry = CodeQueries(queries=0, first_at=now, last_at=now, last_network=network)  # the first query
            cache[serial] = entry
            if read_at is not None:
                read_at[serial] = time.monotonic()
        anomaly = None
        if (
            entry.queries
            and entry.last_network != network
            and self._window
            and at - _parse(entry.last_at) <= self._window
        ):
            anomaly = Anomaly(serial, now, network, entry.last_network, entry.last_at)
            entry.anomalies += 1
        entry.queries += 1
        entry.last_at = now
        entry.last_network = network
        with self._lock:
            delta = self._batch.codes.get(serial)
            if delta is None:
                self._batch.codes[serial] = CodeQueries(1, entry.first_at, now, network, int(anomaly is not None))
            else:
                delta.queries += 1
                delta.last_at = now
                delta.last_network = network
                if anomaly is not None:
                    delta.anomalies += 1
            if anomaly is not None:
                self._batch.anomalies.append(anomaly)
            self._unsaved[serial] = self._generation
            self._note_waiting()
            if len(cache) > self._max_cached:
                self._forget_some()
        return _copy(entry), anomaly

    def peek(self, serial: int) -> CodeQueries | None:
        """The counter of a code without counting a query."""
        entry = self._cache.get(serial)
        return _copy(entry) if entry is not None else self._store.code_queries(serial)

    def tally(self, day: str, status: str) -> None:
        """Count one query's outcome for the day (every query, genuine or not)."""
        with self._lock:
            key = (day, status)
            self._batch.daily[key] = self._batch.daily.get(key, 0) + 1
            self._note_waiting()

    def _note_waiting(self) -> None:
        self._waiting += 1
        # once: until the writer thread gets to run, every later query would wake it again (a lock and a notify)
        if self._waiting >= self._flush_max and not self._wake.is_set():
            self._wake.set()

    def _forget_some(self) -> None:
        """Drop the least recently queried counters that are fully written (called with the lock held)."""
        for serial in list(self._cache)[:64]:
            if serial not in self._unsaved:
                del self._cache[serial]
                if self._read_at is not None:
                    self._read_at.pop(serial, None)
            if len(self._cache) <= self._max_cached:
                return

    # --- writing (the writer thread) ---------------------------------------------------------------------

    def flush(self) -> bool:
        """Write what was counted since the last write; False when the store refused (kept for the next try)."""
        with self._lock:
            batch, self._batch = self._batch, Batch()
            generation = self._generation
            self._generation += 1
            self._waiting = 0
        if not batch:
            return True
        try:
            self._store.save(batch)
        except StationError as err:
            self.failures += 1
            log.warning("query counters not written, kept for the next try: %s", err.message)
            with self._lock:
                batch.merge(self._batch)  # the failed batch is the older one
                self._batch = batch
            return False
        with self._lock:
            for serial in batch.codes:
                if self._unsaved.get(serial, generation + 1) <= generation:
                    del self._unsaved[serial]
        return True

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait(self._interval)
            self._wake.clear()
            self.flush()

    def start(self) -> None:
        """Start the writer thread."""
        self._thread = threading.Thread(target=self._run, name="query-counters", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop the writer thread and write what is left."""
        self._stopping = True
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=30)
            self._thread = None
        self.flush()


def _parse(stamp_text: str) -> datetime:
    return datetime.fromisoformat(stamp_text)  # a stamp(): ISO 8601 with the Z, read as UTC
