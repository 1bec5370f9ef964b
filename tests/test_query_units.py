"""Pieces of the query service on their own: who the client is, token buckets, the [query] settings, and that
importing the core and the office functions pulls in no web framework."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from station.config import load_config
from station.errors import ConfigError
from station.query import net
from station.query.ratelimit import TokenBuckets

PROXIES = net.parse_proxies("127.0.0.1 10.0.0.0/8 ::1")


@pytest.mark.parametrize(
    ("peer", "header", "address"),
    [
        ("203.0.113.5", None, "203.0.113.5"),
        ("203.0.113.5", "198.51.100.1", "203.0.113.5"),  # not a proxy: its header is the client's own words
        ("127.0.0.1", "198.51.100.1", "198.51.100.1"),
        ("127.0.0.1", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the client wrote 1.2.3.4 itself
        ("127.0.0.1", "198.51.100.1, 10.1.2.3", "198.51.100.1"),  # through two of our proxies
        ("127.0.0.1", "10.1.2.3", "10.1.2.3"),  # only proxies: the farthest one
        ("127.0.0.1", "garbage", "127.0.0.1"),
        ("127.0.0.1", "198.51.100.1, garbage", "127.0.0.1"),
        ("127.0.0.1", "198.51.100.1:4711", "198.51.100.1"),
        ("127.0.0.1", "[2001:db8::1]:4711", "2001:db8::1"),
        ("::1", "2001:db8::7", "2001:db8::7"),
        ("::ffff:127.0.0.1", "198.51.100.1", "198.51.100.1"),  # IPv4-mapped peer
        (None, None, "0.0.0.0"),
    ],
)
def test_client_address(peer: str | None, header: str | None, address: str) -> None:
    assert str(net.client_address(peer, header, PROXIES)) == address


def test_rate_key_and_client_network() -> None:
    v4 = net.client("203.0.113.5", None, ())
    assert (v4.rate_key, v4.network) == ("203.0.113.5/32", "203.0.0.0/16")
    v6 = net.client("2001:db8:1:2:3:4:5:6", None, ())
    assert (v6.rate_key, v6.network) == ("2001:db8:1:2::/64", "2001:db8:1::/48")


def test_token_bucket() -> None:
    buckets = TokenBuckets(per_second=1.0, burst=3)
    for _ in range(3):
        assert buckets.wait("a", 0.0) == 0
        buckets.charge("a", 1, 0.0)
    assert buckets.wait("a", 0.0) == pytest.approx(1.0) and buckets.retry_after("a", 0.0) == 1
    assert buckets.wait("b", 0.0) == 0  # another client is not affected
    assert buckets.wait("a", 1.0) == 0
    buckets.charge("a", 5, 1.0)  # a failed lookup: a debt of 4
    assert buckets.wait("a", 1.0) == pytest.approx(5.0) and buckets.retry_after("a", 1.5) == 5
    assert buckets.wait("a", 100.0) == 0 and buckets.level("a", 100.0) == 3  # never above burst


def test_buckets_forget_the_quietest_clients_first() -> None:
    """The client charged longest ago is forgotten, not the one seen first: a busy guesser stays remembered."""
    buckets = TokenBuckets(per_second=0.001, burst=1, max_clients=2)
    buckets.charge("a", 1, 0.0)
    buckets.charge("b", 1, 0.0)
    buckets.charge("a", 1, 1.0)  # a again: now b was charged longest ago
    buckets.charge("c", 1, 2.0)
    assert buckets.wait("b", 2.0) == 0  # forgotten: full again
    assert buckets.wait("a", 2.0) > 0 and buckets.wait("c", 2.0) > 0  # a's debt is kept, as c's


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[query]\nlisten = "8080"\n', "query.listen"),
        ('[query]\nlisten = "127.0.0.1:99999"\n', "query.listen"),
        ('[query]\ntrusted_proxies = "nginx"\n', "query.trusted_proxies"),
        ("[query]\nwarn_after = 0\n", "query.warn_after"),
        ("[query]\nfailed_cost = 0\n", "query.failed_cost"),
        ("[query]\nflush_interval_s = 0\n", "query.flush_interval_s"),
        ("[query]\nrate_burst = true\n", "query.rate_burst"),
    ],
)
def test_bad_query_settings_name_the_key(tmp_path: Path, toml: str, key: str) -> None:
    (tmp_path / "station.toml").write_text(toml)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert key in info.value.message


def test_query_settings_load(tmp_path: Path) -> None:
    (tmp_path / "station.toml").write_text(
        '[query]\nlisten = "[::1]:8443"\ntrusted_proxies = "127.0.0.1, ::1 10.0.0.0/8"\nrate_per_min = 120\n'
    )
    query = load_config(tmp_path).query
    assert query.listen == "[::1]:8443" and query.rate_per_min == 120.0
    assert [str(n) for n in net.parse_proxies(query.trusted_proxies)] == ["127.0.0.1/32", "::1/128", "10.0.0.0/8"]


def test_core_and_office_import_no_web_framework() -> None:
    code = (
        "import sys, station.query, station.query.answer, station.query.counters;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'jinja2', 'textual')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_serial_finder_agrees_with_station_codes() -> None:
    """The service's tabulated permutation, MAC and check digit say what station.codes says, code for code."""
    import os
    import random

    from station.codes import Codec, CodeError, CodeKey, check_digit_ok, damm_ok, make_code, parse_code

    key = CodeKey.from_secret(os.urandom(32))
    finder = Codec(key)
    rng = random.Random(20261129)
    serials = [0, 1, 10**9 - 1] + [rng.randrange(10**9) for _ in range(300)]
    for serial in serials:
        code = make_code(key, serial)
        assert check_digit_ok(code) and finder.serial(code) == serial
    for _ in range(3000):  # made-up codes: mostly a wrong check digit, else almost surely a wrong MAC
        digits = "".join(rng.choice("0123456789") for _ in range(20))
        assert check_digit_ok(digits) == damm_ok(digits)
        if damm_ok(digits):
            try:
                expected: int | None = parse_code(key, digits)
            except CodeError:
                expected = None
            assert finder.serial(digits) == expected
    code = make_code(key, serials[-1])
    for pos in range(9, 19):  # each of the ten MAC digits changed, the last one too
        forged = code[:pos] + str((int(code[pos]) + 1) % 10) + code[pos + 1 :]
        assert not finder.mac_ok(forged) and finder.serial(forged) is None, pos
    finder.fill()  # the whole table at once gives the same serials
    assert [finder.serial(make_code(key, s)) for s in serials[:50]] == serials[:50]
