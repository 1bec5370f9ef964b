"""One label, one symbol, the symbol that was printed: error levels, other symbols in the frame, payload bytes."""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
import segno
import zxingcpp
from PIL import Image

from drivers.emulators.printer import PrinterFaults
from station.labels import Renderer, load_template
from station.labels.template import TEMPLATE_DIR
from station.texts import set_language
from station.verify.decode import decode_zxing, parse_hex_eci
from station.verify.defects import Reference
from station.verify.reference import reference_for
from station.verify.verifier import annotate, verify_frame
from tests.labels_helpers import GOLDEN_PAYLOAD, fixed_values
from tests.verify_helpers import film, print_label, render


def _template_at(level: str, folder: Path) -> Path:
    """trace-40x30 with its QR at error level ``level``."""
    text = (TEMPLATE_DIR / "trace-40x30.toml").read_text(encoding="utf-8")
    text = text.replace('data = "{payload}"', f'data = "{{payload}}"\nerror = "{level}"', 1)
    path = folder / f"trace-{level}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _render_at(level: str, folder: Path) -> tuple[Image.Image, Reference]:
    template = load_template(str(_template_at(level, folder)))
    label = Renderer().render(template, fixed_values())
    assert label.qrs[0].error == level.upper()
    return label.image, reference_for(label, template)


def _damage(image: Image.Image, box: tuple[int, int, int, int], ink: bool) -> Image.Image:
    a = np.asarray(image.convert("L")).copy()
    x0, y0, x1, y1 = box
    a[y0:y1, x0:x1] = 0 if ink else 255
    return Image.fromarray(a)


@pytest.mark.parametrize("level", ["l", "m", "q", "h"])
def test_every_error_level_is_verified_against_its_own_symbol(level: str, tmp_path: Path) -> None:
    image, reference = _render_at(level, tmp_path)
    printed = print_label(image)
    for seed in range(2):
        result = verify_frame(film(printed, seed), GOLDEN_PAYLOAD, reference)
        assert result.passed, (level, seed, result.reason)
        assert result.comparison is not None  # the label was compared, not only read
        assert "unused_error_correction" in result.parameters


@pytest.mark.parametrize("level", ["l", "q", "h"])
def test_damage_on_a_label_of_another_error_level_is_found(level: str, tmp_path: Path) -> None:
    """A template at level Q once made the verifier rebuild the symbol at M, see another version and skip every
    check: dead elements, a smear and wiped text all passed grade A."""
    image, reference = _render_at(level, tmp_path)
    assert reference.qr.version != render()[1].qr.version or level == "l"  # the case that once skipped the checks
    cases = {
        "dead_element": print_label(image, PrinterFaults(dead_elements=(60, 250))),
        "smear": _damage(print_label(image), (176, 60, 186, 70), True),
        "code_text": _damage(print_label(image), (40, 180, 280, 203), False),
    }
    for kind, printed in cases.items():
        result = verify_frame(film(printed, 2), GOLDEN_PAYLOAD, reference)
        assert not result.passed, (level, kind)
        assert kind in [d.kind for d in result.defects] or kind == "code_text" and result.defects, (
            level,
            kind,
            result.reason,
        )


def test_a_symbol_at_another_error_level_than_printed_is_not_the_label(tmp_path: Path) -> None:
    """The right payload in a symbol the station did not print for this label (here: level Q where the template says
    M) is rejected as not the symbol printed, even where it reads cleanly."""
    image_q, _ = _render_at("q", tmp_path)
    _, reference_m = render()
    result = verify_frame(film(print_label(image_q), 1), GOLDEN_PAYLOAD, reference_m)
    assert result.match and not result.passed
    assert "qr_symbol" in [d.kind for d in result.defects]


def _side_by_side(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    return np.hstack([left, right])


@pytest.mark.parametrize("good_first", [True, False])
def test_a_second_label_of_another_code_in_the_frame_is_a_reject(good_first: bool) -> None:
    label, reference = render()
    other_values = {**fixed_values(), "payload": GOLDEN_PAYLOAD.replace("7", "1")}
    other = Renderer().render(load_template("trace-40x30"), other_values).image
    good, stranger = film(print_label(label.image), 1), film(print_label(other), 2)
    frame = _side_by_side(good, stranger) if good_first else _side_by_side(stranger, good)
    result = verify_frame(frame, GOLDEN_PAYLOAD, reference)
    assert result.match and not result.passed
    kinds = [d.kind for d in result.defects]
    assert kinds.count("extra_symbol") == 1, kinds
    box = next(d.location for d in result.defects if d.kind == "extra_symbol")
    stranger_x = good.shape[1] if good_first else 0
    assert stranger_x <= box["frame_x"] < stranger_x + good.shape[1]
    # on --annotate the stranger is boxed in red
    marked = annotate(frame, result, reference)
    x, y, w = box["frame_x"], box["frame_y"], box["frame_w"]
    edge = marked[y, x : x + w]
    assert ((edge[:, 2] > 200) & (edge[:, 1] < 50)).mean() > 0.8
    set_language("zh")
    try:
        assert "画面里还有别的码" in result.reason_text()
    finally:
        set_language("en")


def test_the_same_label_twice_in_the_frame_is_a_reject() -> None:
    label, reference = render()
    printed = print_label(label.image)
    frame = _side_by_side(film(printed, 1), film(printed, 2))
    result = verify_frame(frame, GOLDEN_PAYLOAD, reference)
    assert result.match and not result.passed
    assert [d.kind for d in result.defects].count("duplicate_symbol") == 1, result.defects
    # one label alone in the same frame size passes: the rule counts symbols, not pixels
    alone = _side_by_side(film(printed, 1), np.full_like(film(printed, 2), 128))
    assert verify_frame(alone, GOLDEN_PAYLOAD, reference).passed


def _symbol_image(symbol: segno.QRCode, scale: int = 6) -> np.ndarray:
    m = np.pad(np.array(symbol.matrix, dtype=np.uint8), 4)
    return np.kron((1 - m) * 255, np.ones((scale, scale), np.uint8)).astype(np.uint8)


def test_the_payload_is_the_symbols_bytes_not_a_readers_rendering() -> None:
    """zxing-cpp renders a control character as "<SOH>" and a GS1 element string as "(01)…": neither rendering may
    match a payload that spells it out, and the symbol's own bytes do match."""
    soh = _symbol_image(segno.make_qr("ab\x01cd", mode="byte"))
    assert zxingcpp.read_barcodes(soh)[0].text == "ab<SOH>cd"  # what a rendering would have compared
    assert not verify_frame(soh, "ab<SOH>cd").match
    assert verify_frame(soh, "ab\x01cd").match
    gs1 = np.asarray(
        zxingcpp.create_barcode("(01)09506000134352(10)ABC", zxingcpp.BarcodeFormat.QRCode, gs1=True).to_image(scale=6)
    )
    assert zxingcpp.read_barcodes(gs1)[0].text == "(01)09506000134352(10)ABC"
    read = decode_zxing(gs1)[0]
    assert read.gs1 and read.text == "0109506000134352" + "10ABC"
    for expected in ("(01)09506000134352(10)ABC", "010950600013435210ABC"):
        result = verify_frame(gs1, expected)
        assert not result.match and not result.passed


def test_eci_segments_are_decoded_in_their_own_character_set() -> None:
    latin = _symbol_image(segno.make_qr("https://a.b/é", mode="byte", encoding="latin-1", eci=True))
    read = decode_zxing(latin)[0]
    assert read.text == "https://a.b/é" and read.eci == (3,) and read.raw == b"https://a.b/\xe9"
    utf8 = _symbol_image(segno.make_qr("https://a.b/牟定", mode="byte", encoding="utf-8", eci=True))
    assert decode_zxing(utf8)[0].text == "https://a.b/牟定" and decode_zxing(utf8)[0].eci == (26,)


def test_hex_eci_parsing() -> None:
    def hexed(data: bytes) -> str:
        return " ".join(f"{b:02X}" for b in data)

    plain = parse_hex_eci(hexed(b"]Q1https://x/1"))
    assert (plain.text, plain.gs1, plain.eci) == ("https://x/1", False, ())
    two = parse_hex_eci(hexed(b"]Q2\\000003caf\xe9 \\000026\xe7\x89\x9f a\\\\b"))
    assert two.text == "café 牟 a\\b" and two.eci == (3, 26) and two.raw == b"caf\xe9 \xe7\x89\x9f a\\b"
    assert parse_hex_eci(hexed(b"]Q3011234\x1d10AB")).gs1
    assert parse_hex_eci(hexed(b"]Q2\\000026\xff")).text is None  # not UTF-8 under ECI 26: no text
    # without ECI a backslash is data, not a designator
    assert parse_hex_eci(hexed(b"]Q1a\\000003b")).text == "a\\000003b"


def test_a_frame_without_a_second_symbol_has_no_symbol_defect() -> None:
    label, reference = render()
    frame = film(print_label(label.image), 4)
    result = verify_frame(frame, GOLDEN_PAYLOAD, reference)
    assert result.passed and not [d for d in result.defects if "symbol" in d.kind]
    bigger = cv2.copyMakeBorder(frame, 0, 0, 0, 400, cv2.BORDER_REPLICATE)
    assert verify_frame(bigger, GOLDEN_PAYLOAD, reference).passed


@pytest.mark.parametrize("turn", [90, 180, 270])
def test_a_template_turned_for_the_printer_verifies_and_finds_its_dead_dot(turn: int, tmp_path: Path) -> None:
    """`orientation` is a documented template option: good labels of a turned template pass, and a dead print-head
    dot is named by the dot the printer lost (once every good label of such a template was rejected)."""
    text = (TEMPLATE_DIR / "trace-40x30.toml").read_text(encoding="utf-8")
    path = tmp_path / f"turned-{turn}.toml"
    path.write_text(text.replace("margin_mm = 0.8", f"margin_mm = 0.8\norientation = {turn}", 1), encoding="utf-8")
    template = load_template(str(path))
    label = Renderer().render(template, fixed_values())
    reference = reference_for(label, template)
    for seed in range(2):
        result = verify_frame(film(print_label(label.image), seed), GOLDEN_PAYLOAD, reference)
        assert result.passed, (turn, seed, result.reason)
    width = label.image.width
    dot = width // 2 + 7  # through the QR or the text, whichever the turn puts there
    printed = print_label(label.image, PrinterFaults(dead_elements=(dot,)))
    result = verify_frame(film(printed, 3), GOLDEN_PAYLOAD, reference)
    assert not result.passed
    dead = [d.location["dot"] for d in result.defects if d.kind == "dead_element"]
    assert dead and abs(dead[0] - dot) <= 1, (turn, result.reason)


def test_a_second_qr_the_template_itself_places_is_not_a_stranger(tmp_path: Path) -> None:
    """A template may carry two QR symbols (the code and, say, the county's page): the label's own second symbol
    is allowed once; a third symbol, or its own second one twice, is still refused."""
    text = (TEMPLATE_DIR / "trace-40x30.toml").read_text(encoding="utf-8").replace("width_mm = 40", "width_mm = 70")
    text += '\n[[element]]\nid = "county"\ntype = "qr"\nx_mm = 45\ny_mm = 2\nw_mm = 21\nh_mm = 21\n'
    text += 'data = "https://trace.example.org/about"\n'
    path = tmp_path / "two-qr.toml"
    path.write_text(text, encoding="utf-8")
    template = load_template(str(path))
    label = Renderer().render(template, fixed_values())
    assert len(label.qrs) == 2
    reference = reference_for(label, template)
    frame = film(print_label(label.image), 1)
    result = verify_frame(frame, GOLDEN_PAYLOAD, reference)
    assert result.passed, result.reason
    beside = _side_by_side(frame, film(print_label(render()[0].image), 2))  # a stranger's label beside it
    assert "duplicate_symbol" in [d.kind for d in verify_frame(beside, GOLDEN_PAYLOAD, reference).defects]


def test_a_dead_element_through_a_digit_where_its_column_holds_little_ink_is_found() -> None:
    """A dead dot whose column crosses only a few dots of ink, all in one digit of the code line (the corpus met 5
    in 1,000 such labels passing), is found at its dot."""
    label, reference = render()
    x0, y0, x1, y1 = reference.code_box or (0, 0, 0, 0)
    columns = [
        x for x in range(x0, x1) if 3 <= reference.image[:, x].sum() < 10 and reference.image[y0:y1, x].sum() >= 3
    ]
    assert len(columns) >= 3  # the case this test is about: thin columns through the digits
    for i, dot in enumerate(columns[:: max(1, len(columns) // 4)][:4]):
        printed = print_label(label.image, PrinterFaults(dead_elements=(dot,)))
        result = verify_frame(film(printed, i), GOLDEN_PAYLOAD, reference)
        assert not result.passed, dot
        dead = [d.location["dot"] for d in result.defects if d.kind == "dead_element"]
        assert dead and abs(dead[0] - dot) <= 1, (dot, result.reason)


@pytest.mark.parametrize("digits", [("5", "2"), ("2", "5")])  # the reader lists either symbol first
def test_a_frame_still_showing_the_previous_label_beside_a_stranger_is_waited_past(digits: tuple[str, str]) -> None:
    """The first frames after a label still show the previous one (here on 2-up stock beside another code): the
    label is judged on the first frame that shows it, not failed as a wrong code."""
    from dataclasses import dataclass

    from station.verify.live import verify_printed

    label, reference = render()
    previous_values = {**fixed_values(), "payload": GOLDEN_PAYLOAD.replace("7", digits[0])}
    stranger_values = {**fixed_values(), "payload": GOLDEN_PAYLOAD.replace("7", digits[1])}
    template = load_template("trace-40x30")
    previous = Renderer().render(template, previous_values).image
    stranger = Renderer().render(template, stranger_values).image
    old = _side_by_side(film(print_label(previous), 2), film(print_label(stranger), 1))
    new = film(print_label(label.image), 3)

    @dataclass
    class Frame:
        image: np.ndarray
        seq: int
        captured_at: float

    class Camera:
        latency_s = 0.0

        def __init__(self) -> None:
            self.frames = [Frame(old, 1, 1.0), Frame(old, 2, 2.0), Frame(np.pad(new, ((0, 0), (0, 1280))), 3, 3.0)]

        def frame_after(self, t: float, timeout_s: float = 2.0) -> Frame:
            return next(f for f in self.frames if f.captured_at > t)

    result = verify_printed(Camera(), 0.0, GOLDEN_PAYLOAD, reference, previous_values["payload"], timeout_s=5.0)
    assert result.frame_seq == 3 and result.passed, result.reason
