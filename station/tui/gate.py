"""What a screen asks the station app: may the signed-in operator do this?"""

from __future__ import annotations

from typing import Protocol, cast

from textual.widget import Widget


class Gate(Protocol):
    def allowed(self, action: str) -> bool:
        """True when the signed-in role may do ``action``; otherwise the app says so and rings the bell."""
        ...


def gate(widget: Widget) -> Gate:
    """The station app behind a screen, as the gate to its actions."""
    return cast(Gate, widget.app)
