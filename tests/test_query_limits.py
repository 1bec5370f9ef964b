"""The query service under attack on 127.0.0.1: oversized headers, half-sent requests, slow bodies and piles of
idle connections are cut off by the [query] limits while a well-behaved client keeps its usual latency; and
`station serve --listen` is checked, and says it listens only once it does."""

from __future__ import annotations

import select
import socket
import statistics
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack

import httpx
import pytest

from station.errors import ConfigError
from station.home import Home
from station.query import stats
from station.query.server import split_listen
from tests.conftest import STATION
from tests.query_helpers import Codes, build_ledger, running

LIMITS = {
    "max_header_bytes": 4096,
    "header_timeout_s": 1.0,
    "body_timeout_s": 1.0,
    "keepalive_timeout_s": 1.0,
    "max_connections": 40,
    "rate_burst": 100000,  # every client here is 127.0.0.1: the well-behaved one must not run out
}


@pytest.fixture
def ledger(seeded: tuple[Home, int, int]) -> tuple[Home, Codes]:
    home, eid, pid = seeded
    return home, build_ledger(home, eid, pid)


def _address(url: str) -> tuple[str, int]:
    host, port = url.removeprefix("http://").rsplit(":", 1)
    return host, int(port)


def _connect(url: str) -> socket.socket:
    sock = socket.create_connection(_address(url), timeout=5)
    return sock


def _answer(sock: socket.socket, timeout: float = 5.0) -> bytes:
    """Everything the server sends until it closes (or ``timeout`` passes)."""
    sock.settimeout(timeout)
    got = b""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionError:
            break
        if not chunk:
            break
        got += chunk
    return got


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1]) if answer.startswith(b"HTTP/1.1 ") else 0


def _closed(sock: socket.socket) -> bool:
    """True when the server closed the connection (reads give end of file or a reset)."""
    sock.settimeout(0.0)
    try:
        return sock.recv(65536) == b""
    except BlockingIOError:
        return False
    except ConnectionError:
        return True


def _latencies(url: str, path: str, count: int) -> list[float]:
    """A phone's visits: a new connection for each, every answer a 200."""
    out = []
    for _ in range(count):
        start = time.perf_counter()
        response = httpx.get(url + path, timeout=10)
        out.append(time.perf_counter() - start)
        assert response.status_code == 200, response.text
    return out


def _under_attack(url: str, path: str, attack: Callable[[threading.Event], None], attackers: int) -> list[float]:
    """The phone's latencies while ``attackers`` threads run ``attack`` (each stops by itself, or when told)."""
    stop = threading.Event()
    threads = [threading.Thread(target=attack, args=(stop,), daemon=True) for _ in range(attackers)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(0.3)  # the attack is under way
        return _latencies(url, path, 20)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)


def _settled(figure: Callable[[], int]) -> int:
    """A figure once the service has written its counters (in batches, every [query] flush_interval_s)."""
    time.sleep(1.5)
    return figure()


def _keeps_its_latency(before: list[float], during: list[float]) -> None:
    assert max(during) < 1.0, during
    assert statistics.median(during) < max(5 * statistics.median(before), 0.05), (before, during)


@pytest.fixture
def guarded(ledger: tuple[Home, Codes]) -> Iterator[tuple[str, str, Home]]:
    home, codes = ledger
    with running(home, **LIMITS) as url:
        yield url, f"/c/{codes.genuine}", home


def _head(size: int, start: bytes = b"GET /robots.txt HTTP/1.1\r\nHost: a\r\n") -> bytes:
    """A request whose line and headers are exactly ``size`` bytes, the blank line included."""
    start += b"X-Pad: "
    end = b"\r\n\r\n"
    return start + b"a" * (size - len(start) - len(end)) + end


def test_headers_up_to_the_limit_pass_and_one_byte_more_gets_431(guarded: tuple[str, str, Home]) -> None:
    url, _, _ = guarded
    for size, expected in ((LIMITS["max_header_bytes"], 200), (LIMITS["max_header_bytes"] + 1, 431)):
        with _connect(url) as sock:
            sock.sendall(_head(size))
            assert _status(_answer(sock, 3)) == expected, size
    post = b"POST /report HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n"
    with _connect(url) as sock:  # a head of the limit, its body in the same read: the body is not head
        sock.sendall(_head(LIMITS["max_header_bytes"], post) + b"kind=")
        assert _status(_answer(sock, 3)) == 400
    with _connect(url) as sock:  # sent in pieces, the head is added up across reads
        data = _head(LIMITS["max_header_bytes"] + 1)
        for start in range(0, len(data), 1000):
            sock.sendall(data[start : start + 1000])
            time.sleep(0.01)
        assert _status(_answer(sock, 3)) == 431


def test_huge_headers_are_cut_off_while_a_phone_keeps_its_latency(guarded: tuple[str, str, Home]) -> None:
    url, path, home = guarded
    before = _latencies(url, path, 10)
    refused: list[int] = []
    sent: list[int] = []

    def attack(stop: threading.Event) -> None:
        with _connect(url) as sock:
            sock.sendall(b"GET /c/1 HTTP/1.1\r\nHost: a\r\nX-Big: ")
            total, chunk = 0, b"a" * 65536
            try:
                while total < 64 * 1024 * 1024 and not stop.is_set():  # a 64 MB header, if the server took it
                    sock.sendall(chunk)
                    total += len(chunk)
            except OSError:
                pass
            sent.append(total)
            refused.append(_status(_answer(sock, 2)))

    during = _under_attack(url, path, attack, 4)
    _keeps_its_latency(before, during)
    assert len(sent) == 4 and max(sent) < 8 * 1024 * 1024, sent  # cut off long before 64 MB
    assert all(status in (0, 431) for status in refused) and 431 in refused, refused
    assert _settled(lambda: stats(home)["queries_total"]) == 30  # the refused requests were never counted


def test_half_sent_requests_get_408_while_a_phone_keeps_its_latency(guarded: tuple[str, str, Home]) -> None:
    url, path, _ = guarded
    before = _latencies(url, path, 10)
    answers: list[tuple[int, float]] = []

    def attack(stop: threading.Event) -> None:
        with _connect(url) as sock:
            start = time.monotonic()
            sock.sendall(b"GET /c/1 HTTP/1.1\r\nHost: a\r\n")
            try:
                for _ in range(50):  # a byte every 0.1 s, for at most 5 s
                    if stop.is_set() or _closed(sock):
                        break
                    sock.sendall(b"X")
                    time.sleep(0.1)
            except OSError:
                pass
            sock.settimeout(3)
            answers.append((_status(_answer(sock, 3)), time.monotonic() - start))

    during = _under_attack(url, path, attack, 30)
    _keeps_its_latency(before, during)
    assert len(answers) == 30
    for status, seconds in answers:
        assert status in (0, 408) and seconds < 3.0, answers


def test_a_connection_that_sends_nothing_gets_408(guarded: tuple[str, str, Home]) -> None:
    url, _, _ = guarded
    with _connect(url) as sock:
        start = time.monotonic()
        assert _status(_answer(sock, 5)) == 408 and 0.5 < time.monotonic() - start < 3.0


def test_the_next_request_on_a_kept_connection_has_the_same_timeout(guarded: tuple[str, str, Home]) -> None:
    url, _, _ = guarded
    with _connect(url) as sock:
        sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        time.sleep(0.2)
        assert _status(sock.recv(65536)) == 200
        sock.sendall(b"GET /robots.txt HTTP/1.1\r\nX")
        for _ in range(3):  # a byte every 0.3 s keeps the keep-alive timeout away, not the header timeout
            time.sleep(0.3)
            sock.sendall(b"X")
        start = time.monotonic()
        answer = _answer(sock, 5)
        assert _status(answer) == 408 and time.monotonic() - start < 0.9


def test_a_body_too_slow_gets_408_and_nothing_is_stored(guarded: tuple[str, str, Home]) -> None:
    url, _, home = guarded
    with _connect(url) as sock:
        start = time.monotonic()
        sock.sendall(b"POST /api/v1/reports HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n")
        sock.sendall(b'Content-Length: 200\r\n\r\n{"code": ')
        answer = _answer(sock, 5)
        assert _status(answer) == 408 and time.monotonic() - start < 3.0
    assert stats(home)["reports_total"] == 0


def test_an_idle_keep_alive_connection_is_closed(guarded: tuple[str, str, Home]) -> None:
    url, _, _ = guarded
    with _connect(url) as sock:
        sock.sendall(b"GET /robots.txt HTTP/1.1\r\nHost: a\r\n\r\n")
        time.sleep(0.2)
        assert _status(sock.recv(65536)) == 200
        start = time.monotonic()
        assert _answer(sock, 5) == b""
        assert 0.5 < time.monotonic() - start < 3.0


def test_piles_of_idle_connections_make_room_for_new_clients(ledger: tuple[Home, Codes]) -> None:
    home, codes = ledger
    settings = {**LIMITS, "header_timeout_s": 60.0}  # only the cap stands between the idle pile and the phone
    with running(home, **settings) as url, ExitStack() as stack:
        path = f"/c/{codes.genuine}"
        before = _latencies(url, path, 10)
        idle = [stack.enter_context(_connect(url)) for _ in range(200)]
        time.sleep(0.3)
        during = _latencies(url, path, 20)
        _keeps_its_latency(before, during)
        time.sleep(0.2)
        still_open = [sock for sock in idle if not _closed(sock)]
        assert len(still_open) <= LIMITS["max_connections"], len(still_open)
        assert idle[-1] in still_open  # the newest idle ones stay, the oldest made room


def test_a_new_client_gets_503_when_every_connection_is_answering(guarded: tuple[str, str, Home]) -> None:
    url, path, _ = guarded
    with ExitStack() as stack:
        slow = []
        for _ in range(LIMITS["max_connections"]):  # each has a request in hand, waiting for its body
            sock = stack.enter_context(_connect(url))
            sock.sendall(b"POST /report HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\nkind=")
            slow.append(sock)
        time.sleep(0.3)
        with _connect(url) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: a\r\n\r\n".encode())
            assert _status(_answer(sock, 3)) == 503
        time.sleep(1.5)  # the slow bodies time out
        assert httpx.get(url + path, timeout=5).status_code == 200


# --- station serve --listen ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "listen",
    ["127.0.0.1:99999", "127.0.0.1:", ":8080", "127.0.0.1:８０", "127.0.0.1:-1", "[::1]:65536", "[::1", "a b:80"],
)
def test_split_listen_refuses_what_is_not_host_and_port(listen: str) -> None:
    with pytest.raises(ConfigError) as err:
        split_listen(listen)
    assert err.value.key == "query.listen_bad"


def test_split_listen_takes_host_and_port() -> None:
    assert split_listen("127.0.0.1:8080") == ("127.0.0.1", 8080)
    assert split_listen("[::1]:65535") == ("::1", 65535)
    assert split_listen("localhost:0") == ("localhost", 0)


def _serve(home: Home, listen: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [STATION, "--home", str(home.path), "--lang", "en", "serve", "--listen", listen],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_serve_refuses_a_port_out_of_range(ledger: tuple[Home, Codes]) -> None:
    home, _ = ledger
    proc = _serve(home, "127.0.0.1:99999")
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert "listen address 127.0.0.1:99999 is invalid" in err and "listening" not in err


def test_serve_on_a_taken_port_says_so_and_never_that_it_listens(ledger: tuple[Home, Codes]) -> None:
    home, _ = ledger
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        proc = _serve(home, f"127.0.0.1:{port}")
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in err and "listening" not in err


def test_serve_says_it_listens_once_it_does(ledger: tuple[Home, Codes]) -> None:
    home, codes = ledger
    proc = _serve(home, "127.0.0.1:0")  # the system picks the port: the line must name the one bound
    try:
        assert proc.stderr is not None
        ready, _, _ = select.select([proc.stderr], [], [], 60)  # bounded: a server that never says so fails here
        assert ready, "nothing printed in 60 s"
        line = proc.stderr.readline()
        assert "listening on http://127.0.0.1:" in line, line
        port = int(line.split("http://127.0.0.1:", 1)[1].split("/", 1)[0])
        assert port != 0
        response = httpx.get(f"http://127.0.0.1:{port}/c/{codes.genuine}", timeout=5)  # no retry: it listens
        assert response.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=30)
