"""A typo's hint is charged by what it costs: ``failed_cost`` for each MAC it checks, exactly as many as
``typo_candidates`` checks; following the hint just offered is never refused; and every lookup is charged to its
client (IPv4 address, IPv6 /64) and to its network (IPv4 /24, IPv6 /48), so spreading guesses over a network's
addresses does not multiply its allowance."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import station.codes
from station.codes import CodeKey, check_digit_ok, make_code, typo_candidates
from station.home import Home
from station.query.answer import hint_checks
from station.query.net import client as net_client
from tests.query_helpers import Codes, build_ledger, client, running

KEY = CodeKey.from_secret(bytes(range(32)))


@pytest.fixture
def ledger(seeded: tuple[Home, int, int]) -> tuple[Home, Codes]:
    home, eid, pid = seeded
    return home, build_ledger(home, eid, pid)


@settings(max_examples=150, deadline=None)
@given(
    serial=st.integers(1, 10**9 - 1),
    position=st.integers(0, 19),
    change=st.integers(1, 9),
    swap=st.booleans(),
)
def test_hint_checks_is_the_number_of_macs_typo_candidates_checks(
    serial: int, position: int, change: int, swap: bool
) -> None:
    code = make_code(KEY, serial)
    if swap and position < 19 and code[position] != code[position + 1]:
        typed = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
    else:
        typed = code[:position] + str((int(code[position]) + change) % 10) + code[position + 1 :]
    if check_digit_ok(typed):
        return  # not a typo the check digit catches: no hint is looked for
    checked: list[str] = []
    original = station.codes._mac_ok

    def counting(key: CodeKey, digits: str) -> bool:
        checked.append(digits)
        return original(key, digits)

    station.codes._mac_ok = counting  # type: ignore[assignment]
    try:
        found = typo_candidates(KEY, typed)
    finally:
        station.codes._mac_ok = original  # type: ignore[assignment]
    assert hint_checks(typed) == len(checked)
    assert code in [c for c, _ in found]


def _json(url: str, code: str, who: str) -> httpx.Response:
    with client(url, who) as c:
        return c.get(f"/api/v1/codes/{code}")


def test_a_hint_costs_failed_cost_for_each_mac_it_checks(ledger: tuple[Home, Codes]) -> None:
    home, codes = ledger
    cost = 5 * hint_checks(codes.typo)
    limits = {"trusted_proxies": "127.0.0.1", "rate_per_min": 0.1, "failed_cost": 5, "network_burst": 100000}
    with running(home, rate_burst=cost + 1, **limits) as url:  # the hint leaves one token
        assert _json(url, codes.typo, "198.51.100.1").json()["hint"]["code"] == codes.genuine
        assert _json(url, codes.unbound, "198.51.100.1").status_code == 200
        assert _json(url, codes.unbound, "198.51.100.1").status_code == 429
    with running(home, rate_burst=cost, **limits) as url:  # the hint takes every token
        assert _json(url, codes.typo, "198.51.100.1").status_code == 400
        assert _json(url, codes.unbound, "198.51.100.1").status_code == 429


def test_following_the_hint_just_offered_is_never_refused(ledger: tuple[Home, Codes]) -> None:
    home, codes = ledger
    with running(home, trusted_proxies="127.0.0.1", rate_per_min=0.1) as url, client(url, "198.51.100.1") as phone:
        page = phone.get(f"/c/{codes.typo}")
        assert page.status_code == 400 and f'href="/c/{codes.genuine}"' in page.text  # and the bucket is in debt
        assert phone.get(f"/c/{codes.genuine}").status_code == 200  # the link on that page
        assert phone.get(f"/c/{codes.genuine}").status_code == 429  # once
        assert phone.get(f"/c/{codes.unbound}").status_code == 429


def _responses(url: str, code: str, clients: list[str]) -> list[int]:
    return [_json(url, code, who).status_code for who in clients]


@pytest.mark.parametrize(
    ("same_network", "other_network"),
    [
        ([f"198.51.100.{i}" for i in range(1, 12)], "198.51.101.1"),  # IPv4: a /24
        ([f"2001:db8:1:{i:x}::1" for i in range(11)], "2001:db8:2::1"),  # IPv6: 11 /64s of one /48
    ],
)
def test_the_addresses_of_one_network_share_its_allowance(
    ledger: tuple[Home, Codes], same_network: list[str], other_network: str
) -> None:
    home, codes = ledger
    limits = {"trusted_proxies": "127.0.0.1", "rate_per_min": 0.1, "rate_burst": 1000, "network_burst": 10}
    with running(home, network_rate_per_min=0.1, **limits) as url:
        assert _responses(url, codes.unbound, same_network) == [200] * 10 + [429]
        assert _json(url, codes.unbound, other_network).status_code == 200


def test_network_keys() -> None:
    keys: dict[str, Any] = {
        who: net_client(who, None, ()).network_key for who in ("203.0.113.7", "203.0.113.250", "2001:db8:1:2:3::4")
    }
    assert keys == {
        "203.0.113.7": "203.0.113.0/24",
        "203.0.113.250": "203.0.113.0/24",
        "2001:db8:1:2:3::4": "2001:db8:1::/48",
    }
