"""A screen built around one list of records (#list) that its keys change, with a message line (#message)."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import DataTable, Input, Static


class ListScreen(Screen[None]):
    """The row under the cursor, and the answer to a change: the message, then the list again or a bell."""

    def show(self, rows: list[dict[str, Any]]) -> None:
        raise NotImplementedError

    def _selected(self) -> int | None:
        table = self.query_one("#list", DataTable)
        if table.row_count == 0:
            return None
        return int(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value or 0)

    def tell_app(self) -> None:
        """Tell the app a change was recorded here, for the screen shown to read its lists again."""
        changed = getattr(self.app, "data_changed", None)
        if changed is not None:
            changed(self)

    def changed(self, message: str, rows: list[dict[str, Any]] | None) -> None:
        self.query_one("#message", Static).update(message)
        if rows is None:
            self.app.bell()
            return
        self.show(rows)
        for field in self.query(Input):  # a reason or report belongs to the change just made
            field.value = ""
