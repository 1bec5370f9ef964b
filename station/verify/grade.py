"""ISO/IEC 15415-style print-quality grading of a QR symbol against the symbol that was meant to be printed.

The symbol's module grid is fitted to the measured centres of its fixed patterns (finder cores, alignment
patterns, dark timing modules), every module is sampled through that grid, and each parameter is graded 4..0
(A..F) with the thresholds of DOMAIN.md §4; the scan grade is the lowest. Where the standard measures with a
calibrated verifier (aperture, wavelength, reflectance), a camera can only approximate: reflectance is grey
level / 255, the synthetic aperture averages 3 × 3 points over the central 50 % of a module (about 0.8 X of a
thermal dot's module). Differences from the standard are noted per parameter and in docs/verification.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import cv2
import numpy as np

from station.qr import Symbol
from station.verify.codewords import CodewordMap, codeword_map
from station.verify.patterns import features, fixed_matrix, modules_of, segments

LETTERS = {4: "A", 3: "B", 2: "C", 1: "D", 0: "F"}
QUIET = 4
_OFFSETS = np.array([-0.25, 0.0, 0.25])
_CENTRE = np.array([0.0])
STEPS = (0.125, 0.0625)  # spacing, in modules, of the samples a fixed pattern's centre is measured from
STEP_PIXELS = 1.0  # the coarser spacing while it is at most this many frame pixels: finer sampling for big modules
TIMING_REACH = 1.0  # a dark timing module is measured within ± this along its line: its light neighbours
OUTLIER = 0.04  # modules: a centre further than this from the fit over all centres, and further than
OUTLIER_SPREAD = 3.0  # this many times their typical distance from it (1.4826 × median), is left out of the grid
MISSING = 1.0  # the deviation recorded for a fixed pattern with no ink where it should be
REMEASURE = 0.1  # modules: a first fit that moved the grid this far is measured again through it,
SETTLED = 0.1  # and again while a fit still moves it this far,
PASSES = 4  # up to this many measurements of the centres in all
TRUST = 1.0  # modules: fitted corners further than this from the reader's are not trusted
REFERENCE_PX = 2  # pixels per module of the clean image the reference decoder reads


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
NO_SYMBOL = 0.05  # symbol contrast at or below this: nothing to grade
MEASURED = (
    "decode",
    "symbol_contrast",
    "modulation",
    "reflectance_margin",
    "fixed_pattern_damage",
    "axial_nonuniformity",
    "grid_nonuniformity",
    "unused_error_correction",
)


@dataclass
class Grade:
    """The grade of one symbol: each parameter's value and grade, and the overall grade."""

    parameters: dict[str, tuple[float, int]] = field(default_factory=dict)
    wrong_modules: np.ndarray | None = None  # bool, modules read as the wrong colour
    module_pixels: float = 0.0  # module size in frame pixels
    threshold: float | None = None  # global threshold, grey levels
    corners: np.ndarray | None = None  # the symbol corners graded with (TL, TR, BR, BL), refined when trusted

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


@lru_cache(maxsize=64)
def _aperture_points(first: int, count: int, offsets: tuple[float, ...]) -> np.ndarray:
    """Module coordinates of every aperture point of modules first..first+count-1, shaped (count², k², 1, 2)."""
    k = len(offsets)
    off = np.array(offsets)
    centres = np.arange(first, first + count) + 0.5
    u = (centres[None, :, None, None] + off[None, None, None, :]) * np.ones((count, 1, k, 1))
    v = (centres[:, None, None, None] + off[None, None, :, None]) * np.ones((1, count, 1, k))
    pts = np.stack([np.broadcast_to(u, (count, count, k, k)), np.broadcast_to(v, (count, count, k, k))], axis=-1)
    return np.ascontiguousarray(pts.reshape(-1, 1, 2), dtype=np.float32)


def _sample(gray: np.ndarray, homography: np.ndarray, first: int, count: int, offsets: np.ndarray) -> np.ndarray:
    """Mean grey level (0..1) of modules first..first+count-1 on both axes, over ``offsets`` × ``offsets``."""
    k = len(offsets)
    flat = _aperture_points(first, count, tuple(float(o) for o in offsets))
    mapped = cv2.perspectiveTransform(flat, homography.astype(np.float64)).reshape(-1, 2)
    # maps shaped (rows, columns × k²): remap limits each side to 32767
    map_x = mapped[:, 0].reshape(count, count * k * k)
    map_y = mapped[:, 1].reshape(count, count * k * k)
    values = cv2.remap(gray, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.asarray(values.reshape(count, count, k * k).mean(axis=2) / 255.0)


def sample_modules(gray: np.ndarray, homography: np.ndarray, first: int, count: int) -> np.ndarray:
    """Mean grey level (0..1) of modules first..first+count-1 on both axes, through a 3 × 3 point aperture."""
    return _sample(gray, homography, first, count, _OFFSETS)


def _shorth(values: np.ndarray) -> float:
    """The middle of the shortest interval holding half of ``values``: where they crowd, unmoved by a minority
    of outliers on one side (modules a dead element lightened) and by noise that spreads them evenly."""
    ordered = np.sort(values.ravel())
    half = ordered.size // 2
    if half == 0:
        return float(ordered.mean())
    widths = ordered[half:] - ordered[: ordered.size - half]
    start = int(np.argmin(widths))
    middle = start + half // 2  # the median of the half+1 values from start
    return float(ordered[middle]) if half % 2 == 0 else float((ordered[middle] + ordered[middle + 1]) / 2)


def _levels(grid: np.ndarray, dark: np.ndarray) -> tuple[float, float]:
    """(light, dark): the typical reflectance of the modules meant to be light and of those meant to be dark.

    ISO/IEC 15415 takes the highest and lowest module; in a camera frame those extremes move apart as noise grows
    (and with them the contrast and the threshold), so where each kind of module crowds stands in for them: not
    moved by noise, nor by a minority of modules that damage lightened or blur greyed.
    """
    light_values, dark_values = grid[~dark], grid[dark]
    if light_values.size == 0 or dark_values.size == 0:
        return float(grid.max()), float(grid.min())
    return _shorth(light_values), _shorth(dark_values)


def _decodability(cmap: CodewordMap, errors: np.ndarray, cw_grades: np.ndarray) -> int:
    """ISO 15415 grading of a per-codeword measure together with error correction: for each level, codewords
    graded below it count as erasures; the level's score is the lower of the level and the notional UEC grade."""
    levels = np.array([4, 3, 2, 1])
    notional = cmap.uec_each(errors, cw_grades[None, :] < levels[:, None])
    return int(np.max(np.minimum(levels, grades_at_least(notional, UEC_LIMITS))))


def _finder_segments(size: int) -> list[tuple[str, np.ndarray]]:
    """Every fixed-pattern segment of a symbol ``size`` modules wide (see station.verify.patterns.segments)."""
    return list(segments((size - 17) // 4))


# --- the module grid ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GridFit:
    """The module grid fitted to a symbol's measured fixed-pattern centres."""

    homography: np.ndarray  # module coordinates to frame pixels
    corners: np.ndarray  # TL, TR, BR, BL of the fitted grid, frame pixels
    deviation: float  # the largest distance of a measured centre from the fitted grid, modules
    trusted: bool  # the fitted corners are within half a module of the corners the fit started from


def _window(radius: float, step: float) -> np.ndarray:
    steps = int(round(radius / step))
    return np.arange(-steps, steps + 1) * step


@lru_cache(maxsize=64)
def _measure_points(version: int, step: float) -> tuple[np.ndarray, np.ndarray, int]:
    """Every sample point a version's fixed-pattern centres are measured from: (module coordinates (p, 1, 2),
    the centre each belongs to, how many centres). Centres: 2-D ones, then row 6's timing, then column 6's."""
    feats = features(version)
    pts: list[np.ndarray] = []
    owners: list[np.ndarray] = []
    group = 0
    for (cu, cv), radius in zip(feats.points, feats.radii, strict=True):
        offsets = _window(float(radius), step)
        du, dv = np.meshgrid(offsets, offsets)
        pts.append(np.stack([cu + du.ravel(), cv + dv.ravel()], axis=1))
        owners.append(np.full(du.size, group))
        group += 1
    da, dc = np.meshgrid(_window(TIMING_REACH, step), _OFFSETS)
    for centres, axis in ((feats.across, 0), (feats.down, 1)):
        delta = np.stack([da.ravel(), dc.ravel()], axis=1) if axis == 0 else np.stack([dc.ravel(), da.ravel()], 1)
        for cu, cv in centres:
            pts.append(np.array([cu, cv]) + delta)
            owners.append(np.full(da.size, group))
            group += 1
    return np.concatenate(pts).reshape(-1, 1, 2), np.concatenate(owners), group


@dataclass(frozen=True)
class _Inked:
    """The frame about a symbol with every dark area grown by a pixel each way, and where the crop starts.

    A dead print-head element leaves a white line a dot wide through the fixed patterns, which moves an ink
    centre sideways; growing the ink by a pixel (the darkest of each 3 × 3 pixels) closes such a gap while
    leaving the centre of a symmetric pattern where it was.
    """

    image: np.ndarray
    x0: int
    y0: int

    @classmethod
    def around(cls, gray: np.ndarray, corners: np.ndarray, margin: float) -> _Inked:
        """The crop of ``gray`` holding ``corners`` and ``margin`` pixels more on every side."""
        height, width = gray.shape[:2]
        x0 = max(0, int(np.floor(corners[:, 0].min() - margin)))
        y0 = max(0, int(np.floor(corners[:, 1].min() - margin)))
        x1 = min(width, int(np.ceil(corners[:, 0].max() + margin)) + 1)
        y1 = min(height, int(np.ceil(corners[:, 1].max() + margin)) + 1)
        if x1 <= x0 or y1 <= y0:
            x0, y0, x1, y1 = 0, 0, width, height
        crop = cv2.erode(np.ascontiguousarray(gray[y0:y1, x0:x1]), np.ones((3, 3), np.uint8))
        return cls(crop, x0, y0)

    def sample(self, points: np.ndarray) -> np.ndarray:
        """Grey levels at ``points`` (frame pixels, (p, 2)), bilinear."""
        values = cv2.remap(
            self.image,
            (points[:, 0] - self.x0).reshape(1, -1),
            (points[:, 1] - self.y0).reshape(1, -1),
            cv2.INTER_LINEAR,
            borderMode=cv2.BORDER_REPLICATE,
        )
        return np.asarray(values).ravel()


def _measure(
    inked: _Inked, h: np.ndarray, version: int, threshold: float, module_px: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ink-weighted centres, in the module coordinates of ``h``: (points (k, 2), along row 6 (m,), down column 6
    (m',)), NaN where no sample reads darker than ``threshold``. Samples are at most about a pixel apart (a
    coarser spacing lets a sharp edge's place between samples move the centre)."""
    feats = features(version)
    step = next((s for s in STEPS if s * module_px <= STEP_PIXELS), STEPS[-1])
    module_pts, owner, group = _measure_points(version, step)
    mapped = cv2.perspectiveTransform(module_pts, h).reshape(-1, 2).astype(np.float32)
    values = inked.sample(mapped)
    weight = np.clip(threshold - values.astype(np.float64), 0, None)
    total = np.bincount(owner, weights=weight, minlength=group)
    with np.errstate(invalid="ignore", divide="ignore"):
        mu = np.bincount(owner, weights=weight * module_pts[:, 0, 0], minlength=group) / total
        mv = np.bincount(owner, weights=weight * module_pts[:, 0, 1], minlength=group) / total
    mu[total <= 0] = np.nan
    mv[total <= 0] = np.nan
    k, m = len(feats.points), len(feats.across)
    return np.stack([mu[:k], mv[:k]], axis=1), mu[k : k + m], mv[k + m :]


@lru_cache(maxsize=64)
def _design(version: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The fixed part of the least-squares system for a version's centres, one equation per measured coordinate
    (2-D centres' u, their v, then the timing modules' one coordinate each): (first six columns, the ideal (u, v)
    the last two are made from, the timing modules' ideal positions, the axis each of those is measured on)."""
    feats = features(version)
    ideal_1d = np.concatenate([feats.across, feats.down])
    axis_1d = np.concatenate([np.zeros(len(feats.across), int), np.ones(len(feats.down), int)])
    coords = np.concatenate([feats.points, feats.points, ideal_1d])
    axes = np.concatenate([np.zeros(len(feats.points), int), np.ones(len(feats.points), int), axis_1d])
    u, v = coords[:, 0], coords[:, 1]
    one, zero = np.ones_like(u), np.zeros_like(u)
    x_rows = np.stack([u, v, one, zero, zero, zero], axis=1)
    y_rows = np.stack([zero, zero, zero, u, v, one], axis=1)
    fixed = np.where(axes[:, None] == 0, x_rows, y_rows)
    return fixed, coords, ideal_1d, axis_1d


def _solve(version: int, targets: np.ndarray, use: np.ndarray, affine: bool) -> np.ndarray | None:
    """Least-squares homography (3 × 3) taking ideal module positions to the measured ``targets`` (one per
    equation of ``_design``), over the equations in ``use``; affine when ``affine``."""
    fixed, coords, _ideal_1d, _axis_1d = _design(version)
    b = targets[use]
    if affine:
        a = fixed[use]
    else:
        a = np.hstack([fixed[use], -coords[use] * b[:, None]])
    if len(b) < a.shape[1]:
        return None
    # OpenCV's solver, not numpy's: numpy's LAPACK may wake BLAS threads that then compete for the one core the
    # verifier runs on
    singular = cv2.SVDecomp(a, flags=cv2.SVD_NO_UV)[0].ravel()
    if singular[-1] <= 1e-9 * singular[0]:
        return None
    ok, solved = cv2.solve(a, b.reshape(-1, 1), flags=cv2.DECOMP_SVD)
    if not ok:
        return None
    solution = solved.ravel()
    g = np.zeros(9)
    g[: a.shape[1]] = solution
    g[8] = 1.0
    return g.reshape(3, 3)


def _apply(g: np.ndarray, pts: np.ndarray) -> np.ndarray:
    mapped = cv2.perspectiveTransform(pts.reshape(-1, 1, 2).astype(np.float64), g).reshape(-1, 2)
    return np.asarray(mapped)


def fit_grid(gray: np.ndarray, corners: np.ndarray, version: int, threshold: float) -> GridFit | None:
    """Fit the module grid to the measured centres of the finder cores, every alignment pattern and every dark
    timing module (timing modules are measured along their line only), by least squares over all of them; the
    deviation is the largest distance of a measured centre from that grid (MISSING for a pattern with no ink).
    The grid returned, which the symbol is sampled through, is fitted again without the centres well off the
    first fit (a dead element or a void moved them), so that damage to a few patterns does not move the whole
    grid. When the fit moved the grid by more than REMEASURE modules, the centres are measured again through it
    (each is measured in a window about where the grid puts it). None when too few centres were found to fit a
    grid. Version 1 has nothing near its fourth corner: its grid is affine."""
    n = modules_of(version)
    corners = np.asarray(corners, dtype=np.float64)
    module = float(np.mean([np.linalg.norm(corners[i] - corners[(i + 1) % 4]) for i in range(4)])) / n
    square = np.array([[0, 0], [n, 0], [n, n], [0, n]], dtype=np.float64)
    start = symbol_homography(corners, n)
    inked = _Inked.around(gray, corners, 2 * module)
    found = _fit_once(inked, start, version, threshold, module)
    if found is None:
        return None
    homography, deviation = found
    previous = corners
    for k in range(PASSES - 1):
        fitted_corners = _apply(homography, square)
        moved = np.max(np.abs(fitted_corners - previous))
        if not (np.isfinite(moved) and moved > (REMEASURE if k == 0 else SETTLED) * module):
            break
        again = _fit_once(inked, homography, version, threshold, module)
        if again is None:
            break
        previous = fitted_corners
        homography, deviation = again
    fitted_corners = _apply(homography, square)
    trusted = bool(np.isfinite(fitted_corners).all() and np.max(np.abs(fitted_corners - corners)) <= TRUST * module)
    return GridFit(homography=homography, corners=fitted_corners, deviation=deviation, trusted=trusted)


def _fit_once(
    inked: _Inked, h0: np.ndarray, version: int, threshold: float, module_px: float
) -> tuple[np.ndarray, float] | None:
    """One measurement of the centres through ``h0`` and the grid fitted to them: (homography, deviation)."""
    feats = features(version)
    points, along_row, down_col = _measure(inked, h0, version, threshold, module_px)
    _fixed, _coords, ideal_1d, axis_1d = _design(version)
    measured_1d = np.concatenate([along_row, down_col])
    targets = np.concatenate([points[:, 0], points[:, 1], measured_1d])
    ok_2d = ~np.isnan(points).any(axis=1)
    ok_1d = ~np.isnan(measured_1d)
    affine = version < 2
    every = _solve(version, targets, np.concatenate([ok_2d, ok_2d, ok_1d]), affine)
    if every is None:
        return None
    off_2d, off_1d = _deviations(every, feats.points, points, ideal_1d, measured_1d, axis_1d)
    deviation = float(max(np.max(np.where(ok_2d, off_2d, MISSING)), np.max(np.where(ok_1d, off_1d, MISSING))))
    # the grid sampled through: refitted without the centres well off the first fit (damage moved them)
    offsets = np.concatenate([off_2d[ok_2d], off_1d[ok_1d]])
    limit = max(OUTLIER, OUTLIER_SPREAD * 1.4826 * float(np.median(offsets)))
    keep_2d, keep_1d = ok_2d & (off_2d <= limit), ok_1d & (off_1d <= limit)
    g = every
    if not (np.array_equal(keep_2d, ok_2d) and np.array_equal(keep_1d, ok_1d)):
        robust = _solve(version, targets, np.concatenate([keep_2d, keep_2d, keep_1d]), affine)
        g = every if robust is None else robust
    homography = h0 @ g
    return homography / homography[2, 2], min(deviation, MISSING)


def _deviations(
    g: np.ndarray,
    ideal: np.ndarray,
    measured: np.ndarray,
    ideal_1d: np.ndarray,
    measured_1d: np.ndarray,
    axis_1d: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Distance of each measured centre from where the fitted grid ``g`` puts it (NaN for a centre not found)."""
    off_2d = np.linalg.norm(_apply(g, ideal) - measured, axis=1)
    if len(ideal_1d) == 0:
        return off_2d, np.zeros(0)
    predicted = _apply(g, ideal_1d)
    off_1d = np.abs(predicted[np.arange(len(axis_1d)), axis_1d] - measured_1d)
    return off_2d, off_1d


def refine_corners(gray: np.ndarray, corners: np.ndarray, version: int, threshold: float) -> np.ndarray:
    """Sub-pixel symbol corners from the module grid fitted to the symbol's fixed patterns (reader corners are
    whole pixels); ``corners`` itself when no grid was fitted or the fitted one is more than half a module off."""
    fit = fit_grid(gray, corners, version, threshold)
    if fit is None or not fit.trusted:
        return corners
    return np.asarray(fit.corners, dtype=np.float64)


# --- decoding the grid as read ------------------------------------------------------------------------------------


def reference_decode(dark: np.ndarray) -> Any | None:
    """zxing-cpp's reading of a module matrix (True = dark) drawn clean with a 4-module quiet zone, or None."""
    import zxingcpp

    light = np.pad(~dark, QUIET, constant_values=True).astype(np.uint8) * np.uint8(255)
    size = light.shape[0] * REFERENCE_PX
    image = cv2.resize(light, (size, size), interpolation=cv2.INTER_NEAREST)
    found = zxingcpp.read_barcodes(
        np.ascontiguousarray(image),
        formats=zxingcpp.BarcodeFormat.QRCode,  # type: ignore[arg-type]
        is_pure=True,
        binarizer=zxingcpp.Binarizer.BoolCast,
        try_rotate=False,
        try_downscale=False,
    )
    return next((f for f in found if f.valid), None)


# --- grading ------------------------------------------------------------------------------------------------------


def _no_symbol(result: Grade, sc: float, n: int) -> Grade:
    """Contrast too low to read anything: every parameter F."""
    result.wrong_modules = np.ones((n, n), dtype=bool)
    for name in MEASURED:
        result.parameters[name] = (sc if name == "symbol_contrast" else 0.0, 0)
    return result


def _fit(
    gray: np.ndarray, corners: np.ndarray, version: int, dark_padded: np.ndarray | None
) -> tuple[np.ndarray, float, float | None]:
    """(corners to grade with, grid deviation, first threshold estimate or None when there is no contrast)."""
    n = modules_of(version)
    h0 = symbol_homography(corners, n)
    coarse = _sample(gray, h0, -QUIET, n + 2 * QUIET, _CENTRE)
    if dark_padded is None:
        low, high = np.percentile(coarse, (5, 95))
        dark_padded = coarse < (low + high) / 2
    light, dark = _levels(coarse, dark_padded)
    if light - dark <= NO_SYMBOL:
        return corners, MISSING, None
    threshold = (light + dark) / 2 * 255
    fit = fit_grid(gray, corners, version, threshold)
    if fit is None:
        return corners, MISSING, threshold
    return (fit.corners if fit.trusted else corners), fit.deviation, threshold


def _axial(corners: np.ndarray) -> float:
    """Axial non-uniformity from the symbol's sides: difference of the mean pitch along the two axes."""
    top = np.linalg.norm(corners[1] - corners[0])
    bottom = np.linalg.norm(corners[2] - corners[3])
    left = np.linalg.norm(corners[3] - corners[0])
    right = np.linalg.norm(corners[2] - corners[1])
    x_pitch, y_pitch = (top + bottom) / 2, (left + right) / 2
    return float(abs(x_pitch - y_pitch) / ((x_pitch + y_pitch) / 2))


@lru_cache(maxsize=64)
def _segment_indices(version: int) -> tuple[np.ndarray, ...]:
    """Flat module indices of each fixed-pattern segment of ``version``."""
    return tuple(np.flatnonzero(mask) for _name, mask in segments(version))


def _fixed_pattern_damage(
    grid: np.ndarray, gt: float, sc: float, version: int, dark: np.ndarray, known: np.ndarray
) -> int:
    """The lowest segment grade over every fixed pattern and the quiet zone. A segment is graded by its wrong
    modules (0 → A, 1 → B, 2 → C, 3 → D, more → F) and by its lowest module modulation; modules of unknown
    value (format information of a symbol whose level and mask are not known) are left out."""
    symbol = grid[QUIET:-QUIET, QUIET:-QUIET]
    wrong = ((symbol < gt) != dark).ravel()
    modulation = (2 * np.abs(symbol - gt) / sc).ravel()
    grades = []
    for where in _segment_indices(version):
        where = where[known.ravel()[where]]
        if where.size == 0:
            continue
        bad = int(wrong[where].sum())
        grades.append(min(max(0, 4 - bad), grade_at_least(float(modulation[where].min()), MOD_LIMITS)))
    quiet = np.ones_like(grid, dtype=bool)
    quiet[QUIET:-QUIET, QUIET:-QUIET] = False
    quiet_dark = int((grid[quiet] < gt).sum())
    quiet_mod = 2 * (grid[quiet] - gt) / sc
    grades.append(min(max(0, 4 - quiet_dark), grade_at_least(float(quiet_mod.min()), MOD_LIMITS)))
    return min(grades)


def grade_symbol(gray: np.ndarray, corners: np.ndarray, expected: Symbol, decoded: bool) -> Grade:
    """Grade the symbol whose four corners (TL, TR, BR, BL in symbol orientation) are near ``corners``.

    The corners are refined first (the module grid fitted to the fixed patterns) and the grade is measured
    through the refined grid; ``Grade.corners`` holds the corners graded with. ``decoded`` says whether the
    frame's reader read the symbol: decode is A only when it did and the grid as sampled here, drawn clean and
    read again, gives the expected symbol's bytes.
    """
    n = expected.modules
    result = Grade()
    corners = np.asarray(corners, dtype=np.float64)
    dark_expected = expected.matrix
    dark_padded = np.pad(dark_expected, QUIET, constant_values=False)
    corners, deviation, _first = _fit(gray, corners, expected.version, dark_padded)
    result.corners = corners
    h = symbol_homography(corners, n)
    result.module_pixels = float(np.mean([np.linalg.norm(corners[i] - corners[(i + 1) % 4]) for i in range(4)]) / n)
    grid = sample_modules(gray, h, -QUIET, n + 2 * QUIET)
    symbol = grid[QUIET:-QUIET, QUIET:-QUIET]
    r_light, r_dark = _levels(grid, dark_padded)
    sc = r_light - r_dark
    if sc <= NO_SYMBOL:
        return _no_symbol(result, sc, n)
    gt = (r_light + r_dark) / 2
    result.threshold = gt * 255
    read_dark = symbol < gt
    wrong = read_dark != dark_expected
    result.wrong_modules = wrong
    modulation = 2 * np.abs(symbol - gt) / sc
    margin = np.where(wrong, 0.0, modulation)

    reference = reference_decode(read_dark) if decoded else None
    reads = reference is not None and bytes(reference.bytes) == expected.data.encode("utf-8")
    result.parameters["decode"] = (1.0 if reads else 0.0, 4 if reads else 0)
    result.parameters["symbol_contrast"] = (sc, grade_at_least(sc, SC_LIMITS))

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

    known = np.ones((n, n), dtype=bool)
    fpd = _fixed_pattern_damage(grid, gt, sc, expected.version, dark_expected, known)
    result.parameters["fixed_pattern_damage"] = (float(fpd), fpd)
    anu = _axial(corners)
    result.parameters["axial_nonuniformity"] = (anu, grade_at_most(anu, ANU_LIMITS))
    result.parameters["grid_nonuniformity"] = (deviation, grade_at_most(deviation, GNU_LIMITS))
    return result


def estimate_version(gray: np.ndarray, corners: np.ndarray) -> int | None:
    """The version whose timing patterns, sampled through ``corners``, alternate best (at least 90 % of their
    modules), for a reader that gives no version; None when none does."""
    best, best_score = None, 0.9
    for version in range(1, 41):
        n = modules_of(version)
        h = symbol_homography(np.asarray(corners, dtype=np.float64), n)
        index = np.arange(8, n - 8)
        pts = np.concatenate(
            [np.stack([index + 0.5, np.full(index.size, 6.5)], 1), np.stack([np.full(index.size, 6.5), index + 0.5], 1)]
        )
        mapped = _apply(h, pts).astype(np.float32)
        values = (
            cv2.remap(gray, mapped[:, 0].reshape(1, -1), mapped[:, 1].reshape(1, -1), cv2.INTER_LINEAR)
            .ravel()
            .astype(np.float64)
        )
        expected_dark = np.concatenate([index % 2 == 0, index % 2 == 0])
        if expected_dark.all():
            continue
        threshold = (values[expected_dark].mean() + values[~expected_dark].mean()) / 2
        score = float(np.mean((values < threshold) == expected_dark))
        if score > best_score:
            best, best_score = version, score
    return best


def grade_unknown_symbol(gray: np.ndarray, corners: np.ndarray, found: Any) -> Grade:
    """Grade a symbol the station did not make, from what the frame shows and what its reader reported.

    The module grid is fitted to the fixed patterns as for the station's own symbols; symbol contrast, fixed
    pattern damage (format information only when the error level and mask are known, from the reader or from
    reading the grid again), axial and grid non-uniformity are measured. Modulation is the 2nd percentile of the
    modules' (the codewords are unknown). Decode is A when the grid as sampled, drawn clean and read again, gives
    the reader's bytes. Unused error correction is the reader's estimate, else the estimate of reading the grid
    again, else F: nothing is granted that was not measured.
    """
    result = Grade()
    corners = np.asarray(corners, dtype=np.float64)
    version = found.version or estimate_version(gray, corners)
    if not version:
        result.parameters["decode"] = (0.0, 0)
        return result
    n = modules_of(version)
    corners, deviation, first = _fit(gray, corners, version, None)
    result.corners = corners
    h = symbol_homography(corners, n)
    result.module_pixels = float(np.mean([np.linalg.norm(corners[i] - corners[(i + 1) % 4]) for i in range(4)]) / n)
    grid = sample_modules(gray, h, -QUIET, n + 2 * QUIET)
    low, high = np.percentile(grid, (5, 95))
    provisional = grid < (low + high) / 2 if first is None else grid < first / 255
    r_light, r_dark = _levels(grid, provisional)
    sc = r_light - r_dark
    if sc <= NO_SYMBOL:
        return _no_symbol(result, sc, n)
    gt = (r_light + r_dark) / 2
    result.threshold = gt * 255
    symbol = grid[QUIET:-QUIET, QUIET:-QUIET]
    read_dark = symbol < gt
    reference = reference_decode(read_dark)
    reads = reference is not None and bytes(reference.bytes) == bytes(found.raw)
    extra: dict[str, Any] = {}
    if reference is not None and reads and isinstance(reference.extra, dict):
        extra = reference.extra
    result.parameters["decode"] = (1.0 if reads else 0.0, 4 if reads else 0)
    result.parameters["symbol_contrast"] = (sc, grade_at_least(sc, SC_LIMITS))
    modulation = 2 * np.abs(symbol - gt) / sc
    low_mod = float(np.percentile(modulation, 2))
    result.parameters["modulation"] = (low_mod, grade_at_least(low_mod, MOD_LIMITS))
    level = found.ec_level or extra.get("ECLevel")
    mask = getattr(found, "mask", None)
    if mask is None:
        mask = extra.get("DataMask")
    dark, known = fixed_matrix(version, level, None if mask is None else int(mask))
    fpd = _fixed_pattern_damage(grid, gt, sc, version, dark, known)
    result.parameters["fixed_pattern_damage"] = (float(fpd), fpd)
    anu = _axial(corners)
    result.parameters["axial_nonuniformity"] = (anu, grade_at_most(anu, ANU_LIMITS))
    result.parameters["grid_nonuniformity"] = (deviation, grade_at_most(deviation, GNU_LIMITS))
    uec = found.uec if found.uec is not None else extra.get("UEC")
    if uec is None:
        result.parameters["unused_error_correction"] = (0.0, 0)
    else:
        result.parameters["unused_error_correction"] = (float(uec), grade_at_least(float(uec), UEC_LIMITS))
    wrong = np.zeros((n, n), dtype=bool)
    wrong[known] = read_dark[known] != dark[known]
    result.wrong_modules = wrong
    return result
