"""The app's lots screen: record a lot's inspection, release it (合格产品准出) or recall it."""

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
    """Every lot: inspection passed (p) or failed (f), release (e), recall (c, with a reason); release and recall
    after a confirmation. (r refreshes on other screens, so it changes nothing here.)"""

    BINDINGS = [
        Binding("p", "change('pass')", "laction.pass"),
        Binding("f", "change('fail')", "laction.fail"),
        Binding("e", "change('release')", "laction.release"),
        Binding("c", "change('recall')", "laction.recall"),
    ]

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.lots"), id="title")
        yield Table(id="list", cursor_type="row")
        yield Input(placeholder=t("tui.lot_note"), id="note")
        yield Plain("", id="message", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#list", DataTable).add_columns(
            t("cli.col.id"), t("cli.col.product"), t("cli.col.lot"), t("cli.col.production_date"), t("cli.col.status")
        )

    def on_screen_resume(self) -> None:
        self.load()  # lots added, inspected, released or recalled meanwhile, here or anywhere

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        app: Any = self.app
        with app.open_home() as home:
            rows = self._read(home)
        self.app.call_from_thread(self.show, rows)

    def _read(self, home: Home) -> list[dict[str, Any]]:
        """Lots with their product's name."""
        ledger = home.ledger
        names = {p["id"]: p["name"] for p in ledger.products()}
        return [{**lot, "product": names.get(lot["product_id"], "")} for lot in ledger.lots()]

    def show(self, rows: list[dict[str, Any]]) -> None:
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
        table.move_cursor(row=max(0, min(row, table.row_count - 1)))

    def action_change(self, action: str) -> None:
        lot_id = self._selected()
        if lot_id is None or not gate(self).allowed("lots"):
            return
        note = self.query_one("#note", Input).value
        if action not in ("release", "recall"):
            self.change(lot_id, action, note)
            return
        if action == "recall" and not note.strip():  # refused before asking: the question would be for nothing
            self.changed(t("enterprise.reason_needed"), None)
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
