"""The print run end to end against the printer emulator and the virtual camera."""

from __future__ import annotations

import os
import random
import subprocess
import threading
import time
from pathlib import Path

import pytest

from drivers.cameras import open_camera
from drivers.emulators.printer import PrinterFaults
from drivers.printers.printer import LabelPrinter
from station.ledger import State
from station.roll_ids import make_roll_id
from station.run import PrintRun, RunOptions
from tests.conftest import STATION
from tests.run_helpers import assert_exact, kill_each_start, order, print_line


def _run(home, order_id: int, line, **options):  # type: ignore[no-untyped-def]
    with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
        camera.latency_s = 0.05
        run = PrintRun(home, RunOptions(order_id=order_id, fault_timeout_s=20, **options), printer, camera)
        return run.execute()


@pytest.mark.slow
def test_two_hundred_labels_with_five_bad_ones(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 200)
    spoiled = frozenset({10, 20, 30, 40, 60})  # printed label 55 is the first roll's label (after its 54 labels)
    with print_line(faults=PrinterFaults(spoil_labels=spoiled)) as line:
        report = _run(home, order_id, line, roll_size=50)
        assert report.status == "done" and report.verified == 200
        assert_exact(home, order_id, line.printer)
    # the five spoiled labels are rejected; a sound label rejected too (a false reject, goal <= 1 %) would be
    # voided and replaced as well, so it is counted, not hidden
    spoiled_rejects = [r for r in report.rejected if "grade" in r.reason or "qr" in r.reason or "void" in r.reason]
    assert len(spoiled_rejects) >= 5
    false_rejects = len(report.rejected) - 5
    assert 0 <= false_rejects <= 2, [r.reason for r in report.rejected]
    counts = home.ledger.order_state_counts(order_id)
    assert counts[State.VOIDED] == len(report.rejected)
    rolls = home.ledger.rolls(order_id)
    assert [r["id"] for r in rolls] == [make_roll_id(order_id, n) for n in (1, 2, 3, 4)]
    good = [[s for _, s, st in r["labels"] if st is State.VERIFIED] for r in rolls]
    assert [len(g) for g in good] == [50, 50, 50, 50]
    assert all(r["closed_at"] for r in rolls)
    voided_positions = {(r.roll, r.position) for r in report.rejected}
    for roll in rolls:  # the report names each voided label's place on its roll
        for position, _serial, state in roll["labels"]:
            assert (state is State.VOIDED) == ((roll["id"], position) in voided_positions)


FAULTS = ["paper", "cover", "offline", "disconnect", "no_frames", "frozen"]


@pytest.mark.slow
@pytest.mark.parametrize("fault", FAULTS)
def test_fault_at_a_random_label_pauses_and_recovers(tmp_path: Path, fault: str) -> None:
    home, order_id = order(tmp_path, 24)
    rng = random.Random(fault)
    at = rng.randint(4, 14)
    faults = PrinterFaults()
    if fault == "paper":
        faults.paper_out_after = at
    with print_line(faults=faults) as line:
        vp, cam = line.printer, line.camera_faults

        def inject() -> None:
            deadline = time.monotonic() + 20
            while len(vp.labels) < at and time.monotonic() < deadline:
                time.sleep(0.005)
            if fault == "cover":
                vp.set_cover_open(True)
            elif fault == "offline":
                vp.set_offline(True)
            elif fault == "disconnect":
                vp.faults.disconnect_after_bytes = vp.received + 5000
            elif fault == "no_frames":
                cam.no_frames = True
            elif fault == "frozen":
                cam.frozen = True
            # the operator needs a moment; a camera fault lasts beyond the frame timeout, so it is a fault to wait
            # out, not just a label the camera missed (that label is voided either way)
            time.sleep(3.0 if fault in ("no_frames", "frozen") else 1.0)
            vp.load_paper()
            vp.set_cover_open(False)
            vp.set_offline(False)
            cam.no_frames = cam.frozen = False

        operator = threading.Thread(target=inject, daemon=True)
        operator.start()
        report = _run(home, order_id, line, roll_size=10)
        operator.join(timeout=30)
        assert report.status == "done", report.reason
        assert report.pauses, "the fault paused the run"
        assert_exact(home, order_id, line.printer)


@pytest.mark.slow
def test_sigkill_during_runs_then_resume_is_exact(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 240)
    home.close()
    env = {**os.environ, "STATION_HOME": str(tmp_path / "home"), "STATION_LANG": "en"}
    rng = random.Random(2026)
    db = tmp_path / "home" / "ledger.sqlite3"
    with print_line() as line:
        args = [
            STATION,
            "run",
            "--order",
            str(order_id),
            "--roll-size",
            "12",
            "--printer",
            line.server.uri,
            "--lang",
            "tspl",
            "--camera",
            line.camera.url,
            "--fault-timeout",
            "20",
            "--json",
        ]
        # each start is killed a random moment after it put labels on a roll: while a label is sent, captured,
        # judged, or a roll closes and its own label prints
        kills = kill_each_start(args, env, db, rng, starts=14, labels=1, within_s=1.2)
        assert kills >= 12
        final = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert final.returncode == 0, final.stderr + final.stdout
        from station.home import Home

        home = Home.open(tmp_path / "home")
        assert_exact(home, order_id, line.printer)
        voided = home.ledger.order_state_counts(order_id).get(State.VOIDED, 0)
        assert voided >= 1  # labels in flight at a kill were voided, never verified
        # every roll holds the roll size in good labels and has its label, whenever the kills came
        rolls = home.ledger.rolls(order_id)
        assert [len([s for _, s, st in r["labels"] if st is State.VERIFIED]) for r in rolls] == [12] * 20
        assert all(r["closed_at"] is not None and r["header_at"] is not None for r in rolls)


@pytest.mark.slow
def test_dead_element_stops_the_line_and_the_run_resumes_after_repair(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 12)
    with print_line(faults=PrinterFaults(dead_elements=(90,))) as line:
        stopped = _run(home, order_id, line, roll_size=20)
        assert stopped.status == "paused"
        assert stopped.reason is not None and "dead element at dot" in stopped.reason
        dot = int(stopped.reason.rsplit(" ", 1)[1])
        assert abs(dot - 90) <= 1
        assert home.ledger.unfinished_run(order_id) is not None
        assert home.ledger.order_state_counts(order_id).get(State.VERIFIED, 0) == 0
        line.printer.faults.dead_elements = ()  # the print head is replaced
        resumed = _run(home, order_id, line, roll_size=20)
        assert resumed.status == "done" and resumed.run_id == stopped.run_id
        assert_exact(home, order_id, line.printer)


@pytest.mark.slow
def test_consecutive_rejects_stop_the_line(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 10)
    with print_line(faults=PrinterFaults(spoil_labels=frozenset(range(3, 30)))) as line:
        report = _run(home, order_id, line, roll_size=20, max_consecutive_rejects=3)
    assert report.status == "paused" and report.reason is not None and "3 labels in a row failed" in report.reason
    assert home.ledger.order_state_counts(order_id).get(State.PRINTED, 0) == 0  # nothing left in flight
