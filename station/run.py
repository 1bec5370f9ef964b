"""The print run: issue → render → print → capture → verify → ledger, roll by roll.

Each code is recorded as printed *before* its bytes are sent: a crash then leaves it in flight, and the next start
voids it — a code is never printed twice. After sending a label the run waits for a frame taken after it came out
that shows its code (capture); only then does it send the next label, and it verifies the captured frame while that
one prints. A camera that falls behind therefore makes the run wait, never skip a label: if no frame shows the label
within ``keep_up_s`` the line stops, saying the camera is not keeping up, and the label's code is left as it is.
A label becomes verified only when its frame showed exactly its code, graded at least the minimum, with no defect;
otherwise its code is voided for what the picture shows and a new code of the same order takes its place. Printer
faults (paper, cover, offline, disconnect) and camera faults (no frames, frozen) pause the run until they clear;
repeated rejects stop the line with a reason.

Rolls: a roll holds exactly ``roll_size`` good labels (the order's last roll the rest). A label goes on the open roll
only while its good labels and those awaiting their verdict stay within the size, so a rejected label's replacement
goes on the same roll. Once the roll's last label is verified the roll is closed (it can be handed over from then on)
and its own label, the roll header, prints right after it, naming the roll's first and last good code and its count
(``station.rolls``). Each header print is recorded before it is sent and once it was sent whole: a start finds the
complete rolls a crash left without one and heads them first, marked 补打 where one may already have come out.
"""

from __future__ import annotations

import collections
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np

from drivers.printers.printer import LabelPrinter
from station.codes import SERIAL_LIMIT, make_code
from station.devices import status_text
from station.errors import DeviceError, PrintError, device_errors
from station.home import Home
from station.labels.render import Renderer
from station.labels.template import Template, load_template
from station.labels.values import code_values, order_values
from station.ledger import State
from station.qc import causes_of, recorded_parameters
from station.roll_ids import make_roll_id
from station.rolls import GOOD_STATES, HEADER_TEMPLATE, header_record, header_values
from station.run_plan import LineDevices, LineStart, RollPlan, begin
from station.run_report import Rejected, RunOptions, RunPaused, RunReport, clock
from station.texts import said, to_store
from station.verify.decode import decode_zxing
from station.verify.defects import Reference
from station.verify.live import Sight, sight
from station.verify.reference import reference_for
from station.verify.verifier import VerifyResult, annotate, verify_frame

# a frame differs from the picture before a label was sent when its 32 × 18 thumbnail differs by more than this many
# grey levels on average: a label appearing or going blank does (4–26 on the virtual camera), the same scene filmed
# again does not (jitter and noise: at most about 2)
NEW_PICTURE_LEVELS = 3.0
DONE_STATES = GOOD_STATES


@dataclass
class _InFlight:
    serial: int | None  # None for a roll header
    payload: str
    reference: Reference | None
    roll: str
    position: int
    sent_at: float
    frame: Any = None  # the captured frame (a CapturedFrame) that shows this label, until it is judged
    left: bool = False  # the camera never showed it before the line stopped: left in flight, not judged


class PrintRun:
    """One run of an order. ``execute`` returns when the order is done, the line stops, or ``stop()``."""

    def __init__(
        self,
        home: Home,
        options: RunOptions,
        printer: LabelPrinter,
        camera: Any,
        on_update: Callable[[RunReport, str], None] | None = None,
        *,
        plan: RollPlan | None = None,
        start: LineStart | None = None,
    ) -> None:
        self.home = home
        self.ledger = home.ledger
        self.options = options
        self.printer = printer
        self.camera = camera
        self.on_update = on_update or (lambda report, what: None)
        self.renderer = Renderer(font_path=home.config.labels.font)
        self._stop = threading.Event()
        self.template: Template = load_template(options.template, home.path / "label_templates")
        self.header_template: Template = load_template(HEADER_TEMPLATE, home.path / "label_templates")
        order = self.ledger.order(options.order_id)
        self.order = order
        self.shared = order_values(home, options.order_id)
        self.report: RunReport | None = None
        self._previous: str | None = None
        self._seen_until = 0.0  # frames are judged in order: never one older than the last frame judged
        self._before: np.ndarray | None = None  # the last picture before the label being captured was sent
        self._consecutive = 0
        self._recent_dead_lists: collections.deque[list[int]] = collections.deque(maxlen=3)
        # one of several lines of the order comes with its share of the rolls; a run on its own works it out at
        # its start (``station.run_plan``)
        self.plan, self.start = plan, start

    def stop(self) -> None:
        """Ask the run to stop after the labels in flight (thread-safe)."""
        self._stop.set()

    # --- the run ------------------------------------------------------------------------------------

    def execute(self) -> RunReport:
        """Run (or resume) until the order has its count of verified codes."""
        ledger, opts = self.ledger, self.options
        if self.plan is None or self.start is None:
            devices = LineDevices(self.printer.uri, str(getattr(self.camera, "uri", "")))
            self.plan, starts = begin(
                ledger, opts.order_id, opts.template, opts.roll_size, [devices], self._verified_count()
            )
            self.start = starts[0]
        start = self.start
        run_id = start.run_id
        report = RunReport(run_id=run_id, order_id=opts.order_id, target=int(self.order["count"]))
        self.report = report
        report.voided_in_flight.extend(start.voided)
        report.verified = report.verified_before = self._verified_count()
        # the last label this printer put out may still be under the camera: a fresh frame of it is judged
        self._previous = self._last_label_payload()  # what the camera may still show from before this start
        self._before = self._picture_now()
        self._captures = self.home.path / "captures" / f"run-{run_id}"
        inflight: collections.deque[_InFlight] = collections.deque()
        self._inflight = inflight
        self._open, self._good, self._quota, self._share = start.open_roll, start.good, start.quota, start.share
        self._missing: list[tuple[str, int]] = list(start.missing)
        report.roll_number = int(self.ledger.roll(self._open)["number"]) if self._open else self.plan.numbered
        self._count_rolls()
        if start.again is not None:
            again = self._in_flight_again(*start.again)
            if self._seen_again(again):
                inflight.append(again)
            else:
                self._void_in_flight(start.again[1])
        if self._open is not None:
            self._roll_check(self._open)  # a crash may have come between the roll's last verdict and its closing
        try:
            while True:
                # the next label goes out only once every label before it was seen by the camera: at most two are in
                # flight, one captured and being verified while the next one prints
                if all(i.frame is not None for i in inflight):
                    item = self._send_next(run_id, inflight)
                    if item is not None:
                        if not self._voided(item):
                            inflight.append(item)
                        continue
                if not inflight:
                    break
                head = inflight[0]
                if head.frame is None:
                    self._capture(head)
                else:
                    self._judge(inflight.popleft())
        except RunPaused as pause:
            self._drain(inflight)
            report.status, report.reason = "paused", pause.args[0]  # a Said: the ledger keeps its key
            ledger.set_run_status(run_id, "paused", pause.args[0])
            self.on_update(report, "paused")
            report.finished = time.monotonic()
            return report
        done = self.plan.covered() and self._open is None and not self._missing
        report.status = "done" if done else "stopped"
        ledger.set_run_status(run_id, report.status, None)
        report.finished = time.monotonic()
        self.on_update(report, report.status)
        return report

    def _void_in_flight(self, serial: int) -> None:
        assert self.report is not None
        self.ledger.transition(
            serial, "void", {"reason": to_store(said("run.in_flight_void")), "run": self.report.run_id}
        )
        self.report.voided_in_flight.append(serial)

    def _in_flight_again(self, roll: str, serial: int) -> _InFlight:
        """The label of ``serial`` left in flight at ``roll``'s end by an earlier start, to be captured now."""
        values = code_values(self.home, serial, self.shared)
        label = self.renderer.render(self.template, values)
        position = next(p for p, s, _ in self.ledger.roll(roll)["labels"] if s == serial)
        return _InFlight(serial, values["payload"], reference_for(label, self.template), roll, position, 0.0)

    def _seen_again(self, item: _InFlight) -> bool:
        """Whether a frame taken now shows ``item`` (the last label printed before this start); that frame is kept
        for judging. Otherwise the camera's present picture, and the code it shows if any, is what the next label
        is told from."""
        latency = float(getattr(self.camera, "latency_s", 0.0))
        started = time.monotonic()
        frame = None
        while time.monotonic() - started < self.options.frame_timeout_s:
            try:
                with device_errors():
                    frame = self._newest(self.camera.frame_after(max(started, self._seen_until), 1.0))
            except DeviceError:
                break
            self._seen_until = max(self._seen_until, frame.captured_at - latency)
            read = [found.text for found in decode_zxing(frame.image) if found.text]
            if item.payload in read:
                item.frame, self._previous, self._before = frame, item.payload, _thumbnail(frame.image)
                return True
        if frame is not None:
            read = [found.text for found in decode_zxing(frame.image) if found.text]
            self._previous = read[0] if len(read) == 1 else self._previous
            self._before = _thumbnail(frame.image)
        return False

    def _picture_now(self) -> np.ndarray | None:
        """A thumbnail of what the camera shows before anything is sent, or None if it shows nothing yet."""
        latest = self.camera.latest() if hasattr(self.camera, "latest") else None
        if latest is None:
            try:
                with device_errors():
                    latest = self.camera.frame_after(0.0, self.options.frame_timeout_s)
            except DeviceError:
                return None
        return _thumbnail(latest.image)

    def _last_label_payload(self) -> str | None:
        """The payload of the last label this station put on any roll (a code, or a roll header): the camera may
        still show it when this run starts, whichever order it belonged to."""
        from station.codes import payload

        solo = self.start is None or self.plan is None or self.start.solo
        last = self.ledger.last_label(None if solo else self.printer.uri)
        if last is None:
            return None
        roll_id, serial = last
        if serial is None:
            return roll_id
        order = self.ledger.order(self.ledger.issued_code(serial)["order_id"])
        return payload(order["base_url"], make_code(self.home.key, serial), order["gtin"], order["lot"])

    def _verified_count(self) -> int:
        counts = self.ledger.order_state_counts(self.options.order_id)
        return sum(counts.get(s, 0) for s in DONE_STATES)

    # --- sending ------------------------------------------------------------------------------------

    def _count_rolls(self) -> None:
        """Roll k of n: the rolls so far and, at this roll size, those the order's remaining labels still need."""
        assert self.report is not None and self.plan is not None
        self.report.rolls_total = self.plan.rolls_total()

    def _roll_check(self, roll: str) -> None:
        """Close the open roll once it is complete: no label on it waits for its verdict, and it holds its quota of
        good labels (the roll size, or the order's last labels). It can be handed over from then on; its label
        prints next."""
        assert self.report is not None and self.plan is not None
        if roll != self._open or any(i.serial is not None and i.roll == roll for i in self._inflight):
            return
        if self._good >= self._quota and self._good > 0:
            self.ledger.close_roll(roll)
            self.plan.closed(self._share, self._good)
            self.report.closed_rolls.append(roll)
            self._missing.append((roll, 0))
            self._open, self._good = None, 0
            self._count_rolls()
            self.on_update(self.report, "roll_closed")

    def _send_next(self, run_id: int, inflight: collections.deque[_InFlight]) -> _InFlight | None:
        """Send what comes next: a complete roll's label, else the next code on the open roll (opening a roll when
        none is, with the quota the order's plan gives it); None when nothing may go now (the open roll's last labels
        await their verdicts, the rolls cover the order, or the run is stopping)."""
        assert self.report is not None
        if self._missing:  # a complete roll is headed even when the run is stopping: it can then be handed over
            roll, started = self._missing.pop(0)
            return self._send_header(roll, reprint=started > 0)
        assert self.plan is not None
        if self._stop.is_set():
            return None
        if self._open is None:
            opened = self.plan.next_roll()
            if opened is None:
                return None
            number, self._quota = opened
            self._share = self._quota
            self._open, self._good = make_roll_id(self.options.order_id, number), 0
            self.ledger.open_roll(run_id, self._open, number)
            self.report.roll_number = number
            self._count_rolls()
        roll_id = self._open
        if self._good + sum(1 for i in inflight if i.serial is not None and i.roll == roll_id) >= self._quota:
            return None  # the roll may be full: the verdicts of its last labels decide
        serial, position = self.ledger.print_next_on_roll(self.options.order_id, roll_id, {"run": run_id}, SERIAL_LIMIT)
        values = code_values(self.home, serial, self.shared)
        label = self.renderer.render(self.template, values)
        item = _InFlight(serial, values["payload"], reference_for(label, self.template), roll_id, position, 0.0)
        self._print(label.image, item)
        return item

    def _send_header(self, roll: str, *, reprint: bool) -> _InFlight:
        """Print a complete roll's label, naming its own first and last good code and its count; recorded before it
        is sent and once it was sent whole (``station.rolls`` prints one outside a run the same way)."""
        values = header_values(self.home, roll, reprint=reprint, shared=self.shared)
        label = self.renderer.render(self.header_template, values)
        self.ledger.header_started(roll, header_record(values, reprint))
        # a header is judged on reading and grade only: its long barcode bars are not label defects to hunt
        item = _InFlight(None, roll, None, roll, 0, 0.0)
        self._print(label.image, item)
        self.ledger.header_printed(roll)
        return item

    def _print(self, image: Any, item: _InFlight) -> None:
        assert self.report is not None
        try:
            with device_errors():
                self.printer.print_image(image)
        except (PrintError, DeviceError) as err:
            # part of this label may have come out: its code is never used again. A printer that cannot be reached
            # (switched off, unplugged) is a fault like any other: the line waits for it, the others go on
            if item.serial is not None:
                self._reject(item, said("run.print_interrupted", reason=err.message), None)
            self._wait_for_printer(err.message)
            item.sent_at = time.monotonic()
            if item.serial is None:
                self._print(image, item)  # a header carries no code: it is simply sent again
            return
        item.sent_at = time.monotonic()
        if item.serial is None:
            self.report.headers += 1
        else:
            self.report.printed += 1
        status = self.printer.last_status
        if status is not None and not status.ready:  # unknown too: the next label waits until the printer answers
            self._wait_for_printer(status_text(status))

    # --- checking -----------------------------------------------------------------------------------

    def _voided(self, item: _InFlight) -> bool:
        """True when the label's code is already voided (its print was interrupted): nothing to capture."""
        return item.serial is not None and self.ledger.code(item.serial)["state"] is State.VOIDED  # type: ignore[index]

    def _capture(self, item: _InFlight) -> None:
        """Capture ``item``; when the line stops meanwhile, the label is left in flight (not captured again)."""
        try:
            self._capture_frame(item)
        except RunPaused:
            item.left = True
            raise

    def _capture_frame(self, item: _InFlight) -> None:
        """Wait for a frame taken after ``item`` came out that shows it, and keep that frame on the item.

        Frames that still show the label before it are the camera being behind (or the printer holding the label):
        the run waits, asking the printer now and then, and stops the line after ``keep_up_s`` without a frame of
        the label — its code is left in flight, never voided for a picture the camera did not take. A frame that
        shows no code (and a picture other than before the label was sent), or another code, past ``frame_timeout_s``
        is the label's picture and is judged as such.
        """
        assert self.report is not None
        opts = self.options
        latency = float(getattr(self.camera, "latency_s", 0.0))
        started = time.monotonic()
        late = False  # the wait went past frame_timeout_s: the camera is holding the line up
        picture: bytes | None = None  # the last stale frame's picture, and since when stale frames repeat it
        unchanged: bool | None = None  # the last stale frame showed no code (True) or the label before (False)
        same_since = started
        next_printer_check = started + opts.frame_timeout_s
        while True:
            now = time.monotonic()
            if now - started >= opts.keep_up_s or (self._stop.is_set() and now - started >= opts.frame_timeout_s):
                # frames of the label before (its code) are a camera behind; an unchanged picture with no code may
                # also be a label that never came out, or came out blank like the one before
                key = "run.nothing_new" if unchanged else "run.camera_behind"
                raise RunPaused(said(key, seconds=f"{opts.keep_up_s:g}"))
            try:
                with device_errors():
                    frame = self._newest(
                        self.camera.frame_after(max(item.sent_at, self._seen_until), opts.frame_timeout_s)
                    )
            except DeviceError as err:
                if not self._printer_fault():  # else the label waited in the printer; look for it again
                    self._camera_gone(said("run.camera_fault", reason=err.message))
                started, late, picture = time.monotonic(), False, None
                next_printer_check = started + opts.frame_timeout_s
                continue
            self._seen_until = max(self._seen_until, frame.captured_at - latency)
            seen = sight(frame.image, item.payload, self._previous)
            if seen is Sight.OTHER and self._before is not None and not _differs(frame.image, self._before):
                seen = Sight.PREVIOUS  # no code, but nothing new either: the picture from before the label was sent
                unchanged = True
            elif seen is Sight.PREVIOUS:
                unchanged = False
            now = time.monotonic()
            overdue = now - started >= opts.frame_timeout_s
            if seen is Sight.LABEL or (seen is Sight.OTHER and overdue):
                item.frame = frame
                self._previous = item.payload if seen is Sight.LABEL else self._previous
                self._before = _thumbnail(frame.image)
                if late:
                    self.report.camera_waits += 1
                    self._resumed(said("run.camera_late"), now - started)
                return
            if seen is Sight.OTHER:
                continue  # the label is not out yet, or does not read: look again until frame_timeout_s
            signature = _signature(frame.image)
            if signature != picture:
                picture, same_since = signature, now
            if now < next_printer_check:
                continue
            next_printer_check = now + opts.frame_timeout_s
            if self._printer_fault():  # the printer held the label; it is out now
                started, late, picture = time.monotonic(), False, None
                next_printer_check = started + opts.frame_timeout_s
            elif now - same_since >= opts.frame_timeout_s / 2:  # one picture over and over: a frozen camera
                self._camera_frozen(picture)
                started, late, picture = time.monotonic(), False, None
                next_printer_check = started + opts.frame_timeout_s
            elif not late:
                late = True
                self._waiting(said("run.camera_late"))

    def _newest(self, frame: Any) -> Any:
        """The camera's newest frame when it is newer than ``frame``: a run slower than the camera for a moment looks
        at the present, not at every frame it missed."""
        latest = self.camera.latest() if hasattr(self.camera, "latest") else None
        return latest if latest is not None and latest.seq > frame.seq else frame

    def _judge(self, item: _InFlight) -> None:
        """Verify the captured frame of ``item`` (a pure function of the frame) and record the verdict."""
        assert self.report is not None and item.frame is not None
        frame, item.frame = item.frame, None
        result = verify_frame(frame.image, item.payload, item.reference, self.options.min_grade)
        result.frame_seq, result.frame, result.captured_at = frame.seq, frame.image, frame.captured_at
        if item.serial is None:
            if not result.passed:  # the operator is told; a header carries no code, so nothing is voided
                self.report.header_rejects.append(f"{item.roll}: {result.reason_text()}")
            return
        if result.passed:
            checked = {"grade": result.grade, "letter": result.letter, "frame": result.frame_seq}
            self.ledger.transition(item.serial, "verify", {**checked, "parameters": recorded_parameters(result)})
            self.report.verified += 1
            self.report.grades[result.letter] += 1
            self._consecutive = 0
            self.report.last, self.report.last_reference = result, item.reference
            if item.roll == self._open:
                self._good += 1
            self.on_update(self.report, "verified")
            self._roll_check(item.roll)
            return
        self._reject(item, result.reason_text(), result)
        self._roll_check(item.roll)
        self._line_stop_check(result)

    def _reject(self, item: _InFlight, reason: str, result: VerifyResult | None) -> None:
        assert self.report is not None and item.serial is not None
        data: dict[str, Any] = {"reason": to_store(reason), "causes": ["interrupted"]}
        if result is not None:
            data.update(grade=result.grade, defects=[d.to_json() for d in result.defects])
            data.update(parameters=recorded_parameters(result), causes=causes_of(result))
        self.ledger.transition(item.serial, "reject", data)
        picture = None
        if result is not None and self.options.save_rejects and result.corners is not None:
            self._captures.mkdir(mode=0o700, parents=True, exist_ok=True)
            path = self._captures / f"reject-{item.serial}.png"
            if result.frame is not None:
                # 0600 from creation: a capture may show a code and its label
                ok, png = cv2.imencode(".png", annotate(result.frame, result, item.reference))
                if ok:
                    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                    with os.fdopen(fd, "wb") as fh:
                        fh.write(png.tobytes())
                    picture = str(path)
        self.report.rejected.append(
            Rejected(item.serial, make_code(self.home.key, item.serial), item.roll, item.position, reason, picture)
        )
        self.report.last, self.report.last_reference = result, item.reference
        self.on_update(self.report, "rejected")

    def _line_stop_check(self, result: VerifyResult) -> None:
        self._consecutive += 1
        dead = [d.location["dot"] for d in result.defects if d.kind == "dead_element"]
        # the same dead dot (±1) on two of the last three rejected labels is the print head, not the label
        for dot in dead:
            if any(abs(dot - earlier) <= 1 for seen in self._recent_dead_lists for earlier in seen):
                raise RunPaused(said("run.dead_dot", dot=dot))
        self._recent_dead_lists.append(dead)
        if self._consecutive >= self.options.max_consecutive_rejects:
            raise RunPaused(said("run.in_a_row", n=self._consecutive, reason=result.reason_text()))

    def _drain(self, inflight: collections.deque[_InFlight]) -> None:
        """Judge the labels already sent, so none is left unaccounted for when the run pauses; a label the camera
        never showed stays in flight (its code is not voided for a picture that was not taken)."""
        while inflight:
            item = inflight.popleft()
            if item.left:
                continue
            try:
                if item.frame is None:
                    self._capture(item)
                self._judge(item)
            except RunPaused:
                continue

    # --- faults -------------------------------------------------------------------------------------

    def _printer_fault(self) -> bool:
        status = self.printer.status()
        if status.ready:
            return False
        self._wait_for_printer(status_text(status))
        return True

    def _wait_for_printer(self, reason: str) -> None:
        self._pause_until(said("run.printer_fault", reason=reason), lambda: self.printer.status().ready)

    def _camera_gone(self, reason: str) -> None:
        """No frame at all: wait until frames come again."""

        def camera_back() -> bool:
            try:
                with device_errors():
                    self.camera.frame_after(time.monotonic(), 1.0)
            except DeviceError:
                return False
            return True

        self._pause_until(reason, camera_back)

    def _camera_frozen(self, picture: bytes | None) -> None:
        """The camera repeats one picture: wait until it shows another."""

        def camera_back() -> bool:
            try:
                with device_errors():
                    frame = self.camera.frame_after(time.monotonic(), 1.0)
            except DeviceError:
                return False
            return picture is None or _signature(frame.image) != picture

        self._pause_until(said("run.camera_frozen"), camera_back)

    def _frame_signature(self) -> bytes | None:
        latest = self.camera.latest() if hasattr(self.camera, "latest") else None
        return None if latest is None else _signature(latest.image)

    def _pause_until(self, reason: str, ready: Callable[[], bool]) -> None:
        self._waiting(reason)
        started = time.monotonic()
        while not ready():
            if self._stop.is_set():
                raise RunPaused(reason)
            if self.options.fault_timeout_s is not None and time.monotonic() - started > self.options.fault_timeout_s:
                raise RunPaused(reason)
            time.sleep(self.options.fault_poll_s)
        self._resumed(reason, time.monotonic() - started)

    def _waiting(self, reason: str) -> None:
        """The run waits for ``reason`` to clear: the report, the ledger and the screen say so."""
        assert self.report is not None
        self.report.status, self.report.reason = "waiting", reason
        self.ledger.set_run_status(self.report.run_id, "paused", reason)
        self.on_update(self.report, "waiting")

    def _resumed(self, reason: str, waited: float) -> None:
        """``reason`` cleared after ``waited`` seconds: the run goes on."""
        assert self.report is not None
        self.report.pauses.append((reason, waited))
        self.report.status, self.report.reason = "running", None
        self.ledger.set_run_status(self.report.run_id, "running", "resumed")
        self.on_update(self.report, "resumed")


def _thumbnail(image: np.ndarray) -> np.ndarray:
    return cv2.resize(image, (32, 18), interpolation=cv2.INTER_AREA).astype(np.float32)


def _differs(image: np.ndarray, before: np.ndarray) -> bool:
    """True when ``image`` shows something else than the picture ``before`` (a thumbnail) showed."""
    return float(np.abs(_thumbnail(image) - before).mean()) > NEW_PICTURE_LEVELS


def _signature(image: np.ndarray) -> bytes:
    small = cv2.resize(image, (32, 18), interpolation=cv2.INTER_AREA)
    return bytes((small // 8).tobytes())


__all__ = ["HEADER_TEMPLATE", "PrintRun", "RunOptions", "RunPaused", "RunReport", "clock"]
