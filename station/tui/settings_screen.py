"""The app's settings screen: every setting with its value; an admin changes one by typing a new value."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from station.errors import StationError
from station.home import Home
from station.redact import masked, shown_value, unmasked
from station.settings import setting_title, shown_setting
from station.texts import t
from station.tui.gate import gate
from station.tui.keybar import KeyBar
from station.tui.plain import Plain
from station.tui.table import Table


class Settings(Screen[None]):
    """The settings of station.toml: the selected one's value goes into the field below; Enter saves it."""

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.settings"), id="title")
        yield Table(id="list", cursor_type="row")
        yield Plain(t("settings.hint"), id="allowed", classes="panel")
        yield Input(id="value")
        yield Plain("", id="message", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#list", DataTable).add_columns(t("settings.key"), t("settings.value"), t("settings.changed"))
        self.settings: list[Any] = []
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from station.settings import all_settings

        app: Any = self.app
        try:
            found, error = all_settings(Home.open(app.home_path).config), None
        except StationError as err:
            found, error = [], err.message
        self.app.call_from_thread(self.show, found, error)

    def show(self, found: list[Any], error: str | None = None) -> None:
        self.settings = found
        table = self.query_one("#list", DataTable)
        row = table.cursor_row
        table.clear()
        for s in found:
            table.add_row(
                s.title, shown_setting(s.key, shown_value(s.value)), "" if s.value == s.default else "*", key=s.key
            )
        if found:
            table.move_cursor(row=max(0, min(row, table.row_count - 1)))
        if error:
            self.query_one("#message", Static).update(error)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row < len(self.settings):
            chosen = self.settings[event.cursor_row]
            self.query_one("#allowed", Static).update(f"{chosen.title} · {t('settings.allowed')}: {chosen.allowed}")
            self.query_one("#value", Input).value = shown_setting(chosen.key, shown_value(chosen.value))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.query_one("#value", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one("#list", DataTable)
        if not self.settings or not gate(self).allowed("settings"):
            return
        chosen = self.settings[table.cursor_row]
        self.save(chosen.key, unmasked(event.value, chosen.value))

    @work(thread=True, exclusive=True)
    def save(self, key: str, value: str) -> None:
        from station.settings import all_settings, set_setting

        app: Any = self.app
        try:
            config = set_setting(app.home_path, key, value)
            message, found, ok = (
                t("settings.saved", key=setting_title(key), value=masked(value), file="station.toml"),
                all_settings(config),
                True,
            )
        except StationError as err:
            message, found, ok = err.message, None, False
        self.app.call_from_thread(self.saved, message, found, ok)

    def saved(self, message: str, found: list[Any] | None, ok: bool) -> None:
        widget = self.query_one("#message", Static)
        widget.update(message)
        widget.set_classes("panel ok" if ok else "panel bad")
        if found is None:
            self.app.bell()
            return
        self.show(found)
        self.query_one("#list", DataTable).focus()
