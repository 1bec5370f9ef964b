"""python-escpos' own Network, Serial and Usb classes against the virtual printer: real library, real transport."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import usb.core
import usb.util
from escpos.constants import RT_STATUS_ONLINE
from escpos.escpos import Escpos
from escpos.printer import Network, Serial, Usb

from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import PtyPrinterServer, TcpPrinterServer, UsbPrinterPlug
from tests.printer_helpers import label, same_pixels, wait_labels


def _print_and_query(printer: Escpos, vp: VirtualPrinter) -> None:
    image = label()
    with contextlib.redirect_stdout(io.StringIO()):  # python-escpos prints profile warnings
        printer.image(image, impl="bitImageRaster", fragment_height=128)
    printer._raw(b"\x1d\x0c")
    wait_labels(vp, 1)
    assert same_pixels(vp.labels[0].image, image)
    assert bytes(printer.query_status(RT_STATUS_ONLINE)) == b"\x12"  # Usb returns an array
    vp.faults.paper_out_after = 1  # the roll ran out with the label just printed
    assert printer.paper_status() == 0
    vp.load_paper()
    assert printer.paper_status() == 2


def test_network_class() -> None:
    vp = VirtualPrinter("escpos")
    with TcpPrinterServer(vp) as server:
        printer = Network("127.0.0.1", server.port, timeout=2)
        printer.open()
        try:
            _print_and_query(printer, vp)
        finally:
            printer.close()


def test_serial_class(tmp_path: Path) -> None:
    vp = VirtualPrinter("escpos")
    with PtyPrinterServer(vp, link=tmp_path / "tty") as server:
        printer = Serial(devfile=server.path, baudrate=115200, timeout=1)
        printer.open()
        try:
            _print_and_query(printer, vp)
        finally:
            printer.close()


def test_usb_class() -> None:
    vp = VirtualPrinter("escpos")
    with UsbPrinterPlug(vp, leading_hid_interface=False) as plug:
        # python-escpos 3.1 detaches usblp only under libusb1's backend module; do it as the station does
        device = usb.core.find(idVendor=plug.vid, idProduct=plug.pid, backend=plug.backend)
        assert device is not None and device.is_kernel_driver_active(0)
        device.detach_kernel_driver(0)
        usb.util.dispose_resources(device)
        printer = Usb(plug.vid, plug.pid, usb_args={"backend": plug.backend}, timeout=2000, in_ep=0x82, out_ep=0x01)
        printer.open()
        try:
            _print_and_query(printer, vp)
        finally:
            printer.close()
