"""Issuing 1,000,000 codes: wall time and peak RSS, against a bare sqlite3 executemany of the same rows; and the
same issue on a PostgreSQL ledger (a throwaway local server with full durability, as the tests start it).

Each measurement runs in its own child process so peak RSS is its own. Prints figures and ratios.
Usage: .venv/bin/python bench/issue.py [--count N] [--no-postgres]
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _child_issue(workdir: Path, count: int, url: str = "") -> dict[str, float]:
    from station.home import Home
    from station.issue import issue_codes
    from station.registry import add_enterprise, add_product, review_enterprise

    if url:
        (workdir / "home").mkdir()
        (workdir / "home" / "station.toml").write_text(f'[ledger]\nurl = "{url}"\n')
    home = Home.open(workdir / "home", operator="bench")
    home.init()
    eid = add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1E")
    review_enterprise(home.ledger, eid, "approve")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323")
    started = time.perf_counter()
    issue_codes(home, eid, pid, count)
    seconds = time.perf_counter() - started
    home.close()
    return {"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child_floor(workdir: Path, count: int) -> dict[str, float]:
    """The same rows into the same schema, pre-computed in a list, one executemany in one transaction."""
    from station.ledger import Actor, open_ledger

    path = workdir / "floor.sqlite3"
    open_ledger(f"sqlite:///{path}", Actor("bench", "B")).close()  # same schema, same pragmas
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA synchronous = FULL")  # as the ledger
    db.execute(
        "INSERT INTO enterprises (id, name, credit_code, status, created_at) VALUES (1, 'x', 'x', 'approved', 'n')"
    )
    db.execute("INSERT INTO products (id, enterprise_id, name, origin_code, created_at) VALUES (1, 1, 'x', 'x', 'n')")
    db.execute(
        "INSERT INTO orders (id, enterprise_id, product_id, count, base_url, created_at) VALUES (1, 1, 1, 1, 'x', 'n')"
    )
    rows = [(s, 1, 0) for s in range(1, count + 1)]
    started = time.perf_counter()
    db.execute("BEGIN IMMEDIATE")
    db.executemany("INSERT INTO codes (serial, order_id, state) VALUES (?, ?, ?)", rows)
    db.execute("COMMIT")
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _child_codes(count: int) -> dict[str, float]:
    """Computing every code of the order (what an export or a print run does, lazily)."""
    import os

    from station.codes import CodeKey, iter_codes

    key = CodeKey.from_secret(os.urandom(32))
    started = time.perf_counter()
    n = sum(1 for _ in iter_codes(key, range(1, count + 1)))
    seconds = time.perf_counter() - started
    assert n == count
    return {"seconds": seconds, "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def _run(kind: str, count: int, url: str = "") -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run(
            [sys.executable, __file__, "--child", kind, "--count", str(count), "--dir", tmp, "--url", url],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--child", choices=["issue", "floor", "codes"])
    parser.add_argument("--dir", type=Path)
    parser.add_argument("--url", default="")
    parser.add_argument("--no-postgres", action="store_true", help="skip the PostgreSQL measurement")
    args = parser.parse_args()
    if args.child:
        if args.child == "issue":
            result = _child_issue(args.dir, args.count, args.url)
        elif args.child == "floor":
            result = _child_floor(args.dir, args.count)
        else:
            result = _child_codes(args.count)
        print(json.dumps(result))
        return
    issue = _run("issue", args.count)
    floor = _run("floor", args.count)
    codes = _run("codes", min(args.count, 200_000))
    per_million = codes["seconds"] * 1_000_000 / min(args.count, 200_000)
    print(f"codes issued:               {args.count:,}")
    print(f"station issue:              {issue['seconds']:.2f} s   peak RSS {issue['rss_mb']:.0f} MB")
    print(f"bare executemany (floor):   {floor['seconds']:.2f} s   peak RSS {floor['rss_mb']:.0f} MB")
    print(f"ratio issue / floor:        {issue['seconds'] / floor['seconds']:.2f}   (goal <= 2)")
    print(f"goal wall <= 10 s:          {'met' if issue['seconds'] <= 10 else 'MISSED'}")
    print(f"goal RSS <= 200 MB:         {'met' if issue['rss_mb'] <= 200 else 'MISSED'}")
    print(f"computing the 20-digit codes (lazy, at print/export): {per_million:.2f} s per million")
    if not args.no_postgres:
        pg = _postgres_issue(args.count)
        print(f"station issue on PostgreSQL: {pg['seconds']:.2f} s   peak RSS {pg['rss_mb']:.0f} MB   (fsync on)")
        print(f"ratio PostgreSQL / SQLite:  {pg['seconds'] / issue['seconds']:.2f}")


def _postgres_issue(count: int) -> dict[str, float]:
    """The same issue on a local PostgreSQL server started for the measurement, durable as a real one."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.pg_helpers import PgServer

    server = PgServer(durable=True)
    try:
        server.start()
        return _run("issue", count, server.url(server.create_database()))
    finally:
        server.stop()


if __name__ == "__main__":
    main()
