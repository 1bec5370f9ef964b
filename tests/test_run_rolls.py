"""Rolls of a print run read back from what the printer emulator printed: each roll's label (its header, printed
once the roll is complete) shows the roll's own first code, last code and count as the ledger records the roll;
rejected labels, the line stop and a resume.

The runs are small (a few labels, rolls of two) so they stay fast.
"""

from __future__ import annotations

import threading
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import cv2
import numpy as np
import pytest

from drivers.cameras import open_camera
from drivers.emulators.printer import PrinterFaults
from drivers.printers.printer import LabelPrinter
from station.codes import group, make_code, payload
from station.errors import RegistryError
from station.home import Home
from station.issue import issue_codes
from station.labels.render import Renderer
from station.labels.template import load_template
from station.labels.values import order_values
from station.ledger import State
from station.qc import causes_of, recorded_parameters
from station.roll_ids import make_roll_id
from station.run import HEADER_TEMPLATE, PrintRun, RunOptions, RunReport
from station.texts import from_store, t
from station.verify.decode import decode_zxing
from station.verify.verifier import annotate
from tests.run_helpers import Line, assert_exact, order, print_line


def _run(home: Home, order_id: int, line: Line, **options: Any) -> tuple[PrintRun, RunReport]:
    with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
        camera.latency_s = 0.05
        run = PrintRun(home, RunOptions(order_id=order_id, fault_timeout_s=20, **options), printer, camera)
        return run, _bounded(run)


def _bounded(run: PrintRun, seconds: float = 20.0) -> RunReport:
    """Execute the run, asking it to stop after ``seconds``: a run that never ends fails its test, never hangs it."""
    watchdog = threading.Timer(seconds, run.stop)
    watchdog.start()
    try:
        return run.execute()
    finally:
        watchdog.cancel()


def _qr(image: Any) -> str | None:
    found = decode_zxing(np.asarray(image.convert("L")))
    return found[0].text if found else None


def _header_values(home: Home, order_id: int, roll: dict[str, Any], day: date) -> dict[str, str]:
    """What the header of ``roll`` must show: the roll's own first and last code and its count of codes."""
    codes = [serial for _, serial, state in roll["labels"] if serial is not None and state is not State.VOIDED]
    values = order_values(home, order_id)
    values.update(
        {
            "print.date": day.isoformat(),
            "roll.id": roll["id"],
            "roll.first": group(make_code(home.key, codes[0])),
            "roll.last": group(make_code(home.key, codes[-1])),
            "roll.count": str(len(codes)),
        }
    )
    return values


def _header_matches(home: Home, order_id: int, roll: dict[str, Any], label: Any) -> bool:
    """Whether a printed label is, dot for dot, the label of ``roll`` with the roll's own values."""
    renderer = Renderer(font_path=home.config.labels.font)
    template = load_template(HEADER_TEMPLATE, home.path / "label_templates")
    got = _black(label.image)
    for day in (date.today(), date.today() - timedelta(days=1)):  # a run may cross midnight
        expected = _black(renderer.render(template, _header_values(home, order_id, roll, day)).image)
        if expected.shape == got.shape and bool((expected == got).all()):
            return True
    return False


def _black(image: Any) -> np.ndarray:
    return np.asarray(image.convert("L")) < 128


def test_each_printed_roll_header_shows_its_rolls_first_and_last_code_and_count(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 5)
    with print_line() as line:
        _, report = _run(home, order_id, line, roll_size=2)
        printed = list(line.printer.labels)
        uris = (line.server.uri, line.camera.url)
    assert report.status == "done" and report.verified == 5 and not report.rejected
    assert report.target == 5 and report.finished is not None and report.voided_in_flight == []
    assert report.order_id == order_id and report.run_id == home.ledger.rolls(order_id)[0]["run_id"]
    run = home.ledger.run(report.run_id)
    assert (run["template"], run["roll_size"], run["status"]) == ("trace-40x30", 2, "done")
    assert (run["printer"], run["camera"]) == uris
    assert_exact(home, order_id)
    rolls = home.ledger.rolls(order_id)
    assert [r["id"] for r in rolls] == [make_roll_id(order_id, n) for n in (1, 2, 3)]
    assert [len([s for _, s, _ in r["labels"] if s is not None]) for r in rolls] == [2, 2, 1]
    assert all(r["closed_at"] is not None for r in rolls)
    # a roll is closed once, and only after every label on it was judged
    events = list(home.ledger.events_of(["roll.closed", "code.verify", "code.reject"], order_id=order_id))
    closed = [e["id"] for e in events if e["kind"] == "roll.closed"]
    assert [e["data"]["roll"] for e in events if e["kind"] == "roll.closed"] == [r["id"] for r in rolls]
    for roll, closed_id in zip(rolls, closed, strict=True):
        on_roll = {s for _, s, _ in roll["labels"] if s is not None}
        assert all(e["id"] < closed_id for e in events if e["kind"] != "roll.closed" and e["serial"] in on_roll)
    # code, code, header, code, code, header, code, header: each roll's label comes once the roll is complete and
    # carries the roll id in its QR
    read = [_qr(label.image) for label in printed]
    assert len(printed) == 8 and report.headers == 3 and report.printed == 5
    assert [read[i] for i in (2, 5, 7)] == [r["id"] for r in rolls]
    key, order_row = home.key, home.ledger.order(order_id)
    codes = [read[i] for i in (0, 1, 3, 4, 6)]
    serials = [s for r in rolls for _, s, _ in r["labels"] if s is not None]
    base = order_row["base_url"]
    assert codes == [payload(base, make_code(key, s), order_row["gtin"], order_row["lot"]) for s in serials]
    # read the whole printed header back: it is dot for dot the header of the roll's own values
    renderer = Renderer(font_path=home.config.labels.font)
    template = load_template(HEADER_TEMPLATE, home.path / "label_templates")
    for roll, label in zip(rolls, (printed[2], printed[5], printed[7]), strict=True):
        got = _black(label.image)
        matches = []
        for day in (date.today(), date.today() - timedelta(days=1)):  # a run may cross midnight
            expected = _black(renderer.render(template, _header_values(home, order_id, roll, day)).image)
            matches.append(expected.shape == got.shape and bool((expected == got).all()))
        assert any(matches), roll["id"]


def test_a_rejected_label_is_voided_and_replaced_on_its_roll(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 3)
    # printed label 2 is the second code of the first roll: it comes out spoiled
    with print_line(faults=PrinterFaults(spoil_labels=frozenset({2}))) as line:
        run, report = _run(home, order_id, line, roll_size=2)
    assert report.status == "done" and report.verified == 3
    assert_exact(home, order_id)
    (rejected,) = report.rejected
    rolls = home.ledger.rolls(order_id)
    first = rolls[0]
    assert (rejected.roll, rejected.position) == (first["id"], 2)
    assert rejected.code == make_code(home.key, rejected.serial)
    assert first["labels"][2] == (2, rejected.serial, State.VOIDED)
    (print_event,) = [e for e in home.ledger.code_events(rejected.serial, order_id) if e["kind"] == "code.print"]
    assert print_event["data"] == {
        "from": "issued",
        "to": "printed",
        "roll": first["id"],
        "position": 2,
        "run": report.run_id,
    }
    assert home.ledger.code(rejected.serial)["state"] is State.VOIDED  # type: ignore[index]
    (event,) = [e for e in home.ledger.code_events(rejected.serial, order_id) if e["kind"] == "code.reject"]
    assert from_store(event["data"]["reason"]) == rejected.reason != ""
    assert event["data"]["grade"] is None or isinstance(event["data"]["grade"], float | int)
    assert isinstance(event["data"]["defects"], list)
    # the reject's picture is kept for the operator
    assert rejected.picture is not None
    if rejected.picture:
        assert (
            Path(rejected.picture) == home.path / "captures" / f"run-{report.run_id}" / f"reject-{rejected.serial}.png"
        )
        assert Path(rejected.picture).is_file()
    # the roll's last label is judged before anything else goes: the replacement code goes on the same roll, which
    # holds its two good labels beside the voided one; then comes its label, then the second roll
    assert len(first["labels"]) == 4
    good = [[s for _, s, st in r["labels"] if st is State.VERIFIED] for r in rolls]
    assert [len(g) for g in good] == [2, 1]
    assert report.printed == 4 and report.headers == 2
    assert sum(report.grades.values()) == 3
    summary = report.summary()
    assert summary == t(
        "run.summary",
        status=t("run.status.done"),
        verified=3,
        target=3,
        rejected=1,
        seconds=round(report.seconds, 1),
        rate=round(report.rate_per_min),
    )


def test_rejects_in_a_row_stop_the_line_and_a_resume_finishes_the_same_run(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 3)
    # the first two codes (printed labels 1 and 2) are spoiled: two rejects in a row is the limit
    with print_line(faults=PrinterFaults(spoil_labels=frozenset({1, 2}))) as line:
        _, stopped = _run(home, order_id, line, roll_size=4, max_consecutive_rejects=2)
        assert stopped.status == "paused"
        assert len(stopped.rejected) == 2 and stopped.verified == 1  # the label in flight was judged: it passed
        assert stopped.reason == t("run.in_a_row", n=2, reason=stopped.rejected[-1].reason)
        run = home.ledger.run(stopped.run_id)
        assert (run["status"], from_store(run["reason"])) == ("paused", stopped.reason)
        assert home.ledger.unfinished_run(order_id)["id"] == stopped.run_id  # type: ignore[index]
        assert home.ledger.order_state_counts(order_id).get(State.PRINTED, 0) == 0  # nothing left in flight
        verified_before = stopped.verified
        _, resumed = _run(home, order_id, line, roll_size=4, max_consecutive_rejects=2)
    assert resumed.status == "done" and resumed.run_id == stopped.run_id
    resumes = [d for k, d, *_ in _events(home, order_id, "run.running")]
    assert resumes[0] == {"run": stopped.run_id, "reason": "resumed"}
    assert resumed.verified == 3 and resumed.printed == resumed.verified - verified_before + len(resumed.rejected)
    assert stopped.headers == 0 and resumed.headers == 1  # the roll's label comes once it is complete
    assert_exact(home, order_id)
    (roll,) = home.ledger.rolls(order_id)
    assert roll["closed_at"] is not None
    assert home.ledger.run(stopped.run_id)["status"] == "done"
    assert home.ledger.unfinished_run(order_id) is None


def test_a_label_in_flight_at_a_crash_is_voided_when_the_run_resumes(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    ledger = home.ledger
    # a run that crashed with the first code recorded as printed, never verified
    run_id = ledger.create_run(order_id, "trace-40x30", 2, "tcp://127.0.0.1:1", "")
    roll = make_roll_id(order_id, 1)
    ledger.open_roll(run_id, roll, 1)
    serial = ledger.codes_in_state(order_id, State.ISSUED)[0]
    assert ledger.print_on_roll(serial, roll, {"run": run_id}) == 1
    with print_line() as line:
        _, report = _run(home, order_id, line, roll_size=2)
    assert report.run_id == run_id and report.voided_in_flight == [serial]
    assert report.status == "done" and report.verified == 2
    from station.cli.run import _run_json

    (named,) = _run_json(home, report)["voided_in_flight"]  # the clerk is told where to tear it off
    assert (named["serial"], named["roll"], named["position"]) == (serial, roll, 1)
    (event,) = [e for e in ledger.code_events(serial, order_id) if e["kind"] == "code.void"]
    shown = {**event["data"], "reason": from_store(event["data"]["reason"])}
    assert shown == {"from": "printed", "to": "voided", "reason": t("run.in_flight_void"), "run": run_id}
    assert_exact(home, order_id)
    rolls = ledger.rolls(order_id)
    # the crashed roll goes on: the voided label stays in its place, two good labels follow it, then its label
    assert report.headers == 1 and report.printed == 2
    (roll_row,) = rolls
    assert [(p, st) for p, _, st in roll_row["labels"]] == [
        (0, None),
        (1, State.VOIDED),
        (2, State.VERIFIED),
        (3, State.VERIFIED),
    ]
    assert roll_row["labels"][1][1] == serial and roll_row["closed_at"] is not None


@pytest.mark.parametrize(("count", "roll_size"), [(1, 3), (3, 3)])
def test_an_order_on_one_roll_is_headed_with_its_count(tmp_path: Path, count: int, roll_size: int) -> None:
    home, order_id = order(tmp_path, count)
    with print_line() as line:
        _, report = _run(home, order_id, line, roll_size=roll_size)
        printed = list(line.printer.labels)
    assert report.status == "done" and report.headers == 1 and len(printed) == count + 1
    # a header may be graded down by the camera, but it is always read as its own roll
    wrong = t("why.wrong_code", payload="")
    assert not any(wrong in reason for reason in report.header_rejects), report.header_rejects
    (roll,) = home.ledger.rolls(order_id)
    renderer = Renderer(font_path=home.config.labels.font)
    template = load_template(HEADER_TEMPLATE, home.path / "label_templates")
    expected = _black(renderer.render(template, _header_values(home, order_id, roll, date.today())).image)
    assert bool((expected == _black(printed[-1].image)).all())


# --- runs and rolls in the ledger (no devices) -------------------------------------------------------------


def _events(home: Home, order_id: int, *kinds: str) -> list[tuple[str, dict[str, Any], Any, Any]]:
    return [
        (e["kind"], e["data"], e["enterprise_id"], e["order_id"])
        for e in home.ledger.events_of(list(kinds), order_id=order_id)
    ]


def test_a_run_is_recorded_with_its_event_and_status_changes(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    ledger: Any = home.ledger
    oid = issue_codes(home, eid, pid, 2).order
    other = issue_codes(home, eid, pid, 1).order
    assert ledger.unfinished_run(oid) is None
    run_id = ledger.create_run(oid, "trace-40x30", 7, "tcp://127.0.0.1:9100", "http://127.0.0.1:8080/cam")
    run = ledger.run(run_id)
    assert {k: run[k] for k in ("id", "order_id", "template", "roll_size", "printer", "camera", "status")} == {
        "id": run_id,
        "order_id": oid,
        "template": "trace-40x30",
        "roll_size": 7,
        "printer": "tcp://127.0.0.1:9100",
        "camera": "http://127.0.0.1:8080/cam",
        "status": "running",
    }
    assert run["reason"] is None and run["finished_at"] is None and run["started_at"].endswith("Z")
    started = {"run": run_id, "template": "trace-40x30", "roll_size": 7}
    started |= {"printer": "tcp://127.0.0.1:9100", "camera": "http://127.0.0.1:8080/cam"}
    assert _events(home, oid, "run.started") == [("run.started", started, eid, oid)]
    assert ledger.unfinished_run(oid)["id"] == run_id and ledger.unfinished_run(other) is None

    ledger.set_run_status(run_id, "paused", "cover open")
    run = ledger.run(run_id)
    assert (run["status"], run["reason"], run["finished_at"]) == ("paused", "cover open", None)
    assert ledger.unfinished_run(oid)["id"] == run_id  # a paused run is unfinished: it is resumed
    ledger.set_run_status(run_id, "running", "resumed")
    assert (ledger.run(run_id)["status"], ledger.run(run_id)["reason"]) == ("running", "resumed")
    ledger.set_run_status(run_id, "stopped")
    run = ledger.run(run_id)
    assert (run["status"], run["reason"]) == ("stopped", None) and run["finished_at"].endswith("Z")
    assert ledger.unfinished_run(oid) is None
    assert _events(home, oid, "run.paused", "run.running", "run.stopped") == [
        ("run.paused", {"run": run_id, "reason": "cover open"}, None, oid),
        ("run.running", {"run": run_id, "reason": "resumed"}, None, oid),
        ("run.stopped", {"run": run_id, "reason": None}, None, oid),
    ]
    # the latest unfinished run of the order is the one resumed
    second = ledger.create_run(oid, "trace-40x30", 7, "p", "c")
    third = ledger.create_run(oid, "trace-40x30", 7, "p", "c")
    ledger.set_run_status(third, "paused", "x")
    assert ledger.unfinished_run(oid)["id"] == third
    ledger.set_run_status(third, "done")
    assert ledger.unfinished_run(oid)["id"] == second
    assert ledger.run(third)["finished_at"] is not None
    with pytest.raises(RegistryError) as e:
        ledger.run(999)
    assert e.value.key == "run.unknown" and e.value.params == {"id": 999}
    with pytest.raises(RegistryError) as e:
        ledger.set_run_status(999, "done")
    assert e.value.key == "run.unknown"


def test_rolls_hold_their_header_then_their_labels_in_position_order(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    ledger: Any = home.ledger
    oid = issue_codes(home, eid, pid, 4).order
    other = issue_codes(home, eid, pid, 1).order
    run_id = ledger.create_run(oid, "trace-40x30", 2, "p", "c")
    s = ledger.codes_in_state(oid, State.ISSUED)
    r1, r2 = make_roll_id(oid, 1), make_roll_id(oid, 2)
    ledger.open_roll(run_id, r2, 2)  # opened first, numbered second
    ledger.open_roll(run_id, r1, 1)
    roll = ledger.roll(r1)
    assert {k: roll[k] for k in ("id", "run_id", "order_id", "number", "closed_at")} == {
        "id": r1,
        "run_id": run_id,
        "order_id": oid,
        "number": 1,
        "closed_at": None,
    }
    assert roll["opened_at"].endswith("Z") and roll["labels"] == [(0, None, None)]
    assert (roll["headers"], roll["header_at"]) == (0, None)
    assert [r["id"] for r in ledger.rolls(oid)] == [r1, r2] and ledger.rolls(other) == []
    assert ledger.print_on_roll(s[0], r1, {"run": run_id}) == 1
    assert ledger.print_on_roll(s[1], r1, {"run": run_id}) == 2
    assert ledger.print_on_roll(s[2], r2, {"run": run_id}) == 1
    ledger.transition(s[1], "reject", {"reason": "void"})
    assert ledger.roll(r1)["labels"] == [(0, None, None), (1, s[0], State.PRINTED), (2, s[1], State.VOIDED)]
    assert ledger.roll(r2)["labels"] == [(0, None, None), (1, s[2], State.PRINTED)]
    (printed,) = [e for e in ledger.code_events(s[1], oid) if e["kind"] == "code.print"]
    assert printed["data"] == {"from": "issued", "to": "printed", "roll": r1, "position": 2, "run": run_id}
    assert ledger.last_label() == (r1, s[1])  # r1 was opened last
    with pytest.raises(RegistryError) as e:  # an open roll gets no label: it is not complete
        ledger.header_started(r1, {"count": 1})
    assert e.value.key == "roll.still_open" and e.value.params == {"id": r1}
    assert ledger.roll(r1)["headers"] == 0
    ledger.close_roll(r1)
    assert ledger.roll(r1)["closed_at"].endswith("Z") and ledger.roll(r2)["closed_at"] is None
    # a complete roll's label: started (before its bytes go), then printed; missing until printed
    assert ledger.headers_missing(oid) == [(r1, 0)]
    assert ledger.header_started(r1, {"first": "a", "last": "b", "count": 1, "reprint": False}) == 1
    assert ledger.headers_missing(oid) == [(r1, 1)] and ledger.roll(r1)["header_at"] is None
    assert ledger.last_label() == (r1, None)  # the roll's label comes after its labels
    assert ledger.header_started(r1, {"first": "a", "last": "b", "count": 1, "reprint": True}) == 2
    ledger.header_printed(r1)
    assert ledger.headers_missing(oid) == [] and ledger.roll(r1)["header_at"].endswith("Z")
    assert ledger.roll(r1)["headers"] == 2 and ledger.roll_exists(r1) and not ledger.roll_exists(r1[:-1])
    assert _events(home, oid, "roll.opened", "roll.closed", "roll.header", "roll.header_printed") == [
        ("roll.opened", {"roll": r2, "run": run_id, "number": 2, "header": "last"}, None, oid),
        ("roll.opened", {"roll": r1, "run": run_id, "number": 1, "header": "last"}, None, oid),
        ("roll.closed", {"roll": r1}, None, oid),
        ("roll.header", {"roll": r1, "first": "a", "last": "b", "count": 1, "reprint": False}, None, oid),
        ("roll.header", {"roll": r1, "first": "a", "last": "b", "count": 1, "reprint": True}, None, oid),
        ("roll.header_printed", {"roll": r1}, None, oid),
    ]
    assert ledger.verify_audit().ok
    for verb in (ledger.roll, ledger.close_roll):
        with pytest.raises(RegistryError) as e:
            verb("R9999999999")
        assert e.value.key == "roll.unknown" and e.value.params == {"id": "R9999999999"}
    with pytest.raises(RegistryError) as e:
        ledger.open_roll(999, "R9999999999", 1)
    assert e.value.key == "run.unknown"
    assert ledger.rolls(oid)[0]["labels"][1:] == [(1, s[0], State.PRINTED), (2, s[1], State.VOIDED)]


# --- pauses, stops and line stops --------------------------------------------------------------------------


def _run_seen(home: Home, order_id: int, line: Line, seen: list[str], **options: Any) -> RunReport:
    with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
        camera.latency_s = 0.05
        opts = RunOptions(order_id=order_id, fault_poll_s=0.05, **{"fault_timeout_s": 20, **options})
        run = PrintRun(home, opts, printer, camera)
        run.on_update = lambda report, what: seen.append(what if report is run.report else f"{what} without the report")
        return _bounded(run)


def test_an_offline_printer_pauses_the_run_until_it_is_back(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 4)
    seen: list[str] = []
    with print_line() as line:
        vp = line.printer

        def operator() -> None:  # presses pause once the first code is out, and resume a moment later
            deadline = time.monotonic() + 20
            while len(vp.labels) < 2 and time.monotonic() < deadline:
                time.sleep(0.005)
            vp.set_offline(True)
            time.sleep(1.0)
            vp.set_offline(False)

        thread = threading.Thread(target=operator, daemon=True)
        thread.start()
        report = _run_seen(home, order_id, line, seen, roll_size=4)
        thread.join(timeout=20)
    assert report.status == "done" and report.verified == 4, report.reason
    (reason, waited), *_ = report.pauses
    assert reason == t("run.printer_fault", reason="offline · paused") and waited > 0
    assert seen.index("waiting") + 1 == seen.index("resumed") and seen[-1] == "done"
    assert seen.count("verified") == 4
    assert_exact(home, order_id)
    kinds = [k for k, *_ in _events(home, order_id, "run.paused", "run.running", "run.done")]
    assert kinds[:2] == ["run.paused", "run.running"] and kinds[-1] == "run.done"


def test_a_fault_that_outlasts_the_timeout_pauses_the_run_with_its_reason(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    seen: list[str] = []
    with print_line() as line:
        line.printer.set_offline(True)
        report = _run_seen(home, order_id, line, seen, roll_size=4, fault_timeout_s=0.3)
    assert report.status == "paused" and report.reason is not None
    assert report.reason.startswith(t("run.printer_fault", reason=""))
    assert seen == ["waiting", "paused"] and report.pauses == []
    run = home.ledger.run(report.run_id)
    assert (run["status"], from_store(run["reason"])) == ("paused", report.reason)
    assert report.finished is not None and report.verified == 0


def test_stop_ends_the_run_after_the_labels_in_flight(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 6)
    with print_line() as line:
        with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
            camera.latency_s = 0.05
            run = PrintRun(home, RunOptions(order_id=order_id, roll_size=3, fault_timeout_s=20), printer, camera)
            seen: list[str] = []

            def update(report: RunReport, what: str) -> None:
                seen.append(what)
                if what == "verified":
                    run.stop()

            run.on_update = update
            report = _bounded(run)
    assert report.status == "stopped" and seen[-1] == "stopped"
    assert 1 <= report.verified < 6 and report.verified == seen.count("verified")
    counts = home.ledger.order_state_counts(order_id)
    assert counts.get(State.PRINTED, 0) == 0 and counts[State.VERIFIED] == report.verified
    run_row = home.ledger.run(report.run_id)
    assert run_row["status"] == "stopped" and run_row["finished_at"] is not None
    assert home.ledger.rolls(order_id)[0]["closed_at"] is None  # an unfinished roll stays open


def test_a_dead_print_head_dot_stops_the_line(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 3)
    seen: list[str] = []
    with print_line(faults=PrinterFaults(dead_elements=(90,))) as line:
        report = _run_seen(home, order_id, line, seen, roll_size=4, max_consecutive_rejects=5)
    assert report.status == "paused" and report.reason is not None
    assert seen == ["rejected", "rejected", "rejected", "paused"]
    # the last reject's event keeps the camera's grade and defects; its picture is the annotated frame
    last = report.rejected[-1]
    assert report.last is not None and report.last_reference is not None
    (event,) = [e for e in home.ledger.code_events(last.serial, order_id) if e["kind"] == "code.reject"]
    assert {**event["data"], "reason": from_store(event["data"]["reason"])} == {
        "from": "printed",
        "to": "voided",
        "reason": last.reason,
        "grade": report.last.grade,
        "defects": [d.to_json() for d in report.last.defects],
        "parameters": recorded_parameters(report.last),
        "causes": causes_of(report.last),
    }
    # the line stopped for the same dead dot on two rejected labels: their events name it as a defect, and as the
    # cause unless the streak also took the grade below the minimum (then the grade is the cause counted: qc.causes_of;
    # which of the two, camera noise decides)
    events = [
        e
        for r in report.rejected
        for e in home.ledger.code_events(r.serial, order_id)
        if e["kind"] == "code.reject" and any(d["kind"] == "dead_element" for d in e["data"]["defects"])
    ]
    assert len(events) >= 2
    for e in events:
        causes = e["data"]["causes"]
        if e["data"]["grade"] < 2.0:
            assert len(causes) == 1 and causes[0].startswith("low_grade:"), causes
        else:
            assert causes == ["defect:dead_element"], causes
    picture, frame = cv2.imread(str(last.picture)), report.last.frame
    assert picture is not None and frame is not None and picture.shape[:2] == frame.shape[:2]
    assert (picture == annotate(frame, report.last, report.last_reference)).all()
    dot = int(report.reason.rsplit(" ", 1)[1])
    assert abs(dot - 90) <= 1 and report.reason == t("run.dead_dot", dot=dot)
    # the label in flight when the line stopped was judged too (drained), and rejected for the same dot
    assert len(report.rejected) == 3 and report.verified == 0
    assert home.ledger.order_state_counts(order_id).get(State.PRINTED, 0) == 0
    captures = home.path / "captures" / f"run-{report.run_id}"
    assert [r.picture for r in report.rejected] == [str(captures / f"reject-{r.serial}.png") for r in report.rejected]
    assert all(Path(str(r.picture)).is_file() for r in report.rejected)
    # a capture may show a code and its label: readable by the station's user only
    assert all(Path(str(r.picture)).stat().st_mode & 0o777 == 0o600 for r in report.rejected)
    assert captures.stat().st_mode & 0o777 == 0o700


def test_a_roll_that_needs_a_replacement_code_is_headed_with_it(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 4)
    # rolls of two; the first code (printed label 1) is spoiled, so the first roll takes the third code too and
    # the second roll holds the last issued code and a replacement; each roll's label names what it holds
    with print_line(faults=PrinterFaults(spoil_labels=frozenset({1}))) as line:
        _, report = _run(home, order_id, line, roll_size=2)
        printed = list(line.printer.labels)
    assert report.status == "done" and report.verified == 4 and len(report.rejected) == 1
    # a header may be graded down by the camera, but it is always read as its own roll
    wrong = t("why.wrong_code", payload="")
    assert not any(wrong in reason for reason in report.header_rejects), report.header_rejects
    assert_exact(home, order_id)
    rolls = home.ledger.rolls(order_id)
    assert [[(p, st) for p, _, st in r["labels"][1:]] for r in rolls] == [
        [(1, State.VOIDED), (2, State.VERIFIED), (3, State.VERIFIED)],
        [(1, State.VERIFIED), (2, State.VERIFIED)],
    ]
    first, last = home.ledger.order(order_id)["ranges"][0][0], home.ledger.order(order_id)["ranges"][-1][1]
    assert [s for _, s, _ in rolls[1]["labels"][1:]] == [first + 3, first + 4] and last == first + 4
    assert home.ledger.order_state_counts(order_id) == {State.VERIFIED: 4, State.VOIDED: 1}
    headers = [label for label in printed if _qr(label.image) in {r["id"] for r in rolls}]
    assert len(headers) == 2 and printed.index(headers[0]) == 3 and printed[-1] is headers[1]
    assert all(_header_matches(home, order_id, roll, label) for roll, label in zip(rolls, headers, strict=True))


def test_a_sound_label_between_two_rejects_resets_the_count_and_rejects_keep_no_picture(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 3)
    # printed labels 1 and 3 (the first and third codes) are spoiled; the second code passes between them
    with print_line(faults=PrinterFaults(spoil_labels=frozenset({1, 3}))) as line:
        _, report = _run(home, order_id, line, roll_size=4, max_consecutive_rejects=2, save_rejects=False)
    assert report.status == "done" and report.verified == 3, report.reason
    assert len(report.rejected) == 2 and [r.picture for r in report.rejected] == [None, None]
    assert list((home.path / "captures").iterdir()) == []
    assert_exact(home, order_id)


def test_a_resumed_run_closes_its_full_roll_and_prints_its_label_before_the_next_roll(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 3)
    ledger: Any = home.ledger
    # a run that crashed with its first roll full of verified labels, before the roll was closed
    run_id = ledger.create_run(order_id, "trace-40x30", 2, "tcp://127.0.0.1:1", "")
    first_roll, second_roll = make_roll_id(order_id, 1), make_roll_id(order_id, 2)
    ledger.open_roll(run_id, first_roll, 1)
    done = ledger.codes_in_state(order_id, State.ISSUED, limit=2)
    for serial in done:
        ledger.print_on_roll(serial, first_roll, {"run": run_id})
        ledger.transition(serial, "verify", {"grade": 3.0, "letter": "B", "frame": 1})
    ledger.set_run_status(run_id, "paused", "stopped by the operator")
    with print_line() as line:
        _, report = _run(home, order_id, line, roll_size=2)
        printed = list(line.printer.labels)
    assert report.run_id == run_id and report.status == "done"
    assert report.verified == 3 and report.printed == 1 and report.headers == 2 and len(printed) == 3
    assert [k for k, d, *_ in _events(home, order_id, "roll.opened", "roll.closed")] == [
        "roll.opened",
        "roll.closed",
        "roll.opened",
        "roll.closed",
    ]
    assert [d["roll"] for k, d, *_ in _events(home, order_id, "roll.opened", "roll.closed")] == [
        first_roll,
        first_roll,
        second_roll,
        second_roll,
    ]
    first, roll = ledger.rolls(order_id)
    assert [st for _, s, st in roll["labels"] if s is not None] == [State.VERIFIED]
    # the first roll's label (not a reprint: none was started before), the code, the second roll's label
    assert _header_matches(home, order_id, first, printed[0]) and _header_matches(home, order_id, roll, printed[2])
    assert [d["reprint"] for k, d, *_ in _events(home, order_id, "roll.header")] == [False, False]


def test_rolls_of_one_label_each_get_their_own_header(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    with print_line() as line:
        _, report = _run(home, order_id, line, roll_size=1)
        printed = list(line.printer.labels)
    assert report.status == "done" and report.verified == 2 and report.headers == 2 and len(printed) == 4
    rolls = home.ledger.rolls(order_id)
    assert [_qr(printed[1].image), _qr(printed[3].image)] == [r["id"] for r in rolls]
    renderer = Renderer(font_path=home.config.labels.font)
    template = load_template(HEADER_TEMPLATE, home.path / "label_templates")
    for roll, label in zip(rolls, (printed[1], printed[3]), strict=True):
        got = _black(label.image)
        assert any(
            bool((_black(renderer.render(template, _header_values(home, order_id, roll, day)).image) == got).all())
            for day in (date.today(), date.today() - timedelta(days=1))
        ), roll["id"]
