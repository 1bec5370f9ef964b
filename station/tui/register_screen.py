"""The enterprise application form (入驻申请): name, credit code, contact, each licence's number and expiry date,
and the qualifications ticked from the scheme's list. Filing it records the application, pending review."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, SelectionList, Static

from station.errors import StationError
from station.registry import LICENCES, QUALIFICATIONS
from station.texts import t
from station.tui.gate import gate
from station.tui.keybar import KeyLine
from station.tui.plain import Plain


class RegisterEnterprise(ModalScreen[int | None]):
    """The application form; dismissed with the new enterprise's id, or None when dropped."""

    DEFAULT_CSS = """
    RegisterEnterprise { align: center middle; }
    RegisterEnterprise > Vertical { width: 100; height: auto; border: thick $primary; background: $surface;
        padding: 0 1; }
    RegisterEnterprise Input { width: 1fr; }
    RegisterEnterprise .licence { height: auto; }
    RegisterEnterprise .licence .expiry { width: 36; }
    RegisterEnterprise SelectionList { height: 9; }
    RegisterEnterprise #form-title { text-style: bold; }
    RegisterEnterprise #form-message { height: auto; }
    RegisterEnterprise KeyLine { height: 1; }
    """
    BINDINGS = [
        Binding("ctrl+s", "save", "tui.save", priority=True),
        Binding("escape", "drop", "tui.close", priority=True),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Plain(t("register.title"), id="form-title")
            yield Input(placeholder=t("register.name"), id="r-name")
            yield Input(placeholder=t("register.credit_code"), id="r-code")
            yield Input(placeholder=t("register.contact"), id="r-contact")
            for kind in LICENCES:
                with Horizontal(classes="licence"):
                    yield Input(placeholder=t("register.number", licence=t("licence." + kind)), id=f"r-{kind}")
                    yield Input(placeholder=t("register.expiry"), id=f"r-{kind}-until", classes="expiry")
            yield Plain(t("register.qualifications"))
            yield SelectionList[str](*((t("qualification." + q), q) for q in QUALIFICATIONS), id="r-quals")
            yield Plain(t("register.hint"))
            yield Plain("", id="form-message")
            yield KeyLine()

    def on_mount(self) -> None:
        self.query_one("#r-name", Input).focus()

    def on_screen_suspend(self) -> None:
        """Only signing out covers this form (the function keys wait for it): the app empties the boxes, and the
        ticks go with them, so nothing of one operator's application is left for the next."""
        self.query_one("#r-quals", SelectionList).deselect_all()
        self.query_one("#form-message", Static).update("")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def action_drop(self) -> None:
        self.dismiss(None)

    def action_save(self) -> None:
        if not gate(self).allowed("register"):
            return
        value = {box.id or "": box.value for box in self.query(Input)}
        licences = {kind: value[f"r-{kind}"] for kind in LICENCES}
        expiry = {kind: value[f"r-{kind}-until"] for kind in LICENCES}
        qualifications = list(self.query_one("#r-quals", SelectionList).selected)
        self.save(value["r-name"], value["r-code"], value["r-contact"], licences, expiry, qualifications)

    @work(thread=True, exclusive=True, group="change")
    def save(
        self,
        name: str,
        credit_code: str,
        contact: str,
        licences: dict[str, str],
        expiry: dict[str, str],
        qualifications: list[str],
    ) -> None:
        from station.registry import apply_enterprise

        app: Any = self.app
        with app.open_home(signed=True) as home:
            try:
                eid: int | None = apply_enterprise(
                    home.ledger, name, credit_code, contact, licences, qualifications, expiry
                )
                error = None
            except StationError as err:
                eid, error = None, err.message
        self.app.call_from_thread(self.saved, eid, error)

    def saved(self, eid: int | None, error: str | None) -> None:
        if eid is not None:
            self.dismiss(eid)
            return
        message = self.query_one("#form-message", Static)
        message.update(error or "")
        message.set_classes("bad")
        self.app.bell()
