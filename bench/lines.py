"""Several print lines: labels per minute of one order printed on 1, 2 and 3 lines at once, side by side in one run.

Each line is a TSPL printer emulator on 127.0.0.1 taking (label length + gap) / speed per label (40 × 30 mm labels,
2 mm gap, 150 mm/s: 213 ms, 281 labels a minute at most) and its own virtual camera filming it at 30 frames a second
over MJPEG, read by OpenCV, as in bench/run.py. The order's rolls are shared out among the lines
(``station.lines``); the figure is the order's verified labels over the run's time, and the ratio is against one
line in the same run of the bench.

Usage: .venv/bin/python bench/lines.py [--labels 240] [--speed 150] [--lines 1 2 3]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from drivers.cameras import open_camera
from drivers.emulators.camera import Imaging, Scene, VirtualCamera
from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from drivers.printers.printer import LabelPrinter
from station.home import Home
from station.issue import issue_codes
from station.lines import PrintLines
from station.registry import add_enterprise, add_product, review_enterprise
from station.run import RunOptions
from station.run_plan import LineDevices

SETTINGS = '[codes]\nbase_url = "https://trace.mouding.test/c"\n'


def run_once(labels: int, speed: float, lines: int) -> dict[str, Any]:
    """One order of ``labels`` codes printed on ``lines`` emulated lines; its figures."""
    with tempfile.TemporaryDirectory() as tmp, ExitStack() as stack:
        (Path(tmp) / "home").mkdir(mode=0o700)
        (Path(tmp) / "home" / "station.toml").write_text(SETTINGS, encoding="utf-8")
        home = Home.open(Path(tmp) / "home", operator="bench")
        home.init()
        eid = add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1E")
        review_enterprise(home.ledger, eid, "approve")
        pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
        order_id = issue_codes(home, eid, pid, labels).order
        devices = []
        printers = []
        for n in range(lines):
            printer = VirtualPrinter("tspl", speed_mm_s=speed)
            scene = Scene()
            scene.attach(printer)
            server = stack.enter_context(TcpPrinterServer(printer))
            cam = stack.enter_context(VirtualCamera(scene, Imaging(seed=n + 1), fps=30))
            camera = stack.enter_context(open_camera(cam.url))
            camera.latency_s = 0.1
            driver = stack.enter_context(LabelPrinter(server.uri, "tspl"))
            devices.append((LineDevices(server.uri, cam.url), driver, camera))
            printers.append(printer)
        run = PrintLines(home, RunOptions(order_id=order_id, roll_size=40, fault_timeout_s=30), devices)
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        started = time.monotonic()
        report = run.execute()
        elapsed = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_SELF)
        home.close()
        return {
            "lines": lines,
            "status": report.status,
            "reason": report.reason,
            "verified": report.verified,
            "rejected": len(report.rejected),
            "rolls": report.rolls_total,
            "elapsed": elapsed,
            "cpu": (after.ru_utime + after.ru_stime) - (cpu.ru_utime + cpu.ru_stime),
            "per_line": [len(p.labels) for p in printers],
        }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=240)
    parser.add_argument("--speed", type=float, default=150.0, help="print speed, mm/s")
    parser.add_argument("--lines", type=int, nargs="+", default=[1, 2, 3])
    args = parser.parse_args()
    per_label = (30 + 2) / args.speed
    print(
        f"printer speed {args.speed:g} mm/s: {60 / per_label:.0f} labels/min a printer at most; "
        f"{args.labels} codes, rolls of 40"
    )
    print(
        f"{'lines':>5} {'status':>7} {'labels/min':>10} {'× 1 line':>8} {'rejected':>8} {'CPU s':>6}  labels a printer"
    )
    base = None
    for lines in args.lines:
        f = run_once(args.labels, args.speed, lines)
        rate = f["verified"] / f["elapsed"] * 60
        base = base or rate
        print(
            f"{lines:>5} {f['status']:>7} {rate:>10.0f} {rate / base:>8.2f} {f['rejected']:>8} {f['cpu']:>6.1f}  "
            + " ".join(str(n) for n in f["per_line"])
        )
        if f["status"] != "done":
            print(f"  {f['status']}: {f['reason']}")


if __name__ == "__main__":
    main()
