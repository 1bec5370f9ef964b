"""Rendering rules: whole-dot QR modules with quiet zone, resolution, text shrink and ellipsis, Code 128."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import zxingcpp

from station.labels import Renderer, load_template
from station.labels.template import parse_template
from tests.labels_helpers import GOLDEN_PAYLOAD, fixed_values, gray


@pytest.mark.parametrize(("dpi", "module"), [(203, 4), (300, 6)])
def test_qr_modules_are_whole_dots_with_quiet_zone(dpi: int, module: int) -> None:
    template = load_template("trace-40x30").with_dpi(dpi)
    label = Renderer().render(template, fixed_values())
    (qr,) = label.qrs
    assert qr.module_dots == module
    img = gray(label.image) < 128
    side = qr.modules * qr.module_dots
    symbol = img[qr.y : qr.y + side, qr.x : qr.x + side]
    # every module is a solid square of module_dots × module_dots
    blocks = symbol.reshape(qr.modules, module, qr.modules, module)
    assert (blocks.all(axis=(1, 3)) | ~blocks.any(axis=(1, 3))).all()
    quiet = 4 * module
    around = img[qr.y - quiet : qr.y + side + quiet, qr.x - quiet : qr.x + side + quiet].copy()
    around[quiet:-quiet, quiet:-quiet] = False
    assert not around.any(), "quiet zone must be white"


def test_300_dpi_is_the_same_label_scaled() -> None:
    low = Renderer().render(load_template("trace-40x30"), fixed_values()).image
    high = Renderer().render(load_template("trace-40x30").with_dpi(300), fixed_values()).image
    assert high.size == (472, 354) and low.size == (320, 240)
    assert zxingcpp.read_barcodes(gray(high))[0].text == GOLDEN_PAYLOAD


def _text_template(text: str, w_mm: float = 20, lines: int = 1) -> object:
    raw = {
        "width_mm": 40,
        "height_mm": 30,
        "element": [
            {
                "type": "text",
                "id": "t",
                "x_mm": 1,
                "y_mm": 1,
                "w_mm": w_mm,
                "h_mm": 8,
                "text": text,
                "size_mm": 3,
                "min_size_mm": 2,
                "lines": lines,
            }
        ],
    }
    return parse_template("t", raw, load_template("trace-40x30").path)


def test_text_shrinks_before_it_is_cut() -> None:
    renderer = Renderer()
    fits = renderer.render(_text_template("牟定腐乳"), {})  # type: ignore[arg-type]
    assert fits.warnings == []
    shrunk = renderer.render(_text_template("牟定县彝乡腐乳食品"), {})  # type: ignore[arg-type]
    assert shrunk.warnings == []

    def ink_height(img) -> int:  # type: ignore[no-untyped-def]
        rows = np.nonzero((gray(img) < 128).any(axis=1))[0]
        return int(rows.max() - rows.min())

    assert ink_height(shrunk.image) < ink_height(fits.image)  # the longer text was set smaller
    cut = renderer.render(_text_template("牟定县彝乡腐乳食品有限公司牟定县彝乡腐乳食品有限公司"), {})  # type: ignore[arg-type]
    assert len(cut.warnings) == 1 and "…" in cut.warnings[0]
    ink = gray(cut.image) < 128
    assert ink[:, : cut.image.width].any()
    assert not ink[:, 8 + round(20 * 203 / 25.4) + 2 :].any(), "cut text stays inside its box"


def test_text_wraps_onto_allowed_lines() -> None:
    label = Renderer().render(_text_template("牟定县彝乡腐乳食品有限公司", w_mm=15, lines=2), {})  # type: ignore[arg-type]
    assert label.warnings == []
    rows = np.nonzero((gray(label.image) < 128).any(axis=1))[0]
    assert rows.max() - rows.min() > 3 * 203 / 25.4, "two lines of text"


def test_text_never_runs_below_its_box() -> None:
    from station.errors import TemplateError

    raw = {
        "width_mm": 40,
        "height_mm": 30,
        "element": [
            {
                "type": "text",
                "id": "low",
                "x_mm": 1,
                "y_mm": 20,
                "w_mm": 30,
                "h_mm": 1.0,
                "text": "牟定腐乳",
                "size_mm": 4,
                "min_size_mm": 3,
            }
        ],
    }
    template = parse_template("low", raw, load_template("trace-40x30").path)
    with pytest.raises(TemplateError) as info:
        Renderer().render(template, {})
    assert info.value.key == "tpl.text_too_tall" and "low" in info.value.message
    raw["element"][0]["h_mm"] = 4.5  # the 4 mm text needs 5.2 mm: it shrinks until a line fits inside
    label = Renderer().render(parse_template("ok", raw, load_template("trace-40x30").path), {})
    rows = np.nonzero((gray(label.image) < 128).any(axis=1))[0]
    top, bottom = round(20 * 203 / 25.4), round(24.5 * 203 / 25.4)
    assert rows.min() >= top and rows.max() < bottom


def test_default_replaces_text_with_an_empty_field() -> None:
    template = load_template("trace-40x30")
    with_date = Renderer().render(template, {**fixed_values(), "lot.production_date": "2026-11-01"}).image
    without = Renderer().render(template, {**fixed_values(), "lot.production_date": ""}).image
    assert not np.array_equal(np.asarray(with_date), np.asarray(without))


def test_code128_roll_header_reads_back() -> None:
    label = Renderer().render(load_template("roll-header-40x30"), fixed_values())
    found = {r.format.name: r.text for r in zxingcpp.read_barcodes(gray(label.image))}
    assert found.get("Code128") == fixed_values()["roll.id"]
    assert found.get("QRCode") == fixed_values()["roll.id"]


def test_orientation_rotates_the_whole_label() -> None:
    template = dataclasses.replace(load_template("trace-40x30"), orientation=90)
    label = Renderer().render(template, fixed_values())
    assert label.image.size == (240, 320)
    assert zxingcpp.read_barcodes(gray(label.image))[0].text == GOLDEN_PAYLOAD


def test_image_element_is_drawn(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    logo = tmp_path / "logo.png"
    Image.new("L", (40, 40), 0).save(logo)
    raw = {
        "width_mm": 40,
        "height_mm": 30,
        "element": [{"type": "image", "x_mm": 2, "y_mm": 2, "w_mm": 5, "h_mm": 5, "path": "logo.png"}],
    }
    template = parse_template("logo", raw, tmp_path / "logo.toml")
    ink = gray(Renderer().render(template, {}).image) < 128
    assert ink[20:50, 20:50].all()
