"""Crash safety: SIGKILL during `station issue` leaves each order wholly present or absent."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import time

import pytest

from tests.conftest import STATION


@pytest.mark.slow
def test_sigkill_during_issue_never_leaves_partial_orders(station) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    eid = station(
        "enterprise", "add", "--name", "甲", "--credit-code", "91532323MA6N0FRU1E", "--json", check=True
    ).json()["id"]
    station("enterprise", "approve", str(eid), check=True)
    pid = station(
        "product", "add", "--enterprise", str(eid), "--name", "腐乳", "--origin", "532323101001", "--json", check=True
    ).json()["id"]
    env = {**os.environ, "STATION_HOME": str(station.home)}
    args = [STATION, "issue", "--enterprise", str(eid), "--product", str(pid), "--count", "200000", "--json"]

    # how long one issue takes here, to spread the kills over its whole life
    started = time.monotonic()
    subprocess.run(args, env=env, check=True, capture_output=True, timeout=120)
    full = time.monotonic() - started

    rng = random.Random(7)
    killed = inside = 0
    wal = station.home / "ledger.sqlite3-wal"
    for _trial in range(14):
        started_ns = time.time_ns()
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        time.sleep(rng.uniform(0.0, full * 1.1))
        if proc.poll() is None:
            # the only writes this process makes are its order's rows: a fresh WAL write means we are inside
            writing = wal.exists() and wal.stat().st_mtime_ns > started_ns
            proc.send_signal(signal.SIGKILL)
            killed += 1
            inside += writing
        proc.communicate(timeout=120)
        _assert_consistent(station)
    assert killed >= 8, f"only {killed} of 14 runs were still going when killed"
    assert inside >= 3, f"only {inside} kills landed while the order was being written"

    before = _max_serial(station)
    after = station(
        "issue", "--enterprise", str(eid), "--product", str(pid), "--count", "10", "--json", check=True
    ).json()
    assert station("lookup", after["first"], "--json", check=True).json()["serial"] == before + 1
    assert station("audit", "verify").code == 0


def _connect(station) -> sqlite3.Connection:  # type: ignore[no-untyped-def]
    return sqlite3.connect(station.home / "ledger.sqlite3")


def _max_serial(station) -> int:  # type: ignore[no-untyped-def]
    db = _connect(station)
    try:
        return int(db.execute("SELECT max(serial) FROM codes").fetchone()[0])
    finally:
        db.close()


def _assert_consistent(station) -> None:  # type: ignore[no-untyped-def]
    db = _connect(station)
    try:
        orders = db.execute("SELECT id, count FROM orders").fetchall()
        for order_id, count in orders:
            have = db.execute("SELECT count(*) FROM codes WHERE order_id = ?", (order_id,)).fetchone()[0]
            assert have == count, f"order {order_id} has {have} of {count} codes"
            first, last = db.execute(
                "SELECT first_serial, last_serial FROM order_ranges WHERE order_id = ?", (order_id,)
            ).fetchone()
            assert last - first + 1 == count
        total = db.execute("SELECT count(*), count(DISTINCT serial) FROM codes").fetchone()
        assert total[0] == total[1] == sum(c for _, c in orders)
        issued_events = db.execute("SELECT count(*) FROM events WHERE kind = 'order.issued'").fetchone()[0]
        assert issued_events == len(orders)
        ranges = sorted(db.execute("SELECT first_serial, last_serial FROM order_ranges").fetchall())
        for (_, a_last), (b_first, _) in zip(ranges, ranges[1:], strict=False):
            assert b_first > a_last
    finally:
        db.close()
    assert station("audit", "verify").code == 0
