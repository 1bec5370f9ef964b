"""The app's devices screen: what the machine can see, the configured printer's state, and a test print."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from station.errors import StationError
from station.home import Home
from station.texts import t
from station.tui.keybar import KeyBar

KINDS = ("printers", "scanners", "serial_ports", "cameras")


class Devices(Screen[None]):
    """Discovered devices (r looks again) and the configured printer, with a test label (t)."""

    BINDINGS = [Binding("r", "refresh", t("tui.refresh")), Binding("t", "test_print", t("tui.test_print"))]

    def compose(self) -> ComposeResult:
        yield Static(t("tui.title.devices"), id="title")
        yield Static("…", id="printer", classes="panel")
        yield DataTable(id="list", cursor_type="row")
        yield Static("", id="message", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#list", DataTable).add_columns(t("tui.kind"), "URI", t("tui.device"))
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from station.devices import list_devices, printer_from_config, status_text

        app: Any = self.app
        home = Home.open(app.home_path)
        try:
            with app.printer_lock, printer_from_config(home.config) as printer:
                status = printer.status()
                line = f"{t('dev.configured')}: {printer.uri} ({printer.lang}) — "
                line += status_text(status)
                ready = status.ready
        except StationError as err:  # a printer URI the station cannot use: say so, still list the rest
            line, ready = err.message, False
        finally:
            home.close()
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
        if self.app.allowed("devices"):  # type: ignore[attr-defined]
            self.query_one("#message", Static).update("…")
            self.test_print()

    @work(thread=True, exclusive=True, group="test-print")
    def test_print(self) -> None:
        from station.devices import print_test, printer_from_config, status_text

        app: Any = self.app
        home = Home.open(app.home_path)
        ok = False
        try:
            with app.printer_lock, printer_from_config(home.config) as printer:
                result = print_test(printer, font_path=home.config.labels.font)
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
        finally:
            home.close()
        self.app.call_from_thread(self.printed, message, ok)

    def printed(self, message: str, ok: bool) -> None:
        panel = self.query_one("#message", Static)
        panel.update(message)
        panel.set_classes("panel ok" if ok else "panel bad")
        if not ok:
            self.app.bell()
