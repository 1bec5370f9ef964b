"""Finding what the QR grade cannot see: the whole label compared with its reference rendering.

The camera frame is warped into the reference's dot grid through the homography that maps the reference QR's
corners onto the corners found in the frame, normalised between the measured paper and ink levels, and compared:

- dead heating element: a print-head dot that never heats leaves a white streak down every label, i.e. one
  dot column that reads light wherever the reference has ink in it, and stays light once a local misalignment
  of the frame (which lightens a stroke's edge but darkens its other edge and the strokes around) is allowed for;
- void: ink missing, i.e. the frame reads lighter than any sound print seen a dot off or a little softer could;
- smear: an ink blob inside a clear paper area;
- a misprinted character: any character of a line that varies per label (the code line, and every other text
  naming a per-label field) that reads as another character, or as none, rather than the one the label should say
  (``station.verify.glyphs``); for a reference without those lines, the human-readable code's box differs from the
  reference beyond a 1-dot tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, cast

import cv2
import numpy as np

from station.labels.render import Label, PlacedQr, PlacedText
from station.qr import Symbol, make_symbol
from station.verify import glyphs

DEAD_SCORE = 0.2  # how much lighter a dead column reads than its neighbours (0 = ink, 1 = paper)
DEAD_MIN_PIXELS = 3
DEAD_THIN = 10  # below this many inked dots a column's ink must all read lighter to be suspect
DEAD_MISSING = 0.4  # share of a suspect column's ink that must be missing once a local misalignment is fitted
DEAD_WINDOW = 5  # dot columns on each side of a suspect column over which that misalignment is fitted
DEAD_SUSPECTS = 16  # the most suspect columns examined, strongest first (bounds the time of a bad frame)
CAMERA_BLUR = 0.7  # how much a sound print is softened through the camera, in dots (Gaussian sigma)
VOID_BLUR = 1.0  # the softest a sound print is taken to read through the camera, for voids (dots, Gaussian sigma)
VOID_LOSS = 0.25  # how much lighter than that (0 = ink, 1 = paper) the frame must read where ink is missing
VOID_MIN_AREA = 5  # dots of missing ink, counting those within a dot of each other as one void
SMEAR_MIN_AREA = 8
CODE_TEXT_MISMATCH = 0.03
ECC_ITERATIONS = 4
LEVEL_SIGMA = 12.0  # dots: how far the local paper and ink levels reach (Gaussian sigma)
TRACE: list[float] | None = None  # set to a list to collect code-text mismatch figures when tuning


@dataclass(frozen=True)
class Reference:
    """What was meant to be printed: the label image, its QR placement, the box of the human-readable code and
    where each line of text that varies per label was drawn."""

    image: np.ndarray  # bool, True = ink, label dots
    qr: PlacedQr
    code_box: tuple[int, int, int, int] | None = None  # x0, y0, x1, y1 in dots
    texts: tuple[PlacedText, ...] = ()
    orientation: int = 0  # how the printer got it: the image here is turned back by this many degrees
    other_qrs: tuple[str, ...] = ()  # the data of the label's other QR symbols, which the frame may show too
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_label(
        cls, label: Label, code_box: tuple[int, int, int, int] | None = None, qr_element: str | None = None
    ) -> Reference:
        """The reference for a rendered label: the QR verified is the one placed by ``qr_element`` (else the first
        placed). A label of a template with an
        orientation is compared in the template's own frame, where its QR and text were placed; the print head's
        dots then run along rows (90°, 270°) or are numbered from the other side (180°), see ``head_dot``."""
        image = label.image
        if label.orientation:
            image = image.rotate(-label.orientation, expand=True)
        ink = np.asarray(image.convert("1")) == 0
        chosen = next((q for q in label.qrs if q.element == qr_element), label.qrs[0])
        others = tuple(q.data for q in label.qrs if q is not chosen)
        return cls(ink, chosen, code_box, tuple(label.texts), label.orientation, others)

    def across_head(self) -> Reference:
        """This reference with the print head's dots as its columns (itself, unless turned 90° or 270°)."""
        if self.orientation not in (90, 270):
            return self
        cached = self._cache.get("across_head")
        if cached is None:
            cached = Reference(np.ascontiguousarray(self.image.T), self.qr)
            self._cache["across_head"] = cached
        return cast(Reference, cached)

    def head_dot(self, index: int) -> int:
        """The print head's dot for column ``index`` of ``across_head()`` (PIL turns counter-clockwise)."""
        height, width = self.image.shape
        if self.orientation == 180:
            return width - 1 - index
        if self.orientation == 270:
            return height - 1 - index
        return index

    def head_line(self, dot: int) -> tuple[int, int, int, int]:
        """The print head's dot ``dot`` as a line x0, y0, x1, y1 across this reference's image."""
        height, width = self.image.shape
        if self.orientation == 90:
            return 0, dot, width - 1, dot
        if self.orientation == 270:
            return 0, height - 1 - dot, width - 1, height - 1 - dot
        x = width - 1 - dot if self.orientation == 180 else dot
        return x, 0, x, height - 1

    def symbol(self) -> Symbol:
        """The QR symbol the label was rendered with: its data at its error level (the template's), rebuilt once
        per reference and kept, as the images derived from the reference are."""
        cached = self._cache.get("symbol")
        if cached is None:
            cached = make_symbol(self.qr.data, self.qr.error.lower())
            self._cache["symbol"] = cached
        return cast(Symbol, cached)

    def glyph_groups(self) -> list[glyphs.GlyphGroup]:
        """The per-label lines' character cells and their candidates, as the glyph check compares frames with."""
        cached = self._cache.get("glyphs")
        if cached is None:
            cached = glyphs.plan(self.texts, self.image, self.predicted(), CAMERA_BLUR)
            self._cache["glyphs"] = cached
        return list(cached)

    def predicted(self) -> np.ndarray:
        """What a sound print looks like through a camera: 0 ink … 1 paper, softened by about half a dot."""
        cached = self._cache.get("predicted")
        if cached is None:
            cached = 1.0 - cv2.GaussianBlur(self.image.astype(np.float32), (0, 0), CAMERA_BLUR)
            self._cache["predicted"] = cached
        return cached

    def darkest_sound(self) -> np.ndarray:
        """The darkest a sound print reads within a dot of each dot, softened as much as a camera may: 0 ink … 1
        paper. About 0 inside solid ink, about 0.6 on a one-dot stroke, which never reads as dark as solid ink."""
        cached = self._cache.get("darkest_sound")
        if cached is None:
            soft = 1.0 - cv2.GaussianBlur(self.image.astype(np.float32), (0, 0), VOID_BLUR)
            cached = cv2.erode(soft, np.ones((3, 3), np.uint8))
            self._cache["darkest_sound"] = cached
        return cached

    def ecc_template(self) -> np.ndarray:
        """The reference as the image alignment compares against."""
        cached = self._cache.get("ecc")
        if cached is None:
            h, w = self.image.shape
            half = cv2.resize((~self.image).astype(np.float32), (w // 2, h // 2), interpolation=cv2.INTER_AREA)
            cached = cv2.GaussianBlur(half, (0, 0), 0.5)
            self._cache["ecc"] = cached
        return cached

    def level_areas(self) -> LevelAreas:
        """Where the paper and ink levels are measured, and the weights of their local maps."""
        cached = self._cache.get("levels")
        if cached is None:
            cached = LevelAreas.of(self.image)
            self._cache["levels"] = cached
        return cast(LevelAreas, cached)

    def inked_columns(self) -> np.ndarray:
        """Reference ink, away from the label's left and right edges."""
        cached = self._cache.get("inked")
        if cached is None:
            cached = self.image.copy()
            cached[:, :3] = cached[:, -3:] = False
            self._cache["inked"] = cached
        return cached

    def blob_areas(self) -> tuple[np.ndarray, np.ndarray]:
        """Where voids and smears are looked for: the ink, and the paper more than a dot from any ink, both away
        from the die-cut edge (three dots all round), which is not judged."""
        cached = self._cache.get("blobs")
        if cached is None:
            ink = self.image
            inside = np.zeros_like(ink)
            inside[3:-3, 3:-3] = True
            near_ink = cv2.dilate(ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
            cached = (ink & inside, ~near_ink & inside)
            self._cache["blobs"] = cached
        return cast(tuple[np.ndarray, np.ndarray], cached)

    def dead_element_columns(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """What the dead-element scan counts over: the inked dots (``inked_columns``), those whose right neighbour
        is inked too, and how many of each every column has."""
        cached = self._cache.get("dead_columns")
        if cached is None:
            inked = self.inked_columns()
            both = inked & np.roll(inked, -1, axis=1)
            cached = (inked, both, inked.sum(axis=0), both.sum(axis=0))
            self._cache["dead_columns"] = cached
        return cast(tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray], cached)

    def qr_corners(self) -> np.ndarray:
        """The QR symbol's corners TL, TR, BR, BL in dot-centre coordinates."""
        q = self.qr
        s = q.modules * q.module_dots
        return np.array([[q.x, q.y], [q.x + s, q.y], [q.x + s, q.y + s], [q.x, q.y + s]], dtype=np.float32) - 0.5


@dataclass(frozen=True)
class LevelAreas:
    """The reference's clear paper (5 × 5 dots with no ink) and solid ink (3 × 3 dots of ink), every third dot of
    each for the overall levels, and the weights of the local level maps (``_local_levels``)."""

    clear_paper: np.ndarray  # bool, label dots
    solid_ink: np.ndarray
    paper_sample: np.ndarray  # bool, every third dot's clear paper
    ink_sample: np.ndarray
    weights: np.ndarray  # float32, quarter size × 2: clear paper, solid ink

    @classmethod
    def of(cls, ink: np.ndarray) -> LevelAreas:
        """The areas of a label whose ink is ``ink`` (bool, label dots)."""
        solid_ink = cv2.erode(ink.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        clear_paper = cv2.erode((~ink).astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)
        weights = _reduced_weights((clear_paper, solid_ink), LEVEL_SIGMA)
        return cls(clear_paper, solid_ink, clear_paper[::3, ::3], solid_ink[::3, ::3], weights)


@dataclass
class Defect:
    """One defect: what and where (label dots)."""

    kind: str
    location: dict[str, int]
    detail: str = ""

    def to_json(self) -> dict[str, object]:
        """As in `station verify-image --json`."""
        return {"kind": self.kind, "location": self.location, "detail": self.detail}


@dataclass
class Comparison:
    """The frame in the reference's grid and what differs."""

    aligned: np.ndarray  # 0 = ink level, 1 = paper level, reference dots
    homography: np.ndarray  # reference dots -> frame pixels
    defects: list[Defect] = field(default_factory=list)
    paper: float = 0.0
    ink: float = 0.0


def align(gray: np.ndarray, frame_corners: np.ndarray, reference: Reference) -> tuple[np.ndarray, np.ndarray]:
    """The frame resampled onto the reference's dots, and the homography used."""
    h, w = reference.image.shape
    homography = cv2.getPerspectiveTransform(reference.qr_corners(), frame_corners.astype(np.float32) - 0.5)
    aligned = cv2.warpPerspective(
        gray, homography, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE
    )
    return aligned, homography


def _refine(
    gray: np.ndarray, raw: np.ndarray, homography: np.ndarray, reference: Reference
) -> tuple[np.ndarray, np.ndarray]:
    """Fit the alignment over the whole label, not only the QR: text far from the symbol is compared too, and a
    corner error of a fraction of a pixel grows with the distance. ECC image alignment at half resolution (it
    stays sub-dot), started from the QR fit."""
    template = reference.ecc_template()
    moving = cv2.resize(raw, (template.shape[1], template.shape[0]), interpolation=cv2.INTER_AREA)
    low, high = float(moving.min()), float(moving.max())
    moving = ((moving.astype(np.float32) - low) / max(high - low, 1.0)).astype(np.float32)
    warp = np.eye(2, 3, dtype=np.float32)  # affine: the QR fit already holds the perspective
    criteria = (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, ECC_ITERATIONS, 1e-4)
    try:
        _, warp = cv2.findTransformECC(template, moving, warp, cv2.MOTION_AFFINE, criteria, None, 1)  # type: ignore[call-overload]
    except cv2.error:
        return raw, homography  # did not converge: keep the QR-based fit
    if np.abs(warp[:2, 2]).max() > 2 or np.abs(warp[:2, :2] - np.eye(2)).max() > 0.05:
        return raw, homography  # a large correction is not a refinement; trust the QR
    half = np.diag([0.5, 0.5, 1.0])
    warp = np.vstack([warp.astype(np.float64), [0.0, 0.0, 1.0]])
    full = np.linalg.inv(half) @ warp @ half  # the same correction in full-resolution dots
    combined = homography @ full
    h, w = reference.image.shape
    refined = cv2.warpPerspective(
        gray, combined, (w, h), flags=cv2.INTER_LINEAR | cv2.WARP_INVERSE_MAP, borderMode=cv2.BORDER_REPLICATE
    )
    return refined, combined


def compare(gray: np.ndarray, frame_corners: np.ndarray, reference: Reference) -> Comparison:
    """Align the frame with the reference and list the defects found."""
    raw, homography = align(gray, frame_corners, reference)
    raw, homography = _refine(gray, raw, homography, reference)
    ink_ref = reference.image
    areas = reference.level_areas()
    # medians over every third dot are as good as over all of them, and a third of the work
    sampled = raw[::3, ::3]
    paper = float(np.median(sampled[areas.paper_sample])) if areas.paper_sample.any() else 255.0
    ink = float(np.median(sampled[areas.ink_sample])) if areas.ink_sample.any() else 0.0
    # lighting is uneven: paper and ink levels are estimated locally from the reference's clear and solid areas
    values = raw.astype(np.float32)
    paper_map, ink_map = _local_levels(
        values, (areas.clear_paper, areas.solid_ink), (paper, ink), LEVEL_SIGMA, areas.weights
    )
    span = np.maximum(paper_map - ink_map, 8.0)
    norm = np.clip((values - ink_map) / span, -0.5, 1.5)
    result = Comparison(aligned=norm, homography=homography, paper=paper, ink=ink)
    across = reference.across_head()
    dead = _dead_elements(norm.T if across is not reference else norm, across)
    for defect in dead:
        defect.location["dot"] = reference.head_dot(defect.location["dot"])
    result.defects += dead
    result.defects += _blobs(norm, reference, {d.location["dot"] for d in dead})
    if reference.texts:
        result.defects += _glyph_defects(norm, reference)
    elif reference.code_box is not None:
        result.defects += _code_text(norm, ink_ref, reference.code_box)
    return result


def _glyph_defects(norm: np.ndarray, reference: Reference) -> list[Defect]:
    """Characters of the per-label lines that read as another character, or as none (``station.verify.glyphs``)."""
    found = []
    for miss in glyphs.misreads(norm, reference.glyph_groups()):
        x, y, w, h = miss.box
        if miss.seen is None:
            detail = f"{miss.element}, line {miss.line}, character {miss.position}: does not read as {miss.expected!r}"
        elif miss.seen == glyphs.BLANK:
            detail = f"{miss.element}, line {miss.line}, character {miss.position}: {miss.expected!r} missing"
        else:
            detail = (
                f"{miss.element}, line {miss.line}, character {miss.position}: "
                f"reads as {miss.seen!r}, not {miss.expected!r}"
            )
        found.append(
            Defect("code_glyph", {"x": x, "y": y, "w": w, "h": h, "line": miss.line, "position": miss.position}, detail)
        )
    return found


def _reduced_weights(masks: tuple[np.ndarray, ...], sigma: float) -> np.ndarray:
    """Each mask's share of the pixels about each pixel, at 1/4 size and smoothed: the weights of ``_local_levels``,
    which depend on the reference alone."""
    h, w = masks[0].shape
    small = (max(1, w // 4), max(1, h // 4))
    planes = cv2.merge([mask.astype(np.float32) for mask in masks])
    reduced = cv2.resize(planes, small, interpolation=cv2.INTER_AREA)
    return np.asarray(cv2.GaussianBlur(reduced, (0, 0), sigma / 4)).reshape(small[1], small[0], len(masks))


def _local_levels(
    raw: np.ndarray,
    masks: tuple[np.ndarray, np.ndarray],
    fallbacks: tuple[float, float],
    sigma: float = 12.0,
    weights: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """For each mask, the mean grey level of its pixels around each pixel (a smooth map, computed at 1/4 size).
    Both maps go through OpenCV together, as channels of one image: the same numbers as one at a time. ``weights``
    are ``_reduced_weights(masks, sigma)`` when already known (a reference keeps its own)."""
    h, w = raw.shape
    small = (max(1, w // 4), max(1, h // 4))
    if weights is None:
        weights = _reduced_weights(masks, sigma)
    values = raw.astype(np.float32, copy=False)
    sums = cv2.merge([values * mask for mask in masks])
    reduced = cv2.resize(sums, small, interpolation=cv2.INTER_AREA)
    reduced = np.asarray(cv2.GaussianBlur(reduced, (0, 0), sigma / 4)).reshape(small[1], small[0], len(masks))
    with np.errstate(invalid="ignore", divide="ignore"):
        levels = np.where(weights > 0.02, reduced / weights, np.asarray(fallbacks, np.float32)).astype(np.float32)
    full = cv2.resize(levels, (w, h), interpolation=cv2.INTER_LINEAR)
    return np.ascontiguousarray(full[..., 0]), np.ascontiguousarray(full[..., 1])


_SINGLE = np.array([[-0.5, 0.0, 1.0, 0.0, -0.5]], np.float32)  # columns x − 2 … x + 2
_PAIR = np.array([[-0.5, 0.0, 0.5, 0.5, 0.0, -0.5]], np.float32)  # columns x − 2 … x + 3


def _dead_elements(norm: np.ndarray, reference: Reference) -> list[Defect]:
    """Columns that read lighter than the reference predicts, down the label, wherever it has ink in them.

    A column is suspect when, over its inked dots, (residual here − residual two columns away) exceeds DEAD_SCORE
    on more than half of them. Most suspect columns of a sound print are stroke edges seen a fraction of a dot off
    (the alignment is exact at the QR, less so far from it): where nearly all of a column's ink is the same kind of
    edge, such as the right side of "1" digits, a half-dot shift lightens most of its inked dots at once. So each
    suspect column is confirmed only when the share of its ink missing, fitted together with a local shift
    (``_missing_ink``), is at least DEAD_MISSING: about 1 for a dead element, about 0 for a shifted edge.
    """
    residual = norm - reference.predicted()
    _inked, _both, counts, pair_counts = reference.dead_element_columns()
    share, pair_share = _lighter_shares(residual, reference)
    combined = np.maximum(share, pair_share)
    # a thin column (fewer than DEAD_THIN inked dots) is suspect only when all of its ink reads lighter: with a few
    # dots, half of them lighter is what noise gives, and every suspect costs a fit
    thin = np.maximum(counts, pair_counts) < DEAD_THIN
    suspects = np.flatnonzero(np.where(thin, combined >= 0.99, combined > 0.5))
    found: list[Defect] = []
    taken: set[int] = set()
    for x in suspects[np.argsort(-combined[suspects])][:DEAD_SUSPECTS]:
        if any(abs(int(x) - t) <= 2 for t in taken):
            continue
        # the suspect column or, for a pair, its right neighbour: whichever lost more of its ink
        missing, dot = max((_missing_ink(residual, reference, c), c) for c in (int(x), int(x) + 1))
        if missing < DEAD_MISSING:
            continue  # a stroke edge seen a fraction of a dot off, not a dead element
        taken.add(dot)
        found.append(Defect("dead_element", {"dot": dot}, f"{min(missing, 1.0):.0%} of the column's ink missing"))
        if len(found) >= 8:
            break
    return found


def _lighter_shares(residual: np.ndarray, reference: Reference) -> tuple[np.ndarray, np.ndarray]:
    """Per column, the share of its inked dots whose residual exceeds the mean of the residuals two columns away
    on each side by DEAD_SCORE; and per pair of inked neighbours (a dead dot that falls between two sampled columns
    shows half in each; the pair is named by its left column) the same for the pair's mean against the columns two
    away from the pair. 0 for a column with fewer than DEAD_MIN_PIXELS such dots. One row filter each: the label's
    three outer columns are never inked, so what a filter reads past the border does not count."""
    inked, both, counts, pair_counts = reference.dead_element_columns()
    lighter = (cv2.filter2D(residual, -1, _SINGLE, anchor=(2, 0)) > DEAD_SCORE) & inked
    pair_lighter = (cv2.filter2D(residual, -1, _PAIR, anchor=(2, 0)) > DEAD_SCORE) & both
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(counts >= DEAD_MIN_PIXELS, np.count_nonzero(lighter, axis=0) / counts, 0.0)
        pair_share = np.where(pair_counts >= DEAD_MIN_PIXELS, np.count_nonzero(pair_lighter, axis=0) / pair_counts, 0.0)
    return share, pair_share


def _missing_ink(residual: np.ndarray, reference: Reference, x: int) -> float:
    """The share of column ``x``'s ink that is missing, with a local misalignment and ink level allowed for.

    Over the dots near ink within DEAD_WINDOW columns, least squares of the residual (frame − prediction) on:
    the column's ink as the camera would see it (what a dead element removes), the prediction's slope across and
    down the label (a shift of the frame by a fraction of a dot; the shift across may change down the label, as a
    small rotation makes it), the predicted ink (ink printed darker or lighter) and a constant (paper level).
    A dead element gives about 1; a shifted stroke edge about 0, because a shift also darkens the stroke's other
    edge and the strokes around, which a missing column does not.
    """
    h, w = residual.shape
    if x <= 0 or x >= w - 1 or int(reference.image[:, x].sum()) < DEAD_MIN_PIXELS:
        return 0.0
    x0, x1 = max(0, x - DEAD_WINDOW - 1), min(w, x + DEAD_WINDOW + 2)
    ink = reference.image[:, x0:x1].astype(np.float32)
    predicted = reference.predicted()[:, x0:x1]
    column = np.zeros_like(ink)
    column[:, x - x0] = ink[:, x - x0]
    lost = cv2.GaussianBlur(column, (0, 0), CAMERA_BLUR)
    across = np.zeros_like(predicted)
    across[:, 1:-1] = (predicted[:, 2:] - predicted[:, :-2]) / 2
    down = np.zeros_like(predicted)
    down[1:-1] = (predicted[2:] - predicted[:-2]) / 2
    rows = (np.arange(h, dtype=np.float32) / h - 0.5)[:, None]
    near = cv2.dilate(ink, np.ones((3, 5), np.uint8)) > 0
    near[:, [0, -1]] = False  # the slope across is not known at the window's sides
    terms = [lost, across, across * rows, down, 1.0 - predicted, np.ones_like(predicted)]
    design = np.stack([t[near] for t in terms], axis=1).astype(np.float64)
    # through the normal equations: a 6 x 6 system instead of a thousand rows (lstsq copes if it is singular)
    gram = design.T @ design
    coefficients = np.linalg.lstsq(gram, design.T @ residual[:, x0:x1][near], rcond=None)[0]
    return float(coefficients[0])


def _components(mask: np.ndarray, min_area: int) -> list[tuple[int, int, int, int, int]]:
    if int(mask.sum()) < min_area:
        return []
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    return [tuple(int(v) for v in stats[i]) for i in range(1, count) if stats[i][4] >= min_area]  # type: ignore[misc]


def _groups(mask: np.ndarray, min_area: int) -> list[tuple[int, int, int, int, int]]:
    """Boxes and sizes of ``mask``'s dots, counting dots within a dot of each other as one group."""
    if int(mask.sum()) < min_area:
        return []
    grown = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    areas = np.bincount(labels[mask], minlength=count)
    # a grown group's box is its dots' box and a dot more on each side (the die-cut edge keeps it off the border)
    return [
        (int(stats[i][0]) + 1, int(stats[i][1]) + 1, int(stats[i][2]) - 2, int(stats[i][3]) - 2, int(areas[i]))
        for i in range(1, count)
        if areas[i] >= min_area
    ]


def _blobs(norm: np.ndarray, reference: Reference, dead: set[int]) -> list[Defect]:
    """Voids (ink missing) and smears (ink seen more than a dot away from any the reference has).

    Ink is missing where the darkest the frame reads within a dot is lighter, by more than VOID_LOSS, than the
    darkest a sound print would read there (``Reference.darkest_sound``): looking within a dot allows for the
    frame being up to a dot off, and comparing with a sound print's own level allows for the stroke's width. A
    one-dot stroke never reads darker than about 0.6 through the lens, so it is judged against that, not against
    the ink level of solid areas: it is missing only when it reads as plain paper. Missing dots within a dot of
    each other make one void, reported from VOID_MIN_AREA dots and two dots each way.
    """
    found: list[Defect] = []
    judged_ink, judged_paper = reference.blob_areas()
    lighter = cv2.erode(norm, np.ones((3, 3), np.uint8)) - reference.darkest_sound()
    missing = judged_ink & (lighter > VOID_LOSS)
    for dot in dead:  # a dead element's line is reported once, as a dead element
        x0, y0, x1, y1 = reference.head_line(dot)
        if x0 == x1:
            missing[:, max(0, x0 - 1) : x0 + 3] = False
        else:
            missing[max(0, y0 - 1) : y0 + 3, :] = False
    for x, y, w, h, area in _groups(missing, VOID_MIN_AREA):
        if min(w, h) < 2:
            continue  # a one-dot line of missing ink: a hairline, not a patch
        found.append(Defect("void", {"x": x, "y": y, "w": w, "h": h}, f"{area} dots without ink"))
    dark = judged_paper & (norm < 0.3)
    for x, y, w, h, area in _components(dark, SMEAR_MIN_AREA):
        found.append(Defect("smear", {"x": x, "y": y, "w": w, "h": h}, f"{area} dots of stray ink"))
    return found


def _code_text(norm: np.ndarray, ink: np.ndarray, box: tuple[int, int, int, int]) -> list[Defect]:
    x0, y0, x1, y1 = box
    ref = ink[y0:y1, x0:x1]
    seen = norm[y0:y1, x0:x1] < 0.5
    if ref.sum() == 0:
        return []
    kernel = np.ones((3, 3), np.uint8)
    missing = ref & ~cv2.dilate(seen.astype(np.uint8), kernel).astype(bool)
    extra = seen & ~cv2.dilate(ref.astype(np.uint8), kernel).astype(bool)
    mismatch = float((missing.sum() + extra.sum()) / ref.sum())
    if TRACE is not None:
        TRACE.append(mismatch)
    if mismatch < CODE_TEXT_MISMATCH:
        return []
    return [
        Defect(
            "code_text",
            {"x": x0, "y": y0, "w": x1 - x0, "h": y1 - y0},
            f"{mismatch:.0%} of the human-readable code differs",
        )
    ]
