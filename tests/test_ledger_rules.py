"""The ledger's rules on SQLite: the event chain and what breaks it, the refusals of the repository interface
with their keys, and the exact rows and events each write leaves.

Tampering is done as someone with a plain SQLite tool on the ledger file would: drop the append-only
triggers, edit rows, then open the ledger again and run the audit.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from station.errors import CodeError, LedgerError, RegistryError
from station.ledger import Actor, Ledger, State
from station.ledger import sql as ledger_sql
from station.ledger.audit import GENESIS, HASHED_FIELDS, AuditReport, event_hash, verify_chain
from station.ledger.schema import MIGRATIONS, SCHEMA_VERSION
from station.ledger.sqlite import SqliteLedger, split_sql

KEY = b"k" * 32
ACTOR = Actor("tester", "MD-01")
AT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")


def _open(path: Path, key: bytes | None = KEY) -> SqliteLedger:
    ledger = SqliteLedger(path, ACTOR)
    ledger.audit_key = key
    return ledger


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    led = _open(tmp_path / "ledger.sqlite3")
    yield led
    led.close()


def _raw(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.row_factory = sqlite3.Row
    return db


def _build_chain(ledger: Ledger) -> None:
    """Nine events: enterprise added and approved, product, order of five, five prints."""
    eid = ledger.add_enterprise("甲", "91532323MA6N0FRU1E")
    ledger.update_enterprise(eid, "enterprise.approve", None, status="approved")
    pid = ledger.add_product(eid, "牟定腐乳", "532323101001", [], None, None)
    _order, first, last = ledger.create_order(eid, pid, 5, "https://t.example/q/", None, None, 10**9)
    for serial in range(first, last + 1):
        ledger.transition(serial, "print")


@pytest.fixture
def chained(tmp_path: Path) -> Path:
    """A closed ledger file with a nine-event keyed chain that verifies."""
    path = tmp_path / "ledger.sqlite3"
    with _open(path) as led:
        _build_chain(led)
        report = led.verify_audit()
        assert report.ok and report.events == 9
    return path


def _tamper(path: Path, *statements: str) -> None:
    db = _raw(path)
    db.execute("DROP TRIGGER IF EXISTS events_append_only_update")
    db.execute("DROP TRIGGER IF EXISTS events_append_only_delete")
    for statement in statements:
        db.execute(statement)
    db.close()


def _flip(digest: str, position: int = 0) -> str:
    """The hash with one hex digit changed."""
    return digest[:position] + ("0" if digest[position] != "0" else "1") + digest[position + 1 :]


def _hashes(path: Path) -> dict[int, str]:
    db = _raw(path)
    found = {row["id"]: row["hash"] for row in db.execute("SELECT id, hash FROM events")}
    db.close()
    return found


def _audit(path: Path, key: bytes | None = KEY) -> AuditReport:
    with _open(path, key) as led:
        return led.verify_audit()


# --- the hash of one event --------------------------------------------------------------------------------

EVENT: dict[str, Any] = {
    "id": 7,
    "at": "2026-11-20T08:00:00.000001Z",
    "operator": "王五",
    "station": "MD-01",
    "kind": "code.print",
    "enterprise_id": None,
    "product_id": 2,
    "order_id": 3,
    "serial": 40,
    "data": '{"from":"issued","to":"printed"}',
}
# The canonical text, written out: field order, compact separators, UTF-8 kept as is, previous hash last.
CANONICAL = (
    '[7,"2026-11-20T08:00:00.000001Z","王五","MD-01","code.print",null,2,3,40,'
    '"{\\"from\\":\\"issued\\",\\"to\\":\\"printed\\"}","' + "ab" * 32 + '"]'
).encode()


def test_hashed_fields_are_every_content_column_in_order() -> None:
    assert HASHED_FIELDS == (
        "id",
        "at",
        "operator",
        "station",
        "kind",
        "enterprise_id",
        "product_id",
        "order_id",
        "serial",
        "data",
    )
    assert GENESIS == "0" * 64


def test_event_hash_is_over_the_canonical_text() -> None:
    assert event_hash(EVENT, "ab" * 32) == hashlib.sha256(CANONICAL).hexdigest()
    assert event_hash(EVENT, "ab" * 32, KEY) == hmac.new(KEY, CANONICAL, hashlib.sha256).hexdigest()
    assert event_hash(EVENT, "ab" * 32, b"") == hashlib.sha256(CANONICAL).hexdigest()
    assert event_hash(EVENT, "ab" * 32, KEY) != event_hash(EVENT, "ab" * 32, b"j" * 32)


def test_event_hash_ignores_columns_outside_the_hashed_ones() -> None:
    stored = {**EVENT, "prev_hash": "x", "hash": "y"}
    assert event_hash(stored, "ab" * 32, KEY) == event_hash(EVENT, "ab" * 32, KEY)


@pytest.mark.parametrize("field", HASHED_FIELDS)
@pytest.mark.parametrize("key", [None, KEY], ids=["plain", "keyed"])
def test_event_hash_covers_each_field(field: str, key: bytes | None) -> None:
    changed = {**EVENT, field: "changed" if isinstance(EVENT[field], str) else 99}
    assert event_hash(changed, "ab" * 32, key) != event_hash(EVENT, "ab" * 32, key)


def test_event_hash_covers_the_previous_hash() -> None:
    assert event_hash(EVENT, "ab" * 32, KEY) != event_hash(EVENT, "ab" * 31 + "ac", KEY)


# --- verify_chain over events in memory ---------------------------------------------------------------------


def _events(n: int, key: bytes | None = KEY) -> list[dict[str, Any]]:
    events = []
    prev = GENESIS
    for i in range(1, n + 1):
        event = {**EVENT, "id": i, "serial": i}
        event["prev_hash"] = prev
        event["hash"] = prev = event_hash(event, prev, key)
        events.append(event)
    return events


def test_chain_in_memory_verifies() -> None:
    events = _events(3)
    assert verify_chain(events, 3, events[-1]["hash"], KEY) == AuditReport(True, 3, events[-1]["hash"])
    assert verify_chain([], 0, GENESIS, KEY) == AuditReport(True, 0, GENESIS)
    plain = _events(2, None)
    assert verify_chain(plain, 2, plain[-1]["hash"]) == AuditReport(True, 2, plain[-1]["hash"])


def test_chain_under_another_key_is_an_edit_at_the_first_event() -> None:
    events = _events(3)
    assert verify_chain(events, 3, events[-1]["hash"], b"j" * 32) == AuditReport(
        False, 0, GENESIS, 1, "audit.reason.hash"
    )
    assert verify_chain(events, 3, events[-1]["hash"]) == AuditReport(False, 0, GENESIS, 1, "audit.reason.hash")


def test_chain_with_a_gap_names_the_missing_event() -> None:
    events = _events(4)
    del events[1]
    assert verify_chain(events, 4, events[-1]["hash"], KEY) == AuditReport(
        False, 1, events[0]["hash"], 3, "audit.reason.gap", missing=2
    )
    assert verify_chain(_events(2)[1:], 2, "", KEY) == AuditReport(False, 0, GENESIS, 2, "audit.reason.gap", missing=1)


def test_chain_with_a_broken_link_is_reported_at_the_event() -> None:
    events = _events(3)
    events[2]["prev_hash"] = GENESIS
    assert verify_chain(events, 3, events[-1]["hash"], KEY) == AuditReport(
        False, 2, events[1]["hash"], 3, "audit.reason.prev"
    )


def test_chain_head_must_match_count_and_hash() -> None:
    events = _events(3)
    last = events[-1]["hash"]
    assert verify_chain(events, 4, last, KEY) == AuditReport(False, 3, last, 4, "audit.reason.head")
    assert verify_chain(events, 2, last, KEY) == AuditReport(False, 3, last, 3, "audit.reason.head")
    assert verify_chain(events, 3, events[1]["hash"], KEY) == AuditReport(False, 3, last, 4, "audit.reason.head")
    assert verify_chain([], 1, GENESIS, KEY) == AuditReport(False, 0, GENESIS, 1, "audit.reason.head")
    assert verify_chain([], 0, "", KEY) == AuditReport(False, 0, GENESIS, 1, "audit.reason.head")


def test_chain_walk_stops_at_the_first_fault() -> None:
    """A stream that must not be read past the broken event."""
    events = _events(3)
    events[1]["hash"] = "0" + events[1]["hash"][1:]

    def stream() -> Iterator[dict[str, Any]]:
        yield from events[:2]
        raise AssertionError("read past the broken event")

    assert verify_chain(stream(), 3, "", KEY) == AuditReport(False, 1, events[0]["hash"], 2, "audit.reason.hash")


# --- each hashed column edited in the ledger file, found by `station audit verify` ------------------------

EDITS = {
    "at": "at = '2020-01-01T00:00:00.000000Z'",
    "operator": "operator = 'mallory'",
    "station": "station = 'XX-99'",
    "kind": "kind = 'code.void'",
    "enterprise_id": "enterprise_id = 1",
    "product_id": "product_id = 1",
    "order_id": "order_id = 2",
    "serial": "serial = 2",
    "data": 'data = replace(data, \'"to":"printed"\', \'"to":"verified"\')',
}


def test_edits_cover_every_hashed_column_but_the_id() -> None:
    assert set(EDITS) == set(HASHED_FIELDS) - {"id"}


@pytest.mark.parametrize("field", sorted(EDITS))
def test_editing_one_column_of_a_stored_event_is_reported(tmp_path: Path, field: str) -> None:
    from station.cli import cli
    from station.home import Home

    home = Home.open(tmp_path / "home", operator="tester")
    home.init()
    _build_chain(home.ledger)
    home.close()
    path = tmp_path / "home" / "ledger.sqlite3"
    hashes = _hashes(path)
    db = _raw(path)
    before = dict(db.execute("SELECT * FROM events WHERE id = 5").fetchone())
    db.close()
    _tamper(path, f"UPDATE events SET {EDITS[field]} WHERE id = 5")
    db = _raw(path)
    after = dict(db.execute("SELECT * FROM events WHERE id = 5").fetchone())
    db.close()
    assert {name for name in before if before[name] != after[name]} == {field}

    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "--lang", "en", "audit", "verify", "--json"])
    assert result.exit_code == 1, result.output
    assert json.loads(result.output) == {
        "ok": False,
        "events": 4,
        "head": hashes[4],
        "broken_at": 5,
        "reason": "audit chain broken at event 5: content does not match its hash (edited)",
    }


def test_audit_verify_passes_an_untouched_ledger(tmp_path: Path) -> None:
    from station.cli import cli
    from station.home import Home

    home = Home.open(tmp_path / "home", operator="tester")
    home.init()
    _build_chain(home.ledger)
    home.close()
    head = _hashes(tmp_path / "home" / "ledger.sqlite3")[9]
    result = CliRunner().invoke(cli, ["--home", str(tmp_path / "home"), "--lang", "en", "audit", "verify"])
    assert result.exit_code == 0, result.output
    assert result.output == f"audit chain intact: 9 events, head {head[:16]}\n"


# --- attacks on the chain in the ledger file ---------------------------------------------------------------


def test_untouched_chain_verifies_with_its_head(chained: Path) -> None:
    hashes = _hashes(chained)
    assert _audit(chained) == AuditReport(True, 9, hashes[9])


def test_chain_is_keyed(chained: Path) -> None:
    assert _audit(chained, b"j" * 32) == AuditReport(False, 0, GENESIS, 1, "audit.reason.hash")
    assert _audit(chained, None) == AuditReport(False, 0, GENESIS, 1, "audit.reason.hash")


def test_two_events_swapped(chained: Path) -> None:
    hashes = _hashes(chained)
    _tamper(
        chained,
        "UPDATE events SET id = -1 WHERE id = 6",
        "UPDATE events SET id = 6 WHERE id = 7",
        "UPDATE events SET id = 7 WHERE id = -1",
    )
    assert _audit(chained) == AuditReport(False, 5, hashes[5], 6, "audit.reason.prev")


def test_two_events_contents_swapped_keeping_their_links(chained: Path) -> None:
    """Swap everything but id, prev_hash and hash: each link still points the right way, the content does not."""
    hashes = _hashes(chained)
    columns = "at, operator, station, kind, enterprise_id, product_id, order_id, serial, data"
    _tamper(
        chained,
        "CREATE TABLE saved AS SELECT * FROM events WHERE id IN (6, 7)",
        *(
            f"UPDATE events SET ({columns}) = (SELECT {columns} FROM saved WHERE saved.id = {other}) WHERE id = {this}"
            for this, other in ((6, 7), (7, 6))
        ),
    )
    assert _audit(chained) == AuditReport(False, 5, hashes[5], 6, "audit.reason.hash")


def test_one_event_deleted(chained: Path) -> None:
    hashes = _hashes(chained)
    _tamper(chained, "DELETE FROM events WHERE id = 6")
    assert _audit(chained) == AuditReport(False, 5, hashes[5], 7, "audit.reason.gap", missing=6)


def test_first_event_deleted(chained: Path) -> None:
    _tamper(chained, "DELETE FROM events WHERE id = 1")
    assert _audit(chained) == AuditReport(False, 0, GENESIS, 2, "audit.reason.gap", missing=1)


def test_last_event_deleted(chained: Path) -> None:
    hashes = _hashes(chained)
    _tamper(chained, "DELETE FROM events WHERE id = 9")
    assert _audit(chained) == AuditReport(False, 8, hashes[8], 9, "audit.reason.head")


def test_last_event_deleted_with_the_head_moved_back_is_not_reported(chained: Path) -> None:
    """What the chain cannot see: the newest events dropped and the head rewound. The code's state then disagrees
    with its history, which the audit reports instead."""
    hashes = _hashes(chained)
    _tamper(
        chained,
        "DELETE FROM events WHERE id = 9",
        f"UPDATE chain_head SET last_id = 8, last_hash = '{hashes[8]}'",
    )
    assert _audit(chained) == AuditReport(False, 8, hashes[8], None, "audit.reason.state", subject="code serial 5")


def test_one_event_inserted_in_the_middle(chained: Path) -> None:
    hashes = _hashes(chained)
    _tamper(
        chained,
        "UPDATE events SET id = id + 100 WHERE id >= 6",
        "UPDATE events SET id = id - 99 WHERE id >= 100",
        "INSERT INTO events SELECT 6, at, operator, station, kind, enterprise_id, product_id, order_id, serial,"
        f" data, '{hashes[5]}', hash FROM events WHERE id = 8",  # a copy of the old seventh
        "UPDATE chain_head SET last_id = 10",
    )
    assert _audit(chained) == AuditReport(False, 5, hashes[5], 6, "audit.reason.hash")


def test_one_event_appended_without_the_key(chained: Path) -> None:
    hashes = _hashes(chained)
    forged = {**EVENT, "id": 10, "serial": 1, "kind": "code.verify"}
    digest = event_hash(forged, hashes[9])
    values = ", ".join(repr(forged[name]) if forged[name] is not None else "NULL" for name in HASHED_FIELDS)
    _tamper(
        chained,
        f"INSERT INTO events VALUES ({values}, '{hashes[9]}', '{digest}')",
        f"UPDATE chain_head SET last_id = 10, last_hash = '{digest}'",
    )
    assert _audit(chained) == AuditReport(False, 9, hashes[9], 10, "audit.reason.hash")


def test_event_appended_without_moving_the_head(chained: Path) -> None:
    hashes = _hashes(chained)
    forged = {**EVENT, "id": 10, "serial": 1}
    digest = event_hash(forged, hashes[9], KEY)  # even with the key: the head says nine
    values = ", ".join(repr(forged[name]) if forged[name] is not None else "NULL" for name in HASHED_FIELDS)
    _tamper(chained, f"INSERT INTO events VALUES ({values}, '{hashes[9]}', '{digest}')")
    assert _audit(chained) == AuditReport(False, 10, digest, 10, "audit.reason.head")


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE chain_head SET last_hash = '{h0}'",
        "UPDATE chain_head SET last_id = 8",
        "UPDATE chain_head SET last_id = 10",
    ],
)
def test_head_edited(chained: Path, statement: str) -> None:
    hashes = _hashes(chained)
    _tamper(chained, statement.format(h0=_flip(hashes[9], 63)))
    report = _audit(chained)
    assert (report.ok, report.reason, report.events, report.head) == (False, "audit.reason.head", 9, hashes[9])


def test_head_missing(chained: Path) -> None:
    hashes = _hashes(chained)
    _tamper(chained, "DELETE FROM chain_head")
    assert _audit(chained) == AuditReport(False, 9, hashes[9], 0, "audit.reason.head")


@pytest.mark.parametrize("position", [0, 31, 63])
def test_one_character_off_in_a_hash(chained: Path, position: int) -> None:
    hashes = _hashes(chained)
    _tamper(chained, f"UPDATE events SET hash = '{_flip(hashes[5], position)}' WHERE id = 5")
    assert _audit(chained) == AuditReport(False, 4, hashes[4], 5, "audit.reason.hash")


def test_one_character_off_in_a_previous_hash(chained: Path) -> None:
    hashes = _hashes(chained)
    _tamper(chained, f"UPDATE events SET prev_hash = '{_flip(hashes[4])}' WHERE id = 5")
    assert _audit(chained) == AuditReport(False, 4, hashes[4], 5, "audit.reason.prev")


def test_code_state_moved_without_an_event(chained: Path) -> None:
    hashes = _hashes(chained)
    _tamper(chained, "UPDATE codes SET state = 2 WHERE serial = 3")
    assert _audit(chained) == AuditReport(False, 9, hashes[9], None, "audit.reason.state", subject="code serial 3")


def test_code_with_no_event_of_its_own_moved(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with _open(path) as led:
        _build_chain(led)
        _order, first, _last = led.create_order(1, 1, 2, "https://t.example/q/", None, None, 10**9)
    head = _hashes(path)[10]
    _tamper(path, f"UPDATE codes SET state = 3 WHERE serial = {first + 1}")
    assert _audit(path) == AuditReport(False, 10, head, None, "audit.reason.state", subject=f"code serial {first + 1}")
    _tamper(path, f"UPDATE codes SET state = 0 WHERE serial = {first + 1}")
    assert _audit(path).ok


@pytest.mark.parametrize(
    ("statement", "subject"),
    [
        ("UPDATE enterprises SET status = 'rejected'", "enterprise 1"),
        ("UPDATE enterprises SET blacklisted = 1", "enterprise 1"),
        (
            "INSERT INTO enterprises (name, credit_code, status, created_at) VALUES ('乙', 'X', 'approved', 'now')",
            "enterprise 2",
        ),
    ],
)
def test_enterprise_moved_without_an_event(chained: Path, statement: str, subject: str) -> None:
    hashes = _hashes(chained)
    _tamper(chained, statement)
    assert _audit(chained) == AuditReport(False, 9, hashes[9], None, "audit.reason.state", subject=subject)


def test_enterprise_history_is_followed_to_its_last_event(ledger: SqliteLedger) -> None:
    eid = ledger.add_enterprise("甲", "A1")
    ledger.update_enterprise(eid, "enterprise.approve", None, status="approved")
    ledger.update_enterprise(eid, "enterprise.blacklist", "假冒", blacklisted=1, blacklist_reason="假冒")
    assert ledger.verify_audit().ok  # blacklisted by its events
    ledger.update_enterprise(eid, "enterprise.unblacklist", "已整改", blacklisted=0)
    other = ledger.add_enterprise("乙", "B2")
    ledger.update_enterprise(other, "enterprise.reject", "材料不全", status="rejected")
    assert ledger.verify_audit().ok
    ledger._db.execute("UPDATE enterprises SET blacklisted = 1 WHERE id = ?", (eid,))
    report = ledger.verify_audit()
    assert (report.ok, report.reason, report.subject, report.broken_at) == (
        False,
        "audit.reason.state",
        "enterprise 1",
        None,
    )


def test_audit_reads_the_chain_in_slices(chained: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    hashes = _hashes(chained)
    monkeypatch.setattr(ledger_sql, "STREAM_SLICE", 2)
    assert _audit(chained) == AuditReport(True, 9, hashes[9])
    _tamper(chained, "UPDATE events SET operator = 'mallory' WHERE id = 8")
    assert _audit(chained) == AuditReport(False, 7, hashes[7], 8, "audit.reason.hash")
    monkeypatch.setattr(ledger_sql, "STREAM_SLICE", 3)  # 9 events: the last slice is full, one more read is empty
    assert _audit(chained) == AuditReport(False, 7, hashes[7], 8, "audit.reason.hash")


def test_audit_inside_a_transaction_joins_it(ledger: SqliteLedger) -> None:
    with ledger.transaction():
        ledger.add_enterprise("甲", "A1")
        assert ledger.verify_audit().events == 1
        ledger.add_enterprise("乙", "B2")
    assert ledger.verify_audit().events == 2


# --- appending events ---------------------------------------------------------------------------------------


def test_append_event_writes_the_row_and_moves_the_head(ledger: SqliteLedger) -> None:
    with ledger.transaction():
        first = ledger.append_event("note.one", {"b": "乙", "a": 1}, enterprise_id=4, product_id=5)
        second = ledger.append_event("note.two", order_id=6, serial=7)
    assert (first, second) == (1, 2)
    db = _raw(ledger.path)
    rows = [dict(r) for r in db.execute("SELECT * FROM events ORDER BY id")]
    head = dict(db.execute("SELECT * FROM chain_head").fetchone())
    db.close()
    for row in rows:
        assert AT.match(row.pop("at"))
    h1 = rows[0].pop("hash")
    h2 = rows[1].pop("hash")
    assert rows == [
        {
            "id": 1,
            "operator": "tester",
            "station": "MD-01",
            "kind": "note.one",
            "enterprise_id": 4,
            "product_id": 5,
            "order_id": None,
            "serial": None,
            "data": '{"a":1,"b":"乙"}',
            "prev_hash": GENESIS,
        },
        {
            "id": 2,
            "operator": "tester",
            "station": "MD-01",
            "kind": "note.two",
            "enterprise_id": None,
            "product_id": None,
            "order_id": 6,
            "serial": 7,
            "data": "{}",
            "prev_hash": h1,
        },
    ]
    assert head == {"singleton": 1, "last_id": 2, "last_hash": h2}
    stored = ledger.events()
    assert h1 == event_hash(stored[0] | {"data": '{"a":1,"b":"乙"}'}, GENESIS, KEY)
    assert h2 == event_hash(stored[1] | {"data": "{}"}, h1, KEY)
    assert stored[0]["data"] == {"a": 1, "b": "乙"} and stored[1]["data"] == {}


def test_append_event_needs_a_transaction(ledger: SqliteLedger) -> None:
    with pytest.raises(RuntimeError, match=r"^append_event must run inside ledger\.transaction\(\)$"):
        ledger.append_event("note")
    assert ledger.events() == [] and ledger.is_empty()


def test_unkeyed_ledger_chains_with_plain_sha256(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with _open(path, None) as led:
        led.add_enterprise("甲", "A1")
        event = led.events()[0]
    assert _hashes(path)[1] == event_hash(event | {"data": '{"contact":"","credit_code":"A1","name":"甲"}'}, GENESIS)
    assert _audit(path, None).ok


# --- transactions -------------------------------------------------------------------------------------------


def test_failed_transaction_leaves_nothing(ledger: SqliteLedger) -> None:
    with pytest.raises(KeyError), ledger.transaction():
        ledger.add_enterprise("甲", "A1")
        raise KeyError("stop")
    assert ledger.enterprises() == [] and ledger.events() == []
    ledger.add_enterprise("乙", "B2")  # the ledger is usable afterwards
    assert [e["name"] for e in ledger.enterprises()] == ["乙"]


def test_nested_transactions_commit_or_fail_together(ledger: SqliteLedger) -> None:
    with pytest.raises(KeyError), ledger.transaction():
        ledger.add_enterprise("甲", "A1")  # itself a transaction inside this one
        with ledger.transaction():
            ledger.add_enterprise("乙", "B2")
        ledger.add_enterprise("丙", "C3")  # after the inner block: still inside the outer
        raise KeyError("stop")
    assert ledger.enterprises() == [] and ledger.events() == []
    with ledger.transaction():
        with pytest.raises(RegistryError):
            with ledger.transaction():
                ledger.add_enterprise("甲", "A1")
                ledger.add_enterprise("甲", "A1")
        ledger.append_event("note")  # the inner error was caught: the outer transaction goes on
    assert [e["kind"] for e in ledger.events()] == ["enterprise.added", "note"]


def test_database_error_in_a_transaction_is_a_ledger_error(ledger: SqliteLedger) -> None:
    with pytest.raises(LedgerError) as info, ledger.transaction():
        ledger.add_enterprise("甲", "A1")
        ledger._db.execute("INSERT INTO nowhere VALUES (1)")
    assert info.value.key == "ledger.io"
    assert info.value.params == {"reason": "no such table: nowhere"}
    assert isinstance(info.value.__cause__, sqlite3.OperationalError)
    assert ledger.enterprises() == []
    ledger.add_enterprise("乙", "B2")
    assert len(ledger.events()) == 1


def test_error_after_the_transaction_is_gone_reports_the_first_error(ledger: SqliteLedger) -> None:
    with pytest.raises(KeyError), ledger.transaction():
        ledger._db.execute("ROLLBACK")  # the rollback on the way out then fails; the KeyError is what counts
        raise KeyError("first")
    ledger.add_enterprise("甲", "A1")
    assert len(ledger.events()) == 1


def test_busy_ledger_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    with _open(path) as first:
        other = SqliteLedger(path, ACTOR, busy_timeout_s=0.05)
        try:
            with first.transaction():
                with pytest.raises(LedgerError) as info:
                    other.add_enterprise("甲", "A1")
                assert info.value.key == "ledger.busy"
            other.add_enterprise("甲", "A1")
        finally:
            other.close()
        assert len(first.events()) == 1


# --- migrations ---------------------------------------------------------------------------------------------


def test_fresh_ledger_is_migrated_and_empty(ledger: SqliteLedger) -> None:
    db = _raw(ledger.path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert dict(db.execute("SELECT * FROM chain_head").fetchone()) == {
        "singleton": 1,
        "last_id": 0,
        "last_hash": GENESIS,
    }
    db.close()
    assert ledger.is_empty()


def test_older_ledger_is_migrated_from_where_it_stands(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    for statement in split_sql(MIGRATIONS[0]) + split_sql(MIGRATIONS[1]):
        db.execute(statement)
    db.execute("PRAGMA user_version = 2")
    db.close()
    with _open(path) as led:
        led.add_enterprise("甲", "A1")
        led.add_operator("王五", "clerk", "h")
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    db.close()


def test_newer_ledger_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    SqliteLedger(path, ACTOR).close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 2}")
    db.close()
    with pytest.raises(LedgerError) as info:
        SqliteLedger(path, ACTOR)
    assert info.value.key == "ledger.schema_newer"
    assert info.value.params == {"found": SCHEMA_VERSION + 2, "supported": SCHEMA_VERSION}
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 2
    db.close()


def test_migration_found_done_under_the_lock_is_not_run_again(tmp_path: Path) -> None:
    """Another process migrates between the first look and the lock: the second look sees it."""
    path = tmp_path / "ledger.sqlite3"
    SqliteLedger(path, ACTOR).close()

    class Late(SqliteLedger):
        looks = 0

        def _schema_version(self) -> int:
            Late.looks += 1
            return 0 if Late.looks == 1 else super()._schema_version()

    Late(path, ACTOR).close()
    assert Late.looks == 2


def test_failed_migration_is_rolled_back_and_refused(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"

    class Broken(SqliteLedger):
        def _migration_statements(self, index: int) -> list[str]:
            statements = super()._migration_statements(index)
            return statements if index < 2 else ["CREATE TABLE half (x)", "CREATE TABLE broken ("]

    with pytest.raises(LedgerError) as info:
        Broken(path, ACTOR)
    assert info.value.key == "ledger.migrate_failed"
    assert info.value.params == {"found": 0, "supported": SCHEMA_VERSION, "reason": "incomplete input"}
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    assert db.execute("SELECT name FROM sqlite_master").fetchall() == []
    db.close()


def test_migration_stopped_by_a_program_error_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"

    class Interrupted(SqliteLedger):
        def _record_migration(self, version: int) -> None:
            if version == 3:
                raise KeyboardInterrupt
            super()._record_migration(version)

    with pytest.raises(KeyboardInterrupt):
        Interrupted(path, ACTOR)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == 0
    db.close()
    with _open(path) as led:
        assert led.is_empty()


# --- enterprises, products, operators, settings -----------------------------------------------------------


def test_enterprise_rows_and_refusals(ledger: SqliteLedger) -> None:
    eid = ledger.add_enterprise("甲", "91532323MA6N0FRU1E", "电话 1")
    other = ledger.add_enterprise("乙", "B2")
    with pytest.raises(RegistryError) as info:
        ledger.add_enterprise("丙", "91532323MA6N0FRU1E")
    assert info.value.key == "enterprise.duplicate" and info.value.params == {"code": "91532323MA6N0FRU1E", "id": eid}
    found = ledger.enterprise(eid)
    assert AT.match(found.pop("created_at"))
    assert found == {
        "id": eid,
        "name": "甲",
        "credit_code": "91532323MA6N0FRU1E",
        "contact": "电话 1",
        "status": "pending",
        "blacklisted": 0,
        "blacklist_reason": None,
        "documents": "{}",
    }
    assert [e["id"] for e in ledger.enterprises()] == [eid, other]
    assert ledger.enterprise(other)["contact"] == ""
    with pytest.raises(RegistryError) as info:
        ledger.enterprise(99)
    assert info.value.key == "enterprise.unknown" and info.value.params == {"id": 99}
    assert [(e["kind"], e["enterprise_id"], e["data"]) for e in ledger.events()] == [
        ("enterprise.added", eid, {"name": "甲", "credit_code": "91532323MA6N0FRU1E", "contact": "电话 1"}),
        ("enterprise.added", other, {"name": "乙", "credit_code": "B2", "contact": ""}),
    ]


def test_update_enterprise_sets_columns_and_records_why(ledger: SqliteLedger) -> None:
    eid = ledger.add_enterprise("甲", "A1")
    ledger.update_enterprise(eid, "enterprise.blacklist", "假冒", blacklisted=1, blacklist_reason="假冒")
    found = ledger.enterprise(eid)
    assert (found["blacklisted"], found["blacklist_reason"], found["status"]) == (1, "假冒", "pending")
    event = ledger.events()[-1]
    assert (event["kind"], event["enterprise_id"], event["data"]) == (
        "enterprise.blacklist",
        eid,
        {"reason": "假冒", "blacklisted": 1, "blacklist_reason": "假冒"},
    )
    with pytest.raises(RegistryError) as info:
        ledger.update_enterprise(99, "enterprise.approve", None, status="approved")
    assert info.value.key == "enterprise.unknown" and info.value.params == {"id": 99}
    assert len(ledger.events()) == 2


def test_product_rows_and_refusals(ledger: SqliteLedger) -> None:
    eid = ledger.add_enterprise("甲", "A1")
    other = ledger.add_enterprise("乙", "B2")
    pid = ledger.add_product(eid, "牟定腐乳", "532323101001", ["地理标志", "有机"], 180, "06901234567892")
    second = ledger.add_product(other, "酱", "532323", [], None, None)
    found = ledger.product(pid)
    assert AT.match(found.pop("created_at"))
    assert found == {
        "id": pid,
        "enterprise_id": eid,
        "name": "牟定腐乳",
        "origin_code": "532323101001",
        "certifications": ["地理标志", "有机"],
        "shelf_life_days": 180,
        "gtin": "06901234567892",
    }
    db = _raw(ledger.path)
    assert (
        db.execute("SELECT certifications FROM products WHERE id = ?", (pid,)).fetchone()[0] == '["地理标志", "有机"]'
    )
    db.close()
    assert [p["id"] for p in ledger.products()] == [pid, second]
    assert [p["id"] for p in ledger.products(other)] == [second]
    assert ledger.products(99) == []
    assert ledger.products(eid)[0]["certifications"] == ["地理标志", "有机"]
    event = ledger.events()[2]
    assert (event["kind"], event["enterprise_id"], event["product_id"], event["data"]) == (
        "product.added",
        eid,
        pid,
        {
            "name": "牟定腐乳",
            "origin_code": "532323101001",
            "gtin": "06901234567892",
            "certifications": ["地理标志", "有机"],
            "shelf_life_days": 180,
        },
    )
    with pytest.raises(RegistryError) as info:
        ledger.product(99)
    assert info.value.key == "product.unknown" and info.value.params == {"id": 99}
    with pytest.raises(RegistryError) as info:
        ledger.add_product(99, "x", "1", [], None, None)
    assert info.value.key == "enterprise.unknown" and info.value.params == {"id": 99}
    assert len(ledger.events()) == 4


def test_operators(ledger: SqliteLedger) -> None:
    from station.ledger.replay import pin_digest

    assert ledger.operator("王五") is None and ledger.operators() == []
    ledger.add_operator("王五", "clerk", "pbkdf2$1")
    ledger.add_operator("Amy", "admin", "pbkdf2$2")
    assert ledger.operator("王五") == {"name": "王五", "role": "clerk", "pin_hash": "pbkdf2$1", "disabled": 0}
    assert ledger.operators() == [
        {"name": "Amy", "role": "admin", "disabled": 0},
        {"name": "王五", "role": "clerk", "disabled": 0},
    ]
    with pytest.raises(RegistryError) as info:
        ledger.add_operator("王五", "qc", "pbkdf2$3")
    assert info.value.key == "operator.exists" and info.value.params == {"name": "王五"}
    assert ledger.operator("王五")["role"] == "clerk"  # type: ignore[index]
    events = ledger.events()
    assert [(e["kind"], e["data"]) for e in events] == [
        ("operator.added", {"name": "王五", "role": "clerk", "pin": pin_digest("王五", "pbkdf2$1", ledger.audit_key)}),
        ("operator.added", {"name": "Amy", "role": "admin", "pin": pin_digest("Amy", "pbkdf2$2", ledger.audit_key)}),
    ]
    db = _raw(ledger.path)
    assert AT.match(db.execute("SELECT created_at FROM operators WHERE name = 'Amy'").fetchone()[0])
    db.close()


def test_meta_settings(ledger: SqliteLedger) -> None:
    assert ledger.meta("key_fingerprint") is None
    ledger.set_meta("key_fingerprint", "abc")
    ledger.set_meta("other", "1")
    assert ledger.meta("key_fingerprint") == "abc"
    ledger.set_meta("key_fingerprint", "def")
    assert (ledger.meta("key_fingerprint"), ledger.meta("other")) == ("def", "1")
    assert ledger.is_empty()  # settings are not history


def test_is_empty_until_an_event_or_a_code(ledger: SqliteLedger, tmp_path: Path) -> None:
    assert ledger.is_empty()
    ledger.add_enterprise("甲", "A1")
    assert not ledger.is_empty()
    path = tmp_path / "codes-only.sqlite3"
    SqliteLedger(path, ACTOR).close()
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("INSERT INTO codes (serial, order_id, state) VALUES (1, 1, 0)")  # foreign keys are off here
    db.close()
    with _open(path) as led:
        assert not led.is_empty()


# --- orders and codes ---------------------------------------------------------------------------------------


def _registry(ledger: SqliteLedger) -> tuple[int, int]:
    eid = ledger.add_enterprise("甲", "A1")
    pid = ledger.add_product(eid, "牟定腐乳", "532323101001", [], None, "06901234567892")
    return eid, pid


def test_order_issues_serials_in_one_range(ledger: SqliteLedger) -> None:
    eid, pid = _registry(ledger)
    assert ledger.next_serial() == 1
    assert ledger.create_order(eid, pid, 3, "https://t.example/q/", "06901234567892", "L1", 100) == (1, 1, 3)
    assert ledger.next_serial() == 4
    assert ledger.create_order(eid, pid, 2, "https://u.example/", None, None, 100) == (2, 4, 5)
    order = ledger.order(1)
    assert AT.match(order.pop("created_at"))
    assert order == {
        "id": 1,
        "enterprise_id": eid,
        "product_id": pid,
        "count": 3,
        "base_url": "https://t.example/q/",
        "gtin": "06901234567892",
        "lot": "L1",
        "ranges": [(1, 3)],
    }
    assert [o["id"] for o in ledger.orders()] == [1, 2] and ledger.orders()[1]["ranges"] == [(4, 5)]
    assert list(ledger.order_codes(1)) == [(1, State.ISSUED), (2, State.ISSUED), (3, State.ISSUED)]
    assert ledger.code(4) == {"serial": 4, "order_id": 2, "state": State.ISSUED, "lot_id": None}
    assert ledger.code(6) is None
    event = ledger.events()[-2]
    assert (event["kind"], event["enterprise_id"], event["product_id"], event["order_id"], event["serial"]) == (
        "order.issued",
        eid,
        pid,
        1,
        None,
    )
    assert event["data"] == {
        "count": 3,
        "first_serial": 1,
        "last_serial": 3,
        "gtin": "06901234567892",
        "lot": "L1",
        "base_url": "https://t.example/q/",
    }
    with pytest.raises(RegistryError) as info:
        ledger.order(3)
    assert info.value.key == "order.unknown" and info.value.params == {"id": 3}


def test_order_capacity_is_the_serial_limit(ledger: SqliteLedger) -> None:
    eid, pid = _registry(ledger)
    assert ledger.create_order(eid, pid, 9, "u", None, None, 10) == (1, 1, 9)  # serial 9 is the last below 10
    events = len(ledger.events())
    with pytest.raises(CodeError) as info:
        ledger.create_order(eid, pid, 1, "u", None, None, 10)
    assert info.value.key == "code.capacity" and info.value.params == {"left": 0, "count": 1}
    with pytest.raises(CodeError) as info:
        ledger.create_order(eid, pid, 5, "u", None, None, 12)
    assert info.value.key == "code.capacity" and info.value.params == {"left": 2, "count": 5}
    with pytest.raises(CodeError) as info:
        ledger.create_order(eid, pid, 1, "u", None, None, 5)
    assert info.value.params == {"left": 0, "count": 1}
    assert ledger.create_order(eid, pid, 2, "u", None, None, 12) == (2, 10, 11)
    assert len(ledger.orders()) == 2 and len(ledger.events()) == events + 1


def test_extend_order_adds_a_range(ledger: SqliteLedger) -> None:
    eid, pid = _registry(ledger)
    ledger.create_order(eid, pid, 3, "u", None, None, 100)
    ledger.create_order(eid, pid, 2, "u", None, None, 100)
    assert ledger.extend_order(1, 2, 100) == (6, 7)
    assert ledger.order(1)["ranges"] == [(1, 3), (6, 7)]
    assert ledger.order(1)["count"] == 3
    assert [s for s, _ in ledger.order_codes(1)] == [1, 2, 3, 6, 7]
    assert ledger.code(7) == {"serial": 7, "order_id": 1, "state": State.ISSUED, "lot_id": None}
    event = ledger.events()[-1]
    assert (event["kind"], event["enterprise_id"], event["product_id"], event["order_id"], event["data"]) == (
        "order.extended",
        eid,
        pid,
        1,
        {"count": 2, "first_serial": 6, "last_serial": 7},
    )
    events = len(ledger.events())
    with pytest.raises(CodeError) as info:
        ledger.extend_order(1, 3, 10)
    assert info.value.key == "code.capacity" and info.value.params == {"left": 2, "count": 3}
    assert ledger.extend_order(1, 2, 10) == (8, 9)
    with pytest.raises(CodeError) as info:
        ledger.extend_order(1, 1, 8)
    assert info.value.params == {"left": 0, "count": 1}
    with pytest.raises(RegistryError) as unknown:
        ledger.extend_order(9, 1, 100)
    assert unknown.value.key == "order.unknown" and unknown.value.params == {"id": 9}
    assert len(ledger.events()) == events + 1 and ledger.next_serial() == 10


def test_order_streams_in_slices(ledger: SqliteLedger, monkeypatch: pytest.MonkeyPatch) -> None:
    eid, pid = _registry(ledger)
    monkeypatch.setattr(ledger_sql, "STREAM_SLICE", 2)
    ledger.create_order(eid, pid, 5, "u", None, None, 100)
    ledger.create_order(eid, pid, 1, "u", None, None, 100)
    ledger.extend_order(1, 3, 100)
    ledger.transition(2, "print")
    ledger.transition(5, "void")
    ledger.transition(8, "print")
    assert list(ledger.order_codes(1)) == [
        (1, State.ISSUED),
        (2, State.PRINTED),
        (3, State.ISSUED),
        (4, State.ISSUED),
        (5, State.VOIDED),
        (7, State.ISSUED),
        (8, State.PRINTED),
        (9, State.ISSUED),
    ]
    assert list(ledger.order_codes(2)) == [(6, State.ISSUED)]
    assert [e["serial"] for e in ledger.order_code_events(1, ["code.print", "code.void"])] == [2, 5, 8]
    assert [e["serial"] for e in ledger.order_code_events(1, ["code.print"])] == [2, 8]
    assert list(ledger.order_code_events(1, [])) == []
    assert [e["id"] for e in ledger.events_of()] == list(range(1, 9))
    assert [e["serial"] for e in ledger.events_of(["code.print", "code.void"], order_id=1)] == [2, 5, 8]


def test_counts_and_codes_in_state(ledger: SqliteLedger) -> None:
    eid, pid = _registry(ledger)
    ledger.create_order(eid, pid, 4, "u", None, None, 100)
    ledger.create_order(eid, pid, 2, "u", None, None, 100)
    for serial in (1, 3, 4, 5):
        ledger.transition(serial, "print")
    ledger.transition(4, "verify")
    assert ledger.order_state_counts(1) == {State.ISSUED: 1, State.PRINTED: 2, State.VERIFIED: 1}
    assert ledger.order_state_counts(2) == {State.PRINTED: 1, State.ISSUED: 1}
    assert ledger.order_state_counts(3) == {}
    assert ledger.state_counts() == {State.ISSUED: 2, State.PRINTED: 3, State.VERIFIED: 1}
    assert ledger.codes_in_state(1, State.PRINTED) == [1, 3]
    assert ledger.codes_in_state(1, State.PRINTED, limit=1) == [1]
    assert ledger.codes_in_state(1, State.ISSUED, limit=5) == [2]
    assert ledger.codes_in_state(2, State.VERIFIED) == []


def test_event_counts_since(ledger: SqliteLedger) -> None:
    assert ledger.event_counts_since("2000-01-01T00:00:00.000000Z") == {}
    eid, pid = _registry(ledger)
    ledger.create_order(eid, pid, 2, "u", None, None, 100)
    ledger.transition(1, "print")
    ledger.transition(2, "print")
    events = ledger.events()
    assert ledger.event_counts_since("2000-01-01T00:00:00.000000Z") == {
        "enterprise.added": 1,
        "product.added": 1,
        "order.issued": 1,
        "code.print": 2,
    }
    assert ledger.event_counts_since(events[3]["at"]) == {"code.print": 2}
    assert ledger.event_counts_since(events[4]["at"]) == {"code.print": 1}
    assert ledger.event_counts_since("2999-01-01T00:00:00.000000Z") == {}


# --- reading events -----------------------------------------------------------------------------------------


@pytest.fixture
def history(ledger: SqliteLedger) -> SqliteLedger:
    """Events 1-2 registry, 3 order 1 (serials 1-3), 4 order 2 (4-5), 5 print 1, 6 print 4, 7 void 2,
    8 order 1 extended (6), 9 verify 1."""
    eid, pid = _registry(ledger)
    ledger.create_order(eid, pid, 3, "u", None, None, 100)
    ledger.create_order(eid, pid, 2, "u", None, None, 100)
    ledger.transition(1, "print")
    ledger.transition(4, "print")
    ledger.transition(2, "void")
    ledger.extend_order(1, 1, 100)
    ledger.transition(1, "verify", {"grade": 3.5})
    return ledger


def test_code_events_are_its_own_and_its_orders(history: SqliteLedger) -> None:
    events = history.code_events(1, 1)
    assert [e["id"] for e in events] == [3, 5, 8, 9]
    assert events[3]["data"] == {"from": "printed", "to": "verified", "grade": 3.5}
    assert [e["id"] for e in history.code_events(4, 2)] == [4, 6]
    assert [e["id"] for e in history.code_events(6, 1)] == [3, 8]


def test_events_of_narrows_by_kind_and_columns(history: SqliteLedger) -> None:
    def ids(*args: Any, **kwargs: Any) -> list[int]:
        return [e["id"] for e in history.events_of(*args, **kwargs)]

    assert ids() == list(range(1, 10))
    assert ids(["code.print"]) == [5, 6]
    assert ids(["code.print", "code.void"]) == [5, 6, 7]
    assert ids([]) == []
    assert ids(None, enterprise_id=1) == [1, 2, 3, 4, 8]
    assert ids(None, product_id=1) == [2, 3, 4, 8]
    assert ids(None, order_id=1) == [3, 5, 7, 8, 9]
    assert ids(None, serial=1) == [5, 9]
    assert ids(["code.print"], order_id=2) == [6]
    assert ids(["order.issued"], enterprise_id=1, product_id=1, order_id=2) == [4]
    assert ids(["code.verify"], serial=1, order_id=2) == []
    assert next(history.events_of(["code.verify"]))["data"] == {"from": "printed", "to": "verified", "grade": 3.5}
    kinds = ["code.print", "code.void"]
    assert ids(kinds, order_id=1, serial=2) == [7] and kinds == ["code.print", "code.void"]  # the caller's list
    assert ids(("code.print",), order_id=2) == [6]  # any sequence of kinds


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_events_of_reads_in_slices(history: SqliteLedger, monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    monkeypatch.setattr(ledger_sql, "STREAM_SLICE", size)
    assert [e["id"] for e in history.events_of()] == list(range(1, 10))
    assert [e["id"] for e in history.events_of(None, order_id=1)] == [3, 5, 7, 8, 9]
    assert [e["id"] for e in history.events_of(["code.print", "code.verify"])] == [5, 6, 9]


def test_latest_events(history: SqliteLedger) -> None:
    assert [e["id"] for e in history.latest_events(["code.print", "code.void"], 2)] == [7, 6]
    assert [e["id"] for e in history.latest_events(["code.print", "code.verify"], 10)] == [9, 6, 5]
    assert history.latest_events([], 10) == []
    assert history.latest_events(["code.verify"], 1)[0]["data"] == {"from": "printed", "to": "verified", "grade": 3.5}


def test_order_code_events_by_serial_then_time(history: SqliteLedger) -> None:
    events = list(history.order_code_events(1, ["code.print", "code.void", "code.verify"]))
    assert [(e["serial"], e["id"]) for e in events] == [(1, 5), (1, 9), (2, 7)]
    assert events[1]["data"] == {"from": "printed", "to": "verified", "grade": 3.5}
    assert [e["id"] for e in history.order_code_events(2, ["code.print"])] == [6]


def test_events_after_and_limit(history: SqliteLedger) -> None:
    assert [e["id"] for e in history.events()] == list(range(1, 10))
    assert [e["id"] for e in history.events(after=7)] == [8, 9]
    assert [e["id"] for e in history.events(after=2, limit=3)] == [3, 4, 5]
    assert [e["id"] for e in history.events(limit=1)] == [1]
    assert history.events(after=9) == []
    event = history.events(after=8)[0]
    assert AT.match(event.pop("at"))
    assert event.pop("prev_hash") == history.events(after=7, limit=1)[0]["hash"]
    assert len(event.pop("hash")) == 64
    assert event == {
        "id": 9,
        "operator": "tester",
        "station": "MD-01",
        "kind": "code.verify",
        "enterprise_id": None,
        "product_id": None,
        "order_id": 1,
        "serial": 1,
        "data": {"from": "printed", "to": "verified", "grade": 3.5},
    }
