"""The station's tables: Textual's DataTable, with a header that follows its columns and cells shown as text.

DataTable reads a string cell as Rich markup: a name or report holding "[/bold]x [red" would stop the app with a
markup error, and "[link=…]" would become a link. Every string put in a cell here is shown as it is, as plain text.

DataTable measures new rows when it is next idle and widens its columns then, but a header drawn in between
stays cached at the old widths: the clerk sees a narrow header over wide rows until something else redraws it
(a screen that loads twice, as the dashboard does when it is shown and resumed, hits this often). After each
measuring this table drops its drawn lines, so the header is drawn again at the new widths.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from textual import events
from textual.widgets import DataTable


def plain(cell: Any) -> Any:
    """A cell shown as the text it is: markup in a string is escaped, so DataTable shows it literally."""
    return escape(cell) if isinstance(cell, str) else cell


class Table(DataTable[Any]):
    def add_row(self, *cells: Any, height: int | None = 1, key: Any = None, label: Any = None) -> Any:
        return super().add_row(*(plain(c) for c in cells), height=height, key=key, label=label)

    def update_cell(self, row_key: Any, column_key: Any, value: Any, *, update_width: bool = False) -> None:
        super().update_cell(row_key, column_key, plain(value), update_width=update_width)

    def update_cell_at(self, coordinate: Any, value: Any, *, update_width: bool = False) -> None:
        super().update_cell_at(coordinate, plain(value), update_width=update_width)

    async def _on_idle(self, event: events.Idle) -> None:
        measuring = bool(getattr(self, "_require_update_dimensions", False) or getattr(self, "_updated_cells", None))
        await super()._on_idle(event)
        drop = getattr(self, "_clear_caches", None)
        if measuring and drop is not None:
            drop()
            self.refresh()
