"""The emulated pyusb backend, driven only through unmodified pyusb and python-escpos calls."""

from __future__ import annotations

import array
import errno
import struct
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import usb.core
import usb.util

from drivers.emulators import usb as emu
from drivers.emulators.usb import EmulatedUsbBackend, VirtualUsbDevice

VID, PID = 0x0483, 0x5743
DLE_EOT_1 = b"\x10\x04\x01"


class RecordingSink:
    """Records what the host wrote; answers a request with a reply queued only once that request arrives."""

    def __init__(self, replies: dict[bytes, bytes] | None = None) -> None:
        self.received = bytearray()
        self.pending = bytearray()
        self.replies = replies or {}
        self.lock = threading.Lock()

    def feed(self, data: bytes) -> None:
        with self.lock:
            self.received += data
            self.pending += self.replies.get(data, b"")

    def take_reply(self, size: int) -> bytes:
        with self.lock:
            reply = bytes(self.pending[:size])
            del self.pending[:size]
            return reply

    def queue(self, data: bytes) -> None:
        with self.lock:
            self.pending += data


@pytest.fixture
def be() -> EmulatedUsbBackend:
    return EmulatedUsbBackend()


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


def find_one(be: EmulatedUsbBackend, **match: Any) -> Any:
    dev = usb.core.find(backend=be, **match)
    assert dev is not None
    return dev


def ready(be: EmulatedUsbBackend, intf: int = 0, **match: Any) -> Any:
    """A found device with usblp detached and the printer interface claimed, as a station transport leaves it."""
    dev = find_one(be, **match)
    if dev.is_kernel_driver_active(intf):
        dev.detach_kernel_driver(intf)
    usb.util.claim_interface(dev, intf)
    return dev


def errno_of(excinfo: pytest.ExceptionInfo[usb.core.USBError]) -> int | None:
    return excinfo.value.errno


# --- 1. Enumeration, descriptors and strings ---------------------------------------------------------------------


def test_find_lists_devices_and_tells_twins_apart_by_serial(be: EmulatedUsbBackend) -> None:
    be.add_device(RecordingSink(), serial="TWIN-A")
    be.add_device(RecordingSink(), serial="TWIN-B")
    be.add_device(RecordingSink(), vid=0x04B8, pid=0x0E15, serial="EPSON1", manufacturer="EPSON", product="TM-T20")

    assert len(list(usb.core.find(find_all=True, backend=be))) == 3
    twins = list(usb.core.find(find_all=True, backend=be, idVendor=VID, idProduct=PID))
    assert sorted(usb.util.get_string(d, d.iSerialNumber) for d in twins) == ["TWIN-A", "TWIN-B"]
    assert len({(d.bus, d.address) for d in twins}) == 2

    epson = find_one(be, idVendor=0x04B8, idProduct=0x0E15)
    assert (usb.util.get_string(epson, epson.iSerialNumber), epson.manufacturer, epson.product) == (
        "EPSON1",
        "EPSON",
        "TM-T20",
    )
    b = find_one(be, custom_match=lambda d: usb.util.get_string(d, d.iSerialNumber) == "TWIN-B")
    assert b.idVendor == VID and b.serial_number == "TWIN-B"
    assert usb.core.find(backend=be, idVendor=0x1203) is None


def test_string_descriptors_are_well_formed(be: EmulatedUsbBackend) -> None:
    be.add_device(RecordingSink(), serial="EMU0001")
    dev = find_one(be)
    assert dev.langids == (0x0409,)
    assert bytes(dev.ctrl_transfer(0x80, 6, 0x0300, 0, 255)) == b"\x04\x03\x09\x04"
    assert bytes(dev.ctrl_transfer(0x80, 6, 0x0303, 0x0409, 255)) == b"\x10\x03" + "EMU0001".encode("utf-16-le")
    assert usb.util.get_string(dev, dev.iManufacturer) == "Trace Station"
    with pytest.raises(usb.core.USBError) as excinfo:
        dev.ctrl_transfer(0x80, 6, 0x0309, 0x0409, 255)  # no string 9: the device stalls
    assert errno_of(excinfo) == errno.EPIPE


def test_device_and_configuration_descriptor_bytes_agree_with_pyusb_view(be: EmulatedUsbBackend) -> None:
    be.add_device(RecordingSink(), vid=0x2D37, pid=0xCBB4, out_ep=0x03, in_ep=0x84, leading_hid_interface=True)
    dev = find_one(be)
    raw = bytes(dev.ctrl_transfer(0x80, 6, 0x0100, 0, 64))
    assert len(raw) == raw[0] == 18 and raw[1] == 1
    assert struct.unpack_from("<HH", raw, 8) == (0x2D37, 0xCBB4)
    assert (raw[4], raw[14], raw[15], raw[16], raw[17]) == (0, 1, 2, 3, 1)  # class at interface; strings; 1 config

    cfg = bytes(dev.ctrl_transfer(0x80, 6, 0x0200, 0, 255))
    assert struct.unpack_from("<H", cfg, 2)[0] == len(cfg) == 9 + 9 + 7 + 9 + 7 + 7
    walked, at = [], 0
    while at < len(cfg):
        walked.append((cfg[at + 1], cfg[at + 2]))  # (descriptor type, first field)
        at += cfg[at]
    assert at == len(cfg)
    assert walked == [(2, len(cfg)), (4, 0), (5, 0x81), (4, 1), (5, 0x03), (5, 0x84)]
    assert bytes(dev.ctrl_transfer(0x80, 0, 0, 0, 2)) == b"\x01\x00"  # GET_STATUS: self-powered
    with pytest.raises(usb.core.USBError) as excinfo:
        dev.ctrl_transfer(0xC0, 0x42, 0, 0, 8)  # vendor request: stall
    assert errno_of(excinfo) == errno.EPIPE


def test_empty_serial_has_no_string_index(be: EmulatedUsbBackend) -> None:
    be.add_device(RecordingSink(), serial="")
    dev = find_one(be)
    assert dev.iSerialNumber == 0 and usb.util.get_string(dev, dev.iSerialNumber) is None


# --- 2. Endpoints are read from the printer-class interface -------------------------------------------------------


def test_printer_interface_found_by_class_after_a_leading_hid_interface(be: EmulatedUsbBackend) -> None:
    be.add_device(RecordingSink(), out_ep=0x02, in_ep=0x81, leading_hid_interface=True)
    cfg = find_one(be).get_active_configuration()
    assert [i.bInterfaceClass for i in cfg] == [3, 7]

    intf = usb.util.find_descriptor(cfg, bInterfaceClass=7)
    assert (intf.bInterfaceNumber, intf.bInterfaceSubClass, intf.bInterfaceProtocol) == (1, 1, 2)
    out_ep = usb.util.find_descriptor(
        intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_OUT
    )
    in_ep = usb.util.find_descriptor(
        intf, custom_match=lambda e: usb.util.endpoint_direction(e.bEndpointAddress) == usb.util.ENDPOINT_IN
    )
    assert (out_ep.bEndpointAddress, in_ep.bEndpointAddress) == (0x02, 0x81)
    assert {usb.util.endpoint_type(e.bmAttributes) for e in intf} == {usb.util.ENDPOINT_TYPE_BULK}
    assert {e.wMaxPacketSize for e in intf} == {64}
    hid_ep = cfg[(0, 0)][0]
    assert usb.util.endpoint_type(hid_ep.bmAttributes) == usb.util.ENDPOINT_TYPE_INTR
    assert hid_ep.bEndpointAddress not in (0x02, 0x81)


def test_usblp_sits_on_the_printer_interface_not_interface_0(be: EmulatedUsbBackend, sink: RecordingSink) -> None:
    be.add_device(sink, leading_hid_interface=True)
    dev = find_one(be)
    assert dev.is_kernel_driver_active(1) and not dev.is_kernel_driver_active(0)
    with pytest.raises(usb.core.USBError) as excinfo:
        dev.write(0x01, b"x", 100)  # a driver that assumes interface 0 never detached usblp from interface 1
    assert errno_of(excinfo) == errno.EBUSY
    dev.detach_kernel_driver(1)
    assert dev.write(0x01, b"x", 100) == 1
    assert bytes(sink.received) == b"x"


# --- 3. python-escpos, unmodified ---------------------------------------------------------------------------------


def test_escpos_usb_prints_and_reads_status(be: EmulatedUsbBackend) -> None:
    from escpos.printer import Usb

    sink = RecordingSink(replies={DLE_EOT_1: b"\x16"})
    be.add_device(sink)
    # escpos 3.1 detaches usblp only for backends whose module name ends in "libusb1"; detach as a transport would.
    dev = find_one(be, idVendor=VID, idProduct=PID)
    dev.detach_kernel_driver(0)
    usb.util.dispose_resources(dev)

    p = Usb(VID, PID, usb_args={"backend": be}, in_ep=0x82, out_ep=0x01, timeout=500)
    p.open()
    try:
        p.text("hello\n")
        p._raw(b"\x1b@")
        assert bytes(sink.received).endswith(b"hello\n\x1b@")
        assert bytes(p.query_status(DLE_EOT_1)) == b"\x16"
        assert bytes(sink.received).endswith(b"hello\n\x1b@" + DLE_EOT_1)
    finally:
        p.close()


def test_escpos_open_leaves_usblp_bound_so_printing_is_busy(be: EmulatedUsbBackend, sink: RecordingSink) -> None:
    """python-escpos issue #259, reproduced: nothing detaches usblp, the first write fails with Errno 16."""
    from escpos.printer import Usb

    be.add_device(sink)
    p = Usb(VID, PID, usb_args={"backend": be}, in_ep=0x82, out_ep=0x01, timeout=500)
    p.open()  # its set_configuration fails with EBUSY too; escpos only logs that
    try:
        with pytest.raises(usb.core.USBError) as excinfo:
            p.text("hello\n")
        assert errno_of(excinfo) == errno.EBUSY
        assert sink.received == b""
    finally:
        p.close()


# --- 4. Reads time out, and never wait forever --------------------------------------------------------------------


def test_read_with_nothing_queued_times_out_on_time(be: EmulatedUsbBackend) -> None:
    be.add_device(RecordingSink())
    dev = ready(be)
    start = time.monotonic()
    with pytest.raises(usb.core.USBTimeoutError) as excinfo:
        dev.read(0x82, 16, 100)
    elapsed = time.monotonic() - start
    assert 0.09 <= elapsed < 1.0
    assert errno_of(excinfo) == errno.ETIMEDOUT and excinfo.value.backend_error_code == -7


def test_timeout_zero_is_capped_not_forever(be: EmulatedUsbBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(emu, "UNBOUNDED_WAIT_CAP_S", 0.2)
    be.add_device(RecordingSink())
    dev = ready(be)
    start = time.monotonic()
    with pytest.raises(usb.core.USBTimeoutError):
        dev.read(0x82, 16, 0)
    assert 0.19 <= time.monotonic() - start < 2.0


def test_reply_fed_from_another_thread_ends_the_wait(be: EmulatedUsbBackend, sink: RecordingSink) -> None:
    be.add_device(sink)
    dev = ready(be)
    feeder = threading.Timer(0.05, sink.queue, args=(b"\x12\x34\x56",))
    feeder.start()
    try:
        start = time.monotonic()
        assert bytes(dev.read(0x82, 2, 2000)) == b"\x12\x34"  # no more than asked for; the rest stays queued
        assert time.monotonic() - start < 1.0
        assert bytes(dev.read(0x82, 64, 100)) == b"\x56"
    finally:
        feeder.join(timeout=2)


def test_read_into_caller_buffer(be: EmulatedUsbBackend, sink: RecordingSink) -> None:
    be.add_device(sink)
    dev = ready(be)
    sink.queue(b"\x16")
    buff = array.array("B", bytes(8))
    assert dev.read(0x82, buff, 100) == 1 and buff[0] == 0x16


# --- 5. Unplug and replug ----------------------------------------------------------------------------------------


def test_unplug_kills_handles_and_replug_needs_a_fresh_open(be: EmulatedUsbBackend, sink: RecordingSink) -> None:
    printer = be.add_device(sink)
    old = ready(be)
    assert old.write(0x01, b"before", 100) == 6
    old_address = old.address

    be.unplug(printer)
    assert printer.plugged is False
    for attempt in (lambda: old.write(0x01, b"lost", 100), lambda: old.read(0x82, 16, 100)):
        with pytest.raises(usb.core.USBError) as excinfo:
            attempt()
        assert errno_of(excinfo) == errno.ENODEV
    assert usb.core.find(backend=be) is None

    be.replug(printer)
    with pytest.raises(usb.core.USBError) as excinfo:
        old.write(0x01, b"lost", 100)
    assert errno_of(excinfo) == errno.ENODEV
    new = find_one(be)
    assert new.address != old_address
    assert new.is_kernel_driver_active(0)  # usblp grabbed the printer again when it came back
    new.detach_kernel_driver(0)
    assert new.write(0x01, b"after", 100) == 5
    assert bytes(sink.received) == b"beforeafter"


def test_unplug_ends_a_pending_read_at_once(be: EmulatedUsbBackend, sink: RecordingSink) -> None:
    printer = be.add_device(sink)
    dev = ready(be)
    puller = threading.Timer(0.05, be.unplug, args=(printer,))
    puller.start()
    try:
        start = time.monotonic()
        with pytest.raises(usb.core.USBError) as excinfo:
            dev.read(0x82, 16, 3000)
        assert errno_of(excinfo) == errno.ENODEV
        assert time.monotonic() - start < 1.0
    finally:
        puller.join(timeout=2)


# --- 6. The usblp kernel driver ----------------------------------------------------------------------------------


@pytest.fixture
def raw_handle(be: EmulatedUsbBackend, sink: RecordingSink) -> Iterator[tuple[Any, VirtualUsbDevice]]:
    """A backend handle opened directly, so writes happen without pyusb claiming the interface first."""
    printer = be.add_device(sink)
    handle = be.open_device(be.enumerate_devices()[0])
    yield handle, printer
    be.close_device(handle)


def test_write_while_usblp_holds_the_interface_is_busy(
    be: EmulatedUsbBackend, sink: RecordingSink, raw_handle: tuple[Any, VirtualUsbDevice]
) -> None:
    handle, printer = raw_handle
    with pytest.raises(usb.core.USBError) as excinfo:
        be.bulk_write(handle, 0x01, 0, array.array("B", b"x"), 100)
    assert errno_of(excinfo) == errno.EBUSY and str(excinfo.value) == "[Errno 16] Resource busy"
    with pytest.raises(usb.core.USBError) as excinfo:
        be.claim_interface(handle, 0)
    assert errno_of(excinfo) == errno.EBUSY

    assert be.is_kernel_driver_active(handle, 0)
    be.detach_kernel_driver(handle, 0)
    assert printer.kernel_driver_active is False and not be.is_kernel_driver_active(handle, 0)
    be.claim_interface(handle, 0)
    assert be.bulk_write(handle, 0x01, 0, array.array("B", b"\x1b@"), 100) == 2
    assert bytes(sink.received) == b"\x1b@"

    with pytest.raises(usb.core.USBError) as excinfo:
        be.attach_kernel_driver(handle, 0)  # usblp cannot bind while we hold the interface
    assert errno_of(excinfo) == errno.EBUSY
    be.release_interface(handle, 0)
    be.attach_kernel_driver(handle, 0)
    assert printer.kernel_driver_active is True


def test_set_configuration_is_busy_while_usblp_is_bound(be: EmulatedUsbBackend) -> None:
    be.add_device(RecordingSink())
    dev = find_one(be)
    with pytest.raises(usb.core.USBError) as excinfo:
        dev.set_configuration()
    assert errno_of(excinfo) == errno.EBUSY
    dev.detach_kernel_driver(0)
    dev.set_configuration()
    assert dev.get_active_configuration().bConfigurationValue == 1


def test_a_second_handle_cannot_claim_a_claimed_interface(be: EmulatedUsbBackend) -> None:
    be.add_device(RecordingSink())
    first = ready(be)
    second = find_one(be)
    with pytest.raises(usb.core.USBError) as excinfo:
        second.write(0x01, b"x", 100)
    assert errno_of(excinfo) == errno.EBUSY
    usb.util.dispose_resources(first)
    assert second.write(0x01, b"x", 100) == 1
