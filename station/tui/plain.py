"""Panels that show text as it is.

Textual's Static reads a string as markup: a name, reason or consumer report holding "[/bold]" would stop the app
with a markup error, and "[link=…]" would become a link. The station's panels show names, reasons and reports
from outside, so none of them reads markup (the key line, which styles its keys, is the one that does).
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Static


class Plain(Static):
    """A Static whose strings are shown as they are, never read as markup."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        super().__init__(content, markup=False, **kwargs)
