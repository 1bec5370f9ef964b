"""The refusal rules of pickup, undo, binding and recall, one by one, on rolls written straight into the ledger:
two enterprises, two products of one enterprise, two stations, rolls closed and open, verified and voided."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import pytest

import station.pickup as pickup_module
from station.codes import group, make_code, payload
from station.errors import ClaimError, CodeError, LedgerError, RegistryError
from station.home import Home
from station.issue import issue_codes
from station.labels.values import roll_id as roll_name
from station.ledger import State
from station.lots import add_lot, bind_codes, inspect_lot, recall_lot, release_lot
from station.pickup import MAX_SCAN, PickupSession, print_slip, rolls_to_collect, slip_values, undo_pickup
from station.registry import add_enterprise, add_product, review_enterprise, set_blacklisted
from station.texts import t


@dataclass
class World:
    """Enterprise A with products A1 and A2, enterprise B with product B1; one order and one run each."""

    home: Home
    a: int
    b: int
    a1: int
    a2: int
    b1: int
    order_a1: int
    order_a2: int
    order_b1: int
    runs: dict[int, int]
    numbers: dict[int, int]

    def roll(self, order_id: int, actions: list[str | None], close: bool = True) -> str:
        """A roll of the order with one label per action ("verify", "reject", or None: printed, not verified)."""
        ledger = self.home.ledger
        self.numbers[order_id] = self.numbers.get(order_id, 0) + 1
        number = self.numbers[order_id]
        rid = roll_name(order_id, number)
        ledger.open_roll(self.runs[order_id], rid, number)
        serials = ledger.codes_in_state(order_id, State.ISSUED, limit=len(actions))
        for serial, action in zip(serials, actions, strict=True):
            ledger.print_on_roll(serial, rid, {"run": self.runs[order_id]})
            if action is not None:
                ledger.transition(serial, action)
        if close:
            ledger.close_roll(rid)
            ledger.header_started(rid, {"reprint": False})
            ledger.header_printed(rid)
        return rid

    def serials(self, rid: str) -> list[int]:
        return [s for _, s, _ in self.home.ledger.roll(rid)["labels"] if s is not None]

    def states(self, rid: str) -> list[State]:
        return [st for _, s, st in self.home.ledger.roll(rid)["labels"] if s is not None]

    def code(self, serial: int) -> str:
        return make_code(self.home.key, serial)

    def hand_over(self, enterprise: int, *rolls: str) -> int:
        session = PickupSession(self.home, enterprise, "李四")
        for rid in rolls:
            outcome = session.scan(rid)
            assert outcome.ok, outcome.message
        pickup_id = session.finish()
        assert pickup_id is not None
        return pickup_id

    def released_lot(self, product: int, number: str) -> int:
        lot = add_lot(self.home.ledger, product, number, "2026-11-20")
        inspect_lot(self.home.ledger, lot, "pass")
        release_lot(self.home.ledger, lot)
        return lot


@pytest.fixture
def world(home: Home) -> World:
    ledger = home.ledger
    a = add_enterprise(ledger, "牟定县甲腐乳厂", "91532323MA6N0FRU1E")
    b = add_enterprise(ledger, "牟定县乙合作社", "91110000600037341L")
    review_enterprise(ledger, a, "approve")
    review_enterprise(ledger, b, "approve")
    a1 = add_product(ledger, a, "牟定腐乳", "532323101001", "532323")
    a2 = add_product(ledger, a, "牟定油腐乳", "532323101002", "532323")
    b1 = add_product(ledger, b, "牟定核桃", "532323102003", "532323")
    orders = {p: issue_codes(home, e, p, 24).order for e, p in ((a, a1), (a, a2), (b, b1))}
    runs = {o: ledger.create_run(o, "trace-40x30", 4, "tcp://127.0.0.1:9", "none") for o in orders.values()}
    return World(home, a, b, a1, a2, b1, orders[a1], orders[a2], orders[b1], runs, {})


def _msg(key: str, **params: object) -> str:
    return t(key, **params)


# --- scanning roll headers ------------------------------------------------------------------------------


def test_session_needs_an_allowed_enterprise_and_a_receiver(world: World) -> None:
    with pytest.raises(ClaimError) as e:
        PickupSession(world.home, world.a, " \t")
    assert e.value.key == "pickup.receiver_needed"
    pending = add_enterprise(world.home.ledger, "丙", "91440300MA5D8WQ21P")
    with pytest.raises(RegistryError) as e2:
        PickupSession(world.home, pending, "李四")
    assert e2.value.key == "enterprise.not_approved"
    set_blacklisted(world.home.ledger, world.b, True, "以次充好")
    with pytest.raises(RegistryError) as e3:
        PickupSession(world.home, world.b, "李四")
    assert e3.value.key == "enterprise.blacklisted"
    session = PickupSession(world.home, world.a, "李四")
    assert session.enterprise_name == "牟定县甲腐乳厂"


def test_a_roll_that_is_not_closed_is_refused_even_when_every_label_is_verified(world: World) -> None:
    open_roll = world.roll(world.order_a1, ["verify"] * 4, close=False)
    session = PickupSession(world.home, world.a, "李四")
    outcome = session.scan(open_roll)
    assert outcome == pickup_module.ScanOutcome(False, _msg("pickup.roll_unfinished", roll=open_roll))
    assert session.rolls == [] and session.codes == 0
    world.home.ledger.close_roll(open_roll)
    # complete, but its label (the header scanned here) was never sent whole: it waits for its label
    no_header = pickup_module.ScanOutcome(False, _msg("pickup.roll_no_header", roll=open_roll))
    assert session.scan(open_roll) == no_header
    world.home.ledger.header_started(open_roll, {"reprint": False})
    assert session.scan(open_roll) == no_header
    assert pickup_module.rolls_to_collect(world.home, world.a) == []
    world.home.ledger.header_printed(open_roll)
    assert session.scan(open_roll).ok
    assert pickup_module.rolls_to_collect(world.home, world.a) == [open_roll]


def test_a_closed_roll_with_a_label_not_verified_is_refused(world: World) -> None:
    for unfinished in (
        [None, "verify", "verify"],
        ["verify", "verify", None],
        ["verify", None, "reject"],
    ):
        rid = world.roll(world.order_a1, unfinished)
        outcome = PickupSession(world.home, world.a, "李四").scan(rid)
        assert outcome == pickup_module.ScanOutcome(False, _msg("pickup.roll_unfinished", roll=rid))


def test_a_roll_of_only_voided_labels_is_refused_and_voided_labels_are_not_counted(world: World) -> None:
    empty = world.roll(world.order_a1, ["reject", "reject"])
    session = PickupSession(world.home, world.a, "李四")
    assert session.scan(empty) == pickup_module.ScanOutcome(False, _msg("pickup.roll_empty", roll=empty))
    one_good = world.roll(world.order_a1, ["reject", "verify", "reject"])
    outcome = session.scan(one_good)
    assert outcome == pickup_module.ScanOutcome(True, _msg("pickup.roll_ok", roll=one_good, n=1, rolls=1), one_good)
    assert "roll R" in outcome.message and ": 1 labels" in outcome.message and "(1 rolls" in outcome.message
    full = world.roll(world.order_a1, ["verify"] * 4)
    assert session.scan(full) == pickup_module.ScanOutcome(True, _msg("pickup.roll_ok", roll=full, n=4, rolls=2), full)
    assert session.rolls == [one_good, full] and session.codes == 5


def test_rolls_of_another_enterprise_unknown_scanned_twice_or_taken_are_refused(world: World) -> None:
    foreign = world.roll(world.order_b1, ["verify"] * 2)
    mine = world.roll(world.order_a1, ["verify"] * 2)
    other = world.roll(world.order_a2, ["verify"] * 2)  # the other product of the same enterprise is its own
    session = PickupSession(world.home, world.a, "李四")
    assert session.scan(foreign) == pickup_module.ScanOutcome(False, _msg("pickup.roll_foreign", roll=foreign))
    unknown = roll_name(world.order_a1, 99)
    assert session.scan(unknown) == pickup_module.ScanOutcome(False, _msg("pickup.roll_unknown", roll=unknown))
    assert session.scan(mine).ok and session.scan(other).ok
    assert session.scan(mine) == pickup_module.ScanOutcome(False, _msg("pickup.roll_twice", roll=mine))
    assert session.rolls == [mine, other] and session.codes == 4
    session.finish()
    again = PickupSession(world.home, world.a, "李四")
    assert again.scan(mine) == pickup_module.ScanOutcome(False, _msg("pickup.roll_taken", roll=mine))
    # the other enterprise's session accepts its own roll and refuses the first enterprise's
    theirs = PickupSession(world.home, world.b, "王五")
    assert theirs.scan(foreign).ok
    assert theirs.scan(mine) == pickup_module.ScanOutcome(False, _msg("pickup.roll_foreign", roll=mine))


def test_scans_that_are_not_roll_headers(world: World) -> None:
    mine = world.roll(world.order_a1, ["verify", "reject", "verify"])
    foreign = world.roll(world.order_b1, ["verify"])
    good, voided = world.serials(mine)[:2]
    base = world.home.ledger.order(world.order_a1)["base_url"]
    session = PickupSession(world.home, world.a, "李四")
    not_ours = pickup_module.ScanOutcome(False, _msg("pickup.not_ours"))
    empty = pickup_module.ScanOutcome(False, _msg("pickup.empty_scan"))
    assert session.scan("") == empty and session.scan(" \r\n\t") == empty
    assert session.scan(world.code(good)) == pickup_module.ScanOutcome(False, _msg("pickup.scan_header"))
    assert session.scan(payload(base, world.code(good))) == pickup_module.ScanOutcome(False, _msg("pickup.scan_header"))
    assert session.scan(f" {world.code(good)}\r\n").message == _msg("pickup.scan_header")
    assert session.scan(world.code(voided)) == pickup_module.ScanOutcome(
        False, _msg("pickup.code_voided", code=group(world.code(voided)))
    )
    assert "voided" in session.scan(payload(base, world.code(voided))).message
    assert session.scan(world.code(world.serials(foreign)[0])) == pickup_module.ScanOutcome(
        False, _msg("pickup.code_foreign")
    )
    never_issued = max(world.serials(foreign)) + 10_000
    assert session.scan(world.code(never_issued)) == pickup_module.ScanOutcome(
        False, _msg("code.unknown_serial", serial=never_issued)
    )
    code = world.code(good)
    one_off = code[:-1] + str((int(code[-1]) + 1) % 10)
    for bad in (one_off, code[:-1], mine + "\x00", "\x07" + mine, mine[:-1] + "X", "r" + mine[1:]):
        assert session.scan(bad) == not_ours, bad
    # a roll id missing a digit has the older form: accepted only for a roll the ledger holds
    short = "R" + mine[1:-1]
    assert session.scan(short) == pickup_module.ScanOutcome(False, _msg("roll.old_unknown", roll=short))
    assert session.scan(mine + "0") == not_ours  # eleven digits: not a roll id, not a code
    # a control character that the code reader would take for a separator is refused before it gets there
    for control in ("\x1c", "\x1f", "\x85"):
        assert session.scan(code[:10] + control + code[10:]) == not_ours, repr(control)
    assert session.scan(code[:10] + " " + code[10:]).message == _msg("pickup.scan_header")
    # a surrogate, private-use or unassigned character anywhere refuses the scan, even before the code's "/"
    for odd in ("\ud800", "\ue000", "\u0378"):
        assert session.scan(f"{base}/{odd}/{code}") == not_ours, repr(odd)
    assert session.scan(f"{base}/x/{code}").message == _msg("pickup.scan_header")
    assert session.rolls == []
    assert session.scan(mine).ok


def test_scan_length_limit(world: World) -> None:
    session = PickupSession(world.home, world.a, "李四")
    code = world.code(world.serials(world.roll(world.order_a1, ["verify"]))[0])
    base = "https://example.org/"
    padded = base + "x" * (MAX_SCAN - len(base) - len(code)) + "/" + code
    assert len(padded) == MAX_SCAN + 1
    assert session.scan(padded) == pickup_module.ScanOutcome(False, _msg("pickup.not_ours"))
    assert session.scan(padded[1:]) == pickup_module.ScanOutcome(False, _msg("pickup.scan_header"))
    assert session.scan(" " * 300 + padded[1:] + " " * 300).message == _msg("pickup.scan_header")
    assert MAX_SCAN == 256


def test_a_scan_that_breaks_the_judge_is_answered_not_raised(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    session = PickupSession(world.home, world.a, "李四")
    rid = world.roll(world.order_a1, ["verify"])

    def broken(_roll: str) -> None:
        raise ValueError("bad bytes")

    monkeypatch.setattr(world.home.ledger, "roll_pickup", broken)
    assert session.scan(rid) == pickup_module.ScanOutcome(False, _msg("pickup.unreadable_scan", reason="ValueError"))

    def failing(_roll: str) -> None:
        raise LedgerError("ledger.io", reason="disk I/O error")

    monkeypatch.setattr(world.home.ledger, "roll_pickup", failing)
    assert session.scan(rid) == pickup_module.ScanOutcome(False, _msg("ledger.io", reason="disk I/O error"))
    assert session.rolls == []


def test_finish_hands_over_only_what_was_accepted_and_checks_the_enterprise_again(world: World) -> None:
    session = PickupSession(world.home, world.a, "  李四  ")
    assert session.finish() is None
    assert list(world.home.ledger.events_of(["pickup.made"])) == []
    first = world.roll(world.order_a1, ["verify", "reject", "verify"])
    second = world.roll(world.order_a2, ["verify"])
    assert session.scan(first).ok and session.scan(second).ok
    blocked = PickupSession(world.home, world.b, "王五")
    foreign = world.roll(world.order_b1, ["verify"])
    assert blocked.scan(foreign).ok
    set_blacklisted(world.home.ledger, world.b, True, "以次充好")
    with pytest.raises(RegistryError) as e:
        blocked.finish()
    assert e.value.key == "enterprise.blacklisted"
    assert world.states(foreign) == [State.VERIFIED]
    pickup_id = session.finish()
    assert pickup_id is not None
    made = world.home.ledger.pickup(pickup_id)  # type: ignore[attr-defined]
    assert made["receiver"] == "李四" and made["enterprise_id"] == world.a
    assert made["operator"] == "tester" and made["station"] == world.home.config.station.id
    assert made["rolls"] == sorted([first, second]) and made["undone_at"] is None
    assert world.states(first) == [State.DISTRIBUTED, State.VOIDED, State.DISTRIBUTED]
    assert world.states(second) == [State.DISTRIBUTED]
    distributed = [(e["serial"], e["data"]) for e in world.home.ledger.events_of(["code.distribute"])]
    f, g = world.serials(first), world.serials(second)
    assert distributed == [
        (f[0], {"from": "verified", "to": "distributed", "pickup": pickup_id, "roll": first}),
        (f[2], {"from": "verified", "to": "distributed", "pickup": pickup_id, "roll": first}),
        (g[0], {"from": "verified", "to": "distributed", "pickup": pickup_id, "roll": second}),
    ]
    [event] = world.home.ledger.events_of(["pickup.made"])
    assert event["enterprise_id"] == world.a
    assert event["data"] == {"pickup": pickup_id, "receiver": "李四", "rolls": [first, second], "codes": 3}
    assert world.home.ledger.roll_pickup(first) == pickup_id  # type: ignore[attr-defined]
    assert world.home.ledger.roll_pickup(foreign) is None  # type: ignore[attr-defined]
    assert world.home.ledger.verify_audit().ok


def test_rolls_to_collect_are_own_closed_and_not_handed_over(world: World) -> None:
    first = world.roll(world.order_a1, ["verify"])
    world.roll(world.order_a1, ["verify"], close=False)
    second = world.roll(world.order_a2, ["verify", "reject"])
    third = world.roll(world.order_a1, ["verify"])
    foreign = world.roll(world.order_b1, ["verify"])
    assert rolls_to_collect(world.home, world.a) == [first, third, second]
    assert rolls_to_collect(world.home, world.b) == [foreign]
    pickup_id = world.hand_over(world.a, third)
    assert rolls_to_collect(world.home, world.a) == [first, second]
    undo_pickup(world.home, pickup_id, "扫错了", 30)
    assert rolls_to_collect(world.home, world.a) == [first, third, second]


def test_slip_values(world: World) -> None:
    first = world.roll(world.order_a1, ["reject", "verify", "verify", "reject", "verify"])
    second = world.roll(world.order_a2, ["verify", "verify"])
    pickup_id = world.hand_over(world.a, first, second)
    values, rows = slip_values(world.home, pickup_id)
    made = world.home.ledger.pickup(pickup_id)  # type: ignore[attr-defined]
    assert values == {
        "enterprise.name": "牟定县甲腐乳厂",
        "slip.id": f"P{pickup_id:06d}",
        "slip.operator": "tester",
        "slip.receiver": "李四",
        "slip.total": "5",
        "slip.rolls": "2",
        "print.date": made["at"][:10],
        "print.station": world.home.config.station.id,
    }
    s1, s2 = world.serials(first), world.serials(second)
    assert rows == [
        {
            "row.n": "1",
            "row.roll": first,
            "row.product": "牟定腐乳",
            "row.count": "3",
            "row.first": group(world.code(s1[1])),
            "row.last": group(world.code(s1[4])),
        },
        {
            "row.n": "2",
            "row.roll": second,
            "row.product": "牟定油腐乳",
            "row.count": "2",
            "row.first": group(world.code(s2[0])),
            "row.last": group(world.code(s2[1])),
        },
    ]


def test_the_slip_comes_out_of_the_receipt_printer_cut(world: World) -> None:
    from drivers.emulators.printer import VirtualPrinter
    from drivers.emulators.servers import TcpPrinterServer
    from station.labels import Renderer, load_template
    from tests.printer_helpers import same_pixels, wait_labels

    rid = world.roll(world.order_a1, ["verify", "reject", "verify"])
    pickup_id = world.hand_over(world.a, rid)
    receipt = VirtualPrinter("escpos")
    with TcpPrinterServer(receipt) as server:
        assert print_slip(world.home, pickup_id, server.uri) == f"P{pickup_id:06d}"
        wait_labels(receipt, 1)
    values, rows = slip_values(world.home, pickup_id)
    expected = Renderer(font_path=world.home.config.labels.font).render(load_template("pickup-slip-58mm"), values, rows)
    [printed] = receipt.labels
    assert printed.image.width == 384 and receipt.cuts == 1  # cut off, not fed on to a next label
    assert same_pixels(printed.image, expected.image)


# --- undoing a pickup -----------------------------------------------------------------------------------


def _freeze(monkeypatch: pytest.MonkeyPatch, now: datetime) -> None:
    class Frozen(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Frozen:
            return cls.fromtimestamp(now.timestamp(), UTC)

    monkeypatch.setattr(pickup_module, "datetime", Frozen)


def _made_at(world: World, pickup_id: int) -> datetime:
    at = world.home.ledger.pickup(pickup_id)["at"]  # type: ignore[attr-defined]
    return datetime.strptime(at, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)


def test_undo_window_is_in_minutes_and_its_edge_is_inside(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    rolls = [world.roll(world.order_a1, ["verify", "verify"]) for _ in range(3)]
    ids = [world.hand_over(world.a, rid) for rid in rolls]
    made = _made_at(world, ids[0])
    _freeze(monkeypatch, made + timedelta(minutes=30, seconds=1))  # one second past the window
    with pytest.raises(ClaimError) as late:
        undo_pickup(world.home, ids[0], "扫错了", 30)
    assert late.value.key == "pickup.undo_late" and late.value.params == {"id": ids[0], "minutes": 30}
    assert world.states(rolls[0]) == [State.DISTRIBUTED] * 2
    _freeze(monkeypatch, made + timedelta(minutes=31))  # 31 minutes is inside 30 hours, outside 30 minutes
    with pytest.raises(ClaimError) as later:
        undo_pickup(world.home, ids[0], "扫错了", 30)
    assert later.value.key == "pickup.undo_late"
    made = _made_at(world, ids[1])
    _freeze(monkeypatch, made + timedelta(minutes=30))  # exactly at the edge: still inside
    undo_pickup(world.home, ids[1], "扫错了", 30)
    assert world.states(rolls[1]) == [State.VERIFIED] * 2
    made = _made_at(world, ids[2])
    _freeze(monkeypatch, made + timedelta(minutes=5))
    with pytest.raises(ClaimError) as short:
        undo_pickup(world.home, ids[2], "扫错了", 4)
    assert short.value.key == "pickup.undo_late" and short.value.params["minutes"] == 4
    undo_pickup(world.home, ids[2], "扫错了", 5)


def test_undo_needs_a_reason_and_happens_once(world: World) -> None:
    rid = world.roll(world.order_a1, ["verify", "reject", "verify"])
    pickup_id = world.hand_over(world.a, rid)
    for blank in ("", "  \t"):
        with pytest.raises(RegistryError) as e:
            undo_pickup(world.home, pickup_id, blank, 30)
        assert e.value.key == "enterprise.reason_needed"
    assert world.states(rid) == [State.DISTRIBUTED, State.VOIDED, State.DISTRIBUTED]
    undo_pickup(world.home, pickup_id, "  扫错了企业 ", 30)
    undone = world.home.ledger.pickup(pickup_id)  # type: ignore[attr-defined]
    assert undone["undone_at"] is not None and undone["undo_reason"] == "扫错了企业"
    assert world.states(rid) == [State.VERIFIED, State.VOIDED, State.VERIFIED]
    [event] = world.home.ledger.events_of(["pickup.undone"])
    assert event["data"] == {"pickup": pickup_id, "reason": "扫错了企业"} and event["enterprise_id"] == world.a
    kinds = [e["data"] for e in world.home.ledger.events_of(["code.undistribute"])]
    assert kinds == [
        {"from": "distributed", "to": "verified", "pickup": pickup_id, "reason": "扫错了企业"} for _ in range(2)
    ]
    assert world.home.ledger.roll_pickup(rid) is None  # type: ignore[attr-defined]
    with pytest.raises(ClaimError) as twice:
        undo_pickup(world.home, pickup_id, "again", 30)
    assert twice.value.key == "pickup.undo_late"
    with pytest.raises(RegistryError) as unknown:
        undo_pickup(world.home, pickup_id + 1, "扫错了", 30)
    assert unknown.value.key == "pickup.unknown" and unknown.value.params == {"id": pickup_id + 1}
    again = world.hand_over(world.a, rid)  # the roll can be handed over again
    assert again != pickup_id and world.home.ledger.roll_pickup(rid) == again  # type: ignore[attr-defined]
    assert world.home.ledger.verify_audit().ok


def _at_station(home: Home, station_id: str) -> Home:
    """The same data directory opened by a second station."""
    other = Home.open(home.path, operator="clerk2")
    other.config = replace(other.config, station=replace(other.config.station, id=station_id))
    return other


def test_undo_is_refused_at_another_station(world: World) -> None:
    rid = world.roll(world.order_a1, ["verify", "verify"])
    pickup_id = world.hand_over(world.a, rid)
    here = world.home.config.station.id
    there = _at_station(world.home, here + "-2")
    try:
        with pytest.raises(ClaimError) as e:
            undo_pickup(there, pickup_id, "扫错了", 30)
        assert e.value.key == "pickup.undo_station"
        assert e.value.params == {"id": pickup_id, "station": here}
        assert world.states(rid) == [State.DISTRIBUTED] * 2
        # a pickup made at the second station is undone there, and not here
        rid2 = world.roll(world.order_a1, ["verify"])
        session = PickupSession(there, world.a, "王五")
        assert session.scan(rid2).ok
        theirs = session.finish()
        assert theirs is not None and there.ledger.pickup(theirs)["station"] == here + "-2"  # type: ignore[attr-defined]
        with pytest.raises(ClaimError) as e2:
            undo_pickup(world.home, theirs, "扫错了", 30)
        assert e2.value.key == "pickup.undo_station" and e2.value.params["station"] == here + "-2"
        undo_pickup(there, theirs, "扫错了", 30)
    finally:
        there.close()
    undo_pickup(world.home, pickup_id, "扫错了", 30)
    assert world.states(rid) == [State.VERIFIED] * 2


def test_undo_is_refused_once_a_code_is_bound_or_recalled(world: World) -> None:
    first = world.roll(world.order_a1, ["verify", "verify"])
    second = world.roll(world.order_a1, ["verify", "verify"])
    pickup_id = world.hand_over(world.a, first, second)
    lot = world.released_lot(world.a1, "L1")
    last = world.serials(second)[-1]
    assert bind_codes(world.home, lot, first=world.code(last), last=world.code(last)) == 1
    with pytest.raises(ClaimError) as e:
        undo_pickup(world.home, pickup_id, "扫错了", 30)
    assert e.value.key == "pickup.undo_bound" and e.value.params == {"id": pickup_id}
    recall_lot(world.home, lot, "抽检不合格")
    assert world.states(second) == [State.DISTRIBUTED, State.RECALLED]
    with pytest.raises(ClaimError) as e2:
        undo_pickup(world.home, pickup_id, "扫错了", 30)
    assert e2.value.key == "pickup.undo_bound"
    assert world.states(first) == [State.DISTRIBUTED] * 2


# --- binding codes to lots ------------------------------------------------------------------------------


def test_a_roll_of_another_product_of_the_same_enterprise_is_not_bound(world: World) -> None:
    a1_roll = world.roll(world.order_a1, ["verify", "verify"])
    a2_roll = world.roll(world.order_a2, ["verify", "verify"])
    world.hand_over(world.a, a1_roll, a2_roll)
    lot = world.released_lot(world.a1, "L1")
    with pytest.raises(ClaimError) as e:
        bind_codes(world.home, lot, roll_id=a2_roll)
    assert e.value.key == "bind.foreign"
    assert e.value.params == {"code": group(world.code(world.serials(a2_roll)[0]))}
    s = world.serials(a2_roll)
    with pytest.raises(ClaimError) as e2:
        bind_codes(world.home, lot, first=world.code(s[0]), last=world.code(s[1]))
    assert e2.value.key == "bind.foreign"
    assert world.states(a2_roll) == [State.DISTRIBUTED] * 2
    assert world.home.ledger.lot_codes(lot) == []  # type: ignore[attr-defined]
    assert bind_codes(world.home, lot, roll_id=a1_roll) == 2
    lot2 = world.released_lot(world.a2, "L1")  # the same number on the other product is another lot
    assert bind_codes(world.home, lot2, roll_id=a2_roll) == 2
    assert world.home.ledger.lot_codes(lot2) == world.serials(a2_roll)  # type: ignore[attr-defined]


def test_a_roll_of_another_enterprise_is_not_bound(world: World) -> None:
    theirs = world.roll(world.order_b1, ["verify", "verify"])
    world.hand_over(world.b, theirs)
    lot = world.released_lot(world.a1, "L1")
    with pytest.raises(ClaimError) as e:
        bind_codes(world.home, lot, roll_id=theirs)
    assert e.value.key == "bind.foreign"
    s = world.serials(theirs)
    with pytest.raises(ClaimError) as e2:
        bind_codes(world.home, lot, first=world.code(s[1]), last=world.code(s[0]))
    assert e2.value.key == "bind.foreign"
    assert world.states(theirs) == [State.DISTRIBUTED] * 2


def test_a_foreign_code_in_a_roll_binds_nothing_at_all(world: World) -> None:
    """The check runs code by code in one transaction: a refusal at the last code leaves the earlier ones unbound."""
    rid = world.roll(world.order_a1, ["verify", "verify"], close=False)
    ledger = world.home.ledger
    stray = ledger.codes_in_state(world.order_a2, State.ISSUED, limit=1)[0]  # the other product's code on the roll
    ledger.print_on_roll(stray, rid, {"run": world.runs[world.order_a1]})
    ledger.transition(stray, "verify")
    ledger.close_roll(rid)
    ledger.header_started(rid, {"reprint": False})
    ledger.header_printed(rid)
    world.hand_over(world.a, rid)
    lot = world.released_lot(world.a1, "L1")
    serials = world.serials(rid)
    assert serials[-1] == stray
    with pytest.raises(ClaimError) as e:
        bind_codes(world.home, lot, roll_id=rid)
    assert e.value.key == "bind.foreign" and e.value.params == {"code": group(world.code(stray))}
    assert world.states(rid) == [State.DISTRIBUTED] * 3
    assert ledger.lot_codes(lot) == []  # type: ignore[attr-defined]
    assert bind_codes(world.home, lot, first=world.code(serials[0]), last=world.code(serials[1])) == 2


def test_bind_only_to_a_released_unrecalled_lot_of_an_allowed_enterprise(world: World) -> None:
    rid = world.roll(world.order_a1, ["verify"] * 4)
    world.hand_over(world.a, rid)
    ledger = world.home.ledger
    lot = add_lot(ledger, world.a1, "L1", "2026-11-20")
    with pytest.raises(ClaimError) as e:
        bind_codes(world.home, lot, roll_id=rid)
    assert e.value.key == "lot.not_released" and e.value.params == {"number": "L1"}
    inspect_lot(ledger, lot, "fail", "超标")
    with pytest.raises(ClaimError) as e2:
        bind_codes(world.home, lot, roll_id=rid)
    assert e2.value.key == "lot.not_released"
    inspect_lot(ledger, lot, "pass")
    release_lot(ledger, lot)
    s = world.serials(rid)
    assert bind_codes(world.home, lot, first=world.code(s[0]), last=world.code(s[0])) == 1
    set_blacklisted(ledger, world.a, True, "以次充好")
    with pytest.raises(RegistryError) as black:
        bind_codes(world.home, lot, roll_id=rid)
    assert black.value.key == "enterprise.blacklisted"
    set_blacklisted(ledger, world.a, False, "整改完成")
    recall_lot(world.home, lot, "抽检不合格")
    with pytest.raises(ClaimError) as recalled:
        bind_codes(world.home, lot, roll_id=rid)
    assert recalled.value.key == "lot.recalled"
    assert recalled.value.params == {"number": "L1", "reason": "抽检不合格"}
    assert world.states(rid) == [State.RECALLED, State.DISTRIBUTED, State.DISTRIBUTED, State.DISTRIBUTED]


def test_a_recalled_lot_that_was_never_released_says_recalled(world: World) -> None:
    rid = world.roll(world.order_a1, ["verify"])
    world.hand_over(world.a, rid)
    lot = add_lot(world.home.ledger, world.a1, "L1", "2026-11-20")
    recall_lot(world.home, lot, "原料问题")
    with pytest.raises(ClaimError) as e:
        bind_codes(world.home, lot, roll_id=rid)
    assert e.value.key == "lot.recalled"


def test_bind_takes_only_handed_over_codes(world: World) -> None:
    rid = world.roll(world.order_a1, ["verify", "reject", "verify", "verify"])
    lot = world.released_lot(world.a1, "L1")
    with pytest.raises(ClaimError) as e:
        bind_codes(world.home, lot, roll_id=rid)  # verified but not handed over
    assert e.value.key == "bind.nothing"
    s = world.serials(rid)
    with pytest.raises(ClaimError) as e2:
        bind_codes(world.home, lot, first=world.code(s[0]), last=world.code(s[3]))
    assert e2.value.key == "bind.nothing"
    world.hand_over(world.a, rid)
    assert bind_codes(world.home, lot, first=world.code(s[2]), last=world.code(s[2])) == 1
    assert bind_codes(world.home, lot, roll_id=rid) == 2  # the voided and the already bound one are skipped
    assert world.states(rid) == [State.BOUND, State.VOIDED, State.BOUND, State.BOUND]
    with pytest.raises(ClaimError) as e3:
        bind_codes(world.home, lot, roll_id=rid)
    assert e3.value.key == "bind.nothing"
    assert world.home.ledger.lot_codes(lot) == [s[0], s[2], s[3]]  # type: ignore[attr-defined]
    for serial in (s[0], s[2], s[3]):
        assert world.home.ledger.code(serial)["lot_id"] == lot  # type: ignore[index]
    assert world.home.ledger.code(s[1])["lot_id"] is None  # type: ignore[index]
    binds = [e["data"] for e in world.home.ledger.events_of(["code.bind"])]
    assert binds[0] == {"from": "distributed", "to": "bound", "lot": lot, "number": "L1"}


def test_bind_a_range_on_one_roll_in_either_order(world: World) -> None:
    first = world.roll(world.order_a1, ["verify"] * 5)
    second = world.roll(world.order_a1, ["verify"] * 2)
    world.hand_over(world.a, first, second)
    lot = world.released_lot(world.a1, "L1")
    s = world.serials(first)
    assert bind_codes(world.home, lot, first=world.code(s[3]), last=world.code(s[1])) == 3
    assert world.home.ledger.lot_codes(lot) == s[1:4]  # type: ignore[attr-defined]
    assert world.states(first) == [State.DISTRIBUTED, State.BOUND, State.BOUND, State.BOUND, State.DISTRIBUTED]
    t2 = world.serials(second)
    with pytest.raises(ClaimError) as e:
        bind_codes(world.home, lot, first=world.code(s[0]), last=world.code(t2[0]))
    assert e.value.key == "bind.not_same_roll"
    with pytest.raises(ClaimError) as e2:
        bind_codes(world.home, lot, first=world.code(t2[1]), last=world.code(s[4]))
    assert e2.value.key == "bind.not_same_roll"
    never_printed = world.home.ledger.codes_in_state(world.order_a1, State.ISSUED, limit=1)[0]
    for pair in ((s[0], never_printed), (never_printed, s[0])):
        with pytest.raises(ClaimError) as e3:
            bind_codes(world.home, lot, first=world.code(pair[0]), last=world.code(pair[1]))
        assert e3.value.key == "bind.not_same_roll"
    for missing in ({"first": world.code(s[0])}, {"last": world.code(s[0])}, {}):
        with pytest.raises(ClaimError) as e4:
            bind_codes(world.home, lot, **missing)
        assert e4.value.key == "bind.need_range"
    code = world.code(s[0])
    with pytest.raises(CodeError):
        bind_codes(world.home, lot, first=code[:-1] + str((int(code[-1]) + 1) % 10), last=code)
    assert world.states(first)[0] is State.DISTRIBUTED and world.states(second) == [State.DISTRIBUTED] * 2


def test_bind_to_an_unknown_lot(world: World) -> None:
    rid = world.roll(world.order_a1, ["verify"])
    world.hand_over(world.a, rid)
    with pytest.raises(RegistryError) as e:
        bind_codes(world.home, 404, roll_id=rid)
    assert e.value.key == "lot.unknown"


# --- recall -----------------------------------------------------------------------------------------------


def test_recall_needs_a_reason_and_recalls_only_bound_codes_of_the_lot(world: World) -> None:
    rid = world.roll(world.order_a1, ["verify"] * 4)
    world.hand_over(world.a, rid)
    lot = world.released_lot(world.a1, "L1")
    other = world.released_lot(world.a1, "L2")
    s = world.serials(rid)
    bind_codes(world.home, lot, first=world.code(s[0]), last=world.code(s[1]))
    bind_codes(world.home, other, first=world.code(s[2]), last=world.code(s[2]))
    for blank in ("", " "):
        with pytest.raises(RegistryError) as e:
            recall_lot(world.home, lot, blank)
        assert e.value.key == "enterprise.reason_needed"
    assert world.home.ledger.lot(lot)["recalled"] == 0  # type: ignore[attr-defined]
    assert recall_lot(world.home, lot, " 抽检不合格 ") == 2
    assert world.states(rid) == [State.RECALLED, State.RECALLED, State.BOUND, State.DISTRIBUTED]
    recalled = world.home.ledger.lot(lot)  # type: ignore[attr-defined]
    assert recalled["recalled"] == 1 and recalled["recall_reason"] == "抽检不合格"
    assert world.home.ledger.lot(other)["recalled"] == 0  # type: ignore[attr-defined]
    data = [e["data"] for e in world.home.ledger.events_of(["code.recall"])]
    assert data == [{"from": "bound", "to": "recalled", "lot": lot, "reason": "抽检不合格"}] * 2
    [event] = world.home.ledger.events_of(["lot.recalled"])
    assert event["data"] == {"lot": lot, "codes": 2, "recalled": 1, "recall_reason": "抽检不合格"}
    assert world.home.ledger.lot_codes(lot, State.RECALLED) == s[:2]  # type: ignore[attr-defined]
    assert world.home.ledger.lot_codes(lot, State.BOUND) == []  # type: ignore[attr-defined]
    assert recall_lot(world.home, lot, "再次") == 0  # nothing bound is left to recall
    assert world.home.ledger.verify_audit().ok
