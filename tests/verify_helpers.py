"""Frames of printed labels through the virtual camera's imaging model, for verification tests."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image
from stdnum import ean

from drivers.emulators.camera import Imaging, Scene, VirtualCamera
from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.printers.encoders import encode_tspl
from station.codes import group, payload
from station.demo import DEMO_ENTERPRISES, DEMO_MARK
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


def demo_values(code: str, enterprise: int = 0, product: int = 0) -> dict[str, str]:
    """The label values of one of the demo's products (`station demo`; by default the first, with GTIN and lot in
    the payload) for ``code``."""
    ent = DEMO_ENTERPRISES[enterprise]
    prod = ent.products[product]
    gtin = "0" + prod.gtin_body + ean.calc_check_digit(prod.gtin_body) if prod.gtin_body else ""
    lot = "MD20261101" if gtin else ""
    return {
        "enterprise.name": ent.name + DEMO_MARK,
        "product.name": prod.name,
        "product.origin_code": prod.origin,
        "product.shelf_life": f"{prod.shelf_life_days}天",
        "product.certifications": "、".join(prod.certifications),
        "product.gtin": gtin,
        "lot.number": lot,
        "code": code,
        "code_grouped": group(code),
        "payload": payload("https://trace.example.org/c", code, gtin or None, lot or None),
    }


def shift_right_end(printed: Image.Image, start: int, dots: float, ramp: int = 20) -> Image.Image:
    """``printed`` with the columns right of ``start`` moved sideways by ``dots`` (eased in over ``ramp`` columns,
    so no stroke is torn): filmed, its alignment is exact at the QR and ``dots`` off at the label's right end."""
    grey = np.asarray(printed.convert("L"), np.float32)
    h, w = grey.shape
    xs = np.arange(w, dtype=np.float32)
    t = np.clip((xs - start) / ramp, 0.0, 1.0)
    source_x = np.tile(xs - dots * (3 * t**2 - 2 * t**3), (h, 1))
    source_y = np.tile(np.arange(h, dtype=np.float32)[:, None], (1, w))
    moved = cv2.remap(grey, source_x, source_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    return Image.fromarray(np.round(moved).astype(np.uint8))
