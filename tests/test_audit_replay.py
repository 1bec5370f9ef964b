"""Recomputing the tables from events written before the events carried a digest of an operator's PIN hash; head
records read and written; the report in both languages; the same recomputation on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from station.cli import cli
from station.home import Home
from station.issue import issue_codes
from station.ledger.audit import Anchor, read_anchor, write_anchor
from station.ledger.base import utc_now
from station.operators import add_operator
from station.registry import add_enterprise, add_product, review_enterprise
from tests.pg_helpers import Backend


def _old_ledger(path: Path) -> None:
    """Rows and events as an earlier version wrote them: no PIN digest."""
    home = Home.open(path, operator="admin")
    home.init()
    led = home.ledger
    with led.transaction():
        led._db.execute(
            "INSERT INTO operators (name, role, pin_hash, created_at) VALUES ('clerk', 'clerk', 'h$00$11', ?)",
            (utc_now(),),
        )
        led.append_event("operator.added", {"name": "clerk", "role": "clerk"})
        led._db.execute(
            "INSERT INTO enterprises (id, name, credit_code, contact, status, created_at)"
            " VALUES (1, '牟定县测试腐乳厂', '91532323MA6N0FRU1E', '张三', 'pending', ?)",
            (utc_now(),),
        )
        led.append_event(
            "enterprise.added", {"name": "牟定县测试腐乳厂", "credit_code": "91532323MA6N0FRU1E"}, enterprise_id=1
        )
    home.close()


def _verify(path: Path, lang: str = "en") -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--home", str(path), "--lang", lang, "audit", "verify"])
    return result.exit_code, result.output


def _edit(path: Path, sql: str) -> None:
    db = sqlite3.connect(path / "ledger.sqlite3")
    db.execute(sql)
    db.commit()
    db.close()


def test_an_older_ledger_verifies_and_what_its_events_lack_is_not_compared(tmp_path: Path) -> None:
    _old_ledger(tmp_path / "home")
    assert _verify(tmp_path / "home")[0] == 0
    _edit(tmp_path / "home", "UPDATE operators SET pin_hash = 'h$22$33'")
    _edit(tmp_path / "home", "UPDATE enterprises SET contact = '李四'")
    assert _verify(tmp_path / "home")[0] == 0  # as the documentation says: these events cannot prove those
    _edit(tmp_path / "home", "UPDATE operators SET role = 'admin'")
    code, out = _verify(tmp_path / "home")
    assert code == 1 and "operators row clerk, column role" in out


def test_the_report_names_the_row_in_chinese_too(tmp_path: Path) -> None:
    _old_ledger(tmp_path / "home")
    _edit(tmp_path / "home", "UPDATE enterprises SET name = '假冒厂'")
    code, out = _verify(tmp_path / "home", "zh")
    assert code == 1 and "enterprises 表第 1 行 name 列" in out and '"假冒厂"' in out
    _edit(tmp_path / "home", "DELETE FROM enterprises")
    code, out = _verify(tmp_path / "home", "zh")
    assert code == 1 and "已不存在" in out


def test_a_head_record_reads_back_and_its_mac_covers_every_field(tmp_path: Path) -> None:
    key = b"k" * 32
    record = Anchor(12, 12, "ab" * 32, "2026-12-02T05:30:00.000000Z").signed(key)
    write_anchor(tmp_path / "a.json", record)
    assert read_anchor(tmp_path / "a.json") == record and record.authentic(key)
    assert not record.authentic(b"j" * 32)
    for changed in (
        Anchor(13, 12, record.last_hash, record.at, record.mac),
        Anchor(12, 13, record.last_hash, record.at, record.mac),
        Anchor(12, 12, "cd" * 32, record.at, record.mac),
        Anchor(12, 12, record.last_hash, "2026-12-03T05:30:00.000000Z", record.mac),
    ):
        assert not changed.authentic(key)
    assert read_anchor(tmp_path / "missing.json") is None
    (tmp_path / "bad.json").write_bytes(b"\xff\xfe")
    bad = read_anchor(tmp_path / "bad.json")
    assert bad is not None and not bad.authentic(key)


def test_a_slip_line_reads_back() -> None:
    slip = Anchor.from_slip("审计链头 #41 0123456789ABCDEF 1a2b3c4d 2026-12-02T05:30Z")
    assert slip is not None and (slip.last_id, slip.last_hash, slip.partial) == (41, "0123456789abcdef", True)
    assert Anchor.from_slip("#41 0123456789abcde") is None
    assert Anchor.from_slip("41 0123456789abcdef") is None


EDITS = [
    ("UPDATE pickups SET receiver = 'x'", "pickups"),
    ("UPDATE codes SET lot_id = NULL WHERE serial = 1", "codes"),
    ("UPDATE pickup_rolls SET active = 0", "pickup_rolls"),
    ("UPDATE order_ranges SET last_serial = 9", "order_ranges"),
    ("UPDATE roll_labels SET position = 7 WHERE serial = 2", "roll_labels"),
    ("UPDATE operators SET role = 'clerk'", "operators"),
    ("UPDATE enterprises SET credit_code = 'x'", "enterprises"),
]


@pytest.mark.all_backends
@pytest.mark.parametrize(("sql", "table"), EDITS)
def test_rows_are_recomputed_on_every_backend(home: Home, backend: Backend, sql: str, table: str) -> None:
    """The same SQL recomputes the tables on SQLite and PostgreSQL: a clean ledger verifies, an edit is named."""
    led = home.ledger
    eid = add_enterprise(led, "牟定县测试腐乳厂", "91532323MA6N0FRU1E", "张三")
    review_enterprise(led, eid, "approve")
    pid = add_product(led, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    order = issue_codes(home, eid, pid, 6).order
    run = led.create_run(order, "50x30", 3, "tcp://192.0.2.7:9100", "cam")
    led.open_roll(run, "R1", 1)
    for serial in (1, 2, 3):
        led.print_on_roll(serial, "R1", {})
        led.transition(serial, "verify", {})
    led.close_roll("R1")
    led.create_pickup(eid, "王五", ["R1"])
    lot = led.add_lot(pid, "L1", "2026-11-01", "", [])
    led.bind(1, lot, {})
    add_operator(led, "admin", "admin", "123456")
    assert led.verify_audit().ok
    home.close()
    db = backend.connect(home.path)
    db.execute(sql)
    db.close()
    with Home.open(home.path, operator="tester") as reopened:
        report = reopened.ledger.verify_audit()
    assert not report.ok and report.table == table, report
