"""Ledger: lifecycle table, atomic transitions, append-only events, tamper detection, migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from station.errors import LedgerError, TransitionError
from station.home import Home
from station.issue import issue_codes
from station.ledger import Actor, State, open_ledger
from station.ledger.lifecycle import TRANSITIONS, next_state
from station.ledger.schema import SCHEMA_VERSION


def _db(home: Home) -> sqlite3.Connection:
    db = sqlite3.connect(home.path / "ledger.sqlite3", isolation_level=None)
    return db


def _tamper(home: Home, *statements: str) -> None:
    """What someone with a SQLite tool could do: drop the guards and rewrite rows."""
    home.close()
    db = _db(home)
    db.execute("DROP TRIGGER events_append_only_update")
    db.execute("DROP TRIGGER events_append_only_delete")
    for sql in statements:
        db.execute(sql)
    db.close()


def test_pragmas_and_schema_version(home: Home) -> None:
    db = _db(home)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert home.ledger._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # type: ignore[attr-defined]


def test_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "l.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(LedgerError) as info:
        open_ledger(f"sqlite:///{path}", Actor("t", "S"))
    assert info.value.key == "ledger.schema_newer"


def test_lifecycle_walk_records_each_step(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    result = issue_codes(home, eid, pid, 3)
    serial = result.first_serial
    ledger = home.ledger
    for action, expected in [
        ("print", State.PRINTED),
        ("verify", State.VERIFIED),
        ("distribute", State.DISTRIBUTED),
        ("bind", State.BOUND),
        ("recall", State.RECALLED),
    ]:
        assert ledger.transition(serial, action) == expected
    events = ledger.code_events(serial, result.order)
    assert [e["kind"] for e in events] == [
        "order.issued",
        "code.print",
        "code.verify",
        "code.distribute",
        "code.bind",
        "code.recall",
    ]
    assert all(e["operator"] == "tester" and e["station"] == "MD-01" for e in events)
    assert ledger.transition(serial + 1, "print") == State.PRINTED
    assert ledger.transition(serial + 1, "reject", {"grade": 0.5}) == State.VOIDED
    assert ledger.verify_audit().ok


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (State.ISSUED, "verify"),
        (State.ISSUED, "distribute"),
        (State.ISSUED, "bind"),
        (State.ISSUED, "recall"),
        (State.ISSUED, "reject"),
    ],
)
def test_illegal_transition_raises_and_changes_nothing(
    seeded: tuple[Home, int, int], state: State, action: str
) -> None:
    home, eid, pid = seeded
    result = issue_codes(home, eid, pid, 2)
    ledger = home.ledger
    before = ledger.verify_audit().events
    with pytest.raises(TransitionError) as info:
        ledger.transition(result.first_serial, action)
    assert "issued" in info.value.message and info.value.key == "ledger.illegal_transition"
    assert ledger.code(result.first_serial)["state"] == state  # type: ignore[index]
    assert ledger.verify_audit().events == before


def test_voided_code_cannot_come_back(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    serial = issue_codes(home, eid, pid, 1).first_serial
    home.ledger.transition(serial, "void")
    for action in ("print", "verify", "distribute", "bind", "void", "undistribute"):
        assert next_state(action, State.VOIDED) is None
        with pytest.raises(TransitionError):
            home.ledger.transition(serial, action)


def test_transition_table_only_names_known_states() -> None:
    for (action, src), dst in TRANSITIONS.items():
        assert isinstance(src, State) and isinstance(dst, State) and action


def test_events_and_codes_are_guarded_against_edits(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    issue_codes(home, eid, pid, 2)
    db = _db(home)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE events SET operator = 'x' WHERE id = 1")
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("DELETE FROM events WHERE id = 1")
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        db.execute("DELETE FROM codes")


def _chain(home: Home) -> Home:
    """A ledger with several events; returns a fresh Home for after tampering."""
    from station.registry import add_enterprise, add_product, review_enterprise

    eid = add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323")
    result = issue_codes(home, eid, pid, 5)
    for s in range(result.first_serial, result.last_serial + 1):
        home.ledger.transition(s, "print")
    assert home.ledger.verify_audit().ok
    assert home.ledger.verify_audit().events == 9
    return home


def _reopen(home: Home) -> Home:
    return Home.open(home.path, operator="auditor")


def test_edit_of_any_event_is_reported(home: Home) -> None:
    _chain(home)
    _tamper(home, "UPDATE events SET operator = 'mallory' WHERE id = 5")
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.broken_at == 5 and report.reason == "audit.reason.hash"


def test_edit_with_recomputed_hash_is_reported_at_the_next_event(home: Home) -> None:
    from station.ledger.audit import event_hash

    _chain(home)
    db = _db(home)
    db.row_factory = sqlite3.Row
    row = dict(db.execute("SELECT * FROM events WHERE id = 4").fetchone())
    row["data"] = row["data"].replace('"count":5', '"count":6')
    forged = event_hash(row, row["prev_hash"])
    db.close()
    _tamper(home, f"UPDATE events SET data = '{row['data']}', hash = '{forged}' WHERE id = 4")
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.broken_at == 5 and report.reason == "audit.reason.prev"


def test_deleted_event_is_reported_as_missing(home: Home) -> None:
    _chain(home)
    _tamper(home, "DELETE FROM events WHERE id = 6")
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.missing == 6 and report.reason == "audit.reason.gap"


def test_deleted_last_event_is_reported(home: Home) -> None:
    _chain(home)
    _tamper(home, "DELETE FROM events WHERE id = 9")
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.reason == "audit.reason.head"


def test_reordered_events_are_reported(home: Home) -> None:
    _chain(home)
    _tamper(
        home,
        "UPDATE events SET id = -1 WHERE id = 6",
        "UPDATE events SET id = 6 WHERE id = 7",
        "UPDATE events SET id = 7 WHERE id = -1",
    )
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.broken_at == 6


def test_rollback_leaves_no_partial_order(seeded: tuple[Home, int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    home, eid, pid = seeded
    ledger = home.ledger
    before = ledger.verify_audit().events

    def boom(*_a: object, **_k: object) -> int:
        raise RuntimeError("power cut")

    monkeypatch.setattr(ledger, "append_event", boom)
    with pytest.raises(RuntimeError):
        issue_codes(home, eid, pid, 1000)
    monkeypatch.undo()
    assert ledger.orders() == []
    assert ledger.next_serial() == 1
    assert ledger.verify_audit().events == before
