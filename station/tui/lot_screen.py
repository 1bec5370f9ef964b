"""The app's lots screen: record a lot with its production records, its inspection, release it (合格产品准出),
bind rolls to it by scanning their headers (赋码), or recall it."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Input, Static

from station.errors import StationError
from station.home import Home
from station.texts import t
from station.tui.confirm import Confirm
from station.tui.gate import gate
from station.tui.keybar import KeyBar
from station.tui.list_screen import ListScreen
from station.tui.plain import Plain
from station.tui.table import Table


def lot_status(lot: dict[str, Any]) -> str:
    """One line for where a lot stands: inspection, release, recall."""
    parts = [t("lstatus." + (lot["inspection"] or "none"))]
    if lot["released"]:
        parts.append(t("lstatus.released"))
    if lot["recalled"]:
        parts.append(t("lstatus.recalled", reason=lot["recall_reason"] or ""))
    return " · ".join(parts)


class Lots(ListScreen):
    """Every lot: a new one (n); inspection passed (p) or failed (f); release (e); bind rolls by scanning their
    headers (k); recall (c, with a reason); release and recall after a confirmation. (r refreshes on other
    screens, so it changes nothing here.)"""

    BINDINGS = [
        Binding("n", "new_lot", "tui.new_lot"),
        Binding("p", "change('pass')", "laction.pass"),
        Binding("f", "change('fail')", "laction.fail"),
        Binding("e", "change('release')", "laction.release"),
        Binding("k", "bind", "tui.bind"),
        Binding("c", "change('recall')", "laction.recall"),
        Binding("h", "certificates", "tui.certificates"),
    ]

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.lots"), id="title")
        yield Table(id="list", cursor_type="row")
        yield Input(placeholder=t("tui.lot_note"), id="note")
        yield Plain("", id="message", classes="panel")
        yield Plain("", id="details")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#list", DataTable).add_columns(
            t("cli.col.id"), t("cli.col.product"), t("cli.col.lot"), t("cli.col.production_date"), t("cli.col.status")
        )
        self.rows: list[dict[str, Any]] = getattr(self, "rows", [])
        self.select_after_load: int | None = getattr(self, "select_after_load", None)  # a lot just recorded

    def on_screen_resume(self) -> None:
        self.load()  # lots added, inspected, released or recalled meanwhile, here or anywhere

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        app: Any = self.app
        with app.open_home() as home:
            rows = self._read(home)
        self.app.call_from_thread(self.show, rows)

    def _read(self, home: Home) -> list[dict[str, Any]]:
        """Lots with their product's name and how many codes were bound to each (recalled ones too)."""
        ledger = home.ledger
        names = {p["id"]: p["name"] for p in ledger.products()}
        bound = ledger.lot_code_counts()
        return [
            {**lot, "product": names.get(lot["product_id"], ""), "bound": bound.get(lot["id"], 0)}
            for lot in ledger.lots()
        ]

    def show(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        table = self.query_one("#list", DataTable)
        row = table.cursor_row  # the same row stays selected after a change
        table.clear()
        for lot in rows:
            table.add_row(
                str(lot["id"]),
                lot["product"],
                lot["number"],
                lot["production_date"],
                lot_status(lot),
                key=str(lot["id"]),
            )
        new = self.select_after_load  # a lot just recorded: its row
        found = next((i for i, lot in enumerate(rows) if lot["id"] == new), None)
        if found is not None:
            row, self.select_after_load = found, None
            self.query_one("#message", Static).update(t("lot.added", id=new, number=rows[found]["number"]))
        table.move_cursor(row=max(0, min(row, table.row_count - 1)))
        self._show_details()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_details()

    def _show_details(self) -> None:
        """The selected lot's quantity, records, inspection report and how many codes are bound to it."""
        lot_id = self._selected()
        lot = next((x for x in self.rows if x["id"] == lot_id), None)
        details = self.query_one("#details", Static)
        if lot is None:
            details.update("")
            return
        details.update(
            t(
                "lot.details",
                quantity=lot["quantity"] or "-",
                records="；".join(lot["records"]) or "-",
                report=lot["inspection_report"] or "-",
                bound=lot["bound"],
            )
        )

    def action_new_lot(self) -> None:
        """The form for a new lot, on the product of the lot under the cursor."""
        if gate(self).allowed("lots"):
            lot_id = self._selected()
            self.open_lot_form(next((x["product_id"] for x in self.rows if x["id"] == lot_id), None))

    @work(thread=True, exclusive=True, group="form")
    def open_lot_form(self, current: int | None) -> None:
        """The lot form over this screen, listing every product with its enterprise; ``current`` chosen first."""
        from station.tui.lot_forms import NewLot

        app: Any = self.app
        with app.open_home() as home:
            enterprises = {e["id"]: e["name"] for e in home.ledger.enterprises()}
            products = [
                (
                    t("lotform.product_of", product=p["name"], enterprise=enterprises.get(p["enterprise_id"], "")),
                    p["id"],
                )
                for p in home.ledger.products()
            ]

        def recorded(new: int | None) -> None:
            if new is None:
                self.query_one("#message", Static).update(t("confirm.cancelled"))
                return
            self.select_after_load = new
            self.load()
            self.tell_app()

        self.app.call_from_thread(self.app.push_screen, NewLot(products, current), recorded)

    def action_bind(self) -> None:
        """Bind rolls to the selected lot by scanning their headers."""
        from station.tui.lot_forms import BindRolls

        lot_id = self._selected()
        if lot_id is None or not gate(self).allowed("lots"):
            return
        lot = next(x for x in self.rows if x["id"] == lot_id)

        def closed(bound: int | None) -> None:
            if bound:
                self.load()
                self.tell_app()

        self.app.push_screen(BindRolls(lot_id, lot["number"], lot["product"]), closed)

    def action_certificates(self) -> None:
        """Print 承诺达标合格证 for the selected lot (the box asks how many, then asks again before printing)."""
        from station.tui.certificate_screen import open_certificates

        lot_id = self._selected()
        if lot_id is None or not gate(self).allowed("lots"):
            return
        open_certificates(self, lot_id)

    def action_change(self, action: str) -> None:
        lot_id = self._selected()
        if lot_id is None or not gate(self).allowed("lots"):
            return
        note = self.query_one("#note", Input).value
        if action not in ("release", "recall"):
            self.change(lot_id, action, note)
            return
        if action == "recall" and not note.strip():  # refused before asking: the question would be for nothing
            self.changed(t("tui.reason_needed"), None)
            return
        table = self.query_one("#list", DataTable)
        _id, product, number, *_rest = table.get_row(str(lot_id))
        question = t("confirm." + action, number=number, product=product, reason=note.strip())

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(lot_id, action, note)
            else:
                self.query_one("#message", Static).update(t("confirm.cancelled"))

        self.app.push_screen(Confirm(question), answered)

    @work(thread=True, exclusive=True, group="change")
    def change(self, lot_id: int, action: str, note: str) -> None:
        from station.lots import inspect_lot, recall_lot, release_lot

        app: Any = self.app
        rows: list[dict[str, Any]] | None = None
        with app.open_home(signed=True) as home:
            try:
                if action == "release":
                    release_lot(home.ledger, lot_id)
                    message = t("lot.updated", id=lot_id, what=t("laction.release"))
                elif action == "recall":
                    n = recall_lot(home, lot_id, note)
                    message = t("lot.recalled_codes", id=lot_id, count=n)
                else:
                    inspect_lot(home.ledger, lot_id, action, note)
                    message = t("lot.updated", id=lot_id, what=t("laction." + action))
                rows = self._read(home)
            except StationError as err:
                message = err.message
        self.app.call_from_thread(self.changed, message, rows)
        if rows is not None:
            self.app.call_from_thread(self.tell_app)
