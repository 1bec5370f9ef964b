"""Every status bit the driver reads, walked from the emulator's state through the real bytes on a TCP link to the
driver's reading, in each language: the emulator can say everything the driver listens for, and the driver hears
it as the manuals mean it. An unknown status after a label holds the print run before the next label."""

from __future__ import annotations

import dataclasses
import threading
import time
from pathlib import Path

import pytest

from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from drivers.printers.printer import LabelPrinter
from drivers.printers.status import Detail, PrinterState, PrinterStatus
from tests.printer_helpers import label

S, D = PrinterState, Detail
Case = tuple[dict[str, object], PrinterState, Detail, dict[str, str]]

CASES: dict[str, list[Case]] = {
    "escpos": [
        ({}, S.ONLINE, D.NONE, {}),
        ({"offline": True}, S.OFFLINE, D.OFFLINE, {}),  # DLE EOT 1 bit 3
        ({"cover_open": True}, S.COVER_OPEN, D.COVER_OPEN, {}),  # DLE EOT 2 bit 2
        ({"head_open": True}, S.COVER_OPEN, D.COVER_OPEN, {}),
        ({"paper_out_after": 0}, S.PAPER_OUT, D.PAPER_END, {}),  # DLE EOT 2 bit 5, DLE EOT 4 bits 5-6
        ({"paper_low": True}, S.ONLINE, D.PAPER_LOW, {}),  # DLE EOT 4 bits 2-3
        ({"cutter_fault": True}, S.ERROR, D.ERROR_REPORTED, {"cause": "autocutter error"}),  # 2 bit 6, 3 bit 3
        ({"paper_jam": True}, S.ERROR, D.ERROR_REPORTED, {"cause": "autocutter error"}),
        ({"unrecoverable": True}, S.ERROR, D.ERROR_REPORTED, {"cause": "unrecoverable error"}),  # 3 bit 5
        ({"temperature": True}, S.ERROR, D.OTHER_ERROR, {}),  # DLE EOT 3 bit 6
    ],
    "tspl": [
        ({}, S.ONLINE, D.NONE, {}),
        ({"head_open": True}, S.COVER_OPEN, D.HEAD_OPEN, {}),  # bit 0
        ({"paper_jam": True}, S.ERROR, D.PAPER_JAM, {}),  # bit 1
        ({"paper_out_after": 0}, S.PAPER_OUT, D.PAPER_OUT, {}),  # bit 2
        ({"ribbon_out": True}, S.ERROR, D.RIBBON_OUT, {}),  # bit 3
        ({"offline": True}, S.OFFLINE, D.PAUSED, {}),  # bit 4
        ({"cover_open": True}, S.COVER_OPEN, D.COVER_OPEN, {}),  # bit 6
        ({"temperature": True}, S.ERROR, D.OTHER_ERROR, {}),  # bit 7
    ],
    "zpl": [
        ({}, S.ONLINE, D.NONE, {}),
        ({"paper_out_after": 0}, S.PAPER_OUT, D.MEDIA_OUT, {}),  # ~HQES 0x1
        ({"ribbon_out": True}, S.ERROR, D.RIBBON_OUT, {}),  # 0x2
        ({"head_open": True}, S.COVER_OPEN, D.HEAD_OPEN, {}),  # 0x4
        ({"cover_open": True}, S.COVER_OPEN, D.HEAD_OPEN, {}),
        ({"cutter_fault": True}, S.ERROR, D.ERROR_FLAGS, {"flags": "0000000000000008"}),  # 0x8
        ({"temperature": True}, S.ERROR, D.ERROR_FLAGS, {"flags": "0000000000000010"}),  # 0x10
        ({"offline": True}, S.OFFLINE, D.PAUSED, {}),  # ~HS string 1 field 3
    ],
    # firmware without ~HQES, read from ~HS alone (this one answers ~HS with media out or the head up)
    "zpl-hs": [
        ({}, S.ONLINE, D.NONE, {}),
        ({"paper_out_after": 0}, S.PAPER_OUT, D.MEDIA_OUT, {}),  # string 1 field 2
        ({"offline": True}, S.OFFLINE, D.PAUSED, {}),  # string 1 field 3
        ({"temperature": True}, S.ERROR, D.OTHER_ERROR, {}),  # string 1 field 12
        ({"head_open": True}, S.COVER_OPEN, D.HEAD_OPEN, {}),  # string 2 field 3
        ({"ribbon_out": True}, S.ERROR, D.RIBBON_OUT, {}),  # string 2 field 4
    ],
}
BASE_FAULTS = {"zpl-hs": {"no_hqes": True, "hs_on_fault": True}}


@pytest.mark.parametrize("kind", list(CASES))
def test_every_status_bit_walks_from_the_emulator_to_the_driver(kind: str) -> None:
    lang = kind.split("-")[0]
    vp = VirtualPrinter(lang)
    with TcpPrinterServer(vp) as server, LabelPrinter(server.uri, lang, status_timeout_s=0.3) as printer:
        for changes, state, detail, params in CASES[kind]:
            vp.faults = dataclasses.replace(PrinterFaults(), **BASE_FAULTS.get(kind, {}), **changes)  # type: ignore[arg-type]
            status = printer.status()
            assert (status.state, status.detail, status.params) == (state, detail, params), (changes, status)
            assert status.ready is (state is S.ONLINE)


def test_tspl_printing_bit_is_online() -> None:
    vp = VirtualPrinter("tspl", speed_mm_s=10.0)  # a 30 mm label takes 3.2 s to come out
    with TcpPrinterServer(vp) as server, LabelPrinter(server.uri, "tspl") as printer:
        printer.print_image(label(), confirm=False)
        deadline = time.monotonic() + 2
        status = printer.status()
        while status.detail is not D.PRINTING and time.monotonic() < deadline:
            status = printer.status()
        assert status == PrinterStatus(S.ONLINE, D.PRINTING, b"\x20")
        vp._printing.clear()  # the rest of the label is not waited for


def test_each_tspl_bit_comes_from_its_own_fault() -> None:
    seen = 0
    for changes, *_ in CASES["tspl"]:
        vp = VirtualPrinter("tspl", faults=dataclasses.replace(PrinterFaults(), **changes))  # type: ignore[arg-type]
        vp.feed(b"\x1b!?")
        (byte,) = vp.take_reply(4)
        assert byte & (byte - 1) == 0, changes  # one bit a fault
        seen |= byte
    assert seen == 0xFF & ~0x20  # every bit but "printing", which the test above walks


def test_zpl_firmware_without_hqes_is_read_from_hs_and_silence_is_unknown() -> None:
    vp = VirtualPrinter("zpl", faults=PrinterFaults(no_hqes=True))
    with TcpPrinterServer(vp) as server, LabelPrinter(server.uri, "zpl", status_timeout_s=0.3) as printer:
        assert printer.status().state is S.ONLINE
        started = time.monotonic()
        assert printer.status().state is S.ONLINE  # ~HQES is no longer asked: no wait for its silence
        assert time.monotonic() - started < 0.25
        vp.faults.paper_out_after = 0  # this firmware's ~HS is silent with media out, as most are
        status = printer.status()
        assert status.state is S.UNKNOWN and status.detail is D.NO_REPLY and not status.ready


def test_an_unknown_status_after_a_label_holds_the_next_label(tmp_path: Path) -> None:
    from station.run import PrintRun
    from tests.run_helpers import order, print_line
    from tests.test_run_faults import _execute, _on_print

    home, order_id = order(tmp_path, 2)
    seen: list[tuple[str, str, str | None]] = []
    held: list[int] = []
    with print_line() as line:

        def after(n: int) -> bool:
            if n == 1:  # the roll header is out: the printer stops answering
                line.printer.faults.silent = True
                timer = threading.Timer(2.0, _answer_again)
                timer.daemon = True
                timer.start()
            return True

        def _answer_again() -> None:
            held.append(line.printer.received)
            line.printer.faults.silent = False

        _on_print(line, after)
        original = PrintRun._waiting

        def waiting(run: PrintRun, reason: str) -> None:
            held.append(line.printer.received)
            original(run, reason)

        PrintRun._waiting = waiting  # type: ignore[method-assign]
        try:
            _, report = _execute(home, order_id, line, seen, roll_size=4)
        finally:
            PrintRun._waiting = original  # type: ignore[method-assign]
    assert report.status == "done" and report.verified == 2
    assert [w for w, *_ in seen][:2] == ["waiting", "resumed"]
    assert "ESC !?" in (seen[0][2] or "")  # no reply to the status query: said, not ignored
    waited_at, answered_at = held[0], held[1]
    assert answered_at - waited_at < 200  # while the printer said nothing, only status queries went out
