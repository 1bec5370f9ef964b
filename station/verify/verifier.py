"""Verifying one label in one camera frame: decode, match the expected payload, grade, find defects.

A label passes only when the code read is exactly the one just printed, its grade is at least the configured
minimum (default 2.0 = C) and no defect was found. Nothing is assumed: no frame, no decode, or a different code
is a failure.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, replace
from typing import Any

import cv2
import numpy as np
import segno

from station.qr import Symbol, make_symbol
from station.verify.decode import Decoded, decode_zbar, decode_zxing
from station.verify.defects import Comparison, Defect, Reference, compare
from station.verify.grade import (
    LETTERS,
    Grade,
    grade_symbol,
    grade_unknown_symbol,
    sample_modules,
    symbol_homography,
)

ROI_MARGIN = 0.25  # crop around the symbol for the second reader, as a fraction of its size (over 5 modules)
ZBAR_MODULE_PX = 3.2  # the module size the second reader's crop is scaled down to
FAINT_RATIO = 0.4  # ink brighter than this share of the paper's brightness is too faint


@dataclass
class VerifyResult:
    """Everything known about one label."""

    expected: str
    decoded: bool = False
    payload: str | None = None
    match: bool = False
    readers: dict[str, str | None] = field(default_factory=dict)
    seen: tuple[str, ...] = ()  # every payload read anywhere in the frame
    grade: float = 0.0
    parameters: dict[str, tuple[float, int]] = field(default_factory=dict)
    defects: list[Defect] = field(default_factory=list)
    passed: bool = False
    min_grade: float = 2.0
    corners: np.ndarray | None = None
    wrong_modules: np.ndarray | None = None
    comparison: Comparison | None = None
    milliseconds: float = 0.0
    frame_seq: int | None = None
    frame: np.ndarray | None = None  # the frame judged, kept by live verification for the reject picture
    captured_at: float | None = None  # when that frame was read (time.monotonic())

    @property
    def letter(self) -> str:
        """The grade as A–F."""
        return LETTERS[int(self.grade)]

    @property
    def reason(self) -> str:
        """Why the label failed, for the operator; empty when it passed."""
        if self.passed:
            return ""
        if not self.decoded:
            return "no code read"
        if not self.match:
            return f"wrong code: read {self.payload!r}"
        if self.grade < self.min_grade:
            worst = min(self.parameters.items(), key=lambda kv: kv[1][1])
            return f"grade {self.grade:.1f} ({self.letter}) below {self.min_grade:.1f}: {worst[0]}"
        return ", ".join(f"{d.kind} at {d.location}" for d in self.defects)

    def reason_text(self) -> str:
        """Why the label failed, in the station's language (``reason`` stays the fixed English of the JSON); a
        ``Said``, so a run that records it can say it again in another language."""
        from station.texts import said, said_joined

        if self.passed:
            return ""
        if not self.decoded:
            return said("why.no_code")
        if not self.match:
            return said("why.wrong_code", payload=self.payload or "")
        if self.grade < self.min_grade:
            worst = min(self.parameters.items(), key=lambda kv: kv[1][1])
            return said(
                "why.low_grade",
                grade=f"{self.grade:.1f}",
                letter=self.letter,
                min=f"{self.min_grade:.1f}",
                parameter=said("param." + worst[0]),
            )
        return said_joined("why.join", [_defect_text(d) for d in self.defects])

    def to_json(self) -> dict[str, Any]:
        """The JSON object of `station verify-image --json`."""
        return {
            "decoded": self.decoded,
            "payload": self.payload,
            "match": self.match,
            "grade": self.grade,
            "letter": self.letter,
            "parameters": {k: {"value": round(v, 4), "grade": g} for k, (v, g) in self.parameters.items()},
            "defects": [d.to_json() for d in self.defects],
            "passed": self.passed,
            "reason": self.reason,
            "readers": self.readers,
            "expected": self.expected,
            "ms": round(self.milliseconds, 2),
        }


def _defect_text(defect: Defect) -> str:
    """One defect for a person: what, and where on the label in dots."""
    from station.texts import said

    where = defect.location
    if "position" in where:
        place = said("why.at_char", line=where["line"], position=where["position"])
    elif "frame_x" in where:
        place = said("why.in_frame", x=where["frame_x"], y=where["frame_y"], w=where["frame_w"], h=where["frame_h"])
    elif "dot" in where:
        place = said("why.at_dot", dot=where["dot"])
    elif "x" in where:
        place = said("why.at_box", x=where["x"], y=where["y"], w=where["w"], h=where["h"])
    elif "row" in where:
        place = said("why.at_module", row=where["row"], column=where["column"])
    else:
        return said("defect." + defect.kind)
    return said("why.defect_at", defect=said("defect." + defect.kind), place=place)


def _corners(found: Decoded) -> np.ndarray:
    return np.array(found.corners, dtype=np.float64)


def _expected_symbol(found: Decoded, expected: str, reference: Reference | None, error: str | None) -> Symbol | None:
    """The symbol that should be in the frame, if the station can rebuild it.

    With a reference, it is the symbol the label was rendered with: the reference's data at the reference's error
    level (the template's), whose version and mask are the ones the renderer placed. Without one, it is the symbol
    this station would print for ``expected`` at the error level the reader reports (or ``error``), when its
    version and mask are the ones read; a symbol some other encoder made is None (graded from the frame alone).
    """
    if reference is not None:
        return reference.symbol()
    level = (found.ec_level or error or "m").lower()
    try:
        symbol = make_symbol(expected, level)
    except (ValueError, segno.DataOverflowError):
        return None
    if found.version is not None and symbol.version != found.version:
        return None
    if found.mask is not None and symbol.mask != found.mask:
        return None
    return symbol


def _symbol_defects(found: Decoded, expected: str, reference: Reference | None, symbol: Symbol) -> list[Defect]:
    """The symbol read is not the one meant: other data, error level, version or mask than the reference's."""
    wrong = []
    if reference is not None and reference.qr.data != expected:
        wrong.append(f"the reference holds {reference.qr.data!r}")
    if found.ec_level is not None and found.ec_level.upper() != symbol.error.upper():
        wrong.append(f"error level {found.ec_level} (printed {symbol.error})")
    if found.version is not None and found.version != symbol.version:
        wrong.append(f"version {found.version} (printed {symbol.version})")
    if found.mask is not None and found.mask != symbol.mask:
        wrong.append(f"mask {found.mask} (printed {symbol.mask})")
    if found.gs1 or found.eci not in ((), (26,)):
        wrong.append("GS1 or another character set than the label's")
    if not wrong:
        return []
    return [Defect("qr_symbol", {}, "; ".join(wrong))]


def _version(found: Decoded) -> int:
    return found.version or 1


def _crop(gray: np.ndarray, corners: np.ndarray) -> tuple[np.ndarray, tuple[int, int]]:
    """The frame around the symbol, and the crop's top-left corner in the frame."""
    x0, y0 = corners.min(axis=0)
    x1, y1 = corners.max(axis=0)
    pad = ROI_MARGIN * max(x1 - x0, y1 - y0)
    h, w = gray.shape
    left, top = max(0, int(x0 - pad)), max(0, int(y0 - pad))
    return gray[top : min(h, int(y1 + pad)), left : min(w, int(x1 + pad))], (left, top)


def _orient(gray: np.ndarray, corners: np.ndarray, symbol: Symbol) -> np.ndarray:
    """zbar's corner order is not the symbol's: keep the rotation whose sampled modules differ least from the
    symbol's (a plain sample at each module centre, thresholded half-way: cheap, and enough to tell 8 ways apart)."""
    best, best_wrong = corners, None
    n = symbol.modules
    for turn in range(4):
        rolled = np.roll(corners, turn, axis=0)
        for candidate in (rolled, rolled[::-1]):
            grid = sample_modules(gray, symbol_homography(candidate, n), 0, n)
            wrong = int(((grid < (grid.max() + grid.min()) / 2) != symbol.matrix).sum())
            if best_wrong is None or wrong < best_wrong:
                best, best_wrong = candidate, wrong
    return best


def _same_place(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two corner sets outline the same symbol: centres closer than half the smaller symbol's side."""
    side = min(float(np.ptp(a[:, 0])), float(np.ptp(b[:, 0])), float(np.ptp(a[:, 1])), float(np.ptp(b[:, 1])))
    return bool(np.linalg.norm(a.mean(axis=0) - b.mean(axis=0)) < max(side, 1.0) / 2)


def _other_symbols(chosen: Decoded, found: list[Decoded], expected: str, own: tuple[str, ...] = ()) -> list[Defect]:
    """Every symbol in the frame besides the one verified: one label, one symbol. A second symbol of the expected
    payload is a ``duplicate_symbol``, any other an ``extra_symbol``; both boxed in frame pixels. ``own`` are the
    data of the label's other QR symbols (a template may place more than one): each may be seen once."""
    defects: list[Defect] = []
    allowed = list(own)
    seen = [_corners(chosen)]
    for other in found:
        if len(other.corners) != 4:
            continue
        where = _corners(other)
        if any(_same_place(where, place) for place in seen):
            continue
        seen.append(where)
        x0, y0 = where.min(axis=0)
        x1, y1 = where.max(axis=0)
        box = {"frame_x": int(x0), "frame_y": int(y0), "frame_w": int(x1 - x0), "frame_h": int(y1 - y0)}
        if other.text in allowed:
            allowed.remove(other.text)  # another symbol the label itself carries
            continue
        if other.text == expected:
            defects.append(Defect("duplicate_symbol", box, "the expected payload a second time"))
        else:
            defects.append(Defect("extra_symbol", box, f"another symbol: {other.text!r}"))
    return defects


def _in_frame(found: list[Decoded], offset: tuple[int, int], scale: float) -> list[Decoded]:
    """Symbols read in a (resized) crop, with their corners in frame pixels."""
    dx, dy = offset
    return [replace(f, corners=tuple((int(x / scale) + dx, int(y / scale) + dy) for x, y in f.corners)) for f in found]


def verify_frame(
    gray: np.ndarray,
    expected: str,
    reference: Reference | None = None,
    min_grade: float = 2.0,
    error: str | None = None,
) -> VerifyResult:
    """Verify the label in ``gray`` (a grayscale frame) against the payload that was printed.

    ``reference`` is the label as rendered (its QR symbol, error level included, and its text); without one, the
    symbol is rebuilt for ``expected`` at the error level read (or ``error``).
    """
    started = time.perf_counter()
    if gray.ndim == 3:
        gray = cv2.cvtColor(gray, cv2.COLOR_BGR2GRAY)
    gray = np.ascontiguousarray(gray, dtype=np.uint8)
    result = VerifyResult(expected=expected, min_grade=min_grade)
    found = decode_zxing(gray)
    chosen = next((f for f in found if f.text == expected), found[0] if found else None)
    result.readers["zxing-cpp"] = chosen.text if chosen else None
    if chosen is not None and len(chosen.corners) == 4:
        crop, offset = _crop(gray, _corners(chosen))
        module = float(np.linalg.norm(_corners(chosen)[1] - _corners(chosen)[0])) / max(1, 17 + 4 * _version(chosen))
        scale = 1.0
        if module >= ZBAR_MODULE_PX * 1.25:  # zbar reads 3 px modules well: fewer pixels, less of its time
            scale = max(0.5, ZBAR_MODULE_PX / module)
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
        second = _in_frame(decode_zbar(crop), offset, scale)
    else:
        second = decode_zbar(gray)  # zxing saw nothing: the slow full-frame pass of the other reader
    zbar = next((f for f in second if f.text == expected), second[0] if second else None)
    result.seen = tuple(dict.fromkeys(f.text for f in found + second if f.text is not None))
    result.readers["zbar"] = zbar.text if zbar else None
    if chosen is None and zbar is not None and len(zbar.corners) == 4:
        chosen = zbar
    if chosen is None or chosen.text is None:
        result.milliseconds = (time.perf_counter() - started) * 1000
        return result
    result.decoded = True
    result.payload = chosen.text
    readings = {t for t in result.readers.values() if t is not None}
    result.match = chosen.text == expected and readings == {expected} and not chosen.gs1
    own = reference.other_qrs if reference is not None else ()
    result.defects += _other_symbols(chosen, found + second, expected, own)
    symbol = _expected_symbol(chosen, expected, reference, error)
    corners = _corners(chosen)
    if symbol is None:
        # a symbol this station did not make (no reference to compare with): graded from what the frame shows
        grade: Grade = grade_unknown_symbol(gray, corners, chosen)
        result.parameters, result.grade = grade.parameters, grade.grade
        result.corners = corners
        result.passed = result.match and result.grade >= min_grade and not result.defects
        result.milliseconds = (time.perf_counter() - started) * 1000
        return result
    result.defects += _symbol_defects(chosen, expected, reference, symbol)
    if chosen.reader == "zbar":
        corners = _orient(gray, corners, symbol)
    grade = grade_symbol(gray, corners, symbol, decoded=True)
    if grade.corners is not None:
        corners = grade.corners  # refined to a fraction of a pixel: the grade was measured from them
    result.corners = corners
    result.parameters = grade.parameters
    result.grade = grade.grade
    result.wrong_modules = grade.wrong_modules
    if grade.wrong_modules is not None and grade.wrong_modules.any():
        result.defects.append(_module_defect(grade.wrong_modules, reference))
    if reference is not None and result.match:
        result.comparison = compare(gray, corners, reference)
        result.defects += result.comparison.defects
        if result.comparison.paper > 0 and result.comparison.ink / result.comparison.paper > FAINT_RATIO:
            result.defects.append(
                Defect(
                    "faint",
                    {},
                    f"ink reads {result.comparison.ink / result.comparison.paper:.0%} "
                    "of the paper's brightness: print darkness too low",
                )
            )
    result.passed = result.match and result.grade >= min_grade and not result.defects
    result.milliseconds = (time.perf_counter() - started) * 1000
    return result


def _module_defect(wrong: np.ndarray, reference: Reference | None) -> Defect:
    """Modules read as the wrong colour: a void or smear in the symbol, located in label dots when known."""
    rows, cols = np.nonzero(wrong)
    count = int(rows.size)
    if reference is None:
        return Defect(
            "qr_modules",
            {"row": int(rows.min()), "column": int(cols.min()), "modules": count},
            f"{count} module(s) read as the wrong colour",
        )
    q = reference.qr
    x0, y0 = q.x + int(cols.min()) * q.module_dots, q.y + int(rows.min()) * q.module_dots
    w = (int(cols.max()) - int(cols.min()) + 1) * q.module_dots
    h = (int(rows.max()) - int(rows.min()) + 1) * q.module_dots
    return Defect(
        "qr_modules",
        {"x": x0, "y": y0, "w": w, "h": h, "modules": count},
        f"{count} module(s) read as the wrong colour",
    )


def annotate(gray: np.ndarray, result: VerifyResult, reference: Reference | None = None) -> np.ndarray:
    """The frame in colour with the symbol outline (green pass, red fail), wrong modules and defects marked."""
    canvas = cv2.cvtColor(gray, cv2.COLOR_GRAY2BGR) if gray.ndim == 2 else gray.copy()
    ok = (0, 170, 0)
    bad = (0, 0, 230)
    colour = ok if result.passed else bad
    if result.corners is not None:
        pts = result.corners.astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(canvas, [pts], True, colour, 2)
        if result.wrong_modules is not None and result.wrong_modules.any():
            n = result.wrong_modules.shape[0]
            h = cv2.getPerspectiveTransform(
                np.array([[0, 0], [n, 0], [n, n], [0, n]], np.float32), result.corners.astype(np.float32)
            )
            rows, cols = np.nonzero(result.wrong_modules)
            centres = np.stack([cols + 0.5, rows + 0.5], axis=1).reshape(-1, 1, 2).astype(np.float32)
            for x, y in cv2.perspectiveTransform(centres, h).reshape(-1, 2):
                cv2.circle(canvas, (int(x), int(y)), 3, bad, -1)
    for defect in result.defects:
        loc = defect.location
        if "frame_x" in loc:  # another symbol in the frame, boxed where the camera saw it
            x, y = loc["frame_x"], loc["frame_y"]
            cv2.rectangle(canvas, (x, y), (x + loc["frame_w"], y + loc["frame_h"]), bad, 2)
            cv2.putText(canvas, defect.kind, (x, max(12, y - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, bad, 1)
    comparison = result.comparison
    if comparison is not None and reference is not None:
        for defect in result.defects:
            loc = defect.location
            if defect.kind == "dead_element":
                x0, y0, x1, y1 = reference.head_line(loc["dot"])
                line = np.array([[[x0, y0]], [[x1, y1]]], np.float32)
            elif {"x", "y", "w", "h"} <= set(loc):
                bx, by, bw, bh = loc["x"], loc["y"], loc["w"], loc["h"]
                line = np.array([[[bx, by]], [[bx + bw, by]], [[bx + bw, by + bh]], [[bx, by + bh]]], np.float32)
            else:
                continue
            mapped = cv2.perspectiveTransform(line, comparison.homography).astype(np.int32)
            cv2.polylines(canvas, [mapped], defect.kind != "dead_element", bad, 2)
            anchor = tuple(int(v) for v in mapped[0][0])
            cv2.putText(canvas, defect.kind, anchor, cv2.FONT_HERSHEY_SIMPLEX, 0.5, bad, 1)
    text = f"{result.letter} {result.grade:.1f} {'PASS' if result.passed else 'FAIL'}"
    cv2.putText(canvas, text, (10, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.9, colour, 2)
    return canvas
