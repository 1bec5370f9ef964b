"""Switching the app's language in place (F12): each screen is composed again in the new language and keeps what
the clerk had there — the text typed in each box, each table's rows, the row under the cursor and the focus.

A screen's words are written when it is composed and when it fills its tables (``on_mount``), so the screen is
composed again, its ``on_mount`` run again (the columns, in the new language), and the rows it had put back; a
screen that reads its data when shown reads it again (``on_screen_resume``), now in the new language (the lookup
screen answers its code again). A screen may also define ``relabelled()`` to redraw what it showed last.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any

from textual.screen import Screen
from textual.widgets import DataTable, Input


@dataclass
class _Kept:
    inputs: dict[str, str] = field(default_factory=dict)
    tables: dict[str, tuple[list[tuple[Any, list[Any]]], int]] = field(default_factory=dict)
    focused: str | None = None


def _keep(screen: Screen[Any]) -> _Kept:
    kept = _Kept()
    for box in screen.query(Input):
        if box.id:
            kept.inputs[box.id] = box.value
    for table in screen.query(DataTable):
        if table.id:
            rows = [(key.value, list(table.get_row(key))) for key in table.rows]
            kept.tables[table.id] = (rows, table.cursor_row)
    focused = screen.focused
    kept.focused = focused.id if focused is not None else None
    return kept


def _put_back(screen: Screen[Any], kept: _Kept) -> None:
    for box in screen.query(Input):
        if box.id in kept.inputs:
            box.value = kept.inputs[box.id]
    for table in screen.query(DataTable):
        if table.id in kept.tables and table.row_count == 0:
            rows, cursor = kept.tables[table.id]
            for key, cells in rows:
                table.add_row(*cells, key=key)
            if rows:
                table.move_cursor(row=min(cursor, len(rows) - 1))


def _refocus(screen: Screen[Any], kept: _Kept) -> None:
    if kept.focused:
        found = screen.query(f"#{kept.focused}")
        if found:
            found.first().focus()


async def relabel(screen: Screen[Any], shown: bool) -> None:
    """Compose ``screen`` again in the current language, keeping what the clerk had there."""
    kept = _keep(screen)
    await screen.recompose()
    await _call(screen, "on_mount")
    _put_back(screen, kept)
    if shown:
        await _call(screen, "on_screen_resume")
        await _call(screen, "relabelled")
    _refocus(screen, kept)  # last: showing a screen focuses its first list


async def _call(screen: Screen[Any], name: str) -> None:
    """The screen's handler ``name``, if it has one, awaited when it is a coroutine."""
    handler = getattr(screen, name, None)
    if handler is not None:
        result = handler()
        if inspect.isawaitable(result):
            await result
