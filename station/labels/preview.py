"""Labels and camera frames shown in a terminal without graphics.

Half-blocks give the legible picture: "▀" in a cell, its foreground the upper pixel's grey and its background the
lower's, makes two square pixels per cell, and the greys that scaling leaves keep small strokes readable. A 40 × 30 mm
label (320 × 240 dots at 203 dpi) fits 80 × 30 cells at 4 dots a pixel: one pixel per QR module, the product name,
the code digits and the dates readable. The run screen's last label and camera frame and the devices screen's live
picture are drawn the same way (station.tui.picture).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image

if TYPE_CHECKING:
    from station.home import Home

LABEL_COLUMNS, LABEL_ROWS = 80, 30  # the cells a 40 × 30 mm label is shown in: 4 dots a pixel, 8 dots a row
_GREYS = np.array([0, *range(8, 239, 10), 255])  # the greys of the 256-colour palette: 16, 232..255, 231
_GREY_CODES = np.array([16, *range(232, 256), 231])
HIDDEN_TEMPLATE = "trace-40x40-hidden"  # the label a preview of an order with hidden codes shows by default
HIDDEN_MASK = "XXXX XXXX"  # a hidden code in a preview, as `station label render` shows it


def fit_gray(gray: np.ndarray, columns: int, rows: int) -> np.ndarray:
    """A grey (or RGB) picture scaled down (never up), its shape kept, to at most ``columns`` pixels wide and
    ``2 × rows`` high: what ``columns`` × ``rows`` cells of half-blocks show."""
    h, w = gray.shape[:2]
    scale = max(w / max(columns, 1), h / max(2 * rows, 1), 1.0)
    size = (max(1, round(w / scale)), max(1, round(h / scale)))
    picture = Image.fromarray(np.asarray(gray, dtype=np.uint8))
    return np.asarray(picture if size == (w, h) else picture.resize(size, Image.Resampling.BOX))


def cell_pairs(small: np.ndarray) -> np.ndarray:
    """The (upper, lower) grey of every half-block cell of a picture, shaped (rows, columns, 2), or for an RGB
    picture the two colours, shaped (rows, columns, 2, 3); an odd last row gets paper below it."""
    if small.shape[0] % 2:
        small = np.concatenate([small, np.full((1, *small.shape[1:]), 255, dtype=small.dtype)])
    return np.stack([small[0::2], small[1::2]], axis=2)


def grey_code(value: int) -> int:
    """The 256-colour palette's code of the grey nearest ``value`` (0..255)."""
    return int(_GREY_CODES[int(np.abs(_GREYS - value).argmin())])


def ansi_text(image: Image.Image, max_columns: int = LABEL_COLUMNS) -> str:
    """A label for a terminal: half-blocks in the palette's greys (escape codes only where the colour changes),
    at most ``max_columns`` wide, scaled by a whole number of dots a pixel (QR modules stay sharp: 80 columns show
    a 40 mm label at 203 dpi, 4 dots a pixel)."""
    gray = np.asarray(image.convert("L"))
    factor = max(1, math.ceil(gray.shape[1] / max(max_columns, 1)))
    pairs = cell_pairs(fit_gray(gray, gray.shape[1] // factor, gray.shape[0]))  # as tall as that width makes it
    lines = []
    for row in pairs:
        parts, last = [], None
        for upper, lower in row:
            colours = (grey_code(int(upper)), grey_code(int(lower)))
            if colours != last:
                parts.append(f"\x1b[38;5;{colours[0]};48;5;{colours[1]}m")
                last = colours
            parts.append("▀")
        lines.append("".join(parts) + "\x1b[0m")
    return "\n".join(lines)


def product_label(home: Home, enterprise_id: int, product_id: int, hidden: bool = False) -> np.ndarray:
    """A sample of the label an order of this product would print (grey, 0 ink … 255 paper): the enterprise's and
    the product's own values, a sample code, and no lot yet (the template's blanks show). ``hidden``: the label of
    an order with hidden codes, on the station's template when it has a hidden element, else on HIDDEN_TEMPLATE."""
    from station.labels.fields import sample_values
    from station.labels.values import product_values

    ledger = home.ledger
    enterprise, product = ledger.enterprise(enterprise_id), ledger.product(product_id)
    values = {name: value for name, value in sample_values().items() if not name.startswith(("lot.", "order."))}
    values.update(product_values(product))
    values.update(
        {
            "enterprise.name": enterprise["name"],
            "enterprise.credit_code": enterprise["credit_code"],
            "enterprise.contact": enterprise["contact"],
        }
    )
    return _render(home, values, hidden)


def order_label(home: Home, order_id: int) -> np.ndarray | None:
    """The next label an order prints (its first code still to print), grey, its hidden code masked; None when
    every code is printed."""
    from station.labels.values import code_values
    from station.ledger import State

    waiting = home.ledger.codes_in_state(order_id, State.ISSUED, 1)
    if not waiting:
        return None
    values = code_values(home, waiting[0])
    return _render(home, values, bool(values.get("order.hidden")))


def _render(home: Home, values: dict[str, str], hidden: bool = False) -> np.ndarray:
    """The station's label template filled with ``values``, as grey; ``hidden``: a template with a hidden element
    (the station's, else HIDDEN_TEMPLATE). A preview never shows a hidden code: its digits are masked, as
    `station label render` masks them."""
    from station.labels.checks import has_hidden
    from station.labels.render import Renderer
    from station.labels.template import load_template

    extra = home.path / "label_templates"
    template = load_template(home.config.labels.template, extra)
    if hidden and not has_hidden(template):
        template = load_template(HIDDEN_TEMPLATE, extra)
    values = {**values, "hidden": HIDDEN_MASK.replace(" ", ""), "hidden_grouped": HIDDEN_MASK}
    image = Renderer(font_path=home.config.labels.font).render(template, values).image
    return np.asarray(image.convert("L"))
