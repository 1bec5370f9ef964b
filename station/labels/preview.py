"""A 1-bit label shown in a plain terminal with Braille cells (2 × 4 dots per character)."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image

# Bit of each dot inside a Braille cell, by (row, column).
_DOT_BITS = ((0x01, 0x08), (0x02, 0x10), (0x04, 0x20), (0x40, 0x80))


def to_text(image: Image.Image, max_columns: int = 100) -> str:
    """The label as Braille text, scaled down by a whole factor to fit ``max_columns`` (a preview only)."""
    gray = image.convert("L")
    factor = max(1, math.ceil(gray.width / (2 * max_columns)))
    if factor > 1:
        gray = gray.resize((gray.width // factor, gray.height // factor), Image.Resampling.BOX)
    return ink_text(np.asarray(gray) < 192)  # a cell with a quarter of its dots black stays visible


def fit_text(gray: np.ndarray, max_columns: int, max_rows: int) -> str:
    """A grey picture (a camera frame, or a label as 0/255) as Braille text within columns × rows.

    Ink is what is darker than the midpoint between the picture's dark and light ends, so a camera frame's
    lighting does not decide what shows."""
    h, w = gray.shape[:2]
    factor = max(1, math.ceil(w / (2 * max_columns)), math.ceil(h / (4 * max_rows)))
    small = np.asarray(
        Image.fromarray(gray.astype(np.uint8)).resize((max(1, w // factor), max(1, h // factor)), Image.Resampling.BOX)
    )
    dark, light = np.percentile(small, (2, 98))
    if light - dark < 24:  # nothing but paper (or nothing at all)
        return ink_text(np.zeros_like(small, dtype=bool))
    return ink_text(small < (dark + light) / 2)


def ink_text(ink: np.ndarray) -> str:
    """Braille text of a boolean picture, True = ink, one dot per pixel."""
    h, w = ink.shape
    ink = np.pad(ink, ((0, (-h) % 4), (0, (-w) % 2)))
    codes = np.zeros((ink.shape[0] // 4, ink.shape[1] // 2), dtype=np.int32)
    for r in range(4):
        for c in range(2):
            codes |= ink[r::4, c::2].astype(np.int32) * _DOT_BITS[r][c]
    return "\n".join("".join(chr(0x2800 + int(v)) for v in row).rstrip("\u2800") for row in codes)
