"""Bytes and milliseconds per label, per printer language and transport, through the real driver to the emulator.

First the bytes on the wire for one 40x30 mm label in each language, ZPL in each ^GF data form (plain hex as sent
before, ASCII compression as sent now, :Z64:), with the seconds they take on a 9600 baud serial line (10 bits a
byte). Then the time from handing the label image to the driver until the emulator has the whole label (encoding,
transfer, parsing, the confirming status query). Usage: .venv/bin/python bench/print.py [--labels N] [--bytes-only]
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
from drivers.printers.zpl_graphics import GRAPHIC_FORMS

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


def wire_bytes(image: Image.Image) -> None:
    """Print the bytes of one label per language (and per ZPL graphic form), checked through the emulator."""
    jobs = [("escpos", "", JobOptions()), ("tspl", "", JobOptions())]
    jobs += [("zpl", form, JobOptions(zpl_graphics=form)) for form in GRAPHIC_FORMS]
    hex_bytes = len(ENCODERS["zpl"](image, JobOptions(zpl_graphics="hex")))
    print(f"bytes on the wire, one label of {image.width}x{image.height} dots (40x30 mm at 203 dpi):")
    print(f"{'language':8} {'^GF form':11} {'bytes':>7} {'vs hex':>7} {'s at 9600 baud':>15}")
    for lang, form, options in jobs:
        job = ENCODERS[lang](image, options)
        vp = VirtualPrinter(lang)
        vp.feed(job)
        assert len(vp.labels) == 1 and vp.unknown_count == 0, f"{lang} {form}: not printed as sent"
        ratio = f"{len(job) / hex_bytes:6.2f}x" if lang == "zpl" else ""
        shown = (form or "-") + (" (sent)" if options == JobOptions() else "")
        print(f"{lang:8} {shown:11} {len(job):7d} {ratio:>7} {len(job) * 10 / 9600:15.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=50)
    parser.add_argument("--bytes-only", action="store_true", help="Only the bytes on the wire, no timing.")
    args = parser.parse_args()
    image = Image.open(LABEL).convert("1")
    wire_bytes(image)
    if args.bytes_only:
        return
    print()
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
