"""The lots screen's two boxes: recording a new lot with its production records, and binding rolls to a lot (赋码)
by scanning their header labels."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Input, Select, Static
from textual.worker import get_current_worker

from station.errors import StationError, device_errors
from station.texts import t
from station.tui.gate import gate
from station.tui.keybar import KeyLine
from station.tui.plain import Plain
from station.tui.table import Table

FORM_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 100; height: auto; max-height: 38; border: thick $primary; background: $surface;
    padding: 0 1; }}
{name} Input {{ width: 1fr; }}
{name} Select {{ width: 1fr; }}
{name} #form-title {{ text-style: bold; }}
{name} #form-message {{ height: auto; }}
{name} DataTable {{ height: auto; max-height: 12; }}
{name} KeyLine {{ height: 1; }}
"""

LOT_FIELDS = ("l-number", "l-date", "l-quantity", "l-records")  # the lot form's boxes after the product, in order


class NewLot(ModalScreen[int | None]):
    """A new lot of a product: number, production date, quantity, production and processing records. Dismissed
    with the new lot's id, or None when dropped."""

    DEFAULT_CSS = FORM_CSS.format(name="NewLot")
    BINDINGS = [Binding("escape", "drop", "tui.close", priority=True)]

    def __init__(self, products: list[tuple[str, int]], product_id: int | None = None) -> None:
        super().__init__()
        self.products = products  # (shown name, product id), as the select lists them
        self.product_id = product_id  # the product chosen at first: that of the lot the clerk was on

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(t("lotform.title"), id="form-title")
            yield Select[int](
                self.products,
                prompt=t("lotform.product"),
                value=self.product_id if self.product_id is not None else Select.NULL,
                id="l-product",
            )
            yield Input(placeholder=t("lotform.number"), id="l-number")
            yield Input(placeholder=t("lotform.date"), id="l-date")
            yield Input(placeholder=t("lotform.quantity"), id="l-quantity")
            yield Input(placeholder=t("lotform.records"), id="l-records")
            yield Plain(t("lotform.hint"))
            yield Plain("", id="form-message")
            yield KeyLine()

    def on_mount(self) -> None:
        first = "#l-number" if self.product_id is not None else "#l-product"
        self.query_one(first).focus()

    def action_drop(self) -> None:
        self.dismiss(None)

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL:
            self.query_one("#l-number", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id != LOT_FIELDS[-1]:
            self.focus_next()
            return
        product = self.query_one("#l-product", Select).value
        if not isinstance(product, int):
            self.say(t("lotform.no_product"))
            self.query_one("#l-product", Select).focus()
            return
        if gate(self).allowed("lots"):
            values = [self.query_one(f"#{name}", Input).value for name in LOT_FIELDS]
            records = [r.strip() for r in values[3].replace("；", ";").split(";") if r.strip()]
            self.save(product, values[0], values[1], values[2], records)

    @work(thread=True, exclusive=True, group="change")
    def save(self, product_id: int, number: str, production_date: str, quantity: str, records: list[str]) -> None:
        from station.lots import add_lot

        app: Any = self.app
        with app.open_home(signed=True) as home:
            try:
                lot_id: int | None = add_lot(
                    home.ledger, product_id, number, production_date.strip(), quantity, records
                )
                error = None
            except StationError as err:
                lot_id, error = None, err.message
        self.app.call_from_thread(self.saved, lot_id, error)

    def saved(self, lot_id: int | None, error: str | None) -> None:
        if lot_id is not None:
            self.dismiss(lot_id)
        else:
            self.say(error or "")

    def say(self, message: str) -> None:
        box = self.query_one("#form-message", Static)
        box.update(message)
        box.set_classes("bad")
        self.app.bell()


class BindRolls(ModalScreen[int]):
    """Binding rolls to one lot: each roll header scanned (by the configured serial scanner, a keyboard-wedge
    scanner typing into the scan box, or typed) binds that roll's handed-over codes to the lot at once. Dismissed
    with how many codes were bound while it was open."""

    DEFAULT_CSS = FORM_CSS.format(name="BindRolls")
    BINDINGS = [
        Binding("escape", "close", "tui.close", priority=True),
        Binding("ctrl+n", "virtual_scan", "tui.virtual_scan_bind"),  # not a letter: the scan box has the focus
    ]

    def __init__(self, lot_id: int, number: str, product: str) -> None:
        super().__init__()
        self.lot_id, self.number, self.product = lot_id, number, product
        self.bound = 0
        self.listening = True  # the scanner is read while the box is open

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(t("bind.title", number=self.number, product=self.product), id="form-title")
            yield Plain(t("bind.scan_hint"))
            yield Input(placeholder=t("tui.roll"), id="scan")
            yield Plain("", id="scanner")
            yield Plain("", id="form-message", classes="panel")
            yield Table(id="bound")
            yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#bound", DataTable).add_columns(t("tui.roll"), t("cli.col.count"))
        self.query_one("#scan", Input).focus()

    def on_screen_resume(self) -> None:
        """Shown (again): the scanner is read for this box."""
        self.listening = True
        self.start_listening()

    def on_screen_suspend(self) -> None:
        """Another screen is shown over or instead of this box (a function key): the scanner is left to it."""
        self.listening = False

    @work(thread=True, exclusive=True, group="scanner-uri")
    def start_listening(self) -> None:
        app: Any = self.app
        with app.open_home() as home:
            uri = home.config.pickup.scanner
        if uri:
            self.app.call_from_thread(self.listen, uri)

    @work(thread=True, exclusive=True, group="scanner")
    def listen(self, uri: str) -> None:
        """Read the serial scanner while the box is open; each scan is taken as if typed into the scan box."""
        from drivers.scanners import open_scanner

        worker = get_current_worker()
        try:
            with device_errors(), open_scanner(uri) as scanner:
                self.app.call_from_thread(self.scanner_state, t("dev.scanner_ok", uri=uri), True)
                while self.listening and not worker.is_cancelled:
                    found = scanner.read(0.2)
                    if found is not None and self.listening:
                        self.app.call_from_thread(self.bind, found.text)
        except StationError as err:  # no serial scanner: a keyboard-wedge scanner or typing still works
            if self.listening:
                self.app.call_from_thread(self.scanner_state, err.message + " — " + t("tui.type_instead"), False)

    def scanner_state(self, text: str, ok: bool) -> None:
        line = self.query_one("#scanner", Static)
        line.update(text)
        line.set_classes("ok" if ok else "bad")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text, event.input.value = event.value, ""
        if text.strip():
            self.bind(text)

    def bind(self, text: str) -> None:
        if gate(self).allowed("lots"):
            self.bind_roll(text)

    @work(thread=True, exclusive=False, group="bind")
    def bind_roll(self, text: str) -> None:
        from station.lots import bind_codes
        from station.roll_ids import scan_target

        kind, roll = scan_target(text)
        if kind != "roll":
            self.app.call_from_thread(self.said, False, t("bind.scan_header"), None, 0)
            return
        app: Any = self.app
        with app.open_home(signed=True) as home:
            try:
                n = bind_codes(home, self.lot_id, roll)
                self.app.call_from_thread(
                    self.said, True, t("bind.roll_done", roll=roll, n=n, number=self.number), roll, n
                )
            except StationError as err:
                self.app.call_from_thread(self.said, False, err.message, None, 0)

    def said(self, ok: bool, message: str, roll: str | None, n: int) -> None:
        box = self.query_one("#form-message", Static)
        box.update(("✔ " if ok else "✘ ") + message)
        box.set_classes("panel ok" if ok else "panel bad")
        if not ok:
            self.app.bell()
        if roll is not None:
            self.bound += n
            self.query_one("#bound", DataTable).add_row(roll, str(n))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "virtual_scan":  # only where there is a virtual scanner (the demo)
            return getattr(self.app, "virtual_scanner", None) is not None
        return True

    @work(thread=True, exclusive=True, group="virtual-scan")
    def action_virtual_scan(self) -> None:
        """The demo's virtual scanner scans the header of a roll handed over with codes this lot may take: real
        bytes over its pty, as pointing a scanner at the roll would."""
        from station.ledger import State

        app: Any = self.app
        with app.open_home() as home:
            ledger = home.ledger
            lot = ledger.lot(self.lot_id)
            orders = [
                o["id"]
                for o in ledger.orders()
                if (o["enterprise_id"], o["product_id"]) == (lot["enterprise_id"], lot["product_id"])
            ]
            waiting = [
                roll["id"]
                for order in orders
                for roll in ledger.rolls(order)
                if ledger.roll_pickup(roll["id"]) is not None
                and any(state is State.DISTRIBUTED for _, _, state in roll["labels"])
            ]
        if waiting:
            app.virtual_scanner.scan(waiting[0])
        else:
            self.app.call_from_thread(self.said, False, t("bind.no_rolls_left"), None, 0)

    def action_close(self) -> None:
        self.listening = False
        self.dismiss(self.bound)
