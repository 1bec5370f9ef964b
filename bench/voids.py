"""Voids and smears: how often good labels are reported with one, and how often real ones are found, the rule
before and after judging missing ink against what a sound print can read (docs/verification.md, Defects).

Labels carry the demo county's content (all approved products, their enterprises' names, GTIN and lot, codes
from a fixed key), are rendered by the real renderer, printed by the TSPL printer emulator and filmed by the
virtual camera's imaging model (a new placement per frame, JPEG), as in bench/dead_elements.py, with three sets
of cameras: the demo's, the `--varied` spread of bench/dead_elements.py (focus blur 0.4–1.0 px, 1.4–1.9 px per
dot) and a softer one (focus blur 1.2–1.4 px at 1.4–1.6 px per dot, a camera at the edge of usable). Per set:

- good labels: how many are reported with a void or a smear (false rejects), per product;
- a corpus void (bench/verify_corpus.py: a 5–9 dot box, at least 70 % ink, printed as paper), a void in the
  producer's name (a 6–9 dot box of that thin Chinese text, at least 30 % ink) and a corpus smear (a 5–9 dot box,
  at least 85 % paper, printed as ink): found (a defect of that kind within a dot of the box), rejected, accepted.

Each frame is verified once with ``verify_frame``; the previous rule (no ink darker than half-way seen within a
dot of the reference's ink) is evaluated on the same aligned frame, so both columns judge the same pictures.

Usage: .venv/bin/python bench/voids.py [--labels 1200] [--seed 1] [--quick] [--sets demo,varied,soft]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dead_elements import CAMERAS, cameras, demo_products, label_values, print_label  # noqa: E402
from drivers.emulators.camera import Imaging, Scene, VirtualCamera  # noqa: E402
from drivers.emulators.printer import VirtualPrinter  # noqa: E402
from station.codes import CodeKey, make_code  # noqa: E402
from station.labels import Renderer, load_template  # noqa: E402
from station.labels.template import Template  # noqa: E402
from station.verify.defects import SMEAR_MIN_AREA, VOID_MIN_AREA, Defect, _components  # noqa: E402
from station.verify.reference import reference_for  # noqa: E402
from station.verify.verifier import VerifyResult, verify_frame  # noqa: E402

KINDS = ("good", "good", "good", "void", "void_text", "smear")  # half the labels good
BLOBS = ("void", "smear")


def soft_cameras(seed: int) -> list[VirtualCamera]:
    """Cameras softer than the varied spread: focus blur 1.2–1.4 px at 1.4–1.6 px per dot, more tilt."""
    return [
        VirtualCamera(
            Scene(),
            Imaging(
                seed=1000 * seed + 500 + k,
                blur_sigma=(1.2, 1.4, 1.2, 1.4)[k % 4],
                px_per_dot=(1.4, 1.5, 1.6, 1.4)[k % 4],
                jpeg_quality=70,
                perspective=0.02,
            ),
        )
        for k in range(CAMERAS)
    ]


def previous_blobs(norm: np.ndarray, ink: np.ndarray, dead: set[int]) -> list[Defect]:
    """The void and smear rule before this bench: a void is reference ink with nothing darker than half-way
    between paper and ink seen within a dot, whatever the stroke's width (one-dot hairlines aside)."""
    found: list[Defect] = []
    edge = np.zeros_like(ink)
    edge[:3, :] = edge[-3:, :] = edge[:, :3] = edge[:, -3:] = True
    kernel = np.ones((3, 3), np.uint8)
    seen = (norm < 0.5).astype(np.uint8)
    missing = ink & ~cv2.dilate(seen, kernel).astype(bool) & ~edge
    for x in dead:
        missing[:, max(0, x - 1) : x + 3] = False
    for x, y, w, h, area in _components(missing, VOID_MIN_AREA):
        if min(w, h) < 2:
            continue
        found.append(Defect("void", {"x": x, "y": y, "w": w, "h": h}, f"{area} dots without ink"))
    near_ink = cv2.dilate(ink.astype(np.uint8), kernel).astype(bool)
    dark = ~near_ink & (norm < 0.3) & ~edge
    for x, y, w, h, area in _components(dark, SMEAR_MIN_AREA):
        found.append(Defect("smear", {"x": x, "y": y, "w": w, "h": h}, f"{area} dots of stray ink"))
    return found


def element_box(template: Template, ident: str) -> tuple[int, int, int, int]:
    """An element's box in dots: x0, y0, x1, y1."""
    el = next(e for e in template.elements if e.settings.get("id") == ident)
    return (
        template.dots(el.x_mm),
        template.dots(el.y_mm),
        template.dots(el.x_mm + el.w_mm),
        template.dots(el.y_mm + el.h_mm),
    )


def box_where(
    rng: np.random.Generator,
    mask: np.ndarray,
    size: tuple[int, int],
    want: float,
    within: tuple[int, int, int, int] | None = None,
) -> tuple[int, int, int, int]:
    """A random box (x, y, w, h) of ``size`` dots each way (as range bounds) where ``mask`` covers ``want``."""
    h, w = mask.shape
    x0, y0, x1, y1 = within or (4, 4, w - 4, h - 4)
    for _ in range(5000):
        bw, bh = int(rng.integers(*size)), int(rng.integers(*size))
        x, y = int(rng.integers(x0, x1 - bw)), int(rng.integers(y0, y1 - bh))
        if mask[y : y + bh, x : x + bw].mean() >= want:
            return x, y, bw, bh
    raise RuntimeError("no place for the defect")


def near(defect: Defect, box: tuple[int, int, int, int]) -> bool:
    """Whether a reported void or smear lies within a dot of ``box``."""
    x, y, w, h = box
    loc = defect.location
    if not {"x", "y", "w", "h"} <= set(loc):
        return False
    return loc["x"] <= x + w and x <= loc["x"] + loc["w"] and loc["y"] <= y + h and y <= loc["y"] + loc["h"]


@dataclass
class Verdicts:
    """One group of labels, judged by the previous rule and by the current one."""

    labels: int = 0
    void: tuple[int, int] = (0, 0)  # reported with a void: previous, now
    smear: tuple[int, int] = (0, 0)
    found: tuple[int, int] = (0, 0)  # a defect of the label's kind at its box
    rejected: tuple[int, int] = (0, 0)

    def add(self, field: str, previous: bool, now: bool) -> None:
        """Count one label's outcome under both rules."""
        p, n = getattr(self, field)
        setattr(self, field, (p + previous, n + now))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--labels", type=int, default=1200, help="labels per camera set")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="300 labels per camera set")
    parser.add_argument("--sets", default="demo,varied,soft")
    parser.add_argument("--show", type=int, default=10, help="list this many wrong verdicts of the current rule")
    args = parser.parse_args()
    if args.quick:
        args.labels = 300
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    rng = np.random.default_rng(args.seed)
    key = CodeKey.from_secret(bytes(range(32)))
    template = load_template("trace-40x30")
    producer = element_box(template, "producer")
    renderer = Renderer()
    printer = VirtualPrinter("tspl")
    products = demo_products()
    filming = {"demo": cameras(args.seed, False), "varied": cameras(args.seed, True), "soft": soft_cameras(args.seed)}
    sets = args.sets.split(",")

    good: dict[tuple[str, str], Verdicts] = collections.defaultdict(Verdicts)  # (set, product)
    bad: dict[tuple[str, str], Verdicts] = collections.defaultdict(Verdicts)  # (kind, set)
    wrong: list[str] = []
    unread = 0
    started = time.monotonic()
    for camera_set in sets:
        for i in range(args.labels):
            kind = KINDS[i % len(KINDS)]
            shared = products[int(rng.integers(len(products)))]
            values = label_values(shared, make_code(key, int(rng.integers(1, 10**8))))
            label = renderer.render(template, values)
            reference = reference_for(label, template)
            ink = reference.image
            box = None
            image = label.image
            if kind != "good":
                if kind == "void":
                    box = box_where(rng, ink, (5, 10), 0.7)
                elif kind == "void_text":
                    box = box_where(rng, ink, (6, 10), 0.3, producer)
                else:
                    box = box_where(rng, ~ink, (5, 10), 0.85)
                x, y, bw, bh = box
                a = np.asarray(image.convert("L")).copy()
                a[y : y + bh, x : x + bw] = 0 if kind == "smear" else 255
                image = Image.fromarray(a).convert("1")
            printed = print_label(printer, image, None)
            camera = filming[camera_set][int(rng.integers(CAMERAS))]
            camera.scene.show(printed)
            frame = camera.render(int(rng.integers(1 << 30)))
            gray = np.asarray(cv2.imdecode(np.frombuffer(camera.encode(frame), np.uint8), cv2.IMREAD_GRAYSCALE))
            result = verify_frame(gray, values["payload"], reference)
            if result.comparison is None:
                unread += 1  # not read, or graded without a comparison: no void rule judged it
                if kind == "good":
                    wrong.append(f"good label {values['code']} ({camera_set}): {result.reason}")
                continue
            now, before = judge(result, ink)
            group = good[(camera_set, shared["product.name"])] if kind == "good" else bad[(kind, camera_set)]
            group.labels += 1
            for blob in BLOBS:
                group.add(blob, any(d.kind == blob for d in before[1]), any(d.kind == blob for d in now[1]))
            group.add("rejected", before[0], now[0])
            if box is not None:
                want = "smear" if kind == "smear" else "void"
                group.add(
                    "found",
                    any(d.kind == want and near(d, box) for d in before[1]),
                    any(d.kind == want and near(d, box) for d in now[1]),
                )
            if (kind == "good") == now[0]:
                what = f"good label {values['code']}" if kind == "good" else f"{kind} at {box} {values['code']}"
                wrong.append(f"{what} ({shared['product.name']}, {camera_set}): {result.reason or 'passed'}")
    elapsed = time.monotonic() - started
    report(good, bad, sets, elapsed, unread)
    for line in wrong[: args.show]:
        print("  " + line)


def judge(result: VerifyResult, ink: np.ndarray) -> tuple[tuple[bool, list[Defect]], tuple[bool, list[Defect]]]:
    """(rejected, voids and smears) under the current rule and under the previous one, for one verified frame."""
    assert result.comparison is not None
    others = [d for d in result.defects if d.kind not in BLOBS]
    dead = {d.location["dot"] for d in result.defects if d.kind == "dead_element"}
    before = previous_blobs(result.comparison.aligned, ink, dead)
    sound = result.match and result.grade >= result.min_grade
    now = [d for d in result.defects if d.kind in BLOBS]
    return (not result.passed, now), (not (sound and not others and not before), before)


def _pad(text: str, width: int) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    used = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - used)


def report(
    good: dict[tuple[str, str], Verdicts], bad: dict[tuple[str, str], Verdicts], sets: list[str], s: float, unread: int
) -> None:
    """Print both tables, previous rule → current rule."""

    def pair(counts: tuple[int, int], n: int) -> str:
        return (
            f"{counts[0]:5d} {100 * counts[0] / max(n, 1):5.1f}% → {counts[1]:4d} {100 * counts[1] / max(n, 1):5.1f}%"
        )

    labels = sum(v.labels for v in good.values()) + sum(v.labels for v in bad.values())
    print(f"labels: {labels + unread} in {s:.0f} s ({unread} not compared: unread or a symbol not ours)")
    print("good labels (previous rule → now)")
    print(f"  {'cameras':8} {'product':10} {'labels':>6}  {'with a void':>24}  {'with a smear':>24}  {'rejected':>24}")
    for camera_set in sets:
        rows = sorted((k[1], v) for k, v in good.items() if k[0] == camera_set)
        total = Verdicts()
        for product, v in rows:
            print(
                f"  {camera_set:8} {_pad(product, 10)} {v.labels:6d}  {pair(v.void, v.labels)}  "
                f"{pair(v.smear, v.labels)}  {pair(v.rejected, v.labels)}"
            )
            total.labels += v.labels
            for f in ("void", "smear", "rejected"):
                total.add(f, *getattr(v, f))
        print(
            f"  {camera_set:8} {'all':10} {total.labels:6d}  {pair(total.void, total.labels)}  "
            f"{pair(total.smear, total.labels)}  {pair(total.rejected, total.labels)}"
        )
    print("labels with one defect (previous rule → now)")
    print(f"  {'kind':10} {'cameras':8} {'labels':>6}  {'found at its place':>24}  {'rejected':>24}")
    for kind in ("void", "void_text", "smear"):
        for camera_set in sets:
            v = bad.get((kind, camera_set))
            if v is None:
                continue
            print(f"  {kind:10} {camera_set:8} {v.labels:6d}  {pair(v.found, v.labels)}  {pair(v.rejected, v.labels)}")


if __name__ == "__main__":
    main()
