"""Several print lines printing one order side by side: two printer emulators on loopback, each filmed by its own
virtual camera. What each printer printed is read back from its emulator, so the test sees which printer every roll
and every roll label came out of."""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from drivers.emulators.printer import PrinterFaults
from station.codes import make_code, payload
from station.config import Config, config_from_mapping
from station.errors import ConfigError
from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.lines import PrintLines
from station.roll_ids import make_roll_id
from station.run import RunReport
from station.run_plan import RollPlan
from station.run_setup import open_run, run_options
from tests.conftest import STATION
from tests.run_helpers import REACHABLE_SETTINGS, Line, kill_each_start, order, print_line, printed_payloads


def _two_lines(tmp_path: Path, lines: list[Line]) -> None:
    """Settings naming both emulated lines: the first as [printer] uri and [verify] camera, the second in more_lines."""
    (tmp_path / "home").mkdir(mode=0o700, exist_ok=True)
    (tmp_path / "home" / "station.toml").write_text(
        REACHABLE_SETTINGS
        + f'[printer]\nuri = "{lines[0].server.uri}"\nmore_lines = "{lines[1].server.uri} {lines[1].camera.url}"\n'
        + f'[verify]\ncamera = "{lines[0].camera.url}"\nlatency_s = 0.05\n',
        encoding="utf-8",
    )


def _execute(home: Home, order_id: int, updates: list[tuple[RunReport, str]] | None = None, **choices: Any) -> Any:
    """Run the order on the configured lines, asked to stop after 40 s: a run that never ends fails, never hangs."""
    options = run_options(home.config, order_id, **choices)
    seen = updates if updates is not None else []
    with open_run(home, options, on_update=lambda report, what: seen.append((report, what))) as run:
        assert isinstance(run, PrintLines)
        watchdog = threading.Timer(40.0, run.stop)
        watchdog.start()
        try:
            return run.execute()
        finally:
            watchdog.cancel()


def _where_printed(home: Home, order_id: int, lines: list[Line]) -> dict[str, set[int]]:
    """For each roll of the order: the lines (0, 1) its good labels and its own label came out of."""
    base = home.ledger.order(order_id)["base_url"]
    printed = [printed_payloads(line.printer) for line in lines]
    where: dict[str, set[int]] = {}
    for roll in home.ledger.rolls(order_id):
        found: set[int] = set()
        for _, serial, state in roll["labels"]:
            text = roll["id"] if serial is None else payload(base, make_code(home.key, serial))
            if serial is not None and state is not State.VERIFIED:
                continue
            found |= {i for i, counts in enumerate(printed) if counts[text]}
        where[roll["id"]] = found
    return where


def test_two_lines_print_one_order_each_roll_whole_on_one_printer(tmp_path: Path) -> None:
    with print_line() as first, print_line() as second:
        lines = [first, second]
        _two_lines(tmp_path, lines)
        home, order_id = order(tmp_path, 12)
        updates: list[tuple[RunReport, str]] = []
        report = _execute(home, order_id, updates, roll_size=3)

        assert report.status == "done", report.reason
        assert report.verified == 12 and len(report.lines) == 2
        assert all(line.verified_now > 0 and line.status == "done" for line in report.lines)
        ledger = home.ledger
        counts = ledger.order_state_counts(order_id)
        assert counts.get(State.VERIFIED, 0) == 12 and set(counts) <= {State.VERIFIED, State.VOIDED}
        # no code came out twice, on one printer or across both
        base = ledger.order(order_id)["base_url"]
        both = [printed_payloads(line.printer) for line in lines]
        codes = [p for counts_ in both for p, n in counts_.items() for _ in range(n) if "/c/" in p]
        assert len(codes) == len(set(codes))
        verified = {
            payload(base, make_code(home.key, s)) for s, st in ledger.order_codes(order_id) if st is State.VERIFIED
        }
        assert verified <= set(codes)
        # four rolls of three, numbered once each, every roll and its own label on one printer, both printers used
        rolls = ledger.rolls(order_id)
        assert [r["number"] for r in rolls] == [1, 2, 3, 4]
        assert all(sum(1 for _, s, st in r["labels"] if st is State.VERIFIED) == 3 for r in rolls)
        assert all(r["closed_at"] is not None and r["header_at"] is not None for r in rolls)
        where = _where_printed(home, order_id, lines)
        assert all(len(found) == 1 for found in where.values()), where
        assert {i for found in where.values() for i in found} == {0, 1}, where
        # each line its own run, named by its own printer; the two printed at the same time
        runs = ledger.runs_of(order_id)
        assert sorted(r["printer"] for r in runs) == sorted([first.server.uri, second.server.uri])
        assert all(r["status"] == "done" for r in runs)
        spans = [(line.printer.labels[0].at, line.printer.labels[-1].at) for line in lines]
        assert max(s[0] for s in spans) < min(s[1] for s in spans), spans
        # the screen heard each line by name, and the order's end once
        assert {r.line for r, _ in updates for r in r.lines} == {1, 2}
        assert [what for _, what in updates].count("done") == 1
        assert ledger.verify_audit().ok


def test_a_line_that_stops_keeps_its_roll_and_a_resume_finishes_it_on_the_same_printer(tmp_path: Path) -> None:
    with print_line() as first, print_line(faults=PrinterFaults(paper_out_after=2)) as second:
        lines = [first, second]
        _two_lines(tmp_path, lines)
        home, order_id = order(tmp_path, 12)
        report = _execute(home, order_id, roll_size=3, fault_timeout_s=2)

        assert report.status == "paused"
        assert str(second.server.uri) in report.reason or "2" in report.reason
        paused = [line for line in report.lines if line.status == "paused"]
        assert len(paused) == 1 and paused[0].printer == second.server.uri
        ledger = home.ledger
        open_rolls = [r for r in ledger.rolls(order_id) if r["closed_at"] is None]
        assert len(open_rolls) == 1  # the stopped printer's roll, waiting for it
        assert ledger.unfinished_run(order_id) is not None

        second.printer.load_paper()
        again = _execute(home, order_id, roll_size=3, fault_timeout_s=5)
        assert again.status == "done", again.reason
        counts = ledger.order_state_counts(order_id)
        assert counts.get(State.VERIFIED, 0) == 12 and set(counts) <= {State.VERIFIED, State.VOIDED}
        where = _where_printed(home, order_id, lines)
        assert where[open_rolls[0]["id"]] == {1}, where  # finished on the printer it was started on
        assert all(len(found) == 1 for found in where.values()), where
        assert ledger.unfinished_run(order_id) is None
        assert ledger.verify_audit().ok


@pytest.mark.all_backends
def test_codes_taken_by_two_connections_at_once_are_never_the_same(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    order_id = issue_codes(home, eid, pid, 60).order
    ledger = home.ledger
    run_id = ledger.create_run(order_id, "trace-40x30", 30, "socket://127.0.0.1:1", "x")
    for number in (1, 2):
        ledger.open_roll(run_id, f"R{order_id:06d}{number:04d}", number)
    taken: list[list[int]] = [[], []]

    def take(index: int) -> None:
        with Home.open(home.path, operator="tester") as own:
            for _ in range(40):  # 80 in all from an order of 60: 20 are drawn as replacements
                serial, _ = own.ledger.print_next_on_roll(order_id, f"R{order_id:06d}{index + 1:04d}", {}, 10**9)
                taken[index].append(serial)

    threads = [threading.Thread(target=take, args=(i,)) for i in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    everything = taken[0] + taken[1]
    assert len(everything) == 80 and len(set(everything)) == 80
    assert ledger.codes_in_state(order_id, State.PRINTED) == sorted(everything)
    for index, serials in enumerate(taken):  # positions on each roll follow the order the codes were taken
        roll = ledger.roll(f"R{order_id:06d}{index + 1:04d}")
        assert [s for _, s, _ in roll["labels"][1:]] == serials


@pytest.mark.parametrize("roll_size", [1, 3, 5, 500])
@pytest.mark.parametrize("done_elsewhere", [0, 4])
def test_the_rolls_quotas_hold_the_order_exactly(roll_size: int, done_elsewhere: int) -> None:
    plan = RollPlan(1, 13, roll_size, done_elsewhere, 7)
    taken_up = plan.take_up(2)  # a roll left open with two good labels, printed on further
    assert taken_up == min(roll_size, 13 - done_elsewhere)
    opened = []
    while (roll := plan.next_roll()) is not None:
        opened.append(roll)
    quotas = [q for _, q in opened]
    assert [n for n, _ in opened] == list(range(8, 8 + len(opened)))  # numbered on from the highest so far
    assert done_elsewhere + max(taken_up, 2) + sum(quotas) == 13
    assert all(q == roll_size for q in quotas[:-1]) and all(0 < q <= roll_size for q in quotas)
    assert plan.covered() and plan.next_roll() is None and plan.rolls_total() == 7 + len(opened)


def test_a_printer_or_camera_named_twice_is_refused() -> None:
    base = {"printer": {"uri": "socket://10.0.0.5:9100"}, "verify": {"camera": "/dev/video0"}}
    two_usb = "usb://1fc9:2016?serial=A1 /dev/video1; usb://1fc9:2016?serial=B2 /dev/video2"  # two of one model
    assert len(config_from_mapping({**base, "printer": {**base["printer"], "more_lines": two_usb}}).lines()) == 3
    fine = config_from_mapping(
        {**base, "printer": {**base["printer"], "more_lines": "socket://10.0.0.6:9100 /dev/video1"}}
    )
    assert fine.lines() == [("socket://10.0.0.5:9100", "/dev/video0"), ("socket://10.0.0.6:9100", "/dev/video1")]
    assert Config().lines() == [(Config().printer.uri, Config().verify.camera)]
    for more in (
        "socket://10.0.0.5:9100 /dev/video1",  # the first line's printer
        "socket://10.0.0.6:9100 /dev/video0",  # the first line's camera
        "socket://10.0.0.6:9100 /dev/video1; socket://10.0.0.6:9100 /dev/video2",
        "socket://10.0.0.5 /dev/video1",  # the first line's printer: 9100 is the port when none is given
        "SOCKET://10.0.0.5:9100 /dev/video1",
        "socket://10.0.0.6:9100 video://0",  # the first line's camera, another way to write it
        "serial:///dev/ttyUSB0?baudrate=9600 /dev/video1; serial:///dev/ttyUSB0?baudrate=19200 /dev/video2",
        "usb://1FC9:2016 /dev/video1; usb://1fc9:2016 /dev/video2",
        "socket://10.0.0.6:9100 http://10.0.0.9/v; socket://10.0.0.7:9100 http://10.0.0.9/v",
        "socket://10.0.0.6:9100",  # no camera
        "socket://10.0.0.6:9100 /dev/video1 /dev/video2",
        "10.0.0.6:9100 /dev/video1",  # not a printer URI
    ):
        with pytest.raises(ConfigError) as err:
            config_from_mapping({**base, "printer": {**base["printer"], "more_lines": more}})
        assert "more_lines" in err.value.message or "10.0.0." in err.value.message, (more, err.value.message)


def _station(tmp_path: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "STATION_HOME": str(tmp_path / "home"), "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run([STATION, *args], env=env, capture_output=True, text=True, timeout=timeout)


def test_the_command_prints_on_every_configured_line_and_names_each(tmp_path: Path) -> None:
    with print_line() as first, print_line() as second:
        _two_lines(tmp_path, [first, second])
        home, order_id = order(tmp_path, 6)
        eid, pid = home.ledger.order(order_id)["enterprise_id"], home.ledger.order(order_id)["product_id"]
        other = issue_codes(home, eid, pid, 4).order
        home.close()
        result = _station(tmp_path, "run", "--order", str(order_id), "--roll-size", "2", "--json")
        assert result.returncode == 0, result.stderr + result.stdout
        lines = json.loads(result.stdout)["lines"]
        assert [(line["line"], line["status"]) for line in lines] == [(1, "done"), (2, "done")]
        assert sum(line["verified_this_run"] for line in lines) == 6
        assert {line["printer"] for line in lines} == {first.server.uri, second.server.uri}
        said = _station(tmp_path, "--lang", "zh", "run", "--order", str(other), "--roll-size", "2")
        assert said.returncode == 0, said.stderr + said.stdout
        assert f"第 1 号线 {first.server.uri}" in said.stdout and f"第 2 号线 {second.server.uri}" in said.stdout


def test_two_lines_killed_at_any_moment_leave_every_code_once_and_every_roll_on_one_printer(tmp_path: Path) -> None:
    with print_line(speed_mm_s=300) as first, print_line(speed_mm_s=300) as second:
        lines = [first, second]
        _two_lines(tmp_path, lines)
        home, order_id = order(tmp_path, 32)
        home.close()
        env = {**os.environ, "STATION_HOME": str(tmp_path / "home"), "PYTHONPATH": str(Path(__file__).parents[1])}
        args = [STATION, "run", "--order", str(order_id), "--roll-size", "4", "--fault-timeout", "20", "--json"]
        rng = random.Random(23)
        # each start killed a random moment after it put its first labels on a roll, whatever the machine's pace
        db = tmp_path / "home" / "ledger.sqlite3"
        kills = kill_each_start(args, env, db, rng, starts=4, labels=2, within_s=0.6)
        assert kills >= 3
        final = subprocess.run(args, env=env, capture_output=True, text=True, timeout=300)
        assert final.returncode == 0, final.stderr + final.stdout
        home = Home.open(tmp_path / "home")
        ledger = home.ledger
        counts = ledger.order_state_counts(order_id)
        assert counts.get(State.VERIFIED, 0) == 32 and set(counts) <= {State.VERIFIED, State.VOIDED}, counts
        base = ledger.order(order_id)["base_url"]
        printed = printed_payloads(first.printer) + printed_payloads(second.printer)
        for serial, state in ledger.order_codes(order_id):
            kinds = [e["kind"] for e in ledger.code_events(serial, order_id) if e["serial"] == serial]
            if state is State.VERIFIED:
                assert kinds == ["code.print", "code.verify"], (serial, kinds)
                assert printed[payload(base, make_code(home.key, serial))] == 1  # out once, on one printer
            else:
                assert "code.verify" not in kinds, (serial, kinds)
        rolls = ledger.rolls(order_id)
        assert [r["number"] for r in rolls] == list(range(1, len(rolls) + 1))
        assert all(r["closed_at"] is not None and r["header_at"] is not None for r in rolls)
        where = _where_printed(home, order_id, lines)
        assert all(len(found) == 1 for found in where.values()), where
        assert ledger.unfinished_run(order_id) is None
        assert ledger.verify_audit().ok


def test_a_roll_taken_up_with_a_label_in_flight_gives_back_what_that_label_did_not_become() -> None:
    plan = RollPlan(1, 5, 2, 0, 1)
    assert plan.take_up(2, waiting=1) == 2  # full already, but the label under the camera may make it three
    assert plan.next_roll() == (2, 2)
    assert plan.next_roll() is None  # 3 + 2 cover the five
    plan.closed(3, 2)  # the label in flight failed: the roll holds two
    assert not plan.covered() and plan.next_roll() == (3, 1)
    plan.closed(1, 1)
    assert plan.covered() and plan.rolls_total() == 3


def test_a_complete_roll_left_without_its_label_gets_it_from_the_printer_it_came_out_of(tmp_path: Path) -> None:
    with print_line() as first, print_line() as second:
        lines = [first, second]
        _two_lines(tmp_path, lines)
        home, order_id = order(tmp_path, 4)
        ledger = home.ledger
        # the second printer filled a roll of two; the station stopped before the roll's own label went out
        run_id = ledger.create_run(order_id, "trace-40x30", 2, second.server.uri, second.camera.url)
        roll = make_roll_id(order_id, 1)
        ledger.open_roll(run_id, roll, 1)
        for serial in ledger.codes_in_state(order_id, State.ISSUED, limit=2):
            ledger.print_on_roll(serial, roll, {"run": run_id})
            ledger.transition(serial, "verify", {"grade": 3.5, "letter": "A", "frame": 1})
        ledger.close_roll(roll)
        report = _execute(home, order_id, roll_size=2)
        assert report.status == "done", report.reason
        assert printed_payloads(second.printer)[roll] == 1 and printed_payloads(first.printer)[roll] == 0
        assert ledger.roll(roll)["header_at"] is not None and ledger.run(run_id)["status"] == "done"
        assert ledger.order_state_counts(order_id).get(State.VERIFIED) == 4


async def test_the_print_screen_shows_each_line_as_the_order_prints(tmp_path: Path) -> None:
    import asyncio

    from station.tui.app import make_app
    from tests.test_no_internal_words import internal_words

    with print_line() as first, print_line() as second:
        _two_lines(tmp_path, [first, second])
        home, order_id = order(tmp_path, 6)
        home.close()
        home = Home.open(tmp_path / "home")
        app = make_app(home)
        async with app.run_test(size=(160, 45)) as pilot:
            await pilot.press("f12")  # 中文
            await pilot.press("f5")  # the waiting order is first in the list
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.press("enter")
            deadline = time.monotonic() + 60
            while home.ledger.order_state_counts(order_id).get(State.VERIFIED, 0) < 6:
                assert time.monotonic() < deadline, "the run never finished"
                await asyncio.sleep(0.05)
            await app.workers.wait_for_complete()
            await pilot.pause()
            status = str(app.screen.query_one("#status").render())
        home.close()
    assert f"第 1 号线 {first.server.uri}" in status and f"第 2 号线 {second.server.uri}" in status
    assert status.count("完成") >= 3, status  # the order, and each line
    assert internal_words(status, set()) == [], status


async def test_the_devices_screen_shows_every_lines_printer(tmp_path: Path) -> None:
    from station.texts import t
    from station.tui.app import make_app

    with print_line() as first, print_line() as second:
        _two_lines(tmp_path, [first, second])
        home, _ = order(tmp_path, 1)
        home.close()
        panels = []
        for out_of_paper in (False, True):
            second.printer.faults.paper_out_after = 0 if out_of_paper else None
            app = make_app(Home.open(tmp_path / "home"))
            async with app.run_test(size=(160, 40)) as pilot:
                await pilot.press("f9")
                await app.workers.wait_for_complete()
                await pilot.pause()
                panel = app.screen.query_one("#printer")
                panels.append((str(panel.render()), panel.has_class("bad")))
        printers, camera = (first.server.uri, second.server.uri), second.camera.url
    (ready, bad_ready), (empty, bad_empty) = panels
    assert printers[0] in ready and f"2: {printers[1]}" in ready and camera in ready
    assert ready.count(t("pstate.online")) == 2 and not bad_ready
    assert t("pstate.paper_out") in empty.split("\n")[-1] and bad_empty  # the second line's printer is out of paper
