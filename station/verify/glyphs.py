"""Reading the human-readable text glyph by glyph: every character of a line that varies per label (the code line,
and any other text naming a per-label field) is compared with what a sound print of it looks like through the
camera, and with the same place printed with every other character it could have been.

A sound print of the label is ``P`` (the reference softened as the camera softens it; 0 = ink, 1 = paper) and the
frame in the reference's dots is ``norm``. Had candidate ``c`` been printed where ``e`` should be, the frame would
differ from ``P`` by ``S_c = soft(e) − soft(c)`` within the character's window. So over the window the residual
``r = norm − P`` is fitted, by least squares, as ``k · S_c`` plus what a sound print seen a little differently
gives: a shift of a fraction of a dot across and down, a camera softer or sharper, and the paper level (the
nuisance terms). ``k`` is the share of the change to ``c`` that the frame shows: about 0 on a sound print, about 1
where ``c`` was printed instead. The ink level is not a term: the frame is already normalised between the local
paper and ink levels, and within one window lighter ink looks like the character going missing.

A character is misread when some other candidate reaches GLYPH_SWAP (it fits clearly better than the expected one,
which sits at 0), or when what the fit leaves, smoothed over 3 × 3 dots and summed over the character's own
columns, is large against the same measure of its own ink (GLYPH_MISFIT: ink missing or extra that no candidate
explains).

Candidates are drawn as the renderer draws them (the same face, ``fontmode "1"``, ``anchor "la"``): alone at the
character's pen position, which reproduces the whole line's pixels when the font does not kern the line (checked
against the reference for every label, over each character's ink box); where it does not, the pens are taken from
the width of the line up to each character, and failing that every candidate is drawn in the whole line. Drawings
are cached per font, size, candidate set and pen fraction (and pen fractions that draw alike share one drawing,
with everything the comparison needs worked out once for each candidate as the expected one); lines of one shape
share a layout, so a run of labels draws each once and a label costs a few gathers and dot products.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw

from station.labels.fonts import Font, load_font
from station.labels.render import PlacedText

GLYPH_SWAP = 0.6  # share of the change to another character the frame must show for it to be read instead
GLYPH_MISFIT = 0.3  # what the fit leaves over a character's own columns, against its own ink, that is a misprint
GLYPH_PAD = 3  # dots around the candidates' ink in a cell: room for the camera's softening and a dot of shift
GLYPH_MIN_DIFFERENCE = 4  # dots of ink by which two candidates must differ to be told apart
DIGITS = "0123456789"
BLANK = ""  # the candidate "nothing printed here"
_CACHE_LIMIT = 4096


@dataclass(frozen=True)
class GlyphMisread:
    """One character of a per-label line that does not read as what the label should say."""

    element: str
    line: int  # the line's number within its element, from 1
    position: int  # the character's number in the line, from 1, counting printed characters (spaces skipped)
    expected: str
    seen: str | None  # the candidate that fits clearly better ("" = nothing printed), or None: no candidate fits
    box: tuple[int, int, int, int]  # x, y, w, h in label dots
    score: float  # the share of the change to ``seen`` shown, or the misfit when no candidate fits


@dataclass(frozen=True)
class _Window:
    """A character cell's extent relative to its pen position (floor of x, and the line's y)."""

    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class _Stack:
    """Every candidate drawn in one window, and what the comparison needs with each of them taken as the character
    expected, worked out once per drawing."""

    chars: tuple[str, ...]
    ink: np.ndarray  # bool, candidates × height × width
    soft: np.ndarray  # float32, candidates × pixels: the ink softened as the camera softens it, flattened
    boxes: tuple[tuple[int, int, int, int], ...]  # each candidate's ink box in the window: y0, y1, x0, x1
    boxed: np.ndarray  # bool, candidates × pixels: each candidate's ink box
    nuisance: np.ndarray  # float32, expected × terms × pixels: orthonormal, spanning a shift across and down, a
    # softer or sharper camera and the paper level, around the expected character
    energy: np.ndarray  # expected × candidates: |S_c|² with the nuisance projected out; 0 where c is not compared
    left: np.ndarray  # expected × width: per column, the expected character's softened ink, nuisance projected
    # out, squared and summed: its own energy, for the misfit

    @classmethod
    def of(cls, chars: tuple[str, ...], ink: np.ndarray, blur: float) -> _Stack:
        """The stack of ``chars`` drawn as ``ink``, softened by a camera of ``blur`` dots."""
        count, height, width = ink.shape
        soft = np.stack(
            [cv2.GaussianBlur(i.astype(np.float64), (0, 0), blur, borderType=cv2.BORDER_CONSTANT) for i in ink]
        )
        boxes = []
        boxed = np.zeros_like(ink)
        for i, glyph in enumerate(ink):
            ys, xs = np.nonzero(glyph)
            box = (int(ys.min()), int(ys.max()) + 1, int(xs.min()), int(xs.max()) + 1) if ys.size else (0, 0, 0, 0)
            boxed[i, box[0] : box[1], box[2] : box[3]] = True
            boxes.append(box)
        grown = np.pad(soft, ((0, 0), (1, 1), (1, 1)))
        across = grown[:, 1:-1, 2:] - grown[:, 1:-1, :-2]
        down = grown[:, 2:, 1:-1] - grown[:, :-2, 1:-1]
        sharper = grown[:, 1:-1, 2:] + grown[:, 1:-1, :-2] + grown[:, 2:, 1:-1] + grown[:, :-2, 1:-1] - 4 * soft
        terms = [across, down, sharper, np.ones_like(soft)]
        nuisance = np.linalg.qr(np.stack([t.reshape(count, -1) for t in terms], axis=2))[0]  # expected × pixels × 4
        flat = soft.reshape(count, -1)
        swaps = flat[:, None, :] - flat[None, :, :]  # [e, c]: S_c, how the frame changes when c is printed for e
        swaps -= (swaps @ nuisance) @ nuisance.transpose(0, 2, 1)
        sharp = ink.reshape(count, -1)
        differing = (sharp[:, None, :] != sharp[None, :, :]).sum(axis=2)
        energy = np.where(differing >= GLYPH_MIN_DIFFERENCE, (swaps**2).sum(axis=2), 0.0)
        own = flat - (nuisance @ (nuisance.transpose(0, 2, 1) @ flat[:, :, None]))[:, :, 0]
        left = (_smoothed(own.reshape(count * height, width)) ** 2).reshape(count, height, width).sum(axis=1)
        return cls(
            chars,
            ink,
            flat.astype(np.float32),
            tuple(boxes),
            boxed.reshape(count, -1),
            nuisance.transpose(0, 2, 1).astype(np.float32),
            energy,
            left,
        )


@dataclass(frozen=True)
class _Slot:
    """Where one printed character of a line sits and what it could have been, whatever the character is."""

    index: int  # in the line's text
    position: int  # from 1, counting printed characters
    x0: int  # the window's top-left in label dots
    y0: int
    stack: _Stack
    own: tuple[int, int]  # the window's columns that are the character's own: its advance and a dot each side


@dataclass(frozen=True)
class _Slots:
    """Slots of one line and one window shape, with their windows' dots (as flat indices into the label) and which
    of them share a drawing of their candidates."""

    slots: tuple[_Slot, ...]
    height: int  # of each window
    width: int
    flat: np.ndarray  # int, slots × pixels: each window's dots, row by row, as flat indices into the label
    own: np.ndarray  # bool, slots × width: each slot's own columns
    stacks: tuple[tuple[_Stack, np.ndarray], ...]  # each drawing, with the indices of the slots that use it

    @classmethod
    def of(cls, slots: list[_Slot], label_width: int) -> _Slots:
        """The slots (all of one window shape) of a label ``label_width`` dots wide, stacked."""
        _, height, width = slots[0].stack.ink.shape
        rows = np.array([s.y0 for s in slots])[:, None, None] + np.arange(height)[:, None]
        cols = np.array([s.x0 for s in slots])[:, None, None] + np.arange(width)
        flat = (rows * label_width + cols).reshape(len(slots), -1)
        users: dict[int, list[int]] = {}
        for i, slot in enumerate(slots):
            users.setdefault(id(slot.stack), []).append(i)
        stacks = tuple((slots[idx[0]].stack, np.array(idx)) for idx in users.values())
        columns = np.arange(width)
        own = np.array([(columns >= s.own[0]) & (columns < s.own[1]) for s in slots])
        return cls(tuple(slots), height, width, flat, own, stacks)


@dataclass(frozen=True)
class GlyphGroup:
    """One line's slots of one window shape, with what the label's own characters make of them: everything the
    comparison needs that does not depend on the frame."""

    placed: PlacedText
    slots: _Slots
    chars: str  # the character expected in each slot
    expected: np.ndarray  # int, slots: the expected character's index among the candidates
    predicted: np.ndarray  # slots × pixels: the sound print through the camera over each window
    nuisance: np.ndarray  # float32, slots × terms × pixels
    energy: np.ndarray  # slots × candidates
    own_energy: np.ndarray  # slots: the expected character's own energy over its own columns


_windows: dict[tuple[Path, int, tuple[str, ...]], _Window] = {}
_stacks: dict[tuple[Path, int, tuple[str, ...], int, float], _Stack] = {}
_drawn: dict[tuple[Path, int, tuple[str, ...], float, bytes], _Stack] = {}
_advances: dict[tuple[Path, int, str], float] = {}
_candidates: dict[tuple[Path, str], tuple[str, ...]] = {}
_shapes: dict[tuple[Path, int], dict[int, str]] = {}
_layouts: dict[tuple[Path, int, int, int, str, float, int], tuple[_Slots, ...]] = {}


def candidates(char: str, font: Font) -> tuple[str, ...]:
    """What ``char`` could have been printed as instead: a digit any other digit or nothing; anything else a
    digit, a Latin letter or nothing. Only characters the font has."""
    key = (font.path, char)
    found = _candidates.get(key)
    if found is None:
        pool = DIGITS if char in DIGITS else DIGITS + string.ascii_letters
        chars = [c for c in pool if ord(c) in font.codepoints]
        if char not in chars:
            chars.append(char)
        found = _candidates[key] = (*chars, BLANK)
    return found


def _window(font: Font, size: int, chars: tuple[str, ...]) -> _Window:
    key = (font.path, size, chars)
    window = _windows.get(key)
    if window is None:
        face = font.face(size)
        boxes = [face.getbbox(c, anchor="la") for c in chars if c]
        left = min(int(b[0]) for b in boxes) - GLYPH_PAD
        top = min(int(b[1]) for b in boxes) - GLYPH_PAD
        right = max(int(b[2]) for b in boxes) + 1 + GLYPH_PAD  # a pen fraction moves a glyph by up to a dot
        bottom = max(int(b[3]) for b in boxes) + GLYPH_PAD
        window = _windows[key] = _Window(left, top, right - left, bottom - top)
    return window


def _draw(font: Font, size: int, text: str, x: float, width: int, height: int, left: float, top: int) -> np.ndarray:
    """Ink of ``text`` drawn at pen ``x`` (and the line's y) as the renderer draws it, in a canvas whose top-left
    is (left, top) from (0, the line's y)."""
    canvas = Image.new("1", (width, height), 1)
    if text:
        draw = ImageDraw.Draw(canvas)
        draw.fontmode = "1"
        draw.text((x - left, -top), text, font=font.face(size), fill=0, anchor="la")
    return np.asarray(canvas) == 0


def _stack(font: Font, size: int, chars: tuple[str, ...], fraction: float, blur: float) -> _Stack:
    """The candidates drawn alone at a pen position ``fraction`` of a dot right of a whole dot (cached)."""
    key = (font.path, size, chars, round(fraction * 64), blur)
    stack = _stacks.get(key)
    if stack is None:
        w = _window(font, size, chars)
        ink = np.stack([_draw(font, size, c, fraction, w.width, w.height, w.left, w.top) for c in chars])
        drawn = (font.path, size, chars, blur, ink.tobytes())
        stack = _drawn.get(drawn)  # pen fractions that round alike draw alike: one stack for them all
        if stack is None:
            stack = _drawn[drawn] = _Stack.of(chars, ink, blur)
        if len(_stacks) > _CACHE_LIMIT:
            _stacks.clear()
            _drawn.clear()
        _stacks[key] = stack
    return stack


def _advance(font: Font, size: int, char: str) -> float:
    key = (font.path, size, char)
    advance = _advances.get(key)
    if advance is None:
        advance = _advances[key] = float(font.face(size).getlength(char))
    return advance


def _shape(font: Font, placed: PlacedText) -> str:
    """The line with every digit written as 0 when the font gives all digits one advance: lines of one shape
    have their characters at the same places and the same candidates, so share a layout."""
    key = (font.path, placed.size_px)
    table = _shapes.get(key)
    if table is None:
        advances = {_advance(font, placed.size_px, d) for d in DIGITS}
        table = _shapes[key] = {ord(d): "0" for d in DIGITS} if len(advances) == 1 else {}
    return placed.text.translate(table)


def _printed(text: str) -> list[tuple[int, int]]:
    """(index in the line, number from 1 as a person counts) of each printed character: spaces are skipped."""
    out: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if not ch.isspace():
            out.append((i, len(out) + 1))
    return out


def _pens(font: Font, placed: PlacedText, exact: bool) -> list[float]:
    """Each character's pen x: from the characters' advances, or (``exact``) from the width of the line up to it,
    which a kerning font needs."""
    if exact:
        face = font.face(placed.size_px)
        return [placed.x + float(face.getlength(placed.text[:i])) for i in range(len(placed.text))]
    pens, x = [], float(placed.x)
    for ch in placed.text:
        pens.append(x)
        x += _advance(font, placed.size_px, ch)
    return pens


def _slots_alone(font: Font, placed: PlacedText, blur: float, exact: bool, bounds: tuple[int, int]) -> list[_Slot]:
    """The line's slots with the candidates drawn alone at each character's pen. A character whose window leaves
    the label (within GLYPH_PAD dots of its edge) has no slot."""
    pens = _pens(font, placed, exact)
    slots = []
    for i, position in _printed(placed.text):
        char = placed.text[i]
        chars = candidates(char, font)
        w = _window(font, placed.size_px, chars)
        whole = math.floor(pens[i])
        x0, y0 = whole + w.left, placed.y + w.top
        if x0 < 0 or y0 < 0 or x0 + w.width > bounds[1] or y0 + w.height > bounds[0]:
            continue
        stack = _stack(font, placed.size_px, chars, pens[i] - whole, blur)
        own = (whole - 1 - x0, math.ceil(pens[i] + _advance(font, placed.size_px, char)) + 1 - x0)
        slots.append(_Slot(i, position, x0, y0, stack, own))
    return slots


def _slots_substituted(font: Font, placed: PlacedText, alone: list[_Slot], blur: float) -> list[_Slot]:
    """The slots with every candidate drawn by drawing the whole line with it in the character's place (for a font
    that kerns the line, where a glyph alone does not land where it does in the line). Nothing printed in its
    place is the line before it and the line after it, each where the line has it."""
    face = font.face(placed.size_px)
    slots = []
    for slot in alone:
        text, i = placed.text, slot.index
        _, height, width = slot.stack.ink.shape
        left, top = slot.x0 - placed.x, slot.y0 - placed.y
        after = float(face.getlength(text[: i + 1]))
        ink = np.stack(
            [
                _draw(font, placed.size_px, text[:i] + c + text[i + 1 :], 0, width, height, left, top)
                if c
                else _draw(font, placed.size_px, text[:i], 0, width, height, left, top)
                | _draw(font, placed.size_px, text[i + 1 :], after, width, height, left, top)
                for c in slot.stack.chars
            ]
        )
        slots.append(_Slot(i, slot.position, slot.x0, slot.y0, _Stack.of(slot.stack.chars, ink, blur), slot.own))
    return slots


def _grouped(slots: list[_Slot], label_width: int) -> tuple[_Slots, ...]:
    by_shape: dict[tuple[int, ...], list[_Slot]] = {}
    for slot in slots:
        by_shape.setdefault(slot.stack.ink.shape, []).append(slot)
    return tuple(_Slots.of(group, label_width) for group in by_shape.values())


def plan(texts: tuple[PlacedText, ...], image: np.ndarray, predicted: np.ndarray, blur: float) -> list[GlyphGroup]:
    """Everything about the reference's per-label lines that does not depend on the frame.

    Each line's layout (where its characters sit, their candidates drawn alone) is shared by every line of the
    same shape; it holds for this label when the label's own characters drawn alone reproduce the reference's
    pixels over each character's ink box. If not, the pens are taken from the width of the line up to each
    character, and failing that the candidates are drawn in the whole line.
    """
    groups: list[GlyphGroup] = []
    width = image.shape[1]
    for placed in texts:
        font = load_font(placed.font)
        key = (font.path, placed.size_px, placed.x, placed.y, _shape(font, placed), blur, width)
        layout = _layouts.get(key)
        if layout is None:
            layout = _grouped(_slots_alone(font, placed, blur, False, image.shape), width)
            if len(_layouts) > 256:
                _layouts.clear()
            _layouts[key] = layout
        bound = [_bind(placed, slots, image, predicted) for slots in layout]
        if any(b is None for b in bound):
            alone = _slots_alone(font, placed, blur, True, image.shape)
            bound = [_bind(placed, slots, image, predicted) for slots in _grouped(alone, width)]
            if any(b is None for b in bound):
                substituted = _grouped(_slots_substituted(font, placed, alone, blur), width)
                bound = [_bind(placed, slots, image, predicted, check=False) for slots in substituted]
        groups += [b for b in bound if b is not None]
    return groups


def _bind(
    placed: PlacedText, slots: _Slots, image: np.ndarray, predicted: np.ndarray, check: bool = True
) -> GlyphGroup | None:
    """The group for this line's own characters, or None when (``check``) they drawn alone do not reproduce the
    reference's pixels over their ink boxes."""
    chars = "".join(placed.text[s.index] for s in slots.slots)
    expected = np.array([s.stack.chars.index(c) for s, c in zip(slots.slots, chars, strict=True)])
    n = len(chars)
    seen = image.ravel()[slots.flat]
    nuisance = np.empty((n, *slots.stacks[0][0].nuisance.shape[1:]), np.float32)
    energy = np.empty((n, len(slots.stacks[0][0].chars)))
    left = np.empty((n, slots.width))
    for stack, users in slots.stacks:
        e = expected[users]
        if check and not np.array_equal(seen[users] & stack.boxed[e], stack.ink.reshape(len(stack.chars), -1)[e]):
            return None
        nuisance[users] = stack.nuisance[e]
        energy[users] = stack.energy[e]
        left[users] = stack.left[e]
    return GlyphGroup(
        placed=placed,
        slots=slots,
        chars=chars,
        expected=expected,
        predicted=predicted.ravel()[slots.flat],
        nuisance=nuisance,
        energy=energy,
        own_energy=(left * slots.own).sum(axis=1),
    )


def scores(norm: np.ndarray, group: GlyphGroup) -> tuple[np.ndarray, np.ndarray]:
    """Per slot and candidate the share of the change to it the frame shows (NaN where not compared), and per slot
    the residual left once the best fit of a sound print is made, against the character's own ink."""
    n = len(group.chars)
    slots = group.slots
    residual = np.ascontiguousarray(norm).ravel()[slots.flat] - group.predicted
    basis = group.nuisance  # slots × terms × pixels, orthonormal rows
    left = residual - ((basis @ residual[:, :, None]).transpose(0, 2, 1) @ basis)[:, 0]
    # <left, S_c> = <left, soft_e> − <left, soft_c>: the projected swaps need not be stored
    seen = np.empty(group.energy.shape, np.float32)
    for stack, users in slots.stacks:
        seen[users] = left[users] @ stack.soft.T
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = (seen[np.arange(n), group.expected][:, None] - seen) / np.where(group.energy > 0, group.energy, np.nan)
    per_column = (_smoothed(left.reshape(n * slots.height, slots.width)) ** 2).reshape(n, slots.height, -1).sum(axis=1)
    misfit = (per_column * slots.own).sum(axis=1) / np.maximum(group.own_energy, 1e-6)
    return shares, misfit


def _smoothed(rows: np.ndarray) -> np.ndarray:
    """Windows stacked one above the other, each dot the mean of the 3 × 3 around it: ink missing or extra over a
    patch keeps most of its weight, a camera's dot-to-dot noise loses most of it."""
    return np.asarray(cv2.blur(rows.astype(np.float32), (3, 3), borderType=cv2.BORDER_REPLICATE))


def misreads(norm: np.ndarray, groups: list[GlyphGroup]) -> list[GlyphMisread]:
    """The characters that do not read as the label should say, in reading order.

    A character beside one read as another character is not reported for its misfit alone: the softened edge of
    its neighbour's wrong glyph reaches into its window, and the label is rejected for the neighbour already.
    """
    found: list[GlyphMisread] = []
    for group in groups:
        shares, misfit = scores(norm, group)
        best = np.argmax(np.where(np.isnan(shares), -np.inf, shares), axis=1)
        best_share = shares[np.arange(len(best)), best]
        read_as_other = best_share >= GLYPH_SWAP
        for i in np.flatnonzero(read_as_other | (misfit >= GLYPH_MISFIT)):
            slot = group.slots.slots[i]
            seen = slot.stack.chars[best[i]] if read_as_other[i] else None
            score = float(best_share[i]) if seen is not None else float(misfit[i])
            place = (group.placed.element, group.placed.line, slot.position)
            found.append(GlyphMisread(*place, group.chars[i], seen, _box(slot, group.chars[i], seen), score))
    swapped = {(m.element, m.line, m.position) for m in found if m.seen is not None}
    found = [
        m
        for m in found
        if m.seen is not None
        or not {(m.element, m.line, m.position - 1), (m.element, m.line, m.position + 1)} & swapped
    ]
    found.sort(key=lambda m: (m.element, m.line, m.position))
    return found


def _box(slot: _Slot, expected: str, seen: str | None) -> tuple[int, int, int, int]:
    """The character's box in label dots: the expected character's ink and the ink of the one seen instead."""
    stack = slot.stack
    boxes = [stack.boxes[stack.chars.index(c)] for c in (expected, seen) if c is not None]
    boxes = [b for b in boxes if b[1] > b[0]] or [(0, stack.ink.shape[1], 0, stack.ink.shape[2])]
    y0, y1 = min(b[0] for b in boxes), max(b[1] for b in boxes)
    x0, x1 = min(b[2] for b in boxes), max(b[3] for b in boxes)
    return slot.x0 + x0, slot.y0 + y0, x1 - x0, y1 - y0
