"""Labels point where a phone can open them: `station run` (and every run, through station.run_setup.open_run)
refuses an order whose QR codes carry the example host or plain http before it prints anything, names the setting
to change, and with ``[query] allow_http`` prints http labels with a warning on screen and in the ledger. The
demo prints on its own local address."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from pathlib import Path

import pytest

from station.home import Home
from station.query.reach import example_host, reach_problem
from tests.conftest import REPO, STATION
from tests.run_helpers import REACHABLE_SETTINGS, order, print_line


@pytest.mark.parametrize(
    ("base_url", "allow_http", "problem"),
    [
        ("https://trace.example.org/c", False, "example"),  # the default
        ("https://trace.example.org/c", True, "example"),
        ("https://example.com", False, "example"),
        ("https://a.b.EXAMPLE.net/c", False, "example"),
        ("https://trace.example/c", False, "example"),
        ("https://codes.invalid/c", False, "example"),
        ("http://trace.example.org/c", True, "example"),
        ("http://trace.mouding.gov.cn/c", False, "http"),
        ("http://192.168.1.20:8080/c", False, "http"),
        ("http://192.168.1.20:8080/c", True, "http_allowed"),
        ("https://trace.mouding.gov.cn/c", False, None),
        ("https://myexample.org/c", False, None),  # a name that only ends like one is not an example
        ("https://example.org.cn/c", False, None),
        ("https://t.cn", True, None),
    ],
)
def test_what_keeps_a_phone_from_opening_a_label(base_url: str, allow_http: bool, problem: str | None) -> None:
    assert reach_problem(base_url, allow_http) == problem


def test_example_hosts() -> None:
    assert example_host("trace.example.org.") and example_host("localhost") and example_host("a.localhost")
    assert not example_host("trace.mouding.test") and not example_host("notexample.com")


def _station(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO), "STATION_HOME": str(home)}
    return subprocess.run([STATION, "--lang", "en", *args], capture_output=True, text=True, env=env, timeout=300)


def _home_with(tmp_path: Path, settings: str, count: int = 2) -> tuple[Home, int]:
    (tmp_path / "home").mkdir(mode=0o700)
    (tmp_path / "home" / "station.toml").write_text(settings, encoding="utf-8")
    home, order_id = order(tmp_path, count)
    home.close()
    return home, order_id


def _run_args(order_id: int, uri: str, camera: str) -> list[str]:
    return ["run", "--order", str(order_id), "--printer", uri, "--lang", "tspl", "--camera", camera]


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        ("", "an example address no phone can open; nothing was printed. Set [codes] base_url"),
        ('[codes]\nbase_url = "http://192.168.1.20:8080/c"\n', "which is not https"),
    ],
)
def test_a_run_refuses_before_printing_anything(tmp_path: Path, settings: str, says: str) -> None:
    home, order_id = _home_with(tmp_path, settings)
    with print_line() as line:
        done = _station(home.path, *_run_args(order_id, line.server.uri, line.camera.url))
        assert done.returncode == 1, done.stderr + done.stdout
        assert says in done.stderr
        assert line.printer.labels == []
    home = Home.open(home.path)
    try:
        assert home.ledger.unfinished_run(order_id) is None
        kinds = {event["kind"] for event in home.ledger.events()}
        assert not kinds & {"run.started", "code.print", "roll.opened", "run.http_allowed"}
    finally:
        home.close()


def test_http_allowed_for_a_trial_prints_with_a_warning_on_screen_and_in_the_ledger(tmp_path: Path) -> None:
    base_url = "http://192.168.1.20:8080/c"
    home, order_id = _home_with(tmp_path, f'[codes]\nbase_url = "{base_url}"\n[query]\nallow_http = true\n')
    with print_line() as line:
        done = _station(home.path, *_run_args(order_id, line.server.uri, line.camera.url))
    assert done.returncode == 0, done.stderr + done.stdout
    assert f"warning: order {order_id}'s QR codes point to {base_url} (http, allowed by [query] allow_http" in (
        done.stderr
    )
    home = Home.open(home.path)
    try:
        events = [e for e in home.ledger.events() if e["kind"] == "run.http_allowed"]
        assert [(e["order_id"], base_url in str(e["data"])) for e in events] == [(order_id, True)]
        assert home.ledger.order_state_counts(order_id)
    finally:
        home.close()


def test_an_https_order_prints_without_a_warning(tmp_path: Path) -> None:
    home, order_id = _home_with(tmp_path, REACHABLE_SETTINGS)
    with print_line() as line:
        done = _station(home.path, *_run_args(order_id, line.server.uri, line.camera.url))
    assert done.returncode == 0, done.stderr + done.stdout
    assert "warning" not in done.stderr
    assert len(line.printer.labels) >= 2


def test_the_demo_prints_on_its_own_local_address(tmp_path: Path) -> None:
    done = _station(tmp_path / "demo", "demo", "--no-app")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "http://127.0.0.1:8080/c (http, allowed by [query] allow_http = true)" in done.stderr
    assert "http://127.0.0.1:8080/c/" in done.stdout  # the payloads of the printed labels


async def test_the_print_screen_warns_of_an_http_order_and_prints_it(tmp_path: Path) -> None:
    from station.ledger import State
    from station.tui.app import make_app

    base_url = "http://192.168.1.20:8080/c"
    with print_line() as line:
        home, order_id = _home_with(
            tmp_path,
            f'[codes]\nbase_url = "{base_url}"\n[query]\nallow_http = true\n'
            f'[printer]\nuri = "{line.server.uri}"\nlang = "tspl"\n[verify]\ncamera = "{line.camera.url}"\n'
            '[station]\nlanguage = "en"\n',
        )
        home = Home.open(home.path)
        app = make_app(home)
        shown: list[str] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f5")  # print and verify: the waiting order is first in the list
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("enter")
            deadline = time.monotonic() + 60
            while home.ledger.order_state_counts(order_id).get(State.VERIFIED, 0) < 2:
                assert time.monotonic() < deadline, "the run never finished"
                shown += [n.message for n in app._notifications]
                await asyncio.sleep(0.05)
            await app.workers.wait_for_complete()
            shown += [n.message for n in app._notifications]
        home.close()
    assert any(f"QR codes point to {base_url} (http, allowed by [query] allow_http = true)" in m for m in shown)


async def test_the_print_screen_refuses_an_example_order_naming_the_setting(tmp_path: Path) -> None:
    from station.tui.app import make_app

    with print_line() as line:
        home, order_id = _home_with(
            tmp_path,
            f'[printer]\nuri = "{line.server.uri}"\nlang = "tspl"\n[verify]\ncamera = "{line.camera.url}"\n'
            '[station]\nlanguage = "en"\n',
        )
        home = Home.open(home.path)
        app = make_app(home)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f5")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("enter")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = str(app.screen.query_one("#status").render())
        home.close()
        assert line.printer.labels == []
    assert f"order {order_id}'s QR codes point to https://trace.example.org/c, an example address" in status
    assert "Set [codes] base_url" in status
