"""The app's devices screen: what the machine can see, the configured printer's state and a test print, a test
scan from the configured scanner, and the camera's live picture."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.worker import get_current_worker

from station.errors import StationError
from station.home import Home
from station.redact import masked
from station.texts import t
from station.tui.gate import gate
from station.tui.keybar import KeyBar
from station.tui.picture import Picture
from station.tui.plain import Plain
from station.tui.table import Table

KINDS = ("printers", "scanners", "serial_ports", "cameras")


SCAN_WAIT_S = 10  # how long a test scan waits for the operator to scan something
LIVE_VIEW_S = 120  # the live camera view closes by itself after this long


class Devices(Screen[None]):
    """Discovered devices (r looks again), the configured printer with a test label (t), a test scan (w: wait for
    a scan) and the camera's live picture (v opens and closes it). s and c stop a run and recall a lot elsewhere,
    so they are not used here."""

    BINDINGS = [
        Binding("r", "refresh", "tui.refresh"),
        Binding("t", "test_print", "tui.test_print"),
        Binding("w", "test_scan", "tui.test_scan"),
        Binding("v", "camera_view", "tui.camera_view"),
    ]

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.devices"), id="title")
        yield Plain("…", id="printer", classes="panel")
        yield Table(id="list", cursor_type="row")
        yield Plain("", id="message", classes="panel")
        with Horizontal(id="live"):
            yield Picture(id="camera", classes="picture")
            yield Plain(t("dev.camera_view_hint"), id="camera-info")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#list", DataTable).add_columns(t("tui.kind"), t("dev.col.address"), t("tui.device"))

    def on_screen_resume(self) -> None:
        self.action_refresh()  # devices plugged in or settings changed meanwhile

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        from station.devices import list_devices, printer_from_config, status_text
        from station.settings import shown_setting

        app: Any = self.app
        with app.open_home() as home:
            try:
                with app.printer_turn(1.0), printer_from_config(home.config) as printer:
                    status = printer.status()
                    lang = shown_setting("printer.lang", printer.lang)
                    line = f"{t('dev.configured')}: {masked(printer.uri)} ({lang}) — "
                    line += status_text(status)
                    ready = status.ready
                    for number, (uri, camera) in enumerate(home.config.lines()[1:], 2):
                        text, line_ready = _line_status(home, number, uri, camera)
                        line, ready = line + "\n" + text, ready and line_ready
            except StationError as err:  # a printer URI the station cannot use: say so, still list the rest
                line, ready = err.message, False
        found = list_devices()
        self.app.call_from_thread(self.show, line, ready, found)

    def show(self, printer_line: str, ready: bool, found: dict[str, list[Any]]) -> None:
        panel = self.query_one("#printer", Static)
        panel.update(printer_line)
        panel.set_classes("panel ok" if ready else "panel bad")
        table = self.query_one("#list", DataTable)
        table.clear()
        for kind in KINDS:
            for entry in found[kind]:
                label = entry.get("maker") or entry.get("description") or ""
                table.add_row(t("dev.kind." + kind), entry["uri"], str(label))
        for note in found["notes"]:
            table.add_row(t("cli.warning"), "", note)

    def action_test_print(self) -> None:
        if gate(self).allowed("devices"):
            self.query_one("#message", Static).update("…")
            self.test_print()

    @work(thread=True, exclusive=True, group="test-print")
    def test_print(self) -> None:
        from station.devices import print_test, printer_from_config, status_text

        app: Any = self.app
        ok = False
        with app.open_home() as home:
            try:
                with app.printer_turn(1.0), printer_from_config(home.config) as printer:
                    result = print_test(
                        printer, font_path=home.config.labels.font, zone_name=home.config.station.timezone
                    )
                after = result.after or result.before
                ok = after.ready
                message = "\n".join(
                    [
                        f"{t('dev.before')}: {status_text(result.before)}",
                        t("dev.sent", n=result.bytes_sent, ms=round(result.milliseconds, 1)),
                        f"{t('dev.after')}: {status_text(after)}",
                        t("dev.band_hint"),
                    ]
                )
            except StationError as err:
                message = err.message
        self.app.call_from_thread(self.printed, message, ok)

    def printed(self, message: str, ok: bool) -> None:
        panel = self.query_one("#message", Static)
        panel.update(message)
        panel.set_classes("panel ok" if ok else "panel bad")
        if not ok:
            self.app.bell()

    def action_test_scan(self) -> None:
        if gate(self).allowed("devices"):
            self.query_one("#message", Static).update(t("dev.scan_now", seconds=SCAN_WAIT_S))
            self.query_one("#message", Static).set_classes("panel")
            self.test_scan()

    @work(thread=True, exclusive=True, group="test-scan")
    def test_scan(self) -> None:
        from station.devices import check_scanner
        from station.pickup import describe_scan

        app: Any = self.app
        with app.open_home() as home:
            worker = get_current_worker()
            check = check_scanner(home.config.pickup.scanner, SCAN_WAIT_S, lambda: worker.is_cancelled)
            if not check.connected and check.scan is None:
                message, ok = check.error or t("dev.scanner_down", reason=check.uri), False
            elif check.scan is None:
                message, ok = t("dev.scan_none", seconds=SCAN_WAIT_S), False
            else:
                scan = check.scan
                what = describe_scan(home, scan.text)
                message = t("dev.scan_got", text=scan.text, symbology=scan.symbology or "-", n=len(scan.raw))
                message, ok = message + "\n" + what, True
        self.app.call_from_thread(self.printed, message, ok)

    def action_camera_view(self) -> None:
        running = [w for w in self.workers if w.group == "camera-view" and w.is_running]
        if running:
            for w in running:
                w.cancel()
            return
        if getattr(self.app, "camera_in_use", False):  # a USB camera serves one reader: the run's
            self.show_camera(None, t("dev.camera_in_run"), True)
        elif gate(self).allowed("devices"):
            self.camera_view()

    @work(thread=True, exclusive=True, group="camera-view")
    def camera_view(self) -> None:
        """Draw the camera's newest frame four times a second, until c again, the screen closes, or LIVE_VIEW_S."""
        from drivers.cameras import open_camera
        from station.devices import check_camera
        from station.errors import StationError, device_errors

        app: Any = self.app
        worker = get_current_worker()
        uri = Home.open(app.home_path).config.verify.camera
        try:
            with device_errors(), open_camera(uri) as camera:
                deadline = time.monotonic() + LIVE_VIEW_S
                while not worker.is_cancelled and time.monotonic() < deadline:
                    check = check_camera(camera, 2.0)
                    picture: np.ndarray | None
                    if check.live:
                        picture = check.frame
                        info = t(
                            "dev.camera_live",
                            uri=masked(uri),
                            width=check.size[0],
                            height=check.size[1],
                            fps=round(check.fps, 1),
                        )
                    else:
                        picture, info = None, t("dev.camera_down", reason=check.error or uri)
                    self.app.call_from_thread(self.show_camera, picture, info, check.live)
                    time.sleep(0.25)
        except StationError as err:
            self.app.call_from_thread(self.show_camera, None, err.message, False)
            return
        self.app.call_from_thread(self.show_camera, None, t("dev.camera_view_off"), True)

    def show_camera(self, picture: np.ndarray | None, info: str, live: bool) -> None:
        """Show the camera's newest frame (None: none, the picture hidden) and what is known about the camera."""
        camera = self.query_one("#camera", Picture)
        camera.show(picture)
        camera.display = picture is not None
        panel = self.query_one("#camera-info", Static)
        panel.update(info)
        panel.set_classes("ok" if live else "bad")
        self.last_camera = (picture, info, live)


def _line_status(home: Any, number: int, uri: str, camera: str) -> tuple[str, bool]:
    """One more print line ([printer] more_lines): its printer's status beside its camera's address, and whether the
    printer is ready."""
    from station.devices import printer_from_config, status_text

    try:
        with printer_from_config(home.config, uri) as printer:
            status = printer.status()
    except StationError as err:
        return t("dev.line", line=number, printer=masked(uri), camera=masked(camera), status=err.message), False
    said = status_text(status)
    return t("dev.line", line=number, printer=masked(uri), camera=masked(camera), status=said), status.ready
