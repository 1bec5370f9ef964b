"""`station pickup` at the counter: a virtual scanner on a pty, the printer emulator as the receipt printer."""

from __future__ import annotations

import json
import os
import subprocess
import threading
import time
from pathlib import Path

from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.scanner import VirtualScanner
from drivers.emulators.servers import TcpPrinterServer
from station.home import Home
from station.ledger import State
from tests.conftest import STATION
from tests.test_pickup import _copy, _voided_payload, printed  # noqa: F401 - the module fixture is shared
from tests.printer_helpers import wait_labels


def test_pickup_of_three_rolls_by_scanner_with_slip(printed, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    printed_home, first_order, second_order, _other = printed
    home = _copy(printed_home, tmp_path)
    mine = [r["id"] for r in home.ledger.rolls(first_order)]
    foreign = home.ledger.rolls(second_order)[0]["id"]
    voided = _voided_payload(home, first_order)
    home.close()
    receipt = VirtualPrinter("escpos")
    scanner = VirtualScanner(suffix="CR", link=tmp_path / "scanner")
    env = {**os.environ, "STATION_HOME": str(tmp_path / "home"), "STATION_LANG": "en"}
    with TcpPrinterServer(receipt) as slip_printer, scanner:
        args = [
            STATION,
            "--lang",
            "en",
            "pickup",
            "--enterprise",
            "1",
            "--receiver",
            "李四",
            "--scanner",
            scanner.uri,
            "--idle",
            "2",
            "--slip-printer",
            slip_printer.uri,
            "--json",
        ]
        proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def clerk() -> None:
            time.sleep(1.5)  # the command opens the scanner
            for scan in (mine[0], foreign, mine[1], voided, mine[2]):
                scanner.scan(scan)
                scanner.wait_idle(5)
                time.sleep(0.2)

        threading.Thread(target=clerk, daemon=True).start()
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        wait_labels(receipt, 1)
    result = json.loads(out)
    assert result["rolls"] == mine and result["codes"] == 12
    verdicts = [(s["scan"], s["ok"]) for s in result["scans"]]
    assert verdicts == [(mine[0], True), (foreign, False), (mine[1], True), (voided, False), (mine[2], True)]
    assert "another enterprise" in result["scans"][1]["message"] and "voided" in result["scans"][3]["message"]
    assert receipt.labels[0].image.width == 384  # the 58 mm slip, for the receiver to sign
    home = Home.open(tmp_path / "home")
    counts = home.ledger.order_state_counts(first_order)
    assert counts[State.DISTRIBUTED] == 12 and counts[State.VOIDED] == 1
    assert home.ledger.verify_audit().ok
