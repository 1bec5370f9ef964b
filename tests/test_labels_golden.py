"""Golden images: each shipped template renders pixel-identical to its pinned PNG.

A deliberate change regenerates them in the same commit:
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_labels_golden.py
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from station.labels import Renderer, available_templates, load_template
from tests.labels_helpers import fixed_rows, fixed_values

GOLDEN = Path(__file__).parent / "golden"
SHIPPED = ["trace-40x30", "hegezheng-60x40", "roll-header-40x30", "pickup-slip-58mm"]


def test_shipped_templates_are_listed() -> None:
    assert set(SHIPPED) <= set(available_templates())


def test_golden_font_is_the_pinned_one() -> None:
    assert Renderer().font.name == "wqy-microhei.ttc", "golden images are drawn with fonts-wqy-microhei"


@pytest.mark.parametrize("name", SHIPPED)
def test_template_matches_golden(name: str, tmp_path: Path) -> None:
    template = load_template(name)
    rows = fixed_rows() if template.layout == "flow" else []
    image = Renderer().render(template, fixed_values(), rows).image
    assert image.mode == "1"
    path = GOLDEN / f"{name}.png"
    if os.environ.get("UPDATE_GOLDEN"):
        image.save(path)
    expected = Image.open(path).convert("1")
    assert image.size == expected.size
    same = np.array_equal(np.asarray(image), np.asarray(expected))
    if not same:
        out = Path(os.environ.get("ARTIFACTS", tmp_path)) / f"{name}-actual.png"
        out.parent.mkdir(parents=True, exist_ok=True)
        image.save(out)
        pytest.fail(f"{name} differs from {path}; rendered image saved to {out}")


@pytest.mark.parametrize(
    ("name", "dots"), [("trace-40x30", (320, 240)), ("hegezheng-60x40", (480, 320)), ("roll-header-40x30", (320, 240))]
)
def test_size_in_printer_dots(name: str, dots: tuple[int, int]) -> None:
    assert Renderer().render(load_template(name), fixed_values()).image.size == dots


def test_pickup_slip_is_receipt_width_and_grows_with_rows() -> None:
    template = load_template("pickup-slip-58mm")
    short = Renderer().render(template, fixed_values(), fixed_rows()[:1]).image
    long = Renderer().render(template, fixed_values(), fixed_rows()).image
    assert short.width == long.width == 384
    assert long.height > short.height
