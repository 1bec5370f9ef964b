"""Printer drivers against the virtual printer, over real transports (TCP on 127.0.0.1, a pty)."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.emulators.servers import PtyPrinterServer, TcpPrinterServer, UsbPrinterPlug
from drivers.emulators.usb import EmulatedUsbBackend
from drivers.errors import DeviceFault, PrintFault
from drivers.printers import transports
from drivers.printers.encoders import ENCODERS, JobOptions, encode_escpos, encode_tspl, encode_zpl
from drivers.printers.printer import LabelPrinter
from drivers.printers.status import Detail, PrinterState
from drivers.printers.transports import open_transport
from tests.printer_helpers import label, same_pixels, wait_labels

LANGS = ["escpos", "tspl", "zpl"]


Server = TcpPrinterServer | PtyPrinterServer | UsbPrinterPlug


def _server(kind: str, printer: VirtualPrinter, tmp_path: Path) -> Server:
    if kind == "tcp":
        return TcpPrinterServer(printer).start()
    if kind == "usb":
        return UsbPrinterPlug(printer, EmulatedUsbBackend()).start()
    return PtyPrinterServer(printer, link=tmp_path / "printer-tty").start()


@pytest.fixture(params=["tcp", "pty", "usb"])
def transport_kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("template", ["trace-40x30", "pickup-slip-58mm"])
def test_label_arrives_pixel_identical(lang: str, template: str, transport_kind: str, tmp_path: Path) -> None:
    image = label(template)
    vp = VirtualPrinter(lang, out_dir=tmp_path / "out")
    server = _server(transport_kind, vp, tmp_path)
    try:
        with LabelPrinter(server.uri, lang) as printer:
            printer.print_image(image)
            printer.print_image(image)
            wait_labels(vp, 2)
    finally:
        server.stop()
    assert all(same_pixels(printed.image, image) for printed in vp.labels)
    png = Image.open(vp.labels[0].path)  # type: ignore[arg-type]
    assert same_pixels(png, image)
    assert vp.unknown_commands == []


@pytest.mark.parametrize("lang", LANGS)
def test_width_not_a_multiple_of_eight_at_300_dpi(lang: str) -> None:
    from station.labels import Renderer, load_template
    from tests.labels_helpers import fixed_values

    image = Renderer().render(load_template("hegezheng-60x40").with_dpi(300), fixed_values()).image
    assert image.width % 8 != 0
    vp = VirtualPrinter(lang, dpi=300)
    vp.feed(ENCODERS[lang](image, JobOptions(dpi=300)))
    printed = vp.labels[0].image
    if lang == "escpos":  # raster rows are whole bytes: the head prints the padding white
        assert printed.width == (image.width + 7) // 8 * 8
        assert np.asarray(printed)[:, image.width :].all()
        printed = printed.crop((0, 0, image.width, image.height))
    assert same_pixels(printed, image)


@pytest.mark.parametrize(
    ("lang", "garbage"),
    [
        ("tspl", b"BITMAP 0,x,2,2,0,\x00\x00\x00\x00\r\n"),
        ("zpl", b"^XA^GFA,4,4,0,FFFF^FS^XZ"),
        ("zpl", b"^XA^FO0,0^GFA,4,4,2,GHIJ^FS^XZ"),
        ("escpos", b"\x1b\x99\x1b@"),
    ],
)
def test_garbled_commands_are_skipped_not_fatal(lang: str, garbage: bytes) -> None:
    vp = VirtualPrinter(lang)
    vp.feed(garbage)
    assert vp.unknown_commands
    vp.feed(ENCODERS[lang](label(), JobOptions()))  # the printer still prints the next job
    assert same_pixels(vp.labels[-1].image, label())


def test_file_transport_times_out_when_the_printer_takes_nothing(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "lp0"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a device that accepts the open and then stalls
    try:
        started = time.monotonic()
        with LabelPrinter(f"file://{fifo}", "zpl", timeout_s=0.5) as printer, pytest.raises(PrintFault) as info:
            for _ in range(20):  # more than the pipe holds
                printer.print_image(label())
        assert info.value.code == "print.timeout" and time.monotonic() - started < 5
        assert not printer.transport.is_open  # half a job was sent: the link is closed, not reused
    finally:
        os.close(reader)


@pytest.mark.parametrize("lang", LANGS)
def test_file_transport_writes_the_job(lang: str, tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    with LabelPrinter(f"file://{device}", lang) as printer:
        printer.print_image(label())
        assert printer.status().state is PrinterState.UNKNOWN  # a device file carries no replies
    vp = VirtualPrinter(lang)
    vp.feed(device.read_bytes())
    assert len(vp.labels) == 1 and same_pixels(vp.labels[0].image, label())


def _tiny() -> Image.Image:
    black = np.array([[1, 0, 0, 0, 0, 0, 0, 0, 1, 1], [0, 1, 1, 1, 1, 1, 1, 1, 0, 0]], dtype=bool)
    return Image.fromarray(~black)


def test_escpos_bytes_are_pinned() -> None:
    assert encode_escpos(_tiny()) == (
        b"\x1b@"  # ESC @
        + b"\x1d(D\x05\x00\x14\x01\x00\x02\x00"  # GS ( D m=20: DLE DC4 fn=1 (pulse) and fn=2 (power-off) off
        + b"\x1dv0\x00\x02\x00\x02\x00"  # GS v 0, normal density, 2 bytes × 2 rows
        + bytes([0b10000000, 0b11000000, 0b01111111, 0b00000000])
        + b"\x1d\x0c"  # GS FF: next label
    )


def test_tspl_bytes_are_pinned() -> None:
    assert encode_tspl(_tiny()) == (
        b"SIZE 1.25 mm,0.25 mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 0,0\r\nREFERENCE 0,0\r\nCLS\r\n"
        + b"BITMAP 0,0,2,2,0,"
        + bytes([0b01111111, 0b00111111, 0b10000000, 0b11111111])  # 1 = white, padding white
        + b"\r\nPRINT 1,1\r\n"
    )


def test_zpl_bytes_are_pinned() -> None:
    assert encode_zpl(_tiny(), JobOptions(copies=2)) == (
        b"^XA\n^CI28\n^PW10\n^LL2\n^LH0,0\n^FO0,0^GFA,4,4,2,80C,7F,^FS\n^PQ2\n^XZ\n"  # rows 80C0, 7F00
    )


@pytest.mark.parametrize("lang", LANGS)
def test_bitmap_data_holding_query_bytes_is_not_taken_for_a_query(lang: str) -> None:
    queries = {"escpos": b"\x10\x04\x01", "tspl": b"\x1b!?", "zpl": b"~HQES"}[lang]
    width = 8 * 16
    bits = np.unpackbits(np.frombuffer((queries * 64)[: 16 * 8], dtype=np.uint8)).reshape(8, width).astype(bool)
    if lang == "tspl":
        bits = ~bits  # TSPL sends white as 1: make the *sent* bytes hold the query
    image = Image.fromarray(~bits)
    vp = VirtualPrinter(lang)
    vp.feed(ENCODERS[lang](image, JobOptions()))
    assert len(vp.labels) == 1 and same_pixels(vp.labels[0].image, image)
    if lang == "escpos":
        # an ESC/POS printer answers DLE EOT n wherever it arrives (Epson's manuals); the label is still whole
        assert vp.queries > 0 and len(vp.take_reply(1000)) == vp.queries
    else:
        assert vp.queries == 0 and vp.take_reply(100) == b""


FAULTS = [
    ("paper", PrinterState.PAPER_OUT),
    ("cover", PrinterState.COVER_OPEN),
    ("offline", PrinterState.OFFLINE),
]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("fault", "expected"), FAULTS)
def test_status_under_faults(
    lang: str, fault: str, expected: PrinterState, transport_kind: str, tmp_path: Path
) -> None:
    vp = VirtualPrinter(lang)
    server = _server(transport_kind, vp, tmp_path)
    try:
        with LabelPrinter(server.uri, lang) as printer:
            assert printer.status().state is PrinterState.ONLINE
            if fault == "paper":
                vp.faults.paper_out_after = 1
                printer.print_image(label())
                printer.print_image(label())
                wait_labels(vp, 1)
            elif fault == "cover":
                vp.set_cover_open(True)
            else:
                vp.set_offline(True)
            status = printer.status()
            assert status.state is expected, status
            assert not status.ready
            # the fault clears: held labels come out, the printer is online again
            vp.load_paper()
            vp.set_cover_open(False)
            vp.set_offline(False)
            assert printer.status().state is PrinterState.ONLINE
            if fault == "paper":
                assert len(vp.labels) == 2
    finally:
        server.stop()


@pytest.mark.parametrize("lang", LANGS)
def test_silent_printer_is_unknown_within_bounded_time(lang: str, transport_kind: str, tmp_path: Path) -> None:
    vp = VirtualPrinter(lang, faults=PrinterFaults(silent=True))
    server = _server(transport_kind, vp, tmp_path)
    try:
        with LabelPrinter(server.uri, lang, status_timeout_s=0.3) as printer:
            started = time.monotonic()
            status = printer.status()
            elapsed = time.monotonic() - started
    finally:
        server.stop()
    assert status.state is PrinterState.UNKNOWN and not status.ready
    assert elapsed < 1.5


@pytest.mark.parametrize("lang", LANGS)
def test_stale_replies_are_drained_before_asking(lang: str) -> None:
    vp = VirtualPrinter(lang)
    with TcpPrinterServer(vp) as server, LabelPrinter(server.uri, lang) as printer:
        printer.connect()
        vp.set_cover_open(True)
        printer.transport.write({"escpos": b"\x10\x04\x02", "tspl": b"\x1b!?", "zpl": b"~HQES"}[lang], 1)
        time.sleep(0.2)  # an answer nobody read is now waiting
        vp.set_cover_open(False)
        assert printer.status().state is PrinterState.ONLINE


def test_unreachable_printer_reads_unknown_not_an_exception() -> None:
    with LabelPrinter("socket://127.0.0.1:9", "escpos", timeout_s=0.5) as printer:
        status = printer.status()
    assert status.state is PrinterState.UNKNOWN and status.detail is Detail.CANNOT_CONNECT
    assert status.error is not None and status.error.code == "dev.open_failed"
    assert status.detail_text == f"not connected: {status.error}" and "socket://127.0.0.1:9" in status.detail_text


@pytest.mark.parametrize("lang", LANGS)
def test_disconnect_mid_job_is_a_clear_error_and_the_emulator_shows_what_printed(
    lang: str, transport_kind: str, tmp_path: Path
) -> None:
    image = label()
    job_size = len(ENCODERS[lang](image, JobOptions()))
    vp = VirtualPrinter(lang, faults=PrinterFaults(disconnect_after_bytes=job_size * 2 + job_size // 2))
    server = _server(transport_kind, vp, tmp_path)
    try:
        with LabelPrinter(server.uri, lang, timeout_s=2) as printer, pytest.raises(PrintFault) as info:
            for _ in range(6):
                printer.print_image(image)
                time.sleep(0.05)
    finally:
        server.stop()
    assert info.value.code in ("print.disconnected", "print.unconfirmed")
    assert "printer" in str(info.value)
    assert len(vp.labels) == 2, "two whole labels printed, the third was cut off"


@pytest.mark.parametrize("lang", LANGS)
def test_reconnects_after_power_cycle(lang: str, transport_kind: str, tmp_path: Path) -> None:
    vp = VirtualPrinter(lang)
    server = _server(transport_kind, vp, tmp_path)
    try:
        with LabelPrinter(server.uri, lang, timeout_s=2) as printer:
            printer.print_image(label())
            wait_labels(vp, 1)
            server.power_cycle()
            assert printer.status().state is PrinterState.ONLINE
            printer.print_image(label())
            wait_labels(vp, 2)
    finally:
        server.stop()


def test_dead_elements_and_low_darkness_show_on_the_label() -> None:
    vp = VirtualPrinter("tspl", faults=PrinterFaults(dead_elements=(40, 41), darkness=0.4))
    vp.feed(encode_tspl(label()))
    printed = np.asarray(vp.labels[0].image)
    source = np.asarray(label().convert("L"))
    assert (printed[:, 40:42] == 255).all() and (source[:, 40:42] == 0).any()
    ink = printed[(source == 0) & (np.arange(source.shape[1]) != 40)[None, :] & (np.arange(source.shape[1]) != 41)]
    assert (ink == round(255 * 0.6)).all()


def test_slow_drain_paces_the_printer() -> None:
    vp = VirtualPrinter("zpl", faults=PrinterFaults(drain_bytes_per_s=40_000))
    with TcpPrinterServer(vp) as server, LabelPrinter(server.uri, "zpl") as printer:
        started = time.monotonic()
        size = printer.print_image(label())
        wait_labels(vp, 1, timeout_s=5)
        elapsed = time.monotonic() - started
    assert elapsed >= size / 40_000 * 0.8


def test_bad_uris_and_languages_are_clear() -> None:
    with pytest.raises(DeviceFault, match="unknown scheme"):
        open_transport("lpt1")
    with pytest.raises(DeviceFault, match="VID:PID"):
        open_transport("usb://epson")
    with pytest.raises(DeviceFault, match="unknown option"):
        open_transport("serial:///dev/ttyS0?speed=9600")
    with pytest.raises(DeviceFault, match="unsupported printer language"):
        LabelPrinter("socket://127.0.0.1:9100", "cpcl")


def test_second_host_is_refused_while_one_prints() -> None:
    vp = VirtualPrinter("escpos")
    with TcpPrinterServer(vp) as server, LabelPrinter(server.uri, "escpos") as first:
        first.connect()
        time.sleep(0.1)
        with LabelPrinter(server.uri, "escpos", status_timeout_s=0.2) as second:
            assert second.status().state is PrinterState.UNKNOWN


def test_a_host_that_just_closed_is_let_go_before_the_next_one_connects() -> None:
    # one status query after another, each on its own connection, as the app's screens ask in turn: the printer has
    # let the last host go by the time the next connects, so none is refused for coming quickly (7 of 60 were)
    vp = VirtualPrinter("tspl")
    with TcpPrinterServer(vp) as server:
        states = []
        for _ in range(40):
            with LabelPrinter(server.uri, "tspl", status_timeout_s=0.5) as printer:
                states.append(printer.status().state)
    assert set(states) == {PrinterState.ONLINE}


def test_printers_and_scanners_read_serial_options_alike() -> None:
    from drivers.scanners import SerialScanner, open_scanner

    query = "baudrate=19200&bytesize=7&parity=even&stopbits=1.5&rtscts=yes&xonxoff=0&dsrdtr=true"
    transport = open_transport(f"serial:///dev/ttyS0?{query}")
    scanner = open_scanner(f"serial:///dev/ttyS0?{query}")
    assert isinstance(transport, transports.SerialTransport) and isinstance(scanner, SerialScanner)
    expected = {"baudrate": 19200, "bytesize": 7, "parity": "E", "stopbits": 1.5}
    assert transport.options == scanner.options == {**expected, "rtscts": True, "xonxoff": False, "dsrdtr": True}
    with pytest.raises(DeviceFault, match="stopbits=one"):
        open_transport("serial:///dev/ttyS0?stopbits=one")


def test_a_usb_printer_on_a_bus_nobody_plugged_is_refused_naming_the_bus() -> None:
    from drivers.errors import DeviceFault

    with pytest.raises(DeviceFault) as err:
        open_transport("usb://0483:5743?bus=nowhere")
    assert err.value.code == "dev.bad_uri.usb_bus" and "no USB bus 'nowhere'" in str(err.value)


def test_two_emulated_usb_buses_keep_their_printers_apart() -> None:
    from drivers.emulators.servers import UsbPrinterPlug

    first, second = VirtualPrinter("escpos"), VirtualPrinter("escpos")
    plugs = [UsbPrinterPlug(first).start(), UsbPrinterPlug(second).start()]
    try:
        assert plugs[0].uri != plugs[1].uri  # the same VID:PID and serial, on two buses
        transport = open_transport(plugs[1].uri)
        transport.open(2.0)
        transport.write(b"\x1b@", 2.0)
        transport.close()
        assert second.received == 2 and first.received == 0
    finally:
        for plug in plugs:
            plug.stop()
