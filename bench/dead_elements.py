"""Dead print-head elements: how often good labels are called dead, and how often real ones are found.

Labels carry the demo county's content (`station demo`: its products, enterprise names, GTIN and lot, 20-digit
codes from a fixed key), so the digit "1" that ends the origin code "532323101001" and often the code line puts
thin stroke edges on the right-hand columns. Each label is rendered by the real renderer, printed by the TSPL
printer emulator (`PrinterFaults(dead_elements=…)` for the faulty ones), filmed by the virtual camera's imaging
model without HTTP (a new sub-pixel placement, rotation and perspective per frame, several lighting and noise
seeds), JPEG-compressed and verified with `verify_frame`. One run measures, side by side:

- good labels: how many are reported with a dead element (a false reject; goal well below 1 in 1,000);
- labels with one dead element at a random column that has ink on at least DEAD_MIN_PIXELS dots: how many are
  found (a dead element reported within a dot), rejected for another reason, or accepted (a false accept).
  Faulty columns are drawn half from the whole label and half from the "thin" columns, where most of the ink is
  a stroke edge (a dot with paper on one side), i.e. where a dead column looks most like a misaligned one.

`--varied` films with a spread of cameras around the demo's (focus blur 0.4–1.0 px, 1.4–1.9 px per dot, JPEG
quality 70–85, twice the tilt) instead.

Usage: .venv/bin/python bench/dead_elements.py [--good 2000] [--dead 1000] [--seed 1] [--quick] [--varied]
"""

from __future__ import annotations

import argparse
import collections
import os
import time
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from drivers.emulators.camera import Imaging, Scene, VirtualCamera
from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.printers.encoders import encode_tspl
from station.codes import CodeKey, group, make_code, payload
from station.demo import DEMO_ENTERPRISES, DEMO_MARK
from station.labels import Renderer, load_template
from station.verify.defects import DEAD_MIN_PIXELS, Reference
from station.verify.reference import reference_for
from station.verify.verifier import VerifyResult, verify_frame

BASE_URL = "https://trace.example.org/c"
LOT = "MD20261101"
CAMERAS = 8  # imaging seeds (lighting field, noise fields); the placement changes with every frame


@dataclass
class Tally:
    """Verdicts of one group of labels."""

    labels: int = 0
    dead_reported: int = 0  # a dead element reported anywhere
    found: int = 0  # a dead element reported within a dot of the faulty column
    rejected_other: int = 0  # rejected, but not for a dead element at the faulty column
    accepted: int = 0  # passed
    other_defects: int = 0  # good labels rejected for something else


def _gtin14(body: str) -> str:
    from stdnum import ean

    return "0" + body + ean.calc_check_digit(body)


def demo_products() -> list[dict[str, str]]:
    """The label values the demo's approved enterprises share per product (as `station.labels.values` builds)."""
    products = []
    for ent in DEMO_ENTERPRISES:
        if not ent.approved:
            continue
        for prod in ent.products:
            gtin = _gtin14(prod.gtin_body) if prod.gtin_body else ""
            products.append(
                {
                    "enterprise.name": ent.name + DEMO_MARK,
                    "enterprise.contact": "0878-5211000",
                    "product.name": prod.name,
                    "product.origin_code": prod.origin,
                    "product.shelf_life": f"{prod.shelf_life_days}天",
                    "product.shelf_life_days": str(prod.shelf_life_days),
                    "product.certifications": "、".join(prod.certifications),
                    "product.gtin": gtin,
                    "lot.number": LOT if gtin else "",
                }
            )
    return products


def label_values(shared: dict[str, str], code: str) -> dict[str, str]:
    """One code's label values."""
    gtin, lot = shared["product.gtin"] or None, shared["lot.number"] or None
    return {**shared, "code": code, "code_grouped": group(code), "payload": payload(BASE_URL, code, gtin, lot)}


def thin_columns(ink: np.ndarray) -> np.ndarray:
    """Columns with enough ink where at least 70 % of the inked dots are a stroke's left or right edge."""
    left = np.zeros_like(ink)
    right = np.zeros_like(ink)
    left[:, 1:] = ink[:, :-1]
    right[:, :-1] = ink[:, 1:]
    edge = ink & ~(left & right)
    counts = ink.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(counts > 0, edge.sum(axis=0) / counts, 0.0)
    return np.flatnonzero((counts >= DEAD_MIN_PIXELS) & (share >= 0.7))


def print_label(printer: VirtualPrinter, image: Image.Image, dead: int | None) -> Image.Image:
    """``image`` as the emulated TSPL printer prints it, with one dead element or none."""
    printer.faults = PrinterFaults(dead_elements=(dead,) if dead is not None else ())
    printer.labels.clear()
    printer.feed(encode_tspl(image))
    return printer.labels[-1].image


def film(camera: VirtualCamera, printed: Image.Image, frame_no: int) -> np.ndarray:
    """One JPEG camera frame of ``printed``, decoded to grey."""
    camera.scene.show(printed)
    frame = camera.render(frame_no)
    return np.asarray(cv2.imdecode(np.frombuffer(camera.encode(frame), np.uint8), cv2.IMREAD_GRAYSCALE))


def dead_dots(result: VerifyResult) -> list[int]:
    """The columns reported dead."""
    return [d.location["dot"] for d in result.defects if d.kind == "dead_element"]


def cameras(seed: int, varied: bool) -> list[VirtualCamera]:
    """The virtual cameras labels are filmed with, the demo's imaging model or (``varied``) a spread around it."""
    if not varied:
        return [VirtualCamera(Scene(), Imaging(seed=1000 * seed + k)) for k in range(CAMERAS)]
    return [
        VirtualCamera(
            Scene(),
            Imaging(
                seed=1000 * seed + k,
                blur_sigma=(0.4, 0.6, 0.8, 1.0)[k % 4],
                px_per_dot=(1.4, 1.6, 1.9, 1.5)[k % 4],
                jpeg_quality=(85, 70, 85, 75)[k % 4],
                perspective=0.02,
            ),
        )
        for k in range(CAMERAS)
    ]


def faulty_column(rng: np.random.Generator, reference: Reference) -> tuple[int, str]:
    """A column to kill: half the time any with enough ink, half the time a thin one; and what kind it is."""
    inked = reference.inked_columns()
    if rng.random() < 0.5:
        kind, choices = "thin", thin_columns(inked)
    else:
        kind, choices = "any", np.flatnonzero(inked.sum(axis=0) >= DEAD_MIN_PIXELS)
    column = int(rng.choice(choices))
    qr = reference.qr
    return column, kind + ("/qr" if column < qr.x + qr.modules * qr.module_dots else "/text")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--good", type=int, default=2000)
    parser.add_argument("--dead", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="400 good and 200 faulty labels")
    parser.add_argument("--varied", action="store_true", help="cameras blurrier, sharper, closer, more tilted")
    parser.add_argument("--show", type=int, default=12, help="list this many wrong verdicts")
    args = parser.parse_args()
    if args.quick:
        args.good, args.dead = 400, 200
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    rng = np.random.default_rng(args.seed)
    key = CodeKey.from_secret(bytes(range(32)))
    template = load_template("trace-40x30")
    renderer = Renderer()
    printer = VirtualPrinter("tspl")
    filming = cameras(args.seed, args.varied)
    products = demo_products()

    good, dead = Tally(), Tally()
    per_kind: dict[str, Tally] = collections.defaultdict(Tally)
    other_reasons: collections.Counter[str] = collections.Counter()  # why good labels were rejected otherwise
    wrong: list[str] = []
    started = time.monotonic()
    total = args.good + args.dead
    schedule = np.zeros(total, bool)
    schedule[rng.permutation(total)[: args.dead]] = True  # good and faulty labels interleaved at random
    for i, faulty in enumerate(schedule):
        # half the labels are the demo's own product (GTIN and lot in the QR), half any of the demo's products
        shared = products[0] if i % 2 else products[int(rng.integers(len(products)))]
        values = label_values(shared, make_code(key, int(rng.integers(1, 10**8))))
        label = renderer.render(template, values)
        reference = reference_for(label, template)
        column, kind = faulty_column(rng, reference) if faulty else (None, "good")
        printed = print_label(printer, label.image, column)
        frame = film(filming[i % CAMERAS], printed, int(rng.integers(1 << 30)))
        result = verify_frame(frame, values["payload"], reference)
        reported = dead_dots(result)
        if column is None:
            good.labels += 1
            good.dead_reported += bool(reported)
            good.accepted += result.passed
            if not result.passed and not reported:
                good.other_defects += 1
                other_reasons[result.defects[0].kind if result.defects else result.reason.split(" ")[0]] += 1
            if not result.passed:
                wrong.append(f"good label {values['code']} ({shared['product.name']}): {result.reason}")
            continue
        hit = any(abs(x - column) <= 1 for x in reported)
        for tally in (dead, per_kind[kind]):
            tally.labels += 1
            tally.dead_reported += bool(reported)
            tally.found += hit
            tally.rejected_other += not hit and not result.passed
            tally.accepted += result.passed
        if not hit:
            wrong.append(f"dead element at {column} ({kind}, {values['code']}): {result.reason or 'passed'}")
    elapsed = time.monotonic() - started

    def pct(n: int, d: int) -> str:
        return f"{n} of {d} = {100 * n / max(d, 1):.2f} %"

    print(f"labels: {total} ({good.labels} good, {dead.labels} with a dead element) in {elapsed:.0f} s")
    print(f"good labels reported with a dead element (false rejects): {pct(good.dead_reported, good.labels)}")
    print(f"good labels rejected for something else: {pct(good.other_defects, good.labels)} {dict(other_reasons)}")
    print(f"dead elements found at their column (within a dot): {pct(dead.found, dead.labels)}")
    print(f"dead elements rejected for something else: {pct(dead.rejected_other, dead.labels)}")
    print(f"dead elements accepted (false accepts): {pct(dead.accepted, dead.labels)}")
    print(f"{'faulty column':14} {'labels':>7} {'found':>6} {'other':>6} {'accepted':>9}")
    for kind in sorted(per_kind):
        t = per_kind[kind]
        print(f"{kind:14} {t.labels:7d} {t.found:6d} {t.rejected_other:6d} {t.accepted:9d}")
    for line in wrong[: args.show]:
        print("  " + line)


if __name__ == "__main__":
    main()
