"""The query store: a contract every implementation passes (run over ``STORE_FACTORIES``, each on a ledger of
its backend), the SQLite store's lock to the query tables, and the counters that batch its writes."""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.errors import LedgerError, StationError
from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.ledger.changes import LedgerWatch
from station.ledger.query_store import (
    CODES_PER_STATEMENT,
    QUERY_SCHEMA,
    Anomaly,
    Batch,
    CodeQueries,
    QueryStore,
    Report,
    SqliteQueryStore,
    Totals,
)
from station.query.answer import CodeRows
from station.query.counters import Counters, stamp
from tests.pg_helpers import Backend
from tests.query_helpers import STORE_FACTORIES


@pytest.fixture
def serials(seeded: tuple[Home, int, int]) -> tuple[Home, list[int]]:
    home, eid, pid = seeded
    order = issue_codes(home, eid, pid, 5)
    return home, list(range(order.first_serial, order.last_serial + 1))


@pytest.fixture
def store(backend: Backend, serials: tuple[Home, list[int]]) -> Iterator[QueryStore]:
    """The store of the test's backend; contract tests are marked ``all_backends`` and so run on each."""
    factory: Callable[[Home], QueryStore] = STORE_FACTORIES[backend.name]
    with factory(serials[0]) as opened:
        yield opened


T0 = "2026-11-29T01:00:00.000000Z"
T1 = "2026-11-29T01:05:00.000000Z"
T2 = "2026-11-29T02:00:00.000000Z"


@pytest.mark.all_backends
def test_counters_add_up_and_keep_the_first_time(store: QueryStore, serials: tuple[Home, list[int]]) -> None:
    _home, (a, b, *_rest) = serials
    assert store.code_queries(a) is None
    store.save(Batch(codes={a: CodeQueries(2, T0, T1, "203.0.0.0/16")}, daily={("2026-11-29", "genuine"): 2}))
    store.save(
        Batch(
            codes={a: CodeQueries(3, T1, T2, "198.51.0.0/16", 1), b: CodeQueries(1, T2, T2, "203.0.0.0/16")},
            daily={("2026-11-29", "genuine"): 4, ("2026-11-29", "forged"): 7},
            anomalies=[Anomaly(a, T2, "198.51.0.0/16", "203.0.0.0/16", T1)],
        )
    )
    assert store.code_queries(a) == CodeQueries(5, T0, T2, "198.51.0.0/16", 1)
    assert store.code_queries(b) == CodeQueries(1, T2, T2, "203.0.0.0/16", 0)
    totals = store.totals("2026-11-29", "2026-11-28T16:00:00.000000Z", top=1)
    assert totals == Totals(
        by_status_today={"genuine": 6, "forged": 7},
        by_status_total={"genuine": 6, "forged": 7},
        top=[(a, CodeQueries(5, T0, T2, "198.51.0.0/16", 1))],
        anomalies_today=1,
        anomalies_total=1,
        recent_anomalies=[Anomaly(a, T2, "198.51.0.0/16", "203.0.0.0/16", T1)],
        reports_today=0,
        reports_total=0,
    )
    other_day = store.totals("2026-11-30", "2026-11-29T16:00:00.000000Z")
    assert other_day.by_status_today == {} and other_day.anomalies_today == 0 and other_day.by_status_total


@pytest.mark.all_backends
def test_a_batch_of_more_codes_than_one_statement_takes(store: QueryStore, serials: tuple[Home, list[int]]) -> None:
    home, _serials = serials
    eid, pid = home.ledger.orders()[0]["enterprise_id"], home.ledger.orders()[0]["product_id"]
    order = issue_codes(home, eid, pid, CODES_PER_STATEMENT * 2 + 7)
    many = range(order.first_serial, order.last_serial + 1)
    store.save(Batch(codes={serial: CodeQueries(1, T0, T0, "203.0.0.0/16") for serial in many}))
    store.save(Batch(codes={serial: CodeQueries(2, T1, T1, "198.51.0.0/16") for serial in many}))
    assert all(store.code_queries(serial) == CodeQueries(3, T0, T1, "198.51.0.0/16") for serial in many)


@pytest.mark.all_backends
def test_an_empty_batch_writes_nothing(store: QueryStore) -> None:
    store.save(Batch())
    assert store.totals("2026-11-29", T0).by_status_total == {}


@pytest.mark.all_backends
def test_reports_in_order_and_since(store: QueryStore, serials: tuple[Home, list[int]]) -> None:
    _home, (a, *_rest) = serials
    first = store.add_report(Report(T0, "1234", None, "counterfeit", "假的", "", "203.0.0.0/16"))
    second = store.add_report(Report(T2, "5678", a, "quality", "发霉", "138", "198.51.0.0/16"))
    assert second > first
    assert [r.id for r in store.reports()] == [first, second]
    assert store.reports(T1) == [Report(T2, "5678", a, "quality", "发霉", "138", "198.51.0.0/16", second)]
    totals = store.totals("2026-11-29", T1)
    assert (totals.reports_today, totals.reports_total) == (1, 2)


@pytest.mark.all_backends
def test_a_report_of_an_unknown_kind_is_refused(store: QueryStore) -> None:
    with pytest.raises(LedgerError) as info:
        store.add_report(Report(T0, "1", None, "spam", "x", "", "203.0.0.0/16"))
    assert info.value.key == "ledger.io"  # the table's CHECK on the kind, refused as a write the ledger refused
    assert store.reports() == []


# --- the SQLite store may write the query tables and nothing else ----------------------------------------------


def test_sqlite_store_cannot_write_the_rest_of_the_ledger(serials: tuple[Home, list[int]]) -> None:
    home, (a, *_rest) = serials
    store = SqliteQueryStore(home.path / "ledger.sqlite3")
    db = store._db()  # noqa: SLF001 - the connection itself, to try what the store never would
    try:
        for statement in (
            f"UPDATE codes SET state = 3 WHERE serial = {a}",
            f"DELETE FROM codes WHERE serial = {a}",
            "INSERT INTO meta (key, value) VALUES ('x', 'y')",
            "INSERT INTO events (at, operator, station, kind, data, prev_hash, hash)"
            " VALUES ('', '', '', '', '', '', '')",
            "DROP TABLE query_daily",
            "CREATE TABLE sneaky (x)",
            "PRAGMA user_version = 99",
            "ATTACH DATABASE ':memory:' AS other",
        ):
            with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
                db.execute(statement)
        db.execute("INSERT INTO query_daily (day, status, queries) VALUES ('2026-11-29', 'genuine', 1)")
        db.execute("UPDATE query_daily SET queries = 2")
        assert db.execute("SELECT state FROM codes WHERE serial = ?", (a,)).fetchone() == (0,)
    finally:
        store.close()
    assert home.ledger.code(a)["state"].label == "issued"  # type: ignore[index]


def test_the_service_ledger_connection_is_read_only(serials: tuple[Home, list[int]]) -> None:
    home, (a, *_rest) = serials
    home.ledger.lock_read_only()
    assert home.ledger.code(a) is not None  # reads still work
    with pytest.raises(StationError, match="not authorized") as info:
        home.ledger.transition(a, "print")
    assert info.value.key == "ledger.io" and info.value.params == {"reason": "not authorized"}


def test_store_refuses_a_ledger_without_the_query_tables(tmp_path: object) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "old.sqlite3"
    sqlite3.connect(path).execute("PRAGMA user_version = 5").connection.close()
    with pytest.raises(LedgerError) as info:
        SqliteQueryStore(path)
    assert info.value.key == "query.schema_old"
    assert info.value.params == {"path": str(path), "found": 5, "needed": QUERY_SCHEMA}
    missing = Path(str(tmp_path)) / "missing.sqlite3"
    with pytest.raises(LedgerError) as info:
        SqliteQueryStore(missing)
    assert info.value.key == "ledger.corrupt" and info.value.params["path"] == str(missing)
    assert not missing.exists()  # never creates an empty ledger


# --- counters: in memory, written in batches ------------------------------------------------------------------


class Recording(SqliteQueryStore):
    """The SQLite store, counting its writes and failing them on demand."""

    saves = 0
    fail = False

    def save(self, batch: Batch) -> None:
        if self.fail:
            raise LedgerError("ledger.busy")
        self.saves += 1
        super().save(batch)


@pytest.fixture
def recording(serials: tuple[Home, list[int]]) -> Iterator[Recording]:
    store = Recording(serials[0].path / "ledger.sqlite3")
    yield store
    store.close()


NOW = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)


def test_queries_are_counted_at_once_and_written_in_one_batch(
    recording: Recording, serials: tuple[Home, list[int]]
) -> None:
    _home, (a, b, *_rest) = serials
    counters = Counters(recording, anomaly_window_s=3600, interval_s=60, flush_max=1000)
    for i in range(50):
        entry, anomaly = counters.count(a, "203.0.0.0/16", NOW + timedelta(seconds=i))
        counters.tally("2026-11-29", "genuine")
        assert entry.queries == i + 1 and entry.first_at == stamp(NOW) and anomaly is None
    counters.count(b, "203.0.0.0/16", NOW)
    assert recording.saves == 0 and recording.code_queries(a) is None  # nothing waited for the disk
    assert counters.flush()
    assert recording.saves == 1
    assert recording.code_queries(a) == CodeQueries(50, stamp(NOW), stamp(NOW + timedelta(seconds=49)), "203.0.0.0/16")
    assert recording.totals("2026-11-29", stamp(NOW)).by_status_total == {"genuine": 50}


def test_the_writer_thread_flushes_on_time_and_when_many_wait(
    recording: Recording, serials: tuple[Home, list[int]]
) -> None:
    _home, (a, b, *_rest) = serials
    counters = Counters(recording, anomaly_window_s=0, interval_s=0.05, flush_max=1000)
    counters.start()
    try:
        counters.count(a, "203.0.0.0/16", NOW)
        deadline = time.monotonic() + 5
        while recording.code_queries(a) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert recording.code_queries(a) is not None
    finally:
        counters.close()
    eager = Counters(recording, anomaly_window_s=0, interval_s=30, flush_max=10)
    eager.start()
    try:
        for _ in range(10):
            eager.count(b, "203.0.0.0/16", NOW)
        deadline = time.monotonic() + 5
        while recording.code_queries(b) is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert recording.code_queries(b) is not None and recording.code_queries(b).queries == 10  # type: ignore[union-attr]
    finally:
        eager.close()


def test_a_failed_write_is_kept_and_tried_again(recording: Recording, serials: tuple[Home, list[int]]) -> None:
    _home, (a, *_rest) = serials
    counters = Counters(recording, anomaly_window_s=3600, interval_s=60)
    counters.count(a, "203.0.0.0/16", NOW)
    counters.tally("2026-11-29", "genuine")
    recording.fail = True
    assert not counters.flush()
    counters.count(a, "198.51.0.0/16", NOW + timedelta(minutes=1))  # an anomaly, counted while the ledger is busy
    counters.tally("2026-11-29", "genuine")
    recording.fail = False
    assert counters.flush()
    assert recording.code_queries(a) == CodeQueries(
        2, stamp(NOW), stamp(NOW + timedelta(minutes=1)), "198.51.0.0/16", 1
    )
    totals = recording.totals("2026-11-29", stamp(NOW))
    assert totals.by_status_total == {"genuine": 2} and totals.anomalies_total == 1 and counters.failures == 1


def test_anomaly_only_within_the_window_and_from_another_network(
    recording: Recording, serials: tuple[Home, list[int]]
) -> None:
    _home, (a, *_rest) = serials
    counters = Counters(recording, anomaly_window_s=600, interval_s=60)
    steps = [
        ("203.0.0.0/16", 0, False),
        ("203.0.0.0/16", 1, False),  # same network
        ("198.51.0.0/16", 5, True),  # another network 4 minutes later
        ("203.0.0.0/16", 30, False),  # another network, but 25 minutes later
    ]
    for network, minute, expected in steps:
        _entry, anomaly = counters.count(a, network, NOW + timedelta(minutes=minute))
        assert (anomaly is not None) is expected, (network, minute)


def test_forgotten_counters_read_back_complete(recording: Recording, serials: tuple[Home, list[int]]) -> None:
    """With room for 2 counters in memory, counting 5 codes over and over stays exact across writes."""
    _home, codes = serials
    counters = Counters(recording, anomaly_window_s=0, interval_s=60, max_cached=2)
    expected = dict.fromkeys(codes, 0)
    for round_ in range(4):
        for serial in codes:
            entry, _ = counters.count(serial, "203.0.0.0/16", NOW)
            expected[serial] += 1
            assert entry.queries == expected[serial], (round_, serial)
        counters.flush()
    for serial in codes:
        found = recording.code_queries(serial)
        assert found is not None and found.queries == 4


# --- a code's row kept while the ledger shows no commit but the store's own ----------------------------------------


@pytest.fixture
def watched(serials: tuple[Home, list[int]]) -> Iterator[tuple[Home, list[int], CodeRows, SqliteQueryStore, list[str]]]:
    """As the service opens them: a read-only ledger connection of its own with its watch, the store told of
    its own commits, the code rows; and every statement the service's ledger connection runs."""
    home, serial_list = serials
    service_home = Home.open(home.path)
    ledger = service_home.ledger
    ledger.lock_read_only()
    watch = ledger.commit_watch()
    assert watch is not None
    store = SqliteQueryStore(home.path / "ledger.sqlite3", watch=watch)
    statements: list[str] = []
    ledger._db.set_trace_callback(statements.append)  # type: ignore[attr-defined]  # noqa: SLF001
    try:
        yield home, serial_list, CodeRows(ledger, watch), store, statements
    finally:
        store.close()
        watch.close()
        service_home.close()


def _batch(serial: int) -> Batch:
    return Batch(codes={serial: CodeQueries(1, T0, T0, "203.0.0.0/16")}, daily={("2026-11-29", "genuine"): 1})


def test_a_code_row_is_read_again_after_any_commit_but_the_stores_own(
    watched: tuple[Home, list[int], CodeRows, SqliteQueryStore, list[str]],
) -> None:
    home, (a, b, *_rest), rows, store, statements = watched
    issued = rows(a)
    assert issued is not None and issued[1] == State.ISSUED
    assert rows(a) == issued and len(statements) == 1  # read once, then kept
    statements.clear()
    store.save(_batch(a))  # the store's own commit: the rest of the ledger is as it was
    store.add_report(Report(T0, "1", a, "other", "x", "", "203.0.0.0/16"))
    assert rows(a) == issued and statements == []
    home.ledger.transition(a, "print")  # the station commits (another connection): read again, at once
    assert rows(a) == (issued[0], State.PRINTED, None) and len(statements) == 1
    statements.clear()
    assert rows(b) is not None and len(statements) == 1  # a row not read before is read
    other = SqliteQueryStore(home.path / "ledger.sqlite3")  # a store that does not report its commits
    try:
        other.save(_batch(b))
    finally:
        other.close()
    statements.clear()
    assert rows(a) is not None and rows(b) is not None and len(statements) == 2  # so its commit counts as foreign
    statements.clear()
    home.ledger.transition(a, "reject")  # voided: shown from the next query on
    store.save(_batch(a))  # and an own commit after a foreign one does not bring the old row back
    assert rows(a) == (issued[0], State.VOIDED, None) and len(statements) == 1


def test_a_code_row_is_read_while_a_write_of_the_stores_own_is_unsettled(
    watched: tuple[Home, list[int], CodeRows, SqliteQueryStore, list[str]],
) -> None:
    """The store's write began at the mark the rows are kept at, and the header moved on before the store
    reported: maybe its commit, maybe someone else's. Each query reads the ledger until the report settles it."""
    home, (a, b, *_rest), rows, store, statements = watched
    assert store.watch is not None
    issued = rows(a)
    assert issued is not None and rows(b) is not None
    store.watch.writing()  # as the store does holding the write lock; then its write fails, unreported
    home.ledger.transition(a, "print")  # and the station commits
    statements.clear()
    assert rows(a) == (issued[0], State.PRINTED, None) and rows(a) == rows(a) and len(statements) == 3
    store.watch.done()
    statements.clear()
    assert rows(a) == (issued[0], State.PRINTED, None) and rows(b) is not None and len(statements) == 2
    statements.clear()
    assert rows(a) is not None and statements == []  # settled: kept again


def test_the_watch_trusts_only_a_whole_header_and_one_counted_commit(tmp_path: Path) -> None:
    import mmap

    shm = tmp_path / "ledger.sqlite3-shm"
    header = bytearray(96)
    shm.write_bytes(bytes(header))
    watch = LedgerWatch.open(tmp_path / "ledger.sqlite3")
    assert watch is not None
    try:
        with shm.open("r+b") as fh, mmap.mmap(fh.fileno(), 96) as mapped:

            def publish(change: int, first_copy_only: bool = False) -> None:
                copy = change.to_bytes(4, sys.byteorder)
                mapped[8:12] = copy
                if not first_copy_only:
                    mapped[56:60] = copy

            first = watch.mark()
            assert first is not None
            publish(1, first_copy_only=True)  # a commit halfway through rewriting the header
            assert watch.mark() is None
            publish(1)
            second = watch.mark()
            assert second is not None and second != first
            publish(3)
            third = watch.mark()
            assert third is not None
            watch.own_commit(first, second)  # one commit counted between the marks: the store's own
            watch.own_commit(second, third)  # two: someone else committed too
            assert watch.same_data(first, second) and not watch.same_data(first, third)
            assert not watch.same_data(second, first)
    finally:
        watch.close()
    assert watch.mark() is None
    assert LedgerWatch.open(tmp_path / "elsewhere.sqlite3") is None  # no -shm file: not in WAL mode


@given(
    st.lists(
        st.tuples(
            st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2200, 1, 1)),
            st.sampled_from([0, 8 * 60, -5 * 60, 345]),
        ),
        min_size=1,
        max_size=20,
    ),
    st.sampled_from([30, 31, 365, 366]),
)
def test_a_stamp_is_the_utc_time_to_the_microsecond(times: list[tuple[datetime, int]], days: int) -> None:
    """Each query's stamp, its second's text kept from the stamp before: what strftime writes, in UTC."""
    for naive, minutes in times:
        # the same second a minute, an hour, a day, a month or a year on: only one field differs from the one before
        later = [naive + timedelta(minutes=1), naive + timedelta(hours=1), naive + timedelta(days=1)]
        later.append(naive + timedelta(days=days))  # a month or a year on, as it falls
        for at in (naive, naive.replace(microsecond=999_999), naive + timedelta(microseconds=1), *later):
            local = at.replace(tzinfo=timezone(timedelta(minutes=minutes)))
            assert stamp(local) == local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
