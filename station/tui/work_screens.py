"""The app's print-run and pickup screens: the office's two long jobs."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Input, ProgressBar, Static
from textual.worker import get_current_worker

from station.errors import StationError, device_errors
from station.home import Home
from station.texts import t
from station.tui.gate import gate
from station.tui.keybar import KeyBar
from station.tui.picture import LabelPreview, Picture
from station.tui.plain import Plain
from station.tui.table import Table

if TYPE_CHECKING:
    from station.pickup import ScanOutcome


def _nothing(_source: Screen[None]) -> None:
    """Where the app does not follow changes: nothing to tell."""


PICTURE_INTERVAL_S = 0.5  # at most two drawings a second of good labels; every reject is drawn


class RunScreen(Screen[None]):
    """Print an order: roll k of n, verified, rejects, this start's rate and one time left (from the run's report),
    the last label's grade, rejects, line stops, rolls ready to hand over; s stops."""

    BINDINGS = [Binding("s", "stop", "tui.stop")]

    def __init__(self) -> None:
        super().__init__()
        self.run: Any = None
        self._drawn_at = 0.0

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.run"), id="title")
        yield Table(id="orders", cursor_type="row")
        yield Input(placeholder=t("tui.order_id"), id="order", type="integer")
        # a set total: no animation before the run; no ETA of its own: the one time left is the run's, in #status
        yield ProgressBar(id="progress", total=1, show_eta=False)
        yield Plain("", id="status", classes="panel")
        with Horizontal(id="pictures"):
            yield Picture(id="label-pic", classes="picture")
            yield Picture(id="frame-pic", classes="picture")
            yield Plain("", id="last", classes="panel")
        yield Table(id="rejects")
        yield LabelPreview(id="preview", hide_while=lambda: self.run is not None)
        yield KeyBar()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "orders" and event.cursor_row < event.data_table.row_count:
            self.query_one(LabelPreview).show_order(int(event.data_table.get_row_at(event.cursor_row)[0]))

    def on_mount(self) -> None:
        self.query_one("#rejects", DataTable).add_columns(t("tui.roll"), "#", t("cli.lookup.code"), t("tui.why"))
        self.query_one("#orders", DataTable).add_columns(
            t("tui.order_no"), t("cli.col.enterprise"), t("cli.col.product"), t("cli.col.count"), t("tui.to_print")
        )
        self.query_one("#orders", DataTable).focus()  # the orders are read each time the screen is shown

    @work(thread=True, exclusive=True, group="orders")
    def load_orders(self) -> None:
        """Orders with codes still to print, newest first: Enter on one starts its run."""
        from station.ledger import State

        app: Any = self.app
        with app.open_home() as home:
            ledger = home.ledger
            rows = []
            for order in reversed(ledger.orders()):
                waiting = ledger.order_state_counts(order["id"]).get(State.ISSUED, 0)
                if waiting:
                    enterprise = ledger.enterprise(order["enterprise_id"])["name"]
                    product = ledger.product(order["product_id"])["name"]
                    rows.append((order["id"], enterprise, product, order["count"], waiting))
        self.app.call_from_thread(self.show_orders, rows)

    def on_screen_resume(self) -> None:
        if self.run is None:
            self.load_orders()  # orders issued meanwhile

    def show_orders(self, rows: list[tuple[Any, ...]]) -> None:
        table = self.query_one("#orders", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*(str(v) for v in row))
        if not rows:
            self.query_one("#order", Input).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "orders" and self.run is None:
            order_id = int(event.data_table.get_row_at(event.cursor_row)[0])
            self.query_one("#order", Input).value = str(order_id)
            self.start(order_id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.value.strip() and self.run is None:
            self.start(int(event.value))

    def action_stop(self) -> None:
        if self.run is not None:
            self.run.stop()
            self.query_one("#status", Static).update(t("tui.stopping"))

    @work(thread=True, exclusive=True)
    def start(self, order_id: int) -> None:
        from station.run_setup import open_run, run_options

        app: Any = self.app
        home = Home.open(app.home_path, operator=app.operator)
        try:
            options = run_options(home.config, order_id)
            with app.printer_turn(5.0), device_errors():  # a test print or a status check finishes first
                app.camera_in_use = True
                try:
                    with open_run(home, options, on_update=self.progress, on_warning=self.warn) as run:
                        self.run = run
                        report = run.execute()
                finally:
                    app.camera_in_use = False
            self.app.call_from_thread(self.update, report, report.status)
        except StationError as err:
            self.app.call_from_thread(self.failed, err.message)
        finally:
            self.run = None
            home.close()
            self.app.call_from_thread(self.load_orders)
            self.app.call_from_thread(getattr(self.app, "data_changed", _nothing), self)

    def warn(self, text: str) -> None:
        """From the run's thread: what the run goes ahead with all the same (an http address), until dismissed."""
        self.app.call_from_thread(self.app.notify, text, severity="warning", timeout=60, markup=False)

    def progress(self, report: Any, what: str) -> None:
        """From the run's thread: draw the last label and its camera frame here, then hand over to the screen."""
        pictures = None
        now = time.monotonic()
        if (
            what in ("verified", "rejected")
            and report.last_reference is not None
            and (what == "rejected" or now - self._drawn_at >= PICTURE_INTERVAL_S)
        ):
            from station.qc import label_and_frame

            self._drawn_at = now
            pictures = label_and_frame(report.last_reference, report.last)
        self.app.call_from_thread(self.update, report, what, pictures)

    def update(self, report: Any, what: str, pictures: tuple[Any, Any] | None = None) -> None:
        """Show the run's progress; with ``pictures`` (the label as rendered, the camera's view of it or None),
        draw the last label beside its grades."""
        bar = self.query_one("#progress", ProgressBar)
        bar.update(total=report.target, progress=report.verified)
        status = report.progress()
        if report.closed_rolls:
            status += "\n" + t("run.roll_ready", roll=report.closed_rolls[-1], rolls=len(report.closed_rolls))
        if report.reason:
            status += "\n" + t("run.paused" if report.status == "paused" else "run.waiting", reason=report.reason)
        if report.lines:  # several lines print the order: each one's own state
            from station.lines import line_text

            status += "\n" + "\n".join(line_text(line) for line in report.lines)
        if what in ("done", "stopped", "paused"):
            status += "\n" + report.summary()
        widget = self.query_one("#status", Static)
        widget.update(status)
        widget.set_classes("panel bad" if report.reason else "panel ok")
        last = report.last
        if pictures is not None and last is not None:
            self.query_one("#label-pic", Picture).show(pictures[0])
            frame = self.query_one("#frame-pic", Picture)
            frame.show(pictures[1])
            frame.border_title = t("tui.no_picture") if pictures[1] is None else None
            verdict = t("tui.pass") if last.passed else t("tui.fail") + "\n" + last.reason_text()
            grades = "  ".join(f"{t('param.' + name)} {grade}" for name, (_value, grade) in last.parameters.items())
            self.query_one("#last", Static).update(
                f"{t('tui.grade')} {last.letter} {last.grade:.1f}  {verdict}\n{grades}\n{last.payload or ''}"
            )
            self.query_one("#last", Static).set_classes("panel ok" if last.passed else "panel bad")
        if what == "rejected" and report.rejected:
            r = report.rejected[-1]
            self.query_one("#rejects", DataTable).add_row(r.roll, str(r.position), r.code, r.reason)
            self.app.bell()

    def failed(self, message: str) -> None:
        self.query_one("#status", Static).update(message)
        self.query_one("#status", Static).set_classes("panel bad")
        self.app.bell()


class PickupScreen(Screen[None]):
    """Pickup at the counter: enterprise and receiver, then each roll header scanned — by the configured serial
    scanner, or a keyboard-wedge scanner typing into the scan field; Enter on an empty scan hands the rolls over
    and prints the slip. In the demo, Ctrl+N makes the virtual scanner scan the next roll."""

    BINDINGS = [Binding("ctrl+n", "virtual_scan", "tui.virtual_scan")]  # not a letter: the scan field has focus

    def __init__(self) -> None:
        super().__init__()
        self.session: Any = None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "virtual_scan":  # only where there is a virtual scanner (the demo), and when typing is done
            return getattr(self.app, "virtual_scanner", None) is not None
        return True

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.pickup"), id="title")
        yield Table(id="waiting", cursor_type="row")
        with Vertical(classes="panel"):
            yield Input(placeholder=t("tui.enterprise_id"), id="enterprise", type="integer")
            yield Input(placeholder=t("tui.receiver"), id="receiver")
            yield Input(placeholder=t("pickup.finish_hint"), id="scan")
        yield Plain("", id="scanner")
        yield Plain("", id="feedback", classes="panel")
        yield Table(id="rolls")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#rolls", DataTable).add_columns(t("tui.roll"), t("cli.col.count"))
        self.query_one("#waiting", DataTable).add_columns(
            t("tui.enterprise_id"), t("cli.col.enterprise"), t("tui.rolls_waiting")
        )
        self.query_one("#waiting", DataTable).focus()  # read each time the screen is shown

    @work(thread=True, exclusive=True, group="waiting")
    def load_waiting(self) -> None:
        """Enterprises with finished rolls not yet collected: Enter on one fills in the enterprise."""
        from station.pickup import rolls_to_collect

        app: Any = self.app
        with app.open_home() as home:
            rows = []
            for e in home.ledger.enterprises():
                waiting = rolls_to_collect(home, e["id"]) if e["status"] == "approved" else []
                if waiting:
                    rows.append((e["id"], e["name"], len(waiting)))
        self.app.call_from_thread(self.show_waiting, rows)

    def on_screen_resume(self) -> None:
        if self.session is None:
            self.load_waiting()  # rolls finished meanwhile

    def show_waiting(self, rows: list[tuple[Any, ...]]) -> None:
        table = self.query_one("#waiting", DataTable)
        table.clear()
        for row in rows:
            table.add_row(*(str(v) for v in row))
        if not rows:
            self.query_one("#enterprise", Input).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "waiting" and self.session is None:
            self.query_one("#enterprise", Input).value = str(event.data_table.get_row_at(event.cursor_row)[0])
            self.query_one("#receiver", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "enterprise":
            self.query_one("#receiver", Input).focus()
        elif event.input.id == "receiver":
            self.begin(int(self.query_one("#enterprise", Input).value or 0), event.value)
        elif self.session is not None:
            text, event.input.value = event.value, ""
            if text.strip():
                self.scan(text)
            else:
                self.finish()

    @work(thread=True, exclusive=True)
    def begin(self, enterprise_id: int, receiver: str) -> None:
        from station.pickup import PickupSession

        if not self.app.call_from_thread(gate(self).allowed, "pickup"):
            return
        app: Any = self.app
        with app.open_home(signed=True) as home:
            try:
                self.session = PickupSession(home, enterprise_id, receiver)
                self.app.call_from_thread(self.say, True, self.session.enterprise_name)
                self.app.call_from_thread(self.query_one("#scan", Input).focus)
                self.app.call_from_thread(self.listen, home.config.pickup.scanner)
            except StationError as err:
                self.app.call_from_thread(self.say, False, err.message)

    @work(thread=True, exclusive=True, group="scanner")
    def listen(self, uri: str) -> None:
        """Read the serial scanner while the pickup lasts; each scan is judged as if typed into the scan field."""
        from drivers.scanners import open_scanner

        if not uri:
            return
        worker = get_current_worker()
        try:
            with device_errors(), open_scanner(uri) as scanner:
                self.app.call_from_thread(self.scanner_state, t("dev.scanner_ok", uri=uri), True)
                while self.session is not None and not worker.is_cancelled:
                    found = scanner.read(0.2)
                    if found is not None:
                        self.app.call_from_thread(self.scan, found.text)
        except StationError as err:  # no serial scanner: a keyboard-wedge scanner or typing still works
            self.app.call_from_thread(self.scanner_state, err.message + " — " + t("tui.type_instead"), False)
            return
        self.app.call_from_thread(self.scanner_state, "", True)

    def scanner_state(self, text: str, ok: bool) -> None:
        line = self.query_one("#scanner", Static)
        line.update(text)
        line.set_classes("ok" if ok else "bad")

    def action_virtual_scan(self) -> None:
        if self.session is not None:
            self.virtual_scan(self.session.enterprise_id, list(self.session.rolls))

    @work(thread=True, exclusive=True, group="virtual-scan")
    def virtual_scan(self, enterprise_id: int, taken: list[str]) -> None:
        """The demo's virtual scanner scans the next roll this enterprise may collect: real bytes over its pty."""
        from station.pickup import rolls_to_collect

        app: Any = self.app
        with app.open_home() as home:
            waiting = [r for r in rolls_to_collect(home, enterprise_id) if r not in taken]
        if waiting:
            app.virtual_scanner.scan(waiting[0])
        else:
            self.app.call_from_thread(self.say, False, t("pickup.no_rolls_left"))

    @work(thread=True, exclusive=False)
    def scan(self, text: str) -> None:
        app: Any = self.app
        with app.open_home(signed=True) as home:
            self.session.home = home  # the ledger is used from this thread only
            outcome = self.session.scan(text)
        self.app.call_from_thread(self.say, outcome.ok, outcome.message, outcome)

    @work(thread=True, exclusive=True)
    def finish(self) -> None:
        from station.pickup import finish_pickup

        app: Any = self.app
        with app.open_home(signed=True) as home:
            try:
                self.session.home = home
                done = finish_pickup(self.session, home.config.pickup.slip_printer)
                if done.slip_error is not None:  # the pickup is recorded; only the paper slip is missing
                    self.app.call_from_thread(self.app.notify, done.slip_error.message, severity="error")
                message, ok = done.summary(), done.pickup_id is not None
            except StationError as err:
                message, ok = err.message, False
        self.session = None
        self.app.call_from_thread(self.say, ok, message)
        self.app.call_from_thread(self.load_waiting)
        self.app.call_from_thread(getattr(self.app, "data_changed", _nothing), self)

    def say(self, ok: bool, message: str, outcome: ScanOutcome | None = None) -> None:
        feedback = self.query_one("#feedback", Static)
        feedback.update(("✔ " if ok else "✘ ") + message)
        feedback.set_classes("panel ok" if ok else "panel bad")
        if not ok:
            self.app.bell()
        if outcome is not None and outcome.roll is not None:
            count = "" if outcome.labels is None else t("tui.roll_count", n=outcome.labels, rolls=outcome.accepted)
            self.query_one("#rolls", DataTable).add_row(outcome.roll, count)
        self.last_said = (ok, message, time.monotonic())
