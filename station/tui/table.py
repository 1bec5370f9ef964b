"""The station's tables: Textual's DataTable, with a header that follows its columns.

DataTable measures new rows when it is next idle and widens its columns then, but a header drawn in between
stays cached at the old widths: the clerk sees a narrow header over wide rows until something else redraws it
(a screen that loads twice, as the dashboard does when it is shown and resumed, hits this often). After each
measuring this table drops its drawn lines, so the header is drawn again at the new widths.
"""

from __future__ import annotations

from textual import events
from textual.widgets import DataTable


class Table(DataTable[str]):
    async def _on_idle(self, event: events.Idle) -> None:
        measuring = bool(getattr(self, "_require_update_dimensions", False) or getattr(self, "_updated_cells", None))
        await super()._on_idle(event)
        drop = getattr(self, "_clear_caches", None)
        if measuring and drop is not None:
            drop()
            self.refresh()
