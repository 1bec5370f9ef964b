"""The rules of the spreadsheet exports, on a small ledger written with the ledger's own verbs (no printer).

Formula-safe CSV cells, XLSX text that is never a formula, headings, refusals by catalogue key, atomic files, and
every table compared row for row with what was recorded.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl
import pytest

import station.export as export
from station.codes import group, make_code, payload
from station.errors import RegistryError, StationError
from station.export import (
    CODE_COLUMNS,
    GRADE_COLUMNS,
    ORDER_COLUMNS,
    PICKUP_COLUMNS,
    RUN_COLUMNS,
    Table,
    atomic_path,
    codes_table,
    export_codes_csv,
    grades_table,
    headings,
    memo,
    orders_table,
    pickups_table,
    runs_table,
    spreadsheet_safe,
    write_table,
)
from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.lots import add_lot, inspect_lot, release_lot
from station.registry import add_enterprise, add_product
from station.texts import from_store
from station.zones import export_time

ENTERPRISE, CREDIT, PRODUCT = "牟定县测试腐乳厂", "91532323MA6N0FRU1E", "牟定腐乳"
GTIN13 = "6901234567892"

# --- formula-safe cells -------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_every_formula_prefix_is_escaped(prefix: str) -> None:
    assert spreadsheet_safe(prefix + "SUM(A1:A9)") == "'" + prefix + "SUM(A1:A9)"
    assert spreadsheet_safe(prefix) == "'" + prefix


@pytest.mark.parametrize(
    "text", ["", "SUM", "1+1", " =1", "'=1", "张三=1", "\n=1", "%1", "12345678901234567890", "a@b"]
)
def test_text_that_is_no_formula_is_kept_as_it_is(text: str) -> None:
    assert spreadsheet_safe(text) == text


def test_csv_cells_are_formula_safe_and_numbers_stay_numbers(tmp_path: Path) -> None:
    rows = [("=1+2", -5, None), ("@cmd", 2.5, "-3"), ("+x", 0, "\tx"), ("\ry", 1, "ok")]
    out = tmp_path / "t.csv"
    assert write_table(Table("t", ("a", "b", "c"), rows), "csv", out, None) == 4
    raw = out.read_bytes()
    assert raw == (b"\xef\xbb\xbfa,b,c\r\n'=1+2,-5,\r\n'@cmd,2.5,'-3\r\n'+x,0,'\tx\r\n\"'\ry\",1,ok\r\n")


def test_csv_to_standard_output_starts_with_a_bom(capsys: pytest.CaptureFixture[str]) -> None:
    n = write_table(Table("t", ("code", "serial"), [("=A", 1)]), "csv", None, "en")
    assert n == 1
    assert capsys.readouterr().out == "\ufeffcode,serial\r\n'=A,1\r\n"


# --- headings and refusals ------------------------------------------------------------------------------


def test_headings_by_language() -> None:
    assert headings(("code", "serial"), None) == ["code", "serial"]
    assert headings(("code", "serial"), "en") == ["code", "serial"]
    assert headings(("code", "code_grouped", "state"), "zh") == ["追溯码", "追溯码（分组）", "状态"]
    assert headings(("first_roll", "last_roll"), "en") == ["first roll", "last roll"]


def test_an_unknown_format_is_refused_by_key(tmp_path: Path) -> None:
    with pytest.raises(StationError) as e:
        write_table(Table("t", ("a",), [("x",)]), "ods", tmp_path / "t.ods", None)
    assert e.value.key == "export.bad_format"
    assert e.value.params == {"fmt": "ods", "allowed": "csv, xlsx"}
    assert not (tmp_path / "t.ods").exists()


def test_xlsx_needs_a_file(tmp_path: Path) -> None:
    with pytest.raises(StationError) as e:
        write_table(Table("t", ("a",), [("x",)]), "xlsx", None, None)
    assert e.value.key == "export.needs_out" and e.value.params == {"fmt": "xlsx"}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_directory_is_no_file_to_write(tmp_path: Path, fmt: str) -> None:
    with pytest.raises(StationError) as e:
        write_table(Table("t", ("a",), [("x",)]), fmt, tmp_path, None)
    assert e.value.key == "export.is_dir" and e.value.params == {"path": str(tmp_path)}


# --- atomic files -------------------------------------------------------------------------------------


def test_atomic_path_writes_beside_the_file_and_renames_it_in_place(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    out.write_text("old")
    with atomic_path(out) as tmp:
        assert tmp == tmp_path / f".x.csv.{os.getpid()}.part"
        tmp.write_text("new")
        assert out.read_text() == "old"
    assert out.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


def test_a_failed_block_removes_the_part_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    out.write_text("old")
    with pytest.raises(KeyboardInterrupt), atomic_path(out) as tmp:
        tmp.write_text("half")
        raise KeyboardInterrupt
    assert out.read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.csv"]


def test_an_interrupted_xlsx_leaves_no_file_and_no_temporary_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))  # where openpyxl streams its sheets

    def rows() -> Iterator[tuple[str, int]]:
        yield ("a", 1)
        raise StationError("ledger.io", reason="disk gone")

    out = tmp_path / "out" / "x.xlsx"
    out.parent.mkdir()
    with pytest.raises(StationError) as e:
        write_table(Table("t", ("a", "b"), rows()), "xlsx", out, None)
    assert e.value.key == "ledger.io"
    assert list(out.parent.iterdir()) == []
    assert list(scratch.iterdir()) == []


# --- XLSX cells ---------------------------------------------------------------------------------------


def test_xlsx_text_is_never_a_formula_and_numbers_stay_numbers(tmp_path: Path) -> None:
    long = "长" * (export.XLSX_MAX_TEXT + 10)
    rows = [
        ("=SUM(A1:A2)", 12345678901234567890 % 10**9, None),
        ("12345678901234567890", 2.5, "a\x00b\x07c"),
        ("-1", -7, long),
        ("@x", 0, "+1"),
    ]
    out = tmp_path / "t.xlsx"
    assert write_table(Table("Cells", ("code", "n", "note"), rows), "xlsx", out, None) == 4
    book = openpyxl.load_workbook(out)
    (sheet,) = book.worksheets
    assert sheet.title == "Cells" and sheet.freeze_panes == "A2"
    cells = [[(c.value, c.data_type) for c in row] for row in sheet.iter_rows()]
    assert cells[0] == [("code", "s"), ("n", "s"), ("note", "s")]
    assert cells[1] == [("=SUM(A1:A2)", "s"), (12345678901234567890 % 10**9, "n"), (None, "n")]
    assert cells[2] == [("12345678901234567890", "s"), (2.5, "n"), ("abc", "s")]
    assert cells[3] == [("-1", "s"), (-7, "n"), ("长" * export.XLSX_MAX_TEXT, "s")]
    assert cells[4] == [("@x", "s"), (0, "n"), ("+1", "s")]
    # the raw sheet holds no formula at all
    import zipfile

    with zipfile.ZipFile(out) as z:
        assert b"<f>" not in z.read("xl/worksheets/sheet1.xml")


def test_xlsx_columns_are_wide_enough_for_their_headings(tmp_path: Path) -> None:
    out = tmp_path / "w.xlsx"
    write_table(Table("w", ("a", "grouped_code_column"), [("x", 1)]), "xlsx", out, None)
    sheet = openpyxl.load_workbook(out).worksheets[0]
    assert sheet.column_dimensions["A"].width == 12
    assert sheet.column_dimensions["B"].width == 2 * len("grouped_code_column") + 2


def test_a_full_sheet_continues_on_numbered_sheets_each_with_its_heading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 3)  # heading + 2 rows per sheet
    out = tmp_path / "m.xlsx"
    assert write_table(Table("rows", ("n",), [(i,) for i in range(5)]), "xlsx", out, None) == 5
    book = openpyxl.load_workbook(out)
    assert [s.title for s in book.worksheets] == ["rows", "rows (2)", "rows (3)"]
    assert [[c.value for c in row] for s in book.worksheets for row in s.iter_rows()] == [
        ["n"],
        [0],
        [1],
        ["n"],
        [2],
        [3],
        ["n"],
        [4],
    ]
    assert all(s.freeze_panes == "A2" for s in book.worksheets)


def test_memo_reads_each_id_once() -> None:
    calls: list[int] = []

    def read(key: int) -> dict[str, Any]:
        calls.append(key)
        return {"id": key}

    get = memo(read)
    assert [get(1), get(2), get(1), get(2)] == [{"id": 1}, {"id": 2}, {"id": 1}, {"id": 2}]
    assert calls == [1, 2]


# --- the tables, on a small ledger ----------------------------------------------------------------------
@pytest.fixture
def ledger_home(seeded: tuple[Home, int, int]) -> dict[str, Any]:
    """Two orders: the first never printed; the second, of a product with a GTIN and a lot, printed by one run on
    three rolls with every kind of verdict; pickups of two enterprises, one undone."""
    home, eid, pid = seeded
    ledger: Any = home.ledger
    idle = issue_codes(home, eid, pid, 2).order
    gtin_product = add_product(ledger, eid, PRODUCT, "532323101001", "532323", ["地理标志"], 180, GTIN13)
    lot = add_lot(ledger, gtin_product, "L2026", "2026-11-20")
    inspect_lot(ledger, lot, "pass")
    release_lot(ledger, lot)
    oid = issue_codes(home, eid, gtin_product, 7, lot="L2026").order
    s = ledger.codes_in_state(oid, State.ISSUED)
    run = ledger.create_run(oid, "trace-40x30", 4, "tcp://127.0.0.1:9100", "http://127.0.0.1:8080/cam")
    r1, r2, r3 = (f"R{oid:06d}{n:04d}" for n in (1, 2, 3))
    ledger.open_roll(run, r1, 1)
    assert ledger.print_on_roll(s[1], r1, {"run": run}) == 1
    ledger.transition(s[1], "verify", {"grade": 3.5, "letter": "A", "frame": 7})
    assert ledger.print_on_roll(s[2], r1, {"run": run}) == 2
    ledger.transition(s[2], "reject", {"reason": "=qr: void", "grade": 1.0})
    assert ledger.print_on_roll(s[3], r1, {"run": run}) == 3
    ledger.transition(s[3], "verify", {"grade": 2.5, "letter": "B", "frame": 9})
    ledger.transition(s[3], "void", {"reason": "damaged"})  # voided after it passed: its verdict stays the pass
    assert ledger.print_on_roll(s[4], r1, {"run": run}) == 4
    ledger.transition(s[4], "void", {"reason": "in flight", "run": run})  # in flight at a crash
    ledger.transition(s[5], "void", {"reason": "never printed"})
    ledger.close_roll(r1)
    ledger.open_roll(run, r2, 2)
    assert ledger.print_on_roll(s[0], r2, {}) == 1  # a print event that names no run (the lowest serial)
    ledger.transition(s[0], "verify", {"grade": 4.0, "letter": "A", "frame": 11})
    assert ledger.print_on_roll(s[6], r2, {"run": run}) == 2
    ledger.transition(s[6], "verify", {"grade": 3.0, "letter": "B", "frame": 12})
    ledger.close_roll(r2)
    ledger.open_roll(run, r3, 3)  # started, nothing printed on it yet
    ledger.set_run_status(run, "done")
    undone = ledger.create_pickup(eid, "=1+2 张三", [r2])
    ledger.undo_pickup(undone, "扫错了")
    pickup = ledger.create_pickup(eid, "李四", [r1, r2])
    other = add_enterprise(ledger, "牟定县另一家合作社", "91110000600037341L")
    foreign = ledger.create_pickup(other, "王五", [])
    return {
        "home": home,
        "eid": eid,
        "other": other,
        "idle": idle,
        "order": oid,
        "serials": s,
        "run": run,
        "rolls": (r1, r2, r3),
        "pickups": (undone, pickup, foreign),
    }


def test_codes_table_row_by_row(ledger_home: dict[str, Any], tmp_path: Path) -> None:
    home, oid = ledger_home["home"], ledger_home["order"]
    order = home.ledger.order(oid)
    assert (order["gtin"], order["lot"]) == (GTIN13.zfill(14), "L2026")
    table = codes_table(home, oid)
    assert (table.name, table.columns) == ("codes", CODE_COLUMNS)
    from station.zones import export_time

    voids = {e["serial"]: e for e in home.ledger.order_code_events(oid, ("code.void", "code.reject"))}
    expected = []
    for serial, state in home.ledger.order_codes(oid):
        code = make_code(home.key, serial)
        url = payload(order["base_url"], code, GTIN13.zfill(14), "L2026")
        assert url.endswith(f"/01/{GTIN13.zfill(14)}/10/L2026/21/{code}")  # GS1 Digital Link with GTIN and lot
        void: tuple[Any, Any] = (None, None)
        if state is State.VOIDED:  # why and when, from the event that voided it
            event = voids[serial]
            void = (from_store(event["data"]["reason"]), export_time(event["at"], home.config.station.timezone))
        expected.append((code, group(code), serial, state.label, url, oid, ENTERPRISE, PRODUCT, *void))
    assert [tuple(r) for r in table.rows] == expected
    assert [row[3] for row in expected].count("voided") == 4
    assert sorted(row[8] for row in expected if row[8]) == ["=qr: void", "damaged", "in flight", "never printed"]
    assert export_codes_csv(home, oid, tmp_path / "c.csv") == 7
    rows = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text("utf-8-sig"))))
    assert rows[0] == list(CODE_COLUMNS)
    assert rows[1:] == [["" if v is None else spreadsheet_safe(str(v)) for v in row] for row in expected]


def test_csv_headings_in_a_language(ledger_home: dict[str, Any], tmp_path: Path) -> None:
    home, oid = ledger_home["home"], ledger_home["order"]
    assert write_table(codes_table(home, oid), "csv", tmp_path / "c.csv", "zh") == 7
    rows = list(csv.reader(io.StringIO((tmp_path / "c.csv").read_text("utf-8-sig"))))
    assert rows[0] == headings(CODE_COLUMNS, "zh") and rows[0][:2] == ["追溯码", "追溯码（分组）"]


def test_orders_table_counts_each_state(ledger_home: dict[str, Any]) -> None:
    home, idle, oid = ledger_home["home"], ledger_home["idle"], ledger_home["order"]
    table = orders_table(home)
    assert (table.name, table.columns) == ("orders", ORDER_COLUMNS)
    rows = [tuple(r) for r in table.rows]
    states = {s: 0 for s in State}
    first = home.ledger.order(idle)
    second = home.ledger.order(oid)
    head = (ENTERPRISE, CREDIT, PRODUCT)
    assert rows == [
        (idle, *head, None, None, 2, _local(first["created_at"]), *{**states, State.ISSUED: 2}.values()),
        (
            oid,
            *head,
            GTIN13.zfill(14),
            "L2026",
            7,
            _local(second["created_at"]),
            *{**states, State.VOIDED: 4, State.DISTRIBUTED: 3}.values(),
        ),
    ]


def test_runs_table_counts_what_each_run_printed(ledger_home: dict[str, Any]) -> None:
    home, oid, run_id = ledger_home["home"], ledger_home["order"], ledger_home["run"]
    run = home.ledger.run(run_id)
    r1, _r2, r3 = ledger_home["rolls"]
    expected = (
        run_id,
        oid,
        ENTERPRISE,
        PRODUCT,
        "trace-40x30",
        "done",
        None,
        _local(run["started_at"]),
        _local(run["finished_at"]),
        5,  # printed by the run: 2 passed, rejected, passed then voided, voided in flight (not the one naming no run)
        3,
        2,
        3,
        r1,
        r3,
    )
    table = runs_table(home)
    assert (table.name, table.columns) == ("runs", RUN_COLUMNS)
    assert [tuple(r) for r in table.rows] == [expected]  # the idle order has no run: no row
    assert [tuple(r) for r in runs_table(home, oid).rows] == [expected]
    assert list(runs_table(home, ledger_home["idle"]).rows) == []


def test_runs_table_of_a_run_without_rolls_or_labels(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    oid = issue_codes(home, eid, pid, 1).order
    run_id = home.ledger.create_run(oid, "trace-40x30", 4, "p", "c")
    home.ledger.set_run_status(run_id, "paused", "=cover open")
    run = home.ledger.run(run_id)
    ((*_, status, reason, started, finished, printed, verified, voided, rolls, first, last),) = runs_table(
        home, oid
    ).rows
    assert (status, reason, started, finished) == ("paused", "=cover open", _local(run["started_at"]), None)
    assert (printed, verified, voided, rolls, first, last) == (0, 0, 0, 0, None, None)


def test_grades_table_has_one_row_per_judged_label(ledger_home: dict[str, Any]) -> None:
    home, oid, run = ledger_home["home"], ledger_home["order"], ledger_home["run"]
    s = ledger_home["serials"]
    r1, r2, _r3 = ledger_home["rolls"]
    events = {}
    for serial in s:
        for e in home.ledger.code_events(serial, oid):
            if e["serial"] == serial and e["kind"] in ("code.verify", "code.reject"):
                events[serial] = e
    table = grades_table(home)
    assert (table.name, table.columns) == ("grades", GRADE_COLUMNS)
    rows = [tuple(r) for r in table.rows]

    def row(serial: int, roll: str, position: int, run_id: int | None, result: str, **found: Any) -> tuple[Any, ...]:
        e = events[serial]
        return (
            make_code(home.key, serial),
            oid,
            run_id,
            roll,
            position,
            result,
            found.get("grade"),
            found.get("letter"),
            found.get("parameters"),
            found.get("reason"),
            _local(e["at"]),
            "tester",
            e["station"],
        )

    assert rows == [
        row(s[0], r2, 1, None, "verified", grade=4.0, letter="A", parameters='{"frame": 11}'),
        row(s[1], r1, 1, run, "verified", grade=3.5, letter="A", parameters='{"frame": 7}'),
        row(s[2], r1, 2, run, "rejected", grade=1.0, reason="=qr: void"),
        row(s[3], r1, 3, run, "verified", grade=2.5, letter="B", parameters='{"frame": 9}'),
        row(s[6], r2, 2, run, "verified", grade=3.0, letter="B", parameters='{"frame": 12}'),
    ]
    assert [tuple(r) for r in grades_table(home, oid).rows] == rows
    assert list(grades_table(home, ledger_home["idle"]).rows) == []


def test_grades_parameters_keep_chinese_and_sorted_keys(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    ledger: Any = home.ledger
    oid = issue_codes(home, eid, pid, 1).order
    (serial,) = ledger.codes_in_state(oid, State.ISSUED)
    run = ledger.create_run(oid, "trace-40x30", 4, "p", "c")
    ledger.open_roll(run, f"R{oid:06d}0001", 1)
    ledger.print_on_roll(serial, f"R{oid:06d}0001", {"run": run})
    ledger.transition(serial, "reject", {"reason": "污点", "zone": "左", "area": 3})
    ((*_, parameters, reason, _at, _op, _st),) = grades_table(home, oid).rows
    assert parameters == '{"area": 3, "zone": "左"}' and reason == "污点"


def test_pickups_table_with_its_undo(ledger_home: dict[str, Any], tmp_path: Path) -> None:
    home, eid, other = ledger_home["home"], ledger_home["eid"], ledger_home["other"]
    undone, pickup, foreign = ledger_home["pickups"]
    r1, r2, _r3 = ledger_home["rolls"]
    events = {e["data"]["pickup"]: e for e in home.ledger.events_of(["pickup.made", "pickup.undone"])}
    made = {e["data"]["pickup"]: e for e in home.ledger.events_of(["pickup.made"])}
    table = pickups_table(home)
    assert (table.name, table.columns) == ("pickups", PICKUP_COLUMNS)
    rows = [tuple(r) for r in table.rows]
    station = made[undone]["station"]
    mine = [
        (undone, ENTERPRISE, CREDIT, "=1+2 张三", "tester", station, _local(made[undone]["at"]), 1, r2, 2)
        + (_local(events[undone]["at"]), "扫错了"),
        (pickup, ENTERPRISE, CREDIT, "李四", "tester", station, _local(made[pickup]["at"]), 2, f"{r1} {r2}", 3)
        + (None, None),
    ]
    theirs = [
        (foreign, "牟定县另一家合作社", "91110000600037341L", "王五", "tester", station, _local(made[foreign]["at"]))
        + (0, "", 0, None, None)
    ]
    assert rows == mine + theirs
    assert [tuple(r) for r in pickups_table(home, eid).rows] == mine
    assert [tuple(r) for r in pickups_table(home, other).rows] == theirs
    write_table(pickups_table(home, eid), "csv", tmp_path / "p.csv", "en")
    text = (tmp_path / "p.csv").read_text("utf-8-sig")
    assert ",'=1+2 张三," in text


def test_pickups_of_an_unknown_enterprise_are_refused_before_any_row(ledger_home: dict[str, Any]) -> None:
    with pytest.raises(RegistryError) as e:
        pickups_table(ledger_home["home"], 999)
    assert e.value.key == "enterprise.unknown"


@pytest.mark.parametrize("table", [runs_table, grades_table])
def test_an_unknown_order_is_refused_before_any_row(ledger_home: dict[str, Any], table: Any) -> None:
    with pytest.raises(RegistryError) as e:
        table(ledger_home["home"], 999)
    assert e.value.key == "order.unknown"


def _local(stamp: str) -> str:
    """A ledger time as the exports write it: the station's clock (Asia/Shanghai by default) with its offset."""
    written = export_time(stamp, "Asia/Shanghai")
    assert written is not None and written.endswith(" +08:00")
    return written


def test_export_times_follow_the_configured_zone(seeded: tuple[Home, int, int]) -> None:
    """The ledger keeps UTC; an export writes the configured zone's clock, the zone's offset after each time."""
    from datetime import datetime

    from station.settings import set_setting

    home, eid, pid = seeded
    oid = issue_codes(home, eid, pid, 1).order
    stored = home.ledger.order(oid)["created_at"]
    assert stored.endswith("Z")
    created = ORDER_COLUMNS.index("created")
    shanghai = next(r for r in orders_table(home).rows if r[0] == oid)[created]
    set_setting(home.path, "station.timezone", "America/New_York")
    again = Home.open(home.path)
    try:
        new_york = next(r for r in orders_table(again).rows if r[0] == oid)[created]
    finally:
        again.close()
    moment = datetime.fromisoformat(stored)
    assert shanghai == moment.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S +08:00")
    local = moment.astimezone(ZoneInfo("America/New_York"))
    offset = "-04:00" if local.dst() else "-05:00"
    assert new_york == local.strftime("%Y-%m-%d %H:%M:%S ") + offset
