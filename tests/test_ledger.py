"""Ledger: lifecycle table, atomic transitions, append-only events, tamper detection, migrations.

Every test that opens a ledger runs on SQLite and on PostgreSQL (the ``all_backends`` mark).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from station.errors import LedgerError, RegistryError, TransitionError
from station.home import Home
from station.issue import issue_codes
from station.ledger import Actor, State, open_ledger
from station.ledger.lifecycle import ACTIONS, TRANSITIONS, next_state
from station.ledger.schema import SCHEMA_VERSION
from tests.pg_helpers import Backend
from tests.test_lifecycle_rules import ALLOWED

pytestmark = pytest.mark.all_backends


def _tamper(home: Home, backend: Backend, *statements: str) -> None:
    """What someone with a database tool and the owner's rights could do: drop the guards and rewrite rows."""
    home.close()
    db = backend.connect(home.path)
    backend.drop_guards(db)
    for sql in statements:
        db.execute(sql)
    db.close()


def _rows(db: Any, sql: str) -> list[dict[str, Any]]:
    cursor = db.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def test_pragmas_and_schema_version(home: Home, backend: Backend) -> None:
    db = backend.connect(home.path)
    if backend.name == "sqlite":
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert home.ledger._db.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # type: ignore[attr-defined]
        return
    applied = _rows(db, "SELECT version, applied_at FROM schema_migrations ORDER BY version")
    assert [r["version"] for r in applied] == list(range(1, SCHEMA_VERSION + 1))
    home.close()
    open_ledger(backend.url or "", Actor("t", "S")).close()  # a second open runs nothing again
    assert _rows(db, "SELECT version, applied_at FROM schema_migrations ORDER BY version") == applied


def test_newer_schema_is_refused(tmp_path: Path, backend: Backend) -> None:
    url = backend.url or f"sqlite:///{tmp_path / 'l.sqlite3'}"
    open_ledger(url, Actor("t", "S")).close()
    if backend.url is None:
        db: Any = sqlite3.connect(tmp_path / "l.sqlite3")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        db.commit()
    else:
        db = backend.connect(tmp_path)
        db.execute(f"INSERT INTO schema_migrations VALUES ({SCHEMA_VERSION + 1}, 'later')")
    db.close()
    with pytest.raises(LedgerError) as info:
        open_ledger(url, Actor("t", "S"))
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


_PATH = {
    State.ISSUED: [],
    State.PRINTED: ["print"],
    State.VERIFIED: ["print", "verify"],
    State.DISTRIBUTED: ["print", "verify", "distribute"],
    State.BOUND: ["print", "verify", "distribute", "bind"],
    State.RECALLED: ["print", "verify", "distribute", "bind", "recall"],
    State.VOIDED: ["void"],
}
# the refused pairs below are checked against the table written out by hand, not against the table under test
_ACTIONS = ("bind", "distribute", "print", "recall", "reject", "undistribute", "verify", "void")
ILLEGAL = [(state, action) for state in _PATH for action in _ACTIONS if (action, state) not in ALLOWED]


@pytest.mark.parametrize(("state", "action"), ILLEGAL)
def test_illegal_transition_raises_and_changes_nothing(
    seeded: tuple[Home, int, int], state: State, action: str
) -> None:
    home, eid, pid = seeded
    result = issue_codes(home, eid, pid, 2)
    ledger = home.ledger
    for step in _PATH[state]:
        ledger.transition(result.first_serial, step)
    before = ledger.verify_audit().events
    with pytest.raises(TransitionError) as info:
        ledger.transition(result.first_serial, action)
    assert info.value.key == "ledger.illegal_transition"
    assert info.value.params["state"] == state.label
    assert ledger.code(result.first_serial)["state"] == state  # type: ignore[index]
    assert ledger.verify_audit().events == before


def test_voided_code_cannot_come_back(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    serial = issue_codes(home, eid, pid, 1).first_serial
    home.ledger.transition(serial, "void")
    for action in ("print", "verify", "distribute", "bind", "void", "undistribute"):
        assert next_state(action, State.VOIDED) is None
        with pytest.raises(TransitionError) as info:
            home.ledger.transition(serial, action)
        assert info.value.key == "ledger.illegal_transition" and info.value.params["state"] == "voided"


def test_transition_table_is_the_written_out_one() -> None:
    assert TRANSITIONS == ALLOWED
    assert ACTIONS == frozenset(_ACTIONS)
    assert len(ILLEGAL) == 7 * 8 - 12  # a bound code may be voided too (a stolen roll already bound)


def test_events_and_codes_are_guarded_against_edits(seeded: tuple[Home, int, int], backend: Backend) -> None:
    home, eid, pid = seeded
    issue_codes(home, eid, pid, 2)
    db = backend.connect(home.path)
    with pytest.raises(backend.error, match="append-only"):
        db.execute("UPDATE events SET operator = 'x' WHERE id = 1")
    with pytest.raises(backend.error, match="append-only"):
        db.execute("DELETE FROM events WHERE id = 1")
    with pytest.raises(backend.error, match="never deleted"):
        db.execute("DELETE FROM codes")
    with pytest.raises(backend.error, match="keeps its serial"):
        db.execute("UPDATE codes SET order_id = 2 WHERE serial = 1")
    if backend.name == "postgresql":  # SQLite has no TRUNCATE; PostgreSQL's would bypass row triggers
        with pytest.raises(backend.error, match="append-only"):
            db.execute("TRUNCATE events")
        with pytest.raises(backend.error, match="never deleted"):
            db.execute("TRUNCATE codes CASCADE")
    assert home.ledger.verify_audit().ok


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


def test_edit_of_any_event_is_reported(home: Home, backend: Backend) -> None:
    _chain(home)
    _tamper(home, backend, "UPDATE events SET operator = 'mallory' WHERE id = 5")
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.broken_at == 5 and report.reason == "audit.reason.hash"


def test_rewritten_chain_without_the_key_is_reported(home: Home, backend: Backend) -> None:
    """Someone with a SQLite tool but not the station's key edits an event and recomputes every hash after it."""
    from station.ledger.audit import GENESIS, event_hash

    _chain(home)
    db = backend.connect(home.path)
    rows = _rows(db, "SELECT * FROM events ORDER BY id")
    db.close()
    rows[3]["data"] = rows[3]["data"].replace('"count":5', '"count":6')
    prev = GENESIS
    statements = []
    for row in rows:
        row["hash"] = event_hash(row, prev)  # unkeyed: the forger has no key
        statements.append(
            f"UPDATE events SET data = '{row['data']}', prev_hash = '{prev}', hash = '{row['hash']}'"
            f" WHERE id = {row['id']}"
        )
        prev = row["hash"]
    statements.append(f"UPDATE chain_head SET last_hash = '{prev}'")
    _tamper(home, backend, *statements)
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.broken_at == 1 and report.reason == "audit.reason.hash"


def test_state_changed_behind_the_log_is_reported(home: Home, backend: Backend) -> None:
    _chain(home)
    home.close()
    db = backend.connect(home.path)
    db.execute("UPDATE codes SET state = 6 WHERE serial = 2")
    db.close()
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.reason == "audit.reason.state" and report.subject == "code serial 2"


def test_enterprise_changed_behind_the_log_is_reported(home: Home, backend: Backend) -> None:
    _chain(home)
    home.close()
    db = backend.connect(home.path)
    db.execute("UPDATE enterprises SET blacklisted = 1")
    db.close()
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.reason == "audit.reason.state" and report.subject == "enterprise 1"


def test_a_new_key_is_never_made_for_a_ledger_with_history(home: Home) -> None:
    from station.errors import ConfigError

    _chain(home)
    home.close()
    (home.path / "code.key").unlink()
    again = Home.open(home.path)
    with pytest.raises(ConfigError) as info:
        again.init()
    assert info.value.key == "config.key_missing" and not (home.path / "code.key").exists()
    with pytest.raises(ConfigError):
        _ = again.ledger


def test_a_different_key_is_refused(home: Home) -> None:
    from station.codes import create_key_file
    from station.errors import ConfigError

    _chain(home)
    home.close()
    (home.path / "code.key").unlink()
    create_key_file(home.path / "code.key")
    with pytest.raises(ConfigError) as info:
        _ = Home.open(home.path).ledger
    assert info.value.key == "config.key_mismatch"


def test_deleted_event_is_reported_as_missing(home: Home, backend: Backend) -> None:
    _chain(home)
    _tamper(home, backend, "DELETE FROM events WHERE id = 6")
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.missing == 6 and report.reason == "audit.reason.gap"


def test_deleted_last_event_is_reported(home: Home, backend: Backend) -> None:
    _chain(home)
    _tamper(home, backend, "DELETE FROM events WHERE id = 9")
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.reason == "audit.reason.head"


def test_reordered_events_are_reported(home: Home, backend: Backend) -> None:
    _chain(home)
    _tamper(
        home,
        backend,
        "UPDATE events SET id = -1 WHERE id = 6",
        "UPDATE events SET id = 6 WHERE id = 7",
        "UPDATE events SET id = 7 WHERE id = -1",
    )
    report = _reopen(home).ledger.verify_audit()
    assert not report.ok and report.broken_at == 6 and report.reason == "audit.reason.prev" and report.events == 5


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


def test_print_pickup_bind_recall_lookup_and_operators(seeded: tuple[Home, int, int]) -> None:
    """The repository after the print run: rolls, pickups and their undo, lots, binding, recall, lookup by the
    code's lot, operators, and the streamed event reads."""
    from station.codes import make_code
    from station.lookup import lookup_code
    from station.lots import add_lot, bind_codes, inspect_lot, recall_lot, release_lot
    from station.operators import add_operator, operators, sign_in

    home, eid, pid = seeded
    ledger = home.ledger
    order = issue_codes(home, eid, pid, 6).order
    run = ledger.create_run(order, "default", 3, "socket://127.0.0.1:9100", "video://0")
    assert ledger.last_label() is None
    on_roll: dict[int, str] = {}
    for number, roll in enumerate(("R0000000001", "R0000000002"), start=1):
        before = ledger.last_label()
        ledger.open_roll(run, roll, number)
        assert ledger.last_label() == before  # nothing on the new roll yet; its own label comes last
        for serial in ledger.codes_in_state(order, State.ISSUED, limit=3):
            assert ledger.print_on_roll(serial, roll, {"grade": 3.5}) == len(ledger.roll(roll)["labels"]) - 1
            assert ledger.last_label() == (roll, serial)
            ledger.transition(serial, "verify", {"letter": "A"})
            on_roll[serial] = roll
        ledger.close_roll(roll)
    assert {serial: ledger.roll_of(serial) for serial in on_roll} == on_roll
    unprinted = ledger.codes_in_state(issue_codes(home, eid, pid, 1).order, State.ISSUED)[0]
    assert ledger.roll_of(unprinted) is None and ledger.issued_code(unprinted)["state"] is State.ISSUED
    with pytest.raises(RegistryError) as err:
        ledger.issued_code(unprinted + 1)
    assert err.value.key == "code.unknown_serial"
    ledger.set_run_status(run, "done")
    assert ledger.unfinished_run(order) is None and ledger.run(run)["status"] == "done"
    assert [r["id"] for r in ledger.rolls(order)] == ["R0000000001", "R0000000002"]
    assert ledger.order_state_counts(order) == {State.VERIFIED: 6}

    undone = ledger.create_pickup(eid, "李四", ["R0000000001"])
    assert ledger.roll_pickup("R0000000001") == undone
    ledger.undo_pickup(undone, "领错了")
    assert ledger.roll_pickup("R0000000001") is None and ledger.pickup(undone)["undo_reason"] == "领错了"
    pickup = ledger.create_pickup(eid, "李四", ["R0000000001", "R0000000002"])
    assert ledger.pickup(pickup)["rolls"] == ["R0000000001", "R0000000002"]
    assert ledger.order_state_counts(order) == {State.DISTRIBUTED: 6}

    lot = add_lot(ledger, pid, "MD20261120", "2026-11-20", "500克", ["腌制 30 天"])
    inspect_lot(ledger, lot, "pass", "YN-2026-0042")
    release_lot(ledger, lot)
    assert [x["id"] for x in ledger.lots(pid)] == [lot] and ledger.lot(lot)["records"] == ["腌制 30 天"]
    assert bind_codes(home, lot, roll_id="R0000000001") == 3
    first = ledger.lot_codes(lot)[0]
    assert ledger.code(first)["lot_id"] == lot
    assert recall_lot(home, lot, "抽检不合格") == 3
    info = lookup_code(home, make_code(home.key, first))
    assert info["state"] == "recalled" and info["lot"]["number"] == "MD20261120" and info["lot"]["recalled"] == 1
    unbound = ledger.codes_in_state(order, State.DISTRIBUTED)[0]
    assert lookup_code(home, make_code(home.key, unbound))["lot"] is None

    add_operator(ledger, "王五", "clerk", "246813")
    assert sign_in(ledger, "王五", "246813") == "clerk"
    assert operators(ledger) == [{"name": "王五", "role": "clerk", "disabled": 0}]
    assert [e["kind"] for e in ledger.events_of(["pickup.made", "pickup.undone"], enterprise_id=eid)] == [
        "pickup.made",
        "pickup.undone",
        "pickup.made",
    ]
    prints = list(ledger.order_code_events(order, ["code.print"]))
    assert [e["serial"] for e in prints] == sorted(e["serial"] for e in prints) and len(prints) == 6
    everything = ledger.events()
    assert ledger.events(after=everything[-3]["id"]) == everything[-2:]
    assert ledger.verify_audit().ok


def test_enterprise_documents_are_stored_as_given_with_their_event(seeded: tuple[Home, int, int]) -> None:
    """Licences and qualifications: stored as JSON text that keeps its Chinese as written, carried whole by the
    enterprise's event; an enterprise the ledger does not have is refused and nothing is written."""
    import json

    home, eid, _pid = seeded
    ledger = home.ledger
    documents = {"licences": {"营业执照": "YN-001", "食品生产许可证": "SC-002"}, "qualifications": ["地理标志"]}
    before = len(ledger.events())
    ledger.set_enterprise_documents(eid, documents)
    stored = ledger.enterprise(eid)["documents"]
    assert json.loads(stored) == documents and "营业执照" in stored  # not \\u escapes
    [event] = ledger.events(after=ledger.events()[before - 1]["id"])
    assert (event["kind"], event["enterprise_id"], event["data"]) == ("enterprise.documents", eid, documents)
    with pytest.raises(RegistryError) as err:
        ledger.set_enterprise_documents(eid + 99, documents)
    assert err.value.key == "enterprise.unknown" and len(ledger.events()) == before + 1
    assert ledger.verify_audit().ok
