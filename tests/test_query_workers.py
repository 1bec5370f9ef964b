"""`station serve --workers 2`: two server processes on one socket and one ledger (SQLite and PostgreSQL), driven
by a bounded load on 127.0.0.1. What the ledger counts equals what was answered; a page shows the queries the
other worker answered; the two together allow one client what the rate limit says; Ctrl+C, SIGTERM and a worker
that dies stop every process."""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from station.codes import make_code
from station.home import Home
from station.issue import issue_codes
from station.ledger import open_store
from tests.conftest import REPO, STATION
from tests.query_helpers import write_settings

pytestmark = pytest.mark.all_backends

OPEN = {  # no rate limit, no copy warning: the load comes from one address
    "rate_per_min": 1e9,
    "rate_burst": 1_000_000_000,
    "network_rate_per_min": 1e9,
    "network_burst": 1_000_000_000,
    "warn_after": 1_000_000,
    "flush_interval_s": 0.1,
}


class Served:
    """A running `station serve --workers N`: its process and port."""

    def __init__(self, proc: subprocess.Popen[str], port: int) -> None:
        self.proc = proc
        self.port = port

    def workers(self) -> list[int]:
        """The worker processes' pids."""
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def get(self, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
        """One GET on ``conn``, or on a new connection closed after it."""
        c = conn or http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            c.request("GET", path)
            response = c.getresponse()
            return response.status, response.read()
        finally:
            if conn is None:
                c.close()


def _cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def serving(home: Home, workers: int = 2, data_dir: Path | None = None, **query: object) -> Iterator[Served]:
    """`station serve --workers N` on a free port of 127.0.0.1, stopped with SIGTERM at the end; on ``data_dir``
    (a query host's own directory: the key and settings) instead of the home's when given."""
    settings = write_settings(home, **query)
    if data_dir is not None:
        settings = Path(shutil.copy(settings, data_dir / "serve.toml"))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [STATION, "--lang", "en", "--home", str(data_dir or home.path), "--config", str(settings), "serve"]
        + ["--listen", "127.0.0.1:0", "--workers", str(workers)],
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,  # a process group of its own, as in a terminal: Ctrl+C reaches every process
    )
    assert proc.stderr is not None
    line = proc.stderr.readline()  # printed once every worker is ready
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
    assert found, line + proc.stderr.read()
    served = Served(proc, int(found.group(1)))
    try:
        yield served
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def _codes(home: Home, n: int) -> list[str]:
    from station.registry import add_enterprise, add_product, review_enterprise

    eid = add_enterprise(home.ledger, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    order = issue_codes(home, eid, pid, n)
    return [make_code(home.key, serial) for serial in range(order.first_serial, order.last_serial + 1)]


def _stored(home: Home) -> tuple[dict[int, int], int]:
    """Queries per serial and in all per day, as the ledger has them."""
    with open_store(home.ledger_url) as store:
        totals = store.totals("", "", top=1000)
    return {serial: q.queries for serial, q in totals.top}, sum(totals.by_status_total.values())


def _count(body: bytes) -> int:
    queries = json.loads(body)["queries"]
    return int(queries["count"])


def test_two_workers_under_load_count_exactly_what_they_answered(home: Home) -> None:
    codes = _codes(home, 4)
    answered: dict[str, int] = dict.fromkeys(codes, 0)
    lock = threading.Lock()
    with serving(home, **OPEN) as served:
        workers = served.workers()
        assert len(workers) == 2
        before = {pid: _cpu(pid) for pid in workers}
        stop = time.monotonic() + 3.0  # bounded: each client stops after 3 s or 400 requests

        def client(n: int) -> None:
            conn: http.client.HTTPConnection | None = None
            for i in range(400):
                if time.monotonic() > stop:
                    break
                if conn is None or i % 5 == 0:  # a new connection now and then, so both workers get some
                    if conn is not None:
                        conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=10)
                code = codes[(n + i) % len(codes)]
                status, _ = served.get(f"/api/v1/codes/{code}", conn)
                assert status == 200
                with lock:
                    answered[code] += 1
            if conn is not None:
                conn.close()

        threads = [threading.Thread(target=client, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        used = {pid: _cpu(pid) - before[pid] for pid in workers}
        assert all(seconds > 0.1 * sum(used.values()) for seconds in used.values()), used  # both answered

        # a page shows what the other worker counted: each query on a new connection, whichever worker takes
        # it, shows every query answered before it (once the other worker's last write is in, 0.1 s)
        code = codes[0]
        for _ in range(6):
            time.sleep(0.6)
            status, body = served.get(f"/api/v1/codes/{code}")
            assert status == 200
            answered[code] += 1
            assert _count(body) == answered[code]
    assert served.proc.returncode == 0
    per_code, in_all = _stored(home)
    serials = {make_code(home.key, serial): serial for serial in per_code}
    assert {code: per_code[serials[code]] for code in codes} == answered
    assert in_all == sum(answered.values())
    assert sum(answered.values()) > 500


def test_two_hosts_on_one_ledger_count_exactly_what_they_answered(home: Home, tmp_path: Path) -> None:
    """Two `station serve` commands, as two query hosts behind nginx would run them: on PostgreSQL each with its
    own data directory (the key and settings), on SQLite on the station's directory."""
    codes = _codes(home, 3)
    other = None
    if home.config.ledger.url:
        other = tmp_path / "host2"
        other.mkdir(mode=0o700)
        fd = os.open(other / "code.key", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(home.key_path.read_bytes())
    answered = 0
    with serving(home, workers=1, **OPEN) as first, serving(home, workers=1, data_dir=other, **OPEN) as second:
        for i in range(300):
            host = (first, second)[i % 2]
            assert host.get(f"/c/{codes[i % 3]}")[0] == 200
            answered += 1
        for host in (first, second):
            time.sleep(0.6)  # the other host's last write is in: a page on either shows every query before it
            status, body = host.get(f"/api/v1/codes/{codes[0]}")
            answered += 1
            assert status == 200 and _count(body) == 100 + (1 if host is first else 2)
    per_code, in_all = _stored(home)
    assert sorted(per_code.values()) == [100, 100, 102] and in_all == answered == 302


def test_two_workers_together_allow_one_client_what_the_limit_says(home: Home) -> None:
    code = _codes(home, 1)[0]
    limits = {"rate_per_min": 0.1, "rate_burst": 10, "network_rate_per_min": 1e9, "network_burst": 1_000_000_000}
    with serving(home, **limits) as served:
        statuses = [served.get(f"/c/{code}")[0] for _ in range(40)]  # each on a new connection: both workers
    assert set(statuses) <= {200, 429}
    assert statuses.count(200) <= 10, statuses
    assert statuses.count(429) >= 30


@pytest.mark.parametrize("how", ["SIGTERM", "SIGINT", "Ctrl+C"])
def test_a_signal_stops_every_worker_after_writing_its_counters(home: Home, how: str) -> None:
    code = _codes(home, 1)[0]
    with serving(home, **{**OPEN, "flush_interval_s": 60.0}) as served:  # nothing written before the stop
        workers = served.workers()
        for _ in range(20):
            assert served.get(f"/c/{code}")[0] == 200
        if how == "Ctrl+C":  # the terminal sends SIGINT to the whole process group
            os.killpg(served.proc.pid, signal.SIGINT)
        else:
            served.proc.send_signal(getattr(signal, how))
        assert served.proc.wait(timeout=60) == 0
    for pid in workers:
        assert not Path(f"/proc/{pid}").exists()
    assert _stored(home)[1] == 20


def test_a_worker_that_dies_stops_the_service_with_a_message(home: Home) -> None:
    _codes(home, 1)
    with serving(home, **OPEN) as served:
        first, second = served.workers()
        os.kill(first, signal.SIGKILL)
        assert served.proc.wait(timeout=60) == 1
        assert served.proc.stderr is not None
        said = served.proc.stderr.read()
    assert re.search(rf"query service worker \d \(pid {first}\) exited on its own \(signal 9 \(SIGKILL\)\)", said), said
    assert not Path(f"/proc/{second}").exists()


# --- the counters of several processes, one store ---------------------------------------------------------------


def test_shared_counters_show_their_own_queries_at_once_and_the_others_after_a_write(home: Home) -> None:
    from datetime import UTC, datetime

    from station.codes import parse_code
    from station.query.counters import Counters
    from tests.query_helpers import STORE_FACTORIES

    serial = parse_code(home.key, _codes(home, 1)[0])
    factory = STORE_FACTORIES["sqlite" if home.config.ledger.url == "" else "postgresql"]
    with factory(home) as store_a, factory(home) as store_b:
        a = Counters(store_a, anomaly_window_s=0, interval_s=0.05, shared=True)  # no writer thread: flush() by hand
        b = Counters(store_b, anomaly_window_s=0, interval_s=0.05, shared=True)
        now = datetime.now(UTC)
        # its own queries, not yet written, are never dropped for an older stored count however long they wait
        for n in range(1, 4):
            assert a.count(serial, "10.0.0.0/16", now)[0].queries == n
            time.sleep(0.06)
        assert a.flush()
        assert [b.count(serial, "10.0.0.0/16", now)[0].queries for _ in range(2)] == [4, 5]
        assert b.flush()
        time.sleep(0.06)
        assert a.count(serial, "10.0.0.0/16", now)[0].queries == 6  # its kept counter read again: b's two are in
        assert a.count(serial, "10.0.0.0/16", now)[0].queries == 7  # and its own unwritten one stays
        assert a.flush()
    per_code, _ = _stored(home)
    assert per_code[serial] == 7
