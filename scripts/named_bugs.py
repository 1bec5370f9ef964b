"""The bugs the test suite is known to catch, each put in by hand and the tests that must then fail run against it.

mutmut mutates expressions inside functions; some bugs worth guarding against are of another shape (a table that
allows one transition too many, a field left out of a tuple, a loop that stops one short). Each entry here is one
such plausible bug, written as an exact edit of the source, with the tests that should catch it. The script applies
each edit to a fresh copy of the tree, runs those tests, and reports the bug killed when they fail.

    .venv/bin/python scripts/named_bugs.py            # every bug
    .venv/bin/python scripts/named_bugs.py -k pickup  # the bugs whose name contains "pickup"

It exits non-zero when a bug survives, or when an edit no longer applies (the code moved: update the entry).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
COPY = ("station", "drivers", "tests", "label_templates", "config", "pyproject.toml")


@dataclass(frozen=True)
class Bug:
    """One plausible bug: replace ``old`` (found exactly once in ``path``) by ``new``; ``tests`` must then fail."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


BUGS = (
    Bug(
        "codes: the MAC compared on 9 of its 10 digits (the query service checks codes with the same Codec)",
        "station/codes.py",
        "return hmac.compare_digest(mac, digits[SERIAL_DIGITS : SERIAL_DIGITS + MAC_DIGITS])",
        "return hmac.compare_digest(mac[:9], digits[SERIAL_DIGITS : SERIAL_DIGITS + 9])",
        ("tests/test_codes.py", "tests/test_codes_rules.py", "tests/test_query_units.py", "tests/test_query_rules.py"),
    ),
    Bug(
        "codes: the swap hint misses a swap of digits 19 and 20",
        "station/codes.py",
        "    for i in range(len(digits) - 1):\n        if digits[i] != digits[i + 1]:",
        "    for i in range(len(digits) - 2):\n        if digits[i] != digits[i + 1]:",
        ("tests/test_codes.py", "tests/test_codes_rules.py"),
    ),
    Bug(
        "lifecycle: a bound code may be voided",
        "station/ledger/lifecycle.py",
        '    ("void", State.DISTRIBUTED): State.VOIDED,\n',
        '    ("void", State.DISTRIBUTED): State.VOIDED,\n    ("void", State.BOUND): State.VOIDED,\n',
        ("tests/test_ledger.py", "tests/test_lifecycle_rules.py"),
    ),
    Bug(
        "audit: the station id left out of an event's hash",
        "station/ledger/audit.py",
        '    "operator",\n    "station",\n',
        '    "operator",\n',
        ("tests/test_ledger.py", "tests/test_ledger_rules.py"),
    ),
    Bug(
        "query: the rate limiter forgets the oldest client, not the quietest",
        "station/query/ratelimit.py",
        "        self._buckets[key] = (tokens, now)\n        self._buckets.move_to_end(key)\n",
        "        self._buckets[key] = (tokens, now)\n",
        ("tests/test_query_units.py", "tests/test_query_rules.py"),
    ),
    Bug(
        "pickup: a roll that is not closed is accepted",
        "station/pickup.py",
        'if roll["closed_at"] is None or any(',
        "if any(",
        ("tests/test_pickup.py", "tests/test_pickup_rules.py"),
    ),
    Bug(
        "pickup: another station's pickup may be undone",
        "station/pickup.py",
        '    if pickup["station"] != home.config.station.id:\n',
        "    if False:\n",
        ("tests/test_pickup.py", "tests/test_pickup_rules.py"),
    ),
    Bug(
        "pickup: the undo window counted in hours",
        "station/pickup.py",
        "timedelta(minutes=window_min)",
        "timedelta(hours=window_min)",
        ("tests/test_pickup.py", "tests/test_pickup_rules.py"),
    ),
    Bug(
        "binding: a code of another product of the same enterprise is bound",
        "station/lots.py",
        'if order["enterprise_id"] != lot["enterprise_id"] or order["product_id"] != lot["product_id"]:',
        'if order["enterprise_id"] != lot["enterprise_id"]:',
        ("tests/test_pickup.py", "tests/test_pickup_rules.py"),
    ),
    Bug(
        "printer: TSPL ribbon out read as online",
        "drivers/printers/status.py",
        '    if b & 0x08:\n        return PrinterStatus(PrinterState.ERROR, Detail.RIBBON_OUT, reply)\n',
        "",
        ("tests/test_printers.py", "tests/test_printer_status_rules.py"),
    ),
    Bug(
        "printer: the TSPL gap fixed at 2 mm",
        "drivers/printers/encoders.py",
        'f"GAP {options.gap_mm:g} mm,0 mm"',
        '"GAP 2 mm,0 mm"',
        ("tests/test_printers.py", "tests/test_printer_bytes.py"),
    ),
    Bug(
        "export: @ no longer makes a cell a formula",
        "station/export.py",
        '("=", "+", "-", "@", "\\t", "\\r")',
        '("=", "+", "-", "\\t", "\\r")',
        ("tests/test_exchange.py", "tests/test_export_rules.py"),
    ),
    Bug(
        "run: a roll header's first and last code swapped",
        "station/run.py",
        '"roll.first": group(make_code(self.home.key, codes[0])),\n'
        '            "roll.last": group(make_code(self.home.key, codes[-1])),',
        '"roll.first": group(make_code(self.home.key, codes[-1])),\n'
        '            "roll.last": group(make_code(self.home.key, codes[0])),',
        ("tests/test_run_rolls.py",),
    ),
    Bug(
        "run: a roll header's count one short",
        "station/run.py",
        '"roll.count": str(len(codes)),',
        '"roll.count": str(len(codes) - 1),',
        ("tests/test_run_rolls.py",),
    ),
)


def _copy_tree(into: Path) -> None:
    for name in COPY:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, into / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, into / name)


def check(bug: Bug) -> tuple[str, float]:
    """'killed', 'SURVIVED' or 'STALE' (the edit no longer applies), and the seconds it took."""
    started = time.monotonic()
    source = (REPO / bug.path).read_text(encoding="utf-8")
    if source.count(bug.old) != 1:
        return "STALE", 0.0
    with tempfile.TemporaryDirectory(prefix="named-bug-") as tmp:
        root = Path(tmp)
        _copy_tree(root)
        (root / bug.path).write_text(source.replace(bug.old, bug.new), encoding="utf-8")
        tests = [name for name in bug.tests if (root / name).exists()]
        env = dict(os.environ, STATION_NO_POSTGRES="1", PYTHONDONTWRITEBYTECODE="1")
        cmd = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-m", "not slow", *tests]
        done = subprocess.run(cmd, cwd=root, env=env, capture_output=True, text=True, check=False)
    if done.returncode == 0:
        return "SURVIVED", time.monotonic() - started
    if done.returncode != 1:  # not a test failure: collection error, usage error
        return f"ERROR (pytest exit {done.returncode})", time.monotonic() - started
    return "killed", time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-k", default="", help="only the bugs whose name contains this")
    args = parser.parse_args()
    failed = 0
    for bug in BUGS:
        if args.k not in bug.name:
            continue
        verdict, seconds = check(bug)
        failed += verdict != "killed"
        print(f"{verdict:<9} {seconds:5.1f} s  {bug.name}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
