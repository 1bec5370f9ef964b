"""A print line on loopback for run tests: printer emulator (TCP), virtual camera (MJPEG), an issued order."""

from __future__ import annotations

import collections
import random
import signal
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from drivers.emulators.camera import CameraFaults, Imaging, Scene, VirtualCamera
from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.registry import add_enterprise, add_product, review_enterprise
from station.verify.decode import decode_zxing


@dataclass
class Line:
    """The emulated devices of one print line."""

    printer: VirtualPrinter
    server: TcpPrinterServer
    camera: VirtualCamera
    camera_faults: CameraFaults


@contextmanager
def print_line(speed_mm_s: float = 600.0, faults: PrinterFaults | None = None) -> Iterator[Line]:
    """A printer that takes (length + gap) / speed per label, filmed at 60 frames a second."""
    printer = VirtualPrinter("tspl", faults=faults or PrinterFaults(), speed_mm_s=speed_mm_s)
    scene = Scene()
    scene.attach(printer)
    camera_faults = CameraFaults()
    with TcpPrinterServer(printer) as server, VirtualCamera(scene, Imaging(seed=2), camera_faults, fps=60) as cam:
        yield Line(printer, server, cam, camera_faults)


# An https address no example: a print run refuses labels that point at the example host (station.query.reach)
REACHABLE_URL = "https://trace.mouding.test/c"
REACHABLE_SETTINGS = f'[codes]\nbase_url = "{REACHABLE_URL}"\n'


def order(tmp_path: Path, count: int) -> tuple[Home, int]:
    """A data directory with one approved enterprise, one product and an order of ``count`` codes (their labels
    pointing at ``REACHABLE_URL``)."""
    (tmp_path / "home").mkdir(mode=0o700, exist_ok=True)
    settings = tmp_path / "home" / "station.toml"
    if not settings.exists():
        settings.write_text(REACHABLE_SETTINGS, encoding="utf-8")
    home = Home.open(tmp_path / "home", operator="tester")
    home.init()
    eid = add_enterprise(home.ledger, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    return home, issue_codes(home, eid, pid, count).order


def printed_payloads(printer: VirtualPrinter) -> collections.Counter[str]:
    """How many times each payload came out of the printer (read back from the printed images)."""
    counts: collections.Counter[str] = collections.Counter()
    for label in printer.labels:
        found = decode_zxing(np.asarray(label.image.convert("L")))
        if found and found[0].text:
            counts[found[0].text] += 1
    return counts


def assert_exact(home: Home, order_id: int, printer: VirtualPrinter | None = None) -> None:
    """Every code in one state; verified only with a passing verification event; none printed twice."""
    from station.codes import make_code, payload

    ledger = home.ledger
    target = ledger.order(order_id)["count"]
    counts = ledger.order_state_counts(order_id)
    assert counts.get(State.VERIFIED, 0) == target, counts
    assert set(counts) <= {State.VERIFIED, State.VOIDED}, counts
    base = ledger.order(order_id)["base_url"]
    for serial, state in ledger.order_codes(order_id):
        kinds = [e["kind"] for e in ledger.code_events(serial, order_id) if e["serial"] == serial]
        if state is State.VERIFIED:
            assert kinds == ["code.print", "code.verify"], (serial, kinds)
        else:
            assert "code.verify" not in kinds, (serial, kinds)
    if printer is not None:
        seen = printed_payloads(printer)
        assert all(n == 1 for p, n in seen.items() if "/c/" in p), [p for p, n in seen.items() if n > 1]
        for serial, state in ledger.order_codes(order_id):
            if state is State.VERIFIED:
                assert seen[payload(base, make_code(home.key, serial))] == 1
    assert ledger.verify_audit().ok


def labels_on_rolls(db: Path) -> int:
    """Labels recorded on rolls so far, read from a SQLite ledger file while another process writes it."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as con:
        return int(con.execute("SELECT count(*) FROM roll_labels WHERE position > 0").fetchone()[0])


def kill_each_start(
    args: list[str], env: dict[str, str], db: Path, rng: random.Random, starts: int, labels: int, within_s: float
) -> int:
    """Start ``args`` ``starts`` times and SIGKILL each start a random moment (up to ``within_s``) after it put
    ``labels`` more labels on rolls, whatever the machine's pace; how many starts were killed (not yet done)."""
    kills = 0
    for _ in range(starts):
        before = labels_on_rolls(db)
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while labels_on_rolls(db) < before + labels and proc.poll() is None:
            assert time.monotonic() < deadline, "the run put nothing on a roll"
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, within_s))
        if proc.poll() is None:
            proc.send_signal(signal.SIGKILL)
            kills += 1
        proc.communicate(timeout=60)
    return kills
