"""Mutation testing over the modules that carry the station's promises (`make mutate`).

Runs mutmut over the areas below, then prints the share of mutants killed per area and writes every surviving
mutant, with its diff, to artifacts/mutation-report.md. Each area is mutated in its own copy of the tree under
.mutants/AREA, with mutmut set (in that copy's pyproject.toml) to the area's functions and the test files that guard
them: with the whole suite, a mutant of a function every test reaches would rerun hundreds of tests. The copies keep
mutmut's results between runs; after changing an area's tests, run it with --fresh (mutmut may keep a verdict
reached with the old tests).

    .venv/bin/python scripts/mutate.py                 # every area
    .venv/bin/python scripts/mutate.py codes pickup    # some areas only (names as in AREAS)
    .venv/bin/python scripts/mutate.py --report-only   # the figures of the last run
    .venv/bin/python scripts/mutate.py --fresh codes   # start the area afresh (its tests changed), nothing run again

A mutant counts as killed when a test failed (or timed out) with it in place. "No tests" (no test reaches the
mutated function) counts as survived: a function no test reaches is a function no test guards. Accepted survivors
(equivalent mutants, or not worth a test) are listed with the reason in docs/testing.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORT = REPO / "artifacts" / "mutation-report.md"
WORK = REPO / ".mutants"
COPY = ("station", "drivers", "tests", "label_templates", "config", "pyproject.toml")
GOAL = 0.85


@dataclass(frozen=True)
class Area:
    """One promise-carrying area: a source file and, where only part of the file is the area, its functions."""

    name: str
    path: str
    tests: tuple[str, ...]  # the test files that guard it
    functions: tuple[str, ...] = ()  # fnmatch patterns over mutmut's mangled names (xǁClassǁmethod, x_function)

    @property
    def module(self) -> str:
        return self.path.removesuffix(".py").replace("/", ".").removesuffix(".__init__")

    def covers(self, mutant: str) -> bool:
        prefix = self.module + "."
        if not mutant.startswith(prefix):
            return False
        if not self.functions:
            return True
        function = mutant[len(prefix) :].rsplit("__mutmut_", 1)[0]
        return any(fnmatch.fnmatchcase(function, pattern) for pattern in self.functions)

    @property
    def patterns(self) -> list[str]:
        """mutmut's mutant-name patterns for the area."""
        return [f"{self.module}.{f}" for f in self.functions or ("*",)]

    @property
    def work(self) -> Path:
        return WORK / self.name


CODES = ("tests/test_codes.py", "tests/test_codes_rules.py", "tests/test_query_units.py", "tests/test_query_rules.py")
QUERY = ("tests/test_query_units.py", "tests/test_query_rules.py", "tests/test_query_store.py")
LEDGER = ("tests/test_ledger.py", "tests/test_lifecycle_rules.py", "tests/test_ledger_rules.py")
PICKUP = (
    "tests/test_pickup.py",
    "tests/test_pickup_rules.py",
    "tests/test_registry.py",
    "tests/test_registry_rules.py",
    "tests/test_workflows.py",
)
PRINTER = ("tests/test_printer_bytes.py", "tests/test_printer_status_rules.py", "tests/test_devices.py")
EXPORT = ("tests/test_exchange.py", "tests/test_export_rules.py")
# the print run's own end-to-end tests (tests/test_run.py, seconds per run) are left out for the same reason as
# test_verify.py below; tests/test_run_rolls.py prints small runs on the emulators
RUN = ("tests/test_run_rolls.py", "tests/test_run_faults.py", "tests/test_run_rules.py")
ROLLS = ("tests/test_run_rolls.py", "tests/test_export_rules.py", "tests/test_ledger.py")
# the end-to-end verification tests (tests/test_verify.py, minutes each with every covering test rerun) are left out:
# the areas' scores are what the synthetic frames of the rules files kill alone
VERIFY = ("tests/test_grade_rules.py", "tests/test_defects_rules.py")

AREAS = (
    Area("codes", "station/codes.py", CODES + ("tests/test_codec.py",)),  # the query service's code check too
    Area("lifecycle", "station/ledger/lifecycle.py", LEDGER),
    Area("audit", "station/ledger/audit.py", LEDGER),
    Area("ledger", "station/ledger/sql.py", LEDGER),
    Area("lots", "station/ledger/trace.py", PICKUP),
    Area("rolls", "station/ledger/runs.py", ROLLS),
    Area("pickup", "station/pickup.py", PICKUP),
    Area("registry", "station/registry.py", PICKUP),
    Area("lot-life", "station/lots.py", PICKUP),
    Area(
        "query-check",
        "station/query/answer.py",
        QUERY,
        ("xǁAnswererǁ_check*", "xǁAnswererǁ_judge*", "xǁAnswererǁanswer*"),
    ),
    Area("ratelimit", "station/query/ratelimit.py", QUERY),
    Area("printer-status", "drivers/printers/status.py", PRINTER),
    Area("encoders", "drivers/printers/encoders.py", PRINTER),
    Area("export", "station/export.py", EXPORT),
    # the print run's rolls: what goes on a roll, its header, replacements, the line stop and the report; the run's
    # control loop (execute, _check, pauses, camera faults) waits on real device timeouts, 20-40 s a mutant
    Area(
        "run",
        "station/run.py",
        RUN,
        (
            "xǁPrintRunǁ_current_roll*",
            "xǁPrintRunǁ_roll_codes*",
            "xǁPrintRunǁ_send_header*",
            "xǁPrintRunǁ_next_serial*",
            "xǁPrintRunǁ_send_next*",
            "xǁPrintRunǁ_reject*",
            "xǁPrintRunǁ_line_stop_check*",
            "xǁRunReportǁsummary*",
        ),
    ),
    Area("defects", "station/verify/defects.py", VERIFY),
    Area("grade", "station/verify/grade.py", VERIFY),
    # the framing, not the pty loop around it (whose tests wait on real timeouts)
    Area("scanner-framing", "drivers/scanners/__init__.py", ("tests/test_scanner_framing.py",), ("xǁFramerǁ*",)),
)

KILLED = {1, 3, 36, -24, 24, 152, 255, 37, -11}  # a test failed, pytest errored, timed out, crashed, or mypy caught it
SKIPPED = {34}


def prepare(area: Area) -> None:
    """The area's copy of the tree (refreshed from the working tree), with mutmut set to the area alone."""
    area.work.mkdir(parents=True, exist_ok=True)
    for name in COPY:
        source, target = REPO / name, area.work / name
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target)
    text = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    head, _, rest = text.partition("[tool.mutmut]")
    tail = rest[rest.find("\n[") :] if "\n[" in rest else ""
    settings = (
        "[tool.mutmut]\n"
        'source_paths = ["station/", "drivers/"]\n'
        f"only_mutate = {json.dumps([area.path])}\n"
        'also_copy = ["label_templates/", "config/"]\n'
        'pytest_add_cli_args = ["-q", "-p", "no:cacheprovider", "-m", "not slow"]\n'
        f"pytest_add_cli_args_test_selection = {json.dumps([t for t in area.tests if (REPO / t).exists()])}\n"
    )
    (area.work / "pyproject.toml").write_text(head + settings + tail, encoding="utf-8")


def run(area: Area, max_children: int) -> int:
    """mutmut over the area in its copy; mutmut's exit status."""
    prepare(area)
    env = dict(os.environ, STATION_NO_POSTGRES="1")  # the PostgreSQL twins repeat the SQLite tests' checks
    mutmut = str(Path(sys.executable).with_name("mutmut"))
    cmd = [mutmut, "run", "--max-children", str(max_children), *area.patterns]
    print(f"== {area.name}: mutmut over {area.path} with {len(area.tests)} test files", flush=True)
    return subprocess.run(cmd, cwd=area.work, env=env, check=False, stdout=subprocess.DEVNULL).returncode


def results(area: Area) -> dict[str, int | None]:
    """mutant name -> mutmut's exit code, from the meta file of the area's last run."""
    meta = area.work / "mutants" / (area.path + ".meta")
    if not meta.exists():
        return {}
    found: dict[str, int | None] = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
    return {name: code for name, code in found.items() if area.covers(name)}


def diff(mutant: str, area: Area) -> str:
    """The mutant's diff as mutmut shows it (read from the area's mutants/ copy)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    cwd = os.getcwd()
    os.chdir(area.work)
    try:
        return get_diff_for_mutant(mutant, path=area.path)
    except Exception as err:  # noqa: BLE001 - a report line, never a reason to stop the report
        return f"(no diff: {err})"
    finally:
        os.chdir(cwd)


def report(selected: list[Area]) -> bool:
    """Print the score per area, write the survivors; True when every selected area reaches the goal."""
    lines = ["# Mutation report", "", "| area | file | killed | total | score |", "|---|---|---|---|---|"]
    survivors: list[str] = []
    all_ok = True
    print(f"{'area':<16} {'killed':>7} {'total':>6} {'score':>7}")
    for area in selected:
        counted = {name: code for name, code in results(area).items() if code not in SKIPPED}
        killed = sum(1 for code in counted.values() if code in KILLED)
        total = len(counted)
        score = killed / total if total else 0.0
        unchecked = sum(1 for code in counted.values() if code is None)
        flag = "" if score >= GOAL else "  below goal"
        if unchecked:
            flag += f"  ({unchecked} not checked)"
        all_ok = all_ok and score >= GOAL
        print(f"{area.name:<16} {killed:>7} {total:>6} {score:>7.1%}{flag}")
        lines.append(f"| {area.name} | {area.path} | {killed} | {total} | {score:.1%} |")
        for name, code in sorted(counted.items()):
            if code not in KILLED:
                status = "no tests" if code in (5, 33) else "not checked" if code is None else "survived"
                survivors.append(f"## {name} ({status})\n\n```diff\n{diff(name, area)}\n```\n")
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n\n# Survivors\n\n" + "\n".join(survivors), encoding="utf-8")
    print(f"survivors: {len(survivors)}, written to {REPORT.relative_to(REPO)}")
    return all_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("areas", nargs="*", help="areas to run (default: all): " + ", ".join(a.name for a in AREAS))
    parser.add_argument("--report-only", action="store_true", help="only report the last run")
    parser.add_argument("--fresh", action="store_true", help="forget the areas' earlier results first")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    names = {a.name: a for a in AREAS}
    unknown = [n for n in args.areas if n not in names]
    if unknown:
        parser.error(f"unknown area(s): {', '.join(unknown)}")
    selected = [names[n] for n in args.areas] or list(AREAS)
    if not args.report_only:
        for area in selected:
            if args.fresh:
                shutil.rmtree(area.work, ignore_errors=True)
            status = run(area, args.max_children)
            if status not in (0, 1):
                print(f"mutate: mutmut exited {status} for {area.name}", file=sys.stderr)
                return status
    return 0 if report(selected) else 1


if __name__ == "__main__":
    sys.exit(main())
