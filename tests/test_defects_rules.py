"""Defect finding pinned on a synthetic label: a QR symbol and strokes drawn dot by dot, filmed exactly as a sound
print is predicted to read (softened by the camera), with one known defect at a time; the clean label reports
nothing, and each defect is reported once, where it is."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image

import station.verify.defects as defects
from station.labels.render import Label, PlacedQr
from station.qr import make_symbol
from station.verify.defects import (
    CAMERA_BLUR,
    Defect,
    Reference,
    _blobs,
    _code_text,
    _components,
    _dead_elements,
    _groups,
    _lighter_shares,
    _local_levels,
    _missing_ink,
    _refine,
    align,
    compare,
)

W, H = 200, 120
SYMBOL = make_symbol("HELLO")
QR = PlacedQr("qr", "HELLO", 16, 16, 4, 21, SYMBOL.version, SYMBOL.error, SYMBOL.mask)
CODE_BOX = (118, 98, 192, 106)


def _ink() -> np.ndarray:
    """The label's ink: the symbol at (16, 16), 4 dots a module, and text-like strokes right of it."""
    ink = np.zeros((H, W), bool)
    ink[16:100, 16:100] = np.kron(SYMBOL.matrix, np.ones((4, 4), bool))
    for x in (112, 124, 136):
        ink[20:60, x : x + 2] = True  # two-dot strokes
    ink[20:22, 112:150] = True
    ink[40:42, 124:170] = True
    ink[70:90, 150:180] = True  # a solid block
    ink[70:100, 114] = True  # a one-dot stroke
    ink[96:110, 3:7] = True  # bars reaching the first and last judged columns
    ink[96:110, W - 7 : W - 3] = True
    ink[100:104, 120:190] = True  # the human-readable code's line
    return ink


INK = _ink()


def _reference(ink: np.ndarray = INK, box: tuple[int, int, int, int] | None = CODE_BOX) -> Reference:
    return Reference(ink, QR, box)


def _film(ink: np.ndarray, paper: float = 255, dark: float = 0) -> np.ndarray:
    """The frame of a print of ``ink`` at one pixel a dot, as the camera softens it."""
    soft = cv2.GaussianBlur(ink.astype(np.float32), (0, 0), CAMERA_BLUR)
    return np.round(paper - (paper - dark) * soft).astype(np.uint8)


CORNERS = np.array([[16.0, 16.0], [100.0, 16.0], [100.0, 100.0], [16.0, 100.0]])  # the QR's corners in the frame


def _found(frame: np.ndarray, corners: np.ndarray = CORNERS, reference: Reference | None = None) -> list[tuple]:
    result = compare(frame, corners, reference or _reference())
    return [(d.kind, d.location) for d in result.defects]


def _dead(*columns: int) -> np.ndarray:
    ink = INK.copy()
    for x in columns:
        ink[:, x] = False
    return ink


# --- the reference ----------------------------------------------------------------------------------------------


def test_reference_corners_and_judged_columns() -> None:
    ref = _reference()
    assert ref.qr_corners().tolist() == [[15.5, 15.5], [99.5, 15.5], [99.5, 99.5], [15.5, 99.5]]
    inked = ref.inked_columns()
    assert not inked[:, :3].any() and not inked[:, -3:].any()
    assert np.array_equal(inked[:, 3:-3], INK[:, 3:-3]) and inked[:, 3].sum() == 14 and inked[:, W - 4].sum() == 14
    assert ref.inked_columns() is inked and INK[:, 3].sum() == 14  # cached, and the image itself is untouched


def test_reference_predictions() -> None:
    ref = _reference()
    predicted = ref.predicted()
    expected = 1.0 - cv2.GaussianBlur(INK.astype(np.float32), (0, 0), 0.7)
    assert np.array_equal(predicted, expected) and ref.predicted() is predicted
    darkest = ref.darkest_sound()
    assert darkest[80, 165] == pytest.approx(0.0, abs=1e-3)  # inside solid ink
    assert darkest[85, 114] == pytest.approx(0.601, abs=0.01)  # a one-dot stroke never reads as dark
    assert darkest[5, 190] == pytest.approx(1.0)  # clear paper
    soft = 1.0 - cv2.GaussianBlur(INK.astype(np.float32), (0, 0), 1.0)
    assert np.array_equal(darkest, cv2.erode(soft, np.ones((3, 3), np.uint8))) and ref.darkest_sound() is darkest
    template = ref.ecc_template()
    assert template.shape == (H // 2, W // 2) and ref.ecc_template() is template
    half = cv2.resize((~INK).astype(np.float32), (W // 2, H // 2), interpolation=cv2.INTER_AREA)
    assert np.array_equal(template, cv2.GaussianBlur(half, (0, 0), 0.5))


def test_reference_from_a_rendered_label() -> None:
    image = Image.fromarray(np.where(INK, 0, 255).astype(np.uint8)).convert("1")
    ref = Reference.from_label(Label(image=image, qrs=[QR]), CODE_BOX)
    assert ref.image.dtype == bool and np.array_equal(ref.image, INK)
    assert ref.qr is QR and ref.code_box == CODE_BOX
    grey = np.where(INK, 0, 255).astype(np.uint8)
    grey[5, 5] = 10  # a greyscale label: near-black is ink once made bilevel
    ref = Reference.from_label(Label(image=Image.fromarray(grey), qrs=[QR]))
    assert bool(ref.image[5, 5]) and int(ref.image.sum()) == int(INK.sum()) + 1 and ref.code_box is None


def test_defect_as_json() -> None:
    d = Defect("void", {"x": 1, "y": 2, "w": 3, "h": 4}, "12 dots without ink")
    assert d.to_json() == {
        "kind": "void",
        "location": {"x": 1, "y": 2, "w": 3, "h": 4},
        "detail": "12 dots without ink",
    }
    assert Defect("smear", {"x": 0}).to_json()["detail"] == ""


# --- alignment --------------------------------------------------------------------------------------------------


def test_align_maps_reference_dots_onto_the_frame() -> None:
    frame = _film(INK)
    aligned, homography = align(frame, CORNERS, _reference())
    assert np.allclose(homography, np.eye(3), atol=1e-9)
    assert np.array_equal(aligned, frame)
    big = cv2.resize(frame, (2 * W, 2 * H), interpolation=cv2.INTER_NEAREST)
    aligned, homography = align(big, CORNERS * 2, _reference())  # two pixels a dot: dot i at pixels 2i, 2i + 1
    assert np.allclose(homography, np.array([[2, 0, 0.5], [0, 2, 0.5], [0, 0, 1]]), atol=1e-6)
    assert aligned.shape == (H, W) and np.abs(aligned.astype(int) - frame).max() <= 1


def _shifted(dx: int = 0, dy: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    frame = np.roll(_film(INK), (dy, dx), axis=(0, 1))
    raw, homography = align(frame, CORNERS, _reference())
    return frame, raw, homography


@pytest.mark.parametrize(("dx", "dy"), [(0, 0), (1, 0), (3, 0), (0, 3)])
def test_refine_follows_the_whole_label(dx: int, dy: int) -> None:
    frame, raw, homography = _shifted(dx, dy)
    refined, combined = _refine(frame, raw, homography, _reference())
    assert combined[0, 2] == pytest.approx(dx, abs=0.5) and combined[1, 2] == pytest.approx(dy, abs=0.5)
    assert combined[:2, :2] == pytest.approx(np.eye(2), abs=0.01)
    flags = cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP
    again = cv2.warpPerspective(frame, combined, (W, H), flags=flags, borderMode=cv2.BORDER_REPLICATE)
    assert np.array_equal(refined, again)
    if dx or dy:  # the half-resolution correction, doubled: closer to the print than the QR fit alone
        assert np.abs(refined.astype(int) - _film(INK)).mean() < np.abs(raw.astype(int) - _film(INK)).mean() / 2


@pytest.mark.parametrize(("dx", "dy"), [(4, 0), (0, 5)])
def test_refine_refuses_a_large_shift(dx: int, dy: int) -> None:
    frame, raw, homography = _shifted(dx, dy)  # over 2 dots at half resolution: more than a refinement
    refined, combined = _refine(frame, raw, homography, _reference())
    assert refined is raw and combined is homography


@pytest.mark.parametrize(
    ("matrix", "kept"),
    [
        ([[1.04, 0, 0], [0, 1, 0]], False),
        ([[1.06, 0, 0], [0, 1, 0]], True),
        ([[1, 0.03, 0], [0, 1, 0]], False),
        ([[1, 0.06, 0], [0, 1, 0]], True),
        ([[1, 0, 0], [0, 1.06, 0]], True),
    ],
)
def test_refine_refuses_a_large_scale_or_shear(matrix: list[list[float]], kept: bool) -> None:
    frame = cv2.warpAffine(_film(INK), np.array(matrix, np.float32), (W, H), borderMode=cv2.BORDER_REPLICATE)
    raw, homography = align(frame, CORNERS, _reference())
    refined, combined = _refine(frame, raw, homography, _reference())
    assert (combined is homography) == kept
    if not kept:
        assert combined[:2, :2] == pytest.approx(np.array(matrix)[:, :2], abs=0.01)


def test_refine_keeps_the_qr_fit_when_it_cannot_converge() -> None:
    blank = np.full((H, W), 255, np.uint8)
    raw, homography = align(blank, CORNERS, _reference())
    refined, combined = _refine(blank, raw, homography, _reference())
    assert refined is raw and combined is homography


# --- the whole comparison ---------------------------------------------------------------------------------------


def test_clean_label_reports_nothing_with_its_levels() -> None:
    result = compare(_film(INK), CORNERS, _reference())
    assert result.defects == []
    assert result.paper == 255.0 and result.ink == pytest.approx(2.0, abs=1.0)
    assert result.aligned.dtype == np.float32
    assert result.aligned == pytest.approx(_reference().predicted(), abs=0.03)
    assert np.allclose(result.homography, np.eye(3), atol=0.02)


@pytest.mark.parametrize(("paper", "dark"), [(200, 40), (255, 60), (170, 0)])
def test_paper_and_ink_levels_are_measured(paper: int, dark: int) -> None:
    result = compare(_film(INK, paper, dark), CORNERS, _reference())
    assert result.defects == []
    assert result.paper == paper and result.ink == pytest.approx(dark + 2, abs=1.5)
    assert result.aligned == pytest.approx(_reference().predicted(), abs=0.03)
    dead = compare(_film(_dead(50), paper, dark), CORNERS, _reference())
    assert [(d.kind, d.location) for d in dead.defects] == [("dead_element", {"dot": 50})]


def test_uneven_lighting_is_not_a_defect() -> None:
    frame = np.round(_film(INK) * np.linspace(0.7, 1.0, W)[None, :]).astype(np.uint8)
    assert _found(frame) == []
    frame = np.round(_film(_dead(160)) * np.linspace(0.7, 1.0, W)[None, :]).astype(np.uint8)
    assert _found(frame) == [("dead_element", {"dot": 160})]


@pytest.mark.parametrize(
    ("dot", "share"),
    [
        (3, 100),  # the first judged column, one dot inside the die-cut edge
        (25, 100),  # through the top-left finder's core
        (50, 100),  # through the symbol's data
        (97, 100),  # through the right finder's outer ring
        (113, 99),  # the second dot of a two-dot stroke
        (114, 100),  # a one-dot stroke
        (125, 100),
        (160, 100),  # through the solid block
        (W - 5, 100),
        (W - 4, 91),  # the last judged column: its window is cut short by the edge
    ],
)
def test_dead_element_is_found_at_its_dot(dot: int, share: int) -> None:
    result = compare(_film(_dead(dot)), CORNERS, _reference())
    assert [(d.kind, d.location) for d in result.defects] == [("dead_element", {"dot": dot})]
    assert result.defects[0].detail == f"{share}% of the column's ink missing"


def _film_off(ink: np.ndarray, dx: float) -> np.ndarray:
    """The print filmed ``dx`` dots to the right of where the QR corners say (a sub-dot misalignment)."""
    soft = cv2.GaussianBlur(ink.astype(np.float32), (0, 0), CAMERA_BLUR)
    shift = np.array([[1, 0, dx], [0, 1, 0]], np.float32)
    soft = cv2.warpAffine(soft, shift, (W, H), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return np.round(255 - 255 * soft).astype(np.uint8)


@pytest.mark.parametrize("dot", [3, 25, 50, 97, 113, 114, 125, 160, W - 5, W - 4])
def test_dead_element_is_found_at_its_dot_half_a_dot_off(dot: int) -> None:
    found = compare(_film_off(_dead(dot), 0.5), CORNERS + [0.5, 0.0], _reference()).defects
    assert [(d.kind, d.location) for d in found] == [("dead_element", {"dot": dot})]
    assert int(found[0].detail.split("%")[0]) >= 40  # DEAD_MISSING


def test_dead_element_detail_is_the_share_missing() -> None:
    [d] = compare(_film(_dead(50)), CORNERS, _reference()).defects
    assert d.detail == "100% of the column's ink missing"


@pytest.mark.parametrize("dot", [0, 1, 2, W - 3, W - 1])
def test_the_die_cut_edge_is_not_judged(dot: int) -> None:
    ink = INK.copy()
    ink[96:110, :7] = ink[96:110, W - 7 :] = True  # bars from the label's very edges
    ref = _reference(ink)
    frame = ink.copy()
    frame[:, dot] = False
    assert _found(_film(frame), reference=ref) == []


def test_two_dead_elements_are_both_found() -> None:
    assert sorted(_found(_film(_dead(50, 160))), key=str) == [
        ("dead_element", {"dot": 160}),
        ("dead_element", {"dot": 50}),
    ]
    assert sorted(d["dot"] for _k, d in _found(_film(_dead(50, 53)))) == [50, 53]


def test_dead_elements_two_dots_apart_are_reported_once() -> None:
    assert [k for k, _ in _found(_film(_dead(50, 52)))] == ["dead_element"]


@pytest.mark.parametrize(
    "columns", [(50, 52), (50, 51), (124, 126), (112, 114), (136, 137), (160, 161, 162), (124, 125), (112, 113)]
)
@pytest.mark.parametrize("off", [0.0, 0.5])
def test_neighbouring_dead_elements_are_reported_where_they_are(columns: tuple[int, ...], off: float) -> None:
    """Dead elements up to two dots apart make one report: at a dot within one of a dead column, and no dead
    column more than two dots from a reported one; nothing else (no void along the missing strokes)."""
    found = _found(_film_off(_dead(*columns), off), CORNERS + [off, 0.0])
    assert found and all(kind == "dead_element" for kind, _ in found), found
    dots = [loc["dot"] for _k, loc in found]
    assert all(min(abs(d - c) for c in columns) <= 1 for d in dots), dots
    assert all(min(abs(d - c) for d in dots) <= 2 for c in columns), dots


def test_dead_element_with_a_void_and_a_smear() -> None:
    ink = _dead(50)
    ink[74:80, 160:166] = False
    ink[60:65, 105:110] = True
    assert _found(_film(ink)) == [
        ("dead_element", {"dot": 50}),
        ("void", {"x": 161, "y": 75, "w": 4, "h": 4}),
        ("smear", {"x": 105, "y": 60, "w": 5, "h": 5}),
    ]


def test_a_void_crossed_by_a_dead_element_is_the_dead_element() -> None:
    ink = _dead(162)
    ink[74:80, 160:166] = False
    assert _found(_film(ink)) == [("dead_element", {"dot": 162})]


def test_frame_a_dot_off_still_finds_the_dead_element() -> None:
    assert _found(np.roll(_film(_dead(50)), 1, axis=1)) == [("dead_element", {"dot": 50})]
    big = cv2.resize(_film(_dead(50)), (2 * W, 2 * H), interpolation=cv2.INTER_LINEAR)
    assert _found(big, CORNERS * 2) == [("dead_element", {"dot": 50})]
    assert _found(cv2.resize(_film(INK), (2 * W, 2 * H), interpolation=cv2.INTER_LINEAR), CORNERS * 2) == []


def test_at_most_eight_dead_elements_are_reported() -> None:
    columns = list(range(20, 100, 8))  # ten columns through the symbol
    found = _found(_film(_dead(*columns)))
    assert len(found) == 8 and all(kind == "dead_element" for kind, _ in found)
    assert {loc["dot"] for _k, loc in found} < set(columns)


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ((160, 74, 166, 80), {"x": 161, "y": 75, "w": 4, "h": 4}),  # in the solid block
        ((16, 16, 22, 22), {"x": 16, "y": 16, "w": 5, "h": 5}),  # in the top-left finder, at the symbol's corner
        ((170, 82, 180, 90), {"x": 171, "y": 83, "w": 9, "h": 7}),  # at the block's corner
    ],
)
def test_void_is_found_where_the_ink_went(box: tuple[int, int, int, int], expected: dict[str, int]) -> None:
    ink = INK.copy()
    x0, y0, x1, y1 = box
    ink[y0:y1, x0:x1] = False
    found = _found(_film(ink))
    assert found == [("void", expected)]


def test_a_small_void_is_not_a_patch() -> None:
    ink = INK.copy()
    ink[74:78, 160:164] = False  # 4 × 4: the two dots of tolerance leave four, fewer than VOID_MIN_AREA
    assert _found(_film(ink)) == []


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ((105, 60, 110, 65), {"x": 105, "y": 60, "w": 5, "h": 5}),
        ((185, 30, 191, 33), {"x": 185, "y": 30, "w": 6, "h": 3}),
        ((3, 40, 9, 46), {"x": 3, "y": 40, "w": 6, "h": 6}),  # right at the die-cut edge
    ],
)
def test_smear_is_found_where_the_ink_fell(box: tuple[int, int, int, int], expected: dict[str, int]) -> None:
    ink = INK.copy()
    x0, y0, x1, y1 = box
    ink[y0:y1, x0:x1] = True
    assert _found(_film(ink)) == [("smear", expected)]


@pytest.mark.parametrize(
    "box",
    [
        (105, 60, 107, 62),  # 2 × 2: a speck
        (0, 40, 3, 50),  # on the die-cut edge
        (100, 30, 101, 45),  # ink spread along the finder's edge, within a dot of it
    ],
)
def test_what_is_not_a_smear(box: tuple[int, int, int, int]) -> None:
    ink = INK.copy()
    x0, y0, x1, y1 = box
    ink[y0:y1, x0:x1] = True
    assert [k for k, _ in _found(_film(ink), reference=_reference(INK, None))] == []


def test_damaged_code_text_is_reported_with_its_box() -> None:
    ink = INK.copy()
    ink[100:104, 150:170] = False
    assert _found(_film(ink)) == [
        ("void", {"x": 151, "y": 100, "w": 18, "h": 4}),
        ("code_text", {"x": 118, "y": 98, "w": 74, "h": 8}),
    ]
    [text] = [d for d in compare(_film(ink), CORNERS, _reference()).defects if d.kind == "code_text"]
    assert text.detail == "26% of the human-readable code differs"
    assert _found(_film(ink), reference=_reference(INK, None)) == [("void", {"x": 151, "y": 100, "w": 18, "h": 4})]


# --- the pieces -------------------------------------------------------------------------------------------------


def _local_level(raw: np.ndarray, mask: np.ndarray, fallback: float, sigma: float = 12.0) -> np.ndarray:
    """One map of ``_local_levels`` (the other mask is all paper, to show the two maps do not mix)."""
    level, other = _local_levels(raw, (mask, np.ones_like(mask)), (fallback, -1.0), sigma)
    assert other.min() >= raw.min() - 1 and other.max() <= raw.max() + 1
    return level


def test_local_level_is_the_masked_mean_nearby() -> None:
    raw = np.full((40, 80), 100, np.uint8)
    raw[:, 40:] = 200
    mask = np.zeros((40, 80), bool)
    mask[::2, ::2] = True
    level = _local_level(raw, mask, 7.0)
    assert level.shape == (40, 80) and level.dtype == np.float32
    assert level[20, 2] == pytest.approx(100, abs=2) and level[20, 77] == pytest.approx(200, abs=2)
    assert 100 < level[20, 40] < 200
    mask[:] = False
    assert np.all(_local_level(raw, mask, 7.0) == 7.0)  # nothing to measure: the fallback
    only_left = np.zeros((40, 80), bool)
    only_left[:, :4] = True
    far = _local_level(raw, only_left, 7.0, sigma=4.0)
    assert far[20, 79] == 7.0 and far[20, 0] == pytest.approx(100, abs=1)


def test_components_and_groups() -> None:
    mask = np.zeros((30, 30), bool)
    mask[5:8, 5:8] = True  # 9 dots
    mask[5:8, 9:11] = True  # 6 dots, a dot apart from the first
    mask[20, 20:24] = True  # 4 dots
    assert _components(mask, 5) == [(5, 5, 3, 3, 9), (9, 5, 2, 3, 6)]
    assert _components(mask, 7) == [(5, 5, 3, 3, 9)]
    assert _groups(mask, 5) == [(5, 5, 6, 3, 15)]
    assert _groups(mask, 4) == [(5, 5, 6, 3, 15), (20, 20, 4, 1, 4)]
    assert _groups(mask, 16) == []
    assert _components(mask, 20) == [] and _groups(mask, 20) == []  # fewer dots in all than the least area
    diagonal = np.zeros((10, 10), bool)
    diagonal[[2, 3, 4], [2, 3, 4]] = True
    assert _components(diagonal, 3) == [(2, 2, 3, 3, 3)]


def test_missing_ink_of_a_column() -> None:
    ref = _reference()
    clean = _film(INK) / 255.0 - ref.predicted()
    dead = _film(_dead(50)) / 255.0 - ref.predicted()
    assert _missing_ink(clean, ref, 50) == pytest.approx(0.0, abs=0.05)
    assert _missing_ink(dead, ref, 50) == pytest.approx(1.0, abs=0.05)
    assert _missing_ink(dead, ref, 0) == 0.0 and _missing_ink(dead, ref, W - 1) == 0.0
    few = INK.copy()
    few[:, 60] = False
    few[30:33, 60] = True  # three dots of ink: judged; two: not
    three = _reference(few)
    gone = np.zeros((H, W), np.float32)
    gone[30:33, 60] = 1.0
    assert _missing_ink(cv2.GaussianBlur(gone, (0, 0), CAMERA_BLUR), three, 60) == pytest.approx(1.0, abs=0.1)
    few[30, 60] = False
    assert _missing_ink(cv2.GaussianBlur(gone, (0, 0), CAMERA_BLUR), _reference(few), 60) == 0.0


def test_dead_elements_on_normalised_frames() -> None:
    ref = _reference()
    assert _dead_elements(ref.predicted().copy(), ref) == []
    norm = _film(_dead(125)) / 255.0
    [d] = _dead_elements(norm.astype(np.float32), ref)
    assert (d.kind, d.location) == ("dead_element", {"dot": 125})
    half = ref.predicted().copy()  # a dead dot seen between two columns: half lighter in each
    half[:, 124:126] += np.where(INK[:, 124:126], 0.45, 0.0)
    assert [x.location["dot"] for x in _dead_elements(half, ref)] in ([124], [125])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lighter_shares_follow_their_definition(seed: int) -> None:
    """The shares a column is suspect by, against their definition written out column by column."""
    ref = _reference()
    # in 64ths: every sum and half below is exact, and none lies on the threshold
    residual = (np.round(np.random.default_rng(seed).normal(0.0, 0.2, INK.shape) * 64) / 64).astype(np.float32)
    share, pair_share = _lighter_shares(residual, ref)
    inked = ref.inked_columns()
    both = inked[:, :-1] & inked[:, 1:]
    for x in range(3, W - 4):
        lighter = residual[:, x] - (residual[:, x - 2] + residual[:, x + 2]) / 2 > 0.2
        dots = int(inked[:, x].sum())
        expected = (lighter & inked[:, x]).sum() / dots if dots >= 3 else 0.0
        assert share[x] == pytest.approx(expected, abs=1e-9)
        pair = (residual[:, x] + residual[:, x + 1]) / 2 - (residual[:, x - 2] + residual[:, x + 3]) / 2 > 0.2
        dots = int(both[:, x].sum())
        expected = (pair & both[:, x]).sum() / dots if dots >= 3 else 0.0
        assert pair_share[x] == pytest.approx(expected, abs=1e-9)


def test_blobs_leave_out_dead_columns() -> None:
    ink = INK.copy()
    ink[74:80, 160:166] = False
    ref = _reference()
    norm = (_film(ink) / 255.0).astype(np.float32)
    assert [(d.kind, d.location) for d in _blobs(norm, ref, set())] == [("void", {"x": 161, "y": 75, "w": 4, "h": 4})]
    assert _blobs(norm, ref, {162}) == []  # columns 161..164 are the dead element's
    assert [d.location for d in _blobs(norm, ref, {166})] == [{"x": 161, "y": 75, "w": 4, "h": 4}]
    assert [d.location for d in _blobs(norm, ref, {158})] == [{"x": 161, "y": 75, "w": 4, "h": 4}]
    [d] = _blobs(norm, ref, {159})  # column 158..161 taken: the void's other three columns remain
    assert d.location == {"x": 162, "y": 75, "w": 3, "h": 4}


def test_code_text_mismatch_threshold() -> None:
    ink = np.zeros((20, 110), bool)
    ink[5:15, 5:15] = True  # 100 dots of code
    box = (0, 0, 110, 20)
    norm = np.where(ink, 0.0, 1.0).astype(np.float32)
    assert _code_text(norm, ink, box) == []
    stray = norm.copy()
    stray[5, 50:53] = 0.0  # three dots of ink away from the code: 3 %
    [d] = _code_text(stray, ink, box)
    assert (d.kind, d.location) == ("code_text", {"x": 0, "y": 0, "w": 110, "h": 20})
    assert d.detail == "3% of the human-readable code differs"
    stray[5, 52] = 1.0  # two dots: 2 %
    assert _code_text(stray, ink, box) == []
    stray[5, 15] = 0.0  # a dot off the code's edge is within tolerance
    assert _code_text(stray, ink, box) == []
    gone = norm.copy()
    gone[9:12, 9] = 1.0  # three dots missing inside the code: still seen within a dot of them
    assert _code_text(gone, ink, box) == []
    gone[7:13, 8:12] = 0.5  # 0.5 is not ink: a hole of 4 × 6, of which 2 × 4 are more than a dot from ink seen
    [d] = _code_text(gone, ink, box)
    assert d.detail == "8% of the human-readable code differs"
    assert _code_text(norm, np.zeros_like(ink), box) == []  # no code in the box: nothing to compare


def test_code_text_mismatch_can_be_traced(monkeypatch: pytest.MonkeyPatch) -> None:
    trace: list[float] = []
    monkeypatch.setattr(defects, "TRACE", trace)
    ink = np.zeros((20, 110), bool)
    ink[5:15, 5:15] = True
    norm = np.where(ink, 0.0, 1.0).astype(np.float32)
    norm[5, 50:55] = 0.0
    _code_text(norm, ink, (0, 0, 110, 20))
    assert trace == [0.05]


def _sound() -> np.ndarray:
    return _reference().predicted().copy()


@pytest.mark.parametrize(
    ("extra", "reported"),
    [
        ([(1, 2)], True),  # 2 × 2 and one more: five dots, VOID_MIN_AREA
        ([], False),  # 2 × 2: four dots
    ],
)
def test_void_least_area(extra: list[tuple[int, int]], reported: bool) -> None:
    missing = np.zeros((H, W), np.uint8)
    for r, c in [(0, 0), (0, 1), (1, 0), (1, 1), *extra]:
        missing[78 + r, 160 + c] = 1
    norm = _sound()
    norm[cv2.dilate(missing, np.ones((3, 3), np.uint8)).astype(bool)] = 1.0  # paper around every missing dot
    found = [(d.kind, d.location, d.detail) for d in _blobs(norm, _reference(), set())]
    expected = [("void", {"x": 160, "y": 78, "w": 3, "h": 2}, "5 dots without ink")]
    assert found == (expected if reported else [])


def test_a_hairline_of_missing_ink_is_not_a_void() -> None:
    norm = _sound()
    norm[74:77, 155:175] = 1.0  # 3 dots tall: a line one dot tall and 18 long is missing beyond the tolerance
    assert _blobs(norm, _reference(), set()) == []
    norm[74:78, 155:175] = 1.0  # 4 dots tall: two rows missing, a patch
    assert [d.location for d in _blobs(norm, _reference(), set())] == [{"x": 156, "y": 75, "w": 18, "h": 2}]
    norm = _sound()
    norm[72:88, 160:163] = 1.0  # 3 dots wide, down the block: a one-dot hairline again
    assert _blobs(norm, _reference(), set()) == []
    norm[84:88, 170:176] = 1.0  # and a patch below it: the hairline does not hide it
    assert [d.location for d in _blobs(norm, _reference(), set())] == [{"x": 171, "y": 85, "w": 4, "h": 2}]


@pytest.mark.parametrize(("dots", "reported"), [(8, True), (7, False)])
def test_smear_least_area(dots: int, reported: bool) -> None:
    norm = _sound()
    for k in range(dots):
        norm[60 + k // 4, 105 + k % 4] = 0.29  # just darker than 0.3
    found = [(d.kind, d.location, d.detail) for d in _blobs(norm, _reference(), set())]
    assert found == ([("smear", {"x": 105, "y": 60, "w": 4, "h": 2}, "8 dots of stray ink")] if reported else [])
    norm[60:62, 105:109] = 0.3  # as light as 0.3 is not ink
    assert _blobs(norm, _reference(), set()) == []


def test_missing_ink_must_read_a_quarter_lighter_than_sound() -> None:
    missing = np.zeros((H, W), np.uint8)
    missing[78:80, 160:163] = 1
    grown = cv2.dilate(missing, np.ones((3, 3), np.uint8)).astype(bool)
    norm = _sound()
    norm[grown] = 0.26  # solid ink reads about 0: 0.26 lighter is missing
    assert [d.location for d in _blobs(norm, _reference(), set())] == [{"x": 160, "y": 78, "w": 3, "h": 2}]
    norm[grown] = 0.24
    assert _blobs(norm, _reference(), set()) == []


def test_label_rows_outside_the_frame_read_as_the_nearest_paper() -> None:
    frame = _film(INK)[4:, :]  # the frame misses the label's top four rows (clear paper there)
    corners = CORNERS - [0.0, 4.0]
    aligned, homography = align(frame, corners, _reference())
    assert aligned[:5].min() == 255
    refined, _combined = _refine(frame, aligned, homography, _reference())
    assert refined[:5].min() == 255
    assert _found(frame, corners) == []


def test_levels_fall_back_when_the_reference_has_no_paper_or_no_solid_ink() -> None:
    thin = np.zeros((H, W), bool)
    thin[10:110, 20:180:4] = True  # one-dot lines only: no solid ink to measure
    result = compare(_film(thin), CORNERS, _reference(thin, None))
    assert (result.paper, result.ink, result.defects) == (255.0, 0.0, [])
    solid = np.ones((H, W), bool)  # all ink: no clear paper to measure
    result = compare(_film(solid), CORNERS, _reference(solid, None))
    assert (result.paper, result.ink, result.defects) == (255.0, 0.0, [])


def test_normalised_frame_is_clipped_and_never_stretched_below_eight_levels() -> None:
    frame = _film(INK, 150, 60)
    frame[5:8, 190:193] = 255  # glare, far lighter than the paper
    frame[80, 165] = 0  # darker than the ink
    result = compare(frame, CORNERS, _reference())
    assert result.aligned.max() == 1.5 and result.aligned.min() == -0.5
    faint = compare(_film(INK, 130, 126), CORNERS, _reference())  # 4 levels of contrast: taken as 8
    assert (faint.paper, faint.ink) == (130.0, 126.0)
    assert faint.aligned[5, 190] == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize(("dots", "found"), [(10, True), (3, True), (2, False)])
def test_a_column_needs_three_inked_dots_to_be_judged(dots: int, found: bool) -> None:
    ink = INK.copy()
    ink[30 : 30 + dots, 190] = True  # a short one-dot stroke alone in its column
    frame = ink.copy()
    frame[:, 190] = False
    assert _found(_film(frame), reference=_reference(ink)) == ([("dead_element", {"dot": 190})] if found else [])


@pytest.mark.parametrize(
    "box",
    [(60, 0, 66, 3), (60, H - 3, 66, H), (W - 3, 40, W, 50), (0, 40, 3, 50)],  # top, bottom, right, left edges
)
def test_a_smear_on_the_die_cut_edge_is_not_judged(box: tuple[int, int, int, int]) -> None:
    ink = INK.copy()
    x0, y0, x1, y1 = box
    ink[y0:y1, x0:x1] = True
    assert _found(_film(ink), reference=_reference(INK, None)) == []


@pytest.mark.parametrize(
    ("box", "expected"),
    [
        ((60, 3, 66, 9), {"x": 60, "y": 3, "w": 6, "h": 6}),
        ((60, H - 9, 66, H - 3), {"x": 60, "y": H - 9, "w": 6, "h": 6}),
        ((W - 12, 20, W - 3, 26), {"x": W - 12, "y": 20, "w": 9, "h": 6}),
    ],
)
def test_a_smear_just_inside_the_edge_is_found(box: tuple[int, int, int, int], expected: dict[str, int]) -> None:
    ink = INK.copy()
    x0, y0, x1, y1 = box
    ink[y0:y1, x0:x1] = True
    assert _found(_film(ink), reference=_reference(INK, None)) == [("smear", expected)]


def test_missing_ink_is_not_judged_in_the_first_and_last_columns() -> None:
    ink = INK.copy()
    ink[96:110, :7] = ink[96:110, W - 7 :] = True  # ink right to the label's edges
    ref = _reference(ink)
    dead = ink.copy()
    dead[:, [0, W - 1]] = False
    residual = _film(dead) / 255.0 - ref.predicted()
    assert _missing_ink(residual, ref, 0) == 0.0 and _missing_ink(residual, ref, W - 1) == 0.0
    dead = ink.copy()
    dead[:, [1, W - 2]] = False  # one dot in from each edge: measured
    residual = _film(dead) / 255.0 - ref.predicted()
    assert _missing_ink(residual, ref, 1) == pytest.approx(1.0, abs=0.1)
    assert _missing_ink(residual, ref, W - 2) == pytest.approx(1.0, abs=0.1)
