"""Every screen at 120 × 40 in both languages, pinned as snapshots (update with --snapshot-update).

The county is in the middle of its day (tests/snapshot_county.py: printed, picked up, bound, queried, reported),
so each screen shows its rows, not its empty state. The printer and the scanner are the emulators; what a
machine has plugged in and the camera's measured frame rate differ between machines, so those two are fixed
pictures. No screen here may show a library's or the operating system's own words: they change with versions.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station.home import Home
from station.tui import build
from tests.snapshot_county import LedgerClock, build_busy_county, frozen_time

SCREENS = ["sign_in", "dashboard", "lookup", "issue", "enterprises", "run", "pickup", "qc", "lots", "devices"]
SCREENS += ["settings", "queries", "confirm", "voids", "void_confirm", "register", "product_edit", "new_lot", "bind"]
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
    "confirm": "f3",  # the question before issuing
    "voids": "ctrl+b",
    "void_confirm": "ctrl+b",  # the question before voiding a roll
    "register": "f4",  # the application form
    "product_edit": "f4",  # the selected product in the product boxes
    "new_lot": "f8",  # the lot form
    "bind": "f8",  # binding rolls to a lot by scanning their headers
}
FORMS = {"register": ("g", "#r-name"), "product_edit": ("m", "#p-name"), "new_lot": ("n", "#l-product")}
FOUND = {
    "printers": [{"uri": "usb://1fc9:2016", "maker": "Xprinter"}],
    "scanners": [{"uri": "usb://05e0:1200", "maker": "Zebra / Symbol"}],
    "serial_ports": [{"uri": "serial:///dev/ttyACM0?baudrate=9600", "description": "USB CDC scanner"}],
    "cameras": [{"uri": "/dev/video0"}],
    "notes": [],
}
PRINTER_PORT = 19151  # fixed, so the printer's address reads the same in every picture
SCANNER_LINK = Path("/tmp/trace-station-snapshot-scanner")
# Words that only a library or the operating system writes; a screen showing one pins text that is not ours.
FOREIGN = ("Errno", "refused", "No such file", "could not open port", "Traceback", "cannot open")


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    path = tmp_path_factory.mktemp("snap") / "home"
    with pytest.MonkeyPatch.context() as mp, frozen_time(mp, LedgerClock()):
        facts = build_busy_county(path)
    facts["path"] = path
    yield facts


@pytest.fixture
def devices(county: dict[str, Any]) -> Iterator[Any]:
    """The emulated printer and scanner the settings name, running while the screen is drawn."""
    from drivers.emulators.printer import VirtualPrinter
    from drivers.emulators.scanner import VirtualScanner
    from drivers.emulators.servers import TcpPrinterServer

    printer = VirtualPrinter("tspl", out_dir=county["path"] / "printed-snap")
    with (
        TcpPrinterServer(printer, port=PRINTER_PORT) as server,
        VirtualScanner(suffix="CR", link=SCANNER_LINK) as scanner,
    ):
        (county["path"] / "station.toml").write_text(
            f'[printer]\nuri = "{server.uri}"\nlang = "tspl"\n'
            '[verify]\ncamera = "http://127.0.0.1:8081/stream.mjpg"\n'
            f'[pickup]\nscanner = "{scanner.uri}"\n',
            encoding="utf-8",
        )
        yield scanner


def _camera(uri: str, timeout_s: float = 3.0) -> Any:
    from station.devices import CameraCheck

    return CameraCheck(uri, True, 30.0, (1280, 720))


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(
    snap_compare: Any,
    county: dict[str, Any],
    devices: Any,
    screen: str,
    lang: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("station.devices.list_devices", lambda: FOUND)
    monkeypatch.setattr("station.devices.camera_status", _camera)
    module = build(lang)
    home = Home.open(county["path"])
    app = module.StationApp(home.path, "快照", None if screen == "sign_in" else "admin")
    shown: list[str] = []

    async def open_screen(pilot: Any) -> None:
        if screen in KEYS:
            await pilot.press(KEYS[screen])
        if screen == "lookup":  # typed key by key once the box has the focus; the answer comes from a worker
            await _until(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "code")
            await pilot.press(*county["code"], "enter")
            await _until(pilot, lambda: pilot.app.screen.query_one("#history").row_count > 0)
        if screen == "confirm":  # the product from the list, a count, Enter: the question, naming the consequence
            await _until(pilot, lambda: pilot.app.screen.query_one("#choices").row_count > 0)
            await pilot.press("enter", *"2000", "enter")
            await _until(pilot, lambda: pilot.app.screen.query("#question"))
        if screen == "void_confirm":  # a roll, the reason, Enter: the question, naming the consequence
            await _until(pilot, lambda: pilot.app.focused is not None and pilot.app.focused.id == "list")
            await pilot.press("enter")
            pilot.app.screen.query_one("#target").value = county["rolls"][1]
            pilot.app.screen.query_one("#reason").value = "整卷丢失"
            pilot.app.screen.query_one("#reason").focus()
            await pilot.press("enter")
            await _until(pilot, lambda: pilot.app.screen.query("#question"))
        if screen in FORMS:  # the list read first, then the form opened over it
            key, first = FORMS[screen]
            await _until(pilot, lambda: pilot.app.screen.query_one("#list").row_count > 0)
            await pilot.pause(0.2)
            await pilot.press(key)
            await _until(pilot, lambda: pilot.app.screen.query(first))
        if screen == "bind":  # the box reads the emulated scanner over its pty while it is open
            await _until(pilot, lambda: pilot.app.screen.query_one("#list").row_count > 0)
            await pilot.pause(0.2)
            await pilot.press("k")
            await _until(pilot, lambda: pilot.app.screen.query("#scanner"))
            await _until(pilot, lambda: "serial:" in str(pilot.app.screen.query_one("#scanner").content))
        elif screen == "pickup":  # the second roll handed over, scanned with the emulated scanner over its pty
            await _pick_up(pilot, devices, county["rolls"][1])
        else:
            for _ in range(2):  # a worker started by a message still in the queue is not yet there to wait for
                await pilot.pause()
                await pilot.app.workers.wait_for_complete()
        shown.append(await _settled(pilot))

    try:
        with pytest.MonkeyPatch.context() as mp, frozen_time(mp):
            assert snap_compare(app, terminal_size=(120, 40), run_before=open_screen)
    finally:
        home.close()
        build("en")
    foreign = [word for word in FOREIGN if word in shown[0]]
    assert not foreign, f"the {screen} screen shows a library's or the system's words: {foreign}"


async def _pick_up(pilot: Any, scanner: Any, roll: str) -> None:
    from textual.widgets import Input

    screen = pilot.app.screen
    await _until(pilot, lambda: screen.query_one("#waiting").row_count == 1)
    await pilot.press("enter")  # the enterprise waiting for its roll
    screen.query_one("#receiver", Input).value = "李四"
    await pilot.press("enter")
    await _until(pilot, lambda: screen.session is not None and "serial:" in str(screen.query_one("#scanner").content))
    scanner.scan(roll)
    await _until(pilot, lambda: screen.session.rolls == [roll])


async def _until(pilot: Any, done: Any, timeout_s: float = 10.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen did not get there in time")


async def _settled(pilot: Any, timeout_s: float = 10.0) -> str:
    """The screen once it stops changing: a table sizes its columns to rows a worker added on a later refresh,
    and a screen shown twice (mounted, then resumed) loads twice; on a busy machine either can come late.

    A text box's cursor is held still: blinking, it is drawn or not by the clock.
    """
    from textual.widgets import Input

    for box in pilot.app.screen.query(Input):
        box.cursor_blink = False
    before = _text(pilot.app)
    for _ in range(int(timeout_s / 0.15)):
        await pilot.pause(0.15)  # not waiting for workers: the pickup screen's listens to the scanner throughout
        now = _text(pilot.app)
        if now == before:
            return now
        before = now
    raise AssertionError("the screen kept changing")


def _text(app: Any) -> str:
    """Everything the screen shows, as plain text (read from the app's own screenshot)."""
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " ")


def test_every_event_of_the_day_has_a_name(county: dict[str, Any]) -> None:
    from station.texts import TEXTS

    home = Home.open(county["path"])
    try:
        kinds = {event["kind"] for event in home.ledger.events()}
    finally:
        home.close()
    assert {"order.issued", "code.print", "code.verify", "pickup.made", "code.bind", "lot.inspected"} <= kinds
    assert sorted(kind for kind in kinds if "event." + kind not in TEXTS) == []
