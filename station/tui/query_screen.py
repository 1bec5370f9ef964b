"""The app's consumer-queries screen: what the public query service saw — counts, most-queried codes, anomalies —
and the reports consumers sent (失信行为举报), newest first."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from station.errors import StationError
from station.texts import t
from station.tui.keybar import KeyBar
from station.tui.plain import Plain
from station.tui.table import Table

TOP = 8  # most-queried codes shown


class Queries(Screen[None]):
    """Query statistics and consumer reports; r reads them again."""

    BINDINGS = [Binding("r", "refresh", "tui.refresh")]

    def compose(self) -> ComposeResult:
        yield Plain(t("tui.title.queries"), id="title")
        yield Plain("…", id="figures", classes="panel")
        yield Plain(t("query.cli.top"), classes="heading")
        yield Table(id="top", cursor_type="row")
        yield Plain(t("query.cli.anomalies"), classes="heading")
        yield Table(id="anomalies", cursor_type="row")
        yield Plain(t("hidden.stats.repeated"), classes="heading")
        yield Table(id="hidden-repeated", cursor_type="row")
        yield Plain(t("hidden.stats.guessed", n="…"), id="hidden-guessed-heading", classes="heading")
        yield Table(id="hidden-guessed", cursor_type="row")
        yield Plain(t("tui.reports"), classes="heading")
        yield Table(id="reports", cursor_type="row")
        yield KeyBar()

    def on_mount(self) -> None:
        heads = {
            "#top": ("code", "queries", "first", "last", "anomalies"),
            "#anomalies": ("code", "time", "network", "previous_network", "previous_time"),
            "#reports": ("time", "kind", "code", "contact", "text"),
        }
        for table_id, names in heads.items():
            self.query_one(table_id, DataTable).add_columns(*(t(f"query.h.{n}") for n in names))
        hidden_heads: dict[str, tuple[str, ...]] = {
            "#hidden-repeated": ("verified", "first", "network", "wrong"),
            "#hidden-guessed": ("wrong", "last_wrong", "verified"),
        }
        for table_id, columns in hidden_heads.items():
            self.query_one(table_id, DataTable).add_columns(t("query.h.code"), *(t(f"hidden.h.{c}") for c in columns))
        self.action_refresh()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True)
    def load(self) -> None:
        from station.query import reports, stats

        app: Any = self.app
        with app.open_home() as home:
            try:
                figures: dict[str, Any] | None = stats(home, TOP)
                found = list(reversed(reports(home)))
                error = None
            except StationError as err:
                figures, found, error = None, [], err.message
        self.app.call_from_thread(self.show, figures, found, error)

    def show(self, figures: dict[str, Any] | None, found: list[dict[str, Any]], error: str | None) -> None:
        from station.codes import group
        from station.query.office import printable, received_at

        zone = self.app.zone  # type: ignore[attr-defined]
        panel = self.query_one("#figures", Static)
        if figures is None:
            panel.update(Text(printable(error or "")))
            panel.set_classes("panel bad")
            return
        panel.update(
            t(
                "query.cli.stats",
                **{
                    name: figures[name]
                    for name in (
                        "failed_today",
                        "failed_total",
                        "anomalies_today",
                        "anomalies_total",
                        "reports_today",
                        "reports_total",
                    )
                },
                today=figures["queries_today"],
                total=figures["queries_total"],
            )
        )
        alarming = figures["anomalies_today"] or figures["reports_today"]
        panel.set_classes("panel bad" if alarming else "panel ok")
        top = self.query_one("#top", DataTable)
        top.clear()
        for c in figures["top_codes"]:
            top.add_row(
                group(c["code"]),
                str(c["queries"]),
                received_at(c["first_at"], zone),
                received_at(c["last_at"], zone),
                str(c["anomalies"]),
            )
        anomalies = self.query_one("#anomalies", DataTable)
        anomalies.clear()
        for a in figures["recent_anomalies"]:
            anomalies.add_row(
                group(a["code"]),
                received_at(a["at"], zone),
                a["network"],
                a["previous_network"],
                received_at(a["previous_at"], zone),
            )
        self.show_hidden(figures)
        table = self.query_one("#reports", DataTable)
        table.clear()
        for r in found:  # what the public typed, shown as text: never read as markup, nothing a terminal acts on
            table.add_row(
                received_at(r["at"], zone),
                t(f"query.report.{r['kind']}"),
                group(r["code"]) if r["code"].isascii() and r["code"].isdigit() else Text(printable(r["code"])),
                Text(printable(r["contact"])),
                Text(printable(r["text"])[:60]),
            )

    def show_hidden(self, figures: dict[str, Any]) -> None:
        """Codes whose hidden code (暗码) was verified more than once, and codes under guessing."""
        from station.codes import group
        from station.query.office import received_at

        self.query_one("#hidden-guessed-heading", Static).update(
            t("hidden.stats.guessed", n=figures["hidden_flag_after"])
        )
        repeated = self.query_one("#hidden-repeated", DataTable)
        repeated.clear()
        for c in figures["hidden_repeated"]:
            repeated.add_row(
                group(c["code"]), str(c["verified"]), received_at(c["first_at"]), c["first_network"], str(c["wrong"])
            )
        guessed = self.query_one("#hidden-guessed", DataTable)
        guessed.clear()
        for c in figures["hidden_guessed"]:
            guessed.add_row(group(c["code"]), str(c["wrong"]), received_at(c["last_wrong_at"]), str(c["verified"]))
