"""A pyusb backend that presents virtual USB printers, so unmodified pyusb and python-escpos code runs against them.

    be = EmulatedUsbBackend()
    printer = be.add_device(sink)                      # sink: anything with feed(bytes) and take_reply(int)
    dev = usb.core.find(idVendor=0x0483, idProduct=0x5743, backend=be)

The backend behaves like pyusb's libusb1 backend on Linux, because that is what the station meets in the field:

- Errors are `usb.core.USBError` (`USBTimeoutError` for timeouts) built as that backend builds them: libusb's message,
  libusb's error code as `backend_error_code`, and the errno: ENODEV (19) once unplugged, EBUSY (16) while the usblp
  kernel driver holds the printer interface or another handle has claimed it, ETIMEDOUT (110) when no reply comes,
  EPIPE (32) for control requests the device does not answer (a stall), ENOENT (2) and EINVAL (22) for endpoints,
  interfaces or configurations that do not exist.
- `VirtualUsbDevice.kernel_driver_active` models usblp bound to the printer interface only (the HID interface of
  `leading_hid_interface=True` reports no kernel driver). Replugging binds usblp again, as the kernel does.
- Each plug-in gets a new device address; devices found and handles opened before an unplug stay dead after replug.
- python-escpos 3.1's `Usb.open()` detaches the kernel driver only when the backend's module name ends in "libusb1",
  so with this backend (as with any other non-libusb1 backend) the caller must detach it first.

The sink is called outside the backend's lock, so a sink may call `unplug()` itself to inject a fault mid-job.
"""

from __future__ import annotations

import array
import errno
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Protocol

import usb.backend
import usb.core

__all__ = ["EmulatedUsbBackend", "UsbSink", "VirtualUsbDevice"]

# libusb waits forever when a transfer's timeout is 0. A test or a demo must never hang, so an unbounded wait is
# cut short here and reported as the timeout libusb would have reported had it been given this many seconds.
UNBOUNDED_WAIT_CAP_S = 5.0
POLL_INTERVAL_S = 0.002

LANGID_EN_US = 0x0409
PRINTER_CLASS, PRINTER_SUBCLASS, PRINTER_BIDIRECTIONAL = 7, 1, 2
HID_CLASS = 3
BULK, INTERRUPT = 0x02, 0x03
MAX_PACKET = 64

# errno -> (libusb error code, libusb_strerror text): what pyusb's libusb1 backend puts into a USBError.
_LIBUSB_ERRORS: dict[int, tuple[int, str]] = {
    errno.EINVAL: (-2, "Invalid parameter"),
    errno.ENODEV: (-4, "No such device (it may have been disconnected)"),
    errno.ENOENT: (-5, "Entity not found"),
    errno.EBUSY: (-6, "Resource busy"),
    errno.ETIMEDOUT: (-7, "Operation timed out"),
    errno.EOVERFLOW: (-8, "Overflow"),
    errno.EPIPE: (-9, "Pipe error"),
}


def _usb_error(err: int) -> usb.core.USBError:
    code, text = _LIBUSB_ERRORS[err]
    if err == errno.ETIMEDOUT:
        return usb.core.USBTimeoutError(text, code, err)
    return usb.core.USBError(text, code, err)


class UsbSink(Protocol):
    """The printer behind a virtual USB device: it takes the host's bytes and queues its replies."""

    def feed(self, data: bytes) -> None:
        """Accept bytes the host wrote to the bulk OUT endpoint."""
        ...

    def take_reply(self, size: int) -> bytes:
        """Return up to `size` bytes queued for the host, or b"" if there are none yet."""
        ...


@dataclass(eq=False)  # identity, not field equality: two identical printers are still two printers
class VirtualUsbDevice:
    """One virtual printer; `plugged` is set by unplug()/replug(), `kernel_driver_active` means usblp holds it."""

    vid: int
    pid: int
    serial: str
    manufacturer: str
    product: str
    out_ep: int
    in_ep: int
    sink: UsbSink
    plugged: bool = True
    kernel_driver_active: bool = True


# --- Descriptors: the attributes pyusb reads, and the bytes a GET_DESCRIPTOR request returns --------------------


@dataclass(frozen=True)
class _Endpoint:
    bEndpointAddress: int
    bmAttributes: int
    wMaxPacketSize: int
    bInterval: int = 0
    bLength: int = 7
    bDescriptorType: int = 5
    bRefresh: int = 0
    bSynchAddress: int = 0
    extra_descriptors: list[int] = field(default_factory=list)

    def pack(self) -> bytes:
        return struct.pack(
            "<BBBBHB",
            self.bLength,
            self.bDescriptorType,
            self.bEndpointAddress,
            self.bmAttributes,
            self.wMaxPacketSize,
            self.bInterval,
        )


@dataclass(frozen=True)
class _Interface:
    bInterfaceNumber: int
    bInterfaceClass: int
    bInterfaceSubClass: int
    bInterfaceProtocol: int
    endpoints: tuple[_Endpoint, ...]
    bAlternateSetting: int = 0
    iInterface: int = 0
    bLength: int = 9
    bDescriptorType: int = 4
    extra_descriptors: list[int] = field(default_factory=list)

    @property
    def bNumEndpoints(self) -> int:
        return len(self.endpoints)

    def pack(self) -> bytes:
        head = struct.pack(
            "<9B",
            self.bLength,
            self.bDescriptorType,
            self.bInterfaceNumber,
            self.bAlternateSetting,
            self.bNumEndpoints,
            self.bInterfaceClass,
            self.bInterfaceSubClass,
            self.bInterfaceProtocol,
            self.iInterface,
        )
        return head + b"".join(ep.pack() for ep in self.endpoints)


@dataclass(frozen=True)
class _Configuration:
    interfaces: tuple[_Interface, ...]
    bConfigurationValue: int = 1
    iConfiguration: int = 0
    bmAttributes: int = 0xC0  # self-powered, as printers with their own supply are
    bMaxPower: int = 1
    bLength: int = 9
    bDescriptorType: int = 2
    extra_descriptors: list[int] = field(default_factory=list)

    @property
    def bNumInterfaces(self) -> int:
        return len(self.interfaces)

    @property
    def wTotalLength(self) -> int:
        return self.bLength + sum(len(intf.pack()) for intf in self.interfaces)

    def pack(self) -> bytes:
        head = struct.pack(
            "<BBHBBBBB",
            self.bLength,
            self.bDescriptorType,
            self.wTotalLength,
            self.bNumInterfaces,
            self.bConfigurationValue,
            self.iConfiguration,
            self.bmAttributes,
            self.bMaxPower,
        )
        return head + b"".join(intf.pack() for intf in self.interfaces)

    def interface(self, number: int) -> _Interface | None:
        return next((i for i in self.interfaces if i.bInterfaceNumber == number), None)

    def printer(self) -> _Interface:
        return next(i for i in self.interfaces if i.bInterfaceClass == PRINTER_CLASS)


@dataclass(frozen=True)
class _DeviceDescriptor:
    idVendor: int
    idProduct: int
    iManufacturer: int
    iProduct: int
    iSerialNumber: int
    bus: int
    address: int
    port_number: int
    bLength: int = 18
    bDescriptorType: int = 1
    bcdUSB: int = 0x0200
    bDeviceClass: int = 0  # class is given per interface
    bDeviceSubClass: int = 0
    bDeviceProtocol: int = 0
    bMaxPacketSize0: int = 64
    bcdDevice: int = 0x0100
    bNumConfigurations: int = 1
    speed: int = 2  # libusb's LIBUSB_SPEED_FULL: 12 Mbit/s, as receipt and label printers are

    @property
    def port_numbers(self) -> tuple[int, ...]:
        return (self.port_number,)

    def pack(self) -> bytes:
        return struct.pack(
            "<BBHBBBBHHHBBBB",
            self.bLength,
            self.bDescriptorType,
            self.bcdUSB,
            self.bDeviceClass,
            self.bDeviceSubClass,
            self.bDeviceProtocol,
            self.bMaxPacketSize0,
            self.idVendor,
            self.idProduct,
            self.bcdDevice,
            self.iManufacturer,
            self.iProduct,
            self.iSerialNumber,
            self.bNumConfigurations,
        )


def _string_table(device: VirtualUsbDevice) -> dict[int, str]:
    """String indexes 1/2/3; an empty string has no descriptor (index 0), as on printers without a serial."""
    table = {1: device.manufacturer, 2: device.product, 3: device.serial}
    return {index: text for index, text in table.items() if text}


def _string_descriptor(text: str) -> bytes:
    payload = text.encode("utf-16-le")
    return bytes([2 + len(payload), 3]) + payload


# --- Backend state -----------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Slot:
    """A device added to the backend, and the port it sits in."""

    device: VirtualUsbDevice
    port: int
    config: _Configuration
    attachment: _Attachment | None = None


@dataclass(eq=False)
class _Attachment:
    """One plug-in of a device: what pyusb enumerates. Dead for good once the device is unplugged."""

    slot: _Slot
    address: int
    alive: bool = True
    configuration_value: int = 1  # the kernel selects configuration 1 when a device appears
    claims: dict[int, _Handle] = field(default_factory=dict)

    @property
    def device(self) -> VirtualUsbDevice:
        return self.slot.device

    @property
    def active_config(self) -> _Configuration | None:
        return self.slot.config if self.configuration_value == self.slot.config.bConfigurationValue else None


@dataclass(eq=False)
class _Handle:
    """An open device handle (a usbfs file descriptor)."""

    attachment: _Attachment
    open: bool = True


class EmulatedUsbBackend(usb.backend.IBackend):
    """A pyusb backend whose bus holds only the virtual printers added to it."""

    def __init__(self) -> None:
        """Start with an empty bus."""
        super().__init__()
        self._lock = threading.RLock()
        self._slots: dict[VirtualUsbDevice, _Slot] = {}
        self._next_address = 2  # address 1 is the root hub

    # --- Public: the bench ---------------------------------------------------------------------------------------

    def add_device(
        self,
        sink: UsbSink,
        vid: int = 0x0483,
        pid: int = 0x5743,
        serial: str = "EMU0001",
        manufacturer: str = "Trace Station",
        product: str = "Virtual label printer",
        out_ep: int = 0x01,
        in_ep: int = 0x82,
        leading_hid_interface: bool = False,
    ) -> VirtualUsbDevice:
        """Plug in a new virtual printer whose bulk OUT bytes go to `sink` and whose replies come from it."""
        if not (0 <= vid <= 0xFFFF and 0 <= pid <= 0xFFFF):
            raise ValueError(f"VID and PID are 16-bit numbers, got {vid:#x}:{pid:#x}")
        if not 0x01 <= out_ep <= 0x0F:
            raise ValueError(f"out_ep must be an OUT endpoint address 0x01..0x0f, got {out_ep:#x}")
        if not 0x81 <= in_ep <= 0x8F:
            raise ValueError(f"in_ep must be an IN endpoint address 0x81..0x8f, got {in_ep:#x}")
        for text in (serial, manufacturer, product):
            if len(text.encode("utf-16-le")) > 252:
                raise ValueError(f"string too long for a USB string descriptor: {text!r}")
        device = VirtualUsbDevice(vid, pid, serial, manufacturer, product, out_ep, in_ep, sink)
        config = _printer_configuration(out_ep, in_ep, leading_hid_interface)
        with self._lock:
            slot = _Slot(device, port=len(self._slots) + 1, config=config)
            self._slots[device] = slot
            self._attach(slot)
        return device

    def unplug(self, device: VirtualUsbDevice) -> None:
        """Pull the cable: open handles fail with ENODEV from now on and enumeration no longer lists the device."""
        with self._lock:
            slot = self._slot(device)
            if slot.attachment is not None:
                slot.attachment.alive = False
                slot.attachment.claims.clear()
                slot.attachment = None
            device.plugged = False

    def replug(self, device: VirtualUsbDevice) -> None:
        """Plug the cable back in at a new address; usblp binds again and old handles stay dead."""
        with self._lock:
            slot = self._slot(device)
            if slot.attachment is None:
                device.kernel_driver_active = True
                self._attach(slot)

    # --- IBackend: enumeration and descriptors (libusb caches these, so they answer even after an unplug) --------

    def enumerate_devices(self) -> list[_Attachment]:
        """List the plugged-in devices."""
        with self._lock:
            return [slot.attachment for slot in self._slots.values() if slot.attachment is not None]

    def get_parent(self, dev: _Attachment) -> None:
        """Virtual devices sit on a root hub that is not modelled."""
        return None

    def get_device_descriptor(self, dev: _Attachment) -> _DeviceDescriptor:
        """The device descriptor, plus the bus position pyusb reads from it."""
        return _device_descriptor(dev)

    def get_configuration_descriptor(self, dev: _Attachment, config: int) -> _Configuration:
        """The one configuration (logical index 0)."""
        if config != 0:
            raise IndexError(f"no configuration at index {config}")
        return dev.slot.config

    def get_interface_descriptor(self, dev: _Attachment, intf: int, alt: int, config: int) -> _Interface:
        """An interface by logical index; there are no alternate settings beyond 0."""
        cfg = self.get_configuration_descriptor(dev, config)
        if not 0 <= intf < len(cfg.interfaces) or alt != 0:
            raise IndexError(f"no interface at index {intf}, alternate setting {alt}")
        return cfg.interfaces[intf]

    def get_endpoint_descriptor(self, dev: _Attachment, ep: int, intf: int, alt: int, config: int) -> _Endpoint:
        """An endpoint by logical index."""
        interface = self.get_interface_descriptor(dev, intf, alt, config)
        if not 0 <= ep < len(interface.endpoints):
            raise IndexError(f"no endpoint at index {ep}")
        return interface.endpoints[ep]

    # --- IBackend: handles, configuration, interfaces ------------------------------------------------------------

    def open_device(self, dev: _Attachment) -> _Handle:
        """Open a handle; fails with ENODEV once this plug-in of the device is gone."""
        with self._lock:
            if not dev.alive:
                raise _usb_error(errno.ENODEV)
            return _Handle(dev)

    def close_device(self, dev_handle: _Handle) -> None:
        """Close the handle, releasing its interfaces; never fails, like libusb_close."""
        with self._lock:
            dev_handle.open = False
            claims = dev_handle.attachment.claims
            for number in [n for n, owner in claims.items() if owner is dev_handle]:
                del claims[number]

    def set_configuration(self, dev_handle: _Handle, config_value: int) -> None:
        """Select a configuration; EBUSY while any interface is claimed or bound to usblp, as Linux usbfs says."""
        with self._lock:
            att = self._live(dev_handle)
            if config_value not in (0, att.slot.config.bConfigurationValue):
                raise _usb_error(errno.ENOENT)
            if att.claims or (att.active_config is not None and att.device.kernel_driver_active):
                raise _usb_error(errno.EBUSY)
            att.configuration_value = config_value

    def get_configuration(self, dev_handle: _Handle) -> int:
        """The active bConfigurationValue (0 when unconfigured)."""
        with self._lock:
            return self._live(dev_handle).configuration_value

    def set_interface_altsetting(self, dev_handle: _Handle, intf: int, altsetting: int) -> None:
        """Only alternate setting 0 exists; the interface must be claimed by this handle."""
        with self._lock:
            att = self._live(dev_handle)
            if att.claims.get(intf) is not dev_handle or altsetting != 0:
                raise _usb_error(errno.ENOENT)

    def claim_interface(self, dev_handle: _Handle, intf: int) -> None:
        """Claim an interface; EBUSY while usblp holds it or another handle has it."""
        with self._lock:
            att = self._live(dev_handle)
            self._claim(dev_handle, att, intf)

    def release_interface(self, dev_handle: _Handle, intf: int) -> None:
        """Release an interface this handle claimed."""
        with self._lock:
            att = self._live(dev_handle)
            if att.claims.get(intf) is not dev_handle:
                raise _usb_error(errno.ENOENT)
            del att.claims[intf]

    def is_kernel_driver_active(self, dev_handle: _Handle, intf: int) -> bool:
        """Whether usblp is bound to this interface."""
        with self._lock:
            att = self._live(dev_handle)
            return self._kernel_driver_on(att, intf)

    def detach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        """Unbind usblp; ENOENT if no kernel driver is bound to the interface, as libusb reports."""
        with self._lock:
            att = self._live(dev_handle)
            if not self._kernel_driver_on(att, intf):
                raise _usb_error(errno.ENOENT)
            att.device.kernel_driver_active = False

    def attach_kernel_driver(self, dev_handle: _Handle, intf: int) -> None:
        """Bind usblp again; EBUSY if it is already bound or a handle has claimed the interface."""
        with self._lock:
            att = self._live(dev_handle)
            if self._kernel_driver_on(att, intf) or intf in att.claims:
                raise _usb_error(errno.EBUSY)
            if att.active_config is None or att.active_config.printer().bInterfaceNumber != intf:
                raise _usb_error(errno.ENOENT)  # usblp only drives the printer interface
            att.device.kernel_driver_active = True

    def clear_halt(self, dev_handle: _Handle, ep: int) -> None:
        """Clear a stall; endpoints here never stall, so this only checks that the endpoint exists."""
        with self._lock:
            att = self._live(dev_handle)
            cfg = att.active_config
            if cfg is None or all(e.bEndpointAddress != ep for e in _iter_endpoints(cfg)):
                raise _usb_error(errno.ENOENT)

    def reset_device(self, dev_handle: _Handle) -> None:
        """Reset the port; the device keeps its address, configuration and kernel-driver binding."""
        with self._lock:
            self._live(dev_handle)

    # --- IBackend: transfers -------------------------------------------------------------------------------------

    def bulk_write(self, dev_handle: _Handle, ep: int, intf: int, data: array.array[int], timeout: int) -> int:
        """Hand the bytes to the sink and report them all written."""
        with self._lock:
            att = self._live(dev_handle)
            self._check_transfer(dev_handle, att, ep, intf, BULK, out=True)
            sink = att.device.sink
        payload = bytes(data)
        sink.feed(payload)  # outside the lock: a sink may unplug the device to inject a fault
        return len(payload)

    def bulk_read(self, dev_handle: _Handle, ep: int, intf: int, buff: array.array[int], timeout: int) -> int:
        """Fill `buff` with the sink's queued reply, waiting up to `timeout` ms for one to arrive."""
        with self._lock:
            att = self._live(dev_handle)
            self._check_transfer(dev_handle, att, ep, intf, BULK, out=False)
            sink = att.device.sink
        return self._wait_for_reply(dev_handle, ep, intf, BULK, buff, timeout, sink.take_reply)

    def intr_read(self, dev_handle: _Handle, ep: int, intf: int, buff: array.array[int], timeout: int) -> int:
        """The HID interface never reports, so an interrupt read always times out."""
        with self._lock:
            att = self._live(dev_handle)
            self._check_transfer(dev_handle, att, ep, intf, INTERRUPT, out=False)
        return self._wait_for_reply(dev_handle, ep, intf, INTERRUPT, buff, timeout, lambda size: b"")

    def ctrl_transfer(
        self,
        dev_handle: _Handle,
        bmRequestType: int,
        bRequest: int,
        wValue: int,
        wIndex: int,
        data: array.array[int],
        timeout: int,
    ) -> int:
        """Answer the standard requests a host makes (descriptors, status, configuration); stall on the rest."""
        with self._lock:
            att = self._live(dev_handle)
            if not bmRequestType & 0x80:
                raise _usb_error(errno.EPIPE)  # no host-to-device request is supported: the device stalls
            reply = _standard_request(att, bmRequestType, bRequest, wValue, wIndex)
        count = min(len(data), len(reply))
        data[:count] = array.array("B", reply[:count])
        return count

    # --- Internals (callers hold the lock) -----------------------------------------------------------------------

    def _slot(self, device: VirtualUsbDevice) -> _Slot:
        try:
            return self._slots[device]
        except KeyError:
            raise ValueError("this device was not added to this backend") from None

    def _attach(self, slot: _Slot) -> None:
        in_use = {s.attachment.address for s in self._slots.values() if s.attachment is not None}
        address = self._next_address
        while address in in_use:  # addresses run 2..127 and wrap, skipping those still plugged in
            address = address + 1 if address < 127 else 2
        self._next_address = address + 1 if address < 127 else 2
        slot.attachment = _Attachment(slot, address=address)
        slot.device.plugged = True

    def _live(self, handle: _Handle) -> _Attachment:
        if not handle.attachment.alive:
            raise _usb_error(errno.ENODEV)
        if not handle.open:
            raise _usb_error(errno.EINVAL)
        return handle.attachment

    def _kernel_driver_on(self, att: _Attachment, intf: int) -> bool:
        cfg = att.active_config
        if cfg is None or cfg.interface(intf) is None:
            raise _usb_error(errno.EINVAL)
        return att.device.kernel_driver_active and cfg.printer().bInterfaceNumber == intf

    def _claim(self, handle: _Handle, att: _Attachment, intf: int) -> None:
        cfg = att.active_config
        if cfg is None or cfg.interface(intf) is None:
            raise _usb_error(errno.ENOENT)
        owner = att.claims.get(intf)
        if owner is handle:
            return
        if owner is not None or self._kernel_driver_on(att, intf):
            raise _usb_error(errno.EBUSY)
        att.claims[intf] = handle

    def _check_transfer(self, handle: _Handle, att: _Attachment, ep: int, intf: int, kind: int, out: bool) -> None:
        cfg = att.active_config
        interface = cfg.interface(intf) if cfg is not None else None
        endpoint = next((e for e in interface.endpoints if e.bEndpointAddress == ep), None) if interface else None
        if endpoint is None:
            raise _usb_error(errno.ENOENT)
        if endpoint.bmAttributes != kind or bool(ep & 0x80) == out:
            raise _usb_error(errno.EINVAL)
        # usbfs claims an unclaimed interface for the first transfer on it, and fails with EBUSY if usblp has it.
        self._claim(handle, att, intf)

    def _wait_for_reply(
        self,
        handle: _Handle,
        ep: int,
        intf: int,
        kind: int,
        buff: array.array[int],
        timeout: int,
        take: Callable[[int], bytes],
    ) -> int:
        limit_s = timeout / 1000 if timeout > 0 else UNBOUNDED_WAIT_CAP_S
        deadline = time.monotonic() + limit_s
        size = len(buff) * buff.itemsize
        while True:
            reply = take(size)
            if reply:
                if len(reply) > size:
                    raise _usb_error(errno.EOVERFLOW)  # the sink broke its contract; libusb reports an overflow
                buff[: len(reply)] = array.array("B", reply)
                return len(reply)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _usb_error(errno.ETIMEDOUT)
            time.sleep(min(POLL_INTERVAL_S, remaining))
            with self._lock:  # an unplug ends a pending transfer at once, as it does on a real bus
                att = self._live(handle)
                self._check_transfer(handle, att, ep, intf, kind, out=False)


def _printer_configuration(out_ep: int, in_ep: int, leading_hid_interface: bool) -> _Configuration:
    """The printer interface (class 7, bidirectional), after an unrelated HID interface if asked for."""
    interfaces: list[_Interface] = []
    if leading_hid_interface:
        hid_ep = next(a for a in range(0x81, 0x90) if a != in_ep)
        hid = _Endpoint(hid_ep, INTERRUPT, wMaxPacketSize=8, bInterval=10)
        interfaces.append(_Interface(0, HID_CLASS, 0, 0, (hid,)))
    bulk = (_Endpoint(out_ep, BULK, MAX_PACKET), _Endpoint(in_ep, BULK, MAX_PACKET))
    interfaces.append(_Interface(len(interfaces), PRINTER_CLASS, PRINTER_SUBCLASS, PRINTER_BIDIRECTIONAL, bulk))
    return _Configuration(tuple(interfaces))


def _device_descriptor(att: _Attachment) -> _DeviceDescriptor:
    device, strings = att.device, _string_table(att.device)
    return _DeviceDescriptor(
        idVendor=device.vid,
        idProduct=device.pid,
        iManufacturer=1 if 1 in strings else 0,
        iProduct=2 if 2 in strings else 0,
        iSerialNumber=3 if 3 in strings else 0,
        bus=1,
        address=att.address,
        port_number=att.slot.port,
    )


def _standard_request(att: _Attachment, bm_request_type: int, request: int, value: int, index: int) -> bytes:
    """The reply to a device-to-host standard request, or EPIPE (a stall) for anything else."""
    recipient = bm_request_type & 0x1F
    cfg = att.active_config
    if bm_request_type & 0x60:  # class and vendor requests are not modelled
        raise _usb_error(errno.EPIPE)
    if request == 0x00:  # GET_STATUS
        if recipient == 0:
            return b"\x01\x00"  # self-powered, no remote wake-up
        if recipient in (1, 2) and cfg is not None:
            return b"\x00\x00"
    elif request == 0x06 and recipient == 0:  # GET_DESCRIPTOR
        kind, number = value >> 8, value & 0xFF
        if kind == 1 and number == 0:
            return _device_descriptor(att).pack()
        if kind == 2 and number == 0:
            return att.slot.config.pack()
        if kind == 3:
            if number == 0:
                return struct.pack("<BBH", 4, 3, LANGID_EN_US)
            text = _string_table(att.device).get(number)
            if text is not None:
                return _string_descriptor(text)  # like most devices, any LANGID gets the one language
    elif request == 0x08 and recipient == 0:  # GET_CONFIGURATION
        return bytes([att.configuration_value])
    elif request == 0x0A and recipient == 1 and cfg is not None and cfg.interface(index & 0xFF):  # GET_INTERFACE
        return b"\x00"
    raise _usb_error(errno.EPIPE)


def _iter_endpoints(cfg: _Configuration) -> Iterator[_Endpoint]:
    for interface in cfg.interfaces:
        yield from interface.endpoints
