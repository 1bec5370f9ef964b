"""Label rendering speed: trace-40x30 at 203 dpi on one core, against rendering the QR symbol alone.

Each label carries a different code, as on a real roll. Times are the process's CPU time, so a machine shared
with other work gives the same figures. Prints labels per second, the ratio, and the station's QR encoder
against ``segno.make_qr`` (which makes the same symbols in pure Python).
Usage: .venv/bin/python bench/render.py [--labels N] [--rounds N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
from PIL import Image

from station.codes import CodeKey, group, make_code, payload
from station.labels import Renderer, load_template
from station.labels.fields import sample_values
from station.qr import make_segno, make_symbol


def _qr_alone(data: str, module_dots: int = 4) -> Image.Image:
    """The QR part of the work: encode, scale modules to dots, make a 1-bit image."""
    symbol = make_symbol(data)
    scaled = np.repeat(np.repeat(symbol.matrix, module_dots, axis=0), module_dots, axis=1)
    return Image.fromarray(~scaled)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core

    key = CodeKey.from_secret(bytes(32))
    codes = [make_code(key, s) for s in range(1, args.labels + 1)]
    base = "https://trace.example.org/c"
    jobs = [{**sample_values(), "code": c, "code_grouped": group(c), "payload": payload(base, c)} for c in codes]
    template = load_template("trace-40x30")
    renderer = Renderer()
    renderer.render(template, jobs[0])  # warm the font
    make_symbol.cache_clear()

    full, alone, plain = [], [], []
    for _ in range(args.rounds):
        started = time.process_time()
        make_symbol.cache_clear()
        for values in jobs:
            renderer.render(template, values)
        full.append(time.process_time() - started)
        started = time.process_time()
        make_symbol.cache_clear()  # the renderer's symbols are cached: encode each one again
        for values in jobs:
            _qr_alone(values["payload"])
        alone.append(time.process_time() - started)
        started = time.process_time()
        for values in jobs[: args.labels // 4]:
            make_segno(values["payload"])
        plain.append((time.process_time() - started) * 4)

    full_rate = args.labels / statistics.median(full)
    qr_rate = args.labels / statistics.median(alone)
    print(f"labels rendered:              {args.labels} x {args.rounds} rounds, one core, CPU time")
    print(f"trace-40x30 @203 dpi:         {full_rate:,.0f} labels/s  ({1000 / full_rate:.2f} ms/label)  goal >= 200")
    print(f"QR symbol alone:              {qr_rate:,.0f} symbols/s ({1000 / qr_rate:.2f} ms/symbol)")
    segno_rate = args.labels / statistics.median(plain)
    print(f"ratio full label / QR alone:  {qr_rate / full_rate:.2f}x the time")
    print(
        f"segno.make_qr, pure Python: {segno_rate:,.0f} symbols/s (the station's encoder is "
        f"{qr_rate / segno_rate:.1f}x faster, same symbols)"
    )
    print(f"headroom over a 15 labels/s printer: {full_rate / 15:.0f}x")


if __name__ == "__main__":
    main()
