"""The query service's own rules, in-process: each refusal of its code check (malformed, check digit with its
hint, forged, unknown) and each warning of a genuine code, how the status is chosen from them and what is
counted; its fast check digit, MAC and serial finder against ``station.codes``; the token buckets."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from stdnum import damm

import station.query.answer
from station.codes import (
    _HALF,
    _MISSING,
    SERIAL_LIMIT,
    Codec,
    CodeKey,
    _feistel,
    _feistel_inverse,
    _round,
    check_digit_ok,
    make_code,
    reveal_serial,
)
from station.home import Home
from station.ledger.query_store import CodeQueries, SqliteQueryStore
from station.query.answer import Answer, Answerer
from station.query.counters import Counters
from station.query.ratelimit import TokenBuckets
from tests.query_helpers import Codes, build_ledger

AT = datetime(2026, 11, 29, 3, 0, tzinfo=UTC)
DAY = AT.astimezone().date().isoformat()  # the query host's local date of AT
NET = "203.0.0.0/16"
OTHER_NET = "198.51.0.0/16"


@dataclass
class Service:
    home: Home
    codes: Codes
    answerer: Answerer
    counters: Counters
    store: SqliteQueryStore

    def ask(self, text: str, network: str = NET, **kwargs: object) -> Answer:
        return self.answerer.answer(text, network, AT, **kwargs)  # type: ignore[arg-type]

    def tallied(self) -> dict[str, int]:
        """Every outcome counted for DAY, as written to the store."""
        assert self.counters.flush()
        return self.store.totals(DAY, "2026-11-28T00:00:00.000000Z").by_status_today

    def serial(self, name: str) -> int:
        return reveal_serial(self.home.key, int(getattr(self.codes, name)[:9]))


@pytest.fixture
def service(seeded: tuple[Home, int, int]) -> Iterator[Service]:
    home, eid, pid = seeded
    codes = build_ledger(home, eid, pid)
    store = SqliteQueryStore(home.path / "ledger.sqlite3")
    counters = Counters(store, anomaly_window_s=3600, interval_s=60)
    try:
        yield Service(home, codes, Answerer(home.key, home.ledger, counters, warn_after=2), counters, store)
    finally:
        store.close()


def _digit(code: str, pos: int, delta: int) -> str:
    return code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1 :]


def _forge(code: str, pos: int, digit: str) -> str:
    """``code`` with the digit at ``pos`` (0-based, before the check digit) replaced and its check digit made right."""
    body = code[:pos] + digit + code[pos + 1 : 19]
    return body + damm.calc_check_digit(body)


# --- malformed ------------------------------------------------------------------------------------------------


MALFORMED: list[tuple[str, str, tuple[str, dict[str, object]]]] = [
    ("", "", ("code.empty", {})),
    (" - ", "-", ("code.empty", {})),
    ("12 34x", "12 34x", ("code.bad_chars", {"chars": "x"})),
    ("  " + "a" * 50 + " ", "a" * 40, ("code.bad_chars", {"chars": "a"})),
    ("1234567890123456789a", "1234567890123456789a", ("code.bad_chars", {"chars": "a"})),  # 20, not all digits
    # 20 full-width digits: digits to Python, not to the check
    ("１２３４５６７８９０" * 2, "１２３４５６７８９０" * 2, ("code.bad_chars", {"chars": "０１２３４５６７８９"})),
    ("1234", "1234", ("code.bad_length", {"n": 4})),
    ("1234 5678", "12345678", ("code.bad_length", {"n": 8})),
    ("1" * 45, "1" * 40, ("code.bad_length", {"n": 45})),
    ("1" * 21, "1" * 21, ("code.bad_length", {"n": 21})),
]


def test_malformed_input_is_answered_with_its_reason(service: Service) -> None:
    for text, code, reason in MALFORMED:
        answer = service.ask(text)
        assert (answer.status, answer.code, answer.reason) == ("malformed", code, reason), text
        assert (answer.serial, answer.hint, answer.queries, answer.facts, answer.warnings) == (
            None,
            None,
            None,
            None,
            [],
        )
        assert answer.http_status == 400 and answer.failed and not answer.genuine
    assert service.tallied() == {"malformed": len(MALFORMED)}


# --- check digit -------------------------------------------------------------------------------------------------


def test_a_typo_is_answered_with_the_code_it_was_meant_to_be(service: Service) -> None:
    genuine = service.codes.genuine
    for pos in (0, 4, 18, 19):
        typo = _digit(genuine, pos, 3)
        answer = service.ask(typo)
        assert (answer.status, answer.code, answer.hint) == ("check_digit", typo, (genuine, [pos + 1]))
        assert (answer.serial, answer.reason, answer.queries, answer.facts) == (None, None, None, None)
    grouped = " ".join(typo[i : i + 4] for i in range(0, 20, 4))  # typed in groups: the digits are kept
    assert service.ask(grouped).code == typo
    assert service.tallied() == {"check_digit": 5}
    assert service.counters.peek(service.serial("genuine")) is None  # a typo counts no query of the code


def test_a_swap_of_the_last_two_digits_is_hinted(service: Service) -> None:
    names = ("genuine", "repeated", "anomalous", "voided", "recalled", "undistributed", "unbound")
    issued = [getattr(service.codes, name) for name in names]  # the key is new for each ledger: find a pair
    code = next(c for c in issued if c[18] != c[19])
    answer = service.ask(code[:18] + code[19] + code[18])
    assert (answer.status, answer.hint) == ("check_digit", (code, [19, 20]))
    first = next(c for c in issued if c[0] != c[1])
    assert service.ask(first[1] + first[0] + first[2:]).hint == (first, [1, 2])


def test_the_hint_never_offers_a_code_that_was_not_issued(service: Service) -> None:
    unissued = service.codes.unknown  # passes the MAC, but its serial is not in the ledger
    typo = _digit(unissued, 6, 1)
    answer = service.ask(typo)
    assert (answer.status, answer.hint) == ("check_digit", None)
    assert answer.detail("en") == "compare the code digit by digit with the label"


def test_no_hint_when_more_than_one_code_is_near(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    genuine, unbound = service.codes.genuine, service.codes.unbound
    typo = _digit(genuine, 4, 1)
    near = [(genuine, [5]), (unbound, [1])]
    monkeypatch.setattr(station.query.answer, "typo_candidates", lambda key, digits, known=None: near)
    assert service.ask(typo).hint is None
    monkeypatch.setattr(station.query.answer, "typo_candidates", lambda key, digits, known=None: near[1:])
    assert service.ask(typo).hint == (unbound, [1])


# --- forged and unknown ----------------------------------------------------------------------------------------


def test_every_wrong_mac_digit_is_forged(service: Service) -> None:
    genuine = service.codes.genuine
    for pos in range(9, 19):
        for digit in "0123456789":
            if digit != genuine[pos]:
                forged = _forge(genuine, pos, digit)
                answer = service.ask(forged)
                assert (answer.status, answer.code) == ("forged", forged), (pos, digit)
                assert (answer.serial, answer.hint, answer.queries, answer.facts) == (None, None, None, None)
    assert answer.http_status == 404 and answer.failed
    assert service.tallied() == {"forged": 90}
    assert service.counters.peek(service.serial("genuine")) is None


def test_a_changed_public_number_is_forged(service: Service) -> None:
    genuine = service.codes.genuine
    for pos in range(9):
        assert service.ask(_forge(genuine, pos, str((int(genuine[pos]) + 1) % 10))).status == "forged", pos


def test_a_code_that_passes_the_mac_but_was_never_issued_is_unknown(service: Service) -> None:
    answer = service.ask(service.codes.unknown)
    assert (answer.status, answer.serial, answer.code) == ("unknown", 999_999_999, service.codes.unknown)
    assert (answer.queries, answer.facts, answer.warnings) == (None, None, [])
    assert answer.http_status == 404 and answer.failed
    assert service.counters.peek(999_999_999) is None  # not counted: it is no code of ours
    assert service.tallied() == {"unknown": 1}


def test_a_code_asked_again_gets_the_same_check(service: Service, monkeypatch: pytest.MonkeyPatch) -> None:
    """The offline check is remembered per code: a forged code that shares the genuine one's public number, a
    code that fails its check digit, and the codes asked after the memory was emptied are checked all the same."""
    monkeypatch.setattr(station.query.answer, "CHECKED_KEPT", 4)
    genuine = service.codes.genuine
    forged = _forge(genuine, 12, str((int(genuine[12]) + 1) % 10))
    expected = {  # code: its status, its serial
        genuine: ("genuine", service.serial("genuine")),
        forged: ("forged", None),
        service.codes.unknown: ("unknown", 999_999_999),
        service.codes.voided: ("voided", service.serial("voided")),
        _digit(genuine, 3, 1): ("check_digit", None),
    }
    for turn in range(3):  # checked, remembered, then checked again once a fifth code emptied the memory
        for code, (status, serial) in expected.items():
            answer = service.ask(code, count=False)
            assert (answer.status, answer.code, answer.serial) == (status, code, serial), turn
        if turn == 1:
            assert service.ask(service.codes.unbound, count=False).status == "genuine"
    assert len(service.answerer._checked) <= 4  # the memory stays within its bound


# --- genuine codes and their warnings ----------------------------------------------------------------------------


STATUSES = [  # code, status, warnings, HTTP status, the lot it is bound to
    ("genuine", "genuine", [], 200, "MD20261120"),
    ("unbound", "genuine", [], 200, None),
    ("voided", "voided", ["voided"], 410, None),
    ("recalled", "recalled", ["recalled"], 200, "MD20261121"),
    ("blacklisted", "blacklisted", ["blacklisted"], 200, "YF20261101"),
    ("undistributed", "undistributed", ["undistributed"], 200, None),
]


def test_each_code_in_the_ledger_gets_its_status(service: Service) -> None:
    for name, status, warnings, http, lot in STATUSES:
        code = getattr(service.codes, name)
        answer = service.ask(code)
        assert (answer.status, answer.warnings, answer.http_status) == (status, warnings, http), name
        assert (answer.lot or {}).get("number") == lot, name
        assert answer.serial == service.serial(name) and answer.code == code
        assert answer.queries is not None and answer.queries.queries == 1 and answer.facts is not None
        assert not answer.anomaly and not answer.link_mismatch and not answer.failed
    assert service.tallied() == {"genuine": 2, "voided": 1, "recalled": 1, "blacklisted": 1, "undistributed": 1}


def test_the_most_serious_warning_is_the_status(service: Service) -> None:
    home = service.home
    for _ in range(3):
        answer = service.ask(service.codes.recalled)
    assert (answer.status, answer.warnings) == ("recalled", ["recalled", "repeated"])
    home.ledger.transition(service.serial("undistributed"), "void")  # voided after verifying, never handed out
    answer = service.ask(service.codes.undistributed)
    assert (answer.status, answer.warnings) == ("voided", ["voided"])
    blacklisted = service.serial("blacklisted")
    for _ in range(2):
        answer = service.ask(service.codes.blacklisted, OTHER_NET)
    answer = service.ask(service.codes.blacklisted, NET)  # third query, and from another network
    assert answer.serial == blacklisted
    assert (answer.status, answer.warnings) == ("blacklisted", ["blacklisted", "repeated", "anomaly"])


def test_a_code_of_a_recalled_lot_is_recalled_whatever_its_own_state(service: Service) -> None:
    """A lot marked recalled recalls every code bound to it, also one whose own row was not moved to recalled."""
    answer = service.ask(service.codes.genuine)
    assert answer.status == "genuine" and answer.lot is not None and not answer.lot["recalled"]
    ledger = service.home.ledger
    lot_id = ledger.code(service.serial("genuine"))["lot_id"]  # type: ignore[index]
    ledger.update_lot(lot_id, "lot.recalled", {"codes": 0}, recalled=1, recall_reason="霉变")  # type: ignore[attr-defined]
    service.answerer._facts.clear()  # noqa: SLF001 - as FACTS_TTL_S later
    answer = service.ask(service.codes.genuine)
    assert (answer.status, answer.warnings) == ("recalled", ["recalled"])
    assert answer.lot is not None and answer.lot["recalled"] and answer.lot["recall_reason"] == "霉变"


def test_facts_read_again_and_the_same_are_the_ones_kept(service: Service) -> None:
    """Facts read again at a new version of the ledger and found the same stay the object read before, with what
    was rendered for them; a change to the lot or the producer gives new ones."""
    from station.registry import set_blacklisted

    answerer, ledger = service.answerer, service.home.ledger
    row = ledger.code(service.serial("genuine"))
    assert row is not None
    order_id, lot_id = row["order_id"], row["lot_id"]
    first = answerer.facts(order_id, lot_id, version=1)
    first.pages["zh"] = b"<p>kept</p>"
    again = answerer.facts(order_id, lot_id, version=2)
    assert again is first and again.version == 2 and again.pages == {"zh": b"<p>kept</p>"}
    ledger.update_lot(lot_id, "lot.recalled", {"codes": 0}, recalled=1, recall_reason="霉变")  # type: ignore[attr-defined]
    recalled = answerer.facts(order_id, lot_id, version=3)
    assert recalled is not first and recalled.lot is not None and recalled.lot["recall_reason"] == "霉变"
    assert recalled.pages == {} and recalled.version == 3
    set_blacklisted(ledger, ledger.order(order_id)["enterprise_id"], True, "以次充好")
    blacklisted = answerer.facts(order_id, lot_id, version=4)
    assert blacklisted is not recalled and blacklisted.producer["blacklist_reason"] == "以次充好"


def test_repeated_only_after_warn_after_queries(service: Service) -> None:
    code = service.codes.repeated
    statuses = [service.ask(code).status for _ in range(4)]
    assert statuses == ["genuine", "genuine", "repeated", "repeated"]  # warn_after = 2
    answer = service.ask(code)
    assert answer.warnings == ["repeated"] and answer.queries is not None and answer.queries.queries == 5
    assert service.tallied() == {"genuine": 2, "repeated": 3}


def test_an_anomaly_is_a_warning_not_a_status(service: Service) -> None:
    code = service.codes.anomalous
    first = service.ask(code, NET)
    assert not first.anomaly and first.warnings == []
    second = service.ask(code, OTHER_NET)  # the first anomaly of this code
    assert second.anomaly and second.queries is not None and second.queries.anomalies == 1
    assert (second.status, second.warnings) == ("genuine", ["anomaly"])
    third = service.ask(code, OTHER_NET, count=False)  # not a query: the counter as it stands
    assert third.anomaly and third.warnings == ["anomaly"] and third.queries == second.queries


def test_a_link_that_does_not_match_the_order_is_a_warning(service: Service) -> None:
    code = service.codes.genuine
    answer = service.ask(code, link=("00000000000000", None))  # what the order's labels carry
    assert answer.facts is not None and answer.facts.link == ("00000000000000", None)
    assert (answer.status, answer.warnings, answer.link_mismatch) == ("genuine", [], False)
    answer = service.ask(code, link=("06901234567892", None))
    assert (answer.status, answer.warnings, answer.link_mismatch) == ("genuine", ["link"], True)
    answer = service.ask(code, link=("00000000000000", "MD1"))  # the third query: repeated too
    assert (answer.status, answer.warnings, answer.link_mismatch) == ("repeated", ["repeated", "link"], True)
    assert service.ask(code).warnings == ["repeated"]  # a plain URL carries no link to compare


def test_a_query_not_counted_peeks_and_tallies_nothing(service: Service) -> None:
    code = service.codes.genuine
    answer = service.ask(code, count=False)
    assert (answer.status, answer.queries) == ("genuine", None)  # never queried yet
    service.ask(code)
    answer = service.ask(code, count=False)
    assert answer.queries is not None and answer.queries.queries == 1
    service.ask(service.codes.forged, count=False)
    service.ask("12", count=False)
    assert service.tallied() == {"genuine": 1}
    queries = service.store.code_queries(service.serial("genuine"))
    assert queries is not None and queries.queries == 1


def test_counted_queries_reach_the_store(service: Service) -> None:
    code = service.codes.genuine
    service.ask(code, NET)
    service.ask(code, OTHER_NET)
    service.ask(service.codes.voided)
    service.ask(service.codes.forged)
    assert service.tallied() == {"genuine": 2, "voided": 1, "forged": 1}
    first = AT.isoformat(timespec="microseconds")[:26] + "Z"
    assert service.store.code_queries(service.serial("genuine")) == CodeQueries(2, first, first, OTHER_NET, 1)
    voided = service.store.code_queries(service.serial("voided"))
    assert voided is not None and voided.queries == 1


# --- the fast check digit, MAC and serial finder -----------------------------------------------------------------

KEY = CodeKey.from_secret(bytes(range(32)))
WALK_KEY = CodeKey.from_secret(bytes(range(5, 37)))  # 236202708 walks twice (tests/test_codes_rules.py)


def test_check_digit_ok_is_damm() -> None:
    code = make_code(KEY, 4242)
    assert check_digit_ok(code) and check_digit_ok("") and check_digit_ok("0")
    assert not check_digit_ok("1") and not check_digit_ok("5")
    for pos in range(20):
        for delta in range(1, 10):
            assert not check_digit_ok(_digit(code, pos, delta)), (pos, delta)
    rng = random.Random(7)
    for _ in range(500):
        digits = "".join(rng.choice("0123456789") for _ in range(20))
        assert check_digit_ok(digits) == (damm.checksum(digits) == 0)


def test_the_finder_checks_all_ten_mac_digits() -> None:
    finder = Codec(KEY)
    code = make_code(KEY, 123_456_789)
    assert finder.mac_ok(code) and finder.serial(code) == 123_456_789
    for pos in range(9, 19):
        for digit in "0123456789":
            if digit != code[pos]:
                forged = _forge(code, pos, digit)
                assert not finder.mac_ok(forged) and finder.serial(forged) is None, (pos, digit)
    assert not finder.mac_ok(make_code(CodeKey.from_secret(bytes(32)), 123_456_789))  # another key's code


def test_the_finder_agrees_with_the_permutation_at_its_edges() -> None:
    finder = Codec(KEY)
    edge = _feistel_inverse(KEY, SERIAL_LIMIT)  # its first step lands on 10^9 exactly
    for serial in (0, 1, edge, SERIAL_LIMIT - 1):
        assert finder.serial(make_code(KEY, serial)) == serial
    for y in (0, SERIAL_LIMIT - 1, SERIAL_LIMIT, _HALF * _HALF - 1, 123_456_789):
        assert finder._inverse(y) == _feistel_inverse(KEY, y)  # noqa: SLF001
    walker = Codec(WALK_KEY)
    assert _feistel(WALK_KEY, _feistel(WALK_KEY, 236_202_708)) >= SERIAL_LIMIT  # two steps outside
    assert walker.serial(make_code(WALK_KEY, 236_202_708)) == 236_202_708


def test_fill_computes_every_round_value_once() -> None:
    finder = Codec(KEY)
    tables = finder._tables  # noqa: SLF001
    assert len(tables) == 10 and all(len(t) == _HALF for t in tables)
    assert all(t[0] == _MISSING and t[_HALF - 1] == _MISSING for t in tables)
    finder.serial(make_code(KEY, 99))  # a few values computed on the way
    computed = {(i, h): tables[i][h] for i in range(10) for h in range(_HALF) if tables[i][h] != _MISSING}
    assert 0 < len(computed) <= 20
    assert all(value == _round(KEY, i, h) for (i, h), value in computed.items())
    finder.fill()
    assert all(_MISSING not in t for t in tables)
    for i in range(10):
        for half in (0, 1, 12_345, _HALF - 1):
            assert tables[i][half] == _round(KEY, i, half), (i, half)
    assert all(tables[i][h] == value for (i, h), value in computed.items())
    assert finder.serial(make_code(KEY, 99)) == 99


# --- token buckets -----------------------------------------------------------------------------------------------


def test_buckets_keep_as_many_clients_as_allowed() -> None:
    buckets = TokenBuckets(per_second=0.001, burst=1, max_clients=2)
    buckets.charge("a", 1, 0.0)
    buckets.charge("b", 1, 0.0)
    assert buckets.wait("a", 0.0) > 0 and buckets.wait("b", 0.0) > 0
    many = TokenBuckets(per_second=0.001, burst=1)  # 100,000 by default
    for i in range(100_001):
        many.charge(str(i), 1, 0.0)
    assert many.wait("0", 0.0) == 0 and many.wait("1", 0.0) > 0 and many.wait("100000", 0.0) > 0


def test_bucket_arithmetic() -> None:
    buckets = TokenBuckets(per_second=0.5, burst=2)
    assert (buckets.per_second, buckets.burst, buckets.max_clients) == (0.5, 2, 100_000)
    assert buckets.wait("a", 0.0) == 0.0 and buckets.retry_after("a", 0.0) == 1  # never below 1
    buckets.charge("a", 1.5, 0.0)  # a new client starts full: 0.5 left
    assert buckets.wait("a", 0.0) == 1.0 and buckets.retry_after("a", 0.0) == 1
    assert buckets.wait("a", 1.0) == 0.0  # 1 token again after a second
    assert buckets.wait("a", 2.0) == 0.0  # 1.5 tokens: may go now, nothing to wait
    buckets.charge("a", 3, 1.0)  # 1 - 3: a debt of 2, 3 tokens short of one
    assert buckets.wait("a", 1.0) == 6.0 and buckets.retry_after("a", 1.0) == 6
    assert buckets.wait("a", 2.0) == 5.0
    assert buckets.wait("a", 2.5) == 4.5 and buckets.retry_after("a", 2.5) == 5  # rounded up
    assert buckets.wait("a", 6.9) == pytest.approx(0.1) and buckets.retry_after("a", 6.9) == 1
    assert buckets.wait("a", 7.0) == 0.0
    buckets.charge("a", 1.5, 1000.0)  # refilled to the burst, not beyond
    assert buckets.wait("a", 1000.0) == 1.0
    assert buckets.wait("b", 1000.0) == 0.0  # another client is not affected
