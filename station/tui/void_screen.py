"""The app's voids and reprints screen (作废与补打, Ctrl+B): cancel an order, void a lost or stolen roll or single
codes, print a roll header or a pickup slip again; each with a reason, each after a question naming the
consequence. Below, the voids and reprints recorded lately, newest first."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input, Static

from station.errors import StationError
from station.home import Home
from station.texts import event_name, from_store, t
from station.tui.confirm import Confirm
from station.tui.gate import gate
from station.tui.keybar import KeyBar
from station.tui.list_screen import ListScreen
from station.tui.plain import Plain
from station.tui.table import Table
from station.zones import shown_time

KINDS = ("roll", "codes", "order", "header", "slip")
RECENT = ("order.cancelled", "roll.voided", "code.void", "roll.header_reprinted", "pickup.slip_reprinted")
RECENT_ROWS = 20
PRINTER_WAIT_S = 1.0  # a print run holds the printer: a reprint waits this long for its turn, then says so


class Voids(ListScreen):
    """Pick what to do (#list), type what it applies to (#target) and the reason (#reason), Enter: the question,
    then the change. The recent voids and reprints (#recent) are read again each time the screen is shown."""

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.voids"), id="title")
        yield Table(id="list", cursor_type="row")
        with Vertical(classes="panel"):
            yield Input(placeholder=t("vtui.target.roll"), id="target")
            yield Input(placeholder=t("vtui.reason"), id="reason")
        yield Plain(t("vtui.hint"), id="message", classes="panel")
        yield Table(id="recent")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#list", DataTable)
        table.add_columns(t("vtui.what"))
        for kind in KINDS:
            table.add_row(t("vtui.kind." + kind), key=kind)
        recent = self.query_one("#recent", DataTable)
        app: Any = self.app
        when = t("tui.time_col", offset=_offset(app))
        recent.add_columns("#", when, t("tui.event"), t("vtui.reason_col"), t("vtui.subject"))
        table.focus()

    def on_screen_resume(self) -> None:
        self.load()

    @property
    def kind(self) -> str:
        """What the clerk picked in the list."""
        table = self.query_one("#list", DataTable)
        return KINDS[max(0, min(table.cursor_row, len(KINDS) - 1))]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "list":
            self.query_one("#target", Input).placeholder = t("vtui.target." + self.kind)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "list":
            self.query_one("#target", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        target, reason = self.query_one("#target", Input), self.query_one("#reason", Input)
        if event.input is target and not reason.value.strip():
            reason.focus()
            return
        if not target.value.strip():
            target.focus()
            return
        if not reason.value.strip():  # refused before asking: the question would be for nothing
            self.changed(t("enterprise.reason_needed"), None)
            reason.focus()
            return
        if gate(self).allowed("void"):
            self.ask(self.kind, target.value, reason.value)

    # --- reading ------------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        app: Any = self.app
        with app.open_home() as home:
            rows = _recent(home)
        self.app.call_from_thread(self.show, rows)

    def show(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#recent", DataTable)
        table.clear()
        for row in rows:
            table.add_row(row["id"], row["at"], row["what"], row["reason"], row["subject"])

    # --- changing -----------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="change")
    def ask(self, kind: str, target: str, reason: str) -> None:
        """The question naming the consequence (or why it is refused), then the change if confirmed."""
        app: Any = self.app
        with app.open_home() as home:
            try:
                question = plan(home, kind, target, reason)
            except StationError as err:
                self.app.call_from_thread(self.changed, err.message, None)
                return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(kind, target, reason)
            else:
                self.query_one("#message", Static).update(t("confirm.cancelled"))

        self.app.call_from_thread(self.app.push_screen, Confirm(question), answered)

    @work(thread=True, exclusive=True, group="change")
    def change(self, kind: str, target: str, reason: str) -> None:
        app: Any = self.app
        rows: list[dict[str, Any]] | None = None
        with app.open_home(signed=True) as home:
            try:
                if kind in ("header", "slip"):
                    with app.printer_turn(PRINTER_WAIT_S):
                        message = do(home, kind, target, reason)
                else:
                    message = do(home, kind, target, reason)
                rows = _recent(home)
            except StationError as err:
                message = err.message
        self.app.call_from_thread(self.changed, message, rows)
        if rows is not None:
            self.app.call_from_thread(app.data_changed, self)


def plan(home: Home, kind: str, target: str, reason: str) -> str:
    """The question before ``kind`` on ``target`` with ``reason``; StationError when it would be refused."""
    from station.reprint import parse_slip, plan_header, plan_slip
    from station.voids import plan_cancel, plan_codes, plan_roll, require_reason, split_codes

    reason = require_reason(reason)
    if kind == "order":
        return plan_cancel(home, _order_id(target)).question(reason)
    if kind == "roll":
        return plan_roll(home, target.strip()).question(reason)
    if kind == "codes":
        return plan_codes(home, split_codes(target)).question(reason)
    if kind == "header":
        plan_header(home, target.strip())
        return t("reprint.confirm.header", roll=target.strip(), reason=reason)
    return t("reprint.confirm.slip", slip=plan_slip(home, parse_slip(target)), reason=reason)


def do(home: Home, kind: str, target: str, reason: str) -> str:
    """Make the change the clerk confirmed; what was done, for the message line."""
    from station.reprint import parse_slip, reprint_header, reprint_slip
    from station.voids import cancel_order, split_codes, void_codes, void_roll

    if kind == "order":
        return cancel_order(home, _order_id(target), reason).summary()
    if kind == "roll":
        return void_roll(home, target.strip(), reason).summary()
    if kind == "codes":
        return void_codes(home, split_codes(target), reason).summary()
    if kind == "header":
        return reprint_header(home, target.strip(), reason).summary()
    return reprint_slip(home, parse_slip(target), reason).summary()


def _order_id(text: str) -> int:
    from station.errors import RegistryError

    value = text.strip()
    if not value.isdigit() or int(value) == 0:
        raise RegistryError("vtui.bad_order", value=value)
    return int(value)


def _offset(app: Any) -> str:
    from station.zones import zone_offset

    return zone_offset(getattr(app, "zone", "Asia/Shanghai"))


def _recent(home: Home) -> list[dict[str, Any]]:
    """The latest voids by the office (a roll once, not each of its codes; not a run's rejects or labels voided in
    flight) and reprints, newest first."""
    zone = home.config.station.timezone
    rows = []
    for event in home.ledger.latest_events(RECENT, RECENT_ROWS * 4):
        data = event["data"]
        if event["kind"] == "code.void" and data.get("void") != "code":  # a run's, or one of a roll's (its row)
            continue
        if event["serial"] is not None:
            from station.codes import group, make_code

            subject = group(make_code(home.key, int(event["serial"])))
        elif "roll" in data:
            subject = str(data["roll"])
        elif "pickup" in data:
            from station.pickup import slip_number

            subject = slip_number(int(data["pickup"]))
        else:
            subject = t("vtui.order_subject", order=event["order_id"], count=data.get("count", 0))
        rows.append(
            {
                "id": str(event["id"]),
                "at": shown_time(event["at"], zone),
                "what": event_name(event["kind"]),
                "reason": from_store(data.get("reason", "")),
                "subject": subject,
            }
        )
        if len(rows) == RECENT_ROWS:
            break
    return rows
