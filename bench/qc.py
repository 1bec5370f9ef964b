"""The QC screen's figures over a long history: every code printed on a roll and checked, each check with its
eight parameters as runs record them, one in a hundred rejected; the whole history counted, one roll, and a page.

The ledger is built once in a directory (kept for later runs). Usage:
.venv/bin/python bench/qc.py [--codes 100000] [--dir /tmp/qc-bench]
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from pathlib import Path

from station.home import Home
from station.issue import issue_codes
from station.qc import PARAMETERS, QcFilter, check_rows, qc_summary
from station.registry import add_enterprise, add_product, review_enterprise

ROLL_SIZE = 1000


def build(path: Path, codes: int) -> None:
    """An approved enterprise's order of ``codes`` codes, printed and checked, a reject in every hundred."""
    home = Home.open(path, operator="bench")
    home.init()
    led = home.ledger
    eid = add_enterprise(led, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(led, eid, "approve")
    pid = add_product(led, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    order = issue_codes(home, eid, pid, codes).order
    run = led.create_run(order, "trace-40x30", ROLL_SIZE, "tcp://192.0.2.7:9100", "cam")
    serials = [s for s, _ in led.order_codes(order)]
    rng = random.Random(7)
    for number, start in enumerate(range(0, codes, ROLL_SIZE), 1):
        roll = f"R{number:05d}"
        with led.transaction():
            led.open_roll(run, roll, number)
            for serial in serials[start : start + ROLL_SIZE]:
                led.print_on_roll(serial, roll, {})
                parameters = {name: [round(rng.uniform(0.5, 1.0), 3), 4] for name in PARAMETERS}
                if rng.random() < 0.01:
                    data = {"reason": "污点", "grade": 1.0, "causes": ["defect:smear"], "parameters": parameters}
                    led.transition(serial, "reject", data)
                else:
                    led.transition(serial, "verify", {"grade": 4.0, "letter": "A", "parameters": parameters})
            led.close_roll(roll)
    home.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codes", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/qc-bench"))
    args = parser.parse_args()
    path = args.dir / f"codes-{args.codes}"
    if not (path / "ledger.sqlite3").exists():
        started = time.perf_counter()
        build(path, args.codes)
        print(f"built {args.codes} checked codes in {time.perf_counter() - started:.1f} s")
    with Home.open(path, operator="bench") as home:
        started, cpu = time.perf_counter(), time.process_time()
        summary = qc_summary(home)
        whole, cpu = time.perf_counter() - started, time.process_time() - cpu
        tracemalloc.start()  # a second pass for the memory: tracing slows every allocation
        qc_summary(home)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        started = time.perf_counter()
        rows = check_rows(home, summary.page_ids(summary.pages(False) // 2, False))
        page = time.perf_counter() - started
        started = time.perf_counter()
        one = qc_summary(home, QcFilter(roll="R00002"))
        roll = time.perf_counter() - started
    print(
        f"whole history: {summary.checks} checks ({summary.rejected} rejected) in {whole:.2f} s ({cpu:.2f} s CPU), "
        f"{summary.checks / whole:,.0f} checks/s, peak {peak / 1e6:.1f} MB"
    )
    print(f"a page from the middle: {len(rows)} rows in {page * 1000:.1f} ms")
    print(f"one roll: {one.checks} checks in {roll:.2f} s")


if __name__ == "__main__":
    main()
