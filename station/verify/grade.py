"""ISO/IEC 15415-style print-quality grading of a QR symbol against the symbol that was meant to be printed.

The camera frame is sampled at every module centre through the homography given by the symbol's corners;
each parameter is graded 4..0 (A..F) with the thresholds of DOMAIN.md §4 and the scan grade is the lowest.
Where the standard measures with a calibrated verifier (aperture, wavelength, reflectance), a camera can only
approximate: reflectance is grey level / 255, the synthetic aperture averages 3 × 3 points over the central 50 %
of a module (about 0.8 X of a thermal dot's module). Differences from the standard are noted per parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from station.qr import Symbol, _layout
from station.verify.codewords import CodewordMap, codeword_map

LETTERS = {4: "A", 3: "B", 2: "C", 1: "D", 0: "F"}
QUIET = 4
_OFFSETS = np.array([-0.25, 0.0, 0.25])


def grade_at_least(value: float, thresholds: tuple[float, float, float, float]) -> int:
    """4 for value ≥ thresholds[0] (A) … 1 for ≥ thresholds[3] (D), else 0 (F)."""
    for grade, limit in zip((4, 3, 2, 1), thresholds, strict=True):
        if value >= limit:
            return grade
    return 0


def grades_at_least(values: np.ndarray, thresholds: tuple[float, float, float, float]) -> np.ndarray:
    """grade_at_least for many values at once."""
    limits = np.array(thresholds[::-1])  # ascending: D, C, B, A
    return np.searchsorted(limits, values, side="right").astype(np.int64)


def grade_at_most(value: float, thresholds: tuple[float, float, float, float]) -> int:
    """4 for value ≤ thresholds[0] (A) … 1 for ≤ thresholds[3] (D), else 0 (F)."""
    for grade, limit in zip((4, 3, 2, 1), thresholds, strict=True):
        if value <= limit:
            return grade
    return 0


SC_LIMITS = (0.70, 0.55, 0.40, 0.20)
MOD_LIMITS = (0.50, 0.40, 0.30, 0.20)
UEC_LIMITS = (0.62, 0.50, 0.37, 0.25)
ANU_LIMITS = (0.06, 0.08, 0.10, 0.12)
GNU_LIMITS = (0.38, 0.50, 0.63, 0.75)


@dataclass
class Grade:
    """The grade of one symbol: each parameter's value and grade, and the overall grade."""

    parameters: dict[str, tuple[float, int]] = field(default_factory=dict)
    wrong_modules: np.ndarray | None = None  # bool, modules read as the wrong colour
    module_pixels: float = 0.0  # module size in frame pixels
    threshold: float | None = None  # global threshold, grey levels

    @property
    def grade(self) -> float:
        """The scan grade: the lowest parameter grade (4.0 … 0.0)."""
        return float(min((g for _, g in self.parameters.values()), default=0))

    @property
    def letter(self) -> str:
        """A, B, C, D or F."""
        return LETTERS[int(self.grade)]


def symbol_homography(corners: np.ndarray, modules: int) -> np.ndarray:
    """Module coordinates (0..modules on each axis, symbol orientation) to frame pixels."""
    square = np.array([[0, 0], [modules, 0], [modules, modules], [0, modules]], dtype=np.float32)
    return np.asarray(cv2.getPerspectiveTransform(square, corners.astype(np.float32)))


def sample_modules(gray: np.ndarray, homography: np.ndarray, first: int, count: int) -> np.ndarray:
    """Mean grey level (0..1) of modules first..first+count-1 on both axes, through a 3 × 3 point aperture."""
    centres = np.arange(first, first + count) + 0.5
    u = (centres[None, :, None, None] + _OFFSETS[None, None, None, :]) * np.ones((count, 1, 3, 1))
    v = (centres[:, None, None, None] + _OFFSETS[None, None, :, None]) * np.ones((1, count, 1, 3))
    pts = np.stack([np.broadcast_to(u, (count, count, 3, 3)), np.broadcast_to(v, (count, count, 3, 3))], axis=-1)
    flat = pts.reshape(-1, 1, 2).astype(np.float32)
    mapped = cv2.perspectiveTransform(flat, homography.astype(np.float64)).reshape(-1, 2)
    # maps shaped (rows, columns × 9): remap limits each side to 32767
    map_x = mapped[:, 0].reshape(count, count * 9).astype(np.float32)
    map_y = mapped[:, 1].reshape(count, count * 9).astype(np.float32)
    values = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(values.reshape(count, count, 9).mean(axis=2) / 255.0)


def _decodability(cmap: CodewordMap, errors: np.ndarray, cw_grades: np.ndarray) -> int:
    """ISO 15415 grading of a per-codeword measure together with error correction: for each level, codewords
    graded below it count as erasures; the level's score is the lower of the level and the notional UEC grade."""
    best = 0
    for level in (4, 3, 2, 1):
        notional = cmap.uec(errors, cw_grades < level)
        best = max(best, min(level, grade_at_least(notional, UEC_LIMITS)))
    return best


def _finder_segments(size: int) -> list[tuple[str, np.ndarray]]:
    """Module masks of each finder pattern with its separator, and of the two timing patterns."""
    segments = []
    for name, (r, c) in (
        ("finder top-left", (0, 0)),
        ("finder top-right", (0, size - 8)),
        ("finder bottom-left", (size - 8, 0)),
    ):
        mask = np.zeros((size, size), dtype=bool)
        mask[r : r + 8, c : c + 8] = True
        segments.append((name, mask))
    timing = np.zeros((size, size), dtype=bool)
    timing[6, 8 : size - 8] = True
    timing[8 : size - 8, 6] = True
    segments.append(("timing", timing))
    return segments


def grade_symbol(gray: np.ndarray, corners: np.ndarray, expected: Symbol, decoded: bool) -> Grade:
    """Grade the symbol whose four corners (TL, TR, BR, BL in symbol orientation) are at ``corners``."""
    n = expected.modules
    result = Grade()
    h = symbol_homography(corners, n)
    result.module_pixels = float(np.mean([np.linalg.norm(corners[i] - corners[(i + 1) % 4]) for i in range(4)]) / n)
    grid = sample_modules(gray, h, -QUIET, n + 2 * QUIET)
    symbol = grid[QUIET:-QUIET, QUIET:-QUIET]
    quiet = np.ones_like(grid, dtype=bool)
    quiet[QUIET:-QUIET, QUIET:-QUIET] = False

    r_max, r_min = float(grid.max()), float(grid.min())
    sc = r_max - r_min
    result.parameters["decode"] = (1.0 if decoded else 0.0, 4 if decoded else 0)
    result.parameters["symbol_contrast"] = (sc, grade_at_least(sc, SC_LIMITS))
    if sc <= 0.05:
        result.wrong_modules = np.ones((n, n), dtype=bool)
        for name in ("modulation", "reflectance_margin", "fixed_pattern_damage", "unused_error_correction"):
            result.parameters[name] = (0.0, 0)
        return result
    gt = (r_max + r_min) / 2
    result.threshold = gt * 255
    dark_expected = expected.matrix
    read_dark = symbol < gt
    wrong = read_dark != dark_expected
    result.wrong_modules = wrong
    modulation = 2 * np.abs(symbol - gt) / sc
    margin = np.where(wrong, 0.0, modulation)

    region, _function, _patterns = _layout(n)
    cmap = codeword_map(expected.version, expected.error)
    rows, cols = cmap.modules[..., 0], cmap.modules[..., 1]
    errors = cmap.codeword_errors(wrong)
    uec = cmap.uec(errors)
    result.parameters["unused_error_correction"] = (uec, grade_at_least(uec, UEC_LIMITS))
    cw_mod = modulation[rows, cols].min(axis=1)
    cw_mod_grades = grades_at_least(cw_mod, MOD_LIMITS)
    result.parameters["modulation"] = (float(cw_mod.min()), _decodability(cmap, errors, cw_mod_grades))
    cw_rm = margin[rows, cols].min(axis=1)
    cw_rm_grades = grades_at_least(cw_rm, MOD_LIMITS)
    result.parameters["reflectance_margin"] = (float(cw_rm.min()), _decodability(cmap, errors, cw_rm_grades))

    # fixed patterns: finders with separators, timing, and the quiet zone; a segment is graded by its
    # wrong modules (0 → A, 1 → B, 2 → C, 3 → D, more → F) and by its lowest module modulation
    fpd_grades = []
    for _name, mask in _finder_segments(n):
        bad = int(wrong[mask].sum())
        fpd_grades.append(min(max(0, 4 - bad), grade_at_least(float(modulation[mask].min()), MOD_LIMITS)))
    quiet_dark = int((grid[quiet] < gt).sum())
    quiet_mod = 2 * (grid[quiet] - gt) / sc
    fpd_grades.append(min(max(0, 4 - quiet_dark), grade_at_least(float(quiet_mod.min()), MOD_LIMITS)))
    fpd = min(fpd_grades)
    result.parameters["fixed_pattern_damage"] = (float(fpd), fpd)

    # axial non-uniformity from the symbol's sides; grid non-uniformity from the finder centres
    top = np.linalg.norm(corners[1] - corners[0])
    bottom = np.linalg.norm(corners[2] - corners[3])
    left = np.linalg.norm(corners[3] - corners[0])
    right = np.linalg.norm(corners[2] - corners[1])
    x_pitch, y_pitch = (top + bottom) / 2, (left + right) / 2
    anu = float(abs(x_pitch - y_pitch) / ((x_pitch + y_pitch) / 2))
    result.parameters["axial_nonuniformity"] = (anu, grade_at_most(anu, ANU_LIMITS))
    gnu = _grid_nonuniformity(gray, h, n, gt * 255)
    result.parameters["grid_nonuniformity"] = (gnu, grade_at_most(gnu, GNU_LIMITS))
    return result


def _centre(
    gray: np.ndarray, h: np.ndarray, cu: float, cv: float, threshold: float, radius: float
) -> tuple[float, float] | None:
    """Ink-weighted centre, in module coordinates, of the dark core around (cu, cv) within ``radius`` modules."""
    us = np.linspace(cu - radius, cu + radius, 15)
    vs = np.linspace(cv - radius, cv + radius, 15)
    uu, vv = np.meshgrid(us, vs)
    pts = np.stack([uu.ravel(), vv.ravel()], axis=1).reshape(-1, 1, 2).astype(np.float32)
    mapped = cv2.perspectiveTransform(pts, h).reshape(-1, 2)
    values = cv2.remap(
        gray,
        mapped[:, 0].reshape(1, -1).astype(np.float32),
        mapped[:, 1].reshape(1, -1).astype(np.float32),
        cv2.INTER_LINEAR,
    ).ravel()
    w = np.clip((threshold - values) / max(threshold, 1.0), 0, None)
    if w.sum() <= 0:
        return None
    return float((uu.ravel() * w).sum() / w.sum()), float((vv.ravel() * w).sum() / w.sum())


def refine_corners(gray: np.ndarray, corners: np.ndarray, version: int, threshold: float) -> np.ndarray:
    """Sub-pixel symbol corners from the measured centres of the three finder cores and of the alignment pattern
    nearest the fourth corner (reader corners are whole pixels; labels are compared far from the symbol)."""
    n = 17 + 4 * version
    h = symbol_homography(corners, n)
    ideal = [(3.5, 3.5), (n - 3.5, 3.5), (3.5, n - 3.5)]
    if version >= 2:
        ideal.append((n - 6.5, n - 6.5))
    measured_module = []
    for cu, cv in ideal:
        found = _centre(gray, h, cu, cv, threshold, 1.5 if (cu, cv) != ideal[-1] or version < 2 else 0.6)
        if found is None:
            return corners
        measured_module.append(found)
    src = np.array(ideal, dtype=np.float32)
    dst = cv2.perspectiveTransform(np.array(measured_module, np.float32).reshape(-1, 1, 2), h).reshape(-1, 2)
    if len(ideal) == 4:
        fine = cv2.getPerspectiveTransform(src, dst.astype(np.float32))
    else:
        fine = np.vstack([cv2.getAffineTransform(src, dst.astype(np.float32)), [0, 0, 1]])
    square = np.array([[0, 0], [n, 0], [n, n], [0, n]], dtype=np.float32).reshape(-1, 1, 2)
    refined = cv2.perspectiveTransform(square, fine.astype(np.float64)).reshape(-1, 2)
    if np.max(np.abs(refined - corners)) > 0.5 * np.linalg.norm(corners[1] - corners[0]) / n:
        return corners  # more than half a module away: the measurement is not trusted
    return np.asarray(refined, dtype=np.float64)


def _grid_nonuniformity(gray: np.ndarray, h: np.ndarray, n: int, threshold: float) -> float:
    """Largest distance, in modules, between a finder's measured centre and where the grid puts it."""
    worst = 0.0
    for cu, cv in ((3.5, 3.5), (n - 3.5, 3.5), (3.5, n - 3.5)):
        found = _centre(gray, h, cu, cv, threshold, 1.5)  # the 3 × 3 dark core of the finder
        if found is None:
            return 1.0
        worst = max(worst, float(np.hypot(found[0] - cu, found[1] - cv)))
    return worst


def grade_unknown_symbol(gray: np.ndarray, corners: np.ndarray, found: Any) -> Grade:
    """Grade a symbol the station did not make: contrast and module modulation from the frame, unused error
    correction as the reader estimated it; fixed-pattern and codeword analysis need the expected symbol."""
    result = Grade()
    result.parameters["decode"] = (1.0, 4)
    n = 17 + 4 * found.version if found.version else None
    if n is None:
        return result
    h = symbol_homography(corners, n)
    grid = sample_modules(gray, h, -QUIET, n + 2 * QUIET)
    sc = float(grid.max() - grid.min())
    result.parameters["symbol_contrast"] = (sc, grade_at_least(sc, SC_LIMITS))
    if sc > 0.05:
        gt = (float(grid.max()) + float(grid.min())) / 2
        modulation = 2 * np.abs(grid[QUIET:-QUIET, QUIET:-QUIET] - gt) / sc
        low = float(np.percentile(modulation, 2))
        result.parameters["modulation"] = (low, grade_at_least(low, MOD_LIMITS))
    if found.uec is not None:
        result.parameters["unused_error_correction"] = (found.uec, grade_at_least(found.uec, UEC_LIMITS))
    return result
