"""Faults during a print run, on the printer emulator and the virtual camera: a camera that stops sending frames or
freezes on an old picture, a label or roll label (header) the camera never saw, a printer link that drops mid-label,
and the pause that waits for a fault to clear. A label is verified only from a fresh frame that shows it: a frozen or
stale frame never verifies one, and its code is voided.

Every run is a few labels long and bounded by a watchdog.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from drivers.cameras import open_camera
from drivers.emulators.printer import PrinterFaults
from drivers.printers.printer import LabelPrinter
from station.codes import make_code, payload
from station.home import Home
from station.issue import issue_codes
from station.labels.template import load_template
from station.ledger import State
from station.roll_ids import make_roll_id
from station.run import PrintRun, RunOptions, RunReport, _signature
from station.texts import from_store, t
from tests.run_helpers import Line, assert_exact, order, print_line
from tests.test_run_rolls import _bounded, _qr


def _execute(
    home: Home,
    order_id: int,
    line: Line,
    seen: list[tuple[str, str, str | None]] | None = None,
    stall: float | None = None,
    **options: Any,
) -> tuple[PrintRun, RunReport]:
    """Run the order on ``line``; ``seen`` collects (update, report status, report reason) as the run reports. With
    ``stall``, the camera stops sending frames before the run starts, for ``stall`` seconds (inf: for good)."""
    with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
        if stall is not None:
            line.camera_faults.no_frames = True
            time.sleep(0.3)  # frames on their way are read before the run starts
            if stall != float("inf"):
                _later(stall, lambda: setattr(line.camera_faults, "no_frames", False))
        camera.latency_s = 0.05
        opts = RunOptions(
            order_id=order_id, **{"fault_poll_s": 0.05, "fault_timeout_s": 20, "frame_timeout_s": 1.0, **options}
        )
        run = PrintRun(home, opts, printer, camera)
        if seen is not None:
            run.on_update = lambda report, what: seen.append((what, report.status, report.reason))
        return run, _bounded(run)


def _on_print(line: Line, hook: Callable[[int], bool]) -> None:
    """Call ``hook(n)`` as the n-th label (1 = first) comes out; the camera sees the label only if it returns True."""
    shown = line.printer.on_label
    assert shown is not None
    count = [0]

    def on_label(printed: Any) -> None:
        count[0] += 1
        if hook(count[0]):
            shown(printed)

    line.printer.on_label = on_label


def _later(seconds: float, action: Callable[[], None]) -> threading.Timer:
    timer = threading.Timer(seconds, action)
    timer.daemon = True
    timer.start()
    return timer


def _states(home: Home, order_id: int) -> list[State]:
    return [state for _, state in home.ledger.order_codes(order_id)]


def _reject_event(home: Home, order_id: int, serial: int) -> dict[str, Any]:
    """The reject's event data, its reason as shown now."""
    (event,) = [e for e in home.ledger.code_events(serial, order_id) if e["kind"] == "code.reject"]
    return {**event["data"], "reason": from_store(event["data"]["reason"])}


def _run_events(home: Home, order_id: int) -> list[tuple[str, str | None]]:
    kinds = ["run.paused", "run.running", "run.done", "run.stopped"]
    events = home.ledger.events_of(kinds, order_id=order_id)
    return [(e["kind"], e["data"]["reason"] and from_store(e["data"]["reason"])) for e in events]


# --- the camera freezes -------------------------------------------------------------------------------------------


def test_a_camera_frozen_on_a_code_never_verifies_the_next_code_and_pauses_the_run(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    seen: list[tuple[str, str, str | None]] = []
    with print_line() as line:
        faults = line.camera_faults

        def freeze(n: int) -> bool:  # the pipeline sticks just as the second code comes out: frames show the first
            if n == 2:
                time.sleep(0.1)  # the first code is filmed first
                faults.frozen = True
            return True

        _on_print(line, freeze)
        run, report = _execute(home, order_id, line, seen, fault_timeout_s=0.4)
    frozen = t("run.camera_frozen")
    assert (report.status, report.reason) == ("paused", frozen)
    # the second code was never seen: it is not verified, and not voided either: no picture of it was taken; it
    # stays in flight until the run resumes. The roll is not complete: no roll label yet
    assert report.verified == 1 and report.printed == 2 and report.headers == 0
    assert _states(home, order_id) == [State.VERIFIED, State.PRINTED]
    assert report.rejected == []
    assert seen == [("verified", "running", None), ("waiting", "waiting", frozen), ("paused", "paused", frozen)]
    assert report.pauses == []
    assert (home.ledger.run(report.run_id)["status"], from_store(home.ledger.run(report.run_id)["reason"])) == (
        "paused",
        frozen,
    )
    assert _run_events(home, order_id) == [("run.paused", frozen)] * 2
    row = home.ledger.order(order_id)
    first = next(iter(home.ledger.order_codes(order_id)))[0]
    assert run._previous == payload(row["base_url"], make_code(home.key, first), row["gtin"], row["lot"])
    assert home.ledger.rolls(order_id)[0]["closed_at"] is None


def test_a_camera_frozen_on_the_last_order_holds_the_next_run_until_it_sends_a_new_picture(tmp_path: Path) -> None:
    home, first_order = order(tmp_path, 1)
    row = home.ledger.order(first_order)
    order_id = issue_codes(home, row["enterprise_id"], row["product_id"], 2).order
    frozen = t("run.camera_frozen")
    with print_line() as line:
        _, first = _execute(home, first_order, line)
        assert first.status == "done" and first.verified == 1

        class Seen(list[tuple[str, str, str | None]]):
            """The updates; the camera sends new pictures 0.3 s after the run says it waits for a frozen camera."""

            def append(self, item: tuple[str, str, str | None]) -> None:
                super().append(item)
                if item == ("waiting", "waiting", frozen):
                    _later(0.3, lambda: setattr(line.camera_faults, "frozen", False))

        seen = Seen()
        # the camera sticks on the last label of the first order (its roll's label) as the next run starts
        line.camera_faults.frozen = True
        run, report = _execute(home, order_id, line, seen, roll_size=4)
    (last,) = [s for s, _ in home.ledger.order_codes(first_order)]
    assert run._last_label_payload() is not None
    assert (report.status, report.reason) == ("done", None)
    assert report.verified == 2 and report.printed == 2 and report.headers == 1
    # the first code waited for the camera's new pictures and was judged from them; nothing voided; the roll's label
    # came last (a header may be graded down by the camera, never misread)
    assert report.rejected == []
    assert not any(t("why.wrong_code", payload="") in r for r in report.header_rejects), report.header_rejects
    ((reason, waited),) = report.pauses
    assert reason == frozen and 0 < waited < 1.5
    assert seen == [
        ("waiting", "waiting", frozen),
        ("resumed", "running", None),
        ("verified", "running", None),
        ("verified", "running", None),
        ("roll_closed", "running", None),
        ("done", "done", None),
    ]
    assert _run_events(home, order_id) == [("run.paused", frozen), ("run.running", "resumed"), ("run.done", None)]
    assert_exact(home, order_id)
    assert home.ledger.code(last)["state"] is State.VERIFIED  # type: ignore[index]


# --- the camera stops sending frames ------------------------------------------------------------------------------


def _stalled(url: str, seconds: str) -> str:
    return t("run.camera_fault", reason=t("dev.camera.stalled", uri=url, seconds=seconds))


def test_a_camera_that_sends_no_frames_pauses_the_run_and_sends_no_further_code(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    seen: list[tuple[str, str, str | None]] = []
    with print_line() as line:
        # the stream stops before the first code comes out: no frame shows it
        _, report = _execute(home, order_id, line, seen, float("inf"), fault_timeout_s=0.3, frame_timeout_s=0.5)
        stalled = _stalled(line.camera.url, "0.5")
    assert (report.status, report.reason) == ("paused", stalled)
    # the first code was never seen, so no code went out after it; it is left in flight, not voided
    assert report.verified == 0 and report.printed == 1 and report.headers == 0 and report.header_rejects == []
    assert report.rejected == []
    assert _states(home, order_id) == [State.PRINTED, State.ISSUED]
    assert seen == [("waiting", "waiting", stalled), ("paused", "paused", stalled)]
    run = home.ledger.run(report.run_id)
    assert (run["status"], from_store(run["reason"])) == ("paused", stalled)
    assert _run_events(home, order_id) == [("run.paused", stalled)] * 2


def test_a_camera_whose_frames_come_back_resumes_the_run(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    seen: list[tuple[str, str, str | None]] = []
    with print_line() as line:
        _, report = _execute(home, order_id, line, seen, 1.3, frame_timeout_s=0.4, roll_size=4)
        stalled = _stalled(line.camera.url, "0.4")
    assert (report.status, report.reason) == ("done", None) and report.verified == 2
    # the first code is judged once frames come back; a header may be graded down by the camera, never misread
    assert report.rejected == [] and report.printed == 2
    assert not any(t("why.wrong_code", payload="") in r for r in report.header_rejects), report.header_rejects
    ((reason, waited),) = report.pauses
    assert reason == stalled and 0 < waited < 1.5
    assert [w for w, *_ in seen] == ["waiting", "resumed", "verified", "verified", "roll_closed", "done"]
    assert _run_events(home, order_id) == [("run.paused", stalled), ("run.running", "resumed"), ("run.done", None)]
    assert_exact(home, order_id)


# --- a label the camera never saw ---------------------------------------------------------------------------------


def test_a_roll_label_the_camera_never_shows_holds_the_run_and_sends_no_further_code(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    with print_line() as line:
        _on_print(line, lambda n: n != 2)  # the camera goes on showing the first code, live, after the roll's label
        _, report = _execute(home, order_id, line, roll_size=1, fault_timeout_s=0.5, keep_up_s=2.0)
    # the picture goes on showing the label before: the camera is behind; the run stops the line
    assert (report.status, report.reason) == ("paused", t("run.camera_behind", seconds="2"))
    assert (report.verified, report.printed, report.headers) == (1, 1, 1)
    assert report.header_rejects == [] and report.rejected == []
    assert _states(home, order_id) == [State.VERIFIED, State.ISSUED]
    # the label was sent whole: the roll has its label, and can be handed over
    (roll,) = home.ledger.rolls(order_id)
    assert roll["closed_at"] is not None and roll["header_at"] is not None


def test_a_code_the_camera_never_shows_stops_the_line_at_the_keep_up_limit_with_its_code_intact(
    tmp_path: Path,
) -> None:
    home, order_id = order(tmp_path, 2)
    seen: list[tuple[str, str, str | None]] = []
    with print_line() as line:
        _on_print(line, lambda n: n != 2)  # the camera goes on showing the first code, live, after the second is out
        started = time.monotonic()
        _, report = _execute(home, order_id, line, seen, roll_size=4, keep_up_s=2.5)
        took = time.monotonic() - started
    late, behind = t("run.camera_late"), t("run.camera_behind", seconds="2.5")
    assert (report.status, report.reason) == ("paused", behind)
    assert 2.5 <= took < 6
    # the second code is out, but no picture shows it: it is neither verified nor voided, and no other code followed
    assert (report.verified, report.printed, report.rejected) == (1, 2, [])
    assert _states(home, order_id) == [State.VERIFIED, State.PRINTED]
    assert seen == [("verified", "running", None), ("waiting", "waiting", late), ("paused", "paused", behind)]
    assert _run_events(home, order_id) == [("run.paused", late), ("run.paused", behind)]


# --- a frozen frame is told from a live one -----------------------------------------------------------------------


def test_the_frame_signature_is_the_same_for_the_same_picture_and_differs_for_another() -> None:
    rng = np.random.default_rng(5)
    image = rng.integers(0, 256, (720, 1280), dtype=np.uint8)
    signature = _signature(image)
    assert isinstance(signature, bytes) and len(signature) == 32 * 18
    assert signature == _signature(image.copy())
    flat = np.full((720, 1280), 200, np.uint8)
    assert _signature(flat) == bytes([200 // 8]) * (32 * 18)
    assert _signature(np.full((720, 1280), 207, np.uint8)) == _signature(flat)  # sensor noise within a step
    assert _signature(np.full((720, 1280), 208, np.uint8)) == bytes([26]) * (32 * 18)
    half = flat.copy()
    half[:, :640] = 0
    assert _signature(half) == (bytes([0]) * 16 + bytes([25]) * 16) * 18


def test_the_latest_frame_signature_is_none_before_any_frame(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 1)
    with print_line() as line:
        with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl") as printer:
            run = PrintRun(home, RunOptions(order_id=order_id), printer, camera)
            frame = camera.frame_after(time.monotonic(), 2.0)
            latest = camera.latest()
            assert latest is not None and frame.seq <= latest.seq
            assert run._frame_signature() == _signature(latest.image)
            run.camera = object()  # a frame source with no latest(): nothing to compare against
            assert run._frame_signature() is None


# --- what the camera may still show when a run starts ------------------------------------------------------------


def test_the_last_label_payload_is_the_last_label_on_the_newest_roll(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 3)
    ledger: Any = home.ledger
    with print_line() as line, LabelPrinter(line.server.uri, "tspl") as printer:
        run = PrintRun(home, RunOptions(order_id=order_id), printer, line.camera)
        assert run._last_label_payload() is None  # nothing printed on this station yet
        run_id = ledger.create_run(order_id, "trace-40x30", 4, "p", "c")
        first = make_roll_id(order_id, 1)
        ledger.open_roll(run_id, first, 1)
        assert run._last_label_payload() is None  # an open roll with nothing on it yet
        serials = ledger.codes_in_state(order_id, State.ISSUED)
        ledger.print_on_roll(serials[0], first, {"run": run_id})
        ledger.print_on_roll(serials[1], first, {"run": run_id})
        row = ledger.order(order_id)
        expected = payload(row["base_url"], make_code(home.key, serials[1]), row["gtin"], row["lot"])
        assert run._last_label_payload() == expected
        ledger.close_roll(first)
        assert run._last_label_payload() == expected  # complete, its label not yet sent
        ledger.header_started(first, {"reprint": False})
        assert run._last_label_payload() == first  # the roll's label comes after its labels
        time.sleep(0.01)
        second = make_roll_id(order_id, 2)
        ledger.open_roll(run_id, second, 2)
        assert run._last_label_payload() == first  # the newest roll holds nothing yet: the label before it
        ledger.print_on_roll(serials[2], second, {"run": run_id})
        expected = payload(row["base_url"], make_code(home.key, serials[2]), row["gtin"], row["lot"])
        assert run._last_label_payload() == expected


# --- the printer link drops, the printer waits ----------------------------------------------------------------------


def _job_bytes(home: Home, line: Line) -> int:
    """How many bytes one 40x30 label job takes (a TSPL bitmap job's size does not depend on what it shows)."""
    template = load_template("trace-40x30", home.path / "label_templates")
    image = Image.new("1", (template.dots(template.width_mm), template.dots(template.height_mm)), 1)
    with LabelPrinter(line.server.uri, "tspl") as printer:
        return len(printer.encode(image))


def test_a_printer_link_that_drops_mid_label_voids_that_code_and_the_run_goes_on(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    seen: list[tuple[str, str, str | None]] = []
    with print_line() as line:
        job = _job_bytes(home, line)
        line.printer.faults.disconnect_after_bytes = job // 2  # halfway through the first code
        _, report = _execute(home, order_id, line, seen, roll_size=4)
        printed = len(line.printer.labels)
    assert (report.status, report.reason) == ("done", None) and report.verified == 2
    (rejected,) = report.rejected
    assert rejected.position == 1 and rejected.picture is None
    prefix = t("run.print_interrupted", reason="")
    assert rejected.reason.startswith(prefix)
    cause = rejected.reason[len(prefix) :]
    assert cause != ""
    assert _reject_event(home, order_id, rejected.serial) == {
        "from": "printed",
        "to": "voided",
        "reason": rejected.reason,
        "causes": ["interrupted"],
    }
    # the run waited for the printer to answer again, then printed a new code in the spoiled one's place
    ((reason, waited),) = report.pauses
    assert reason == t("run.printer_fault", reason=cause) and waited >= 0
    assert [w for w, *_ in seen] == ["rejected", "waiting", "resumed", "verified", "verified", "roll_closed", "done"]
    assert report.printed == 2 and report.headers == 1 and printed == 3
    assert _states(home, order_id) == [State.VOIDED, State.VERIFIED, State.VERIFIED]
    assert_exact(home, order_id)


def test_a_roll_label_cut_off_by_the_printer_link_is_printed_again(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 1)
    seen: list[tuple[str, str, str | None]] = []
    with print_line() as line:
        job = _job_bytes(home, line)
        line.printer.faults.disconnect_after_bytes = job + job // 2  # halfway through the roll's label
        _, report = _execute(home, order_id, line, seen, roll_size=4)
        labels = list(line.printer.labels)
    assert (report.status, report.verified, report.printed, report.headers) == ("done", 1, 1, 1)
    assert report.rejected == []
    ((reason, _),) = report.pauses
    assert reason.startswith(t("run.printer_fault", reason=""))
    assert [w for w, *_ in seen] == ["verified", "roll_closed", "waiting", "resumed", "done"]
    (roll,) = home.ledger.rolls(order_id)
    assert len(labels) == 2 and _qr(labels[1].image) == roll["id"]
    # one print of the label, sent again whole after the link came back: not a reprint
    assert roll["headers"] == 1 and roll["header_at"] is not None
    assert_exact(home, order_id)


def test_stop_while_waiting_for_the_printer_pauses_the_run_with_the_fault(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 1)
    seen: list[tuple[str, str, str | None]] = []
    with print_line() as line:
        line.printer.set_offline(True)
        with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
            opts = RunOptions(order_id=order_id, fault_poll_s=0.05, fault_timeout_s=None)
            run = PrintRun(home, opts, printer, camera)

            def update(report: RunReport, what: str) -> None:
                seen.append((what, report.status, report.reason))
                run_row = home.ledger.run(report.run_id)
                seen.append(("ledger", run_row["status"], run_row["reason"] and from_store(run_row["reason"])))
                if what == "waiting":
                    _later(0.4, run.stop)

            run.on_update = update
            started = time.monotonic()
            report = _bounded(run)
            took = time.monotonic() - started
    offline = t("run.printer_fault", reason="offline · paused")
    assert (report.status, report.reason) == ("paused", offline)
    assert seen == [
        ("waiting", "waiting", offline),
        ("ledger", "paused", offline),
        ("paused", "paused", offline),
        ("ledger", "paused", offline),
    ]
    assert 0.3 < took < 5 and report.pauses == [] and report.verified == 0


def test_blank_labels_on_a_fresh_station_are_judged_unreadable_not_a_frozen_camera(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 1)
    # the printer prints no ink: the camera sees labels but no code, and nothing was printed here before
    with print_line(faults=PrinterFaults(darkness=0.0)) as line:
        _, report = _execute(home, order_id, line, fault_timeout_s=0.3, max_consecutive_rejects=1, keep_up_s=1.5)
    no_code = t("why.no_code")
    # the blank label is a new picture without a code: judged unreadable and voided, which stops the line at once
    ((rejected),) = report.rejected
    assert rejected.reason == no_code
    assert (report.status, report.reason) == ("paused", t("run.in_a_row", n=1, reason=no_code))
    assert report.verified == 0 and report.headers == 0
    assert _states(home, order_id) == [State.VOIDED]
