"""Print-run keep-up: labels per minute, how busy the printer is kept, labels voided as unseen and waits for the
camera, with 0 and with 2 CPU-bound processes running beside the station.

The printer emulator takes (label length + gap) / speed per label (40 × 30 mm labels, 2 mm gap, 150 mm/s: 213 ms,
281 labels a minute); the virtual camera films it at 30 frames a second over MJPEG on 127.0.0.1, read by OpenCV.
The station sends a label only once the camera showed the one before, so the printer idles for the camera's delay
after each label: "printer busy" is the share of the run the printer spent printing. "Camera delay" is the time from
a label being fully out to the run sending the next one; a delay above 0.5 s counts as a wait for the camera.

Usage: .venv/bin/python bench/run.py [--labels 200] [--speed 150] [--load 0 2] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from drivers.cameras import open_camera
from drivers.emulators.camera import Imaging, Scene, VirtualCamera
from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from drivers.printers.printer import LabelPrinter
from station.home import Home
from station.issue import issue_codes
from station.registry import add_enterprise, add_product, review_enterprise
from station.run import PrintRun, RunOptions
from station.texts import TEXTS, tr

WAIT_S = 0.5  # a label's camera delay above this is a wait for the camera


def _busy(processes: int, seconds: float) -> list[subprocess.Popen[bytes]]:
    code = f"import time\nend = time.monotonic() + {seconds}\nwhile time.monotonic() < end:\n    pass\n"
    return [subprocess.Popen([sys.executable, "-c", code]) for _ in range(processes)]


def _unseen(reason: str) -> bool:
    """A reject for a label the camera did not see (the station's older message, in either language)."""
    return "run.unseen" in TEXTS and reason in (tr("zh", "run.unseen"), tr("en", "run.unseen"))


def run_once(labels: int, speed: float, load: int, profile: bool) -> dict[str, Any]:
    """One run of ``labels`` codes with ``load`` busy processes beside it; its figures."""
    with tempfile.TemporaryDirectory() as tmp:
        home = Home.open(Path(tmp) / "home", operator="bench")
        home.init()
        eid = add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1E")
        review_enterprise(home.ledger, eid, "approve")
        pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
        order_id = issue_codes(home, eid, pid, labels).order
        printer = VirtualPrinter("tspl", speed_mm_s=speed)
        scene = Scene()
        scene.attach(printer)
        shown = printer.on_label
        outs: list[float] = []

        def out(label: Any) -> None:
            outs.append(time.monotonic())
            if shown is not None:
                shown(label)

        printer.on_label = out
        per_label = (30 + 2) / speed
        sends: list[float] = []
        busy = _busy(load, 600)
        try:
            with (
                TcpPrinterServer(printer) as server,
                VirtualCamera(scene, Imaging(seed=1), fps=30) as cam,
                open_camera(cam.url) as camera,
                LabelPrinter(server.uri, "tspl") as driver,
            ):
                camera.latency_s = 0.1
                send = driver.print_image

                def timed(image: Any, *args: Any, **kwargs: Any) -> int:
                    sends.append(time.monotonic())
                    return send(image, *args, **kwargs)

                driver.print_image = timed  # type: ignore[method-assign]
                run = PrintRun(home, RunOptions(order_id=order_id, roll_size=100, fault_timeout_s=30), driver, camera)
                profiler = cProfile.Profile() if profile else None
                started = time.monotonic()
                if profiler:
                    profiler.enable()
                report = run.execute()
                if profiler:
                    profiler.disable()
                elapsed = time.monotonic() - started
        finally:
            for proc in busy:
                proc.kill()
                proc.wait()
        # the camera's delay: from a label being out to the next label being sent
        delays = [later - out for out, later in zip(outs, sends[1:], strict=False) if later > out]
        figures = {
            "load": load,
            "status": report.status,
            "reason": report.reason,
            "verified": report.verified,
            "printed": len(printer.labels),
            "headers": report.headers,
            "rejected": len(report.rejected),
            "unseen": sum(1 for r in report.rejected if _unseen(r.reason)),
            "camera_waits": sum(1 for d in delays if d > WAIT_S),
            "run_waits": getattr(report, "camera_waits", 0),
            "delay_median": statistics.median(delays) if delays else 0.0,
            "delay_max": max(delays) if delays else 0.0,
            "elapsed": elapsed,
            "per_label": per_label,
        }
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(18)
            figures["profile"] = out.getvalue()
        return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--labels", type=int, default=200)
    parser.add_argument("--speed", type=float, default=150.0, help="print speed, mm/s")
    parser.add_argument("--load", type=int, nargs="+", default=[0, 2], help="CPU-bound processes beside the run")
    parser.add_argument("--profile", action="store_true", help="also show where the station's time goes")
    args = parser.parse_args()
    per_label = (30 + 2) / args.speed
    print(
        f"printer speed {args.speed:g} mm/s: {per_label * 1000:.0f} ms per label, {60 / per_label:.0f} labels/min "
        f"at most; {args.labels} codes, rolls of 100"
    )
    print(
        f"{'busy procs':>10} {'status':>7} {'labels/min':>10} {'printer busy':>12} {'voided':>6} {'unseen':>6} "
        f"{'waits':>5} {'delay med/max s':>16}"
    )
    for load in args.load:
        f = run_once(args.labels, args.speed, load, args.profile)
        rate = f["printed"] / f["elapsed"] * 60
        busy = 100 * f["printed"] * f["per_label"] / f["elapsed"]
        print(
            f"{load:>10} {f['status']:>7} {rate:>10.0f} {busy:>11.1f}% {f['rejected']:>6} {f['unseen']:>6} "
            f"{f['camera_waits']:>5} {f['delay_median']:>7.2f}/{f['delay_max']:<8.2f}"
        )
        if f["status"] != "done":
            print(f"  run {f['status']}: {f['reason']}")
        if f.get("profile"):
            print(f["profile"])


if __name__ == "__main__":
    main()
