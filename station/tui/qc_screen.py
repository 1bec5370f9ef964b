"""The QC screen: print quality over every check the runs recorded, narrowed by order, roll and dates.

At the top, the filters; then the letters and totals, each grading parameter's grades and trend, the rejects by
cause; then the list of checks a page at a time (the rejects, or with v every check), newest first. Enter on a
reject opens its picture; Esc closes it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import DataTable, Input

from station.errors import StationError
from station.qc import cause_text
from station.texts import t
from station.tui.keybar import KeyBar
from station.tui.plain import Plain
from station.tui.table import Table
from station.zones import DEFAULT_ZONE, shown_time, zone_offset


class QcScreen(Screen[None]):
    """Grades, parameters and rejects over the whole history; the checks page by page; a reject's picture."""

    DEFAULT_CSS = """
    QcScreen #filters { height: auto; }
    QcScreen #figures { height: auto; max-height: 12; }
    QcScreen #parameters { width: 1fr; height: auto; }
    QcScreen #causes { width: 44; height: auto; margin: 0 0 0 1; }
    QcScreen #rejects { height: 1fr; }
    """
    BINDINGS = [
        Binding("r", "refresh", "tui.refresh"),
        Binding("pagedown", "page(1)", "tui.qc.older", priority=True),
        Binding("pageup", "page(-1)", "tui.qc.newer", priority=True),
        Binding("v", "toggle_view", "tui.qc.toggle"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.summary: Any = None
        self.page = 0
        self.rejects_only = True
        self.rows: list[dict[str, Any]] = []
        self.zone = DEFAULT_ZONE

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.qc"), id="title")
        with Horizontal(id="filters"):
            for name, kind in (("order", "integer"), ("roll", "text"), ("since", "text"), ("until", "text")):
                box = Input(placeholder=t(f"tui.qc.{name}"), id=name, type=kind)  # type: ignore[arg-type]
                box.styles.width = "1fr"  # four in a row: the app's sheet sets every box to 60
                yield box
        yield Plain("", id="letters", classes="panel")
        with Horizontal(id="figures"):
            yield Table(id="parameters")
            yield Table(id="causes")
        yield Plain("", id="page")
        yield Table(id="rejects", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        self.zone = getattr(self.app, "zone", DEFAULT_ZONE)
        self.query_one("#parameters", DataTable).add_columns(
            t("tui.qc.parameter"), "A", "B", "C", "D", "F", t("tui.qc.mean"), t("tui.qc.trend")
        )
        self.query_one("#causes", DataTable).add_columns(t("tui.qc.cause"), t("tui.qc.count"))
        table = self.query_one("#rejects", DataTable)
        when = t("tui.time_col", offset=zone_offset(self.zone))
        table.add_columns(when, t("cli.lookup.code"), t("tui.roll"), t("tui.grade"), t("tui.qc.verdict"), t("tui.why"))
        table.focus()

    def on_screen_resume(self) -> None:
        self.load()  # labels checked meanwhile

    def action_refresh(self) -> None:
        self.load()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.page = 0
        self.load()

    def action_page(self, step: int) -> None:
        if self.summary is None:
            return
        page = min(max(self.page + step, 0), self.summary.pages(self.rejects_only) - 1)
        if page != self.page:
            self.page = page
            self.load_page()

    def action_toggle_view(self) -> None:
        self.rejects_only = not self.rejects_only
        self.page = 0
        self.load_page()

    def filters(self) -> Any:
        """The filters as typed, or a StationError naming the one that cannot be read."""
        from station.errors import ConfigError
        from station.qc import QcFilter

        values = {name: self.query_one(f"#{name}", Input).value.strip() for name in ("order", "roll", "since", "until")}
        days: dict[str, date | None] = {}
        for name in ("since", "until"):
            try:
                days[name] = date.fromisoformat(values[name]) if values[name] else None
            except ValueError as err:
                raise ConfigError("tui.qc.bad_date", value=values[name]) from err
        return QcFilter(
            order_id=int(values["order"]) if values["order"] else None,
            roll=values["roll"].upper() or None,
            since=days["since"],
            until=days["until"],
            zone=self.zone,
        )

    def load(self) -> None:
        self.zone = getattr(self.app, "zone", DEFAULT_ZONE)  # [station] timezone as the app last read it
        try:
            qc_filter = self.filters()
        except StationError as err:
            self.failed(err.message)
            return
        self.count(qc_filter)

    @work(thread=True, exclusive=True, group="load")
    def count(self, qc_filter: Any) -> None:
        """Every check the filters let through, counted; then the page shown."""
        from station.qc import check_rows, qc_summary

        app: Any = self.app
        try:
            with app.open_home() as home:
                summary = qc_summary(home, qc_filter)
                page = min(self.page, summary.pages(self.rejects_only) - 1)
                rows = check_rows(home, summary.page_ids(page, self.rejects_only))
        except StationError as err:
            self.app.call_from_thread(self.failed, err.message)
            return
        self.app.call_from_thread(self.show, summary, page, rows)

    @work(thread=True, exclusive=True, group="page")
    def load_page(self) -> None:
        """Another page of the same checks."""
        from station.qc import check_rows

        if self.summary is None:
            return
        app: Any = self.app
        with app.open_home() as home:
            rows = check_rows(home, self.summary.page_ids(self.page, self.rejects_only))
        self.app.call_from_thread(self.show_rows, rows)

    def failed(self, message: str) -> None:
        letters = self.query_one("#letters", Plain)
        letters.update(message)
        letters.set_classes("panel bad")
        self.app.bell()

    def show(self, summary: Any, page: int, rows: list[dict[str, Any]]) -> None:
        from station.qc import LETTERS, PARAMETERS, trend_bars

        self.summary, self.page = summary, page
        letters = self.query_one("#letters", Plain)
        counts = "  ".join(f"{letter} {summary.letters.get(letter, 0)}" for letter in LETTERS)
        letters.update(t("tui.qc.totals", checks=summary.checks, rejected=summary.rejected, letters=counts))
        letters.set_classes("panel")
        table = self.query_one("#parameters", DataTable)
        table.clear()
        for name in PARAMETERS:
            figures = summary.parameters[name]
            grades = [str(figures.grades.get(g, 0)) for g in (4, 3, 2, 1, 0)]
            mean = "-" if figures.mean is None else f"{figures.mean:.2f}"
            table.add_row(t("param." + name), *grades, mean, trend_bars(name, figures.trend))
        causes = self.query_one("#causes", DataTable)
        causes.clear()
        for cause, n in summary.causes.most_common():
            causes.add_row(cause_text(cause), str(n))
        self.show_rows(rows)

    def show_rows(self, rows: list[dict[str, Any]]) -> None:
        self.rows = rows
        pages = self.summary.pages(self.rejects_only) if self.summary is not None else 1
        view = t("tui.qc.view_rejects" if self.rejects_only else "tui.qc.view_all")
        self.query_one("#page", Plain).update(t("tui.qc.page", page=self.page + 1, pages=pages, view=view))
        table = self.query_one("#rejects", DataTable)
        table.clear()
        for r in rows:
            grade = "-" if r["grade"] is None else f"{r['grade']:.1f}"
            verdict = t("tui.fail") if r["rejected"] else t("tui.pass")
            table.add_row(shown_time(r["at"], self.zone), r["code"], r["roll"], grade, verdict, reason_text(r)[:60])

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        if event.data_table.id == "rejects" and event.cursor_row < len(self.rows):
            row = self.rows[event.cursor_row]
            if row["rejected"]:
                self.open_picture(row)

    @work(thread=True, exclusive=True, group="picture")
    def open_picture(self, row: dict[str, Any]) -> None:
        """The reject's saved picture (the frame with what was found drawn on it), over the screen."""
        from station.qc import reject_picture
        from station.tui.picture import PictureView

        gray = reject_picture(row["picture"])
        title = t("tui.qc.picture", code=row["code"], reason=reason_text(row))
        self.app.call_from_thread(self.app.push_screen, PictureView(title, gray, 110, 30))


def reason_text(row: dict[str, Any]) -> str:
    """Why a check was rejected, in the language on screen: its causes where the run recorded them, else the reason
    as it was recorded."""
    return t("why.join").join(cause_text(c) for c in row["causes"]) if row["causes"] else row["reason"]
