"""Pickup, binding, recall and blacklist: rolls from a real print run on the emulators; the counter with a
virtual scanner on a pty and the printer emulator as the receipt printer."""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
import time
from pathlib import Path

import pytest

from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.emulators.scanner import VirtualScanner
from drivers.emulators.servers import TcpPrinterServer
from station.codes import group, make_code, payload
from station.errors import ClaimError, RegistryError
from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.lookup import lookup_code
from station.lots import add_lot, bind_codes, inspect_lot, recall_lot, release_lot
from station.pickup import PickupSession, ScanOutcome, undo_pickup
from station.registry import add_enterprise, add_product, review_enterprise, set_blacklisted
from station.texts import t
from tests.conftest import STATION
from tests.printer_helpers import wait_labels
from tests.run_helpers import order, print_line
from tests.test_run import _run


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int, int]:
    """Two enterprises' orders printed into rolls; one label of the first order spoiled (voided)."""
    tmp = tmp_path_factory.mktemp("pickup")
    home, first_order = order(tmp, 12)
    other = add_enterprise(home.ledger, "牟定县另一家合作社", "91110000600037341L")
    review_enterprise(home.ledger, other, "approve")
    other_product = add_product(home.ledger, other, "牟定核桃", "532323102003", "532323")
    second_order = issue_codes(home, other, other_product, 4).order
    with print_line(faults=PrinterFaults(spoil_labels=frozenset({3}))) as line:
        for order_id in (first_order, second_order):
            report = _run(home, order_id, line, roll_size=4)
            assert report.status == "done", report.reason
    home.close()
    return tmp / "home", first_order, second_order, other


def _copy(printed_home: Path, tmp_path: Path) -> Home:
    import shutil

    shutil.copytree(printed_home, tmp_path / "home")
    return Home.open(tmp_path / "home", operator="clerk")


def _voided_payload(home: Home, order_id: int) -> str:
    serial = home.ledger.codes_in_state(order_id, State.VOIDED)[0]
    return payload(home.ledger.order(order_id)["base_url"], make_code(home.key, serial))


def test_pickup_accepts_own_finished_rolls_and_rejects_bad_scans(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    printed_home, first_order, second_order, _other = printed
    home = _copy(printed_home, tmp_path)
    mine = [r["id"] for r in home.ledger.rolls(first_order)]
    foreign = home.ledger.rolls(second_order)[0]["id"]
    events_before = home.ledger.verify_audit().events
    session = PickupSession(home, 1, "李四")
    assert [session.scan(r).ok for r in mine] == [True, True, True]
    voided = home.ledger.codes_in_state(first_order, State.VOIDED)[0]
    for bad, expected in (
        (foreign, t("pickup.roll_foreign", roll=foreign)),
        (_voided_payload(home, first_order), t("pickup.code_voided", code=group(make_code(home.key, voided)))),
        (mine[0], t("pickup.roll_twice", roll=mine[0])),
        ("", t("pickup.empty_scan")),
        ("\x00\x01garbage", t("pickup.not_ours")),
        ("R9999999999", t("roll.old_unknown", roll="R9999999999")),  # the older form: only for rolls that exist
        ("R99999999990", t("roll.check_wrong", roll="R99999999990")),
        ("x" * 5000, t("pickup.not_ours")),
        ("12345678901234567890", t("pickup.not_ours")),
    ):
        assert session.scan(bad) == ScanOutcome(False, expected), bad
    assert "another enterprise" in session.scan(foreign).message
    assert "voided" in session.scan(_voided_payload(home, first_order)).message
    assert home.ledger.verify_audit().events == events_before  # scans alone change nothing
    pickup_id = session.finish()
    assert pickup_id is not None
    counts = home.ledger.order_state_counts(first_order)
    assert counts[State.DISTRIBUTED] == 12 and counts[State.VOIDED] == 1
    again = PickupSession(home, 1, "李四")
    assert "already been handed over" in again.scan(mine[0]).message
    assert home.ledger.verify_audit().ok


def test_undo_pickup_within_the_window(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    printed_home, first_order, _second, _other = printed
    home = _copy(printed_home, tmp_path)
    session = PickupSession(home, 1, "李四")
    roll = home.ledger.rolls(first_order)[0]["id"]
    assert session.scan(roll).ok
    pickup_id = session.finish()
    assert pickup_id is not None
    with pytest.raises(RegistryError) as no_reason:
        undo_pickup(home, pickup_id, "", 30)
    assert no_reason.value.key == "enterprise.reason_needed"
    undo_pickup(home, pickup_id, "扫错了企业", 30)
    assert home.ledger.order_state_counts(first_order).get(State.DISTRIBUTED, 0) == 0
    assert PickupSession(home, 1, "李四").scan(roll).ok  # the roll can be handed over again
    with pytest.raises(ClaimError) as twice:
        undo_pickup(home, pickup_id, "again", 30)
    assert twice.value.key == "pickup.undo_late"
    assert home.ledger.verify_audit().ok


def test_two_counters_scanning_the_same_roll_hand_it_over_once(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Two sessions on two connections scan the same roll and finish at the same moment: one pickup is recorded,
    the other is refused naming it; undoing the pickup that stands reverts exactly its codes."""
    printed_home, first_order, _second, _other = printed
    home = _copy(printed_home, tmp_path)
    rolls = [r["id"] for r in home.ledger.rolls(first_order)]
    verified_before = home.ledger.order_state_counts(first_order).get(State.VERIFIED, 0)
    scans = {0: [rolls[0], rolls[1]], 1: [rolls[1]]}
    barrier = threading.Barrier(2)
    outcome: dict[int, object] = {}

    def counter(i: int) -> None:
        with Home.open(home.path, operator=f"clerk{i}") as own:  # each counter its own connection
            session = PickupSession(own, 1, "李四" if i == 0 else "王五")
            accepted = [session.scan(roll).ok for roll in scans[i]]  # neither has handed anything over yet
            barrier.wait()
            try:
                outcome[i] = session.finish() if all(accepted) else "scan refused"
            except ClaimError as err:
                outcome[i] = err

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    refused = [v for v in outcome.values() if isinstance(v, ClaimError)]
    stood = [v for v in outcome.values() if isinstance(v, int)]
    assert len(refused) == 1 and len(stood) == 1, outcome
    assert refused[0].key == "pickup.roll_held" and rolls[1] in refused[0].message
    winner = stood[0]
    assert home.ledger.roll_pickup(rolls[1]) == winner
    held = home.ledger.pickup(winner)["rolls"]
    handed = sum(
        1 for r in held for _, s, st in home.ledger.roll(r)["labels"] if s is not None and st is not State.VOIDED
    )
    assert home.ledger.order_state_counts(first_order).get(State.DISTRIBUTED, 0) == handed
    undo_pickup(home, winner, "扫错了", 30)
    assert home.ledger.order_state_counts(first_order).get(State.VERIFIED, 0) == verified_before
    with pytest.raises(ClaimError) as again:  # a pickup is undone once
        home.ledger.undo_pickup(winner, "again")
    assert again.value.key == "pickup.already_undone"
    assert home.ledger.verify_audit().ok


def test_the_database_holds_a_roll_in_one_standing_pickup(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Even a writer that skips the check cannot put a roll in a second standing pickup."""
    import sqlite3

    printed_home, first_order, _second, _other = printed
    home = _copy(printed_home, tmp_path)
    roll = home.ledger.rolls(first_order)[0]["id"]
    session = PickupSession(home, 1, "李四")
    assert session.scan(roll).ok
    first = session.finish()
    home.close()
    db = sqlite3.connect(home.path / "ledger.sqlite3")
    db.execute("INSERT INTO pickups (enterprise_id, receiver, operator, station, at) VALUES (1, 'x', 'x', 'x', '2026')")
    with pytest.raises(sqlite3.IntegrityError):
        db.execute("INSERT INTO pickup_rolls (pickup_id, roll_id) VALUES (?, ?)", (first + 1, roll))
    db.close()


def test_bind_release_recall_and_lookup(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    printed_home, first_order, _second, _other = printed
    home = _copy(printed_home, tmp_path)
    rolls = [r["id"] for r in home.ledger.rolls(first_order)]
    session = PickupSession(home, 1, "李四")
    for roll in rolls:
        session.scan(roll)
    session.finish()
    lot = add_lot(home.ledger, 1, "MD20261120", "2026-11-20", "500克", ["腌制 30 天"])
    with pytest.raises(ClaimError) as not_released:
        bind_codes(home, lot, roll_id=rolls[0])
    assert not_released.value.key == "lot.not_released"
    with pytest.raises(RegistryError) as not_inspected:
        release_lot(home.ledger, lot)  # no passing inspection yet
    assert not_inspected.value.key == "lot.not_inspected"
    inspect_lot(home.ledger, lot, "pass", "YN-2026-0042")
    release_lot(home.ledger, lot)
    assert bind_codes(home, lot, roll_id=rolls[0]) == 4  # a roll holds 4 good labels; its voided one is skipped
    labels = [(p, s) for p, s, st in home.ledger.roll(rolls[1])["labels"] if s is not None]
    first, last = make_code(home.key, labels[0][1]), make_code(home.key, labels[2][1])
    assert bind_codes(home, lot, first=first, last=last) == 3
    bound = home.ledger.lot_codes(lot)  # type: ignore[attr-defined]
    assert len(bound) == 7
    assert recall_lot(home, lot, "抽检不合格") == 7
    for serial in bound:
        info = lookup_code(home, make_code(home.key, serial))
        assert info["state"] == "recalled"
        assert info["lot"]["number"] == "MD20261120" and info["lot"]["recall_reason"] == "抽检不合格"
        assert any(e["kind"] == "code.recall" and e["data"]["reason"] == "抽检不合格" for e in info["events"])
    with pytest.raises(ClaimError) as recalled:
        bind_codes(home, lot, roll_id=rolls[2])  # a recalled lot takes no more codes
    assert recalled.value.key == "lot.recalled"
    assert home.ledger.verify_audit().ok


def test_blacklisted_enterprise_can_neither_issue_pick_up_nor_bind(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    printed_home, first_order, _second, _other = printed
    home = _copy(printed_home, tmp_path)
    roll = home.ledger.rolls(first_order)[0]["id"]
    session = PickupSession(home, 1, "李四")
    session.scan(roll)
    session.finish()
    lot = add_lot(home.ledger, 1, "MD20261121", "2026-11-21")
    inspect_lot(home.ledger, lot, "pass")
    release_lot(home.ledger, lot)
    set_blacklisted(home.ledger, 1, True, "以次充好")
    for attempt in (
        lambda: PickupSession(home, 1, "李四"),
        lambda: bind_codes(home, lot, roll_id=roll),
        lambda: issue_codes(home, 1, 1, 5),
    ):
        with pytest.raises(RegistryError) as info:
            attempt()
        assert info.value.key == "enterprise.blacklisted" and "以次充好" in info.value.message


def test_hundred_thousand_random_scans_change_nothing(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    printed_home, first_order, second_order, _other = printed
    home = _copy(printed_home, tmp_path)
    rolls = [r["id"] for r in home.ledger.rolls(first_order)] + [r["id"] for r in home.ledger.rolls(second_order)]
    codes = [
        payload(home.ledger.order(first_order)["base_url"], make_code(home.key, s))
        for s in home.ledger.codes_in_state(first_order, State.VERIFIED)
    ]
    rng = random.Random(20261129)
    alphabet = "0123456789R/:.-_ \t\r\n\x00\x1b\x7f牟定腐乳ÿ�" + "".join(chr(c) for c in range(0x20, 0x7F))
    events_before = home.ledger.verify_audit().events
    session = PickupSession(home, 2, "王五")  # the other enterprise: none of the first order's rolls are its own
    accepted = 0
    for i in range(100_000):
        kind = i % 5
        if kind == 0:
            scan = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        elif kind == 1:
            scan = bytes(rng.randrange(256) for _ in range(rng.randint(1, 30))).decode("utf-8", "replace")
        elif kind == 2:
            roll = rng.choice(rolls)
            scan = roll[: rng.randint(0, 11)] + rng.choice("0123456789X") + roll[rng.randint(0, 11) :]
        elif kind == 3:
            code = rng.choice(codes)
            cut = rng.randint(0, len(code) - 1)
            scan = code[:cut] + rng.choice("0123456789") + code[cut + 1 :]
        else:
            scan = rng.choice(rolls + codes) * rng.randint(1, 3)
        outcome = session.scan(scan)
        accepted += outcome.ok
    assert home.ledger.verify_audit().events == events_before
    assert set(session.rolls) <= set(r["id"] for r in home.ledger.rolls(second_order))
    assert accepted == len(session.rolls)


def test_pickup_of_three_rolls_by_scanner_with_slip(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    printed_home, first_order, second_order, _other = printed
    home = _copy(printed_home, tmp_path)
    mine = [r["id"] for r in home.ledger.rolls(first_order)]
    foreign = home.ledger.rolls(second_order)[0]["id"]
    voided = _voided_payload(home, first_order)
    home.close()
    receipt = VirtualPrinter("escpos")
    scanner = VirtualScanner(suffix="CR", link=tmp_path / "scanner")
    env = {**os.environ, "STATION_HOME": str(tmp_path / "home"), "STATION_LANG": "en"}
    with TcpPrinterServer(receipt) as slip_printer, scanner:
        args = [
            STATION,
            "--lang",
            "en",
            "pickup",
            "--enterprise",
            "1",
            "--receiver",
            "李四",
            "--scanner",
            scanner.uri,
            "--idle",
            "2",
            "--slip-printer",
            slip_printer.uri,
            "--json",
        ]
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def clerk() -> None:
            time.sleep(1.5)  # the command opens the scanner
            for scan in (mine[0], foreign, mine[1], voided, mine[2]):
                scanner.scan(scan)
                scanner.wait_idle(5)
                time.sleep(0.2)

        threading.Thread(target=clerk, daemon=True).start()
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        wait_labels(receipt, 1)
    result = json.loads(out)
    assert result["rolls"] == mine and result["codes"] == 12
    verdicts = [(s["scan"], s["ok"]) for s in result["scans"]]
    assert verdicts == [(mine[0], True), (foreign, False), (mine[1], True), (voided, False), (mine[2], True)]
    assert "another enterprise" in result["scans"][1]["message"] and "voided" in result["scans"][3]["message"]
    assert receipt.labels[0].image.width == 384  # the 58 mm slip, for the receiver to sign
    home = Home.open(tmp_path / "home")
    counts = home.ledger.order_state_counts(first_order)
    assert counts[State.DISTRIBUTED] == 12 and counts[State.VOIDED] == 1
    assert home.ledger.verify_audit().ok
