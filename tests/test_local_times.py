"""Times are shown on the station's clock ([station] timezone), whatever the machine's own zone.

The county of the snapshots is read on a machine set to UTC while the station keeps Mouding's time (Asia/Shanghai,
the default): every time a screen, a query page or a command shows must be the stored UTC time plus eight hours.
"""

from __future__ import annotations

import asyncio
import html
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from station.home import Home
from station.tui import build
from tests.snapshot_county import NOW, FrozenDatetime, LedgerClock, build_busy_county, frozen_time

REPORT_AT = "2026-11-20 13:12:00"  # the consumer's report, stored as 05:12:00 UTC
QUERIED_AT = "2026-11-20 14:30:00"  # the code's first query, at NOW (06:30:00 UTC)
ISSUED_AT = "2026-11-20 09:00"  # the county's first order, issued at 01:00 UTC


@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    path = tmp_path_factory.mktemp("times") / "home"
    with pytest.MonkeyPatch.context() as mp, frozen_time(mp, LedgerClock()):
        facts = build_busy_county(path)
    facts["path"] = path
    return facts


@contextmanager
def utc_machine(now: datetime = NOW) -> Iterator[None]:
    """The machine's clock set to UTC (TZ), and ``now`` for every ``datetime.now()`` the screens and services read."""

    class Frozen(FrozenDatetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Any:  # type: ignore[override]
            return now.astimezone(tz) if tz is not None else now.astimezone().replace(tzinfo=None)

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TZ", "UTC")
        time.tzset()
        for module in ("station.dashboard", "station.query.office", "station.query.app", "station.pickup"):
            mp.setattr(f"{module}.datetime", Frozen)
        try:
            yield
        finally:
            mp.undo()
            time.tzset()


def _screen(home: Path, mode: str, code: str | None = None) -> str:
    """What the app shows on ``mode``'s screen once its workers are done, as plain text."""
    module = build("zh")
    shown: list[str] = []

    async def run() -> None:
        app = module.StationApp(home, "快照", "admin")
        async with app.run_test(size=(160, 50)) as pilot:
            await pilot.pause()
            await app.switch_mode(mode)
            if code is not None:
                app.screen.query_one("#code").value = code
                await app.screen.query_one("#code").action_submit()
            for _ in range(3):
                await pilot.pause(0.2)
                await app.workers.wait_for_complete()
            svg = app.export_screenshot(title=" ")  # the screen, not the window's title
            shown.append(html.unescape(" ".join(re.findall(r"<text[^>]*>(.*?)</text>", svg))).replace("\xa0", " "))

    try:
        asyncio.run(run())
    finally:
        build("en")
    return shown[0]


def test_the_queries_screen_shows_the_station_clock(county: dict[str, Any]) -> None:
    with utc_machine():
        shown = _screen(county["path"], "queries")
    assert REPORT_AT in shown and QUERIED_AT in shown, shown
    assert "2026-11-20 05:12" not in shown and "2026-11-20 06:30" not in shown


def test_the_lookup_screen_shows_the_station_clock(county: dict[str, Any]) -> None:
    with utc_machine():
        shown = _screen(county["path"], "lookup", county["code"])
    assert ISSUED_AT in shown and "2026-11-20 01:00" not in shown, shown


def test_the_dashboard_counts_the_day_on_the_station_clock(county: dict[str, Any]) -> None:
    """The county's work was done on 20 November in Mouding; at 00:30 on the 21st there (16:30 UTC on the 20th)
    the dashboard's day has just begun and counts none of it, though the machine's own (UTC) date is still the 20th."""
    with utc_machine():
        during = _screen(county["path"], "dashboard")
    with utc_machine(datetime(2026, 11, 20, 16, 30, tzinfo=UTC)):
        after = _screen(county["path"], "dashboard")
    printed = re.compile(r"打印\s*│?\s*(\d+)")
    assert printed.search(during) and printed.search(during).group(1) == "20", during  # type: ignore[union-attr]
    assert printed.search(after) and printed.search(after).group(1) == "0", after  # type: ignore[union-attr]


def test_the_query_page_shows_the_station_clock(county: dict[str, Any]) -> None:
    from station.query.app import Service

    with utc_machine():
        service = Service(county["path"])
        try:
            _status, _headers, body = service.respond(county["code"], "zh", False, service.client("192.0.2.1", None))
            answer = service.respond(county["code"], "zh", True, service.client("192.0.2.1", None))[2]
        finally:
            service.close()
    page = body.decode()
    assert QUERIED_AT in page and "2026-11-20 06:30" not in page, page
    assert QUERIED_AT in answer.decode()


def test_commands_show_the_station_clock(county: dict[str, Any]) -> None:
    from station.cli.root import cli

    runner = CliRunner()
    with utc_machine():
        shown = {
            args[0]: runner.invoke(cli, ["--home", str(county["path"]), "--lang", "zh", *args]).output
            for args in (["reports"], ["stats"], ["lookup", county["code"]])
        }
    assert REPORT_AT in shown["reports"], shown["reports"]
    assert QUERIED_AT in shown["stats"], shown["stats"]
    assert ISSUED_AT in shown["lookup"] and "01:00:" not in shown["lookup"], shown["lookup"]


def test_the_query_counts_day_on_the_station_clock(county: dict[str, Any]) -> None:
    """The service counts a query under the station's date, and stats reads "today" the same way: at 00:30 on the
    21st in Mouding (16:30 UTC on the 20th, the machine's date) none of the 20th's queries is today's."""
    from station.query import stats
    from station.query.answer import LocalDay

    with utc_machine():
        assert LocalDay("Asia/Shanghai").of(datetime(2026, 11, 20, 16, 30, tzinfo=UTC)) == "2026-11-21"
        assert LocalDay("Asia/Shanghai").of(datetime(2026, 11, 20, 15, 59, tzinfo=UTC)) == "2026-11-20"
        home = Home.open(county["path"])
        try:
            during = stats(home)
            with utc_machine(datetime(2026, 11, 20, 16, 30, tzinfo=UTC)):
                after = stats(home)
        finally:
            home.close()
    assert during["day"] == "2026-11-20" and during["queries_today"] == during["queries_total"] > 0, during
    assert after["day"] == "2026-11-21" and after["queries_today"] == 0, after


def test_a_pickup_slip_is_dated_on_the_station_clock(county: dict[str, Any], tmp_path: Path) -> None:
    """A pickup at 00:30 on the 21st in Mouding (16:30 UTC on the 20th) is dated the 21st on its slip."""
    import shutil
    import sqlite3

    from station.pickup import slip_values

    home_path = tmp_path / "home"
    shutil.copytree(county["path"], home_path)
    with sqlite3.connect(home_path / "ledger.sqlite3") as db:
        db.execute("UPDATE pickups SET at = '2026-11-20T16:30:00.000000Z' WHERE id = 1")
    with utc_machine():
        home = Home.open(home_path)
        try:
            values, _rows = slip_values(home, 1)
        finally:
            home.close()
    assert values["print.date"] == "2026-11-21", values
