"""Print quality over the whole history: every check the print runs recorded, narrowed by order, roll and date.

One pass over the ledger's verification events (``code.verify`` and ``code.reject``, read in slices) gives the
counts per letter, each grading parameter's distribution over the grades A–F and its trend from the oldest check
to the newest, and the rejects counted by cause. The pass keeps only event ids for the list of checks, so a page
of it is read afterwards by id, whatever the number of checks.

Checks recorded before the runs wrote each parameter (``parameters`` in the event) count in the letters and the
rejects, not in the parameters' figures.
"""

from __future__ import annotations

import collections
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from station.codes import group, make_code
from station.home import Home
from station.texts import TEXTS, from_store, language, tr
from station.verify.grade import ANU_LIMITS, GNU_LIMITS, MEASURED, MOD_LIMITS, SC_LIMITS, UEC_LIMITS
from station.zones import DEFAULT_ZONE, zone

CHECK_KINDS = ("code.verify", "code.reject")
PAGE_ROWS = 20  # checks per page on the QC screen
TREND_POINTS = 24  # a trend has at most this many points, oldest to newest
LETTERS = ("A", "B", "C", "D", "F")
PARAMETERS = MEASURED
# Where a parameter's trend bar is empty (at its D limit or worse) and full (at its A limit or better): the bars of
# every parameter then read alike, full for A. Decode and fixed pattern damage record their grade, 0..4; reflectance
# margin is graded on modulation's limits.
_SCALE = {
    "decode": (0.0, 1.0),
    "symbol_contrast": (SC_LIMITS[3], SC_LIMITS[0]),
    "modulation": (MOD_LIMITS[3], MOD_LIMITS[0]),
    "reflectance_margin": (MOD_LIMITS[3], MOD_LIMITS[0]),
    "fixed_pattern_damage": (1.0, 4.0),
    "axial_nonuniformity": (ANU_LIMITS[3], ANU_LIMITS[0]),
    "grid_nonuniformity": (GNU_LIMITS[3], GNU_LIMITS[0]),
    "unused_error_correction": (UEC_LIMITS[3], UEC_LIMITS[0]),
}
_BARS = "▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class QcFilter:
    """Which checks count: of one order, of one roll, between two local dates (inclusive); None is no limit."""

    order_id: int | None = None
    roll: str | None = None
    since: date | None = None
    until: date | None = None
    zone: str = DEFAULT_ZONE

    def utc_bounds(self) -> tuple[str | None, str | None]:
        """The date range as the ledger's UTC timestamps: from the first day's local midnight to the day after the
        last's (exclusive)."""

        def stamp(day: date) -> str:
            local = datetime.combine(day, time(0), tzinfo=zone(self.zone))
            return local.astimezone(zone("UTC")).strftime("%Y-%m-%dT%H:%M:%S.%fZ")

        return (
            None if self.since is None else stamp(self.since),
            None if self.until is None else stamp(self.until + timedelta(days=1)),
        )


@dataclass
class ParameterFigures:
    """One grading parameter over the checks that recorded it: how many got each grade (4 = A … 0 = F), the mean
    value, and the trend: the means of up to TREND_POINTS consecutive runs of checks of (nearly) equal length,
    oldest first."""

    grades: dict[int, int] = field(default_factory=dict)
    total: int = 0
    mean: float | None = None
    trend: list[float] = field(default_factory=list)


def parameter_figures(values: Any, grades: Any, points: int = TREND_POINTS) -> ParameterFigures:
    """The figures of one parameter from its values and grades in time order (grade -1: not recorded)."""
    import numpy as np

    kept = grades >= 0
    values, grades = values[kept].astype(np.float64), grades[kept]
    if not values.size:
        return ParameterFigures()
    counts = {g: int(n) for g, n in enumerate(np.bincount(grades, minlength=5)) if n}
    trend = [float(part.mean()) for part in np.array_split(values, min(points, values.size))]
    return ParameterFigures(counts, int(values.size), float(values.mean()), trend)


@dataclass
class QcSummary:
    """The checks a filter lets through: totals, letters, each parameter's figures, rejects by cause, and the event
    ids of the checks (and of the rejects alone) for the list, oldest first."""

    checks: int = 0
    rejected: int = 0
    letters: collections.Counter[str] = field(default_factory=collections.Counter)
    parameters: dict[str, ParameterFigures] = field(default_factory=lambda: {p: ParameterFigures() for p in PARAMETERS})
    measured: array[float] = field(default_factory=lambda: array("f"))  # PARAMETERS' values, check after check
    graded: array[int] = field(default_factory=lambda: array("b"))  # their grades; -1 where one was not recorded
    causes: collections.Counter[str] = field(default_factory=collections.Counter)
    check_ids: array[int] = field(default_factory=lambda: array("q"))
    reject_ids: array[int] = field(default_factory=lambda: array("q"))

    def pages(self, rejects_only: bool) -> int:
        """How many pages the list has (at least one, empty)."""
        ids = self.reject_ids if rejects_only else self.check_ids
        return max(1, -(-len(ids) // PAGE_ROWS))

    def page_ids(self, page: int, rejects_only: bool) -> list[int]:
        """The event ids on page ``page`` (0 = the newest checks), newest first."""
        ids = self.reject_ids if rejects_only else self.check_ids
        end = len(ids) - page * PAGE_ROWS
        return [] if end <= 0 else list(reversed(ids[max(0, end - PAGE_ROWS) : end]))


def causes_of(result: Any) -> list[str]:
    """Why a label was rejected, as fixed names to count by: no_code, wrong_code, low_grade:<parameter>, or
    defect:<kind> for each kind of defect found."""
    if not result.decoded:
        return ["no_code"]
    if not result.match:
        return ["wrong_code"]
    if result.grade < result.min_grade and result.parameters:
        worst = min(result.parameters.items(), key=lambda kv: kv[1][1])
        return [f"low_grade:{worst[0]}"]
    return sorted({f"defect:{d.kind}" for d in result.defects}) or ["other"]


def recorded_parameters(result: Any) -> dict[str, list[float | int]]:
    """A result's parameters as the ledger keeps them with each check: name → [value to 3 decimals, grade]."""
    return {name: [round(float(value), 3), int(grade)] for name, (value, grade) in result.parameters.items()}


def _event_causes(data: dict[str, Any]) -> list[str]:
    """The causes of a recorded reject; for one recorded before causes were, its defects' kinds or its reason."""
    if data.get("causes"):
        return [str(c) for c in data["causes"]]
    kinds = sorted({f"defect:{d.get('kind')}" for d in data.get("defects") or [] if isinstance(d, dict)})
    return kinds or ["text:" + str(data.get("reason", ""))]


def _checks(home: Home, qc_filter: QcFilter) -> Iterator[dict[str, Any]]:
    """The check events the filter lets through, oldest first."""
    ledger = home.ledger
    serials: set[int] | None = None
    order_id = qc_filter.order_id
    if qc_filter.roll is not None:
        roll = ledger.roll(qc_filter.roll)
        if order_id is not None and roll["order_id"] != order_id:
            return
        order_id = roll["order_id"]
        serials = {serial for _pos, serial, _state in roll["labels"] if serial is not None}
    elif order_id is not None:
        ledger.order(order_id)  # an unknown order is an error, not an empty screen
    since, until = qc_filter.utc_bounds()
    if serials is not None:  # a roll's labels: each code's own events, by its index, put back in time order
        found = [e for serial in serials for e in ledger.events_of(CHECK_KINDS, serial=serial)]
        events: Iterable[dict[str, Any]] = sorted(found, key=lambda e: int(e["id"]))
    else:
        events = ledger.events_of(CHECK_KINDS, order_id=order_id)
    for event in events:
        if (since is not None and event["at"] < since) or (until is not None and event["at"] >= until):
            continue
        yield event


def qc_summary(home: Home, qc_filter: QcFilter | None = None) -> QcSummary:
    """Every check the filter lets through, counted in one pass (each parameter's values kept as 4-byte floats,
    36 bytes a check with the grades and ids)."""
    import numpy as np

    summary = QcSummary()
    for event in _checks(home, qc_filter or QcFilter()):
        data = event["data"]
        summary.checks += 1
        summary.check_ids.append(int(event["id"]))
        if event["kind"] == "code.reject":
            summary.rejected += 1
            summary.reject_ids.append(int(event["id"]))
            summary.causes.update(_event_causes(data))
        else:
            summary.letters[str(data.get("letter", "?"))] += 1
        recorded = data.get("parameters")
        if recorded:
            pairs = [recorded.get(name) for name in PARAMETERS]
            summary.measured.extend(float(p[0]) if p else 0.0 for p in pairs)
            summary.graded.extend(int(p[1]) if p else -1 for p in pairs)
    values = np.frombuffer(summary.measured, dtype=np.float32).reshape(-1, len(PARAMETERS))
    grades = np.frombuffer(summary.graded, dtype=np.int8).reshape(-1, len(PARAMETERS))
    for i, name in enumerate(PARAMETERS):
        summary.parameters[name] = parameter_figures(values[:, i], grades[:, i])
    return summary


def check_rows(home: Home, ids: list[int]) -> list[dict[str, Any]]:
    """The checks with these event ids, for the list: time, code, roll, verdict, grade, reason (in the language on
    now; one recorded as text, as it was) and causes, reject picture."""
    rows = []
    for event_id in ids:
        found = home.ledger.events(after=event_id - 1, limit=1)
        if not found:
            continue
        event = found[0]
        serial, data = event["serial"], event["data"]
        rejected = event["kind"] == "code.reject"
        pictures = sorted(home.path.glob(f"captures/run-*/reject-{serial}.png")) if rejected else []
        rows.append(
            {
                "id": event_id,
                "at": event["at"],
                "serial": serial,
                "code": group(make_code(home.key, serial)),
                "roll": home.ledger.roll_of(serial) or "",
                "rejected": rejected,
                "grade": data.get("grade"),
                "letter": data.get("letter"),
                "reason": from_store(data.get("reason", "")) if rejected else "",
                "causes": list(data.get("causes") or []) if rejected else [],
                "picture": str(pictures[-1]) if pictures else None,
            }
        )
    return rows


def trend_bars(name: str, means: list[float]) -> str:
    """A parameter's trend as a line of bars, oldest first: empty at its D limit or worse, full at its A limit or
    better."""
    low, high = _SCALE[name]
    bars = []
    for value in means:
        share = min(max((value - low) / (high - low), 0.0), 1.0)
        bars.append(_BARS[round(share * (len(_BARS) - 1))])
    return "".join(bars)


LABEL_MARGIN = 0.08  # of the label's size, kept around it when a reject's picture is cut to the label


def reject_picture(path: str | None) -> Any:
    """A reject's saved picture (the camera frame with what was found drawn in red) as an RGB array, cut to the
    label so the label fills the view; None when there is no picture."""
    if not path or not Path(path).exists():
        return None
    import cv2
    import numpy as np

    frame = cv2.imread(path, cv2.IMREAD_COLOR)
    if frame is None:
        return None
    rgb = np.ascontiguousarray(frame[:, :, ::-1])
    x0, y0, x1, y1 = label_box(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    return rgb[y0:y1, x0:x1]


def label_box(gray: Any) -> tuple[int, int, int, int]:
    """Where the label is in a camera frame: the largest bright (paper) region, with a margin, as x0, y0, x1, y1;
    the whole frame when no region looks like a label (under 2 % or over 90 % of the frame)."""
    import cv2
    import numpy as np

    h, w = gray.shape
    _level, paper = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    paper = cv2.morphologyEx(paper, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))  # the print is part of the label
    count, _labels, stats, _centres = cv2.connectedComponentsWithStats(paper)
    if count < 2:
        return 0, 0, w, h
    biggest = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
    x, y, bw, bh, area = (int(v) for v in stats[biggest])
    if not 0.02 * w * h <= area <= 0.9 * w * h:
        return 0, 0, w, h
    mx, my = int(bw * LABEL_MARGIN), int(bh * LABEL_MARGIN)
    return max(x - mx, 0), max(y - my, 0), min(x + bw + mx, w), min(y + bh + my, h)


def label_and_frame(reference: Any, result: Any) -> tuple[Any, Any]:
    """The label as rendered (grey, 0 ink … 255 paper) and the camera's view of it (None without a frame).

    The camera frame is cut to the label: the verifier's homography maps the label's corners into the frame."""
    import numpy as np

    label = np.where(reference.image, 0, 255).astype(np.uint8)
    frame = getattr(result, "frame", None)
    if frame is None:
        return label, None
    comparison = getattr(result, "comparison", None)
    if comparison is not None:
        h, w = label.shape
        corners = np.array([[0, 0, 1], [w, 0, 1], [w, h, 1], [0, h, 1]], dtype=np.float64) @ comparison.homography.T
        xs, ys = corners[:, 0] / corners[:, 2], corners[:, 1] / corners[:, 2]
        margin = 0.05 * (xs.max() - xs.min())
        x0, x1 = int(max(xs.min() - margin, 0)), int(min(xs.max() + margin, frame.shape[1]))
        y0, y1 = int(max(ys.min() - margin, 0)), int(min(ys.max() + margin, frame.shape[0]))
        if x1 - x0 > 8 and y1 - y0 > 8:
            frame = frame[y0:y1, x0:x1]
    return label, frame


def cause_text(cause: str, lang: str | None = None) -> str:
    """A reject cause for people (in ``lang``, else the current language): no code, wrong code, low grade with
    the parameter, a defect kind; a reason recorded before causes were is shown as it was recorded."""
    lang = lang or language()
    kind, _, detail = cause.partition(":")
    if kind == "text":
        return from_store(detail, lang)
    if kind == "low_grade":
        shown = tr(lang, "param." + detail) if "param." + detail in TEXTS else detail
        return tr(lang, "tui.qc.cause.low_grade", parameter=shown)
    if kind == "defect":
        return tr(lang, "defect." + detail) if "defect." + detail in TEXTS else detail
    key = "tui.qc.cause." + kind
    return tr(lang, key) if key in TEXTS else cause
