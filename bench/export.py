"""Exporting an order of 1,000,000 codes as CSV and as XLSX: codes per second, file size and peak RSS, side by side.

The order is issued once; each export runs in its own child process so peak RSS is its own. The floor is computing
the same 20-digit codes and payloads without writing anything: what any export of them must spend.
Usage: .venv/bin/python bench/export.py [--count N] [--no-xlsx]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _home(workdir: Path):  # type: ignore[no-untyped-def]
    from station.home import Home

    return Home.open(workdir / "home", operator="bench")


def _child_issue(workdir: Path, count: int) -> dict[str, float]:
    from station.issue import issue_codes
    from station.registry import add_enterprise, add_product, review_enterprise

    home = _home(workdir)
    home.init()
    eid = add_enterprise(home.ledger, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323")
    started = time.perf_counter()
    order = issue_codes(home, eid, pid, count).order
    seconds = time.perf_counter() - started
    home.close()
    return {"order": order, "seconds": seconds}


def _child_export(workdir: Path, fmt: str, order: int) -> dict[str, float]:
    from station.export import codes_table, write_table

    home = _home(workdir)
    out = workdir / f"codes.{fmt}"
    started = time.perf_counter()
    rows = write_table(codes_table(home, order), fmt, out, "zh")
    seconds = time.perf_counter() - started
    home.close()
    return {
        "rows": rows,
        "seconds": seconds,
        "mb": out.stat().st_size / 1e6,
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _child_codes(workdir: Path, order: int) -> dict[str, float]:
    from station.codes import make_code

    home = _home(workdir)
    serials = [serial for serial, _state in home.ledger.order_codes(order)]
    started = time.perf_counter()
    for serial in serials:
        make_code(home.key, serial)
    one_by_one = time.perf_counter() - started
    started = time.perf_counter()
    from station.codes import Codec

    Codec(home.key).codes(serials)
    batch = time.perf_counter() - started
    home.close()
    return {"rows": len(serials), "one_by_one": one_by_one, "batch": batch}


def _child_floor(workdir: Path, order: int) -> dict[str, float]:
    from station.codes import group, iter_codes, payload

    home = _home(workdir)
    base = home.ledger.order(order)["base_url"]
    started = time.perf_counter()
    rows = 0
    serials = (serial for serial, _state in home.ledger.order_codes(order))
    for _serial, code in iter_codes(home.key, serials):  # as the export computes them: a chunk at a time
        group(code), payload(base, code)
        rows += 1
    seconds = time.perf_counter() - started
    home.close()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"rows": rows, "seconds": seconds, "mb": 0.0, "rss_mb": rss}


def _child(kind: str, workdir: Path, count: int, order: int) -> dict[str, float]:
    if kind == "issue":
        return _child_issue(workdir, count)
    if kind == "floor":
        return _child_floor(workdir, order)
    if kind == "codes":
        return _child_codes(workdir, order)
    return _child_export(workdir, kind, order)


def _run(kind: str, workdir: Path, count: int, order: int = 0) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--count", str(count), "--dir", str(workdir)]
        + ["--order", str(order)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--child", choices=["issue", "codes", "floor", "csv", "xlsx"])
    parser.add_argument("--no-xlsx", action="store_true", help="skip the XLSX export (minutes for a million rows)")
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--order", type=int, default=0)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_child(args.child, args.dir, args.count, args.order)))
        return
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        issued = _run("issue", workdir, args.count)
        order = int(issued["order"])
        kinds = ("floor", "csv") if args.no_xlsx else ("floor", "csv", "xlsx")
        codes = _run("codes", workdir, args.count, order)
        results = {kind: _run(kind, workdir, args.count, order) for kind in kinds}
    print(f"codes in the order:   {args.count:,} (issued in {issued['seconds']:.1f} s)")
    print(f"{'':22}{'seconds':>9}{'codes/s':>10}{'file MB':>9}{'peak RSS MB':>13}")
    per_million = 1e6 / args.count
    print(f"computing the codes:  one by one {codes['one_by_one'] * per_million:.1f} s per million, ", end="")
    print(f"as a batch {codes['batch'] * per_million:.1f} s per million (a fresh key: its round table filled)")
    for kind, label in (("floor", "codes only (floor)"), ("csv", "CSV"), ("xlsx", "XLSX")):
        if kind not in results:
            continue
        r = results[kind]
        assert r["rows"] == args.count, r
        print(f"{label:22}{r['seconds']:9.1f}{r['rows'] / r['seconds']:10,.0f}{r['mb']:9.0f}{r['rss_mb']:13.0f}")
    if "xlsx" in results:
        print(f"XLSX / CSV time:      {results['xlsx']['seconds'] / results['csv']['seconds']:.2f}")


if __name__ == "__main__":
    main()
