"""Helpers for label tests: fixed values and image conversion."""

from __future__ import annotations

import numpy as np
from PIL import Image

from station.labels.fields import sample_rows, sample_values

GOLDEN_PAYLOAD = "https://trace.example.org/c/17806008427909203676"


def fixed_values() -> dict[str, str]:
    """Values that never change, so golden images stay stable."""
    values = sample_values()
    values["payload"] = GOLDEN_PAYLOAD
    values["print.date"] = "2026-11-29"
    return values


def fixed_rows() -> list[dict[str, str]]:
    """Three pickup-slip rows."""
    return sample_rows(3)


def gray(image: Image.Image) -> np.ndarray:
    """A mode "1" image as 0/255 grayscale."""
    return np.asarray(image.convert("L"))
