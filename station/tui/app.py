"""The station app: dashboard, code lookup and issuing, keyboard first, Chinese by default.

Blocking work (ledger, printer status) runs in thread workers that hand results back with call_from_thread;
the screens only show what the core functions return.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from textual import events, work
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Checkbox, DataTable, Input, Static

from station.errors import StationError
from station.home import Home
from station.redact import masked
from station.texts import event_name, t
from station.tui.confirm import Confirm
from station.tui.device_screen import Devices
from station.tui.enterprise_screen import Enterprises
from station.tui.gate import gate
from station.tui.keybar import KeyBar, KeyLine, screen_bindings
from station.tui.lot_screen import Lots
from station.tui.picture import LabelPreview
from station.tui.plain import Plain
from station.tui.qc_screen import QcScreen
from station.tui.query_screen import Queries
from station.tui.settings_screen import Settings
from station.tui.table import Table
from station.tui.void_screen import Voids
from station.tui.work_screens import PickupScreen, RunScreen
from station.zones import DEFAULT_ZONE, shown_time, zone_offset

PRINTER_WAIT_S = 1.0  # how long a status check waits for another screen's turn on the printer (a run holds it)
REPEAT_WINDOW_S = 60  # an order like one issued this recently is asked about again, naming the earlier one
IDLE_CHECK_S = 5.0  # how often the app looks whether its operator has been away too long


class Dashboard(Screen[None]):
    """Today at a glance: the printer, scanner and camera, today's work, codes per state, and alerts."""

    BINDINGS = [
        Binding("r", "refresh", "tui.refresh"),
        Binding("q", "app.open('queries')", "tui.title.queries"),  # as F11, which some terminals keep
    ]

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.dashboard"), id="title")
        yield Plain("…", id="printer", classes="panel")
        yield Plain("…", id="scanner", classes="panel")
        yield Plain("…", id="camera", classes="panel")
        with Horizontal(id="day"):
            yield Table(id="today")
            yield Table(id="counts")
            yield Plain("", id="alerts", classes="panel")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#today", DataTable).add_columns(t("today.title"), t("cli.col.count"))
        self.query_one("#counts", DataTable).add_columns(t("cli.lookup.state"), t("cli.col.count"))

    def on_screen_resume(self) -> None:
        self.action_refresh()  # coming back to the home screen shows the state of now

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from station.dashboard import day_summary
        from station.devices import camera_status, check_scanner, printer_from_config, status_text

        app: StationApp = self.app  # type: ignore[assignment]
        with app.open_home() as home:
            summary = day_summary(home)
        self.app.call_from_thread(self.show_day, summary)
        try:
            with app.printer_turn(PRINTER_WAIT_S), printer_from_config(home.config) as printer:
                status = printer.status()
            printer_line, printer_ok = f"{t('dev.configured')}: {status_text(status)}", status.ready
        except StationError as err:
            printer_line, printer_ok = err.message, False
        self.app.call_from_thread(self.show_device, "#printer", printer_line, printer_ok)
        scanner = check_scanner(home.config.pickup.scanner)
        if scanner.connected:
            line = t("dev.scanner_ok", uri=masked(scanner.uri))
        else:
            line = masked(scanner.error or t("dev.scanner_down", reason=scanner.uri))
        self.app.call_from_thread(self.show_device, "#scanner", line, scanner.connected)
        if app.camera_in_use:
            self.app.call_from_thread(self.show_device, "#camera", t("dev.camera_in_run"), True)
            return
        camera = camera_status(home.config.verify.camera)
        if camera.live:
            width, height = camera.size
            line = t("dev.camera_live", uri=masked(camera.uri), width=width, height=height, fps=round(camera.fps, 1))
        else:
            line = masked(camera.error or t("dev.camera_down", reason=camera.uri))
        self.app.call_from_thread(self.show_device, "#camera", line, camera.live)

    def show_device(self, panel_id: str, line: str, ok: bool) -> None:
        panel = self.query_one(panel_id, Static)
        panel.update(line)
        panel.set_classes("panel ok" if ok else "panel bad")

    def show_day(self, summary: dict[str, Any]) -> None:
        today = self.query_one("#today", DataTable)
        today.clear()
        for key, count in summary["today"].items():
            today.add_row(t(key), str(count))
        table = self.query_one("#counts", DataTable)
        table.clear()
        for state, count in summary["states"].items():
            table.add_row(t("state." + state), str(count))
        alerts = self.query_one("#alerts", Static)
        alerts.update("\n".join(["⚠ " + a for a in summary["alerts"]]) or t("alert.none"))
        alerts.set_classes("panel bad" if summary["alerts"] else "panel ok")


class Lookup(Screen[None]):
    """Type or scan a code: its state, enterprise, product and history."""

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.lookup"), id="title")
        yield Input(placeholder=t("tui.code_placeholder"), id="code")
        yield Plain("", id="answer", classes="panel")
        yield Table(id="history")
        yield KeyBar()

    def on_mount(self) -> None:
        app: StationApp = self.app  # type: ignore[assignment]
        when = t("tui.time_col", offset=zone_offset(app.zone))
        self.query_one("#history", DataTable).add_columns("#", when, t("tui.event"), t("tui.who"))
        self.query_one("#code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.look(event.value)

    def on_screen_resume(self) -> None:
        """Shown again (or in the other language): the code in the box answered again, its history as it is now."""
        code = self.query_one("#code", Input).value
        if code.strip():
            self.look(code)

    @work(thread=True, exclusive=True)
    def look(self, text: str) -> None:
        from station.lookup import lookup_code

        app: StationApp = self.app  # type: ignore[assignment]
        with app.open_home(signed=True) as home:
            try:
                info: dict[str, Any] | None = lookup_code(home, text)
                error = None
            except StationError as err:
                info, error = None, err.message
            zone = home.config.station.timezone
        self.app.call_from_thread(self.show, info, error, zone)

    def show(self, info: dict[str, Any] | None, error: str | None, zone: str = DEFAULT_ZONE) -> None:
        answer = self.query_one("#answer", Static)
        table = self.query_one("#history", DataTable)
        table.clear()
        if info is None:
            answer.update(error or "")
            answer.set_classes("panel bad")
            self.app.bell()
            return
        void = info.get("void")
        answer.update(
            f"{info['code_grouped']}  {t('state.' + info['state'])}\n"
            f"{info['enterprise']['name']} · {info['product']['name']} · {info['product']['origin_code']}"
            + ("" if not void else "\n" + t("void.lookup_line", at=shown_time(void["at"], zone), reason=void["reason"]))
        )
        answer.set_classes("panel ok")
        for ev in info["events"]:
            who = f"{ev['operator']}@{ev['station']}"
            table.add_row(str(ev["id"]), shown_time(ev["at"], zone), event_name(ev["kind"]), who)


class FormBox(Checkbox):
    """A tick box in a form: Space ticks it, Enter sends the form, as Enter in the form's text boxes does."""

    BINDINGS = [Binding("enter", "send", show=False)]

    def action_send(self) -> None:
        screen: Any = self.screen
        screen.send()


class Issue(Screen[None]):
    """Issue codes for an approved enterprise's product: pick the product from the list (Enter), or type the ids;
    the box below the count issues the order with hidden codes (暗码), as `station issue --hidden` does."""

    def __init__(self) -> None:
        super().__init__()
        self.product_shown: tuple[int, int] | None = None  # the enterprise and product the preview shows

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.issue"), id="title")
        yield Table(id="choices", cursor_type="row")
        with Vertical(classes="panel"):
            yield Input(placeholder=t("tui.enterprise_id"), id="enterprise", type="integer")
            yield Input(placeholder=t("tui.product_id"), id="product", type="integer")
            yield Input(placeholder=t("tui.count"), id="count", type="integer")
            yield FormBox(t("tui.issue.hidden"), id="hidden")
        yield Plain("", id="result", classes="panel")
        yield LabelPreview(id="preview")
        yield KeyBar()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row < event.data_table.row_count:
            eid, _name, pid, _product = event.data_table.get_row_at(event.cursor_row)
            self.product_shown = (int(eid), int(pid))
            self.query_one(LabelPreview).show_product(int(eid), int(pid), self.query_one("#hidden", Checkbox).value)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if self.product_shown is not None:  # the sample label with or without its hidden code
            self.query_one(LabelPreview).show_product(*self.product_shown, event.value)

    def on_mount(self) -> None:
        self.query_one("#choices", DataTable).add_columns(
            t("tui.enterprise_id"), t("cli.col.enterprise"), t("tui.product_id"), t("cli.col.product")
        )
        self.query_one("#choices", DataTable).focus()  # the list is read each time the screen is shown

    @work(thread=True, exclusive=True, group="load")
    def load(self) -> None:
        from station.issue import issuable_products

        app: StationApp = self.app  # type: ignore[assignment]
        with app.open_home() as home:
            rows = issuable_products(home.ledger)
        self.app.call_from_thread(self.show_choices, rows)

    def on_screen_resume(self) -> None:
        self.load()  # enterprises admitted or products added meanwhile

    def show_choices(self, rows: list[tuple[int, str, int, str]]) -> None:
        table = self.query_one("#choices", DataTable)
        table.clear()
        for eid, enterprise, pid, product in rows:
            table.add_row(str(eid), enterprise, str(pid), product)
        if not rows:
            self.query_one("#enterprise", Input).focus()

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        eid, _name, pid, _product = event.data_table.get_row_at(event.cursor_row)
        self.query_one("#enterprise", Input).value = str(eid)
        self.query_one("#product", Input).value = str(pid)
        self.query_one("#count", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.send()

    def send(self) -> None:
        """Enter in the form: the first empty box gets the focus, or the question before issuing is asked."""
        fields = [self.query_one(f"#{name}", Input) for name in ("enterprise", "product", "count")]
        empty = next((f for f in fields if not f.value.strip()), None)
        if empty is not None:
            empty.focus()
            return
        if gate(self).allowed("issue"):
            self.ask(*(int(f.value) for f in fields), self.query_one("#hidden", Checkbox).value)

    @work(thread=True, exclusive=True, group="change")
    def ask(self, enterprise_id: int, product_id: int, count: int, hidden: bool = False) -> None:
        """Name what is about to happen (and an identical order issued moments ago), then issue if confirmed."""
        app: StationApp = self.app  # type: ignore[assignment]
        with app.open_home() as home:
            try:
                question = issue_question(home, enterprise_id, product_id, count, hidden)
            except StationError as err:
                self.app.call_from_thread(self.show, err.message, False)
                return

        def answered(yes: bool | None) -> None:
            if yes:
                self.issue(enterprise_id, product_id, count, hidden)
            else:
                self.show(t("confirm.cancelled"), True)

        self.app.call_from_thread(self.app.push_screen, Confirm(question), answered)

    @work(thread=True, exclusive=True, group="change")
    def issue(self, enterprise_id: int, product_id: int, count: int, hidden: bool = False) -> None:
        """Issue the order (with hidden codes: the order and its mark together, or nothing)."""
        from station.hidden import issue_hidden
        from station.issue import issue_codes

        app: StationApp = self.app  # type: ignore[assignment]
        with app.open_home(signed=True) as home:
            try:
                if hidden:
                    result = issue_hidden(home, enterprise_id, product_id, count)
                    text = result.summary() + " " + t("hidden.cli.issued")
                else:
                    result = issue_codes(home, enterprise_id, product_id, count)
                    text = result.summary()
                ok = True
            except StationError as err:
                text, ok = err.message, False
        self.app.call_from_thread(self.show, text, ok, ok)

    def show(self, text: str, ok: bool, issued: bool = False) -> None:
        result = self.query_one("#result", Static)
        result.update(text)
        result.set_classes("panel ok" if ok else "panel bad")
        if not ok:
            self.app.bell()
        if issued:  # a second Enter must not issue the same codes again: the form starts over
            for name in ("enterprise", "product", "count"):
                self.query_one(f"#{name}", Input).value = ""
            self.query_one("#hidden", Checkbox).value = False
            self.query_one("#choices", DataTable).focus()


def issue_question(home: Home, enterprise_id: int, product_id: int, count: int, hidden: bool = False) -> str:
    """The question before issuing: how many codes, to whom, for what, and whether with hidden codes; and, when an
    order of the same enterprise, product and count was issued within REPEAT_WINDOW_S, that order named first."""
    ledger = home.ledger
    enterprise = ledger.enterprise(enterprise_id)["name"]
    product = ledger.product(product_id)["name"]
    now = datetime.now(UTC)
    for order in reversed(ledger.orders()):
        age = (now - datetime.fromisoformat(order["created_at"])).total_seconds()
        if age > REPEAT_WINDOW_S:
            break
        if (order["enterprise_id"], order["product_id"], order["count"]) == (enterprise_id, product_id, count):
            return t(
                "confirm.issue_again_hidden" if hidden else "confirm.issue_again",
                seconds=max(0, round(age)),
                order=order["id"],
                enterprise=enterprise,
                product=product,
                count=count,
            )
    return t("confirm.issue_hidden" if hidden else "confirm.issue", count=count, enterprise=enterprise, product=product)


class SignIn(Screen[None]):
    """Name and PIN; the role decides what the operator may do."""

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.sign_in"), id="title")
        with Vertical(classes="panel"):
            yield Input(placeholder=t("tui.name"), id="name")
            yield Input(placeholder="PIN", id="pin", password=True)
        yield Plain("", id="message", classes="panel")
        yield KeyBar(screens=False)

    def __init__(self, message: str = "") -> None:
        super().__init__()
        self.first_message = message  # why the operator was signed out, when the app did it

    def on_mount(self) -> None:
        self.query_one("#message", Static).update(self.first_message)
        self.query_one("#name", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "name":
            self.query_one("#pin", Input).focus()
            return
        self.check(self.query_one("#name", Input).value, event.value)

    @work(thread=True, exclusive=True)
    def check(self, name: str, pin: str) -> None:
        from station.operators import sign_in

        app: StationApp = self.app  # type: ignore[assignment]
        with app.open_home() as home:
            try:
                role: str | None = sign_in(home.ledger, name, pin)
                error = None
            except StationError as err:
                role, error = None, err.message
        self.app.call_from_thread(self.done, name.strip(), role, error)

    def done(self, name: str, role: str | None, error: str | None) -> None:
        app: StationApp = self.app  # type: ignore[assignment]
        if role is None:
            self.query_one("#message", Static).update(error or "")
            self.query_one("#pin", Input).value = ""
            self.app.bell()
            return
        app.operator, app.role = name, role
        app.signed_in()


class StationApp(App[str | None]):
    """The station's workbench."""

    CSS_PATH = "station.tcss"
    TITLE = "Trace Station"
    BINDINGS = [
        *screen_bindings(),
        Binding("f12", "toggle_language", "tui.language", show=False),  # on the key line
        Binding("ctrl+o", "sign_out", "tui.sign_out"),
        Binding("ctrl+q", "quit", "tui.quit"),
        Binding("ctrl+t", "ping", show=False),
        Binding("ctrl+b", "open('voids')", "tui.title.voids", show=False),  # 补打 and 作废: docs/operator-guide.md
    ]
    MODES = {
        "dashboard": Dashboard,
        "lookup": Lookup,
        "issue": Issue,
        "enterprises": Enterprises,
        "run": RunScreen,
        "pickup": PickupScreen,
        "qc": QcScreen,
        "lots": Lots,
        "devices": Devices,
        "settings": Settings,
        "queries": Queries,
        "voids": Voids,
    }
    NEEDS = {
        "issue": "issue",
        "enterprises": "lookup",
        "run": "run",
        "pickup": "pickup",
        "lookup": "lookup",
        "qc": "qc",
        "lots": "lookup",
        "devices": "devices",
        "queries": "lookup",
        "settings": "settings",
        "voids": "void",
    }

    def __init__(self, home_path: Path, operator: str, role: str | None = None) -> None:
        super().__init__()
        self.home_path = home_path
        self.operator = operator
        self.role = role
        self.last_ping = 0.0
        self.virtual_scanner: Any = None  # the demo's emulated scanner, when there is one
        # many printers serve one connection at a time, and a USB camera one reader: the screens take turns
        self.printer_lock = threading.Lock()
        self.camera_in_use = False  # a print run is reading the camera
        self.zone = DEFAULT_ZONE  # [station] timezone: the clock every time on screen is shown in
        self.idle_sign_out_s = 0.0  # [station] idle_sign_out_min, in seconds; 0: never
        self.operators_exist = False  # with nobody recorded there is nobody to sign in, so nobody is signed out
        self.last_input = time.monotonic()

    def on_mount(self) -> None:
        self.read_settings()
        self.set_interval(IDLE_CHECK_S, self.sign_out_if_away)
        if self.role is None:
            self.push_screen(SignIn())
        else:
            self.signed_in()

    def read_settings(self) -> None:
        """The settings the app itself follows (time zone, idle sign-out), read again at each sign-in."""
        from station.operators import operators

        with self.open_home() as home:
            self.zone = home.config.station.timezone
            self.idle_sign_out_s = home.config.station.idle_sign_out_min * 60.0
            self.operators_exist = bool(operators(home.ledger))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, (events.Key, events.MouseDown)) and not event.is_forwarded:
            self.last_input = time.monotonic()  # the operator is here
        await super().on_event(event)

    def signed_in(self) -> None:
        """After sign-in: the dashboard, with the operator named on every screen's key line."""
        if isinstance(self.screen, SignIn):
            self.pop_screen()
        self.read_settings()
        self.last_input = time.monotonic()
        self.switch_mode("dashboard")
        self._name_operator()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sign_out":  # only someone signed in, where there are operators to sign in as
            return self.role is not None and self.operators_exist
        return True

    def action_sign_out(self) -> None:
        """Sign out (to switch user, or leaving the counter): back to the sign-in screen."""
        self.sign_out("")

    def sign_out_if_away(self) -> None:
        """Sign out an operator who has pressed no key for [station] idle_sign_out_min minutes."""
        if self.idle_sign_out_s and time.monotonic() - self.last_input >= self.idle_sign_out_s:
            self.sign_out(t("tui.signed_out_idle", minutes=round(self.idle_sign_out_s / 60)))

    def sign_out(self, why: str) -> None:
        """Nobody is signed in any more: the sign-in screen, over an unanswered question dropped unanswered."""
        if self.role is None or not self.operators_exist:
            return
        if isinstance(self.screen, Confirm):
            self.screen.dismiss(False)
        for screen in self._opened_screens():  # what the last operator typed is not left for the next one
            for box in screen.query(Input):
                box.value = ""
        self.role = None
        self._name_operator()
        self.push_screen(SignIn(why))

    def data_changed(self, source: Screen[Any]) -> None:
        """A change was recorded by work that ran on behind another screen (a print run ending, a pickup): the
        screen shown now reads its lists again, as if shown anew."""
        shown = self.screen
        if shown is source or isinstance(shown, (Confirm, SignIn)):
            return
        reload = getattr(shown, "on_screen_resume", None)
        if reload is not None:
            reload()

    def _name_operator(self) -> None:
        self.refresh_bindings()
        for screen in self._opened_screens():
            for line in screen.query(KeyLine):
                line.relabel()

    def open_home(self, signed: bool = False) -> Home:
        """The data directory for one piece of work, to use in a with block; ``signed``: the ledger events it
        writes name the signed-in operator."""
        return Home.open(self.home_path, operator=self.operator if signed else None)

    @contextmanager
    def printer_turn(self, wait_s: float) -> Iterator[None]:
        """This screen's turn on the printer; StationError (the printer is busy) after ``wait_s``."""
        if not self.printer_lock.acquire(timeout=wait_s):
            raise StationError("dev.printer_busy")
        try:
            yield
        finally:
            self.printer_lock.release()

    def allowed(self, action: str) -> bool:
        """True when the signed-in role may do ``action``; otherwise say so and ring the bell."""
        from station.operators import allowed

        if self.role is not None and allowed(self.role, action):
            return True
        role = t("role." + self.role) if self.role else "-"
        self.notify(t("operator.not_allowed", role=role, action=t("permission." + action)), severity="error")
        self.bell()
        return False

    def action_open(self, mode: str) -> None:
        if self.role is None or isinstance(self.screen, Confirm):  # a question is answered where it was asked
            return
        if mode in self.NEEDS and not self.allowed(self.NEEDS[mode]):
            return
        self.switch_mode(mode)

    def action_ping(self) -> None:
        """Note when a key was answered (the responsiveness check presses it while the printer runs)."""
        import time

        self.last_ping = time.perf_counter()

    async def action_toggle_language(self) -> None:
        """Chinese to English or back, in place: every screen opened so far is composed again in the other
        language, keeping its inputs, rows and focus (station.tui.relabel); the one shown reads its data again."""
        from station.texts import language, set_language
        from station.tui.relabel import relabel

        set_language("en" if language() == "zh" else "zh")
        shown = self.screen
        for screen in self._opened_screens():
            await relabel(screen, screen is shown)

    def _opened_screens(self) -> list[Screen[Any]]:
        """Every screen composed so far: the stack shown, and each mode's stack kept for when it is shown again."""
        opened: list[Screen[Any]] = []
        stacks: dict[str, list[Screen[Any]]] = getattr(self, "_screen_stacks", {"": self.screen_stack})
        for stack in stacks.values():
            opened.extend(screen for screen in stack if screen not in opened and screen.is_mounted)
        return opened


def make_app(home: Home, role: str | None = None) -> StationApp:
    """The app for a data directory, as the CLI and the tests build it. With no operators recorded there is
    nobody to sign in: the configured operator works as admin until `station operator add` creates some."""
    from station.operators import operators

    if role is None and not operators(home.ledger):
        role = "admin"
    return StationApp(home.path, home.operator, role)
