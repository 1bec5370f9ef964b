"""The station app: dashboard, code lookup and issuing, keyboard first, Chinese by default.

Blocking work (ledger, printer status) runs in thread workers that hand results back with call_from_thread;
the screens only show what the core functions return.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input, Static

from station.errors import StationError
from station.home import Home
from station.texts import language, set_language, t


class Dashboard(Screen[None]):
    """Today at a glance: the printer's state and how many codes are in each state."""

    BINDINGS = [Binding("r", "refresh", t("tui.refresh"))]

    def compose(self) -> ComposeResult:
        yield Static(t("tui.title.dashboard"), id="title")
        yield Static("…", id="printer", classes="panel")
        yield DataTable(id="counts")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#counts", DataTable)
        table.add_columns(t("cli.lookup.state"), t("cli.col.count"))
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        app: StationApp = self.app  # type: ignore[assignment]
        from station.devices import printer_from_config

        home = Home.open(app.home_path)
        try:
            rows = home.ledger._db.execute(  # type: ignore[attr-defined]  # noqa: SLF001
                "SELECT state, count(*) FROM codes GROUP BY state ORDER BY state"
            ).fetchall()
        finally:
            home.close()
        with printer_from_config(home.config) as printer:
            status = printer.status()
        self.app.call_from_thread(self.show, rows, status)

    def show(self, rows: list[Any], status: Any) -> None:
        from station.ledger import State

        printer = self.query_one("#printer", Static)
        printer.update(f"{t('dev.configured')}: {t('pstate.' + status.state.value)} {status.detail}")
        printer.set_classes("panel ok" if status.ready else "panel bad")
        table = self.query_one("#counts", DataTable)
        table.clear()
        for state, count in rows:
            table.add_row(t("state." + State(state).label), str(count))


class Lookup(Screen[None]):
    """Type or scan a code: its state, enterprise, product and history."""

    def compose(self) -> ComposeResult:
        yield Static(t("tui.title.lookup"), id="title")
        yield Input(placeholder=t("tui.code_placeholder"), id="code")
        yield Static("", id="answer", classes="panel")
        yield DataTable(id="history")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#history", DataTable).add_columns("#", t("cli.col.created"), t("tui.event"), t("tui.who"))
        self.query_one("#code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.look(event.value)

    @work(thread=True, exclusive=True)
    def look(self, text: str) -> None:
        from station.lookup import lookup_code

        app: StationApp = self.app  # type: ignore[assignment]
        home = Home.open(app.home_path, operator=app.operator)
        try:
            info: dict[str, Any] | None = lookup_code(home, text)
            error = None
        except StationError as err:
            info, error = None, err.message
        finally:
            home.close()
        self.app.call_from_thread(self.show, info, error)

    def show(self, info: dict[str, Any] | None, error: str | None) -> None:
        answer = self.query_one("#answer", Static)
        table = self.query_one("#history", DataTable)
        table.clear()
        if info is None:
            answer.update(error or "")
            answer.set_classes("panel bad")
            self.app.bell()
            return
        answer.update(
            f"{info['code_grouped']}  {t('state.' + info['state'])}\n"
            f"{info['enterprise']['name']} · {info['product']['name']} · {info['product']['origin_code']}"
        )
        answer.set_classes("panel ok")
        for ev in info["events"]:
            table.add_row(str(ev["id"]), ev["at"][:19], ev["kind"], f"{ev['operator']}@{ev['station']}")


class Issue(Screen[None]):
    """Issue codes for an approved enterprise's product."""

    def compose(self) -> ComposeResult:
        yield Static(t("tui.title.issue"), id="title")
        with Vertical(classes="panel"):
            yield Input(placeholder=t("tui.enterprise_id"), id="enterprise", type="integer")
            yield Input(placeholder=t("tui.product_id"), id="product", type="integer")
            yield Input(placeholder=t("tui.count"), id="count", type="integer")
        yield Static("", id="result", classes="panel")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#enterprise", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        fields = [self.query_one(f"#{name}", Input) for name in ("enterprise", "product", "count")]
        empty = next((f for f in fields if not f.value.strip()), None)
        if empty is not None:
            empty.focus()
            return
        self.issue(*(int(f.value) for f in fields))

    @work(thread=True, exclusive=True)
    def issue(self, enterprise_id: int, product_id: int, count: int) -> None:
        from station.codes import group
        from station.issue import issue_codes

        app: StationApp = self.app  # type: ignore[assignment]
        home = Home.open(app.home_path, operator=app.operator)
        try:
            result = issue_codes(home, enterprise_id, product_id, count)
            text = t(
                "cli.issued",
                order=result.order,
                count=result.count,
                first=group(result.first),
                last=group(result.last),
                seconds=result.seconds,
            )
            ok = True
        except StationError as err:
            text, ok = err.message, False
        finally:
            home.close()
        self.app.call_from_thread(self.show, text, ok)

    def show(self, text: str, ok: bool) -> None:
        result = self.query_one("#result", Static)
        result.update(text)
        result.set_classes("panel ok" if ok else "panel bad")
        if not ok:
            self.app.bell()


class StationApp(App[None]):
    """The station's workbench."""

    CSS_PATH = "station.tcss"
    TITLE = "Trace Station"
    BINDINGS = [
        Binding("f1", "switch_mode('dashboard')", t("tui.title.dashboard")),
        Binding("f2", "switch_mode('lookup')", t("tui.title.lookup")),
        Binding("f3", "switch_mode('issue')", t("tui.title.issue")),
        Binding("f12", "toggle_language", t("tui.language")),
        Binding("ctrl+q", "quit", t("tui.quit")),
    ]
    MODES = {"dashboard": Dashboard, "lookup": Lookup, "issue": Issue}

    def __init__(self, home_path: Path, operator: str) -> None:
        super().__init__()
        self.home_path = home_path
        self.operator = operator

    def on_mount(self) -> None:
        self.switch_mode("dashboard")

    def action_toggle_language(self) -> None:
        set_language("en" if language() == "zh" else "zh")
        self.notify(t("tui.language_now"))


def make_app(home: Home) -> StationApp:
    """The app for a data directory, as the CLI and the tests build it."""
    return StationApp(home.path, home.operator)
