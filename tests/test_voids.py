"""Voids and reprints: cancelling an order, voiding a roll or single codes, printing a roll header or a pickup slip
again; through the core, the real `station` command, the query service and `audit verify`. Rolls come from a real
print run on the emulators; reprints go to the printer emulators over TCP."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from station.codes import group, make_code
from station.errors import RegistryError, TransitionError
from station.home import Home
from station.issue import issue_codes
from station.labels.mark import reprint_template
from station.labels.render import Renderer
from station.labels.template import load_template
from station.ledger import State
from station.pickup import PickupSession, rolls_to_collect, slip_values
from station.texts import t, tr
from station.verify.decode import decode_zxing
from station.voids import (
    cancel_order,
    plan_cancel,
    plan_codes,
    plan_roll,
    split_codes,
    void_codes,
    void_note,
    void_roll,
)
from tests.conftest import STATION
from tests.printer_helpers import same_pixels, wait_labels
from tests.run_helpers import order, print_line
from tests.test_run import _run


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    """An order of 8 codes printed on two rolls of 4 and the first roll handed over; another order of 10 codes
    never printed. (home, printed order, unprinted order)."""
    tmp = tmp_path_factory.mktemp("voids")
    home, first = order(tmp, 8)
    with print_line() as line:
        report = _run(home, first, line, roll_size=4)
        assert report.status == "done", report.reason
    roll_1 = home.ledger.rolls(first)[0]["id"]
    session = PickupSession(home, 1, "李四")
    assert session.scan(roll_1).ok
    assert session.finish() == 1
    second = issue_codes(home, 1, 1, 10).order
    home.close()
    return tmp / "home", first, second


def _copy(printed: tuple[Path, int, int], tmp_path: Path) -> Home:
    shutil.copytree(printed[0], tmp_path / "home")
    return Home.open(tmp_path / "home", operator="clerk")


def _station(home_path: Path, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> Any:
    environment = {**os.environ, "STATION_HOME": str(home_path), "STATION_LANG": "en", **(env or {})}
    return subprocess.run(
        [STATION, "--lang", "en", *args], input=stdin, capture_output=True, text=True, env=environment, timeout=60
    )


def _partly_printed(home: Home, eid: int, pid: int, count: int = 10) -> tuple[int, list[int]]:
    """An order with codes 1, 2 and 5 (of 0..count-1) printed on a roll and verified, the others never printed."""
    ledger: Any = home.ledger
    oid = issue_codes(home, eid, pid, count).order
    serials = ledger.codes_in_state(oid, State.ISSUED)
    run = ledger.create_run(oid, "trace-40x30", 5, "socket://127.0.0.1:9100", "http://127.0.0.1:8081/stream.mjpg")
    roll = f"R{oid:06d}0001"
    ledger.open_roll(run, roll, 1)
    for i in (1, 2, 5):
        ledger.print_on_roll(serials[i], roll, {"run": run})
        ledger.transition(serials[i], "verify", {"grade": 3.5, "letter": "A"})
    ledger.set_run_status(run, "paused", "paper out")
    return oid, serials


# --- cancelling an order -----------------------------------------------------------------------------


@pytest.mark.all_backends
def test_cancelling_voids_only_the_codes_not_printed(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    oid, serials = _partly_printed(home, eid, pid)
    plan = plan_cancel(home, oid)
    assert (plan.count, plan.kept) == (7, 3)
    done = cancel_order(home, oid, "企业取消订单")
    assert done.count == 7 and done.summary() == t("void.done.order", subject=str(oid), count=7, kept=3)
    states = dict(home.ledger.order_codes(oid))
    assert [states[s] for s in serials] == [State.VOIDED, State.VERIFIED, State.VERIFIED] + [State.VOIDED] * 2 + [
        State.VERIFIED
    ] + [State.VOIDED] * 4
    cancelled = home.ledger.order_cancellation(oid)
    assert cancelled is not None and cancelled["reason"] == "企业取消订单" and cancelled["count"] == 7
    first = serials[0]
    assert cancelled["voided"] == [(first, first), (first + 3, first + 4), (first + 6, first + 9)]
    events = [e for e in home.ledger.events_of(("order.cancelled",), order_id=oid)]
    assert len(events) == 1  # one event for the whole order, however many codes
    assert home.ledger.run(1)["status"] == "stopped"  # its paused run will not resume
    assert home.ledger.verify_audit().ok
    note = void_note(home.ledger, serials[7], oid)
    assert note is not None and (note.kind, note.reason) == ("cancelled", "企业取消订单")
    assert void_note(home.ledger, serials[1], oid) is None
    with pytest.raises(RegistryError) as again:
        cancel_order(home, oid, "again")
    assert again.value.key == "void.order_cancelled"
    with pytest.raises(RegistryError) as more:  # no replacement is drawn for a cancelled order
        home.ledger.extend_order(oid, 1, 10**12)
    assert more.value.key == "void.order_cancelled"


def test_an_order_printed_whole_or_printing_now_is_not_cancelled(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    ledger: Any = home.ledger
    oid, serials = _partly_printed(home, eid, pid, 6)
    for i in (0, 3, 4):  # the codes not yet printed: print them too
        ledger.print_on_roll(serials[i], f"R{oid:06d}0001", {})
    with pytest.raises(RegistryError) as whole:
        cancel_order(home, oid, "x")
    assert whole.value.key == "void.order_all_printed"
    other = issue_codes(home, eid, pid, 5).order
    run = ledger.create_run(other, "trace-40x30", 5, "socket://127.0.0.1:9100", "x")
    with pytest.raises(RegistryError) as printing:
        cancel_order(home, other, "x")
    assert printing.value.key == "void.printing" and printing.value.params["run"] == run
    with pytest.raises(RegistryError) as blank:
        cancel_order(home, other, "   ")
    assert blank.value.key == "enterprise.reason_needed"
    assert ledger.order_cancellation(other) is None and ledger.order_state_counts(other) == {State.ISSUED: 5}


def test_a_cancelled_order_is_never_printed(seeded: tuple[Home, int, int]) -> None:
    from station.run_setup import open_run, run_options

    home, eid, pid = seeded
    oid = issue_codes(home, eid, pid, 4).order
    cancel_order(home, oid, "作废")
    with pytest.raises(RegistryError) as refused, open_run(home, run_options(home.config, oid)):
        pass
    assert refused.value.key == "void.order_cancelled"


def test_audit_names_a_code_put_back_after_its_order_was_cancelled(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    oid, serials = _partly_printed(home, eid, pid)
    cancel_order(home, oid, "取消")
    issued = home.ledger.order(issue_codes(home, eid, pid, 2).order)["ranges"][0][0]  # no cancellation names it
    path = home.path / "ledger.sqlite3"
    for serial, state, expected in ((serials[8], 0, "voided"), (issued, 3, "issued")):
        db = sqlite3.connect(path)
        db.execute("UPDATE codes SET state = ? WHERE serial = ?", (state, serial))  # edited behind the events
        db.commit()
        report = home.ledger.verify_audit()
        assert not report.ok and report.row == str(serial) and report.expected == expected
        db.execute("UPDATE codes SET state = ? WHERE serial = ?", (3 - state, serial))  # as it was
        db.commit()
        db.close()
        assert home.ledger.verify_audit().ok


# --- rolls and single codes ----------------------------------------------------------------------------


def test_voiding_a_roll_voids_its_codes_and_closes_it(printed: tuple[Path, int, int], tmp_path: Path) -> None:
    home = _copy(printed, tmp_path)
    first = printed[1]
    taken, kept = (r["id"] for r in home.ledger.rolls(first))
    plan = plan_roll(home, taken)
    assert plan.count == 4 and plan.question("被盗") == t(
        "void.confirm.roll",
        subject=taken,
        count=4,
        kept=0,
        enterprise="牟定县测试腐乳厂",
        product="牟定腐乳",
        reason="被盗",
    )
    done = void_roll(home, taken, "被盗")
    assert done.count == 4
    labels = home.ledger.roll(taken)["labels"]
    assert [st for _, s, st in labels if s is not None] == [State.VOIDED] * 4
    events = [e for e in home.ledger.events_of(("code.void",)) if e["data"].get("roll") == taken]
    assert [e["data"]["reason"] for e in events] == ["被盗"] * 4 and all(
        e["data"]["from"] == "distributed" for e in events
    )
    with pytest.raises(RegistryError) as again:
        void_roll(home, taken, "again")
    assert again.value.key == "void.roll_voided" and again.value.params["reason"] == "被盗"
    with pytest.raises(RegistryError) as unknown:
        void_roll(home, "R9999999999", "x")
    assert unknown.value.key == "roll.unknown"
    assert [st for _, s, st in home.ledger.roll(kept)["labels"] if s is not None] == [State.VERIFIED] * 4
    assert rolls_to_collect(home, 1) == [kept]
    void_roll(home, kept, "整卷丢失")  # lost in the office: no longer waiting to be collected
    assert rolls_to_collect(home, 1) == []
    assert home.ledger.verify_audit().ok


def test_a_roll_left_open_is_closed_when_voided_and_not_while_printing(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    oid, _serials = _partly_printed(home, eid, pid)
    roll = f"R{oid:06d}0001"
    home.ledger.set_run_status(1, "running", "resumed")
    with pytest.raises(RegistryError) as printing:
        void_roll(home, roll, "丢失")
    assert printing.value.key == "void.printing"
    home.ledger.set_run_status(1, "paused", "paper out")
    home.ledger.open_roll(1, f"R{oid:06d}0002", 2)  # opened, nothing printed on it yet
    with pytest.raises(RegistryError) as unprinted:
        void_roll(home, f"R{oid:06d}0002", "丢失")
    assert unprinted.value.key == "void.roll_unprinted"
    assert home.ledger.roll(roll)["closed_at"] is None
    void_roll(home, roll, "丢失")
    assert home.ledger.roll(roll)["closed_at"] is not None  # a resumed run opens a new roll, never this one


def test_single_codes_all_or_none(printed: tuple[Path, int, int], tmp_path: Path) -> None:
    home = _copy(printed, tmp_path)
    first, second = printed[1], printed[2]
    handed = [s for _, s, st in home.ledger.rolls(first)[0]["labels"] if s is not None]
    unprinted = home.ledger.codes_in_state(second, State.ISSUED)[0]
    codes = [make_code(home.key, s) for s in (handed[0], unprinted)]
    assert split_codes(f"{group(codes[0])}，{codes[1]}") == codes  # grouped digits stay one code
    done = void_codes(home, codes, "标签破损")
    assert done.count == 2
    assert home.ledger.code(handed[0])["state"] is State.VOIDED  # type: ignore[index]
    assert home.ledger.code(unprinted)["state"] is State.VOIDED  # type: ignore[index]
    note = void_note(home.ledger, handed[0], first)
    assert note is not None and (note.kind, note.reason) == ("office", "标签破损")
    good = make_code(home.key, handed[1])
    with pytest.raises(RegistryError) as voided:  # the second is voided already: neither is voided now
        void_codes(home, [good, codes[0]], "x")
    assert voided.value.key == "void.code_voided" and voided.value.params["code"] == group(codes[0])
    assert home.ledger.code(handed[1])["state"] is State.DISTRIBUTED  # type: ignore[index]
    typo = good[:5] + str((int(good[5]) + 1) % 10) + good[6:]
    with pytest.raises(Exception) as bad:
        plan_codes(home, [typo])
    assert "check digit" in str(bad.value)
    with pytest.raises(RegistryError) as none:
        plan_codes(home, ["  "])
    assert none.value.key == "void.no_codes"
    with pytest.raises(RegistryError) as unknown:  # genuine under this key, never issued
        plan_codes(home, [make_code(home.key, 10**9 - 1)])
    assert unknown.value.key == "code.unknown_serial"
    assert home.ledger.verify_audit().ok


def test_a_bound_code_may_be_voided_a_recalled_one_not(printed: tuple[Path, int, int], tmp_path: Path) -> None:
    from station.lots import add_lot, bind_codes, inspect_lot, recall_lot, release_lot

    home = _copy(printed, tmp_path)
    roll = home.ledger.rolls(printed[1])[0]["id"]
    lot = add_lot(home.ledger, 1, "MD20261120", "2026-11-20")
    inspect_lot(home.ledger, lot, "pass")
    release_lot(home.ledger, lot)
    assert bind_codes(home, lot, roll_id=roll) == 4
    serials = [s for _, s, _st in home.ledger.roll(roll)["labels"] if s is not None]
    void_codes(home, [make_code(home.key, serials[0])], "贴标时损坏")
    assert recall_lot(home, lot, "抽检不合格") == 3  # the voided code is not recalled
    with pytest.raises(RegistryError) as recalled:
        void_codes(home, [make_code(home.key, serials[1])], "x")
    assert recalled.value.key == "void.code_recalled"
    with pytest.raises(TransitionError):
        home.ledger.transition(serials[1], "void", {"reason": "x"})
    assert home.ledger.verify_audit().ok


# --- the command ---------------------------------------------------------------------------------------


def test_the_commands_void_after_asking(printed: tuple[Path, int, int], tmp_path: Path) -> None:
    home = _copy(printed, tmp_path)
    first, second = printed[1], printed[2]
    roll = home.ledger.rolls(first)[1]["id"]
    serial = [s for _, s, _st in home.ledger.rolls(first)[0]["labels"] if s is not None][2]
    code = make_code(home.key, serial)
    home.close()
    path = tmp_path / "home"
    no = _station(path, "void", "roll", roll, "--reason", "丢失", stdin="n\n")
    assert no.returncode == 1 and "Void the 4 codes on roll" in no.stderr and t("confirm.cancelled") in no.stderr
    assert Home.open(path).ledger.roll(roll)["labels"][1][2] is State.VERIFIED
    yes = _station(path, "void", "roll", roll, "--reason", "丢失", stdin="y\n")
    assert yes.returncode == 0, yes.stderr
    assert yes.stdout.strip() == t("void.done.roll", subject=roll, count=4, kept=0)
    again = _station(path, "void", "roll", roll, "--reason", "丢失", "--yes")
    assert again.returncode == 1 and t("void.roll_voided", roll=roll, reason="丢失") in again.stderr
    grouped = group(code).split()  # typed as printed, in groups, unquoted
    one = _station(path, "void", "code", *grouped, "--reason", "标签破损", "--yes", "--json")
    assert one.returncode == 0, one.stderr
    assert '"voided": 1' in one.stdout
    looked = _station(path, "lookup", code, "--json")
    assert looked.returncode == 0 and looked.stdout and json.loads(looked.stdout)["void"]["reason"] == "标签破损"
    assert "voided: " in _station(path, "lookup", code).stdout
    twice = _station(path, "void", "code", code, "--reason", "x", "--yes")
    assert twice.returncode == 1 and t("void.code_voided", code=group(code)) in twice.stderr
    blank = _station(path, "void", "code", code, "--reason", " ", "--yes")
    assert blank.returncode == 1 and t("enterprise.reason_needed") in blank.stderr
    cancel = _station(path, "void", "order", str(second), "--reason", "企业取消", "--yes")
    assert cancel.returncode == 0 and cancel.stdout.strip() == t(
        "void.done.order", subject=str(second), count=10, kept=0
    )
    printed_whole = _station(path, "void", "order", str(first), "--reason", "x", "--yes")
    assert printed_whole.returncode == 1 and t("void.order_all_printed", order=first) in printed_whole.stderr
    audit = _station(path, "audit", "verify")
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_the_commands_need_a_signed_in_operator_who_may(printed: tuple[Path, int, int], tmp_path: Path) -> None:
    from station.operators import add_operator

    home = _copy(printed, tmp_path)
    add_operator(home.ledger, "王", "clerk", "246810")
    add_operator(home.ledger, "赵", "qc", "135790")
    roll = home.ledger.rolls(printed[1])[1]["id"]
    home.close()
    path = tmp_path / "home"
    args = ("void", "roll", roll, "--reason", "丢失", "--yes")
    nobody = _station(path, "--operator", "王", *args)
    assert nobody.returncode == 1 and t("operator.pin_needed") in nobody.stderr
    qc = _station(path, "--operator", "赵", *args, env={"STATION_PIN": "135790"})
    assert qc.returncode == 1 and t("permission.void") in qc.stderr
    clerk = _station(path, "--operator", "王", *args, env={"STATION_PIN": "246810"})
    assert clerk.returncode == 0, clerk.stderr
    home = Home.open(path)
    event = next(iter(home.ledger.events_of(("roll.voided",))))
    assert event["operator"] == "王" and event["data"]["reason"] == "丢失"


# --- the query service ---------------------------------------------------------------------------------


def test_the_query_page_and_api_say_why_and_when(printed: tuple[Path, int, int], tmp_path: Path) -> None:
    from starlette.responses import JSONResponse

    from station.query.answer import local_time
    from station.query.app import Service
    from station.query.pages import code_page

    home = _copy(printed, tmp_path)
    first, second = printed[1], printed[2]
    roll = home.ledger.rolls(first)[0]["id"]
    serial = [s for _, s, _st in home.ledger.roll(roll)["labels"] if s is not None][0]
    unprinted = home.ledger.codes_in_state(second, State.ISSUED)[0]
    void_roll(home, roll, "整卷被盗")
    cancel_order(home, second, "企业取消")
    at = local_time(next(iter(home.ledger.events_of(("roll.voided",))))["at"])
    home.close()
    service = Service(tmp_path / "home")
    try:
        stolen = service.answerer.answer(make_code(service.answerer.key, serial), "203.0.0.0/16", datetime.now(UTC))
        assert stolen.status == "voided" and stolen.http_status == 410
        warning = dict(stolen.warning_texts("zh"))["voided"]
        assert warning == tr("zh", "query.warn.voided_office", at=at, reason="整卷被盗")
        body = stolen.to_json("zh")
        assert body["voided"]["kind"] == "office" and body["voided"]["reason"] == "整卷被盗"
        assert (
            stolen.json("zh") == JSONResponse(body).body
            and stolen.json("en") == JSONResponse(stolen.to_json("en")).body
        )
        page = code_page(stolen, "zh", "/c").decode()
        assert "此码已作废" in page and "整卷被盗" in page
        never = service.answerer.answer(make_code(service.answerer.key, unprinted), "203.0.0.0/16", datetime.now(UTC))
        assert never.to_json("en")["voided"]["kind"] == "cancelled"
        assert (
            "企业取消" in dict(never.warning_texts("en"))["voided"]
            and "never printed" in never.to_json("en")["warnings"][0]["message"]
        )
    finally:
        service.close()


# --- reprints ------------------------------------------------------------------------------------------


def test_a_roll_header_is_reprinted_marked_on_the_configured_printer(
    printed: tuple[Path, int, int], tmp_path: Path
) -> None:
    from station.reprint import header_values

    home = _copy(printed, tmp_path)
    roll = home.ledger.rolls(printed[1])[1]["id"]
    printer = VirtualPrinter("tspl")
    with TcpPrinterServer(printer) as server:
        (tmp_path / "home" / "station.toml").write_text(f'[printer]\nuri = "{server.uri}"\nlang = "tspl"\n')
        home.close()
        done = _station(tmp_path / "home", "reprint", "header", roll, "--reason", "卷首标签脱落", "--yes", "--json")
        assert done.returncode == 0, done.stderr
        wait_labels(printer, 1)
    home = Home.open(tmp_path / "home")
    event = next(iter(home.ledger.events_of(("roll.header_reprinted",))))
    assert event["data"]["roll"] == roll and event["data"]["reason"] == "卷首标签脱落"
    image = printer.labels[0].image
    assert [f.text for f in decode_zxing(np.asarray(image.convert("L")))] == [roll]  # still scans at pickup
    template = reprint_template(load_template("roll-header-40x30"))
    assert any("补打" in str(el.settings.get("text", "")) for el in template.elements)
    expected = Renderer().render(template, {**header_values(home, roll), "reprint.at": event["data"]["at_local"]})
    assert same_pixels(image, expected.image)  # 补打 and the time, on the paper that came out
    assert home.ledger.verify_audit().ok
    void_roll(home, roll, "丢失")
    with pytest.raises(RegistryError) as voided:
        from station.reprint import reprint_header

        reprint_header(home, roll, "x", server.uri)
    assert voided.value.key == "reprint.roll_voided"


def test_a_pickup_slip_is_reprinted_as_handed_over(printed: tuple[Path, int, int], tmp_path: Path) -> None:
    home = _copy(printed, tmp_path)
    roll = home.ledger.rolls(printed[1])[0]["id"]
    before = slip_values(home, 1)
    void_roll(home, roll, "被盗")  # stolen after the pickup: the slip still says what was handed over
    assert slip_values(home, 1)[1] == before[1]
    home.close()
    unset = _station(tmp_path / "home", "reprint", "slip", "1", "--reason", "原单遗失", "--yes")
    assert unset.returncode == 1 and t("reprint.no_slip_printer") in unset.stderr  # refused before asking
    receipt = VirtualPrinter("escpos")
    with TcpPrinterServer(receipt) as server:
        no = _station(
            tmp_path / "home", "reprint", "slip", "P000001", "--reason", "原单遗失", "--slip-printer", server.uri
        )
        assert no.returncode == 1 and not receipt.labels
        done = _station(
            tmp_path / "home", "reprint", "slip", "P000001", "--reason", "原单遗失", "--slip-printer", server.uri, "-y"
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("pickup slip P000001 reprinted (")
        wait_labels(receipt, 1)
    assert receipt.labels[0].image.width == 384
    home = Home.open(tmp_path / "home")
    event = next(iter(home.ledger.events_of(("pickup.slip_reprinted",))))
    assert event["data"] == {"pickup": 1, "reason": "原单遗失", "at_local": event["data"]["at_local"]}
    values, rows = slip_values(home, 1)
    mark = {"reprint.at": event["data"]["at_local"], "reprint.reason": "原单遗失"}
    marked = Renderer().render(reprint_template(load_template("pickup-slip-58mm")), {**values, **mark}, rows)
    plain = Renderer().render(load_template("pickup-slip-58mm"), values, rows)
    assert same_pixels(receipt.labels[0].image, marked.image)  # the heading 补打, the time and the reason on top
    assert marked.image.height > plain.image.height
    assert home.ledger.verify_audit().ok
    home.ledger.undo_pickup(1, "扫错")
    with pytest.raises(RegistryError) as undone:
        from station.reprint import reprint_slip

        reprint_slip(home, 1, "x", "socket://127.0.0.1:9")
    assert undone.value.key == "reprint.pickup_undone"


def test_split_codes() -> None:
    code = "17806008427909203676"
    assert split_codes("1780 6008 4279 0920 3676") == [code]
    assert split_codes(f"{code},{code}、 https://x.org/c/{code}") == [code, code, f"https://x.org/c/{code}"]
    assert split_codes("1780 6008") == ["17806008"]  # too short: parse_code says so
    assert split_codes("") == []


def test_a_reprint_that_does_not_print_is_not_recorded(printed: tuple[Path, int, int], tmp_path: Path) -> None:
    import socket

    from station.errors import StationError
    from station.reprint import reprint_header

    home = _copy(printed, tmp_path)
    roll = home.ledger.rolls(printed[1])[0]["id"]
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]  # nothing listens there once closed
    events = home.ledger.verify_audit().events
    with pytest.raises(StationError):
        reprint_header(home, roll, "卷首标签脱落", f"socket://127.0.0.1:{port}")
    assert home.ledger.verify_audit().events == events and not list(home.ledger.events_of(("roll.header_reprinted",)))
