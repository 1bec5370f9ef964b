"""Bytes and milliseconds per label, per printer language and transport, through the real driver to the emulator.

The time runs from handing the label image to the driver until the emulator has the whole label (encoding,
transfer, parsing, the confirming status query). Usage: .venv/bin/python bench/print.py [--labels N]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from PIL import Image

from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import PtyPrinterServer, TcpPrinterServer, UsbPrinterPlug
from drivers.emulators.usb import EmulatedUsbBackend
from drivers.printers.encoders import ENCODERS, JobOptions
from drivers.printers.printer import LabelPrinter

LABEL = Path(__file__).resolve().parent.parent / "tests" / "golden" / "trace-40x30.png"


def _measure(lang: str, kind: str, image: Image.Image, n: int, tmp: Path) -> tuple[float, float]:
    vp = VirtualPrinter(lang)
    server: TcpPrinterServer | PtyPrinterServer | UsbPrinterPlug
    if kind == "tcp":
        server = TcpPrinterServer(vp).start()
    elif kind == "pty":
        server = PtyPrinterServer(vp, link=tmp / f"tty-{lang}").start()
    else:
        server = UsbPrinterPlug(vp, EmulatedUsbBackend()).start()
    times = []
    try:
        with LabelPrinter(server.uri, lang) as printer:
            printer.print_image(image)  # connect and warm up
            for i in range(n):
                started = time.perf_counter()
                printer.print_image(image)
                while len(vp.labels) < i + 2:
                    time.sleep(0.0002)
                times.append((time.perf_counter() - started) * 1000)
    finally:
        server.stop()
    return statistics.median(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=50)
    args = parser.parse_args()
    image = Image.open(LABEL).convert("1")
    print(f"label: trace-40x30, {image.width}x{image.height} dots; {args.labels} labels per cell; median (max) ms")
    print(f"{'language':8} {'bytes':>7} {'encode ms':>9}   {'tcp':>14} {'pty':>14} {'usb':>14}")
    with tempfile.TemporaryDirectory() as tmp:
        for lang, encoder in ENCODERS.items():
            encoder(image, JobOptions())  # python-escpos loads its printer profiles on first use
            started = time.perf_counter()
            for _ in range(20):
                job = encoder(image, JobOptions())
            encode_ms = (time.perf_counter() - started) / 20 * 1000
            cells = []
            for kind in ("tcp", "pty", "usb"):
                median, worst = _measure(lang, kind, image, args.labels, Path(tmp))
                cells.append(f"{median:6.2f} ({worst:5.1f})")
            print(f"{lang:8} {len(job):7d} {encode_ms:9.2f}   " + " ".join(f"{c:>14}" for c in cells))
    print("a 150 mm/s printer takes 213 ms per 40x30 mm label with a 2 mm gap")


if __name__ == "__main__":
    main()
