"""Exports read back with real readers: CSV (csv), XLSX (openpyxl), the lot trace and EPCIS (json).

One ledger is built with the real core functions: an enterprise with licences, a product with a GTIN, an order
printed on the emulators into two rolls with one spoiled label, a pickup undone and made again, a lot inspected,
released, bound to a roll and recalled. Every export is compared with what the ledger says.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from stdnum import ean

from drivers.emulators.printer import PrinterFaults
from station.codes import make_code, payload
from station.errors import RegistryError, StationError
from station.exchange import EPCIS_CONTEXT, epc_uri, epcis_document, export_epcis, export_lot_trace
from station.export import (
    Table,
    codes_table,
    export_codes_csv,
    grades_table,
    orders_table,
    pickups_table,
    runs_table,
    write_table,
)
from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.lots import add_lot, bind_codes, inspect_lot, recall_lot, release_lot
from station.pickup import PickupSession, undo_pickup
from station.registry import add_product, apply_enterprise, review_enterprise
from station.texts import from_store, tr
from station.zones import export_time
from tests.run_helpers import print_line
from tests.test_run import _run

GTIN13 = "690123456789" + ean.calc_check_digit("690123456789")
GTIN = GTIN13.zfill(14)  # as the ledger keeps it
COUNT = 6
UNSAFE_RECEIVER = "=1+2 张三"  # a spreadsheet would run this as a formula


@pytest.fixture(scope="module")
def traced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The ledger every test reads (exports only read, so one is shared): ids of what was made."""
    tmp = tmp_path_factory.mktemp("exchange")
    home = Home.open(tmp / "home", operator="tester")
    home.init()
    ledger: Any = home.ledger
    eid = apply_enterprise(
        ledger,
        "牟定县测试腐乳厂",
        "91532323MA6N0FRU1E",
        "0878-5211234",
        {"business": "91532323MA6N0FRU1E", "food": "JY15323230001"},
        ["地理标志"],
    )
    review_enterprise(ledger, eid, "approve")
    pid = add_product(ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180, GTIN13)
    order_id = issue_codes(home, eid, pid, COUNT).order
    # labels 1 and 5 are roll headers; label 3 (the second code) comes out spoiled and is rejected
    with print_line(faults=PrinterFaults(spoil_labels=frozenset({3}))) as line:
        report = _run(home, order_id, line, roll_size=3)
    assert report.status == "done", report.reason
    rolls = [r["id"] for r in ledger.rolls(order_id)]
    first = PickupSession(home, eid, UNSAFE_RECEIVER)
    assert first.scan(rolls[1]).ok
    undone = first.finish()
    undo_pickup(home, undone, "扫错了", 30)
    second = PickupSession(home, eid, "李四")
    assert all(second.scan(roll).ok for roll in rolls)
    pickup = second.finish()
    lot = add_lot(ledger, pid, "MD20261120", "2026-11-20", "500克", ["腌制 30 天", "装瓶"])
    inspect_lot(ledger, lot, "pass", "YN-2026-0042")
    release_lot(ledger, lot)
    # the first roll's good labels (three, unless the camera judged one more label bad)
    labels = ledger.roll(rolls[0])["labels"]
    good = [serial for _, serial, state in labels if serial is not None and state is not State.VOIDED]
    assert 2 <= len(good) <= 3
    assert bind_codes(home, lot, roll_id=rolls[0]) == len(good)
    assert recall_lot(home, lot, "抽检不合格") == len(good)
    home.close()
    return {
        "path": tmp / "home",
        "enterprise": eid,
        "product": pid,
        "order": order_id,
        "lot": lot,
        "rolls": rolls,
        "pickups": (undone, pickup),
        "run": report.run_id,
        "rejected": len(report.rejected),
        "bound": len(good),
    }


@pytest.fixture
def home(traced: dict[str, Any]) -> Any:
    h = Home.open(traced["path"], operator="reader")
    yield h
    h.close()


def _csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def _sheet(path: Path) -> list[list[Any]]:
    book = openpyxl.load_workbook(path)
    return [[c.value for c in row] for row in book.worksheets[0].iter_rows()]


def _labels(home: Home, order_id: int) -> dict[int, dict[str, Any]]:
    """serial -> its print, verify and reject events, straight from the ledger's code histories."""
    found: dict[int, dict[str, Any]] = {}
    for serial, _state in home.ledger.order_codes(order_id):
        for event in home.ledger.code_events(serial, order_id):
            if event["serial"] == serial:
                found.setdefault(serial, {})[event["kind"]] = event
    return found


# --- spreadsheets ------------------------------------------------------------------------------------


def test_orders_and_runs_match_the_ledger(home: Home, traced: dict[str, Any], tmp_path: Path) -> None:
    write_table(orders_table(home), "csv", tmp_path / "orders.csv", "en")
    rows = _csv(tmp_path / "orders.csv")
    assert rows[0][:3] == ["order", "enterprise", "credit code"]
    counts = home.ledger.order_state_counts(traced["order"])
    (row,) = rows[1:]
    by = dict(zip(rows[0], row, strict=True))
    assert by["order"] == str(traced["order"]) and by["enterprise"] == "牟定县测试腐乳厂"
    assert by["product"] == "牟定腐乳" and by["GTIN"] == GTIN and by["count"] == str(COUNT)
    for state in State:
        assert by[state.label] == str(counts.get(state, 0))
    assert by["recalled"] == "3" and by["voided"] == str(traced["rejected"])

    write_table(runs_table(home, traced["order"]), "csv", tmp_path / "runs.csv", "en")
    rows = _csv(tmp_path / "runs.csv")
    (row,) = rows[1:]
    by = dict(zip(rows[0], row, strict=True))
    labels = _labels(home, traced["order"])
    printed = [s for s, e in labels.items() if "code.print" in e]
    assert by["run"] == str(traced["run"]) and by["status"] == "done"
    assert by["printed"] == str(len(printed)) == str(COUNT + traced["rejected"])
    assert by["verified"] == str(COUNT)
    assert by["voided"] == str(traced["rejected"]) and traced["rejected"] >= 1
    assert (by["rolls"], by["first roll"], by["last roll"]) == ("2", traced["rolls"][0], traced["rolls"][-1])
    run = home.ledger.run(traced["run"])
    assert (by["started"], by["finished"]) == (
        export_time(run["started_at"], "Asia/Shanghai"),
        export_time(run["finished_at"], "Asia/Shanghai"),
    )


def test_grades_csv_has_one_row_per_verified_or_rejected_label(
    home: Home, traced: dict[str, Any], tmp_path: Path
) -> None:
    n = write_table(grades_table(home), "csv", tmp_path / "grades.csv", "en")
    rows = _csv(tmp_path / "grades.csv")
    head, body = rows[0], rows[1:]
    assert n == len(body)
    labels = _labels(home, traced["order"])
    judged = {s: e for s, e in labels.items() if "code.verify" in e or "code.reject" in e}
    assert len(body) == len(judged) == COUNT + traced["rejected"]
    rows_by_code = {r[0]: dict(zip(head, r, strict=True)) for r in body}
    for serial, events in judged.items():
        row = rows_by_code[make_code(home.key, serial)]
        assert len(row["code"]) == 20
        printed = events["code.print"]["data"]
        assert (row["run"], row["roll"], row["position"]) == (
            str(printed["run"]),
            printed["roll"],
            str(printed["position"]),
        )
        verdict = events.get("code.verify") or events["code.reject"]
        assert row["result"] == ("verified" if "code.verify" in events else "rejected")
        assert row["grade"] == ("" if verdict["data"].get("grade") is None else str(verdict["data"]["grade"]))
        assert row["time"] == export_time(verdict["at"], "Asia/Shanghai") and row["operator"] == "tester"
        if "code.verify" in events:
            assert row["letter"] == verdict["data"]["letter"] and row["reason"] == ""
            for name, (value, _grade) in verdict["data"]["parameters"].items():  # each grading parameter, in words
                assert f"{tr('en', 'param.' + name)} {value:.3f} " in row["parameters"]
        else:
            assert row["reason"] == from_store(verdict["data"]["reason"], "en") != ""


def test_pickups_csv_is_formula_safe_and_xlsx_keeps_the_exact_text(
    home: Home, traced: dict[str, Any], tmp_path: Path
) -> None:
    undone, pickup = traced["pickups"]
    write_table(pickups_table(home), "csv", tmp_path / "p.csv", "en")
    rows = _csv(tmp_path / "p.csv")
    by = {int(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by) == {undone, pickup}
    assert by[undone]["receiver"] == "'" + UNSAFE_RECEIVER  # shown as text, never run
    assert by[undone]["undone at"] != "" and by[undone]["undo reason"] == "扫错了"
    assert by[undone]["roll ids"] == traced["rolls"][1] and by[undone]["codes"] == "3"
    assert by[pickup]["undone at"] == "" and by[pickup]["receiver"] == "李四"
    assert by[pickup]["roll ids"] == " ".join(traced["rolls"]) and by[pickup]["codes"] == str(COUNT)
    assert by[pickup]["operator"] == "tester" and by[pickup]["rolls"] == "2"

    write_table(pickups_table(home, traced["enterprise"]), "xlsx", tmp_path / "p.xlsx", "zh")
    book = openpyxl.load_workbook(tmp_path / "p.xlsx")
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["领取编号", "企业", "统一社会信用代码", "领取人"]
    receivers = {row[0].value: row[3] for row in sheet.iter_rows(min_row=2)}
    assert receivers[undone].value == UNSAFE_RECEIVER and receivers[undone].data_type == "s"


def test_codes_xlsx_keeps_twenty_digits_as_text(home: Home, traced: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "codes.xlsx"
    n = write_table(codes_table(home, traced["order"]), "xlsx", out, "zh")
    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    assert [c.value for c in sheet[1]][:4] == ["追溯码", "追溯码（分组）", "序号", "状态"]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == n == sum(home.ledger.order_state_counts(traced["order"]).values())
    order = home.ledger.order(traced["order"])
    for (serial, state), row in zip(home.ledger.order_codes(traced["order"]), rows, strict=True):
        code = make_code(home.key, serial)
        assert row[0].data_type == "s" and row[0].value == code  # text: never 1.78E+19
        assert row[2].value == serial and row[3].value == tr("zh", "state." + state.label)  # in the headings' language
        assert row[4].value == payload(order["base_url"], code, order["gtin"], order["lot"])
    # the CSV export of codes: the same columns (a voided code's reason and time last), and the same rows
    export_codes_csv(home, traced["order"], tmp_path / "codes.csv")
    rows_csv = _csv(tmp_path / "codes.csv")
    names = ("code", "code_grouped", "serial", "state", "payload", "order", "enterprise", "product")
    names += ("void_reason", "voided_at")
    assert tuple(rows_csv[0]) == names
    assert [r[0] for r in rows_csv[1:]] == [r[0].value for r in rows]


def test_grades_xlsx_numbers_are_numbers_and_a_full_sheet_continues(
    home: Home, traced: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import station.export as export

    monkeypatch.setattr(export, "XLSX_MAX_ROWS", 4)  # heading + 3 rows per sheet
    n = write_table(grades_table(home, traced["order"]), "xlsx", tmp_path / "g.xlsx", "en")
    book = openpyxl.load_workbook(tmp_path / "g.xlsx")
    assert len(book.worksheets) == -(-n // 3) and book.worksheets[1].title == "grades (2)"
    rows = [row for sheet in book.worksheets for row in list(sheet.iter_rows(min_row=2))]
    assert all(sheet.cell(1, 1).value == "code" for sheet in book.worksheets)
    assert len(rows) == n
    verified = [r for r in rows if r[5].value == "verified"]
    assert len(verified) == COUNT and all(isinstance(r[6].value, int | float) for r in verified)
    assert all(r[0].data_type == "s" and len(r[0].value) == 20 for r in rows)


def test_an_interrupted_export_leaves_no_file_and_keeps_the_old_one(tmp_path: Path) -> None:
    def rows() -> Any:
        yield ("a", 1)
        raise StationError("ledger.io", reason="disk gone")

    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"t.{fmt}"
        with pytest.raises(StationError):
            write_table(Table("t", ("code", "count"), rows()), fmt, out, None)
        assert not out.exists()
        out.write_text("the previous export")
        with pytest.raises(StationError):
            write_table(Table("t", ("code", "count"), rows()), fmt, out, None)
        assert out.read_text() == "the previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.csv", "t.xlsx"]  # no .part left behind


# --- the lot trace -----------------------------------------------------------------------------------


def test_lot_trace_has_the_whole_story(home: Home, traced: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "lot.json"
    number, n = export_lot_trace(home, traced["lot"], out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"]) == ("trace-station/lot-trace", 1)
    assert number == "MD20261120" and n == traced["bound"]
    assert doc["enterprise"]["credit_code"] == "91532323MA6N0FRU1E"
    assert doc["enterprise"]["licences"] == {"business": "91532323MA6N0FRU1E", "food": "JY15323230001"}
    assert doc["enterprise"]["qualifications"] == ["地理标志"]
    assert doc["product"] == {
        "name": "牟定腐乳",
        "origin_code": "532323101001",
        "certifications": ["地理标志"],
        "shelf_life_days": 180,
        "gtin": GTIN,
        "origin_place": "云南省楚雄彝族自治州牟定县新桥镇",
    }
    lot = doc["lot"]
    assert (lot["number"], lot["production_date"], lot["quantity"]) == ("MD20261120", "2026-11-20", "500克")
    assert lot["records"] == ["腌制 30 天", "装瓶"]
    assert lot["inspection"]["result"] == "pass" and lot["inspection"]["report"] == "YN-2026-0042"
    assert lot["inspection"]["operator"] == "tester" and lot["release"]["at"]
    assert lot["recall"]["reason"] == "抽检不合格" and lot["recall"]["codes"] == traced["bound"]

    ledger: Any = home.ledger
    bound = ledger.lot_codes(traced["lot"])
    order = ledger.order(traced["order"])
    assert [c["code"] for c in doc["codes"]] == [make_code(home.key, s) for s in bound]
    for entry, serial in zip(doc["codes"], bound, strict=True):
        assert entry["payload"] == payload(order["base_url"], entry["code"], GTIN, None)
        assert entry["state"] == "recalled" and entry["roll"] == traced["rolls"][0]
        kinds = [e["kind"] for e in entry["events"]]
        # the first roll was never in the undone pickup: one hand-over each
        assert kinds == ["code.print", "code.verify", "code.distribute", "code.bind", "code.recall"]
        assert [e["id"] for e in entry["events"]] == [e["id"] for e in ledger.events_of(serial=serial)]
        assert all(e["operator"] == "tester" and e["station"] and e["at"].endswith("+08:00") for e in entry["events"])
        stored = [e["at"] for e in ledger.events_of(serial=serial)]
        assert [datetime.fromisoformat(e["at"]) for e in entry["events"]] == [_to_ms(a) for a in stored]
    assert doc["time_zone"] == "Asia/Shanghai"
    kinds = [e["kind"] for e in doc["events"]]
    replacements = ["order.extended"] * traced["rejected"]  # a replacement code for each rejected label
    assert kinds == ["order.issued", *replacements, "pickup.made", "lot.added", "lot.inspected", "lot.released"] + [
        "lot.recalled"
    ]
    assert [e["id"] for e in doc["events"]] == sorted(e["id"] for e in doc["events"])
    pickup = next(e for e in doc["events"] if e["kind"] == "pickup.made")
    assert pickup["data"]["pickup"] == traced["pickups"][1]


# --- EPCIS -------------------------------------------------------------------------------------------

OFFSET = re.compile(r"^[+-]\d{2}:\d{2}$")
ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2}$")


def _check_time(text: str) -> datetime:
    assert ISO_WITH_OFFSET.match(text), text
    moment = datetime.fromisoformat(text)
    assert moment.utcoffset() is not None
    return moment


def test_epcis_document_structure(home: Home, traced: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "lot.jsonld"
    n = export_epcis(home, traced["lot"], out)
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["@context"][0] == EPCIS_CONTEXT
    assert doc["type"] == "EPCISDocument" and doc["schemaVersion"] == "2.0"
    _check_time(doc["creationDate"])
    events = doc["epcisBody"]["eventList"]
    assert len(events) == n == traced["bound"] + 1 + 1
    ledger: Any = home.ledger
    expected = {f"https://id.gs1.org/01/{GTIN}/21/{make_code(home.key, s)}" for s in ledger.lot_codes(traced["lot"])}
    for event in events:
        assert event["type"] == "ObjectEvent"
        assert event["action"] in ("ADD", "OBSERVE", "DELETE")
        assert OFFSET.match(event["eventTimeZoneOffset"])
        moment = _check_time(event["eventTime"])
        assert event["eventTime"].endswith(event["eventTimeZoneOffset"])
        assert moment.utcoffset() == timedelta(hours=8)
        assert event["eventID"].startswith("urn:uuid:")
        assert event["epcList"] and set(event["epcList"]) <= expected
        assert all(re.fullmatch(r"https://id\.gs1\.org/01/\d{14}/21/\d{20}", epc) for epc in event["epcList"])
        assert all(":" not in k or k.split(":")[0] in doc["@context"][1] for k in event)  # extensions declared
    commissioning = [e for e in events if e.get("bizStep") == "commissioning"]
    assert {e["epcList"][0] for e in commissioning} == expected
    for event in commissioning:
        assert (event["action"], event["disposition"]) == ("ADD", "active") and len(event["epcList"]) == 1
        assert event["ilmd"]["cbvmda:lotNumber"] == "MD20261120"
        assert event["ilmd"]["cbvmda:itemExpirationDate"] == (date(2026, 11, 20) + timedelta(days=180)).isoformat()
    (shipping,) = [e for e in events if e.get("bizStep") == "shipping"]
    assert (shipping["action"], shipping["disposition"]) == ("OBSERVE", "in_transit")
    assert set(shipping["epcList"]) == expected and shipping["ts:pickup"] == traced["pickups"][1]
    (recall,) = [e for e in events if e.get("disposition") == "recalled"]
    assert recall["action"] == "OBSERVE" and set(recall["epcList"]) == expected
    assert recall["ts:reason"] == "抽检不合格"
    times = [_check_time(e["eventTime"]) for e in (commissioning[-1], shipping, recall)]
    assert times == sorted(times)
    # the same export again names the same events
    again = list(epcis_document(home, traced["lot"])["epcisBody"]["eventList"])
    assert [e["eventID"] for e in again] == [e["eventID"] for e in events]
    assert len({e["eventID"] for e in events}) == len(events)


def test_epc_without_a_gtin_is_the_payload_url() -> None:
    order = {"gtin": None, "base_url": "https://trace.example.org/c"}
    assert epc_uri(order, "1" * 20) == "https://trace.example.org/c/" + "1" * 20
    assert epc_uri({**order, "gtin": GTIN}, "1" * 20) == f"https://id.gs1.org/01/{GTIN}/21/" + "1" * 20


def test_unknown_lot_or_order_is_an_error_before_any_file(home: Home, tmp_path: Path) -> None:
    for attempt in (
        lambda out: export_lot_trace(home, 999, out),
        lambda out: export_epcis(home, 999, out),
        lambda out: write_table(runs_table(home, 999), "csv", out, "en"),
        lambda out: write_table(grades_table(home, 999), "xlsx", out, "en"),
        lambda out: write_table(codes_table(home, 999), "xlsx", out, "en"),
    ):
        with pytest.raises(RegistryError):
            attempt(tmp_path / "out")
    assert list(tmp_path.iterdir()) == []


# --- through the `station` command -------------------------------------------------------------------

COMMANDS = {
    "orders": (["export", "orders", "--format", "xlsx"], "xlsx"),
    "runs": (["export", "runs", "--order", "{order}"], "csv"),
    "grades": (["export", "grades", "--format", "xlsx", "--lang", "en"], "xlsx"),
    "pickups": (["export", "pickups", "--enterprise", "{enterprise}"], "csv"),
    "codes-xlsx": (["export", "codes", "--order", "{order}", "--format", "xlsx"], "xlsx"),
    "lot": (["export", "lot", "{lot}", "--format", "json"], "json"),
    "epcis": (["export", "epcis", "--lot", "{lot}"], "jsonld"),
}


@pytest.mark.parametrize("name", list(COMMANDS))
def test_station_export_command(station, traced: dict[str, Any], tmp_path: Path, name: str) -> None:  # type: ignore[no-untyped-def]
    args, ext = COMMANDS[name]
    out = tmp_path / f"{name}.{ext}"
    filled = [a.format(**traced) for a in args]
    result = station("--home", str(traced["path"]), *filled, "--out", str(out), lang="zh")
    assert result.code == 0, result.err + result.out
    assert str(out) in result.out and ("导出" in result.out or "--lang" in args)
    if ext == "csv":
        rows = _csv(out)
        assert len(rows) > 1 and rows[0][0] in ("打印任务", "领取编号")  # Chinese headings by default
    elif ext == "xlsx":
        rows = _sheet(out)
        assert len(rows) > 1
        heading = {"orders": "发码单", "grades": "code", "codes-xlsx": "追溯码"}[name]
        assert rows[0][0] == heading
    else:
        doc = json.loads(out.read_text(encoding="utf-8"))
        assert doc.get("format") == "trace-station/lot-trace" or doc.get("type") == "EPCISDocument"


def test_station_export_to_stdout_and_bad_ids(station, traced: dict[str, Any], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = ["--home", str(traced["path"])]
    shown = station(*home, "export", "lot", str(traced["lot"]))
    assert shown.code == 0 and json.loads(shown.out)["lot"]["number"] == "MD20261120"
    shown = station(*home, "export", "runs", "--lang", "en")
    assert shown.code == 0 and shown.out.startswith("\ufeffrun,order,")
    for args, message in (
        (["export", "lot", "99"], "no lot with id 99"),
        (["export", "epcis", "--lot", "99"], "no lot with id 99"),
        (["export", "runs", "--order", "99"], "order with id 99"),
        (["export", "grades", "--order", "99", "--format", "xlsx"], "order with id 99"),
        (["export", "codes", "--order", "99", "--format", "xlsx"], "order with id 99"),
        (["export", "pickups", "--enterprise", "99"], "no enterprise with id 99"),
    ):
        out = tmp_path / "never"
        result = station(*home, *args, "--out", str(out))
        assert result.code == 1 and message in result.err, result.err
        assert "Traceback" not in result.err and not out.exists()
    result = station(*home, "export", "orders", "--format", "xlsx")
    assert result.code == 1 and "--out" in result.err
    assert list(tmp_path.iterdir()) == []


def _to_ms(stamp: str) -> datetime:
    """A ledger time to the millisecond, as the exchange files write it."""
    moment = datetime.fromisoformat(stamp)
    return moment.replace(microsecond=moment.microsecond // 1000 * 1000)
