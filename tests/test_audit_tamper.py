"""Tamper evidence: someone holding the station's files edits the ledger with sqlite3 (dropping triggers where they
are in the way), and `station audit verify` names each edit: the event, the head record, or the table and row.

One ledger with real activity is prepared once (operators, enterprises approved and one blacklisted, products,
orders, a print run's rolls, pickups, a lot bound, released and recalled); every case edits a fresh copy.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from station.cli import cli
from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.operators import add_operator, reset_pin, set_disabled
from station.registry import add_enterprise, add_product, apply_enterprise, review_enterprise, set_blacklisted

ROLL_SIZE = 4
TRIGGERS = (
    "events_append_only_update",
    "events_append_only_delete",
    "codes_never_deleted",
    "codes_serial_fixed",
)


def _build(path: Path) -> dict[str, Any]:
    """A ledger with one of everything `audit verify` covers; what the cases need to know about it."""
    home = Home.open(path, operator="admin")
    home.init()
    led = home.ledger
    add_operator(led, "admin", "admin", "123456")
    add_operator(led, "clerk", "clerk", "234567")
    add_operator(led, "qc", "qc", "345678")
    set_disabled(led, "qc", True)
    reset_pin(led, "clerk", "765432")
    first = apply_enterprise(
        led, "牟定县测试腐乳厂", "91532323MA6N0FRU1E", "张三 13800000000", {"business": "营业执照 5323"}, ["有机"]
    )
    review_enterprise(led, first, "approve")
    second = add_enterprise(led, "牟定县另一家合作社", "91110000600037341L", "李四")
    review_enterprise(led, second, "approve")
    product = add_product(led, first, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    other_product = add_product(led, second, "牟定核桃", "532323102003", "532323")
    order = issue_codes(home, first, product, 12).order
    issue_codes(home, second, other_product, 4)
    led.extend_order(order, 2, 10**12)
    run = led.create_run(order, "50x30", ROLL_SIZE, "tcp://192.0.2.7:9100", "rtsp://user:pw@192.0.2.8/cam")
    serials = [s for s, _ in led.order_codes(order)]
    rolls = []
    for number, start in enumerate(range(0, 12, ROLL_SIZE), 1):
        roll = f"R{order:04d}-{number:03d}"
        rolls.append(roll)
        led.open_roll(run, roll, number)
        for serial in serials[start : start + ROLL_SIZE]:
            led.print_on_roll(serial, roll, {"template": "50x30"})
            led.transition(serial, "reject" if serial == serials[5] else "verify", {})
        led.close_roll(roll)
    led.set_run_status(run, "done")
    kept = led.create_pickup(first, "王五", rolls[:2])
    undone = led.create_pickup(first, "赵六", rolls[2:])
    led.undo_pickup(undone, "错发")
    lot = led.add_lot(product, "L20261101", "2026-11-01", "100 kg", ["腌制 30 天"])
    led.update_lot(lot, "lot.inspected", {}, inspection="pass", inspection_report="合格")
    led.update_lot(lot, "lot.released", {}, released=1)
    bound = [serials[0], serials[1]]
    for serial in bound:
        led.bind(serial, lot, {})
    before_truncation = led.verify_audit().events
    set_blacklisted(led, second, True, "假冒")
    led.transition(serials[0], "recall", {"lot": lot})
    led.update_lot(lot, "lot.recalled", {"codes": 1}, recalled=1, recall_reason="霉变")
    assert led.code(serials[0])["state"] is State.RECALLED  # type: ignore[index]
    report = led.verify_audit()
    assert report.ok, report
    home.close()
    return {
        "order": order,
        "serials": serials,
        "rolls": rolls,
        "lot": lot,
        "run": run,
        "pickup": kept,
        "undone": undone,
        "truncate_after": before_truncation,
        "events": report.events,
    }


def _station(home: Path, *args: str) -> Any:
    return CliRunner().invoke(cli, ["--home", str(home), "--lang", "en", *args])


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """The ledger, its kept head record and a head record written to keep elsewhere (``outside.json``)."""
    tmp = tmp_path_factory.mktemp("tamper")
    facts = _build(tmp / "home")
    result = _station(tmp / "home", "audit", "anchor", "--out", str(tmp / "outside.json"))
    assert result.exit_code == 0, result.output
    return tmp, facts


def _copy(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> Path:
    shutil.copytree(prepared[0] / "home", tmp_path / "home")
    return tmp_path / "home"


def _edit(home: Path, *statements: str) -> None:
    """Run statements on the ledger file as an attacker would: no triggers, no foreign keys, no events."""
    db = sqlite3.connect(home / "ledger.sqlite3")
    for trigger in TRIGGERS:
        db.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in statements:
        db.execute(statement)
    db.commit()
    db.close()


def _verify(home: Path, *args: str) -> dict[str, Any]:
    result = _station(home, "audit", "verify", "--json", *args)
    report: dict[str, Any] = json.loads(result.output)
    assert result.exit_code == (0 if report["ok"] else 1)
    return report


# (what is edited, the SQL, the kind of disagreement, the table); {s0}… are serials of the printed order,
# {order}, {lot}, {run}, {roll0}…, {pickup}, {undone} the prepared rows
ROW_EDITS: list[tuple[str, list[str], str, str]] = [
    ("enterprise name", ["UPDATE enterprises SET name = '假冒厂' WHERE id = 1"], "column", "enterprises"),
    ("enterprise contact", ["UPDATE enterprises SET contact = '假电话' WHERE id = 1"], "column", "enterprises"),
    (
        "enterprise credit code",
        ["UPDATE enterprises SET credit_code = '911100006000373411' WHERE id = 1"],
        "column",
        "enterprises",
    ),
    ("enterprise status", ["UPDATE enterprises SET status = 'pending' WHERE id = 1"], "column", "enterprises"),
    (
        "blacklisting lifted",
        ["UPDATE enterprises SET blacklisted = 0, blacklist_reason = NULL WHERE id = 2"],
        "column",
        "enterprises",
    ),
    ("blacklist reason", ["UPDATE enterprises SET blacklist_reason = 'x' WHERE id = 2"], "column", "enterprises"),
    ("enterprise licences", ["UPDATE enterprises SET documents = '{{}}' WHERE id = 1"], "column", "enterprises"),
    (
        "enterprise inserted",
        ["INSERT INTO enterprises (id, name, credit_code, status, created_at) VALUES (9, 'x', 'y', 'approved', 'z')"],
        "extra",
        "enterprises",
    ),
    ("enterprise deleted", ["DELETE FROM enterprises WHERE id = 2"], "missing", "enterprises"),
    ("product name", ["UPDATE products SET name = '假冒腐乳' WHERE id = 1"], "column", "products"),
    ("product origin", ["UPDATE products SET origin_code = '110000' WHERE id = 1"], "column", "products"),
    ("product owner", ["UPDATE products SET enterprise_id = 2 WHERE id = 1"], "column", "products"),
    ("product certifications", ["UPDATE products SET certifications = '[]' WHERE id = 1"], "column", "products"),
    ("product shelf life", ["UPDATE products SET shelf_life_days = 999 WHERE id = 1"], "column", "products"),
    ("product gtin", ["UPDATE products SET gtin = '06901234567892' WHERE id = 1"], "column", "products"),
    (
        "product inserted",
        ["INSERT INTO products (id, enterprise_id, name, origin_code, created_at) VALUES (7, 1, 'x', 'y', 'z')"],
        "extra",
        "products",
    ),
    ("product deleted", ["DELETE FROM products WHERE id = 2"], "missing", "products"),
    ("order's enterprise", ["UPDATE orders SET enterprise_id = 2 WHERE id = {order}"], "column", "orders"),
    ("order's product", ["UPDATE orders SET product_id = 2 WHERE id = {order}"], "column", "orders"),
    ("order count", ["UPDATE orders SET count = 99 WHERE id = {order}"], "column", "orders"),
    ("order base url", ["UPDATE orders SET base_url = 'https://evil.example' WHERE id = {order}"], "column", "orders"),
    ("order lot", ["UPDATE orders SET lot = 'L1' WHERE id = {order}"], "column", "orders"),
    (
        "order inserted",
        [
            "INSERT INTO orders (id, enterprise_id, product_id, count, base_url, created_at)"
            " VALUES (9, 1, 1, 1, 'u', 'z')"
        ],
        "extra",
        "orders",
    ),
    ("order deleted", ["DELETE FROM orders WHERE id = 2"], "missing", "orders"),
    (
        "range end",
        ["UPDATE order_ranges SET last_serial = last_serial + 5 WHERE order_id = {order}"],
        "column",
        "order_ranges",
    ),
    (
        "range moved",
        ["UPDATE order_ranges SET first_serial = first_serial + 1 WHERE order_id = 2"],
        "extra",
        "order_ranges",
    ),
    ("range inserted", ["INSERT INTO order_ranges VALUES ({order}, 1000, 1010)"], "extra", "order_ranges"),
    ("range deleted", ["DELETE FROM order_ranges WHERE order_id = 2"], "missing", "order_ranges"),
    ("recalled code back to bound", ["UPDATE codes SET state = 5 WHERE serial = {s0}"], "column", "codes"),
    ("voided code revived", ["UPDATE codes SET state = 2 WHERE serial = {s5}"], "column", "codes"),
    ("code moved to another order", ["UPDATE codes SET order_id = 2 WHERE serial = {s3}"], "column", "codes"),
    ("code bound to a lot behind the log", ["UPDATE codes SET lot_id = {lot} WHERE serial = {s2}"], "column", "codes"),
    ("code unbound", ["UPDATE codes SET lot_id = NULL WHERE serial = {s1}"], "column", "codes"),
    ("code deleted", ["DELETE FROM codes WHERE serial = {s4}"], "missing", "codes"),
    ("last code deleted", ["DELETE FROM codes WHERE serial = (SELECT max(serial) FROM codes)"], "missing", "codes"),
    ("first code deleted", ["DELETE FROM codes WHERE serial = 1"], "missing", "codes"),
    (
        "issued code inserted",
        ["INSERT INTO codes (serial, order_id, state) VALUES (5000, {order}, 0)"],
        "extra",
        "codes",
    ),
    ("code inserted below", ["INSERT INTO codes (serial, order_id, state) VALUES (0, {order}, 0)"], "extra", "codes"),
    ("lot number", ["UPDATE lots SET number = 'L2' WHERE id = {lot}"], "column", "lots"),
    ("lot records", ["UPDATE lots SET records = '[]' WHERE id = {lot}"], "column", "lots"),
    ("lot date", ["UPDATE lots SET production_date = '2026-01-01' WHERE id = {lot}"], "column", "lots"),
    ("lot quantity", ["UPDATE lots SET quantity = '1 t' WHERE id = {lot}"], "column", "lots"),
    ("lot inspection", ["UPDATE lots SET inspection = 'fail' WHERE id = {lot}"], "column", "lots"),
    ("lot inspection report", ["UPDATE lots SET inspection_report = 'x' WHERE id = {lot}"], "column", "lots"),
    ("lot release", ["UPDATE lots SET released = 0 WHERE id = {lot}"], "column", "lots"),
    ("lot recall lifted", ["UPDATE lots SET recalled = 0 WHERE id = {lot}"], "column", "lots"),
    ("lot recall reason", ["UPDATE lots SET recall_reason = 'x' WHERE id = {lot}"], "column", "lots"),
    ("lot's product", ["UPDATE lots SET product_id = 2 WHERE id = {lot}"], "column", "lots"),
    (
        "lot inserted",
        ["INSERT INTO lots (id, product_id, number, production_date, created_at) VALUES (9, 1, 'x', 'y', 'z')"],
        "extra",
        "lots",
    ),
    ("lot deleted", ["DELETE FROM lots WHERE id = {lot}"], "missing", "lots"),
    ("run status", ["UPDATE runs SET status = 'stopped' WHERE id = {run}"], "column", "runs"),
    ("run printer", ["UPDATE runs SET printer = 'tcp://evil:9100' WHERE id = {run}"], "column", "runs"),
    (
        "run inserted",
        [
            "INSERT INTO runs (id, order_id, template, roll_size, printer, camera, status, started_at)"
            " VALUES (9, 1, 't', 1, 'p', 'c', 'done', 'z')"
        ],
        "extra",
        "runs",
    ),
    ("run deleted", ["DELETE FROM runs WHERE id = {run}"], "missing", "runs"),
    ("roll number", ["UPDATE rolls SET number = 7 WHERE id = '{roll0}'"], "column", "rolls"),
    ("roll reopened", ["UPDATE rolls SET closed_at = NULL WHERE id = '{roll0}'"], "column", "rolls"),
    ("roll's order", ["UPDATE rolls SET order_id = 2 WHERE id = '{roll0}'"], "column", "rolls"),
    ("roll inserted", ["INSERT INTO rolls VALUES ('R9', {run}, {order}, 9, 'z', NULL, 0, NULL)"], "extra", "rolls"),
    ("roll's label count", ["UPDATE rolls SET headers = headers + 1 WHERE id = '{roll0}'"], "column", "rolls"),
    ("roll deleted", ["DELETE FROM rolls WHERE id = '{roll2}'"], "missing", "rolls"),
    ("label moved on its roll", ["UPDATE roll_labels SET position = 9 WHERE serial = {s1}"], "column", "roll_labels"),
    (
        "label moved to another roll",
        ["UPDATE roll_labels SET roll_id = '{roll2}', position = 9 WHERE serial = {s1}"],
        "column",
        "roll_labels",
    ),
    (
        "label swapped to another code",
        ["UPDATE roll_labels SET serial = {s12} WHERE serial = {s1}"],
        "extra",
        "roll_labels",
    ),
    ("label inserted", ["INSERT INTO roll_labels VALUES ('{roll0}', 9, {s12})"], "extra", "roll_labels"),
    ("label with a foreign serial", ["INSERT INTO roll_labels VALUES ('{roll0}', 9, 7000)"], "extra", "roll_labels"),
    ("label deleted", ["DELETE FROM roll_labels WHERE serial = {s2}"], "missing", "roll_labels"),
    (
        "roll header deleted",
        ["DELETE FROM roll_labels WHERE roll_id = '{roll1}' AND position = 0"],
        "missing",
        "roll_labels",
    ),
    ("blank label inserted", ["INSERT INTO roll_labels VALUES ('{roll1}', 9, NULL)"], "extra", "roll_labels"),
    ("pickup receiver", ["UPDATE pickups SET receiver = '某人' WHERE id = {pickup}"], "column", "pickups"),
    ("pickup enterprise", ["UPDATE pickups SET enterprise_id = 2 WHERE id = {pickup}"], "column", "pickups"),
    ("pickup operator", ["UPDATE pickups SET operator = 'mallory' WHERE id = {pickup}"], "column", "pickups"),
    (
        "pickup undo erased",
        ["UPDATE pickups SET undone_at = NULL, undo_reason = NULL WHERE id = {undone}"],
        "column",
        "pickups",
    ),
    (
        "pickup inserted",
        ["INSERT INTO pickups (id, enterprise_id, receiver, operator, station, at) VALUES (9, 1, 'x', 'y', 'z', 'w')"],
        "extra",
        "pickups",
    ),
    ("pickup deleted", ["DELETE FROM pickups WHERE id = {undone}"], "missing", "pickups"),
    (
        "pickup roll released",
        ["UPDATE pickup_rolls SET active = 0 WHERE pickup_id = {pickup}"],
        "column",
        "pickup_rolls",
    ),
    (
        "pickup roll revived",
        ["UPDATE pickup_rolls SET active = 1 WHERE pickup_id = {undone}"],
        "column",
        "pickup_rolls",
    ),
    (
        "pickup roll swapped",
        ["UPDATE pickup_rolls SET roll_id = '{roll2}' WHERE roll_id = '{roll0}'"],
        "extra",
        "pickup_rolls",
    ),
    ("pickup roll inserted", ["INSERT INTO pickup_rolls VALUES ({undone}, 'R9', 0)"], "extra", "pickup_rolls"),
    ("pickup roll deleted", ["DELETE FROM pickup_rolls WHERE roll_id = '{roll1}'"], "missing", "pickup_rolls"),
    ("operator role", ["UPDATE operators SET role = 'admin' WHERE name = 'clerk'"], "column", "operators"),
    ("operator enabled", ["UPDATE operators SET disabled = 0 WHERE name = 'qc'"], "column", "operators"),
    (
        "operator PIN hash replaced",
        ["UPDATE operators SET pin_hash = (SELECT pin_hash FROM operators WHERE name = 'admin') WHERE name = 'clerk'"],
        "column",
        "operators",
    ),
    (
        "admin inserted",
        [
            "INSERT INTO operators (name, role, pin_hash, created_at)"
            " SELECT 'mallory', 'admin', pin_hash, created_at FROM operators WHERE name = 'admin'"
        ],
        "extra",
        "operators",
    ),
    ("operator deleted", ["DELETE FROM operators WHERE name = 'qc'"], "missing", "operators"),
]


def _facts_format(sql: str, facts: dict[str, Any]) -> str:
    values = {f"s{i}": s for i, s in enumerate(facts["serials"])}
    values |= {f"roll{i}": r for i, r in enumerate(facts["rolls"])}
    values |= {k: facts[k] for k in ("order", "lot", "run", "pickup", "undone")}
    return sql.format(**values)


@pytest.mark.parametrize(("statements", "kind", "table"), [c[1:] for c in ROW_EDITS], ids=[c[0] for c in ROW_EDITS])
def test_each_row_edit_is_named(
    prepared: tuple[Path, dict[str, Any]], tmp_path: Path, statements: list[str], kind: str, table: str
) -> None:
    home = _copy(prepared, tmp_path)
    _edit(home, *(_facts_format(s, prepared[1]) for s in statements))
    report = _verify(home)
    assert not report["ok"]
    assert (report["kind"], report["table"]) == (kind, table), report
    assert report["row"] and report["table"] in report["reason"]


@pytest.mark.parametrize("case", [c for c in ROW_EDITS if c[3] in ("codes", "roll_labels")], ids=lambda c: c[0])
def test_code_edits_are_named_across_slices(
    prepared: tuple[Path, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Any
) -> None:
    """Codes are compared in slices of serials: with slices of 5 every edit still lands in one and is named."""
    from station.ledger import sql

    monkeypatch.setattr(sql, "STREAM_SLICE", 5)
    home = _copy(prepared, tmp_path)
    assert _verify(home)["ok"]
    _edit(home, *(_facts_format(s, prepared[1]) for s in case[1]))
    report = _verify(home)
    assert report["table"] == case[3], report
    # a label moved to another code: its old serial's slice comes first, and there the label is missing
    assert report["kind"] == ("missing" if case[0] == "label swapped to another code" else case[2]), report


def test_the_untouched_copy_verifies(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    home = _copy(prepared, tmp_path)
    report = _verify(home, "--anchor", str(prepared[0] / "outside.json"))
    assert report["ok"] and report["events"] == prepared[1]["events"] and report["anchors_checked"] == 2


def test_a_column_report_says_what_the_events_say(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    home = _copy(prepared, tmp_path)
    _edit(home, f"UPDATE orders SET enterprise_id = 2 WHERE id = {prepared[1]['order']}")
    report = _verify(home)
    assert (report["row"], report["column"], report["expected"], report["found"]) == (
        str(prepared[1]["order"]),
        "enterprise_id",
        1,
        2,
    )
    assert "orders row 1, column enterprise_id: the events say 1, the row has 2" in report["reason"]


def test_a_pin_hash_never_appears_in_the_report(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    home = _copy(prepared, tmp_path)
    _edit(home, "UPDATE operators SET pin_hash = 'pbkdf2$00$11' WHERE name = 'admin'")
    report = _verify(home)
    assert report["column"] == "pin_hash" and "pbkdf2" not in json.dumps(report)


def _truncate(home: Path, keep: int) -> None:
    """Delete the events after ``keep``, move the chain head back to it and put the rows back as they were."""
    _edit(
        home,
        f"DELETE FROM events WHERE id > {keep}",
        f"UPDATE chain_head SET last_id = {keep}, last_hash = (SELECT hash FROM events WHERE id = {keep})",
        "UPDATE enterprises SET blacklisted = 0, blacklist_reason = NULL WHERE id = 2",
        "UPDATE codes SET state = 5 WHERE state = 6",
        "UPDATE lots SET recalled = 0, recall_reason = NULL",
    )


def test_truncation_is_caught_by_the_kept_head_record(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    home = _copy(prepared, tmp_path)
    _truncate(home, prepared[1]["truncate_after"])
    report = _verify(home)
    assert not report["ok"] and report["reason_key"] == "audit.reason.anchor_truncated"
    assert report["broken_at"] == prepared[1]["events"]


def test_truncation_is_caught_by_a_head_record_kept_elsewhere(
    prepared: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    home = _copy(prepared, tmp_path)
    (home / "audit-anchor.json").unlink()
    _truncate(home, prepared[1]["truncate_after"])
    assert _verify(home)["ok"]  # the database alone cannot tell: that is what the head record is for
    (home / "audit-anchor.json").unlink()
    report = _verify(home, "--anchor", str(prepared[0] / "outside.json"))
    assert not report["ok"] and report["reason_key"] == "audit.reason.anchor_truncated"


def test_truncation_is_caught_by_the_line_on_a_slip(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    home = _copy(prepared, tmp_path)
    record = json.loads((prepared[0] / "outside.json").read_text())
    slip = f"audit head #{record['last_id']} {record['last_hash'][:16]} {record['mac'][:8]} 2026-12-02T05:30Z"
    assert _verify(home, "--slip", slip)["ok"]
    (home / "audit-anchor.json").unlink()
    _truncate(home, prepared[1]["truncate_after"])
    report = _verify(home, "--slip", slip)
    assert not report["ok"] and report["reason_key"] == "audit.reason.anchor_truncated"
    keep = prepared[1]["truncate_after"]
    earlier = sqlite3.connect(home / "ledger.sqlite3").execute(f"SELECT hash FROM events WHERE id = {keep}").fetchone()
    assert _verify(home, "--slip", f"#{keep} {earlier[0][:16]}")["ok"]
    wrong = "0" * 16 if not earlier[0].startswith("0" * 16) else "1" * 16
    report = _verify(home, "--slip", f"#{keep} {wrong}")
    assert not report["ok"] and report["reason_key"] == "audit.reason.anchor_rewritten"
    assert _station(home, "audit", "verify", "--slip", "no head here").exit_code == 2


def test_rewritten_history_is_caught_by_the_head_record(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    """Truncate and append new events with the key: the chain is whole, and the anchored event's hash differs."""
    home = _copy(prepared, tmp_path)
    _truncate(home, prepared[1]["truncate_after"])
    with Home.open(home, operator="admin") as h:
        for _ in range(5):
            with h.ledger.transaction():
                h.ledger.append_event("note.added", {"text": "x"})
    report = _verify(home)
    assert not report["ok"] and report["reason_key"] == "audit.reason.anchor_rewritten"


def test_a_head_record_not_written_by_the_station_is_refused(
    prepared: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    home = _copy(prepared, tmp_path)
    record = json.loads((prepared[0] / "outside.json").read_text())
    record["last_id"] -= 3
    record["events"] -= 3
    forged = tmp_path / "forged.json"
    forged.write_text(json.dumps(record))
    report = _verify(home, "--anchor", str(forged))
    assert not report["ok"] and report["reason_key"] == "audit.reason.anchor_forged"
    (home / "audit-anchor.json").write_text("not a record")
    assert _verify(home)["reason_key"] == "audit.reason.anchor_forged"


def test_a_successful_verify_moves_the_kept_head_forward(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    home = _copy(prepared, tmp_path)
    with Home.open(home, operator="admin") as h, h.ledger.transaction():
        h.ledger.append_event("note.added", {"text": "x"})
    assert _verify(home)["ok"]
    kept = json.loads((home / "audit-anchor.json").read_text())
    assert kept["last_id"] == prepared[1]["events"] + 1
    assert (home / "audit-anchor.json").stat().st_mode & 0o777 == 0o600


def test_event_edits_are_named(prepared: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    home = _copy(prepared, tmp_path)
    _edit(home, "UPDATE events SET data = replace(data, '假冒', '无') WHERE kind = 'enterprise.blacklist'")
    assert "content does not match its hash" in _verify(home)["reason"]
    home2 = _copy(prepared, tmp_path / "b")
    _edit(home2, "DELETE FROM events WHERE id = 7")
    report = _verify(home2)
    assert report["broken_at"] == 8 and "event 7 is missing" in report["reason"]


def test_anchor_prints_a_slip_line_and_refuses_a_broken_ledger(
    prepared: tuple[Path, dict[str, Any]], tmp_path: Path
) -> None:
    home = _copy(prepared, tmp_path)
    result = _station(home, "audit", "anchor")
    record = json.loads((home / "audit-anchor.json").read_text())
    assert (
        result.exit_code == 0
        and f"#{record['last_id']} {record['last_hash'][:16]} {record['mac'][:8]}" in result.output
    )
    _edit(home, "UPDATE lots SET recalled = 0")
    assert _station(home, "audit", "anchor").exit_code == 1
    assert json.loads((home / "audit-anchor.json").read_text()) == record
