"""`audit verify` time on a ledger of many codes: every code printed on a roll and verified, a quarter handed out in
pickups, a tenth of those bound to a lot (so the chain holds about 2.3 events a code).

The ledger is built once in a directory (kept for later runs); verification is timed on it. Usage:
.venv/bin/python bench/audit.py [--codes 100000] [--dir /tmp/audit-bench]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from station.home import Home
from station.issue import issue_codes
from station.registry import add_enterprise, add_product, review_enterprise

ROLL_SIZE = 1000


def build(path: Path, codes: int) -> None:
    """An approved enterprise's order of ``codes`` codes, printed, verified and partly handed out and bound."""
    home = Home.open(path, operator="bench")
    home.init()
    led = home.ledger
    eid = add_enterprise(led, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(led, eid, "approve")
    pid = add_product(led, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    order = issue_codes(home, eid, pid, codes).order
    run = led.create_run(order, "50x30", ROLL_SIZE, "tcp://192.0.2.7:9100", "cam")
    serials = [s for s, _ in led.order_codes(order)]
    lot = led.add_lot(pid, "L1", "2026-11-01", "", [])
    rolls: list[str] = []
    for number, start in enumerate(range(0, codes, ROLL_SIZE), 1):
        roll = f"R{number:05d}"
        rolls.append(roll)
        with led.transaction():
            led.open_roll(run, roll, number)
            for serial in serials[start : start + ROLL_SIZE]:
                led.print_on_roll(serial, roll, {})
                led.transition(serial, "verify", {})
            led.close_roll(roll)
    led.set_run_status(run, "done")
    handed = rolls[: max(1, len(rolls) // 4)]
    led.create_pickup(eid, "王五", handed)
    with led.transaction():
        for serial in serials[: len(handed) * ROLL_SIZE : 10]:
            led.bind(serial, lot, {})
    home.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/audit-bench"))
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    path = args.dir / f"codes-{args.codes}"
    if not (path / "ledger.sqlite3").exists():
        started = time.perf_counter()
        build(path, args.codes)
        print(f"built {args.codes} codes in {time.perf_counter() - started:.1f} s")
    times = []
    with Home.open(path, operator="bench") as home:
        for _ in range(args.runs):
            started = time.perf_counter()
            report = home.ledger.verify_audit()
            times.append(time.perf_counter() - started)
            assert report.ok, report
    print(f"audit verify: {report.events} events, best {min(times):.2f} s of {args.runs}")


if __name__ == "__main__":
    main()
