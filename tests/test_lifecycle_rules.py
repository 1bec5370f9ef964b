"""The lifecycle table written out in full: every allowed (action, state) and where it leads, every other pair
refused, both by ``next_state`` and through the ledger's own transition path (refusal key, parameters, nothing
changed, no event)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from station.errors import LedgerError, TransitionError
from station.ledger import Actor, State
from station.ledger.lifecycle import ACTIONS, TRANSITIONS, next_state
from station.ledger.sqlite import SqliteLedger

# Written out by hand: a change to the table in station/ledger/lifecycle.py must be made here too.
ALLOWED: dict[tuple[str, State], State] = {
    ("print", State.ISSUED): State.PRINTED,
    ("verify", State.PRINTED): State.VERIFIED,
    ("reject", State.PRINTED): State.VOIDED,
    ("void", State.ISSUED): State.VOIDED,
    ("void", State.PRINTED): State.VOIDED,
    ("void", State.VERIFIED): State.VOIDED,
    ("void", State.DISTRIBUTED): State.VOIDED,
    ("void", State.BOUND): State.VOIDED,
    ("distribute", State.VERIFIED): State.DISTRIBUTED,
    ("undistribute", State.DISTRIBUTED): State.VERIFIED,
    ("bind", State.DISTRIBUTED): State.BOUND,
    ("recall", State.BOUND): State.RECALLED,
}
ALL_ACTIONS = ("print", "verify", "reject", "void", "distribute", "undistribute", "bind", "recall")
ALL_STATES = (
    State.ISSUED,
    State.PRINTED,
    State.VERIFIED,
    State.VOIDED,
    State.DISTRIBUTED,
    State.BOUND,
    State.RECALLED,
)
# How a fresh code reaches each state through allowed steps only.
PATH: dict[State, list[str]] = {
    State.ISSUED: [],
    State.PRINTED: ["print"],
    State.VERIFIED: ["print", "verify"],
    State.VOIDED: ["void"],
    State.DISTRIBUTED: ["print", "verify", "distribute"],
    State.BOUND: ["print", "verify", "distribute", "bind"],
    State.RECALLED: ["print", "verify", "distribute", "bind", "recall"],
}
# The action as the English catalogue names it in the refusal (undistribute reads "undo pickup").
ACTION_TEXT = {action: action for action in ALL_ACTIONS} | {"undistribute": "undo pickup"}
PAIRS = [(state, action) for state in ALL_STATES for action in ALL_ACTIONS]
REFUSED = [(state, action) for state, action in PAIRS if (action, state) not in ALLOWED]
GRANTED = [(state, action) for state, action in PAIRS if (action, state) in ALLOWED]


def test_state_numbers_and_labels_are_fixed() -> None:
    """The integers are what the ledger stores; the labels are what JSON and the catalogue use."""
    assert [(s.name, int(s), s.label) for s in State] == [
        ("ISSUED", 0, "issued"),
        ("PRINTED", 1, "printed"),
        ("VERIFIED", 2, "verified"),
        ("VOIDED", 3, "voided"),
        ("DISTRIBUTED", 4, "distributed"),
        ("BOUND", 5, "bound"),
        ("RECALLED", 6, "recalled"),
    ]


def test_the_table_is_exactly_the_written_out_one() -> None:
    assert dict(TRANSITIONS) == ALLOWED
    assert len(TRANSITIONS) == 12
    assert ACTIONS == frozenset(ALL_ACTIONS)


@pytest.mark.parametrize(("state", "action"), PAIRS)
def test_next_state_allows_only_the_listed_pairs(state: State, action: str) -> None:
    assert next_state(action, state) == ALLOWED.get((action, state))


def test_unknown_actions_lead_nowhere() -> None:
    for state in ALL_STATES:
        for action in ("", "PRINT", "destroy", "code.print", "unvoid"):
            assert next_state(action, state) is None


def test_end_states_have_no_way_out() -> None:
    for state in (State.VOIDED, State.RECALLED):
        assert [a for a in ALL_ACTIONS if next_state(a, state) is not None] == []


# --- through the ledger -------------------------------------------------------------------------------------


@pytest.fixture
def ledger(tmp_path: Path) -> Iterator[SqliteLedger]:
    led = SqliteLedger(tmp_path / "ledger.sqlite3", Actor("tester", "MD-01"))
    yield led
    led.close()


def _order(ledger: SqliteLedger, count: int) -> tuple[int, int]:
    """An enterprise, a product and an order of ``count`` codes; (order id, first serial)."""
    eid = ledger.add_enterprise("甲", "91532323MA6N0FRU1E")
    pid = ledger.add_product(eid, "牟定腐乳", "532323101001", [], None, None)
    order, first, _last = ledger.create_order(eid, pid, count, "https://t.example/q/", None, None, 10**9)
    return order, first


def _walk(ledger: SqliteLedger, serial: int, state: State) -> None:
    for step in PATH[state]:
        ledger.transition(serial, step)
    assert ledger.code(serial)["state"] == state  # type: ignore[index]


@pytest.mark.parametrize("state", ALL_STATES)
def test_every_refused_pair_is_refused_by_the_ledger(ledger: SqliteLedger, state: State) -> None:
    refused = [action for action in ALL_ACTIONS if (action, state) not in ALLOWED]
    _order_id, first = _order(ledger, len(refused))
    for offset, action in enumerate(refused):
        serial = first + offset
        _walk(ledger, serial, state)
        events_before = ledger.events()
        with pytest.raises(TransitionError) as info:
            ledger.transition(serial, action, {"why": "test"})
        assert info.value.key == "ledger.illegal_transition"
        assert info.value.params == {"code": serial, "state": state.label, "action": ACTION_TEXT[action]}
        assert ledger.code(serial)["state"] == state  # type: ignore[index]
        assert ledger.events() == events_before
    assert ledger.verify_audit().ok


@pytest.mark.parametrize(("state", "action"), GRANTED)
def test_every_allowed_pair_moves_the_code_and_records_it(ledger: SqliteLedger, state: State, action: str) -> None:
    order_id, first = _order(ledger, 2)
    _walk(ledger, first, state)
    last_event = ledger.events()[-1]["id"]
    target = ALLOWED[(action, state)]
    assert ledger.transition(first, action, {"grade": 3.5}) == target
    assert ledger.code(first) == {"serial": first, "order_id": order_id, "state": target, "lot_id": None}
    assert ledger.code(first + 1)["state"] == State.ISSUED  # type: ignore[index]
    new = ledger.events(after=last_event)
    assert len(new) == 1
    event = new[0]
    assert event["kind"] == f"code.{action}"
    assert event["data"] == {"from": state.label, "to": target.label, "grade": 3.5}
    assert (event["serial"], event["order_id"], event["enterprise_id"], event["product_id"]) == (
        first,
        order_id,
        None,
        None,
    )
    assert (event["operator"], event["station"]) == ("tester", "MD-01")
    assert ledger.verify_audit().ok


def test_transition_data_is_optional_and_cannot_hide_the_states(ledger: SqliteLedger) -> None:
    _order_id, first = _order(ledger, 1)
    ledger.transition(first, "print")
    assert ledger.events()[-1]["data"] == {"from": "issued", "to": "printed"}


def test_stored_state_is_the_integer(ledger: SqliteLedger) -> None:
    _order_id, first = _order(ledger, 1)
    _walk(ledger, first, State.BOUND)
    raw = sqlite3.connect(ledger.path)
    assert raw.execute("SELECT state FROM codes WHERE serial = ?", (first,)).fetchone() == (5,)
    raw.close()


def test_unknown_serial_is_refused(ledger: SqliteLedger) -> None:
    _order_id, first = _order(ledger, 2)
    before = ledger.events()
    with pytest.raises(LedgerError) as info:
        ledger.transition(first + 2, "print")
    assert info.value.key == "ledger.unknown_code" and not isinstance(info.value, TransitionError)
    assert info.value.params == {"serial": first + 2}
    assert ledger.events() == before


def test_unknown_action_is_refused_with_its_own_name(ledger: SqliteLedger) -> None:
    _order_id, first = _order(ledger, 1)
    with pytest.raises(TransitionError) as info:
        ledger.transition(first, "destroy")
    assert info.value.key == "ledger.illegal_transition"
    assert info.value.params == {"code": first, "state": "issued", "action": "destroy"}


def test_refusal_reads_in_chinese_too(ledger: SqliteLedger) -> None:
    from station.texts import set_language

    _order_id, first = _order(ledger, 1)
    set_language("zh")
    with pytest.raises(TransitionError) as info:
        ledger.transition(first, "undistribute")
    assert info.value.params == {"code": first, "state": "已发码", "action": "撤销领取"}
    assert str(info.value) == f"码 {first} 当前状态为“已发码”，不能执行“撤销领取”"


def test_a_refusal_inside_a_larger_transaction_rolls_the_whole_of_it_back(ledger: SqliteLedger) -> None:
    _order_id, first = _order(ledger, 2)
    before = ledger.events()
    with pytest.raises(TransitionError), ledger.transaction():
        ledger.transition(first, "print")
        ledger.transition(first + 1, "verify")
    assert ledger.code(first)["state"] == State.ISSUED  # type: ignore[index]
    assert ledger.events() == before
    raw = sqlite3.connect(ledger.path)
    assert [json.loads(d) for (d,) in raw.execute("SELECT data FROM events WHERE kind LIKE 'code.%'")] == []
    raw.close()
