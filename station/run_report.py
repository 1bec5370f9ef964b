"""What a print run is asked to do (``RunOptions``) and what it tells as it goes (``RunReport``): one line's run, or
the order's report of several lines (``station.lines``), read the same way by the command and the app."""

from __future__ import annotations

import collections
import time
from dataclasses import dataclass, field

from station.texts import t
from station.verify.defects import Reference
from station.verify.verifier import VerifyResult


@dataclass
class RunOptions:
    """What to print, on what, and how strict to be."""

    order_id: int
    template: str = "trace-40x30"
    roll_size: int = 500
    min_grade: float = 2.0
    max_consecutive_rejects: int = 3
    frame_timeout_s: float = 2.0
    keep_up_s: float = 10.0  # longest wait for a frame showing the label just sent before the line stops
    fault_poll_s: float = 0.3
    fault_timeout_s: float | None = None  # None: wait for the operator as long as it takes
    save_rejects: bool = True


@dataclass
class Rejected:
    """A label that failed: its code is voided; the operator removes it from the roll."""

    serial: int
    code: str
    roll: str
    position: int
    reason: str
    picture: str | None = None


@dataclass
class RunReport:
    """The state of a run, updated as it goes."""

    run_id: int
    order_id: int
    target: int
    status: str = "running"
    reason: str | None = None
    verified: int = 0
    printed: int = 0
    headers: int = 0
    rejected: list[Rejected] = field(default_factory=list)
    voided_in_flight: list[int] = field(default_factory=list)
    header_rejects: list[str] = field(default_factory=list)
    grades: collections.Counter[str] = field(default_factory=collections.Counter)
    pauses: list[tuple[str, float]] = field(default_factory=list)
    camera_waits: int = 0  # labels whose frame came only after frame_timeout_s: the run waited for the camera
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    last: VerifyResult | None = None
    last_reference: Reference | None = None  # what the last judged label was meant to look like
    verified_before: int = 0  # the order's verified codes when this start began: labels of earlier starts
    roll_number: int = 0  # the roll being printed (or the last one), k of "roll k of n"
    rolls_total: int = 0  # n: the rolls printed so far and those still to come at this roll size
    closed_rolls: list[str] = field(default_factory=list)  # rolls completed by this start: each can be handed over
    line: int = 0  # with several lines: which one printed this (from 1; the order's report: which one it is news of)
    printer: str = ""
    lines: list[RunReport] = field(default_factory=list)  # the order's report of several lines: each line's own

    @property
    def seconds(self) -> float:
        """Time so far."""
        return (self.finished or time.monotonic()) - self.started

    @property
    def verified_now(self) -> int:
        """Labels verified since this start (a resumed run's earlier labels are not counted)."""
        return self.verified - self.verified_before

    @property
    def rate_per_min(self) -> float:
        """Labels verified per minute since this start."""
        return 60 * self.verified_now / self.seconds if self.seconds > 0 else 0.0

    @property
    def seconds_left(self) -> float | None:
        """Time until the order has its count at this start's rate; None before the first label of this start."""
        left = max(self.target - self.verified, 0)
        if left == 0:
            return 0.0
        rate = self.rate_per_min
        return left * 60 / rate if rate > 0 else None

    def progress(self) -> str:
        """Where the run is, for a person: roll k of n, verified of target, rejects, this start's rate, time left."""
        from station.texts import t

        return t(
            "run.progress_rolls",
            roll=self.roll_number,
            rolls=self.rolls_total,
            verified=self.verified,
            target=self.target,
            rejected=len(self.rejected),
            rate=round(self.rate_per_min),
            left=clock(self.seconds_left),
        )

    def summary(self) -> str:
        """How the run ended, for a person: status, verified of target, voided, time and rate."""
        from station.texts import t

        return t(
            "run.summary",
            status=t("run.status." + self.status),
            verified=self.verified,
            target=self.target,
            rejected=len(self.rejected),
            seconds=round(self.seconds, 1),
            rate=round(self.rate_per_min),
        )


class RunPaused(Exception):
    """The run must wait for the operator (line stop) or gave up waiting for a fault to clear."""


def clock(seconds: float | None) -> str:
    """A time left as h:mm:ss or m:ss, or the catalogue's word for not yet known."""
    if seconds is None:
        return t("run.left_unknown")
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


__all__ = ["Rejected", "RunOptions", "RunPaused", "RunReport", "clock"]
