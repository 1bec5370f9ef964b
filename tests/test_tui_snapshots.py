"""Every screen at 120 × 40 in both languages, pinned as snapshots (update with --snapshot-update)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from station.home import Home
from station.issue import issue_codes
from station.registry import add_enterprise, add_lot, add_product, inspect_lot, review_enterprise
from station.tui import build

SCREENS = ["sign_in", "dashboard", "lookup", "issue", "enterprises", "run", "pickup", "qc", "lots", "devices"]
SCREENS += ["settings", "queries"]
KEYS = {
    "dashboard": "f1",
    "lookup": "f2",
    "issue": "f3",
    "enterprises": "f4",
    "run": "f5",
    "pickup": "f6",
    "qc": "f7",
    "lots": "f8",
    "devices": "f9",
    "settings": "f10",
    "queries": "f11",
}
FOUND = {
    "printers": [{"uri": "usb://1fc9:2016", "maker": "Xprinter"}],
    "scanners": [{"uri": "usb://05e0:1200", "maker": "Zebra / Symbol"}],
    "serial_ports": [{"uri": "serial:///dev/ttyACM0?baudrate=9600", "description": "USB CDC scanner"}],
    "cameras": [{"uri": "/dev/video0"}],
    "notes": [],
}


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fixed small county: two enterprises (one approved), a product, two lots, an order; no printer reachable."""
    path = tmp_path_factory.mktemp("snap") / "home"
    home = Home.open(path, operator="快照")
    home.init()
    (path / "station.toml").write_text(  # nothing answers on port 9 (discard) or at that path
        '[printer]\nuri = "socket://127.0.0.1:9"\n[verify]\ncamera = "http://127.0.0.1:9/stream.mjpg"\n'
        '[pickup]\nscanner = "serial:///nonexistent/scanner-0"\n',
        encoding="utf-8",
    )
    eid = add_enterprise(home.ledger, "牟定县彝乡腐乳食品有限公司", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    add_enterprise(home.ledger, "牟定县共和核桃种植专业合作社", "91110000600037341L")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    issue_codes(home, eid, pid, 12)
    inspect_lot(home.ledger, add_lot(home.ledger, pid, "FR20261101", "2026-11-01"), "pass", "YN-2026-118")
    add_lot(home.ledger, pid, "FR20261115", "2026-11-15")
    home.close()
    return path


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare: Any, county: Path, screen: str, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    # what USB and serial devices a machine shows differs between machines: the picture uses a fixed set
    monkeypatch.setattr("station.devices.list_devices", lambda: FOUND)
    module = build(lang)
    home = Home.open(county)
    app = module.StationApp(home.path, "快照", None if screen == "sign_in" else "admin")

    async def open_screen(pilot: Any) -> None:
        if screen in KEYS:
            await pilot.press(KEYS[screen])
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause(0.1)  # a table sizes its columns to rows added by a worker on the next refresh

    try:
        assert snap_compare(app, terminal_size=(120, 40), run_before=open_screen)
    finally:
        home.close()
        build("en")
