"""Mutation testing over the modules that carry the station's promises (`make mutate`).

Runs mutmut (configured in pyproject.toml, [tool.mutmut]) over the areas below, then prints the share of mutants
killed per area and writes every surviving mutant, with its diff, to artifacts/mutation-report.md.

    .venv/bin/python scripts/mutate.py                 # every area
    .venv/bin/python scripts/mutate.py codes pickup    # some areas only (names as in AREAS)
    .venv/bin/python scripts/mutate.py --report-only   # the figures of the last run, nothing run again

A mutant counts as killed when a test failed (or timed out) with it in place. "No tests" (no test reaches the
mutated function) counts as survived: a function no test reaches is a function no test guards. Accepted survivors
(equivalent mutants, or not worth a test) are listed with the reason in docs/testing.md.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
REPORT = REPO / "artifacts" / "mutation-report.md"
GOAL = 0.85


@dataclass(frozen=True)
class Area:
    """One promise-carrying area: a source file and, where only part of the file is the area, its functions."""

    name: str
    path: str
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


AREAS = (
    Area("codes", "station/codes.py"),
    Area("lifecycle", "station/ledger/lifecycle.py"),
    Area("audit", "station/ledger/audit.py"),
    Area("ledger", "station/ledger/sql.py"),
    Area("lots", "station/ledger/trace.py"),
    Area("rolls", "station/ledger/runs.py"),
    Area("pickup", "station/pickup.py"),
    Area("registry", "station/registry.py"),
    Area("query-serials", "station/query/serials.py"),
    Area("query-check", "station/query/answer.py", ("xǁAnswererǁ_check*", "xǁAnswererǁ_judge*", "xǁAnswererǁanswer*")),
    Area("ratelimit", "station/query/ratelimit.py"),
    Area("printer-status", "drivers/printers/status.py"),
    Area("encoders", "drivers/printers/encoders.py"),
    Area("export", "station/export.py"),
    Area("run", "station/run.py"),
    Area("defects", "station/verify/defects.py"),
    Area("grade", "station/verify/grade.py"),
    Area("scanner-framing", "drivers/scanners/__init__.py", ("xǁFramerǁ*",)),  # the framing, not the pty loop
)

KILLED = {1, 3, 36, -24, 24, 152, 255, 37}  # a test failed, pytest errored, timed out, or the type check caught it
SKIPPED = {34}


def results() -> dict[str, int | None]:
    """mutant name -> mutmut's exit code, from the meta files of the last run."""
    found: dict[str, int | None] = {}
    for area in {a.path for a in AREAS}:
        meta = REPO / "mutants" / (area + ".meta")
        if meta.exists():
            found.update(json.loads(meta.read_text("utf-8"))["exit_code_by_key"])
    return found


def diff(mutant: str, path: str) -> str:
    """The mutant's diff as mutmut shows it (read from the mutants/ copy)."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        return get_diff_for_mutant(mutant, path=path)
    except Exception as err:  # noqa: BLE001 - a report line, never a reason to stop the report
        return f"(no diff: {err})"
    finally:
        os.chdir(cwd)


def report(selected: list[Area]) -> bool:
    """Print the score per area, write the survivors; True when every selected area reaches the goal."""
    codes = results()
    lines = ["# Mutation report", "", "| area | file | killed | total | score |", "|---|---|---|---|---|"]
    survivors: list[str] = []
    all_ok = True
    print(f"{'area':<16} {'killed':>7} {'total':>6} {'score':>7}")
    for area in selected:
        mine = {name: code for name, code in codes.items() if area.covers(name)}
        counted = {name: code for name, code in mine.items() if code not in SKIPPED}
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
                survivors.append(f"## {name} ({status})\n\n```diff\n{diff(name, area.path)}\n```\n")
    REPORT.parent.mkdir(exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n\n# Survivors\n\n" + "\n".join(survivors), encoding="utf-8")
    print(f"survivors: {len(survivors)}, written to {REPORT.relative_to(REPO)}")
    return all_ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("areas", nargs="*", help="areas to run (default: all): " + ", ".join(a.name for a in AREAS))
    parser.add_argument("--report-only", action="store_true", help="only report the last run")
    parser.add_argument("--max-children", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    names = {a.name: a for a in AREAS}
    unknown = [n for n in args.areas if n not in names]
    if unknown:
        parser.error(f"unknown area(s): {', '.join(unknown)}")
    selected = [names[n] for n in args.areas] or list(AREAS)
    if not args.report_only:
        # always by name: a file's other functions (a scanner's pty loop, the query pages) would take hours
        patterns = sorted({f"{a.module}.{f}" for a in selected for f in a.functions or ("*",)})
        env = dict(os.environ, STATION_NO_POSTGRES="1")  # the PostgreSQL twins repeat the SQLite tests' checks
        mutmut = str(Path(sys.executable).with_name("mutmut"))
        cmd = [mutmut, "run", "--max-children", str(args.max_children), *patterns]
        done = subprocess.run(cmd, cwd=REPO, env=env, check=False, stdout=subprocess.DEVNULL)
        if done.returncode not in (0, 1):
            print(f"mutate: mutmut run exited {done.returncode}", file=sys.stderr)
            return done.returncode
    return 0 if report(selected) else 1


if __name__ == "__main__":
    sys.exit(main())
