"""Template errors: each kind of mistake gives a message naming the template, the element and the fix."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from station.errors import TemplateError
from station.labels import Renderer, check_template, load_template
from station.labels.fonts import Font, load_font, locate_font
from station.labels.template import TEMPLATE_DIR, load_template_file, parse_template
from tests.labels_helpers import fixed_values


def _raw(name: str = "trace-40x30") -> dict[str, Any]:
    return tomllib.loads((TEMPLATE_DIR / f"{name}.toml").read_text(encoding="utf-8"))


def _element(raw: dict[str, Any], ident: str) -> dict[str, Any]:
    return next(el for el in raw["element"] if el.get("id") == ident)


def _parse(raw: dict[str, Any], name: str = "mine") -> Any:
    return parse_template(name, raw, TEMPLATE_DIR / "trace-40x30.toml")


def _problems(raw: dict[str, Any]) -> list[str]:
    problems, _ = check_template(_parse(raw))
    return [p.message for p in problems]


def test_unknown_setting() -> None:
    raw = _raw()
    _element(raw, "product")["colour"] = "red"
    with pytest.raises(TemplateError) as info:
        _parse(raw)
    assert info.value.message == (
        "label template mine, element 2: unknown setting colour; known: id, x_mm, y_mm, w_mm, h_mm, text, "
        "size_mm, min_size_mm, align, lines, default"
    )


def test_bad_value_says_what_is_allowed() -> None:
    raw = _raw()
    _element(raw, "qr")["error"] = "x"
    with pytest.raises(TemplateError) as info:
        _parse(raw)
    assert info.value.message == "label template mine, element 1: error = 'x' is invalid; expected one of l, m, q, h"
    raw = _raw()
    raw["dpi"] = 600
    with pytest.raises(TemplateError, match="dpi = 600 is invalid; expected one of 203, 300"):
        _parse(raw)


def test_missing_setting_and_unknown_type() -> None:
    raw = _raw()
    del _element(raw, "product")["x_mm"]
    with pytest.raises(TemplateError, match="element 2: x_mm is missing"):
        _parse(raw)
    raw = _raw()
    raw["element"][0]["type"] = "datamatrix"
    with pytest.raises(TemplateError, match="type = 'datamatrix' is invalid; expected one of qr, text, code"):
        _parse(raw)


def test_unknown_field() -> None:
    raw = _raw()
    _element(raw, "footer")["text"] = "{lot.stauts}"
    assert _problems(raw) == [
        "label template mine, element 9 (text, footer): unknown field {lot.stauts}; fields: "
        + ", ".join(__import__("station.labels.fields", fromlist=["FIELDS"]).FIELDS)
    ]


def test_element_outside_the_label() -> None:
    raw = _raw()
    _element(raw, "footer")["y_mm"] = 28.5
    (message,) = _problems(raw)
    assert message.startswith("label template mine, element 9 (text, footer): outside the printable area")
    assert "0.8, 28.5, 39.2, 31.1 beyond 0.8, 0.8, 39.2, 29.2" in message


def test_quiet_zone_overlap() -> None:
    raw = _raw()
    _element(raw, "product")["x_mm"] = 20.0
    assert _problems(raw) == [
        "label template mine, element 2 (text, product) overlaps the quiet zone of QR element 1 (qr, qr); "
        "a QR needs 4 clear modules around it"
    ]


def test_qr_that_does_not_fit() -> None:
    raw = _raw()
    qr = _element(raw, "qr")
    qr["w_mm"] = qr["h_mm"] = 8.0
    with pytest.raises(TemplateError) as info:
        Renderer().render(_parse(raw), fixed_values())
    assert info.value.message == (
        "label template mine, element 1 (qr, qr): 48 bytes need 41 modules with quiet zone, 123 dots at 3 dots "
        "per module, but the box has 64 dots; enlarge the box or shorten the payload"
    )


def test_barcode_problems() -> None:
    raw = _raw("roll-header-40x30")
    _element(raw, "barcode")["w_mm"] = 5.0
    with pytest.raises(TemplateError, match="element 1 \\(code128, barcode\\): the barcode needs"):
        Renderer().render(_parse(raw), fixed_values())
    with pytest.raises(TemplateError, match="Code 128 cannot encode '卷一'"):
        Renderer().render(load_template("roll-header-40x30"), {**fixed_values(), "roll.id": "卷一"})


def test_missing_image(tmp_path: Path) -> None:
    raw = {
        "width_mm": 40,
        "height_mm": 30,
        "element": [{"type": "image", "x_mm": 2, "y_mm": 2, "w_mm": 5, "h_mm": 5, "path": "nowhere.png"}],
    }
    with pytest.raises(TemplateError, match="image .*nowhere.png is missing or unreadable"):
        Renderer().render(parse_template("logo", raw, tmp_path / "logo.toml"), {})


def test_missing_glyph_is_an_error_not_a_blank() -> None:
    real = load_font(locate_font())
    no_fu = Font(real.path, real.codepoints - {ord("腐")})
    with pytest.raises(TemplateError) as info:
        Renderer(font=no_fu).render(load_template("trace-40x30"), fixed_values())
    assert info.value.message == (
        "label template trace-40x30, element 2 (text, product): font wqy-microhei.ttc has no glyph for '腐' U+8150; "
        "it would print as a blank"
    )


def test_font_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import station.labels.fonts as fonts

    monkeypatch.setattr(fonts, "KNOWN_FONTS", ())
    monkeypatch.setattr(fonts, "_fontconfig_cjk", lambda: None)
    with pytest.raises(TemplateError) as info:
        fonts.locate_font()
    assert "fonts-wqy-microhei" in info.value.message
    with pytest.raises(TemplateError, match="font file /nonexistent.ttf cannot be used"):
        fonts.locate_font("/nonexistent.ttf")


def test_truncation_is_a_warning() -> None:
    raw = _raw()
    _element(raw, "product")["text"] = "{product.name}牟定县彝乡腐乳食品有限公司特级精选红方腐乳礼盒装"
    problems, warnings = check_template(_parse(raw))
    assert problems == []
    assert len(warnings) == 1 and warnings[0].startswith(
        "label template mine, element 2 (text, product): text too long even at the smallest size; cut to"
    )


def test_broken_toml_and_unknown_template(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("width_mm = [\n")
    with pytest.raises(TemplateError, match="bad.toml cannot be read"):
        load_template_file(bad)
    with pytest.raises(TemplateError, match="no label template named nope; available: hegezheng-60x40"):
        load_template("nope")


def test_shipped_templates_check_clean() -> None:
    for name in ("trace-40x30", "hegezheng-60x40", "roll-header-40x30", "pickup-slip-58mm"):
        problems, _ = check_template(load_template(name))
        assert problems == [], name
