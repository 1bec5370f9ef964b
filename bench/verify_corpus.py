"""A labelled corpus through the printer emulator and the virtual camera: how often verification is wrong.

Half the labels are good; the other half carry one defect each, of the kinds a print line meets: a dead heating
element through the QR, one through the text only, a void, a smear, low darkness, the wrong code, and a stale
frame (the camera stuck on the previous label). Each label is printed by the emulated TSPL printer, filmed by
the virtual camera over MJPEG/HTTP on 127.0.0.1, read back through cv2.VideoCapture with a frame taken after the
label came out, and verified. Prints the confusion table per kind, false accepts and false rejects.

Usage: .venv/bin/python bench/verify_corpus.py [--labels 2000] [--seed 1]
"""

from __future__ import annotations

import argparse
import collections
import time

import numpy as np
from PIL import Image

from drivers.cameras import open_camera
from drivers.emulators.camera import CameraFaults, Imaging, Scene, VirtualCamera
from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.printers.encoders import encode_tspl
from station.codes import CodeKey, group, make_code, payload
from station.labels import Renderer, load_template
from station.labels.fields import sample_values
from station.verify.live import verify_printed
from station.verify.reference import reference_for

KINDS = ["dead_qr", "dead_text", "void", "smear", "low_darkness", "wrong_code", "stale_frame"]


def _box_where(rng: np.random.Generator, mask: np.ndarray, size: tuple[int, int], want: float) -> tuple[int, ...]:
    h, w = mask.shape
    for _ in range(2000):
        bw, bh = int(rng.integers(*size)), int(rng.integers(*size))
        x, y = int(rng.integers(4, w - bw - 4)), int(rng.integers(4, h - bh - 4))
        if mask[y : y + bh, x : x + bw].mean() >= want:
            return x, y, bw, bh
    raise RuntimeError("no place for the defect")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--fps", type=float, default=100.0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    key = CodeKey.from_secret(bytes(range(32)))
    template = load_template("trace-40x30")
    renderer = Renderer()
    base = "https://trace.example.org/c"

    printer = VirtualPrinter("tspl")
    scene = Scene()
    scene.attach(printer)
    faults = CameraFaults()
    camera = VirtualCamera(scene, Imaging(seed=args.seed), faults, fps=args.fps).start()
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    failures: list[tuple[str, str]] = []
    times: list[float] = []
    started = time.monotonic()
    previous: str | None = None
    try:
        with open_camera(camera.url) as cam:
            cam.latency_s = 0.08  # the MJPEG pipeline holds a few frames; measured stale below ~0.05 s
            for i in range(args.labels):
                kind = "good" if i % 2 == 0 else KINDS[(i // 2) % len(KINDS)]
                code = make_code(key, 1000 + i)
                values = {**sample_values(), "code": code, "code_grouped": group(code), "payload": payload(base, code)}
                label = renderer.render(template, values)
                reference = reference_for(label, template)
                image = label.image
                printer.faults = PrinterFaults()
                qr = label.qrs[0]
                side = qr.modules * qr.module_dots
                if kind == "dead_qr":
                    printer.faults.dead_elements = (int(rng.integers(qr.x + 8, qr.x + side - 8)),)
                elif kind == "dead_text":
                    cols = np.flatnonzero(reference.image[:, qr.x + side + 8 : -4].sum(axis=0) >= 12)
                    printer.faults.dead_elements = (int(qr.x + side + 8 + rng.choice(cols)),)
                elif kind == "low_darkness":
                    printer.faults.darkness = float(rng.uniform(0.3, 0.45))
                elif kind in ("void", "smear"):
                    a = np.asarray(image.convert("L")).copy()
                    if kind == "void":
                        x, y, bw, bh = _box_where(rng, reference.image, (5, 10), 0.7)
                        a[y : y + bh, x : x + bw] = 255
                    else:
                        x, y, bw, bh = _box_where(rng, ~reference.image, (5, 10), 0.85)
                        a[y : y + bh, x : x + bw] = 0
                    image = Image.fromarray(a).convert("1")
                printed_payload = values["payload"]
                if kind == "wrong_code":
                    other = make_code(key, 900_000 + i)
                    printed_payload = payload(base, other)
                    image = renderer.render(
                        template,
                        {**values, "code": other, "code_grouped": group(other), "payload": payload(base, other)},
                    ).image
                faults.frozen = kind == "stale_frame"
                if faults.frozen:
                    time.sleep(0.1)  # the freeze holds the previous label's frame
                printer.feed(encode_tspl(image))
                printed_at = time.monotonic()
                t0 = time.perf_counter()
                result = verify_printed(cam, printed_at, values["payload"], reference, previous, timeout_s=1.0)
                times.append((time.perf_counter() - t0) * 1000)
                if kind != "stale_frame":
                    previous = printed_payload  # what the camera shows next time, until the next label
                verdict = "accepted" if result.passed else "rejected"
                table[kind][verdict] += 1
                if (kind == "good") != result.passed:
                    failures.append((kind, result.reason or "passed"))
                faults.frozen = False
    finally:
        camera.stop()
    elapsed = time.monotonic() - started
    good = table["good"]
    bad_accepted = sum(table[k]["accepted"] for k in KINDS)
    bad_total = sum(sum(table[k].values()) for k in KINDS)
    print(f"labels: {args.labels} ({sum(good.values())} good, {bad_total} with one defect) in {elapsed:.0f} s")
    print(f"{'kind':14} {'accepted':>9} {'rejected':>9}")
    for kind in ["good", *KINDS]:
        print(f"{kind:14} {table[kind]['accepted']:9d} {table[kind]['rejected']:9d}")
    share = 100 * bad_accepted / max(bad_total, 1)
    print(f"false accepts: {bad_accepted} of {bad_total} = {share:.2f} %  (goal <= 0.1 %)")
    fr = good["rejected"]
    print(f"false rejects: {fr} of {sum(good.values())} = {100 * fr / max(sum(good.values()), 1):.2f} %  (goal <= 1 %)")
    print(f"capture + verification: median {np.median(times):.1f} ms, p95 {np.percentile(times, 95):.1f} ms per label")
    for kind, reason in failures[:20]:
        print(f"  wrong verdict: {kind}: {reason}")


if __name__ == "__main__":
    main()
