"""The bottom of every screen: a line of the function keys that open screens, then the screen's own keys and who
is signed in.

One line cannot hold both in 120 columns, so the function keys get a line of their own; the app's bindings are
made from the same list, so the line and the keys never disagree.
"""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static

from station.texts import TEXTS, t

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
    return [Binding(key, f"open('{mode}')", f"tui.title.{mode}", show=False) for key, mode in SCREEN_KEYS]


# keys as their caps are printed, where the toolkit's own name for a key differs
KEY_CAPS = {
    "esc": "Esc",
    "escape": "Esc",
    "tab": "Tab",
    "space": "Space",
    "backspace": "Backspace",
    "pgup": "PgUp",
    "pgdn": "PgDn",
    "home": "Home",
    "end": "End",
    "delete": "Del",
    "insert": "Ins",
}


def key_cap(display: str) -> str:
    """A key as printed on its cap ("PgUp" for the toolkit's "pgup")."""
    return KEY_CAPS.get(display.lower(), display)


def key_label(description: str) -> str:
    """A binding's description in the current language: bindings name their text by its catalogue key, so that
    the language can change while the app runs."""
    return t(description) if description in TEXTS else description


class KeyLine(Static):
    """The screen's own keys (and the app's shown ones), in the current language, drawn again whenever the
    screen's bindings change."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.relabel())
        self.relabel()

    def relabel(self) -> None:
        shown = [
            f"[b]{key_cap(self.app.get_key_display(active.binding))}[/b] {key_label(active.binding.description)}"
            for active in self.screen.active_bindings.values()
            if active.binding.show and active.enabled
        ]
        self.update("  ".join(shown) + signed_in(self.app))


def signed_in(app: object) -> str:
    """Who is signed in, for the end of the key line: name and role, or nothing before sign-in."""
    role, operator = getattr(app, "role", None), getattr(app, "operator", "")
    if not role:
        return ""
    return "  │ " + t("tui.signed_in", name=escape(operator), role=t("role." + role))


class KeyBar(Vertical):
    """The function-key line above the line of the screen's own keys."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: auto; }
    KeyBar .fkeys { height: 1; background: $panel; color: $text-muted; }
    KeyBar KeyLine { height: 1; background: $panel-darken-1; }
    """

    def __init__(self, screens: bool = True) -> None:
        super().__init__()
        self.screens = screens  # False before sign-in: no screen opens yet

    def compose(self) -> ComposeResult:
        if self.screens:
            yield Static(
                " ".join(f"[b]{key.upper()}[/b] {t(f'tui.title.{mode}')}" for key, mode in SCREEN_KEYS)
                + f" [b]F12[/b] {t('tui.language')}",
                classes="fkeys",
            )
        yield KeyLine()
