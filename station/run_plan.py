"""Where each print line of an order's run starts, and which roll it opens next.

An order is printed on one line (a printer and the camera over its exit) or on several side by side. Either way a
start first puts the ledger in order, in the caller's thread and before any line sends a byte (``begin``):

- each line takes up its printer's unfinished run, or a new one (a single line whose printer printed none of the
  order takes up the order's latest unfinished run whatever its printer: the same printer may have a new address);
- each line takes up the roll its printer left open; a roll left open on a printer not in this start is closed as
  it is (it holds what it will ever hold: a roll is printed whole on one printer), and that printer's run ends;
- codes left in flight (recorded printed, never judged) are voided, all but the last label each line's printer put
  out, which may still be under its camera and is judged from a fresh frame;
- each complete roll whose own label is missing is headed by the line of the printer it came out of.

The lines then share one ``RollPlan``: a roll gets, when it opens, its quota of good labels (the roll size, or what
the order still needs), and together the rolls' quotas never exceed the order's count. So every roll but the last
holds the roll size whichever line printed it, and no line prints labels another already covers. Codes are taken
from the ledger one by one in a write transaction (``print_next_on_roll``): two lines never take the same code.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from station.ledger import Ledger, State
from station.redact import masked
from station.rolls import GOOD_STATES
from station.texts import said, to_store


@dataclass(frozen=True)
class LineDevices:
    """One print line: the printer's URI and the URI of the camera over its exit."""

    printer: str
    camera: str


@dataclass
class LineStart:
    """What one line takes up at a start."""

    devices: LineDevices
    solo: bool = True  # the order's only line: it takes up whatever the order's last run left
    run_id: int = 0  # 0 until ``begin`` gives the line its run
    open_roll: str | None = None  # the roll its printer left open, printed on further
    good: int = 0  # good labels already on that roll
    quota: int = 0  # the good labels that roll is to hold
    share: int = 0  # what the plan holds back for that roll: its quota, or more when it holds more already
    again: tuple[str, int] | None = None  # the roll and serial of a label in flight that may still be under the camera
    previous: tuple[str, int | None] | None = None  # the last label its printer put out (serial None: a roll's label)
    missing: list[tuple[str, int]] = field(default_factory=list)  # complete rolls it heads, with header prints so far
    voided: list[int] = field(default_factory=list)  # codes voided as in flight at this start, listed on its report


class RollPlan:
    """The order's rolls shared out among its lines: a roll's quota of good labels as it opens, roll numbers, and
    how many rolls the order comes to. Thread-safe."""

    def __init__(self, order_id: int, target: int, roll_size: int, done_elsewhere: int, numbered: int) -> None:
        self.order_id = order_id
        self.target = target
        self.roll_size = roll_size
        self._lock = threading.Lock()
        self._reserved = done_elsewhere  # good labels on closed rolls, plus every open roll's quota
        self._numbered = numbered  # the highest roll number so far

    def take_up(self, good: int, waiting: int = 0) -> int:
        """The quota of a roll a line prints on further, holding ``good`` good labels already and ``waiting``
        labels that await their verdict; its share is the larger of the quota and what it may come to hold."""
        with self._lock:
            quota = max(min(self.roll_size, self.target - self._reserved), 0)
            self._reserved += max(quota, good + waiting)
            return quota

    def closed(self, share: int, good: int) -> None:
        """A roll whose share was ``share`` was closed holding ``good`` good labels: the difference goes back to the
        order (a label taken up in flight that failed leaves one more for the next roll)."""
        with self._lock:
            self._reserved += good - share

    def next_roll(self) -> tuple[int, int] | None:
        """The number and quota of a new roll, or None when the rolls so far cover the order."""
        with self._lock:
            quota = min(self.roll_size, self.target - self._reserved)
            if quota <= 0:
                return None
            self._numbered += 1
            self._reserved += quota
            return self._numbered, quota

    @property
    def numbered(self) -> int:
        """The highest roll number so far."""
        with self._lock:
            return self._numbered

    def covered(self) -> bool:
        """Whether the rolls so far, once complete, hold the order's count."""
        with self._lock:
            return self._reserved >= self.target

    def rolls_total(self) -> int:
        """How many rolls the order comes to at this roll size: those numbered so far and those still needed."""
        with self._lock:
            return self._numbered + math.ceil(max(self.target - self._reserved, 0) / self.roll_size)


def begin(
    ledger: Ledger,
    order_id: int,
    template: str,
    roll_size: int,
    lines: list[LineDevices],
    verified: int,
) -> tuple[RollPlan, list[LineStart]]:
    """Put the ledger in order for a start of ``order_id`` on ``lines`` (see the module's text) and share the order's
    rolls among them; ``verified`` is the order's good labels so far. Returns the plan and the lines that have
    something to print (a single line always has: its start records a run)."""
    solo = len(lines) == 1
    starts = [LineStart(devices, solo) for devices in lines]
    unfinished = ledger.unfinished_runs(order_id)
    printer_of = {int(r["id"]): str(r["printer"]) for r in ledger.runs_of(order_id)}
    # a single line takes up another printer's run and roll only when its own printer printed none of the order (a
    # new address): a printer that did keeps to its own, as on several lines
    anyone = solo and masked(lines[0].printer) not in printer_of.values()
    for start in starts:
        on_printer = [r for r in unfinished if r["printer"] == masked(start.devices.printer)]
        mine = on_printer or (unfinished if anyone else [])
        if mine:
            start.run_id = int(mine[0]["id"])
            unfinished.remove(mine[0])
    for run in unfinished:  # its printer is not in this start: its roll is closed below, nothing is left for it
        ledger.set_run_status(int(run["id"]), "stopped", None)
    for start in starts:
        # a single line asks for the station's last label, as before several lines: its camera sees the same exit
        start.previous = ledger.last_label(None if solo else start.devices.printer)
        if start.previous is not None and start.previous[1] is not None:
            roll_id, serial = start.previous[0], start.previous[1]
            code = ledger.code(serial)
            if code is not None and code["order_id"] == order_id and code["state"] is State.PRINTED:
                start.again = (roll_id, serial)
    rolls = ledger.rolls(order_id)
    taken: set[str] = set()
    for start in starts:
        own = [
            r
            for r in rolls
            if r["closed_at"] is None
            and r["id"] not in taken
            and (anyone or printer_of.get(int(r["run_id"])) == masked(start.devices.printer))
        ]
        pick = [r for r in own if start.again is not None and r["id"] == start.again[0]] or own[-1:]
        if pick:
            start.open_roll = pick[0]["id"]
            start.good = sum(1 for _, s, st in pick[0]["labels"] if s is not None and st in GOOD_STATES)
            taken.add(pick[0]["id"])
    for roll in rolls:
        if roll["closed_at"] is None and roll["id"] not in taken:
            ledger.close_roll(roll["id"])  # its printer is not in this start: it holds what it will ever hold
    for roll_id, started in ledger.headers_missing(order_id):
        printer = printer_of.get(int(ledger.roll(roll_id)["run_id"]))
        line = next((s for s in starts if masked(s.devices.printer) == printer), starts[0])
        line.missing.append((roll_id, started))
    on_open = sum(s.good for s in starts if s.open_roll is not None)
    numbered = max((int(r["number"]) for r in rolls), default=0)
    plan = RollPlan(order_id, ledger.order(order_id)["count"], roll_size, verified - on_open, numbered)
    for start in starts:
        if start.open_roll is not None:
            waiting = 1 if start.again is not None and start.again[0] == start.open_roll else 0
            start.quota = plan.take_up(start.good, waiting)
            start.share = max(start.quota, start.good + waiting)
    for start in starts:
        if not solo and not (start.open_roll or start.again or start.missing or not plan.covered()):
            if start.run_id:  # nothing is left for it: its printer's run ends here
                ledger.set_run_status(start.run_id, "done", None)
            start.run_id = 0
        elif start.run_id:
            ledger.set_run_status(start.run_id, "running", "resumed")
        else:
            start.run_id = ledger.create_run(order_id, template, roll_size, start.devices.printer, start.devices.camera)
    busy = [s for s in starts if s.run_id] or starts[:1]
    keep = {s.again[1] for s in busy if s.again is not None}
    for serial in ledger.codes_in_state(order_id, State.PRINTED):
        if serial not in keep:
            reason = to_store(said("run.in_flight_void"))  # kept by key: said in the language on when shown
            ledger.transition(serial, "void", {"reason": reason, "run": busy[0].run_id or None})
            busy[0].voided.append(serial)
    return plan, [s for s in starts if s.run_id]


__all__ = ["LineDevices", "LineStart", "RollPlan", "begin"]
