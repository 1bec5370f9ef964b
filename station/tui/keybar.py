"""The bottom of every screen: a line of the function keys that open screens, then the screen's own keys.

One line cannot hold both in 120 columns, so the function keys get a line of their own; the app's bindings are
made from the same list, so the line and the keys never disagree.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from station.texts import t

SCREEN_KEYS = (
    ("f1", "dashboard"),
    ("f2", "lookup"),
    ("f3", "issue"),
    ("f4", "enterprises"),
    ("f5", "run"),
    ("f6", "pickup"),
    ("f7", "qc"),
    ("f8", "lots"),
    ("f9", "devices"),
    ("f10", "settings"),
    ("f11", "queries"),
)


def screen_bindings() -> list[Binding]:
    """The app's bindings that open screens; the key line shows them, so the footer does not repeat them."""
    return [Binding(key, f"open('{mode}')", t(f"tui.title.{mode}"), show=False) for key, mode in SCREEN_KEYS]


class KeyBar(Vertical):
    """The function-key line above the footer of the screen's own keys."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: auto; }
    KeyBar Footer { dock: none; }
    KeyBar .fkeys { height: 1; background: $panel; color: $text-muted; }
    """

    def __init__(self, screens: bool = True) -> None:
        super().__init__()
        self.screens = screens  # False before sign-in: no screen opens yet

    def compose(self) -> ComposeResult:
        if not self.screens:
            yield Footer(compact=True, show_command_palette=False)
            return
        yield Static(
            " ".join(f"[b]{key.upper()}[/b] {t(f'tui.title.{mode}')}" for key, mode in SCREEN_KEYS)
            + f" [b]F12[/b] {t('tui.language')}",
            classes="fkeys",
        )
        yield Footer(compact=True, show_command_palette=False)
