"""The question before a change that cannot be taken back by a key: issuing codes, recalling or releasing a lot,
approving, rejecting or blacklisting an enterprise, voiding codes, printing a roll header or a pickup slip again.
The box names the consequence; Enter or y goes ahead, Esc or n leaves everything as it was."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen

from station.texts import t
from station.tui.keybar import KeyLine
from station.tui.plain import Plain


class Confirm(ModalScreen[bool]):
    """Asks once: True when the clerk confirms, False when they cancel."""

    DEFAULT_CSS = """
    Confirm { align: center middle; }
    Confirm > Vertical { width: 80; height: auto; border: thick $warning; background: $surface; padding: 1 2; }
    Confirm #question { height: auto; }
    Confirm KeyLine { height: 1; margin: 1 0 0 0; }
    """
    BINDINGS = [
        Binding("enter", "answer(True)", "tui.confirm.yes", priority=True),
        Binding("y", "answer(True)", "tui.confirm.yes", show=False),
        Binding("escape", "answer(False)", "tui.confirm.no", priority=True),
        Binding("n", "answer(False)", "tui.confirm.no", show=False),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(t("tui.confirm.title"), id="confirm-title")
            yield Plain(self.question, id="question")
            yield KeyLine()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
