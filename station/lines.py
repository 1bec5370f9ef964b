"""Several print lines printing one order side by side, each roll printed whole on one of them.

A line is a printer and the camera over its exit: ``[printer] uri`` with ``[verify] camera``, and each pair of
``[printer] more_lines`` (``Config.lines``). ``PrintLines`` does for several lines what ``station.run.PrintRun``
does for one, with the same ``execute`` and ``stop``: the start is put in order once (``station.run_plan.begin``),
then each line runs its own ``PrintRun`` in a thread of its own, with its own ledger connection, on its share of the
order's rolls. Every ledger guarantee of a single run holds line by line, and codes are taken from the ledger in a
transaction, so no code is printed twice and the rolls together hold the order's count.

The lines' reports are merged into one (the order's verified count, rejects and rolls in the order they came, each
line's own report in ``lines``), so the command and the app show a run of several lines as they show one. A line
that stops with an error stops the others; the error is raised once they have stopped.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from station.home import Home
from station.redact import masked
from station.run import DONE_STATES, PrintRun
from station.run_plan import LineDevices, LineStart, RollPlan, begin
from station.run_report import RunOptions, RunReport
from station.texts import t


class PrintLines:
    """One order printed on several lines at once. ``execute`` returns when every line has ended."""

    def __init__(
        self,
        home: Home,
        options: RunOptions,
        devices: list[tuple[LineDevices, Any, Any]],
        on_update: Callable[[RunReport, str], None] | None = None,
    ) -> None:
        self.home = home
        self.options = options
        self.devices = devices  # each line with its opened printer and camera
        self.on_update = on_update or (lambda report, what: None)
        self.runs: list[PrintRun] = []
        self.plan: RollPlan | None = None
        self._stop = threading.Event()
        self._runs_lock = threading.Lock()  # the lines' runs, for stop(): never held while a screen is told
        self._lock = threading.Lock()  # the reports
        self._telling = threading.Lock()  # one line's news at a time to the screen or the command
        self._reports: dict[int, RunReport] = {}  # each line's report, by line number (from 1)
        self._rejected: list[Any] = []  # every line's rejects and closed rolls, in the order they came
        self._closed: list[str] = []
        self._started = time.monotonic()

    def stop(self) -> None:
        """Ask every line to stop after its labels in flight (thread-safe)."""
        with self._runs_lock:
            self._stop.set()
            for run in self.runs:
                run.stop()

    def execute(self) -> RunReport:
        """Run (or resume) the order on every line with something to print, until each has ended."""
        ledger = self.home.ledger
        opts = self.options
        verified = sum(ledger.order_state_counts(opts.order_id).get(s, 0) for s in DONE_STATES)
        plan, starts = begin(
            ledger, opts.order_id, opts.template, opts.roll_size, [d for d, _, _ in self.devices], verified
        )
        self.plan = plan
        errors: list[BaseException] = []
        threads = []
        for start in starts:
            number = next(i for i, (d, _, _) in enumerate(self.devices, 1) if d == start.devices)
            _, printer, camera = self.devices[number - 1]
            thread = threading.Thread(
                target=self._line, args=(number, start, printer, camera, errors), name=f"line-{number}", daemon=True
            )
            threads.append(thread)
            thread.start()
        try:
            for thread in threads:
                thread.join()
        except KeyboardInterrupt:  # Ctrl+C: every line ends its labels in flight before the devices close
            self.stop()
            for thread in threads:
                thread.join()
            raise
        if errors:
            raise errors[0]
        report = self._merged(final=True)
        self.on_update(report, report.status)
        return report

    def _line(self, number: int, start: LineStart, printer: Any, camera: Any, errors: list[BaseException]) -> None:
        """One line's run, in its own thread with its own ledger connection; an error stops the other lines."""
        home = replace(self.home, _ledger=None, tightened=[])
        try:
            run = PrintRun(
                home,
                self.options,
                printer,
                camera,
                lambda report, what: self._updated(number, report, what),
                plan=self.plan,
                start=start,
            )
            with self._runs_lock:
                self.runs.append(run)
                if self._stop.is_set():
                    run.stop()
            report = run.execute()
            with self._lock:
                self._reports[number] = report
        except BaseException as err:  # noqa: BLE001 - handed to execute(), which raises it once every line has ended
            errors.append(err)
            self.stop()
        finally:
            home.close()

    def _updated(self, number: int, report: RunReport, what: str) -> None:
        """From a line's thread: merge its news into the order's report and pass that on."""
        with self._lock:
            report.line, report.printer = number, self.devices[number - 1][0].printer
            self._reports[number] = report
            if what == "rejected" and report.rejected:
                self._rejected.append(report.rejected[-1])
            if what == "roll_closed" and report.closed_rolls:
                self._closed.append(report.closed_rolls[-1])
            merged = self._merged(final=False)
        merged.last, merged.last_reference = report.last, report.last_reference
        merged.line = number  # the line this news is from
        if what in ("done", "stopped"):
            what = "line_" + what  # the order's own end is told once, when every line has ended
        with self._telling:
            self.on_update(merged, what)

    def _merged(self, *, final: bool) -> RunReport:
        """The order's report: the lines' reports added up."""
        assert self.plan is not None
        lines = [self._reports[n] for n in sorted(self._reports)]
        first = lines[0] if lines else None
        merged = RunReport(
            run_id=first.run_id if first else 0,
            order_id=self.options.order_id,
            target=self.plan.target,
            started=self._started,
        )
        merged.verified_before = min((r.verified_before for r in lines), default=0)
        merged.verified = merged.verified_before + sum(r.verified_now for r in lines)
        for r in lines:
            merged.printed += r.printed
            merged.headers += r.headers
            merged.camera_waits += r.camera_waits
            merged.voided_in_flight += r.voided_in_flight
            merged.header_rejects += r.header_rejects
            merged.pauses += r.pauses
            merged.grades.update(r.grades)
        # every reject and closed roll is told as it comes (PrintRun tells each): the lists hold them in that order
        merged.rejected, merged.closed_rolls = list(self._rejected), list(self._closed)
        merged.roll_number = max((r.roll_number for r in lines), default=0)
        merged.rolls_total = self.plan.rolls_total()
        merged.lines = lines
        merged.status, merged.reason = _status(lines, final, self.plan.covered())
        if final:
            merged.finished = time.monotonic()
            merged.verified = max(merged.verified, merged.verified_before)
        return merged


def line_text(report: RunReport) -> str:
    """One line of a run of several, for a person: its printer, roll, labels verified and rejected, rate and state."""
    state = t("run.status." + report.status)
    if report.reason:
        state = t("run.line_state", state=state, reason=report.reason)
    return t(
        "run.line",
        line=report.line,
        printer=masked(report.printer),
        roll=report.roll_number,
        verified=report.verified_now,
        rejected=len(report.rejected),
        rate=round(report.rate_per_min),
        state=state,
    )


def _status(lines: list[RunReport], final: bool, covered: bool) -> tuple[str, str | None]:
    """The order's status from its lines': paused or waiting when one is (saying which line and why), done when every
    line is, stopped otherwise."""
    for status in ("paused", "waiting"):
        for r in lines:
            if r.status == status:
                return status, t("run.line_reason", line=r.line, reason=r.reason)
    if not final:
        return "running", None
    return ("done" if covered and all(r.status == "done" for r in lines) else "stopped"), None


__all__ = ["PrintLines", "line_text"]
