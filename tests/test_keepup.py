"""A late camera never voids a label: the run sends the next label only once a frame showed the current one, waits
for a camera that falls behind, and stops the line (codes intact) when it never catches up. The printer emulator
takes its time per label, as a real printer does, so that the camera can fall behind at all.

The long run prints 300 labels beside two CPU-bound processes on the emulators (TCP printer, MJPEG camera read by
OpenCV) and voids none.
"""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from drivers.cameras import open_camera
from drivers.emulators.camera import CameraFaults, Imaging, Scene, VirtualCamera
from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from drivers.printers.printer import LabelPrinter
from station.home import Home
from station.ledger import State
from station.run import PrintRun, RunOptions, RunReport
from station.texts import t
from tests.conftest import STATION
from tests.run_helpers import Line, assert_exact, order, print_line
from tests.test_cameras import qr_label
from tests.test_run_rolls import _bounded


def _headers_read_right(report: Any) -> bool:
    """No roll header was misread: a header is judged on reading and grade only, and its grade after a camera
    stall is sometimes low (the operator is told; nothing is voided), which these tests are not about."""
    return all(t("why.wrong_code", payload="").split("{")[0] not in h for h in report.header_rejects)


def _execute(home: Home, order_id: int, line: Line, seconds: float = 30.0, **options: Any) -> RunReport:
    with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
        camera.latency_s = 0.05
        opts = RunOptions(order_id=order_id, **{"fault_poll_s": 0.05, "fault_timeout_s": 20, **options})
        return _bounded(PrintRun(home, opts, printer, camera), seconds)


# --- the camera falls behind -----------------------------------------------------------------------------------


def test_a_camera_behind_the_printer_makes_the_run_wait_and_voids_nothing(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 6)
    with print_line() as line:
        line.camera_faults.delay_s = 0.7  # every picture shows the printer as it was 0.7 s ago
        report = _execute(home, order_id, line, roll_size=10, frame_timeout_s=0.3, keep_up_s=3.0)
        printed = len(line.printer.labels)
    assert (report.status, report.reason) == ("done", None)
    assert report.verified == 6 and report.rejected == [] and _headers_read_right(report)
    assert printed == 7  # six codes and the roll's label: no label was printed twice or in vain
    # the run waited for the camera, label after label, and said so
    assert report.camera_waits >= 5
    late = [seconds for reason, seconds in report.pauses if reason == t("run.camera_late")]
    assert len(late) == report.camera_waits and all(0 < s < 3.0 for s in late)
    assert_exact(home, order_id, line.printer)


def test_a_camera_that_never_catches_up_stops_the_line_at_the_limit_with_the_code_intact(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 3)
    with print_line() as line:
        line.camera_faults.delay_s = 3.0  # far behind: the first code shows only three seconds after it came out
        started = time.monotonic()
        report = _execute(home, order_id, line, roll_size=10, frame_timeout_s=0.3, keep_up_s=1.2)
        took = time.monotonic() - started
        printed = len(line.printer.labels)
    behind = t("run.nothing_new", seconds="1.2")  # the camera still shows the empty printer exit
    assert (report.status, report.reason) == ("paused", behind)
    assert 1.2 <= took < 3.0  # the limit, not the camera's delay, ends the wait
    # only the first code went out, and it is not judged: it is left in flight, not voided; no other code was sent
    assert printed == 1 and report.headers == 0 and report.printed == 1
    assert report.rejected == [] and _headers_read_right(report) and report.verified == 0
    assert home.ledger.order_state_counts(order_id) == {State.PRINTED: 1, State.ISSUED: 2}
    assert home.ledger.run(report.run_id)["status"] == "paused"


def test_a_code_left_in_flight_by_a_camera_that_fell_behind_is_judged_from_a_fresh_frame_when_the_run_resumes(
    tmp_path: Path,
) -> None:
    home, order_id = order(tmp_path, 3)
    with print_line() as line:
        shown = line.printer.on_label
        assert shown is not None
        count = [0]

        def behind_after_the_first_code(printed: Any) -> None:
            count[0] += 1
            if count[0] == 2:
                line.camera_faults.delay_s = 30.0  # the camera falls far behind as the second code comes out
            shown(printed)

        line.printer.on_label = behind_after_the_first_code
        stopped = _execute(home, order_id, line, roll_size=10, frame_timeout_s=0.3, keep_up_s=1.0)
        assert (stopped.status, stopped.reason) == ("paused", t("run.camera_behind", seconds="1"))
        (left,) = home.ledger.codes_in_state(order_id, State.PRINTED)
        assert stopped.rejected == [] and stopped.verified == 1 and stopped.printed == 2
        line.camera_faults.delay_s = 0.0  # the camera keeps up again
        resumed = _execute(home, order_id, line, roll_size=10, frame_timeout_s=0.3, keep_up_s=1.0)
    # the label is still under the camera: a frame taken after the resume shows it, and it is verified
    assert resumed.status == "done" and resumed.run_id == stopped.run_id and resumed.verified == 3
    assert resumed.voided_in_flight == [] and resumed.rejected == [] and resumed.printed == 1
    assert home.ledger.code(left)["state"] is State.VERIFIED  # type: ignore[index]
    assert len(line.printer.labels) == 4
    assert_exact(home, order_id, line.printer)


@pytest.mark.parametrize("fps", [4.0])
def test_a_camera_with_few_frames_a_second_slows_the_run_and_voids_nothing(tmp_path: Path, fps: float) -> None:
    home, order_id = order(tmp_path, 4)
    printer = VirtualPrinter("tspl", speed_mm_s=600)
    scene = Scene()
    scene.attach(printer)
    with TcpPrinterServer(printer) as server, VirtualCamera(scene, Imaging(seed=2), fps=fps) as camera:
        line = Line(printer, server, camera, camera.faults)
        report = _execute(home, order_id, line, roll_size=10, frame_timeout_s=2.0, keep_up_s=5.0)
    assert report.status == "done" and report.verified == 4 and report.rejected == [] and _headers_read_right(report)
    assert len(printer.labels) == 5
    assert_exact(home, order_id, printer)


def test_a_label_of_another_code_under_the_camera_at_the_start_is_waited_past_not_judged(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    with print_line(speed_mm_s=150) as line:
        # a label this station never printed lies under the camera: the first code takes 213 ms to push it out
        line.camera.scene.show(qr_label("https://elsewhere.example.org/c/1"))
        report = _execute(home, order_id, line, roll_size=10, frame_timeout_s=1.0, keep_up_s=5.0)
    assert (report.status, report.reason) == ("done", None)
    assert report.verified == 2 and report.rejected == []
    assert not any(t("why.wrong_code", payload="") in r for r in report.header_rejects), report.header_rejects
    assert_exact(home, order_id, line.printer)


def test_a_label_still_coming_out_is_waited_for_not_judged_unreadable(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 3)
    with print_line() as line:
        shown = line.printer.on_label
        assert shown is not None
        blank = Image.new("1", (320, 240), 1)

        def coming_out(printed: Any) -> None:  # the paper shows first, the printed part of the label after it
            line.camera.scene.show(blank)
            time.sleep(0.3)
            shown(printed)

        line.printer.on_label = coming_out
        report = _execute(home, order_id, line, roll_size=10, frame_timeout_s=1.0, keep_up_s=5.0)
    assert (report.status, report.reason) == ("done", None)
    assert report.verified == 3 and report.rejected == []
    misjudged = (t("why.no_code"), t("why.wrong_code", payload=""))  # a header may be graded down, never misread
    assert not any(m in r for r in report.header_rejects for m in misjudged), report.header_rejects
    assert_exact(home, order_id, line.printer)


# --- a pause of the printer after a label was filmed -------------------------------------------------------------


def test_a_label_filmed_before_a_paper_out_pause_is_verified_after_it(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 4)
    # the roll runs out after the third label (three codes): the fourth code waits in the printer
    with print_line(faults=PrinterFaults(paper_out_after=3)) as line:
        printer = line.printer

        def operator() -> None:
            deadline = time.monotonic() + 20
            while not printer.held and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(1.0)  # a new roll goes in
            printer.load_paper()

        helper = threading.Thread(target=operator, daemon=True)
        helper.start()
        report = _execute(home, order_id, line, roll_size=10, frame_timeout_s=0.5, keep_up_s=5.0)
        helper.join(timeout=20)
    assert (report.status, report.reason) == ("done", None)
    assert report.verified == 4 and report.rejected == [] and _headers_read_right(report)
    ((reason, waited),) = [p for p in report.pauses if p[0].startswith(t("run.printer_fault", reason=""))]
    assert waited > 0.5
    assert_exact(home, order_id, line.printer)


# --- the printer emulator's speed ----------------------------------------------------------------------------------


def _appears(path: Path, seconds: float) -> float | None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if path.exists():
            return time.monotonic()
        time.sleep(0.005)
    return None


@pytest.mark.parametrize(("speed", "seconds"), [("50", (30 + 2) / 50), ("150", (30 + 2) / 150), ("0", 0.0)])
def test_the_emulated_printer_brings_a_label_out_at_its_speed(tmp_path: Path, speed: str, seconds: float) -> None:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    out = tmp_path / "out"
    args = ["emulate", "printer", "--lang", "tspl", "--listen", f"socket://127.0.0.1:{port}", "--out", str(out)]
    proc = subprocess.Popen(
        [STATION, "--lang", "en", *args, "--speed", speed, "--seconds", "20"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = [proc.stdout.readline(), proc.stdout.readline()]
        assert lines[1].strip() == (t("emu.instant") if speed == "0" else t("emu.speed", speed=speed)), lines
        with LabelPrinter(f"socket://127.0.0.1:{port}", "tspl") as printer:
            printer.print_image(Image.new("1", (320, 240), 1))  # 40 × 30 mm at 203 dpi
            sent = time.monotonic()
        appeared = _appears(out / "label-00001.png", 5.0)
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert appeared is not None
    assert seconds - 0.02 <= appeared - sent < seconds + 0.25
    assert not list(out.glob("*.part"))


# --- 300 labels beside two CPU-bound processes ------------------------------------------------------------------


@contextmanager
def _busy(processes: int, seconds: float) -> Iterator[None]:
    """``processes`` busy loops on their own, each ending by itself after ``seconds``, killed on leaving."""
    code = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"
    procs = [subprocess.Popen([sys.executable, "-c", code]) for _ in range(processes)]
    try:
        yield
    finally:
        for proc in procs:
            proc.kill()
        for proc in procs:
            proc.wait(timeout=10)


@pytest.mark.slow
def test_three_hundred_labels_beside_two_busy_processes_void_no_good_label(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 300)
    printer = VirtualPrinter("tspl", speed_mm_s=200)  # 160 ms a label: a realistic thermal label printer
    scene = Scene()
    scene.attach(printer)
    faults = CameraFaults()
    with (
        TcpPrinterServer(printer) as server,
        VirtualCamera(scene, Imaging(seed=3), faults, fps=30) as camera,
        _busy(2, 150),
    ):
        report = _execute(home, order_id, Line(printer, server, camera, faults), seconds=150, roll_size=100)
    assert (report.status, report.reason) == ("done", None)
    # no defect was put in: every label verified, none rejected or voided for anything
    assert report.verified == 300 and report.rejected == []
    assert not any(t("why.wrong_code", payload="") in r for r in report.header_rejects), report.header_rejects
    assert len(printer.labels) == 303
    assert_exact(home, order_id, printer)
