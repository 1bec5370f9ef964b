"""A county in the middle of its day, for the app's snapshots: an order printed and verified on the emulators, a
roll picked up and bound to a released lot, a failed lot, an order waiting to print, consumer queries and a
report. Built with the real core functions under a fixed key, a fixed clock and a fixed time zone, so every
screen shows the same codes and times on every machine."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import pytest

from station.home import Home

KEY_HEX = "5a" * 16 + "c3" * 16  # a fixed code key: the same codes on every run
ZONE = "Asia/Shanghai"  # Mouding's time, whatever the machine's zone
NOW = datetime(2026, 11, 20, 6, 30, tzinfo=UTC)  # 14:30 in Mouding
START = datetime(2026, 11, 20, 1, 0, tzinfo=UTC)  # the ledger's clock starts at 09:00 in Mouding


class FrozenDatetime(datetime):
    """``datetime`` whose ``now()`` is always NOW (the screens' "today" and the query service's clock)."""

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> Any:  # type: ignore[override]
        return NOW.astimezone(tz) if tz is not None else NOW.astimezone().replace(tzinfo=None)


class LedgerClock:
    """The ledger's timestamps: one second apart from START, in the order things happen."""

    def __init__(self) -> None:
        self.at = START

    def __call__(self) -> str:
        self.at += timedelta(seconds=1)
        return self.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


@contextmanager
def frozen_time(mp: pytest.MonkeyPatch, clock: LedgerClock | None = None) -> Iterator[None]:
    """Mouding's zone, NOW for every ``datetime.now()`` the screens and services read, and the ledger's clock."""
    mp.setenv("TZ", ZONE)
    time.tzset()
    for module in ("station.dashboard", "station.query.office", "station.query.app", "station.pickup"):
        mp.setattr(f"{module}.datetime", FrozenDatetime)
    if clock is not None:
        for module in ("station.ledger.sql", "station.ledger.runs", "station.ledger.trace"):
            mp.setattr(f"{module}.utc_now", clock)
    try:
        yield
    finally:
        mp.undo()
        time.tzset()


def build_busy_county(path: Path) -> dict[str, Any]:
    """The county of the snapshots; returns the codes and ids the screens are opened on."""
    from station.codes import make_code
    from station.demo import seed_demo
    from station.issue import issue_codes
    from station.ledger.query_store import Report
    from station.lots import add_lot, bind_codes, inspect_lot
    from station.pickup import PickupSession, rolls_to_collect
    from station.query.app import Service

    path.mkdir(parents=True)
    key = path / "code.key"
    key.write_text(KEY_HEX + "\n", encoding="ascii")
    os.chmod(key, 0o600)
    home = Home.open(path, operator="快照")
    home.init()
    order = seed_demo(home, codes=20)
    assert order is not None
    ledger: Any = home.ledger
    product = ledger.order(order.order)["product_id"]
    enterprise = ledger.order(order.order)["enterprise_id"]
    result = print_still(home, order.order)
    assert result.status == "done", result
    rolls = rolls_to_collect(home, enterprise)
    session = PickupSession(home, enterprise, "李四")
    assert session.scan(rolls[0]).ok
    session.finish()
    released = next(lot["id"] for lot in ledger.lots() if lot["number"] == "MD20261101")
    bound = bind_codes(home, released, roll_id=rolls[0])
    failed = add_lot(ledger, product, "MD20261118", "2026-11-18", "600 瓶")
    inspect_lot(ledger, failed, "fail", "楚雄州食品检验所 2026-1120")
    issue_codes(home, enterprise, product, 30)  # the next order, waiting to print
    bound_serial = next(s for _, s, st in ledger.roll(rolls[0])["labels"] if s is not None and st.label == "bound")
    code = make_code(home.key, bound_serial)
    home.close()

    service = Service(path)
    service.start()
    try:
        phone, other = (service.client(peer, None) for peer in ("198.51.100.7", "203.0.113.9"))
        for client in (phone, phone, other):
            service.respond(code, "zh", True, client)
        service.respond("1234 5678 9012 3456 7890", "zh", True, phone)  # typed by a guesser
        report = Report("2026-11-20T05:12:00.000000Z", code, bound_serial, "counterfeit", "超市里见到同码两瓶", "", "")
        service.store.add_report(report)
    finally:
        service.close()
    return {"code": code, "bound": bound, "rolls": rolls}


def print_still(home: Home, order_id: int, faults: Any = None, fault_timeout_s: float = 30) -> Any:
    """Print and verify an order as the demo does (TSPL printer on 127.0.0.1, the virtual camera over MJPEG, the
    real drivers), with a camera held still and free of sensor noise: each label's frame, and so its grade, is the
    same whichever frame the run happens to read. ``faults`` (PrinterFaults) spoil labels, for rejects, or stop the
    printer, pausing the run after ``fault_timeout_s``."""
    from drivers.cameras import open_camera
    from drivers.emulators.camera import Imaging, Scene, VirtualCamera
    from drivers.emulators.printer import VirtualPrinter
    from drivers.emulators.servers import TcpPrinterServer
    from drivers.printers.encoders import JobOptions
    from drivers.printers.printer import LabelPrinter
    from station.run import PrintRun, RunOptions

    printer = VirtualPrinter("tspl", out_dir=home.path / "printed", speed_mm_s=300, faults=faults)
    scene = Scene()
    scene.attach(printer)
    still = Imaging(jitter_px=0, rotation_deg=0, perspective=0, noise_sigma=0, seed=7)
    with (
        TcpPrinterServer(printer) as server,
        VirtualCamera(scene, still, fps=30) as camera_server,
        open_camera(camera_server.url) as camera,
        LabelPrinter(server.uri, "tspl", JobOptions()) as driver,
    ):
        camera.latency_s = home.config.verify.latency_s
        return PrintRun(
            home, RunOptions(order_id=order_id, roll_size=10, fault_timeout_s=fault_timeout_s), driver, camera
        ).execute()
