"""The human-readable text read glyph by glyph: where the renderer drew each line that varies per label, a sound
print of every character passing at every darkness and focus, and any one character printed as another (in the
station's own font, with the right QR beside it) or not at all rejected by its position."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from drivers.emulators.printer import PrinterFaults
from station.codes import group
from station.labels import Renderer, load_template
from station.labels.fonts import load_font, locate_font
from station.labels.render import Label, PlacedText
from station.labels.template import parse_template
from station.texts import TEXTS, set_language
from station.verify import glyphs
from station.verify.defects import CAMERA_BLUR, Reference, compare
from station.verify.glyphs import BLANK, GLYPH_MISFIT, GLYPH_SWAP, candidates, misreads, scores
from station.verify.reference import code_box, reference_for
from station.verify.verifier import annotate, verify_frame
from tests.verify_helpers import TEMPLATE, demo_values, film, print_label, render, shift_right_end

CODE = "17806008427909203676"
CODE_ELEMENT = "element 8 (code, code)"
# digits that read most alike in the station's font: one printed in place of the other
CLOSE = [("3", "8"), ("6", "8"), ("8", "3"), ("1", "7"), ("5", "6"), ("0", "8"), ("9", "8")]
SOFT = {"blur_sigma": 1.0, "px_per_dot": 1.5}  # the softest camera of tests/test_verify.py
CAMERAS = [
    {},  # the demo's
    {"blur_sigma": 0.4, "px_per_dot": 1.4},  # sharper, farther
    {"blur_sigma": 0.8, "px_per_dot": 1.9, "jpeg_quality": 70},  # closer
    SOFT,
    {"blur_sigma": 1.4, "px_per_dot": 1.6},  # softer still
]


def _index(line: str, position: int) -> int:
    """The index in ``line`` of its ``position``-th printed character (from 1, spaces skipped)."""
    return [i for i, ch in enumerate(line) if not ch.isspace()][position - 1]


def _with(code: str, position: int, digit: str) -> str:
    return code[: position - 1] + digit + code[position:]


RENDERER = Renderer()


def _misprinted(values: dict[str, str], position: int, digit: str) -> Image.Image:
    """The label of ``values`` with one character of its code line printed as ``digit``: the line drawn by the
    renderer with that character changed, the QR still the right one."""
    wrong = dict(values)
    wrong["code_grouped"] = group(_with(values["code"], position, digit))
    return RENDERER.render(load_template(TEMPLATE), wrong).image


def _sound(image: Image.Image) -> np.ndarray:
    """A print of ``image`` as the reference's dots see it through a camera: 0 = ink, 1 = paper."""
    ink = (np.asarray(image.convert("1")) == 0).astype(np.float32)
    return 1.0 - cv2.GaussianBlur(ink, (0, 0), CAMERA_BLUR)


def _glyph_defects(result: object) -> list[tuple[int, str]]:
    defects = getattr(result, "defects", [])
    return [(d.location["position"], d.detail) for d in defects if d.kind == "code_glyph"]


# --- where the text was drawn -----------------------------------------------------------------------------------


def test_the_renderer_records_where_the_code_line_was_drawn() -> None:
    values = demo_values(CODE)
    label, _ = render(values)
    [placed] = label.texts  # product, origin, producer and footer are the same on every label: not recorded
    font = load_font(locate_font())
    assert placed == PlacedText(CODE_ELEMENT, 1, placed.x, placed.y, "1780 6008 4279 0920 3676", 24, font.path)
    line = Image.new("1", label.image.size, 1)
    draw = ImageDraw.Draw(line)
    draw.fontmode = "1"
    draw.text((placed.x, placed.y), placed.text, font=font.face(placed.size_px), fill=0, anchor="la")
    drawn = np.asarray(line) == 0
    rows = slice(placed.y, placed.y + 30)
    assert drawn.sum() > 500 and np.array_equal(drawn[rows], (np.asarray(label.image) == 0)[rows])


def test_every_line_naming_a_per_label_field_is_recorded() -> None:
    raw = {
        "width_mm": 40,
        "height_mm": 30,
        "element": [
            {"type": "qr", "x_mm": 20, "y_mm": 1, "w_mm": 19, "h_mm": 19},
            {"type": "text", "id": "title", "x_mm": 1, "y_mm": 1, "w_mm": 18, "h_mm": 4, "text": "固定文字"},
            {"type": "text", "id": "serial", "x_mm": 1, "y_mm": 6, "w_mm": 18, "h_mm": 4, "text": "编号 {serial}"},
            {
                "type": "text",
                "id": "both",
                "x_mm": 1,
                "y_mm": 11,
                "w_mm": 16,
                "h_mm": 9,
                "text": "数字码 {code}",
                "size_mm": 2.5,
                "lines": 3,
            },
            {"type": "code", "id": "code", "x_mm": 1, "y_mm": 22, "w_mm": 38, "h_mm": 4, "size_mm": 2.5},
        ],
    }
    template = parse_template("lines", raw, Path("lines.toml"))
    values = {"serial": "123456", "code": CODE, "code_grouped": group(CODE), "payload": "https://trace.example.org/c/1"}
    label = Renderer().render(template, values)
    got = [(p.element, p.line, p.text) for p in label.texts]
    both = [p for p in label.texts if p.element == "element 4 (text, both)"]
    assert got[0] == ("element 3 (text, serial)", 1, "编号 123456")
    assert len(both) >= 2 and [p.line for p in both] == list(range(1, len(both) + 1))
    assert "".join(p.text for p in both).replace(" ", "") == "数字码" + CODE
    assert got[-1] == ("element 5 (code, code)", 1, group(CODE))
    assert all(p.y > q.y for p, q in zip(both[1:], both, strict=False))
    reference = Reference.from_label(label)
    assert reference.texts == tuple(label.texts) and reference.code_box is None
    assert glyphs.plan(reference.texts, reference.image, reference.predicted(), CAMERA_BLUR)  # every line reproduced
    assert misreads(reference.predicted(), reference.glyph_groups()) == []


def test_the_reference_carries_the_lines() -> None:
    template = load_template(TEMPLATE)
    label = Renderer().render(template, demo_values(CODE))
    reference = reference_for(label, template)
    assert reference.texts == tuple(label.texts) and reference.code_box == code_box(template)
    old_style = Reference.from_label(label, code_box(template))
    assert old_style.code_box == code_box(template) and old_style.texts == reference.texts
    bare = Reference.from_label(Label(image=label.image, qrs=label.qrs))
    assert bare.texts == () and bare.glyph_groups() == []


# --- candidates and drawings ------------------------------------------------------------------------------------


def test_candidates() -> None:
    font = load_font(locate_font())
    assert candidates("3", font) == (*"0123456789", BLANK)
    letters = candidates("A", font)
    assert letters[:10] == tuple("0123456789") and "z" in letters and letters[-1] == BLANK and len(letters) == 63
    assert candidates("产", font)[-2:] == ("产", BLANK)
    few = dataclasses.replace(font, path=Path("few.ttf"), codepoints=frozenset(map(ord, "0123456789产")), _faces={})
    assert candidates("产", few) == (*"0123456789", "产", BLANK)


def test_each_character_owns_its_advance_and_a_dot_each_side() -> None:
    """The misfit is measured over a character's own columns: all of its ink with a dot to spare on each side, and
    at most a dot of its neighbour's (digits of the code line are a dot apart)."""
    _, reference = render(demo_values(CODE))
    [bound] = reference.glyph_groups()
    slots = bound.slots.slots
    for k, (slot, char) in enumerate(zip(slots, bound.chars, strict=True)):
        _, y1, x0, x1 = slot.stack.boxes[slot.stack.chars.index(char)]
        assert slot.own[0] <= x0 - 1 and x1 + 1 <= slot.own[1], (slot.position, slot.own, x0, x1)
        if k + 1 < len(slots) and slot.position + 1 == slots[k + 1].position:
            after = slots[k + 1]
            ink_starts = after.x0 + after.stack.boxes[after.stack.chars.index(bound.chars[k + 1])][2]
            assert slot.x0 + slot.own[1] <= ink_starts + 1, slot.position


def test_drawings_and_layouts_are_made_once_per_run() -> None:
    _, first = render(demo_values(CODE))
    first.glyph_groups()
    stacks, layouts = len(glyphs._stacks), len(glyphs._layouts)
    _, second = render(demo_values("86812111593026723311"))
    [group_] = second.glyph_groups()
    assert (len(glyphs._stacks), len(glyphs._layouts)) == (stacks, layouts)
    assert group_.slots is first.glyph_groups()[0].slots  # the same line shape: the same layout
    assert second.glyph_groups()[0] is group_  # and the reference keeps its own


def test_drawing_the_whole_line_agrees_with_glyphs_alone_where_nothing_kerns() -> None:
    """Each candidate drawn in the whole line is the candidate alone plus the line's other characters; nothing
    printed is the rest of the line in place."""
    _, reference = render(demo_values(CODE))
    [bound] = reference.glyph_groups()
    placed = reference.texts[0]
    font = load_font(placed.font)
    substituted = glyphs._slots_substituted(font, placed, list(bound.slots.slots), CAMERA_BLUR)
    for alone, whole, char in zip(bound.slots.slots, substituted, bound.chars, strict=True):
        _, h, w = alone.stack.ink.shape
        own = alone.stack.ink[alone.stack.chars.index(char)]
        others = reference.image[alone.y0 : alone.y0 + h, alone.x0 : alone.x0 + w] & ~own
        assert np.array_equal(whole.stack.ink, alone.stack.ink | others), alone.position


def test_candidates_drawn_nearly_alike_are_not_weighed() -> None:
    """At 16 dots an i and an l differ by 2 dots: which of them the frame shows is noise, so the other is not
    weighed (a sound print seen half a dot off would otherwise read as the other letter)."""
    raw = {
        "width_mm": 40,
        "height_mm": 30,
        "element": [
            {"type": "qr", "x_mm": 20, "y_mm": 1, "w_mm": 19, "h_mm": 19},
            {
                "type": "text",
                "id": "lot",
                "x_mm": 1,
                "y_mm": 22,
                "w_mm": 38,
                "h_mm": 4,
                "text": "{serial}",
                "size_mm": 2.0,
            },
        ],
    }
    template = parse_template("letters", raw, Path("letters.toml"))
    label = Renderer().render(template, {"payload": "https://trace.example.org/c/1", "serial": "lily 2026"})
    reference = Reference.from_label(label)
    [placed] = reference.texts
    assert placed.size_px == 16
    groups = reference.glyph_groups()
    [letters] = [g for g in groups if "i" in g.chars]
    i = letters.chars.index("i")
    stack = letters.slots.slots[i].stack
    shares, _ = scores(reference.predicted(), letters)
    assert np.isnan(shares[i, stack.chars.index("l")]) and not np.isnan(shares[i, stack.chars.index("j")])
    ink = reference.image.astype(np.float32)
    moved = cv2.warpAffine(ink, np.float32([[1, 0, 0.5], [0, 1, 0.3]]), (ink.shape[1], ink.shape[0]))
    assert misreads(1.0 - cv2.GaussianBlur(moved, (0, 0), CAMERA_BLUR), groups) == []


# --- a kerning font ---------------------------------------------------------------------------------------------

DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


@pytest.mark.skipif(not DEJAVU.is_file(), reason="DejaVu Sans is not installed")
def test_a_kerning_line_is_read_from_the_whole_line() -> None:
    raw = {
        "width_mm": 40,
        "height_mm": 30,
        "element": [
            {"type": "qr", "x_mm": 1, "y_mm": 1, "w_mm": 20, "h_mm": 20},
            {"type": "text", "id": "lot", "x_mm": 1, "y_mm": 22, "w_mm": 38, "h_mm": 5, "text": "AVATAR {serial}"},
        ],
    }
    template = parse_template("kern", raw, Path("kern.toml"))
    renderer = Renderer(font=load_font(DEJAVU))
    values = {"payload": "https://trace.example.org/c/1", "serial": "7370"}
    label = renderer.render(template, values)
    reference = Reference.from_label(label)
    [placed] = reference.texts
    font = load_font(DEJAVU)
    assert font.face(placed.size_px).getlength("AV") < 2 * font.face(placed.size_px).getlength("A") - 0.5  # kerned
    alone = glyphs._slots_alone(font, placed, CAMERA_BLUR, False, reference.image.shape)
    plain = glyphs._grouped(alone, reference.image.shape[1])
    assert any(glyphs._bind(placed, s, reference.image, reference.predicted()) is None for s in plain)
    assert misreads(reference.predicted(), reference.glyph_groups()) == []
    for position, char in [(8, "8"), (9, "1"), (10, "6")]:
        wrong = _draw_line(label, placed, font, _index(placed.text, position), char)
        [miss] = misreads(_sound(wrong), reference.glyph_groups())
        assert (miss.position, miss.seen) == (position, char), miss


def _draw_line(label: Label, placed: PlacedText, font: object, index: int, char: str) -> Image.Image:
    """``label`` with ``placed``'s line drawn again, its character at ``index`` replaced by ``char``."""
    image = label.image.copy()
    face = font.face(placed.size_px)  # type: ignore[attr-defined]
    x0, y0, x1, y1 = face.getbbox(placed.text, anchor="la")
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    draw.rectangle([placed.x + x0, placed.y + y0, placed.x + x1 + 20, placed.y + y1], fill=1)
    text = placed.text[:index] + char + placed.text[index + 1 :]
    draw.text((placed.x, placed.y), text, font=face, fill=0, anchor="la")
    return image


def test_lines_are_drawn_whole_when_glyphs_alone_do_not_land_in_place(monkeypatch: pytest.MonkeyPatch) -> None:
    values = demo_values(CODE)
    _, reference = render(values)
    alone = glyphs._slots_alone

    def off_by_one(*args: object) -> list[glyphs._Slot]:  # glyphs that never land where the line has them
        return [dataclasses.replace(s, x0=s.x0 + 1) for s in alone(*args)]  # type: ignore[arg-type]

    monkeypatch.setattr(glyphs, "_slots_alone", off_by_one)
    monkeypatch.setattr(glyphs, "_layouts", {})
    groups = glyphs.plan(reference.texts, reference.image, reference.predicted(), CAMERA_BLUR)
    assert misreads(reference.predicted(), groups) == []
    [miss] = misreads(_sound(_misprinted(values, 13, "8")), groups)
    assert (miss.position, miss.expected, miss.seen) == (13, "0", "8")


# --- the rules on exact prints ----------------------------------------------------------------------------------


def test_a_sound_print_reads_clean() -> None:
    _, reference = render(demo_values(CODE))
    [group_] = reference.glyph_groups()
    shares, misfit = scores(reference.predicted(), group_)
    assert np.nanmax(np.abs(shares)) < 1e-4 and misfit.max() < 1e-6
    assert group_.chars == CODE and [s.position for s in group_.slots.slots] == list(range(1, 21))


@pytest.mark.parametrize(
    ("dx", "dy", "blur"),
    [(0.5, 0.0, CAMERA_BLUR), (0.0, 0.5, CAMERA_BLUR), (0.5, 0.5, 1.2), (0.0, 0.0, 1.2), (0.0, 0.0, 0.4)],
)
def test_a_sound_print_seen_off_or_softer_reads_clean(dx: float, dy: float, blur: float) -> None:
    """Half a dot of misalignment and a camera softer or sharper than the model: a shift and a softness are fitted
    before candidates are weighed (unfitted, these frames read up to 0.76 of a change to another digit)."""
    _, reference = render(demo_values(CODE))
    ink = reference.image.astype(np.float32)
    moved = cv2.warpAffine(ink, np.float32([[1, 0, dx], [0, 1, dy]]), (ink.shape[1], ink.shape[0]))
    norm = 1.0 - cv2.GaussianBlur(moved, (0, 0), blur)
    [group_] = reference.glyph_groups()
    shares, misfit = scores(norm, group_)
    assert np.nanmax(shares) < 0.25 and misfit.max() < 0.2
    assert misreads(norm, [group_]) == []


def test_every_digit_printed_as_any_other_is_named_at_every_position() -> None:
    values = demo_values(CODE)
    _, reference = render(values)
    for position in range(1, 21):
        for digit in "0123456789":
            if digit == CODE[position - 1]:
                continue
            found = misreads(_sound(_misprinted(values, position, digit)), reference.glyph_groups())
            assert [(m.element, m.line, m.position, m.expected, m.seen) for m in found] == [
                (CODE_ELEMENT, 1, position, CODE[position - 1], digit)
            ], (position, digit)


def test_the_share_of_a_change_seen_decides() -> None:
    """A frame part-way between the right print and one with 0 printed as 8 reads as 8 once it shows clearly more
    than half the change (0.5: both fit equally; from 0.6 the 8 fits clearly better), and not before."""
    values = demo_values(CODE)
    _, reference = render(values)
    right, wrong = reference.predicted(), _sound(_misprinted(values, 13, "8"))
    for share, read in ((0.3, False), (0.55, False), (0.65, True), (1.0, True)):
        found = misreads(right + share * (wrong - right), reference.glyph_groups())
        assert [(m.position, m.seen) for m in found if m.seen is not None] == ([(13, "8")] if read else []), share
    assert GLYPH_SWAP == 0.6


def test_ink_no_candidate_explains_is_a_misfit() -> None:
    """A speck of ink in the counter of a 0: no digit looks like it, the smear rule cannot see it (it is within a dot
    of the 0's ink), and the misfit names it from 4 × 4 dots; 2 × 2 is the camera's business."""
    values = demo_values(CODE)
    _, reference = render(values)
    [group_] = reference.glyph_groups()
    slot = group_.slots.slots[12]  # the 0 at position 13
    ink = slot.stack.ink[slot.stack.chars.index("0")]
    ys, xs = np.nonzero(ink)
    cy, cx = slot.y0 + int(ys.mean()), slot.x0 + int(xs.mean())
    for size, flagged in ((2, False), (4, True)):
        speck = np.zeros_like(reference.image)
        speck[cy - 1 : cy - 1 + size, cx - 1 : cx - 1 + size] = True
        norm = 1.0 - cv2.GaussianBlur((reference.image | speck).astype(np.float32), (0, 0), CAMERA_BLUR)
        _, misfit = scores(norm, group_)
        found = misreads(norm, [group_])
        assert bool(found) == flagged and (misfit[12] >= GLYPH_MISFIT) == flagged, (size, misfit[12])
        assert all(m.position == 13 and m.seen is None for m in found)


def test_a_misfit_beside_a_misread_character_is_not_reported_again() -> None:
    values = demo_values(CODE)
    _, reference = render(values)
    norm = _sound(_misprinted(values, 13, "8"))
    [group_] = reference.glyph_groups()
    _, misfit = scores(norm, group_)
    neighbours = misfit[[11, 13]]
    found = misreads(norm, [group_])
    assert [(m.position, m.seen) for m in found] == [(13, "8")], neighbours


# --- through the camera -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("darkness", [0.45, 0.55, 0.7, 0.85, 1.0])
@pytest.mark.parametrize("camera", range(len(CAMERAS)))
def test_good_prints_read_clean_at_every_darkness_and_focus(darkness: float, camera: int) -> None:
    values = demo_values(CODE if camera % 2 else "86812111593026723311", product=camera % 2)
    label, reference = render(values)
    printed = print_label(label.image, PrinterFaults(darkness=darkness))
    result = verify_frame(
        film(printed, 7 * camera + int(10 * darkness), **CAMERAS[camera]), values["payload"], reference
    )
    assert result.match and result.comparison is not None
    assert _glyph_defects(result) == [], result.reason
    if darkness == 1.0 and camera == 0:
        assert result.passed, result.reason


@pytest.mark.parametrize("dots", [-0.5, 0.5])
def test_a_good_print_seen_half_a_dot_off_reads_clean(dots: float) -> None:
    values = demo_values(CODE)
    label, reference = render(values)
    printed = shift_right_end(print_label(label.image), 200, dots)
    for seed in range(3):
        result = verify_frame(
            film(printed, seed, jitter_px=0, rotation_deg=0, perspective=0), values["payload"], reference
        )
        assert _glyph_defects(result) == [], (seed, result.reason)


@pytest.mark.parametrize("position", range(1, 21))
def test_a_close_digit_printed_in_its_place_is_rejected_by_position(position: int) -> None:
    right, wrong = CLOSE[position % len(CLOSE)]
    values = demo_values(_with(CODE, position, right))
    _, reference = render(values)
    printed = print_label(_misprinted(values, position, wrong), PrinterFaults(darkness=(1.0, 0.85, 0.7)[position % 3]))
    camera = CAMERAS[position % len(CAMERAS)]
    result = verify_frame(film(printed, position, **camera), values["payload"], reference)
    assert result.match  # the QR is the right one: only the text can tell
    assert not result.passed
    line = values["code_grouped"]
    assert _glyph_defects(result) == [
        (position, f"{CODE_ELEMENT}, line 1, character {position}: reads as {wrong!r}, not {right!r}")
    ], (line, _index(line, position), result.reason)


@pytest.mark.parametrize("position", [1, 10, 20])
def test_a_character_not_printed_is_rejected_by_position(position: int) -> None:
    values = demo_values(CODE)
    label, reference = render(values)
    [group_] = reference.glyph_groups()
    slot = group_.slots.slots[position - 1]
    ink = slot.stack.ink[slot.stack.chars.index(CODE[position - 1])]
    printed = np.asarray(print_label(label.image).convert("L")).copy()
    h, w = ink.shape
    printed[slot.y0 : slot.y0 + h, slot.x0 : slot.x0 + w][ink] = 255
    result = verify_frame(film(Image.fromarray(printed), position), values["payload"], reference)
    assert result.match and not result.passed
    [(found, detail)] = _glyph_defects(result)
    assert found == position and detail.endswith(f"{CODE[position - 1]!r} missing")
    set_language("zh")
    assert TEXTS["defect.code_glyph"][0] + f" 第 1 行第 {position} 个字符" in result.reason_text()
    set_language("en")
    assert TEXTS["defect.code_glyph"][1] + f" line 1, character {position}" in result.reason_text()
    [defect] = [d for d in result.defects if d.kind == "code_glyph"]
    x, y, w, h = (defect.location[k] for k in ("x", "y", "w", "h"))
    assert (x, y) == (slot.x0 + int(np.nonzero(ink)[1].min()), slot.y0 + int(np.nonzero(ink)[0].min()))
    assert ink.sum() == ink[y - slot.y0 : y - slot.y0 + h, x - slot.x0 : x - slot.x0 + w].sum()
    assert result.comparison is not None  # --annotate boxes the character where the frame shows it
    corners = np.float32([[[x, y]], [[x + w, y]], [[x + w, y + h]], [[x, y + h]]])
    bx0, by0 = cv2.perspectiveTransform(corners, result.comparison.homography).reshape(-1, 2).min(axis=0)
    bx1, by1 = cv2.perspectiveTransform(corners, result.comparison.homography).reshape(-1, 2).max(axis=0)
    alone = dataclasses.replace(result, defects=[defect])  # the void where the ink went is boxed too: leave it out
    picture = annotate(np.asarray(film(Image.fromarray(printed), position)), alone, reference)
    red = (picture[..., 2] > 200) & (picture[..., 1] < 60)
    near = red[int(by0) - 3 : int(by1) + 4, int(bx0) - 3 : int(bx1) + 4]
    assert near.sum() >= 2 * (bx1 - bx0 + by1 - by0)  # the box's outline, drawn in red


def test_a_dead_element_through_a_digit_is_rejected() -> None:
    values = demo_values(CODE)
    label, reference = render(values)
    [group_] = reference.glyph_groups()
    for position in (5, 16):
        slot = group_.slots.slots[position - 1]
        ink = slot.stack.ink[slot.stack.chars.index(CODE[position - 1])]
        column = slot.x0 + int(np.argmax(ink.sum(axis=0)))  # the digit's most inked column
        printed = print_label(label.image, PrinterFaults(dead_elements=(column,)))
        result = verify_frame(film(printed, position), values["payload"], reference)
        assert not result.passed
        dead = [d.location["dot"] for d in result.defects if d.kind == "dead_element"]
        assert any(abs(x - column) <= 1 for x in dead) or position in [p for p, _ in _glyph_defects(result)]


def test_the_comparison_reports_glyphs_instead_of_the_code_box() -> None:
    values = demo_values(CODE)
    label, reference = render(values)
    wrong = _sound(_misprinted(values, 7, "3"))
    frame = np.round(wrong * 255).astype(np.uint8)
    corners = reference.qr_corners() + 0.5
    kinds = [d.kind for d in compare(frame, corners, reference).defects]
    assert "code_glyph" in kinds and "code_text" not in kinds
    boxed = dataclasses.replace(reference, texts=())  # a reference without the lines: the old box check remains
    assert "code_glyph" not in [d.kind for d in compare(frame, corners, boxed).defects]
