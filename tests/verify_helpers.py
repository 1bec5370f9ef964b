"""Frames of printed labels through the virtual camera's imaging model, for verification tests."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image

from drivers.emulators.camera import Imaging, Scene, VirtualCamera
from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.printers.encoders import encode_tspl
from station.labels import Label, Renderer, load_template
from station.verify.defects import Reference
from station.verify.reference import reference_for
from tests.labels_helpers import fixed_values

TEMPLATE = "trace-40x30"


def render(values: dict[str, str] | None = None) -> tuple[Label, Reference]:
    """The label and its reference."""
    template = load_template(TEMPLATE)
    label = Renderer().render(template, values or fixed_values())
    return label, reference_for(label, template)


def print_label(image: Image.Image, faults: PrinterFaults | None = None) -> Image.Image:
    """The label as the emulated printer prints it (dead elements, darkness)."""
    printer = VirtualPrinter("tspl", faults=faults)
    printer.feed(encode_tspl(image))
    return printer.labels[0].image


def film(printed: Image.Image, seed: int, jpeg: bool = True, **imaging: float) -> np.ndarray:
    """One camera frame of ``printed`` through the virtual camera's imaging model."""
    scene = Scene()
    scene.show(printed)
    camera = VirtualCamera(scene, Imaging(seed=seed, **imaging))  # type: ignore[arg-type]
    frame = camera.render(seed)
    if jpeg:
        frame = cv2.imdecode(np.frombuffer(camera.encode(frame), np.uint8), cv2.IMREAD_GRAYSCALE)
    return np.asarray(frame)
