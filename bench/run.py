"""Print-run throughput: labels per minute with the emulated printer at a realistic speed, verification inline.

The printer emulator takes (label length + gap) / speed per label (40 × 30 mm labels, 2 mm gap, 150 mm/s:
213 ms, 281 labels a minute); the virtual camera films it over MJPEG on 127.0.0.1. The station must keep the
printer busy: the goal is at least 95 % of the printer's own rate. Also prints where the time goes.

Usage: .venv/bin/python bench/run.py [--labels 200] [--speed 150]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import tempfile
import time
from pathlib import Path

from drivers.cameras import open_camera
from drivers.emulators.camera import Imaging, Scene, VirtualCamera
from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from drivers.printers.printer import LabelPrinter
from station.home import Home
from station.issue import issue_codes
from station.registry import add_enterprise, add_product, review_enterprise
from station.run import PrintRun, RunOptions


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--speed", type=float, default=150.0, help="print speed, mm/s")
    parser.add_argument("--profile", action="store_true", help="also show where the station's time goes")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Home.open(Path(tmp) / "home", operator="bench")
        home.init()
        eid = add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1E")
        review_enterprise(home.ledger, eid, "approve")
        pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
        order_id = issue_codes(home, eid, pid, args.labels).order
        printer = VirtualPrinter("tspl", speed_mm_s=args.speed)
        scene = Scene()
        scene.attach(printer)
        per_label = (30 + 2) / args.speed
        with (
            TcpPrinterServer(printer) as server,
            VirtualCamera(scene, Imaging(seed=1), fps=30) as cam,
            open_camera(cam.url) as camera,
            LabelPrinter(server.uri, "tspl") as driver,
        ):
            camera.latency_s = 0.1
            run = PrintRun(home, RunOptions(order_id=order_id, roll_size=100, fault_timeout_s=30), driver, camera)
            profiler = cProfile.Profile() if args.profile else None
            started = time.monotonic()
            if profiler:
                profiler.enable()
            report = run.execute()
            if profiler:
                profiler.disable()
            elapsed = time.monotonic() - started
        labels_out = len(printer.labels)  # headers and any rejects included: the printer's real work
        busy = labels_out * per_label
        print(
            f"labels: {args.labels} verified ({report.status}), {labels_out} printed incl. "
            f"{report.headers} roll headers, {len(report.rejected)} rejected"
        )
        print(
            f"printer speed {args.speed:g} mm/s: {per_label * 1000:.0f} ms per label, "
            f"{60 / per_label:.0f} labels/min at most"
        )
        print(
            f"station: {labels_out / elapsed * 60:.0f} labels/min printed, "
            f"{report.verified / elapsed * 60:.0f} verified code labels/min, in {elapsed:.1f} s"
        )
        print(f"printer kept busy: {100 * busy / elapsed:.1f} % of the run (goal >= 95 %)")
        if report.status != "done":
            print(f"run {report.status}: {report.reason}")
        for rejected in report.rejected[:10]:
            print(f"  rejected {rejected.serial}: {rejected.reason}")
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
            print(out.getvalue())


if __name__ == "__main__":
    main()
