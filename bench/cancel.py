"""Cancelling a large order (`station void order`): the time to void its unprinted codes in one event, and what the
cancellation adds to `audit verify` (the codes it voided have no event of their own; the replay finds them in the
event's ranges).

An order of ``--codes`` codes is issued and its first ``--printed`` codes printed and verified on rolls of 1,000,
every hundredth of them left unprinted (so the unprinted codes are many ranges, not one); then `audit verify` is
timed, the order cancelled (timed), and `audit verify` timed again. Usage:
.venv/bin/python bench/cancel.py [--codes 1000000] [--printed 20000] [--dir /tmp/cancel-bench]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from station.home import Home  # noqa: E402
from station.issue import issue_codes  # noqa: E402
from station.ledger import State  # noqa: E402
from station.registry import add_enterprise, add_product, review_enterprise  # noqa: E402
from station.voids import cancel_order  # noqa: E402

ROLL_SIZE = 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--codes", type=int, default=1_000_000)
    parser.add_argument("--printed", type=int, default=20_000)
    parser.add_argument("--dir", type=Path, default=Path("/tmp/cancel-bench"))
    args = parser.parse_args()
    shutil.rmtree(args.dir, ignore_errors=True)
    home = Home.open(args.dir, operator="bench")
    home.init()
    led = home.ledger
    eid = add_enterprise(led, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(led, eid, "approve")
    pid = add_product(led, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    started = time.perf_counter()
    order = issue_codes(home, eid, pid, args.codes).order
    print(f"issued {args.codes:,} codes in {time.perf_counter() - started:.2f} s")
    run = led.create_run(order, "trace-40x30", ROLL_SIZE, "socket://192.0.2.7:9100", "cam")
    serials = led.codes_in_state(order, State.ISSUED, limit=args.printed)
    started = time.perf_counter()
    for number, start in enumerate(range(0, len(serials), ROLL_SIZE), 1):
        roll = f"R{order:06d}{number:04d}"
        with led.transaction():
            led.open_roll(run, roll, number)
            for i, serial in enumerate(serials[start : start + ROLL_SIZE]):
                if i % 100 == 99:
                    continue  # left unprinted: the unprinted codes are many ranges
                led.print_on_roll(serial, roll, {})
                led.transition(serial, "verify", {})
            led.close_roll(roll)
    led.set_run_status(run, "paused", "bench")
    print(f"printed {len(serials) * 99 // 100:,} codes in {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    report = led.verify_audit()
    before = time.perf_counter() - started
    assert report.ok
    print(f"audit verify before: {report.events:,} events, {before:.2f} s")
    started = time.perf_counter()
    done = cancel_order(home, order, "bench")
    took = time.perf_counter() - started
    ranges = led.order_cancellation(order)
    assert ranges is not None
    print(f"cancel: {done.count:,} codes voided in {len(ranges['voided']):,} ranges, one event, {took:.2f} s")
    started = time.perf_counter()
    report = led.verify_audit()
    after = time.perf_counter() - started
    assert report.ok
    print(f"audit verify after: {report.events:,} events, {after:.2f} s ({after / before:.2f}× before)")
    home.close()


if __name__ == "__main__":
    main()
