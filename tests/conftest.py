"""Shared fixtures: an initialised data directory, and running the real `station` command."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from station.home import Home
from station.texts import set_language

if TYPE_CHECKING:
    from tests.pg_helpers import Backend

pytest_plugins = ["tests.pg_helpers"]  # the PostgreSQL server, the ledger backends and the all_backends mark
REPO = Path(__file__).resolve().parent.parent
STATION = str(Path(sys.executable).with_name("station"))


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def home(tmp_path: Path, backend: Backend) -> Iterator[Home]:
    """An initialised data directory whose ledger is on the test's backend (SQLite unless marked all_backends)."""
    if backend.url is not None:
        (tmp_path / "home").mkdir()
        (tmp_path / "home" / "station.toml").write_text(backend.settings())
    h = Home.open(tmp_path / "home", operator="tester")
    h.init()
    yield h
    h.close()


@pytest.fixture
def seeded(home: Home) -> tuple[Home, int, int]:
    """A home with one approved enterprise and one product: (home, enterprise id, product id)."""
    from station.registry import add_enterprise, add_product, review_enterprise

    eid = add_enterprise(home.ledger, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    return home, eid, pid


@dataclass
class Result:
    """A finished `station` command."""

    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def station(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run the installed `station` console script against a fresh data directory."""
    env = {**os.environ, "STATION_HOME": str(tmp_path / "cli-home"), "STATION_LANG": "en"}

    def run(*args: str, check: bool = False, lang: str = "en") -> Result:
        proc = subprocess.run([STATION, "--lang", lang, *args], capture_output=True, text=True, env=env, timeout=120)
        result = Result(proc.returncode, proc.stdout, proc.stderr)
        if check and proc.returncode != 0:
            raise AssertionError(f"station {' '.join(args)} failed: {proc.stderr}{proc.stdout}")
        return result

    run.home = Path(env["STATION_HOME"])  # type: ignore[attr-defined]
    return run


def cli_order(station, count: int, certified: bool = False) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Through the real command: init, an approved enterprise, a product, and an order of ``count`` codes; the
    `issue --json` answer."""
    station("init", check=True)
    enterprise = station(
        "enterprise", "add", "--name", "牟定县测试腐乳厂", "--credit-code", "91532323MA6N0FRU1E", "--json", check=True
    ).json()["id"]
    station("enterprise", "approve", str(enterprise), check=True)
    extra = ["--cert", "地理标志", "--shelf-life", "180"] if certified else []
    product = station(
        "product",
        "add",
        "--enterprise",
        str(enterprise),
        "--name",
        "牟定腐乳",
        "--origin",
        "532323101001",
        *extra,
        "--json",
        check=True,
    ).json()["id"]
    issued: dict[str, Any] = station(
        "issue", "--enterprise", str(enterprise), "--product", str(product), "--count", str(count), "--json", check=True
    ).json()
    return issued
