"""Shared pieces for printer tests: a label image and waiting for the emulator, bounded."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PIL import Image

from drivers.emulators.printer import VirtualPrinter

GOLDEN = Path(__file__).parent / "golden"


def label(name: str = "trace-40x30") -> Image.Image:
    """A real rendered label (the pinned golden image)."""
    return Image.open(GOLDEN / f"{name}.png").convert("1")


def wait_labels(printer: VirtualPrinter, count: int, timeout_s: float = 5.0) -> None:
    """Wait until the emulator has printed ``count`` labels; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while len(printer.labels) < count and time.monotonic() < deadline:
        time.sleep(0.005)
    assert len(printer.labels) >= count, f"{len(printer.labels)} of {count} labels printed"


def same_pixels(a: Image.Image, b: Image.Image) -> bool:
    """True when both images have the same size and the same black dots."""
    return a.size == b.size and np.array_equal(np.asarray(a.convert("1")), np.asarray(b.convert("1")))
