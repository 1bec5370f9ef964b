"""Rolls and their labels (headers) end to end on the printer emulator and the virtual camera: a roll holds exactly the
roll size in good labels whatever is rejected; its label, the ledger and the pickup slip agree; a roll can be handed
over while the run prints the next one; a crash at any moment ends with every roll headed; roll ids carry a check
digit; the run's rate and time left count only the labels of the present start."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from drivers.cameras import open_camera
from drivers.emulators.printer import PrinterFaults
from drivers.printers.printer import LabelPrinter
from station.codes import group, make_code
from station.errors import ClaimError
from station.home import Home
from station.labels.render import Renderer
from station.ledger import State
from station.lots import add_lot, bind_codes, inspect_lot, release_lot
from station.pickup import PickupSession, slip_values
from station.roll_ids import make_roll_id, near_roll_ids, parse_roll_id, roll_id_ok
from station.rolls import header_template, header_values, print_roll_header
from station.run import PrintRun, RunOptions, RunReport, clock
from station.texts import t, tr
from tests.printer_helpers import wait_labels
from tests.run_helpers import Line, order, print_line
from tests.test_run_rolls import _bounded, _qr

# --- roll ids -----------------------------------------------------------------------------------------------------


def test_a_roll_id_is_r_order_number_and_a_check_digit() -> None:
    assert make_roll_id(1, 1) == "R00000100014"
    assert make_roll_id(12, 3)[:11] == "R0000120003" and len(make_roll_id(12, 3)) == 12
    assert roll_id_ok(make_roll_id(987654, 9999))
    assert not roll_id_ok("R0000010001") and not roll_id_ok("R00000100015") and not roll_id_ok("x00000100014")


@given(st.integers(0, 999_999), st.integers(1, 9999), st.integers(0, 10), st.integers(1, 9))
def test_one_wrong_digit_never_names_another_roll(order_id: int, number: int, at: int, step: int) -> None:
    rid = make_roll_id(order_id, number)
    digits = rid[1:]
    wrong = "R" + digits[:at] + str((int(digits[at]) + step) % 10) + digits[at + 1 :]
    assert not roll_id_ok(wrong)
    assert rid in near_roll_ids(wrong)


@given(st.integers(0, 999_999), st.integers(1, 9999), st.integers(0, 9))
def test_two_neighbouring_digits_swapped_never_name_another_roll(order_id: int, number: int, at: int) -> None:
    digits = make_roll_id(order_id, number)[1:]
    if digits[at] != digits[at + 1]:
        swapped = "R" + digits[:at] + digits[at + 1] + digits[at] + digits[at + 2 :]
        assert not roll_id_ok(swapped)


def test_a_scanned_roll_id_is_checked_and_one_wrong_character_is_named() -> None:
    rolls = {make_roll_id(1, 1), make_roll_id(1, 2), "R0000020001"}  # the last one from before check digits
    exists = rolls.__contains__
    assert parse_roll_id(" r00000100014 \r\n", exists) == "R00000100014"
    assert parse_roll_id("R0000020001", exists) == "R0000020001"  # an older id the ledger holds
    typo = "R10000100014"  # one digit off roll 1 of order 1 (and no other roll that close)
    with pytest.raises(ClaimError) as e:
        parse_roll_id(typo, exists)
    assert (e.value.key, e.value.params) == ("roll.check_meant", {"roll": typo, "meant": "R00000100014"})
    assert "did you mean R00000100014" in e.value.message
    far = "R55555555555"  # a wrong check digit, and no roll of the ledger one character away
    with pytest.raises(ClaimError) as e:
        parse_roll_id(far, exists)
    assert (e.value.key, e.value.params) == ("roll.check_wrong", {"roll": far})
    assert "one character wrong" in e.value.message
    with pytest.raises(ClaimError) as e:
        parse_roll_id("R0000010001", exists)  # the older form of an id no roll has: a digit is missing
    assert e.value.key == "roll.old_unknown"
    with pytest.raises(ClaimError) as e:
        parse_roll_id("R12", exists)
    assert e.value.key == "roll.not_an_id"


# --- a run with rejects: roll, label, ledger and slip agree ------------------------------------------------------


def _run(home: Home, line: Line, order_id: int, **options: Any) -> RunReport:
    with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
        camera.latency_s = 0.05
        run = PrintRun(home, RunOptions(order_id=order_id, fault_timeout_s=20, **options), printer, camera)
        return _bounded(run, 40.0)


def _black(image: Any) -> np.ndarray:
    return np.asarray(image.convert("L")) < 128


def _printed_as(home: Home, roll: str, label: Any, reprint: bool = False) -> bool:
    """Whether a printed label is, dot for dot, the label of ``roll`` as the ledger has it now."""
    renderer = Renderer(font_path=home.config.labels.font)
    got = _black(label.image)
    for day in (date.today(), date.today() - timedelta(days=1)):  # a run may cross midnight
        values = header_values(home, roll, reprint=reprint)
        values["print.date"] = day.isoformat()
        expected = _black(renderer.render(header_template(home), values).image)
        if expected.shape == got.shape and bool((expected == got).all()):
            return True
    return False


def test_rolls_hold_the_roll_size_whatever_is_rejected_and_label_ledger_and_slip_agree(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 7)
    # rolls of three; the second, third and sixth labels out of the printer come out spoiled: the first roll's last
    # planned label is among them, so its replacement must still go on the first roll
    with print_line(faults=PrinterFaults(spoil_labels=frozenset({2, 3, 6}))) as line:
        report = _run(home, line, order_id, roll_size=3, max_consecutive_rejects=5)
        printed = list(line.printer.labels)
    assert report.status == "done" and report.verified == 7 and len(report.rejected) >= 2
    assert (report.roll_number, report.rolls_total) == (3, 3)
    ledger = home.ledger
    rolls = ledger.rolls(order_id)
    good = [[s for _, s, st in r["labels"] if st is State.VERIFIED] for r in rolls]
    assert [len(g) for g in good] == [3, 3, 1]
    assert sum(len([s for _, s, st in r["labels"] if st is State.VOIDED]) for r in rolls) == len(report.rejected)
    # each roll's label is printed once, right after the roll's last label, and shows what the ledger holds
    ids = [r["id"] for r in rolls]
    read = [_qr(label.image) for label in printed]
    headers = [i for i, text in enumerate(read) if text in ids]
    assert [read[i] for i in headers] == ids and headers[-1] == len(printed) - 1
    for roll, at in zip(rolls, headers, strict=True):
        on_roll = len(roll["labels"]) - 1
        assert (
            read[at - on_roll : at].count(None) + sum(1 for r in read[at - on_roll : at] if r and "/c/" in r) == on_roll
        )
        assert _printed_as(home, roll["id"], printed[at]), roll["id"]
    events = {e["data"]["roll"]: e["data"] for e in ledger.events_of(["roll.header"], order_id=order_id)}
    # the pickup slip of the three rolls
    session = PickupSession(home, ledger.order(order_id)["enterprise_id"], "李四")
    for rid in ids:
        assert session.scan(rid).ok
    pickup_id = session.finish()
    assert pickup_id is not None
    values, rows = slip_values(home, pickup_id)
    assert values["slip.total"] == "7" and values["slip.rolls"] == "3"
    for row, roll, codes in zip(rows, rolls, good, strict=True):
        first, last = group(make_code(home.key, codes[0])), group(make_code(home.key, codes[-1]))
        assert (row["row.roll"], row["row.count"], row["row.first"], row["row.last"]) == (
            roll["id"],
            str(len(codes)),
            first,
            last,
        )
        assert events[roll["id"]] == {
            "roll": roll["id"],
            "first": first,
            "last": last,
            "count": len(codes),
            "reprint": False,
        }
        assert roll["headers"] == 1 and roll["header_at"] is not None
    assert ledger.verify_audit().ok


# --- a roll is handed over while the run prints the next one ------------------------------------------------------


def test_a_finished_roll_is_handed_over_while_the_run_prints_the_next(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 6)
    enterprise = home.ledger.order(order_id)["enterprise_id"]
    home.close()
    results: dict[str, Any] = {}
    with print_line(speed_mm_s=150) as line:

        def printing() -> None:
            run_home = Home.open(tmp_path / "home")
            try:
                results["report"] = _run(run_home, line, order_id, roll_size=2)
            finally:
                run_home.close()

        thread = threading.Thread(target=printing, daemon=True)
        thread.start()
        counter = Home.open(tmp_path / "home", operator="clerk")
        first = make_roll_id(order_id, 1)
        deadline = time.monotonic() + 30
        while True:  # the clerk waits for the first roll's label
            assert time.monotonic() < deadline, "the first roll never got its label"
            if counter.ledger.roll_exists(first) and counter.ledger.roll(first)["header_at"] is not None:
                break
            time.sleep(0.02)
        session = PickupSession(counter, enterprise, "李四")
        outcome = session.scan(first)
        assert outcome.ok and outcome.labels == 2, outcome.message
        pickup_id = session.finish()
        # the run is still printing: the order is not done, the run not finished
        counts = counter.ledger.order_state_counts(order_id)
        assert counts.get(State.VERIFIED, 0) + counts.get(State.DISTRIBUTED, 0) < 6
        assert counter.ledger.unfinished_run(order_id) is not None
        thread.join(timeout=60)
    report = results["report"]
    assert report.status == "done" and report.verified == 6
    assert counter.ledger.pickup(pickup_id)["rolls"] == [first]  # type: ignore[arg-type]
    states = {r["id"]: [st for _, s, st in r["labels"] if s is not None] for r in counter.ledger.rolls(order_id)}
    assert states[first] == [State.DISTRIBUTED] * 2
    assert all(s == [State.VERIFIED] * 2 for rid, s in states.items() if rid != first)
    assert report.closed_rolls == [make_roll_id(order_id, n) for n in (1, 2, 3)]
    assert counter.ledger.verify_audit().ok
    counter.close()


# --- a crash leaves every roll headed after a resume --------------------------------------------------------------


def test_a_complete_roll_without_its_label_is_headed_on_resume_and_a_label_that_may_have_come_out_is_a_reprint(
    tmp_path: Path,
) -> None:
    home, order_id = order(tmp_path, 5)
    ledger: Any = home.ledger
    # a run that crashed twice over: roll 1 complete, its label started but never recorded as sent; roll 2 complete
    # and closed, its label never started
    run_id = ledger.create_run(order_id, "trace-40x30", 2, "tcp://127.0.0.1:1", "")
    serials = ledger.codes_in_state(order_id, State.ISSUED, limit=4)
    for number in (1, 2):
        rid = make_roll_id(order_id, number)
        ledger.open_roll(run_id, rid, number)
        for serial in serials[2 * number - 2 : 2 * number]:
            ledger.print_on_roll(serial, rid, {"run": run_id})
            ledger.transition(serial, "verify", {"grade": 3.5, "letter": "A", "frame": 1})
        ledger.close_roll(rid)
    first, second = make_roll_id(order_id, 1), make_roll_id(order_id, 2)
    ledger.header_started(first, {"first": "", "last": "", "count": 2, "reprint": False})
    with print_line() as line:
        report = _run(home, line, order_id, roll_size=2)
        printed = list(line.printer.labels)
    assert report.status == "done" and report.verified == 5 and report.headers == 3 and report.printed == 1
    # the missing labels first, in roll order: roll 1's marked 补打, roll 2's not; then the last code and its roll
    assert [_qr(label.image) for label in printed[:2]] == [first, second]
    assert _printed_as(home, first, printed[0], reprint=True) and not _printed_as(home, first, printed[0])
    assert _printed_as(home, second, printed[1])
    third = make_roll_id(order_id, 3)
    assert _qr(printed[3].image) == third and _printed_as(home, third, printed[3])
    reprints = [(e["data"]["roll"], e["data"]["reprint"]) for e in ledger.events_of(["roll.header"], order_id=order_id)]
    assert reprints == [(first, False), (first, True), (second, False), (third, False)]
    assert all(r["header_at"] is not None for r in ledger.rolls(order_id))
    assert ledger.headers_missing(order_id) == []
    assert ledger.verify_audit().ok


def test_a_resume_at_a_smaller_roll_size_closes_the_full_roll_only_after_its_label_in_flight_is_judged(
    tmp_path: Path,
) -> None:
    from station.labels.template import load_template
    from station.labels.values import code_values

    home, order_id = order(tmp_path, 4)
    ledger: Any = home.ledger
    # a run of rolls of five crashed with two labels verified on its roll and a third just printed, still under the
    # camera; it is resumed with rolls of two
    run_id = ledger.create_run(order_id, "trace-40x30", 5, "tcp://127.0.0.1:1", "")
    rid = make_roll_id(order_id, 1)
    ledger.open_roll(run_id, rid, 1)
    serials = ledger.codes_in_state(order_id, State.ISSUED, limit=3)
    for serial in serials[:2]:
        ledger.print_on_roll(serial, rid, {"run": run_id})
        ledger.transition(serial, "verify", {"grade": 3.5, "letter": "A", "frame": 1})
    ledger.print_on_roll(serials[2], rid, {"run": run_id})
    label = Renderer(font_path=home.config.labels.font).render(
        load_template("trace-40x30", home.path / "label_templates"), code_values(home, serials[2])
    )
    with print_line() as line:
        with LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
            printer.print_image(label.image)
        wait_labels(line.printer, 1)
        time.sleep(0.3)  # the camera shows it
        report = _run(home, line, order_id, roll_size=2)
        printed = list(line.printer.labels)[1:]
    assert report.status == "done" and report.voided_in_flight == [] and report.verified == 4
    first = ledger.roll(rid)
    # the label in flight was judged from a fresh frame and counted on its roll before the roll was closed: the
    # roll's label names three good labels, as the ledger does
    assert [st for _, s, st in first["labels"] if s is not None] == [State.VERIFIED] * 3
    assert _qr(printed[0].image) == rid and _printed_as(home, rid, printed[0])
    (said, _) = [e["data"] for e in ledger.events_of(["roll.header"], order_id=order_id)]
    assert said["count"] == 3 and said["last"] == group(make_code(home.key, serials[2]))


def test_a_roll_label_is_reprinted_marked_as_such_with_its_reason(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    with print_line() as line:
        report = _run(home, line, order_id, roll_size=2)
        assert report.status == "done"
        rid = make_roll_id(order_id, 1)
        before = len(line.printer.labels)
        with LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
            values = print_roll_header(home, rid, printer, reason="卷标被撕坏")
        wait_labels(line.printer, before + 1)
        label = line.printer.labels[-1]
    assert values["roll.mark"] == tr("zh", "roll.reprint_mark") == "补打"
    assert _qr(label.image) == rid and _printed_as(home, rid, label, reprint=True)
    (_, again) = [e["data"] for e in home.ledger.events_of(["roll.header"], order_id=order_id)]
    assert again == {
        "roll": rid,
        "first": values["roll.first"],
        "last": values["roll.last"],
        "count": 2,
        "reprint": True,
        "reason": "卷标被撕坏",
    }
    assert home.ledger.roll(rid)["headers"] == 2 and home.ledger.verify_audit().ok


def _header_in_flight(db_path: Path) -> bool:
    """Whether the ledger shows a roll label started and not yet recorded as sent (read-only, another connection)."""
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute("SELECT count(*) FROM rolls WHERE headers > 0 AND header_at IS NULL").fetchone()
        return bool(row[0])
    except sqlite3.OperationalError:
        return False
    finally:
        db.close()


@pytest.mark.slow
def test_sigkill_while_a_roll_label_is_sent_and_at_random_moments_then_every_roll_has_its_label(
    tmp_path: Path,
) -> None:
    import json
    import os
    import random
    import signal
    import subprocess

    from tests.conftest import STATION
    from tests.run_helpers import assert_exact

    home, order_id = order(tmp_path, 40)
    home.close()
    env = {
        **os.environ,
        "STATION_HOME": str(tmp_path / "home"),
        "STATION_LANG": "en",
        "PYTHONPATH": str(Path(__file__).resolve().parents[1]),
    }
    db_path = tmp_path / "home" / "ledger.sqlite3"
    with print_line() as line:
        args = [
            *(STATION, "run", "--order", str(order_id), "--roll-size", "4", "--printer", line.server.uri),
            *("--lang", "tspl", "--camera", line.camera.url, "--fault-timeout", "20", "--json"),
        ]
        # the paper runs out just as the first roll's label is sent: the run waits with the label started and not
        # yet recorded as sent, and is killed there
        line.printer.faults.paper_out_after = 4
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while not _header_in_flight(db_path):
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.01)
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=60)
        line.printer.load_paper()  # the held label comes out after all
        # then killed at random moments
        rng = random.Random(19)
        kills = 0
        for _ in range(6):
            proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            time.sleep(rng.uniform(0.8, 2.5))
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.communicate(timeout=60)
        assert kills >= 4
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as con:
            before = con.execute("SELECT count(*) FROM codes WHERE state = ?", (int(State.VERIFIED),)).fetchone()[0]
        final = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert final.returncode == 0, final.stderr + final.stdout
        result = json.loads(final.stdout)
        assert (result["roll"], result["rolls_total"], result["seconds_left"]) == (10, 10, 0.0)
        assert result["verified_this_run"] <= 40 and result["verified"] == 40
        assert result["verified_this_run"] == 40 - before  # only this start's labels count
        assert all(r["closed"] and r["header"] and r["header_prints"] >= 1 for r in result["rolls"])
        printed = list(line.printer.labels)
    home = Home.open(tmp_path / "home")
    assert_exact(home, order_id, None)
    ledger = home.ledger
    rolls = ledger.rolls(order_id)
    assert [len([s for _, s, st in r["labels"] if st is State.VERIFIED]) for r in rolls] == [4] * 10
    assert all(r["closed_at"] is not None and r["header_at"] is not None for r in rolls)
    read = [_qr(label.image) for label in printed]
    for roll in rolls:
        # every roll's label came out; one that a kill may have cut short or doubled is followed by one marked 补打
        copies = [i for i, text in enumerate(read) if text == roll["id"]]
        assert copies, roll["id"]
        marks = [
            e["data"]["reprint"]
            for e in ledger.events_of(["roll.header"], order_id=order_id)
            if e["data"]["roll"] == roll["id"]
        ]
        assert marks[0] is False and all(marks[1:]) and len(marks) == roll["headers"]
        last = printed[copies[-1]]
        assert _printed_as(home, roll["id"], last, reprint=len(marks) > 1), roll["id"]
    first = rolls[0]
    assert first["headers"] >= 2  # the label the kill interrupted was printed again, as a reprint
    assert ledger.headers_missing(order_id) == []


# --- bind checks the roll id too ----------------------------------------------------------------------------------


def test_bind_by_roll_checks_the_check_digit(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    with print_line() as line:
        assert _run(home, line, order_id, roll_size=2).status == "done"
    ledger = home.ledger
    rid = make_roll_id(order_id, 1)
    row = ledger.order(order_id)
    session = PickupSession(home, row["enterprise_id"], "李四")
    typo = rid[:3] + str((int(rid[3]) + 1) % 10) + rid[4:]
    assert session.scan(typo).message == t("roll.check_meant", roll=typo, meant=rid)
    assert session.scan(rid).ok and session.finish() is not None
    lot = add_lot(ledger, row["product_id"], "MD20261202", "2026-12-02", "500克", [])
    inspect_lot(ledger, lot, "pass")
    release_lot(ledger, lot)
    with pytest.raises(ClaimError) as e:
        bind_codes(home, lot, roll_id=typo)
    assert e.value.key == "roll.check_meant" and e.value.params["meant"] == rid
    assert bind_codes(home, lot, roll_id=rid.lower()) == 2


# --- honest progress after a resume -------------------------------------------------------------------------------


def _seconds(clock_text: str) -> int:
    """The seconds of an m:ss or h:mm:ss time left."""
    seconds = 0
    for part in clock_text.split(":"):
        seconds = seconds * 60 + int(part)
    return seconds


def test_after_a_resume_rate_and_time_left_count_only_this_starts_labels(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 12)
    seen: list[tuple[int, int, float, float, float | None, str]] = []
    before = 0
    with print_line(speed_mm_s=300) as line:
        with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
            camera.latency_s = 0.05
            first = PrintRun(home, RunOptions(order_id=order_id, roll_size=5, fault_timeout_s=20), printer, camera)

            def stop_at_seven(report: RunReport, what: str) -> None:
                if what == "verified" and report.verified == 7:
                    first.stop()  # the label in flight is judged too

            first.on_update = stop_at_seven
            stopped = _bounded(first)
            before = stopped.verified
            assert stopped.status == "stopped" and before in (7, 8)
            home.ledger.set_run_status(stopped.run_id, "paused", "stopped by the operator")
            resumed_run = PrintRun(
                home, RunOptions(order_id=order_id, roll_size=5, fault_timeout_s=20), printer, camera
            )

            def record(report: RunReport, what: str) -> None:
                if what == "verified":
                    seen.append(
                        (
                            report.verified,
                            report.verified_now,
                            report.seconds,
                            report.rate_per_min,
                            report.seconds_left,
                            report.progress(),
                        )
                    )

            resumed_run.on_update = record
            started = time.monotonic()
            resumed = _bounded(resumed_run)
            wall = time.monotonic() - started
    assert resumed.status == "done" and resumed.run_id == stopped.run_id
    assert resumed.verified_before == before and resumed.verified_now == 12 - before and resumed.verified == 12
    # this start's rate: its own labels over its own time, not all twelve labels over it
    honest = 60 * (12 - before) / wall
    assert abs(resumed.rate_per_min - honest) <= 0.2 * honest, (resumed.rate_per_min, honest)
    assert resumed.summary() == t(
        "run.summary",
        status=t("run.status.done"),
        verified=12,
        target=12,
        rejected=0,
        seconds=round(resumed.seconds, 1),
        rate=round(resumed.rate_per_min),
    )
    assert [s[:2] for s in seen] == [(n, n - before) for n in range(before + 1, 13)]
    for verified, now, seconds, rate, left, text in seen:
        assert rate == pytest.approx(60 * now / seconds, rel=0.05)
        expected_left = (12 - verified) * 60 / rate
        assert left == pytest.approx(expected_left, rel=0.05)
        # roll 2 of 3 holds labels 6-10, roll 3 of 3 the last two; one time left on the line
        k = 2 if verified <= 10 else 3
        # the text reads the rate and time left a moment after the figures above: they may differ by a unit
        pattern = re.escape(
            t("run.progress_rolls", roll=k, rolls=3, verified=verified, target=12, rejected=0, rate="RATE", left="LEFT")
        )
        shown = re.fullmatch(pattern.replace("RATE", r"(\d+)").replace("LEFT", r"([\d:]+)"), text)
        assert shown is not None, text
        assert abs(int(shown[1]) - rate) <= 1.5 and _seconds(shown[2]) == pytest.approx(left, abs=1.5), text
    # the time left after the first label of this start: the labels still to come at this start's pace
    (_, _, seconds, _, left, _) = seen[0]
    assert left == pytest.approx((12 - before - 1) * seconds, rel=0.05)
    assert seen[-1][4] == 0.0 and clock(0.0) == "0:00" and clock(3725.2) == "1:02:05"
    assert clock(None) == t("run.left_unknown")


async def test_the_run_screen_resumes_a_run_with_one_time_left_and_this_starts_rate(tmp_path: Path) -> None:
    import asyncio
    import re

    from station.tui.app import StationApp

    home, order_id = order(tmp_path, 8)
    with print_line(speed_mm_s=300) as line:
        # a run of rolls of five stopped by the operator after its first four labels
        with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
            camera.latency_s = 0.05
            first = PrintRun(home, RunOptions(order_id=order_id, roll_size=5, fault_timeout_s=20), printer, camera)
            first.on_update = lambda report, what: first.stop() if report.verified >= 4 else None
            stopped = _bounded(first)
        before = stopped.verified
        home.ledger.set_run_status(stopped.run_id, "paused", "stopped by the operator")
        (home.path / "station.toml").write_text(
            f'[printer]\nuri = "{line.server.uri}"\nlang = "tspl"\n'
            f'[verify]\ncamera = "{line.camera.url}"\nlatency_s = 0.05\n[station]\nlanguage = "en"\n',
            encoding="utf-8",
        )
        home.close()
        app = StationApp(tmp_path / "home", "tester", "admin")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f5")
            for _ in range(2):
                await pilot.pause()
                await app.workers.wait_for_complete()
            assert app.screen.query_one("#orders").get_row_at(0)[0] == str(order_id)  # type: ignore[attr-defined]
            started = time.monotonic()
            await pilot.press("enter")  # the order's interrupted run goes on
            home = Home.open(tmp_path / "home")
            deadline = time.monotonic() + 60
            while home.ledger.unfinished_run(order_id) is not None:
                assert time.monotonic() < deadline, "the resumed run never finished"
                await asyncio.sleep(0.02)
            wall = time.monotonic() - started
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = str(app.screen.query_one("#status").render())
            etas = len(app.screen.query("#progress ETAStatus"))  # the progress bar's own time left, if drawn
    counts = home.ledger.order_state_counts(order_id)
    assert counts[State.VERIFIED] == 8
    # one line of progress, one time left: roll 2 of 2, this start's rate over this start's labels
    progress = status.splitlines()[0]
    found = re.fullmatch(r"roll 2 of 2 · verified 8/8 · rejected 0 · (\d+) labels/min this run · 0:00 left", progress)
    assert found, status
    # this start's own time, from the ledger: from its run's "running" event to its "done" event (the wall time around
    # it also holds the app starting the worker and opening the devices, a share that varies with the machine)
    from datetime import datetime

    events = list(home.ledger.events_of(["run.running", "run.done"], order_id=order_id))
    span = (datetime.fromisoformat(events[-1]["at"]) - datetime.fromisoformat(events[-2]["at"])).total_seconds()
    assert [e["kind"] for e in events[-2:]] == ["run.running", "run.done"] and span <= wall
    honest = 60 * (8 - before) / span
    # never counts the labels from before: that would show 8 / (8 - before), at least twice this start's rate
    assert 0.7 * honest <= int(found.group(1)) <= 1.3 * honest, (found.group(1), honest)
    assert status.count(" left") == 1 and etas == 0
    closed = 1 if before >= 5 else 2  # the first roll was completed before the stop, or after the resume
    assert t("run.roll_ready", roll=make_roll_id(order_id, 2), rolls=closed) in status
    home.close()
