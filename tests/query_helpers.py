"""Helpers for the query service tests: ledgers with codes in every state, built with the real core functions;
the query server running on 127.0.0.1; the list of QueryStore factories the store contract runs over."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from station.codes import make_code
from station.home import Home
from station.issue import issue_codes
from station.ledger.query_store import QueryStore, SqliteQueryStore
from station.lots import add_lot, inspect_lot, release_lot
from station.query.app import create_app
from station.query.server import ServerThread
from station.registry import add_enterprise, add_product, review_enterprise


def sqlite_store(home: Home) -> QueryStore:
    """The SQLite query store on the home's ledger file."""
    home.ledger  # noqa: B018 - creates and migrates the ledger
    return SqliteQueryStore(home.path / "ledger.sqlite3")


def postgres_store(home: Home) -> QueryStore:
    """The PostgreSQL query store on the home's ledger database."""
    from station.ledger.query_postgres import PostgresQueryStore

    home.ledger  # noqa: B018 - creates and migrates the ledger
    return PostgresQueryStore(home.ledger_url)


# Every QueryStore implementation, by the ledger backend it keeps its tables in (tests/pg_helpers.BACKENDS); the
# store contract runs over each, on a ledger of that backend.
STORE_FACTORIES: dict[str, Callable[[Home], QueryStore]] = {"sqlite": sqlite_store, "postgresql": postgres_store}


@dataclass
class Codes:
    """Codes of a test ledger, one per case the service must tell apart (20 digits each)."""

    genuine: str
    repeated: str
    anomalous: str
    voided: str
    recalled: str
    blacklisted: str
    undistributed: str
    unbound: str
    unknown: str  # passes the MAC, never issued
    forged: str  # fails the MAC
    typo: str  # a genuine code with one digit changed


def _advance(home: Home, serial: int, actions: tuple[str, ...]) -> None:
    for action in actions:
        home.ledger.transition(serial, action)


def build_ledger(home: Home, eid: int, pid: int) -> Codes:
    """An order of 12 codes of the seeded product, a released lot, a recalled lot and a blacklisted producer."""
    ledger = home.ledger
    order = issue_codes(home, eid, pid, 12)
    serials = list(range(order.first_serial, order.last_serial + 1))
    lot = add_lot(ledger, pid, "MD20261120", "2026-11-20", "500克", ["腌制 2026-11-01", "装瓶 2026-11-19"])
    inspect_lot(ledger, lot, "pass", "YN-QC-2026-1120")
    release_lot(ledger, lot)
    bad_lot = add_lot(ledger, pid, "MD20261121", "2026-11-21", "500克", [])
    inspect_lot(ledger, bad_lot, "pass", "YN-QC-2026-1121")
    release_lot(ledger, bad_lot)
    handed = ("print", "verify", "distribute")
    for serial in serials[:6]:
        _advance(home, serial, handed)
        ledger.bind(serial, lot, {"number": "MD20261120"})  # type: ignore[attr-defined]
    _advance(home, serials[6], handed)
    ledger.bind(serials[6], bad_lot, {"number": "MD20261121"})  # type: ignore[attr-defined]
    from station.lots import recall_lot

    recall_lot(home, bad_lot, "抽检不合格：亚硝酸盐超标")
    _advance(home, serials[7], ("print", "reject"))  # spoiled at printing: voided
    _advance(home, serials[8], ("print", "verify"))  # never handed over
    _advance(home, serials[9], handed)  # handed over, not bound to a lot

    # another producer, blacklisted after its codes were bound
    other = add_enterprise(ledger, "牟定县失信食品厂", "91532323MA6N0FRW2J")
    review_enterprise(ledger, other, "approve")
    other_product = add_product(ledger, other, "牟定油腐乳", "532323101002", "532323", [], 180)
    other_order = issue_codes(home, other, other_product, 1)
    other_lot = add_lot(ledger, other_product, "YF20261101", "2026-11-01")
    inspect_lot(ledger, other_lot, "pass")
    release_lot(ledger, other_lot)
    _advance(home, other_order.first_serial, handed)
    ledger.bind(other_order.first_serial, other_lot, {"number": "YF20261101"})  # type: ignore[attr-defined]
    from station.registry import set_blacklisted

    set_blacklisted(ledger, other, True, "以次充好")

    key = home.key
    genuine = make_code(key, serials[0])
    typo = genuine[:4] + str((int(genuine[4]) + 1) % 10) + genuine[5:]
    forged = genuine[:9] + str((int(genuine[9]) + 1) % 10) + genuine[10:19]
    from stdnum import damm

    forged += damm.calc_check_digit(forged)
    return Codes(
        genuine=genuine,
        repeated=make_code(key, serials[1]),
        anomalous=make_code(key, serials[2]),
        voided=make_code(key, serials[7]),
        recalled=make_code(key, serials[6]),
        blacklisted=make_code(key, other_order.first_serial),
        undistributed=make_code(key, serials[8]),
        unbound=make_code(key, serials[9]),
        unknown=make_code(key, 999_999_999),
        forged=forged,
        typo=typo,
    )


def write_settings(home: Home, **query: object) -> Path:
    """A settings file for the service: the [query] values given (strings quoted), the rest defaults."""
    lines = ["[query]"]
    for name, value in query.items():
        lines.append(f"{name} = {value!r}" if isinstance(value, str) else f"{name} = {value}")
    lines = [line.replace("'", '"') for line in lines]
    if home.config.ledger.url:  # the home's ledger is on a server: the service reads and counts there too
        lines += ["[ledger]", f'url = "{home.config.ledger.url}"']
    path = home.path / "serve.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@contextmanager
def running(home: Home, **query: object) -> Iterator[str]:
    """The query service for ``home`` served by uvicorn on 127.0.0.1 (a free port) in a thread; its base URL."""
    settings = write_settings(home, **query)
    with ServerThread(create_app(home.path, settings)) as server:
        yield server.url


def client(url: str, forwarded_for: str | None = None, local_address: str | None = None) -> httpx.Client:
    """An HTTP client for the server: as a client behind the trusted proxy (``forwarded_for``), or connecting from
    another loopback address (``local_address``)."""
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    transport = httpx.HTTPTransport(local_address=local_address) if local_address else None
    return httpx.Client(base_url=url, headers=headers, transport=transport, timeout=10)
