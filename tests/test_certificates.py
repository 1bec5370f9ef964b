"""承诺达标合格证 per lot through the `station` command and the printer emulator on loopback: what prints (read back
from the emulator), the ledger's record, the export, the lookup, the query page and the audit."""

from __future__ import annotations

import csv
import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from station.certificates import is_certificate_number
from station.home import Home
from station.labels import Renderer, load_template
from station.ledger.certificates import certificate_number
from station.verify.decode import decode_zxing
from station.zones import zone
from tests.conftest import cli_order
from tests.printer_helpers import same_pixels, wait_labels

BASE_URL = "https://trace.example.org/c"  # the default [codes] base_url


def _released_lot(station: Any, quantity: str = "500克") -> None:
    """Through the commands: an order's product (牟定腐乳, 180 days) and its lot 1 of 2026-11-20, passed with a
    report and released."""
    cli_order(station, 2, certified=True)
    station(
        "lot", "add", "--product", "1", "--number", "MD20261120", "--date", "2026-11-20", "--quantity", quantity,
        check=True,
    )  # fmt: skip
    station("lot", "inspect", "1", "--result", "pass", "--report", "楚雄州食品检验所 2026-1121", check=True)
    station("lot", "release", "1", check=True)


def _expected(number: str) -> dict[str, str]:
    """Every field of certificate ``number`` as written here by hand, not read from the station."""
    return {
        "product.name": "牟定腐乳",
        "lot.quantity": "500克",
        "enterprise.name": "牟定县测试腐乳厂",
        "enterprise.contact": "",
        "product.origin_place_full": "云南省楚雄彝族自治州牟定县新桥镇",
        "certificate.date": datetime.now(zone("Asia/Shanghai")).date().isoformat(),
        "lot.basis": "委托检测",
        "certificate.number": number,
        "payload": f"{BASE_URL}/{number}",
    }


def test_certificates_print_with_the_lots_data_and_are_recorded_exported_and_looked_up(
    station: Any, tmp_path: Path
) -> None:
    _released_lot(station)
    printer = VirtualPrinter("tspl")
    with TcpPrinterServer(printer) as server:
        issued = station(
            "certificate", "issue", "--lot", "1", "--count", "3", "--printer", server.uri, "--lang", "tspl", "--json",
            check=True,
        ).json()  # fmt: skip
        wait_labels(printer, 3)
    numbers = issued["certificates"]
    assert numbers == [certificate_number(n) for n in (1, 2, 3)] == ["HG000000013", "HG000000021", "HG000000037"]
    assert issued["warnings"] == []
    # read back from the emulator: each certificate is the template filled with the lot's data written above
    template = load_template("hegezheng-60x40")
    renderer = Renderer()
    for printed, number in zip(printer.labels, numbers, strict=True):
        expected = renderer.render(template, _expected(number))
        assert expected.warnings == []  # every field fits: nothing is cut
        assert same_pixels(printed.image, expected.image), number
        assert decode_zxing(np.asarray(printed.image.convert("L")))[0].text == f"{BASE_URL}/{number}"
    blank = renderer.render(template, {**_expected(numbers[0]), "lot.quantity": "", "lot.basis": ""})
    assert not same_pixels(printer.labels[0].image, blank.image)  # the quantity and basis are there
    # the ledger's record
    rows = station("certificate", "list", "--json", check=True).json()["certificates"]
    assert [r["certificate"] for r in rows] == numbers
    assert {(r["lot_id"], r["lot"], r["printer"], r["station"]) for r in rows} == {
        (1, "MD20261120", server.uri, "MD-01")
    }
    assert all(r["operator"] and r["time"].endswith("+08:00") for r in rows)
    # the export
    out = tmp_path / "certificates.csv"
    station("export", "certificates", "--lot", "1", "--out", str(out), "--lang", "zh", check=True)
    with open(out, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0][0] == "合格证编号" and [r[0] for r in table[1:]] == numbers
    assert table[1][4] == "云南省楚雄彝族自治州牟定县新桥镇"
    trace = station("export", "lot", "1", "--format", "json", check=True).json()
    assert [c["number"] for c in trace["certificates"]] == numbers
    assert trace["product"]["origin_place"] == "云南省楚雄彝族自治州牟定县新桥镇"
    # the lookup, like a code's
    found = station("lookup", numbers[1], "--json", check=True).json()
    assert found["certificate"]["number"] == numbers[1] and found["lot_certificates"] == 3
    assert found["lot"]["production_date"] == "2026-11-20" and found["lot"]["best_before"] == "2027-05-19"
    assert found["product"]["origin_place"] == "云南省楚雄彝族自治州牟定县新桥镇"
    typo = station("lookup", "HG000000023")  # one digit wrong
    assert typo.code != 0 and "check digit" in typo.err + typo.out
    unknown = station("lookup", certificate_number(9))
    assert unknown.code != 0 and "no certificate" in unknown.err + unknown.out
    # the audit covers the table
    assert station("audit", "verify", check=True).code == 0
    db = sqlite3.connect(station.home / "ledger.sqlite3")
    db.execute("UPDATE certificates SET printer = 'socket://10.0.0.9:9100' WHERE number = ?", (numbers[2],))
    db.commit()
    db.close()
    tampered = station("audit", "verify")
    assert tampered.code != 0 and "certificates" in tampered.out + tampered.err


def test_certificates_only_for_a_released_lot(station: Any) -> None:
    cli_order(station, 2, certified=True)
    station("lot", "add", "--product", "1", "--number", "MD20261121", "--date", "2026-11-21", check=True)
    refused = station("certificate", "issue", "--lot", "1", "--count", "1", "--printer", "socket://127.0.0.1:1")
    assert refused.code != 0 and "not released" in refused.err + refused.out
    station("lot", "inspect", "1", "--result", "pass", check=True)
    station("lot", "release", "1", check=True)
    station("lot", "recall", "1", "--reason", "抽检不合格", check=True)
    recalled = station("certificate", "issue", "--lot", "1", "--count", "1", "--printer", "socket://127.0.0.1:1")
    assert recalled.code != 0 and "抽检不合格" in recalled.err + recalled.out
    assert station("certificate", "list", "--json", check=True).json()["certificates"] == []


def test_certificate_numbers_check_digit() -> None:
    numbers = [certificate_number(n) for n in range(1, 200)]
    assert len(set(numbers)) == len(numbers) and all(is_certificate_number(n) for n in numbers)
    from station.codes import check_digit_ok

    for number in numbers[:30]:
        digits = number[2:]
        for i in range(len(digits)):
            for d in "0123456789":
                if d != digits[i]:
                    assert not check_digit_ok(digits[:i] + d + digits[i + 1 :])
        for i in range(len(digits) - 1):
            if digits[i] != digits[i + 1]:
                assert not check_digit_ok(digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :])
    assert not is_certificate_number("HG00000001") and not is_certificate_number("17806008427909203676")


def test_query_page_shows_a_certificate(seeded: tuple[Home, int, int]) -> None:
    from station.certificates import issue_certificates
    from station.lots import add_lot, inspect_lot, release_lot
    from tests.query_helpers import client, running

    home, _eid, pid = seeded
    lot = add_lot(home.ledger, pid, "MD20261120", "2026-11-20", "500克")
    inspect_lot(home.ledger, lot, "pass", "")
    release_lot(home.ledger, lot)
    printer = VirtualPrinter("tspl")
    with TcpPrinterServer(printer) as server:
        run = issue_certificates(home, lot, 2, server.uri, "tspl")
        wait_labels(printer, 2)
    with running(home) as url, client(url) as http:
        page = http.get(f"/c/{run.numbers[0]}")
        assert page.status_code == 200
        for text in ("承诺达标合格证", run.numbers[0], "云南省楚雄彝族自治州牟定县新桥镇", "2026-11-20", "2027-05-19",
                     "500克", "自行检测"):  # fmt: skip
            assert text in page.text, text
        api = http.get(f"/api/v1/codes/{run.numbers[1]}").json()
        assert api["status"] == "genuine" and api["certificate"]["number"] == run.numbers[1]
        assert http.get("/c/HG000000023").status_code == 400
        assert http.get(f"/c/{certificate_number(7)}").status_code == 404


def test_certificates_table_translates_to_postgres() -> None:
    pytest.importorskip("psycopg")
    from station.ledger.postgres import postgres_statements
    from station.ledger.schema import MIGRATIONS
    from station.ledger.sqlite import split_sql

    index = next(i for i, sql in enumerate(MIGRATIONS) if "CREATE TABLE certificates" in sql)
    statements = [out for statement in split_sql(MIGRATIONS[index]) for out in postgres_statements(statement, index)]
    assert any("CREATE TABLE certificates" in s and "IDENTITY" in s.upper() for s in statements), statements


async def test_the_app_prints_certificates_after_asking(seeded: tuple[Home, int, int]) -> None:
    from station.lots import add_lot, inspect_lot, release_lot
    from station.settings import set_setting
    from station.tui.app import make_app
    from station.tui.certificate_screen import CertificateBox

    home, _eid, pid = seeded
    lot = add_lot(home.ledger, pid, "MD20261120", "2026-11-20", "500克")
    inspect_lot(home.ledger, lot, "pass", "")
    release_lot(home.ledger, lot)
    printer = VirtualPrinter("tspl")
    with TcpPrinterServer(printer) as server:
        set_setting(home.path, "printer.uri", server.uri)
        set_setting(home.path, "printer.lang", "tspl")
        app = make_app(Home.open(home.path, operator="tester"))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f8")  # the lots screen, its one lot selected: h opens the certificate box
            for _ in range(100):
                await pilot.pause(0.05)
                if app.screen.query("#list") and app.screen.query_one("#list").row_count > 0:  # type: ignore[attr-defined]
                    break
            await pilot.press("h")
            await pilot.pause()
            assert isinstance(app.screen, CertificateBox)
            for ch in "2":
                await pilot.press(ch)
            await pilot.press("enter")  # asks
            await pilot.pause()
            await pilot.press("escape")  # cancelled: nothing printed or recorded
            await pilot.pause()
            assert home.ledger.certificates() == [] and printer.labels == []
            await pilot.press("enter")
            await pilot.pause()
            await pilot.press("enter")  # confirmed
            for _ in range(100):
                await pilot.pause(0.05)
                if len(home.ledger.certificates()) == 2 and not app.screen.busy:  # type: ignore[attr-defined]
                    break
            wait_labels(printer, 2)
    assert [c["number"] for c in home.ledger.certificates(lot)] == [certificate_number(1), certificate_number(2)]


def test_a_printer_lost_part_way_leaves_every_printed_certificate_recorded(seeded: tuple[Home, int, int]) -> None:
    from drivers.emulators.printer import PrinterFaults
    from station.certificates import issue_certificates
    from station.errors import PrintError
    from station.lots import add_lot, inspect_lot, release_lot

    home, _eid, pid = seeded
    lot = add_lot(home.ledger, pid, "MD20261120", "2026-11-20", "500克")
    inspect_lot(home.ledger, lot, "pass", "")
    release_lot(home.ledger, lot)
    printer = VirtualPrinter("tspl", faults=PrinterFaults(disconnect_after_bytes=30_000))  # one job is ~19 kB
    with TcpPrinterServer(printer) as server:
        with pytest.raises(PrintError) as lost:
            issue_certificates(home, lot, 3, server.uri, "tspl")
        wait_labels(printer, 1)
    recorded = [c["number"] for c in home.ledger.certificates(lot)]
    assert lost.value.key == "certificate.print_failed"
    assert lost.value.params["printed"] == 1 and lost.value.params["number"] == recorded[-1] == certificate_number(2)
    assert recorded == [certificate_number(1), certificate_number(2)]  # the third was never recorded
    assert len(printer.labels) == 1
    assert home.ledger.verify_audit().ok


@pytest.mark.all_backends
def test_certificate_rows_are_recomputed_on_every_backend(home: Home, backend: Any) -> None:
    """The certificates table is made by migration 10 on SQLite and PostgreSQL, numbered alike, and an edit behind
    the events is named by the audit."""
    from station.registry import add_enterprise, add_product, review_enterprise

    led = home.ledger
    eid = add_enterprise(led, "牟定县测试腐乳厂", "91532323MA6N0FRU1E", "张三")
    review_enterprise(led, eid, "approve")
    pid = add_product(led, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    lot = led.add_lot(pid, "L1", "2026-11-01", "500克", [])
    first = led.add_certificate(lot, "socket://192.0.2.7:9100")
    second = led.add_certificate(lot, "socket://192.0.2.7:9100")
    assert [first["number"], second["number"]] == [certificate_number(1), certificate_number(2)]
    assert led.certificate(second["number"])["lot_id"] == lot and len(led.certificates(lot)) == 2
    assert led.verify_audit().ok
    home.close()
    db = backend.connect(home.path)
    db.execute("UPDATE certificates SET lot_id = lot_id, operator = 'someone else'")
    db.close()
    with Home.open(home.path, operator="tester") as reopened:
        report = reopened.ledger.verify_audit()
    assert not report.ok and report.table == "certificates", report


def test_guessing_certificate_numbers_costs_as_much_as_guessing_codes(seeded: tuple[Home, int, int]) -> None:
    from tests.query_helpers import client, running

    home, _eid, _pid = seeded
    with running(home, rate_per_min=0.1, rate_burst=10, failed_cost=5) as url, client(url) as http:
        misses = [http.get(f"/c/{certificate_number(n)}").status_code for n in (1, 2, 3)]
    assert misses == [404, 404, 429]  # 5 + 5 tokens of 10, then the bucket is empty


def test_a_printer_that_cannot_be_reached_records_no_certificate(seeded: tuple[Home, int, int]) -> None:
    import socket

    from station.certificates import issue_certificates
    from station.errors import StationError
    from station.lots import add_lot, inspect_lot, release_lot

    home, _eid, pid = seeded
    lot = add_lot(home.ledger, pid, "MD20261120", "2026-11-20", "500克")
    inspect_lot(home.ledger, lot, "pass", "")
    release_lot(home.ledger, lot)
    with socket.socket() as probe:  # a loopback port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StationError):
        issue_certificates(home, lot, 2, f"socket://127.0.0.1:{port}", "tspl")
    assert home.ledger.certificates(lot) == []
    assert home.ledger.verify_audit().ok
