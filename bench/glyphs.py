"""The human-readable text read glyph by glyph: good labels rejected, misprinted characters found, and the time the
check takes (docs/verification.md, Human-readable text).

Labels carry the demo county's content (bench/dead_elements.py: its products, enterprise names, GTIN and lot, codes
from a fixed key), are rendered by the real renderer, printed by the TSPL printer emulator at a darkness drawn from
0.45–1.0 and filmed by the virtual camera's imaging model (a new placement per frame, JPEG), with the camera sets of
bench/voids.py: the demo's, the `--varied` spread (focus blur 0.4–1.0 px, 1.4–1.9 px per dot) and a softer one
(focus blur 1.2–1.4 px at 1.4–1.6 px per dot). Per set:

- good labels: how many are reported with a misread character (false rejects of the glyph check), and how many
  the code-box check it replaces (3 % of the box's dots after a dot's dilation) would have rejected;
- one digit of the code line printed as another, drawn by the renderer in the station's font with the right QR
  beside it (positions and digits taken in turn, so that over the run every position gets every other digit):
  rejected with a misread character at that position naming the digit printed, at that position only; rejected
  otherwise; accepted; and how many the code-box check would have caught;
- one digit not printed (its ink wiped), and a dead element through a digit's most inked column.

Time: the glyph check (the reference's plan and the comparison) and the code-box check on the same aligned frames
of the good labels, on the thread's CPU clock.

Usage: .venv/bin/python bench/glyphs.py [--labels 300] [--seed 1] [--sets demo,varied,soft]
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.dead_elements import CAMERAS, cameras, demo_products, label_values  # noqa: E402
from bench.voids import soft_cameras  # noqa: E402
from drivers.emulators.printer import PrinterFaults, VirtualPrinter  # noqa: E402
from drivers.printers.encoders import encode_tspl  # noqa: E402
from station.codes import CodeKey, group, make_code  # noqa: E402
from station.labels import Renderer, load_template  # noqa: E402
from station.verify import defects  # noqa: E402
from station.verify.reference import code_box, reference_for  # noqa: E402
from station.verify.verifier import verify_frame  # noqa: E402

KINDS = ("good", "swap", "good", "swap", "good", "swap", "good", "swap", "blank", "dead")
DARKNESS = (0.45, 0.55, 0.7, 0.85, 1.0)


@dataclass
class Tally:
    """Verdicts of one group of labels."""

    labels: int = 0
    glyph: int = 0  # reported with a misread character
    named: int = 0  # misread at the right position, naming the digit printed (for swaps), and nowhere else
    rejected_other: int = 0  # rejected, but not for that character
    accepted: int = 0
    box_check: int = 0  # the code-box check would have rejected it
    unread: int = 0  # not compared (not read, or no comparison made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--labels", type=int, default=300, help="labels per camera set")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--sets", default="demo,varied,soft")
    parser.add_argument("--show", type=int, default=10, help="list this many wrong verdicts")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    rng = np.random.default_rng(args.seed)
    key = CodeKey.from_secret(bytes(range(32)))
    template = load_template("trace-40x30")
    box = code_box(template)
    assert box is not None
    renderer = Renderer()
    printer = VirtualPrinter("tspl")
    products = demo_products()
    filming = {"demo": cameras(args.seed, False), "varied": cameras(args.seed, True), "soft": soft_cameras(args.seed)}

    timing: dict[str, list[float]] = {"glyph": [], "box": []}
    measured = defects._glyph_defects

    def timed(norm: np.ndarray, reference: defects.Reference) -> list[defects.Defect]:
        started = time.thread_time()
        found = measured(norm, reference)
        glyph_time = time.thread_time() - started
        started = time.thread_time()
        defects._code_text(norm, reference.image, box)
        timing["box"].append(time.thread_time() - started)
        timing["glyph"].append(glyph_time)
        return found

    defects._glyph_defects = timed  # type: ignore[assignment]
    tallies: dict[tuple[str, str], Tally] = collections.defaultdict(Tally)
    combos: collections.Counter[tuple[int, int]] = collections.Counter()
    wrong: list[str] = []
    swaps = 0
    started = time.monotonic()
    for camera_set in args.sets.split(","):
        for i in range(args.labels):
            kind = KINDS[i % len(KINDS)]
            shared = products[int(rng.integers(len(products)))]
            values = label_values(shared, make_code(key, int(rng.integers(1, 10**8))))
            label = renderer.render(template, values)
            reference = reference_for(label, template)
            [bound] = reference.glyph_groups()
            image, position, digit, dead = label.image, 0, "", None
            if kind == "swap":
                position, shift = swaps % 20 + 1, (swaps // 20) % 9 + 1
                swaps += 1
                digit = str((int(values["code"][position - 1]) + shift) % 10)
                combos[(position, shift)] += 1
                code = values["code"]
                wrong_values = {**values, "code_grouped": group(code[: position - 1] + digit + code[position:])}
                image = renderer.render(template, wrong_values).image
            elif kind in ("blank", "dead"):
                position = int(rng.integers(1, 21))
                slot = bound.slots.slots[position - 1]
                ink = slot.stack.ink[slot.stack.chars.index(bound.chars[position - 1])]
                if kind == "blank":
                    a = np.asarray(image.convert("L")).copy()
                    h, w = ink.shape
                    a[slot.y0 : slot.y0 + h, slot.x0 : slot.x0 + w][ink] = 255
                    image = Image.fromarray(a).convert("1")
                else:
                    dead = slot.x0 + int(np.argmax(ink.sum(axis=0)))
            darkness = float(rng.choice(DARKNESS)) if kind == "good" else 1.0
            printer.faults = PrinterFaults(darkness=darkness, dead_elements=(dead,) if dead is not None else ())
            printer.labels.clear()
            printer.feed(encode_tspl(image))
            camera = filming[camera_set][int(rng.integers(CAMERAS))]
            camera.scene.show(printer.labels[-1].image)
            frame = camera.render(int(rng.integers(1 << 30)))
            gray = np.asarray(cv2.imdecode(np.frombuffer(camera.encode(frame), np.uint8), cv2.IMREAD_GRAYSCALE))
            result = verify_frame(gray, values["payload"], reference)
            tally = tallies[(camera_set, kind)]
            tally.labels += 1
            if result.comparison is None:
                tally.unread += 1
                continue
            glyph = [d for d in result.defects if d.kind == "code_glyph"]
            tally.glyph += bool(glyph)
            tally.box_check += bool(defects._code_text(result.comparison.aligned, reference.image, box))
            tally.accepted += result.passed
            if kind == "good":
                if glyph:
                    details = "; ".join(d.detail for d in glyph)
                    wrong.append(f"good label {values['code']} ({camera_set}, darkness {darkness}): {details}")
                continue
            hit = [d.location["position"] for d in glyph] == [position]
            if kind == "swap":
                hit = hit and f"reads as {digit!r}" in glyph[0].detail
            elif kind == "dead":
                hit = hit or any(
                    abs(d.location["dot"] - (dead or 0)) <= 1 for d in result.defects if d.kind == "dead_element"
                )
            tally.named += hit
            tally.rejected_other += not hit and not result.passed
            if not hit:
                what = f"{kind} at {position}" + (f" as {digit}" if digit else "")
                wrong.append(f"{what} ({values['code']}, {camera_set}): {result.reason or 'passed'}")
    elapsed = time.monotonic() - started
    print(f"labels: {sum(t.labels for t in tallies.values())} in {elapsed:.0f} s")
    heads = ("labels", "glyph", "named", "other", "passed", "box", "unread")
    print(f"{'set':7} {'kind':6} " + " ".join(f"{h:>6}" for h in heads))
    for (camera_set, kind), t in sorted(tallies.items()):
        print(
            f"{camera_set:7} {kind:6} {t.labels:6d} {t.glyph:6d} {t.named:6d} {t.rejected_other:6d} "
            f"{t.accepted:6d} {t.box_check:6d} {t.unread:6d}"
        )
    print(
        f"swap combinations (position × digit): {len(combos)} of 180, each at least {min(combos.values(), default=0)}x"
    )
    glyph_ms, box_ms = np.array(timing["glyph"]) * 1000, np.array(timing["box"]) * 1000
    if glyph_ms.size:
        print(
            f"glyph check: median {np.median(glyph_ms):.3f} ms, p95 {np.percentile(glyph_ms, 95):.3f} ms; "
            f"code-box check: median {np.median(box_ms):.3f} ms; added per frame: "
            f"{np.median(glyph_ms) - np.median(box_ms):.3f} ms"
        )
    for line in wrong[: args.show]:
        print("  " + line)


if __name__ == "__main__":
    main()
