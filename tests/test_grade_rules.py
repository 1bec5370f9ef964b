"""Print-quality grading pinned on synthetic frames: every threshold of DOMAIN.md §4 at its exact boundary, and each
parameter of a frame drawn module by module, where the expected value and grade are known in advance."""

from __future__ import annotations

import math
from types import SimpleNamespace

import cv2
import numpy as np
import pytest

from station.qr import Symbol, _layout, make_symbol
from station.verify.codewords import CodewordMap, codeword_map
from station.verify.grade import (
    ANU_LIMITS,
    GNU_LIMITS,
    LETTERS,
    MEASURED,
    MOD_LIMITS,
    SC_LIMITS,
    UEC_LIMITS,
    Grade,
    _axial,
    _decodability,
    _finder_segments,
    estimate_version,
    fit_grid,
    grade_at_least,
    grade_at_most,
    grade_symbol,
    grade_unknown_symbol,
    grades_at_least,
    reference_decode,
    refine_corners,
    sample_modules,
    symbol_homography,
)
from station.verify.patterns import features

# DOMAIN.md §4, A B C D boundaries
TABLE_AT_LEAST = {
    "symbol_contrast": (SC_LIMITS, (0.70, 0.55, 0.40, 0.20)),
    "modulation": (MOD_LIMITS, (0.50, 0.40, 0.30, 0.20)),
    "unused_error_correction": (UEC_LIMITS, (0.62, 0.50, 0.37, 0.25)),
}
TABLE_AT_MOST = {
    "axial_nonuniformity": (ANU_LIMITS, (0.06, 0.08, 0.10, 0.12)),
    "grid_nonuniformity": (GNU_LIMITS, (0.38, 0.50, 0.63, 0.75)),
}

PX = 10  # frame pixels per module
DARK, LIGHT = 20, 220  # grey levels of a sound print
MARGIN = 6  # modules from the frame's edge to the symbol (the 4-module quiet zone and 2 more)


# --- thresholds -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TABLE_AT_LEAST))
def test_at_least_grades_at_every_boundary(name: str) -> None:
    limits, table = TABLE_AT_LEAST[name]
    values, expected = [], []
    for k, limit in enumerate(table):
        values += [limit, math.nextafter(limit, -math.inf), math.nextafter(limit, math.inf)]
        expected += [4 - k, 3 - k, 4 - k]
    values += [1.0, 0.0, -1.0]
    expected += [4, 0, 0]
    assert [grade_at_least(v, limits) for v in values] == expected
    vector = grades_at_least(np.array(values), limits)
    assert vector.dtype == np.int64
    assert vector.tolist() == expected


@pytest.mark.parametrize("name", sorted(TABLE_AT_MOST))
def test_at_most_grades_at_every_boundary(name: str) -> None:
    limits, table = TABLE_AT_MOST[name]
    values, expected = [], []
    for k, limit in enumerate(table):
        values += [limit, math.nextafter(limit, math.inf), math.nextafter(limit, -math.inf)]
        expected += [4 - k, 3 - k, 4 - k]
    values += [0.0, 1.0]
    expected += [4, 0]
    assert [grade_at_most(v, limits) for v in values] == expected


def test_a_threshold_table_must_have_four_grades() -> None:
    with pytest.raises(ValueError):
        grade_at_least(0.0, (0.7, 0.5, 0.3))  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        grade_at_most(1.0, (0.1, 0.2, 0.3))  # type: ignore[arg-type]


def test_scan_grade_is_the_lowest_parameter_grade() -> None:
    assert LETTERS == {4: "A", 3: "B", 2: "C", 1: "D", 0: "F"}
    g = Grade(parameters={"decode": (1.0, 4), "symbol_contrast": (0.6, 3), "modulation": (0.35, 2)})
    assert g.grade == 2.0 and isinstance(g.grade, float) and g.letter == "C"
    assert Grade(parameters={"decode": (1.0, 4)}).letter == "A"
    assert Grade(parameters={"decode": (1.0, 4), "x": (0.0, 1)}).letter == "D"
    assert Grade(parameters={"decode": (1.0, 4), "x": (0.0, 3)}).letter == "B"
    assert Grade().grade == 0.0 and Grade().letter == "F"  # nothing measured is no pass


# --- sampling ---------------------------------------------------------------------------------------------------


def test_symbol_homography_maps_module_corners_to_frame_corners() -> None:
    corners = np.array([[10.0, 20.0], [230.0, 30.0], [220.0, 260.0], [5.0, 240.0]])
    h = symbol_homography(corners, 21)
    square = np.array([[0, 0], [21, 0], [21, 21], [0, 21]], np.float64).reshape(-1, 1, 2)
    assert cv2.perspectiveTransform(square, h).reshape(-1, 2) == pytest.approx(corners, abs=1e-4)


def test_sample_modules_averages_a_three_by_three_aperture_at_module_centres() -> None:
    # a grey ramp across (x) and down (y): the aperture's mean is the grey level at the module's centre
    ys, xs = np.indices((200, 200), dtype=np.float32)
    h = np.array([[7.0, 0, 20], [0, 7.0, 20], [0, 0, 1]])  # module u -> pixel 7u + 20: points between pixels
    across = sample_modules(xs, h, -2, 6)
    down = sample_modules(ys, h, -2, 6)
    centres = (np.arange(-2, 4) + 0.5) * 7 + 20
    assert across.shape == (6, 6)
    assert across == pytest.approx(np.tile(centres, (6, 1)) / 255.0, abs=1e-5)
    assert down == pytest.approx(np.tile(centres[:, None], (1, 6)) / 255.0, abs=1e-5)
    # a squared ramp: the mean of x² over the nine points is centre² + the points' spread (1.75 pixels each side)
    squares = sample_modules(xs**2 / 200.0, h, 0, 3)
    spread = (1.75**2 * 2 / 3) / 200.0
    assert squares[0] == pytest.approx((centres[2:5] ** 2 / 200.0 + spread) / 255.0, abs=1e-4)
    stripes = np.tile((np.arange(40) % 2 * 100).astype(np.uint8), (200, 1))  # pixel columns 0, 100, 0, 100 ...
    h5 = np.array([[5.0, 0, 0], [0, 5.0, 0], [0, 0, 1]])  # points 1.25, 2.5, 3.75 pixels in: 75, 50, 25 interpolated
    assert sample_modules(stripes, h5, 0, 3)[0] == pytest.approx(np.full(3, 50 / 255.0), abs=1e-6)


def test_sample_modules_reads_each_module_and_replicates_the_border() -> None:
    values = np.arange(25, dtype=np.uint8).reshape(5, 5) * 10
    gray = cv2.resize(values, (40, 40), interpolation=cv2.INTER_NEAREST)
    h = np.array([[8.0, 0, -0.5], [0, 8.0, -0.5], [0, 0, 1]])
    assert sample_modules(gray, h, 0, 5) == pytest.approx(values / 255.0)
    outside = sample_modules(gray, h, -1, 7)  # beyond the frame: the nearest edge pixel
    assert outside[0, 0] == pytest.approx(values[0, 0] / 255.0) and outside[6, 6] == pytest.approx(values[4, 4] / 255.0)
    assert outside[1:6, 1:6] == pytest.approx(values / 255.0)


# --- synthetic frames -------------------------------------------------------------------------------------------


def _levels(symbol: Symbol, dark: float = DARK, light: float = LIGHT) -> np.ndarray:
    """Grey level per module, quiet zone and margin included (MARGIN modules each side)."""
    n = symbol.modules
    grid = np.full((n + 2 * MARGIN, n + 2 * MARGIN), light, np.float64)
    grid[MARGIN : MARGIN + n, MARGIN : MARGIN + n] = np.where(symbol.matrix, dark, light)
    return grid


def _frame(levels: np.ndarray, dtype: type = np.uint8, px: int = PX) -> np.ndarray:
    return np.kron(levels, np.ones((px, px))).astype(dtype)


def _corners(n: int, px: float = PX, py: float | None = None) -> np.ndarray:
    py = px if py is None else py
    x0, y0 = MARGIN * px - 0.5, MARGIN * py - 0.5
    return np.array([[x0, y0], [x0 + n * px, y0], [x0 + n * px, y0 + n * py], [x0, y0 + n * py]], np.float64)


HELLO = make_symbol("HELLO")  # version 1-M: one block, 10 correction codewords, 2 kept for misdecode protection


def _grade(levels: np.ndarray, decoded: bool = True, symbol: Symbol = HELLO) -> Grade:
    return grade_symbol(_frame(levels), _corners(symbol.modules), symbol, decoded)


def _at(levels: np.ndarray, row: int, col: int) -> tuple[int, int]:
    return MARGIN + row, MARGIN + col


def _flip(levels: np.ndarray, symbol: Symbol, row: int, col: int) -> None:
    levels[_at(levels, row, col)] = LIGHT if symbol.matrix[row, col] else DARK


def _soften(levels: np.ndarray, symbol: Symbol, row: int, col: int, modulation: float) -> None:
    """The module read the right colour, with ``modulation`` (2|R − GT| / SC)."""
    step = modulation * (LIGHT - DARK) / 2
    gt = (LIGHT + DARK) / 2
    levels[_at(levels, row, col)] = gt - step if symbol.matrix[row, col] else gt + step


def test_sound_symbol_grades_a_with_exact_values() -> None:
    assert (HELLO.version, HELLO.error, HELLO.modules) == (1, "M", 21)
    g = _grade(_levels(HELLO))
    p = g.parameters
    assert p["decode"] == (1.0, 4)
    assert p["symbol_contrast"][0] == pytest.approx(200 / 255) and p["symbol_contrast"][1] == 4
    assert p["modulation"] == (pytest.approx(1.0), 4)
    assert p["reflectance_margin"] == (pytest.approx(1.0), 4)
    assert p["unused_error_correction"] == (1.0, 4)
    assert p["fixed_pattern_damage"] == (4.0, 4)
    assert p["axial_nonuniformity"][0] == pytest.approx(0.0, abs=1e-9) and p["axial_nonuniformity"][1] == 4
    assert p["grid_nonuniformity"][0] == pytest.approx(0.0, abs=0.01) and p["grid_nonuniformity"][1] == 4
    assert g.corners is not None and g.corners == pytest.approx(_corners(21), abs=0.02)
    assert g.threshold == pytest.approx(120.0)
    assert g.module_pixels == pytest.approx(10.0)
    assert g.wrong_modules is not None and g.wrong_modules.shape == (21, 21) and not g.wrong_modules.any()
    assert g.letter == "A"


def test_not_decoded_is_grade_f() -> None:
    g = _grade(_levels(HELLO), decoded=False)
    assert g.parameters["decode"] == (0.0, 0) and g.letter == "F"
    assert g.parameters["symbol_contrast"][1] == 4  # everything else still measured


@pytest.mark.parametrize(
    ("dark", "light", "grade"),
    [(20, 199, 4), (20, 198, 3), (20, 161, 3), (20, 160, 2), (20, 123, 2), (20, 121, 1), (20, 72, 1), (20, 70, 0)],
)
def test_symbol_contrast_either_side_of_each_boundary(dark: int, light: int, grade: int) -> None:
    g = _grade(_levels(HELLO, dark, light))
    assert g.parameters["symbol_contrast"] == (pytest.approx((light - dark) / 255), grade)
    assert g.parameters["modulation"] == (pytest.approx(1.0), 4)  # modulation is relative to the contrast
    assert g.grade == grade


def test_contrast_of_at_most_five_percent_is_no_symbol() -> None:
    at = grade_symbol(_frame(_levels(HELLO, 0.0, 12.75), np.float64), _corners(21), HELLO, True)
    assert at.parameters["symbol_contrast"] == (0.05, 0)
    for name in ("modulation", "reflectance_margin", "fixed_pattern_damage", "unused_error_correction"):
        assert at.parameters[name] == (0.0, 0)
    assert set(at.parameters) == set(MEASURED) and at.grade == 0.0 and at.threshold is None
    assert at.parameters["axial_nonuniformity"] == (0.0, 0) and at.parameters["decode"] == (0.0, 0)
    assert at.wrong_modules is not None and at.wrong_modules.shape == (21, 21) and at.wrong_modules.all()
    assert at.wrong_modules.dtype == bool
    above = grade_symbol(_frame(_levels(HELLO, 0.0, 13.0), np.float64), _corners(21), HELLO, True)
    assert above.parameters["modulation"] == (pytest.approx(1.0), 4)
    assert above.parameters["axial_nonuniformity"][1] == 4 and above.parameters["decode"] == (1.0, 4)


def _codeword_module(symbol: Symbol, k: int, bit: int = 0) -> tuple[int, int]:
    row, col = codeword_map(symbol.version, symbol.error).modules[k, bit]
    return int(row), int(col)


@pytest.mark.parametrize(("errors", "uec", "grade"), [(1, 0.75, 4), (2, 0.5, 3), (3, 0.25, 1), (4, 0.0, 0)])
def test_unused_error_correction_counts_wrong_codewords(errors: int, uec: float, grade: int) -> None:
    levels = _levels(HELLO)
    for k in range(errors):
        _flip(levels, HELLO, *_codeword_module(HELLO, 3 * k, k))  # one module of every third codeword
    g = _grade(levels)
    assert g.parameters["unused_error_correction"] == (uec, grade)  # 1 − 2e / (10 − 2), exact
    assert g.parameters["reflectance_margin"] == (0.0, grade)  # a module read wrong has no margin
    assert g.parameters["modulation"] == (pytest.approx(1.0), grade)
    assert g.wrong_modules is not None and int(g.wrong_modules.sum()) == errors
    assert g.parameters["fixed_pattern_damage"] == (4.0, 4)


def test_two_wrong_modules_of_one_codeword_are_one_codeword_error() -> None:
    levels = _levels(HELLO)
    for bit in (0, 5):
        _flip(levels, HELLO, *_codeword_module(HELLO, 7, bit))
    assert _grade(levels).parameters["unused_error_correction"] == (0.75, 4)


@pytest.mark.parametrize(
    ("codewords", "modulation", "grade"),
    [
        (1, 0.48, 4),  # one codeword at B: an erasure the correction absorbs (1 − 1/8)
        (5, 0.48, 3),  # five at B: as erasures 1 − 5/8 = 0.375 → C, so B (no erasure at level B) is the best
        (7, 0.28, 1),  # seven at D: as erasures 1/8 → F at levels A..C, D at level D
        (3, 0.12, 4),  # three at F: erased at every level, 1 − 3/8 = 0.625 → A at level A
        (4, 0.12, 3),  # four at F: 1 − 4/8 = 0.5 → B at every level
    ],
)
def test_modulation_is_graded_with_error_correction(codewords: int, modulation: float, grade: int) -> None:
    levels = _levels(HELLO)
    for k in range(codewords):
        for bit in range(8):
            _soften(levels, HELLO, *_codeword_module(HELLO, k, bit), modulation)
    g = _grade(levels)
    value, got = g.parameters["modulation"]
    assert value == pytest.approx(modulation, abs=0.01)
    assert g.parameters["reflectance_margin"][0] == pytest.approx(modulation, abs=0.01)
    assert g.parameters["unused_error_correction"] == (1.0, 4)
    assert (got, g.parameters["reflectance_margin"][1]) == (grade, grade)


# --- fixed pattern damage ---------------------------------------------------------------------------------------

N = 21
SEGMENT_MODULES = {
    "finder top-left": [(0, 0), (7, 7), (3, 3), (0, 7), (7, 0)],
    "finder top-right": [(0, N - 8), (7, N - 1), (0, N - 1), (7, N - 8)],
    "finder bottom-left": [(N - 8, 0), (N - 1, 7), (N - 1, 0), (N - 8, 7)],
    "timing": [(6, 8), (6, N - 9), (8, 6), (N - 9, 6)],
}


def test_finder_segments_cover_finders_separators_and_timing() -> None:
    segments = dict(_finder_segments(N))
    assert list(segments) == [
        "finder top-left",
        "finder top-right",
        "finder bottom-left",
        "timing",
        "format top-left",
        "format other",
    ]
    expected = {name: np.zeros((N, N), bool) for name in segments}
    expected["finder top-left"][0:8, 0:8] = True
    expected["finder top-right"][0:8, N - 8 :] = True
    expected["finder bottom-left"][N - 8 :, 0:8] = True
    expected["timing"][6, 8 : N - 8] = True
    expected["timing"][8 : N - 8, 6] = True
    expected["format top-left"][8, [0, 1, 2, 3, 4, 5, 7, 8]] = True
    expected["format top-left"][[0, 1, 2, 3, 4, 5, 7], 8] = True
    expected["format other"][8, N - 8 :] = True
    expected["format other"][N - 8 :, 8] = True  # seven format bits and the dark module
    for name, mask in segments.items():
        assert np.array_equal(mask, expected[name]), name
    assert all(int(m.sum()) == 15 for name, m in segments.items() if name == "format top-left")
    assert int(segments["format other"].sum()) == 16
    region, _function, _patterns = _layout(N)
    covered = np.any([m for m in segments.values()], axis=0)
    assert not (covered & region).any() and (covered | region).all()  # every module not data is in a segment


@pytest.mark.parametrize("place", [(s, m) for s, ms in SEGMENT_MODULES.items() for m in ms])
def test_one_wrong_fixed_module_is_grade_b(place: tuple[str, tuple[int, int]]) -> None:
    _segment, (row, col) = place
    levels = _levels(HELLO)
    _flip(levels, HELLO, row, col)
    g = _grade(levels)
    assert g.parameters["fixed_pattern_damage"] == (3.0, 3)


@pytest.mark.parametrize("segment", sorted(SEGMENT_MODULES))
@pytest.mark.parametrize(("wrong", "grade"), [(2, 2), (3, 1), (4, 0)])
def test_wrong_fixed_modules_lower_the_grade_one_each(segment: str, wrong: int, grade: int) -> None:
    levels = _levels(HELLO)
    modules = SEGMENT_MODULES[segment]
    for row, col in modules[:wrong]:
        _flip(levels, HELLO, row, col)
    assert _grade(levels).parameters["fixed_pattern_damage"] == (float(grade), grade)


def test_five_wrong_fixed_modules_are_still_grade_f() -> None:
    levels = _levels(HELLO)
    for col in range(5):
        _flip(levels, HELLO, 0, col)
    assert _grade(levels).parameters["fixed_pattern_damage"] == (0.0, 0)


@pytest.mark.parametrize("module", [(9, 9), (9, N - 8), (N - 9, 9), (N - 9, 0), (0, 9)])
def test_modules_outside_the_fixed_patterns_are_not_fixed_pattern_damage(module: tuple[int, int]) -> None:
    levels = _levels(HELLO)
    _flip(levels, HELLO, *module)
    assert _grade(levels).parameters["fixed_pattern_damage"] == (4.0, 4)


@pytest.mark.parametrize(("modulation", "grade"), [(0.45, 3), (0.35, 2), (0.25, 1), (0.1, 0)])
@pytest.mark.parametrize("module", [(3, 3), (0, N - 1), (N - 1, 0), (6, 10), (12, 6)])
def test_a_weak_fixed_module_grades_by_its_modulation(module: tuple[int, int], modulation: float, grade: int) -> None:
    levels = _levels(HELLO)
    _soften(levels, HELLO, *module, modulation)
    assert _grade(levels).parameters["fixed_pattern_damage"] == (float(grade), grade)


@pytest.mark.parametrize(("dark_modules", "grade"), [(1, 0), (3, 0)])
def test_ink_in_the_quiet_zone_is_fixed_pattern_damage(dark_modules: int, grade: int) -> None:
    levels = _levels(HELLO)
    for k in range(dark_modules):
        levels[MARGIN - 1, MARGIN + 5 + k] = DARK  # the row just above the symbol
    assert _grade(levels).parameters["fixed_pattern_damage"] == (float(grade), grade)


@pytest.mark.parametrize(("grey", "grade"), [(168, 3), (152, 2), (141, 1), (125, 0)])
@pytest.mark.parametrize("where", [(MARGIN - 4, MARGIN), (MARGIN + N + 3, MARGIN + N + 3), (MARGIN + 10, MARGIN - 1)])
def test_a_grey_quiet_zone_module_grades_by_its_margin(where: tuple[int, int], grey: int, grade: int) -> None:
    levels = _levels(HELLO)
    levels[where] = grey  # lighter than the threshold (120): read light, with 2 (R − GT) / SC margin
    assert _grade(levels).parameters["fixed_pattern_damage"] == (float(grade), grade)


def test_the_quiet_zone_is_four_modules_wide() -> None:
    levels = _levels(HELLO)
    levels[MARGIN - 5, MARGIN + 3] = DARK  # five modules out: not judged
    levels[MARGIN + 3, MARGIN + N + 4] = DARK
    assert _grade(levels).parameters["fixed_pattern_damage"] == (4.0, 4)


# --- axial and grid non-uniformity ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("width", "height", "anu", "grade"),
    [
        (194, 206, 0.06, 4),
        (193, 207, 0.07, 3),
        (192, 208, 0.08, 3),
        (191, 209, 0.09, 2),
        (190, 210, 0.10, 2),
        (189, 211, 0.11, 1),
        (188, 212, 0.12, 1),
        (187, 213, 0.13, 0),
        (206, 194, 0.06, 4),
        (207, 193, 0.07, 3),
    ],
)
def test_axial_nonuniformity_at_each_boundary(width: int, height: int, anu: float, grade: int) -> None:
    corners = np.array([[60.0, 60.0], [60.0 + width, 60.0], [60.0 + width, 60.0 + height], [60.0, 60.0 + height]])
    value = _axial(corners)
    assert value == pytest.approx(anu, abs=1e-12)
    assert grade_at_most(value, ANU_LIMITS) == grade


def _warped(symbol: Symbol, corners: np.ndarray, shape: tuple[int, int]) -> np.ndarray:
    """The symbol (quiet zone and margin around it) drawn into the frame quadrilateral ``corners``."""
    n = symbol.modules
    levels = _frame(_levels(symbol))  # PX pixels per module, the symbol from MARGIN modules in
    source = _corners(n) + 0.5
    h = cv2.getPerspectiveTransform(source.astype(np.float32), corners.astype(np.float32) + 0.5)
    return cv2.warpPerspective(levels, h, shape[::-1], flags=cv2.INTER_AREA, borderValue=LIGHT)


@pytest.mark.parametrize(("width", "height", "anu", "grade"), [(191, 209, 0.09, 2), (205, 195, 0.05, 4)])
def test_axial_nonuniformity_of_a_stretched_symbol(width: int, height: int, anu: float, grade: int) -> None:
    corners = np.array([[60.0, 60.0], [60.0 + width, 60.0], [60.0 + width, 60.0 + height], [60.0, 60.0 + height]])
    frame = _warped(HELLO, corners, (340, 340))
    g = grade_symbol(frame, np.rint(corners), HELLO, True)
    assert g.parameters["axial_nonuniformity"][0] == pytest.approx(anu, abs=0.003)
    assert g.parameters["axial_nonuniformity"][1] == grade
    assert g.corners is not None and g.corners == pytest.approx(corners, abs=0.3)


def test_axial_nonuniformity_averages_opposite_sides() -> None:
    corners = np.array([[50.0, 50.0], [250.0, 50.0], [230.0, 290.0], [50.0, 260.0]])
    top, bottom = 200.0, math.hypot(180.0, 30.0)
    left, right = 210.0, math.hypot(20.0, 240.0)
    x, y = (top + bottom) / 2, (left + right) / 2
    assert _axial(corners) == pytest.approx(abs(x - y) / ((x + y) / 2), abs=1e-12)
    frame = _warped(HELLO, corners, (400, 400))
    g = grade_symbol(frame, corners, HELLO, True)
    assert g.parameters["axial_nonuniformity"][0] == pytest.approx(abs(x - y) / ((x + y) / 2), abs=0.003)
    assert g.module_pixels == pytest.approx((top + bottom + left + right) / 4 / 21, abs=0.02)


# PLACEHOLDER_GNU


# --- corners ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "version", "shift", "error"),
    [
        ("HELLO", 1, (1.0, 1.0), 0.1),
        ("HELLO", 1, (2.0, -1.0), 0.2),
        ("TRACE-STATION-2026-DEMO", 2, (1.0, 1.0), 0.6),
        ("TRACE-STATION-2026-DEMO", 2, (2.0, -1.0), 0.4),
    ],
)
def test_refine_corners_recovers_the_symbol_from_corners_a_little_off(
    data: str, version: int, shift: tuple[float, float], error: float
) -> None:
    symbol = make_symbol(data)
    assert symbol.version == version  # version 2 has an alignment pattern: four points, a perspective fit
    frame = _frame(_levels(symbol))
    true = _corners(symbol.modules)
    off = true + np.array(shift)
    refined = refine_corners(frame, off, symbol.version, 120.0)
    assert refined.dtype == np.float64
    assert np.abs(refined - true).max() < error < np.abs(off - true).max()
    assert refine_corners(frame, true, symbol.version, 120.0) == pytest.approx(true, abs=1e-3)


def test_refine_corners_keeps_the_corners_it_cannot_trust() -> None:
    frame = _frame(_levels(HELLO))
    true = _corners(21)
    for shift in (3.0, 5.5, 8.0):  # up to 0.8 module off: the centres measured again through each fit
        assert refine_corners(frame, true + np.array([shift, 0.0]), 1, 120.0) == pytest.approx(true, abs=0.05)
    off = true[0] + (true - true[0]) * 1.2  # 4 modules too big: the fit lands more than a module away
    assert refine_corners(frame, off, 1, 120.0) is off
    fit = fit_grid(frame, off, 1, 120.0)
    assert fit is not None and not fit.trusted
    blank = np.full_like(frame, LIGHT)
    assert refine_corners(blank, true, 1, 120.0) is true


def test_refine_corners_without_the_alignment_pattern_fits_finders_and_timing() -> None:
    v2 = make_symbol("TRACE-STATION-2026-DEMO")
    frame2, true2 = _frame(_levels(v2)), _corners(v2.modules)
    no_alignment = frame2.copy()
    centre = (MARGIN + v2.modules - 7) * PX
    no_alignment[centre - 15 : centre + 15, centre - 15 : centre + 15] = LIGHT  # the alignment pattern wiped
    refined = refine_corners(no_alignment, true2 + 1.0, 2, 120.0)
    assert refined == pytest.approx(true2, abs=0.3)
    fit = fit_grid(no_alignment, true2, 2, 120.0)
    assert fit is not None and fit.deviation == 1.0  # a pattern with no ink where it should be: grade F
    g = grade_symbol(no_alignment, true2, v2, True)
    assert g.parameters["grid_nonuniformity"] == (1.0, 0) and g.parameters["fixed_pattern_damage"] == (0.0, 0)


# --- a symbol the station did not make --------------------------------------------------------------------------


def _found(symbol: Symbol = HELLO, **given: object) -> SimpleNamespace:
    """What a reader reports of ``symbol``: its bytes, version, level, mask and unused error correction."""
    fields: dict[str, object] = {
        "raw": symbol.data.encode(),
        "version": symbol.version,
        "ec_level": symbol.error,
        "mask": symbol.mask,
        "uec": 0.5,
    }
    fields.update(given)
    return SimpleNamespace(**fields)


def test_unknown_symbol_is_graded_from_the_frame_and_the_reader() -> None:
    frame = _frame(_levels(HELLO))
    g = grade_unknown_symbol(frame, _corners(21), _found())
    assert set(g.parameters) == set(MEASURED) - {"reflectance_margin"}
    assert g.parameters["decode"] == (1.0, 4)
    assert g.parameters["symbol_contrast"] == (pytest.approx(200 / 255), 4)
    assert g.parameters["modulation"] == (pytest.approx(1.0), 4)
    assert g.parameters["unused_error_correction"] == (0.5, 3)
    assert g.parameters["fixed_pattern_damage"] == (4.0, 4)
    assert g.parameters["grid_nonuniformity"][0] == pytest.approx(0.0, abs=0.01)
    assert g.parameters["axial_nonuniformity"][1] == 4
    assert g.corners is not None and g.corners == pytest.approx(_corners(21), abs=0.02)
    assert g.letter == "B"


def test_unknown_symbol_decode_is_the_grid_read_again() -> None:
    frame = _frame(_levels(HELLO))
    other = grade_unknown_symbol(frame, _corners(21), _found(raw=b"HELLP"))  # the reader said something else
    assert other.parameters["decode"] == (0.0, 0)
    levels = _levels(HELLO)
    for k in range(6):  # six codewords wrong: more than version 1-M corrects (10 correction codewords)
        _flip(levels, HELLO, *_codeword_module(HELLO, 2 * k, k))
    g = grade_unknown_symbol(_frame(levels), _corners(21), _found(uec=None))
    assert g.parameters["decode"] == (0.0, 0)
    assert g.parameters["unused_error_correction"] == (0.0, 0)  # not measured: no free A


def test_unknown_symbol_without_the_readers_estimate_reads_the_grid_again() -> None:
    levels = _levels(HELLO)
    _flip(levels, HELLO, *_codeword_module(HELLO, 3))  # one codeword wrong: 1 − 2/8
    g = grade_unknown_symbol(_frame(levels), _corners(21), _found(uec=None, ec_level=None, mask=None))
    assert g.parameters["decode"] == (1.0, 4)
    assert g.parameters["unused_error_correction"] == (pytest.approx(0.8), 4)  # zxing-cpp's 1 − 2e / d
    assert g.parameters["fixed_pattern_damage"] == (4.0, 4)


def test_unknown_symbol_format_information_is_checked_when_level_and_mask_are_known() -> None:
    levels = _levels(HELLO)
    _flip(levels, HELLO, 8, 2)  # a format bit of the top-left copy
    frame = _frame(levels)
    assert grade_unknown_symbol(frame, _corners(21), _found()).parameters["fixed_pattern_damage"] == (3.0, 3)
    unknown = _found(ec_level=None, mask=None, uec=None)
    assert grade_unknown_symbol(frame, _corners(21), unknown).parameters["fixed_pattern_damage"] == (3.0, 3)
    _flip(levels, HELLO, 3, 8)  # and another of the same copy
    g = grade_unknown_symbol(_frame(levels), _corners(21), _found())
    assert g.parameters["fixed_pattern_damage"] == (2.0, 2)


@pytest.mark.parametrize(("weak", "low", "grade"), [(10, 0.48, 3), (8, 1.0, 4)])
def test_unknown_symbol_modulation_is_the_second_percentile(weak: int, low: float, grade: int) -> None:
    levels = _levels(HELLO)
    for k in range(weak):
        _soften(levels, HELLO, k // 2, 9 + k % 2, 0.48)  # in the symbol's top rows
    g = grade_unknown_symbol(_frame(levels), _corners(21), _found(uec=None))
    assert g.parameters["modulation"] == (pytest.approx(low, abs=0.01), grade)
    assert g.parameters["unused_error_correction"] == (1.0, 4)  # read again: nothing wrong


def test_unknown_symbol_without_version_or_contrast() -> None:
    frame = _frame(_levels(HELLO))
    for version in (None, 0):  # the timing patterns tell the version
        assert estimate_version(frame, _corners(21)) == 1
        g = grade_unknown_symbol(frame, _corners(21), _found(version=version, uec=0.9))
        assert g.parameters["decode"] == (1.0, 4) and g.letter == "A"
    v2 = make_symbol("TRACE-STATION-2026-DEMO")
    assert estimate_version(_frame(_levels(v2)), _corners(v2.modules)) == 2
    blank = np.full_like(frame, LIGHT)
    assert estimate_version(blank, _corners(21)) is None
    assert grade_unknown_symbol(blank, _corners(21), _found(version=None)).parameters == {"decode": (0.0, 0)}
    flat = _frame(_levels(HELLO, 100, 112))  # 12 grey levels: under 5 %
    g = grade_unknown_symbol(flat, _corners(21), _found(uec=None))
    assert g.parameters["symbol_contrast"] == (pytest.approx(12 / 255), 0) and g.grade == 0.0
    g = grade_unknown_symbol(_frame(_levels(HELLO, 100, 113)), _corners(21), _found(uec=None))
    assert g.parameters["modulation"] == (pytest.approx(1.0), 4)
    at = _frame(_levels(HELLO, 0.0, 12.75), np.float64)  # exactly 5 %: no symbol
    g = grade_unknown_symbol(at, _corners(21), _found(uec=None))
    assert g.parameters["symbol_contrast"] == (0.05, 0) and g.grade == 0.0


# --- decodability -----------------------------------------------------------------------------------------------


def _one_block(codewords: int, ec: int, protection: int) -> CodewordMap:
    return CodewordMap(
        size=21,
        modules=np.zeros((codewords, 8, 2), np.int32),
        block=np.zeros(codewords, np.int32),
        ec_per_block=np.array([float(ec)]),
        protection=protection,
    )


@pytest.mark.parametrize(
    ("grades", "errors", "expected"),
    [
        ([4] * 20, 0, 4),
        ([3] + [4] * 19, 0, 4),  # one erasure of 10: 0.9 at level A
        ([3] * 4 + [4] * 16, 0, 3),  # four erasures: 0.6 → B at level A; none at level B
        ([3] * 5 + [4] * 15, 0, 3),  # five: 0.5 → B
        ([2] * 5 + [4] * 15, 0, 3),  # erased at A and B: 0.5 → B at both; C at level C
        ([2] * 7 + [4] * 13, 0, 2),  # 0.3 → D at A and B; C (none erased) at level C
        ([0] * 20, 0, 0),  # erased at every level: 1 − 20/10 → 0
        ([4] * 20, 2, 3),  # no erasures, two errors: 1 − 4/10 = 0.6 → B at every level
        ([0, 0] + [4] * 18, 2, 3),  # codewords that are errors are not counted twice as erasures
        ([1] * 3 + [4] * 17, 0, 4),  # three erasures: 0.7
    ],
)
def test_decodability_takes_the_best_level(grades: list[int], errors: int, expected: int) -> None:
    cmap = _one_block(20, 10, 0)
    e = np.zeros(20, bool)
    e[:errors] = True
    assert _decodability(cmap, e, np.array(grades)) == expected


def test_decodability_at_level_d_only() -> None:
    cmap = _one_block(20, 10, 0)
    grades = np.array([0] * 9 + [1] + [4] * 10)  # level D: nine erased → 0.1 (F); so F
    assert _decodability(cmap, np.zeros(20, bool), grades) == 0
    grades = np.array([0] * 7 + [1] * 3 + [4] * 10)  # level D: 7 erased → 0.3 (D); level C: 10 erased → 0
    assert _decodability(cmap, np.zeros(20, bool), grades) == 1


def test_a_module_exactly_at_the_threshold_reads_light_and_weighs_nothing() -> None:
    levels = _levels(HELLO)
    for row in (2, 3, 4):
        levels[_at(levels, row, 4)] = (DARK + LIGHT) / 2  # the top-left finder core's right column, at the threshold
    g = _grade(levels)
    assert g.threshold == 120.0
    assert g.wrong_modules is not None
    assert np.argwhere(g.wrong_modules).tolist() == [[2, 4], [3, 4], [4, 4]]
    assert g.parameters["fixed_pattern_damage"] == (0.0, 0)
    # the core's centre measured from its two dark columns only: half a module left, which the grid fitted to all
    # the centres (the two other finders and the timing modules) partly follows
    gnu, grade = g.parameters["grid_nonuniformity"]
    assert 0.1 < gnu < 0.3 and grade == 4


# --- the fitted grid, every fixed pattern, decode ------------------------------------------------------------------

V7 = make_symbol("TRACE-STATION " * 8)  # version 7: six alignment patterns and version information


def _distorted(symbol: Symbol, strength: float, kind: str) -> tuple[np.ndarray, np.ndarray]:
    """The symbol's frame bent (barrel: ``strength`` modules at the symbol's corners) or with its right half
    stretched by ``strength``; the corners where the symbol's corners land."""
    frame = _frame(_levels(symbol)).astype(np.float32)
    n = symbol.modules
    h, w = frame.shape
    centre = (MARGIN + n / 2) * PX - 0.5
    ys, xs = np.indices((h, w), dtype=np.float32)
    if kind == "barrel":
        half = n / 2 * PX * math.sqrt(2)
        r2 = ((xs - centre) ** 2 + (ys - centre) ** 2) / half**2
        scale = 1 + strength * PX / half * (r2 - 1)  # the corners stay where they were
        map_x, map_y = centre + (xs - centre) * scale, centre + (ys - centre) * scale
    else:
        map_x = np.where(xs > centre, centre + (xs - centre) / strength, xs)
        map_y = ys
    bent = cv2.remap(frame, map_x.astype(np.float32), map_y.astype(np.float32), cv2.INTER_LINEAR, borderValue=LIGHT)
    corners = _corners(n)
    if kind == "stretch":
        corners[[1, 2], 0] = centre + (corners[[1, 2], 0] - centre) * strength
    return bent.astype(np.uint8), corners


@pytest.mark.parametrize("kind", ["barrel", "stretch"])
def test_grid_nonuniformity_grows_as_the_symbol_bends(kind: str) -> None:
    strengths = (0.0, 1.0, 2.0, 3.0) if kind == "barrel" else (1.0, 1.05, 1.1, 1.2)
    values, grades = [], []
    for strength in strengths:
        frame, corners = _distorted(V7, strength, kind)
        gnu, grade = grade_symbol(frame, corners, V7, True).parameters["grid_nonuniformity"]
        values.append(gnu)
        grades.append(grade)
    assert values[0] < 0.05 and grades[0] == 4
    assert all(a < b for a, b in zip(values, values[1:], strict=False)), values
    assert grades[-1] < 4, (values, grades)
    assert grades == sorted(grades, reverse=True)


def test_fit_grid_measures_every_alignment_pattern() -> None:
    frame = _frame(_levels(V7))
    assert len(features(7).points) == 3 + 6
    true = _corners(V7.modules)
    fit = fit_grid(frame, true + np.array([1.5, -1.0]), 7, 120.0)
    assert fit is not None and fit.trusted and fit.deviation < 0.02
    assert fit.corners == pytest.approx(true, abs=0.1)  # a hundredth of a module
    moved = frame.copy()
    r, c = MARGIN + 22, MARGIN + 22  # the middle alignment pattern moved 0.4 module right
    block = moved[(r - 2) * PX : (r + 3) * PX, (c - 2) * PX : (c + 3) * PX].copy()
    moved[(r - 2) * PX : (r + 3) * PX, (c - 2) * PX : (c + 3) * PX] = LIGHT
    moved[(r - 2) * PX : (r + 3) * PX, (c - 2) * PX + 4 : (c + 3) * PX + 4] = block
    fit = fit_grid(moved, true, 7, 120.0)
    assert fit is not None and fit.deviation == pytest.approx(0.4, abs=0.06)


V7_SEGMENTS = {
    "alignment": [(22, 22), (20, 20), (24, 38)],  # centre and corner modules of two alignment patterns
    "timing": [(6, 15), (20, 6)],
    "format top-left": [(8, 0), (2, 8)],
    "format other": [(8, 40), (40, 8), (37, 8)],  # two bits and the dark module
    "version": [(0, 34), (5, 36), (34, 0), (36, 5)],  # each copy
}


@pytest.mark.parametrize("place", [(s, m) for s, ms in V7_SEGMENTS.items() for m in ms])
def test_each_kind_of_fixed_pattern_is_checked(place: tuple[str, tuple[int, int]]) -> None:
    _segment, (row, col) = place
    levels = _levels(V7)
    _flip(levels, V7, row, col)
    g = grade_symbol(_frame(levels), _corners(V7.modules), V7, True)
    assert g.parameters["fixed_pattern_damage"] == (3.0, 3)
    assert g.parameters["decode"] == (1.0, 4)


def test_version_information_damage_adds_up_per_copy() -> None:
    levels = _levels(V7)
    for row, col in [(0, 34), (1, 34), (2, 34)]:
        _flip(levels, V7, row, col)
    g = grade_symbol(_frame(levels), _corners(V7.modules), V7, True)
    assert g.parameters["fixed_pattern_damage"] == (1.0, 1)


def test_decode_is_the_grid_as_read_read_again() -> None:
    assert _grade(_levels(HELLO)).parameters["decode"] == (1.0, 4)
    levels = _levels(HELLO)
    for k in range(6):  # six codewords wrong: beyond version 1-M's ten correction codewords
        _flip(levels, HELLO, *_codeword_module(HELLO, 2 * k, k))
    assert _grade(levels).parameters["decode"] == (0.0, 0)
    other = make_symbol("HELLP")  # the same version and level, other data: reads, but not the expected bytes
    assert other.version == HELLO.version
    assert grade_symbol(_frame(_levels(other)), _corners(21), HELLO, True).parameters["decode"] == (0.0, 0)
    assert grade_symbol(_frame(_levels(other)), _corners(21), other, True).parameters["decode"] == (1.0, 4)
    assert reference_decode(HELLO.matrix) is not None
    assert bytes(reference_decode(HELLO.matrix).bytes) == b"HELLO"


def test_grade_is_measured_from_refined_corners() -> None:
    frame = _frame(_levels(HELLO))
    true = _corners(21)
    g = grade_symbol(frame, np.rint(true + np.array([2.3, -1.6])), HELLO, True)
    assert g.corners is not None and g.corners == pytest.approx(true, abs=0.1)  # a hundredth of a module
    assert g.parameters["grid_nonuniformity"][0] < 0.02 and g.letter == "A"
