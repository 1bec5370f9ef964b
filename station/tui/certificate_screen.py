"""The app's 承诺达标合格证 box: how many certificates to print for the selected lot, a question naming the
consequence, then the printing on the configured printer, each certificate recorded as `station certificate issue`
records it. The lots screen opens it with ``open_certificates(screen, lot_id)``."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static

from station.errors import StationError
from station.texts import t
from station.tui.confirm import Confirm
from station.tui.gate import gate
from station.tui.keybar import KeyLine
from station.tui.plain import Plain

PRINTER_WAIT_S = 1.0  # how long to wait for another screen's turn on the printer (a run holds it)


class CertificateBox(ModalScreen[None]):
    """Print N certificates of one lot: type the count, Enter asks, Enter again prints; Esc closes."""

    DEFAULT_CSS = """
    CertificateBox { align: center middle; }
    CertificateBox > Vertical { width: 80; height: auto; border: thick $primary; background: $surface; padding: 1 2; }
    CertificateBox #cert-message { height: auto; margin: 1 0 0 0; }
    CertificateBox KeyLine { height: 1; margin: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("enter", "ask", "tui.cert.print", priority=True),
        Binding("escape", "close", "tui.cert.close", priority=True),
    ]

    def __init__(self, lot_id: int) -> None:
        super().__init__()
        self.lot_id = lot_id
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(t("tui.cert.title", lot=self.lot_id), id="cert-title")
            yield Input(placeholder=t("tui.cert.count"), id="cert-count", restrict=r"[0-9]*", max_length=4)
            yield Plain("", id="cert-message")
            yield KeyLine()

    def action_close(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_ask(self) -> None:
        from station.certificates import MAX_COUNT

        if self.busy or not gate(self).allowed("lots"):
            return
        text = self.query_one("#cert-count", Input).value.strip()
        count = int(text) if text.isdigit() else 0
        if not 1 <= count <= MAX_COUNT:
            self.say(t("certificate.bad_count", count=text or "0", max=MAX_COUNT))
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.busy = True
                self.say(t("tui.cert.printing", n=count))
                self.issue(count)
            else:
                self.say(t("confirm.cancelled"))

        self.app.push_screen(Confirm(t("tui.cert.confirm", n=count, lot=self.lot_id)), answered)

    @work(thread=True, exclusive=True, group="certificates")
    def issue(self, count: int) -> None:
        from station.certificates import issue_certificates

        app: Any = self.app
        try:
            with app.open_home(signed=True) as home, app.printer_turn(PRINTER_WAIT_S):
                message = issue_certificates(home, self.lot_id, count).summary()
        except StationError as err:
            message = err.message
        self.app.call_from_thread(self.done, message)

    def done(self, message: str) -> None:
        self.busy = False
        self.say(message)

    def say(self, message: str) -> None:
        self.query_one("#cert-message", Static).update(message)


def open_certificates(screen: Screen[Any], lot_id: int) -> None:
    """Open the certificate box for ``lot_id`` over ``screen`` (the lots screen's certificate action)."""
    screen.app.push_screen(CertificateBox(lot_id))
