"""The core entry points the command, the app and the demo share: starting a run, finishing a pickup, what a scan
names, which products may be issued codes, and reading a verification manifest."""

from __future__ import annotations

import socket
from dataclasses import replace
from pathlib import Path

import pytest

from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from station.codes import make_code
from station.errors import RegistryError, VerifyError
from station.home import Home
from station.issue import issuable_products, issue_codes
from station.labels.values import roll_id
from station.ledger import State
from station.pickup import PickupDone, PickupSession, describe_scan, finish_pickup, scan_target, slip_number
from station.registry import add_enterprise, add_product, review_enterprise, set_blacklisted
from station.run_setup import open_run, run_options
from station.texts import t
from station.verify.camera import configured_camera
from station.verify.manifest import ManifestRow, read_manifest
from tests.printer_helpers import wait_labels
from tests.run_helpers import REACHABLE_URL, print_line


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _finished_roll(home: Home, enterprise: int, product: int, verified: int, voided: int) -> tuple[str, list[int]]:
    """A closed roll of a new order: ``verified`` good labels, then ``voided`` rejected ones."""
    ledger = home.ledger
    order = issue_codes(home, enterprise, product, verified + voided).order
    run = ledger.create_run(order, "trace-40x30", 10, "tcp://127.0.0.1:9", "none")
    rid = roll_id(order, 1)
    ledger.open_roll(run, rid, 1)
    serials = ledger.codes_in_state(order, State.ISSUED, limit=verified + voided)
    for n, serial in enumerate(serials):
        ledger.print_on_roll(serial, rid, {"run": run})
        ledger.transition(serial, "verify" if n < verified else "reject")
    ledger.close_roll(rid)
    return rid, serials


# --- issuing ----------------------------------------------------------------------------------------------


def test_issuable_products_skip_pending_and_blacklisted_enterprises(home: Home) -> None:
    ledger = home.ledger
    approved = add_enterprise(ledger, "牟定县甲腐乳厂", "91532323MA6N0FRU1E")
    pending = add_enterprise(ledger, "牟定县乙合作社", "91110000600037341L")
    banned = add_enterprise(ledger, "牟定县丙经营部", "91440300MA5D8WQ21P")
    review_enterprise(ledger, approved, "approve")
    review_enterprise(ledger, banned, "approve")
    first = add_product(ledger, approved, "牟定腐乳", "532323101001", "532323")
    add_product(ledger, pending, "牟定核桃", "532323102003", "532323")
    spice = add_product(ledger, banned, "牟定花椒", "532323103002", "532323")
    second = add_product(ledger, approved, "牟定油腐乳", "532323101002", "532323")
    first_row, second_row = (
        (approved, "牟定县甲腐乳厂", first, "牟定腐乳"),
        (approved, "牟定县甲腐乳厂", second, "牟定油腐乳"),
    )
    assert issuable_products(ledger) == [first_row, (banned, "牟定县丙经营部", spice, "牟定花椒"), second_row]
    set_blacklisted(ledger, banned, True, "以次充好")
    assert issuable_products(ledger) == [first_row, second_row]


# --- finishing a pickup -----------------------------------------------------------------------------------


def test_an_accepted_scan_carries_its_roll_figures(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    first, _ = _finished_roll(home, eid, pid, 3, 1)
    second, _ = _finished_roll(home, eid, pid, 2, 0)
    session = PickupSession(home, eid, "李四")
    one = session.scan(first)
    two = session.scan(second)
    assert (one.roll, one.labels, one.accepted) == (first, 3, 1)
    assert (two.roll, two.labels, two.accepted) == (second, 2, 2)
    again = session.scan(first)
    assert not again.ok and (again.roll, again.labels, again.accepted) == (None, None, None)


def test_finish_pickup_hands_over_and_prints_the_slip(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    rid, _ = _finished_roll(home, eid, pid, 3, 1)
    session = PickupSession(home, eid, "李四")
    assert session.scan(rid).ok
    receipt = VirtualPrinter("escpos")
    with TcpPrinterServer(receipt) as server:
        done = finish_pickup(session, server.uri)
        wait_labels(receipt, 1)
    assert done.pickup_id is not None
    assert done == PickupDone(done.pickup_id, [rid], 3, "李四", slip_number(done.pickup_id), None)
    assert home.ledger.pickup(done.pickup_id)["rolls"] == [rid]
    assert done.summary() == t("pickup.done", slip=slip_number(done.pickup_id), rolls=1, codes=3, receiver="李四")


def test_a_slip_that_fails_to_print_leaves_the_pickup_recorded(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    rid, _ = _finished_roll(home, eid, pid, 2, 0)
    session = PickupSession(home, eid, "李四")
    assert session.scan(rid).ok
    done = finish_pickup(session, f"socket://127.0.0.1:{_closed_port()}")
    assert done.pickup_id is not None and done.slip is None
    assert done.slip_error is not None and done.slip_error.key
    assert home.ledger.roll_pickup(rid) is not None


def test_a_pickup_without_rolls_makes_nothing_and_prints_no_slip(seeded: tuple[Home, int, int]) -> None:
    home, eid, _ = seeded
    done = finish_pickup(PickupSession(home, eid, "李四"), f"socket://127.0.0.1:{_closed_port()}")
    assert done == PickupDone(None, [], 0, "李四")
    assert done.summary() == t("pickup.nothing")


# --- what a scan names ------------------------------------------------------------------------------------


def test_a_scan_names_a_roll_or_a_code(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    rid, serials = _finished_roll(home, eid, pid, 1, 1)
    good, voided = (make_code(home.key, s) for s in serials)
    assert scan_target(f" {rid}\r\n") == ("roll", rid)
    assert scan_target(f"https://trace.example.org/c/{good}") == ("code", good)
    assert scan_target(good) == ("code", good)
    assert describe_scan(home, rid) == t("dev.scan_roll")
    assert describe_scan(home, f"https://trace.example.org/c/{good}") == t("dev.scan_code", state=t("state.verified"))
    assert describe_scan(home, voided) == t("dev.scan_code", state=t("state.voided"))
    assert describe_scan(home, "HELLO-123") == t("dev.scan_foreign")


# --- starting a run ---------------------------------------------------------------------------------------


def test_run_options_take_the_settings_and_the_callers_choices(home: Home) -> None:
    config = home.config
    config = replace(
        config,
        labels=replace(config.labels, template="roll-header-40x30"),
        verify=replace(config.verify, min_grade=3.0, frame_timeout_s=4.0),
    )
    options = run_options(config, 7)
    assert (options.order_id, options.template, options.roll_size, options.min_grade) == (
        7,
        "roll-header-40x30",
        500,
        3.0,
    )
    assert (options.max_consecutive_rejects, options.frame_timeout_s, options.fault_timeout_s) == (3, 4.0, None)
    chosen = run_options(config, 7, template="trace-40x30", roll_size=10, max_rejects=5, fault_timeout_s=30)
    assert (chosen.template, chosen.roll_size, chosen.max_consecutive_rejects, chosen.fault_timeout_s) == (
        "trace-40x30",
        10,
        5,
        30,
    )


def test_the_configured_camera_gets_the_configured_latency(home: Home, tmp_path: Path) -> None:
    config = replace(home.config, verify=replace(home.config.verify, latency_s=0.35, camera=f"dir://{tmp_path}"))
    with configured_camera(config) as camera:
        assert camera.uri == f"dir://{tmp_path}" and camera.latency_s == 0.35
    (tmp_path / "other").mkdir()
    with configured_camera(config, f"dir://{tmp_path}/other") as camera:
        assert camera.uri == f"dir://{tmp_path}/other" and camera.latency_s == 0.35


def test_open_run_opens_the_given_printer_and_camera(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    home.config = replace(home.config, codes=replace(home.config.codes, base_url=REACHABLE_URL))
    order = issue_codes(home, eid, pid, 2).order
    options = run_options(home.config, order, roll_size=2, fault_timeout_s=20)
    with (
        print_line() as line,
        open_run(home, options, printer_uri=line.server.uri, lang="tspl", camera_uri=line.camera.url) as run,
    ):
        assert (run.printer.uri, run.printer.lang) == (line.server.uri, "tspl")
        assert (run.camera.uri, run.camera.latency_s) == (line.camera.url, home.config.verify.latency_s)
        report = run.execute()
    assert (report.status, report.verified, report.target) == ("done", 2, 2)


def test_resuming_needs_an_interrupted_run(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    order = issue_codes(home, eid, pid, 2).order
    with pytest.raises(RegistryError) as err, open_run(home, run_options(home.config, order), resume=True):
        pass
    assert err.value.key == "run.nothing_to_resume"


# --- the verification manifest ----------------------------------------------------------------------------


def test_a_manifest_gives_its_rows_with_paths_beside_it(tmp_path: Path) -> None:
    manifest = tmp_path / "photos" / "m.csv"
    manifest.parent.mkdir()
    manifest.write_text("\ufeffImage, Payload\n\na.png,https://x/1\n ,\n sub/b.png ,https://x/2, 1234 \n", "utf-8")
    assert read_manifest(manifest) == [
        ManifestRow("a.png", (tmp_path / "photos" / "a.png").resolve(), "https://x/1"),
        ManifestRow(" sub/b.png ", (tmp_path / "photos" / "sub" / "b.png").resolve(), "https://x/2", " 1234 "),
    ]


def test_a_bad_manifest_is_refused_with_its_reason(tmp_path: Path) -> None:
    with pytest.raises(VerifyError) as missing:
        read_manifest(tmp_path / "none.csv")
    assert missing.value.key == "verify.manifest_unreadable"
    short = tmp_path / "short.csv"
    short.write_text("image,payload\na.png,https://x/1\nb.png\n", "utf-8")
    with pytest.raises(VerifyError) as bad:
        read_manifest(short)
    assert bad.value.key == "verify.bad_row" and bad.value.params == {"n": 2, "file": short}
