"""Moving bytes to and from a printer, chosen by URI (``drivers.registry``). Knows nothing of printer languages.

    socket://HOST:PORT                   raw TCP (port 9100 on most network printers)
    serial:///dev/ttyUSB0?baudrate=9600  pyserial; any pyserial URL after serial:// (e.g. serial://rfc2217://…)
    usb://VID:PID[?serial=SN]            pyusb; endpoints from the printer-class (7) interface
    file:///dev/usb/lp0                  a device file (write only: status is UNKNOWN)

Every operation has a finite timeout; a device that cannot be used is a ``DeviceFault``. Dependencies are imported
only when their scheme is used. Writing to a transport that is not open is refused with ``dev.not_open``.
"""

from __future__ import annotations

import abc
import errno
import os
import select
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from drivers.errors import DeviceFault
from drivers.registry import open_device
from drivers.serial_options import SERIAL_OPTIONS, serial_option

EXAMPLES = "socket://127.0.0.1:9100, serial:///dev/ttyUSB0?baudrate=9600, usb://0483:5743, file:///dev/usb/lp0"


class TransportClosed(Exception):
    """The link to the device dropped mid-transfer; ``sent`` bytes had gone out."""

    def __init__(self, sent: int, reason: str) -> None:
        super().__init__(reason)
        self.sent = sent


class Transport(abc.ABC):
    """A byte pipe to one device."""

    def __init__(self, uri: str) -> None:
        self.uri = uri

    @abc.abstractmethod
    def open(self, timeout_s: float) -> None:
        """Connect (or find the device again after it went away)."""

    @abc.abstractmethod
    def close(self) -> None:
        """Disconnect; safe to call twice."""

    @property
    @abc.abstractmethod
    def is_open(self) -> bool:
        """True while connected."""

    @abc.abstractmethod
    def write(self, data: bytes, timeout_s: float) -> None:
        """Send all of ``data``; TransportClosed if the link drops, TimeoutError if the device stops taking data."""

    @abc.abstractmethod
    def read(self, max_bytes: int, timeout_s: float) -> bytes:
        """What the device sent, waiting at most ``timeout_s``; b"" when nothing came."""

    @property
    def can_read(self) -> bool:
        """False for links that cannot carry replies (a device file)."""
        return True

    def drain(self) -> bytes:
        """Throw away anything the device sent earlier, so the next reply answers the next query."""
        stale = b""
        for _ in range(64):
            chunk = self.read(4096, 0.0)
            if not chunk:
                break
            stale += chunk
        return stale


# --- TCP ---------------------------------------------------------------------------------------------


class SocketTransport(Transport):
    """Raw TCP, as network printers listen on port 9100."""

    def __init__(self, uri: str, host: str, port: int) -> None:
        super().__init__(uri)
        self.host, self.port = host, port
        self._sock: socket.socket | None = None

    def open(self, timeout_s: float) -> None:
        self.close()
        try:
            self._sock = socket.create_connection((self.host, self.port), timeout=timeout_s)
        except OSError as err:
            raise DeviceFault("dev.open_failed", uri=self.uri, reason=err.strerror or str(err)) from err
        self._sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def close(self) -> None:
        if self._sock is not None:
            try:
                self._sock.close()
            finally:
                self._sock = None

    @property
    def is_open(self) -> bool:
        return self._sock is not None

    def write(self, data: bytes, timeout_s: float) -> None:
        if self._sock is None:
            raise DeviceFault("dev.not_open", uri=self.uri)
        sent = 0
        view = memoryview(data)
        deadline = time.monotonic() + timeout_s
        while sent < len(data):
            self._sock.settimeout(max(0.001, deadline - time.monotonic()))
            try:
                n = self._sock.send(view[sent : sent + 65536])
            except TimeoutError:
                raise
            except OSError as err:
                self.close()
                raise TransportClosed(sent, err.strerror or str(err)) from err
            if n == 0:
                self.close()
                raise TransportClosed(sent, "connection closed")
            sent += n
            deadline = time.monotonic() + timeout_s  # the timeout is for progress, not for the whole job

    def read(self, max_bytes: int, timeout_s: float) -> bytes:
        if self._sock is None:
            return b""
        self._sock.settimeout(max(timeout_s, 0.0) or 0.0001)
        try:
            data = self._sock.recv(max_bytes)
        except (TimeoutError, BlockingIOError):
            return b""
        except OSError:
            self.close()
            return b""
        if not data:  # the peer closed
            self.close()
        return data


# --- serial ------------------------------------------------------------------------------------------


class SerialTransport(Transport):
    """pyserial: a tty path or any pyserial URL, with baudrate etc. from the query string."""

    def __init__(self, uri: str, target: str, options: dict[str, Any]) -> None:
        super().__init__(uri)
        self.target, self.options = target, options
        self._port: Any = None

    def open(self, timeout_s: float) -> None:
        self.close()
        try:
            import serial
        except ImportError as err:
            raise DeviceFault("dev.missing_lib", uri=self.uri, package="pyserial") from err
        try:
            self._port = serial.serial_for_url(self.target, timeout=timeout_s, write_timeout=timeout_s, **self.options)
        except (serial.SerialException, ValueError, OSError) as err:
            raise DeviceFault("dev.open_failed", uri=self.uri, reason=str(err)) from err

    def close(self) -> None:
        if self._port is not None:
            try:
                self._port.close()
            finally:
                self._port = None

    @property
    def is_open(self) -> bool:
        return self._port is not None

    def write(self, data: bytes, timeout_s: float) -> None:
        import serial

        if self._port is None:
            raise DeviceFault("dev.not_open", uri=self.uri)
        sent = 0
        try:
            self._port.write_timeout = timeout_s
            for start in range(0, len(data), 4096):
                sent += self._port.write(data[start : start + 4096]) or 0
            # flush() would wait for ever on a printer holding RTS/CTS; wait for the output queue with a deadline
            deadline = time.monotonic() + timeout_s
            while self._port.out_waiting and time.monotonic() < deadline:
                time.sleep(0.005)
            if self._port.out_waiting:
                raise TimeoutError(f"{self.target}: output not taken for {timeout_s} s")
        except serial.SerialTimeoutException as err:
            raise TimeoutError(str(err)) from err
        except (serial.SerialException, OSError) as err:
            self.close()
            raise TransportClosed(sent, str(err)) from err

    def read(self, max_bytes: int, timeout_s: float) -> bytes:
        import serial

        if self._port is None:
            return b""
        try:
            # read(n) would wait for all n bytes or the whole timeout; wait only for the first byte, then take
            # whatever else has arrived
            self._port.timeout = max(timeout_s, 0.0)
            data: bytes = self._port.read(1) if timeout_s > 0 else b""
            waiting = self._port.in_waiting
            if waiting and len(data) < max_bytes:
                data += self._port.read(min(waiting, max_bytes - len(data)))
        except (serial.SerialException, OSError):
            self.close()
            return b""
        return data


# --- USB ---------------------------------------------------------------------------------------------

# pyusb backends other than libusb's, by name: a URI's ``bus=NAME`` option finds its printer on that bus (the
# emulated USB bus names itself here when a virtual printer is plugged into it)
USB_BUSES: dict[str, Any] = {}


def add_usb_bus(name: str, backend: Any) -> None:
    """Make a pyusb backend reachable as ``usb://VID:PID?bus=NAME``."""
    USB_BUSES[name] = backend


@dataclass(frozen=True)
class UsbEndpoints:
    """The printer-class interface and its bulk endpoints, read from the descriptors."""

    interface: int
    out_ep: int
    in_ep: int | None


def printer_endpoints(device: Any) -> UsbEndpoints | None:
    """Find the class-7 (printer) interface and its bulk OUT/IN endpoints; models differ, so never assume."""
    import usb.util

    config = device.get_active_configuration() if _configured(device) else next(iter(device))
    for intf in config:
        if intf.bInterfaceClass != 7:
            continue
        out_ep = in_ep = None
        for ep in intf:
            if usb.util.endpoint_type(ep.bmAttributes) != usb.util.ENDPOINT_TYPE_BULK:
                continue
            if usb.util.endpoint_direction(ep.bEndpointAddress) == usb.util.ENDPOINT_OUT:
                out_ep = out_ep or ep.bEndpointAddress
            else:
                in_ep = in_ep or ep.bEndpointAddress
        if out_ep is not None:
            return UsbEndpoints(intf.bInterfaceNumber, out_ep, in_ep)
    return None


def _configured(device: Any) -> bool:
    import usb.core

    try:
        device.get_active_configuration()
    except usb.core.USBError:
        return False
    return True


class UsbTransport(Transport):
    """pyusb bulk transfers on the printer-class interface; the kernel's usblp driver is detached first."""

    def __init__(self, uri: str, vid: int, pid: int, serial: str | None, bus: Any = None) -> None:
        super().__init__(uri)
        self.vid, self.pid, self.serial = vid, pid, serial
        self.bus = bus  # a pyusb backend, None for libusb's
        self._dev: Any = None
        self._eps: UsbEndpoints | None = None

    def _find(self) -> Any:
        import usb.core
        import usb.util

        kwargs: dict[str, Any] = {"idVendor": self.vid, "idProduct": self.pid, "find_all": True}
        if self.bus is not None:
            kwargs["backend"] = self.bus
        try:
            candidates = list(usb.core.find(**kwargs) or [])
        except usb.core.NoBackendError as err:
            raise DeviceFault("dev.missing_lib", uri=self.uri, package="libusb-1.0-0 (apt)") from err
        for dev in candidates:
            if self.serial is None:
                return dev
            try:
                if usb.util.get_string(dev, dev.iSerialNumber) == self.serial:
                    return dev
            except (usb.core.USBError, ValueError):
                continue
        return None

    def open(self, timeout_s: float) -> None:
        import usb.core
        import usb.util

        self.close()
        try:
            import usb  # noqa: F401
        except ImportError as err:
            raise DeviceFault("dev.missing_lib", uri=self.uri, package="pyusb") from err
        dev = self._find()
        if dev is None:
            raise DeviceFault("dev.usb_not_found", uri=self.uri)
        try:
            if not _configured(dev):
                dev.set_configuration()
            eps = printer_endpoints(dev)
            if eps is None:
                raise DeviceFault("dev.no_endpoints", uri=self.uri)
            if dev.is_kernel_driver_active(eps.interface):
                dev.detach_kernel_driver(eps.interface)
            usb.util.claim_interface(dev, eps.interface)
        except usb.core.USBError as err:
            if err.errno == errno.EACCES:
                raise DeviceFault("dev.usb_access", uri=self.uri) from err
            if err.errno == errno.EBUSY:
                raise DeviceFault("dev.usb_busy", uri=self.uri, reason=str(err)) from err
            raise DeviceFault("dev.open_failed", uri=self.uri, reason=str(err)) from err
        self._dev, self._eps = dev, eps

    def close(self) -> None:
        if self._dev is not None:
            import usb.core
            import usb.util

            try:
                usb.util.dispose_resources(self._dev)
            except usb.core.USBError:
                pass
            self._dev = None

    @property
    def is_open(self) -> bool:
        return self._dev is not None

    def write(self, data: bytes, timeout_s: float) -> None:
        import usb.core

        if self._dev is None or self._eps is None:
            raise DeviceFault("dev.not_open", uri=self.uri)
        sent = 0
        timeout_ms = max(1, int(timeout_s * 1000))  # never 0: libusb would wait forever
        try:
            for start in range(0, len(data), 16384):
                sent += self._dev.write(self._eps.out_ep, data[start : start + 16384], timeout_ms)
        except usb.core.USBTimeoutError as err:
            raise TimeoutError(str(err)) from err
        except usb.core.USBError as err:
            self.close()
            raise TransportClosed(sent, str(err)) from err

    def read(self, max_bytes: int, timeout_s: float) -> bytes:
        import usb.core

        if self._dev is None or self._eps is None or self._eps.in_ep is None:
            return b""
        try:
            data = self._dev.read(self._eps.in_ep, max(64, max_bytes), max(1, int(timeout_s * 1000)))
        except usb.core.USBTimeoutError:
            return b""
        except usb.core.USBError:
            self.close()
            return b""
        return bytes(data)

    @property
    def can_read(self) -> bool:
        return self._eps is None or self._eps.in_ep is not None


# --- device file -------------------------------------------------------------------------------------


class FileTransport(Transport):
    """A device file such as /dev/usb/lp0 (usblp); write only. Opened non-blocking, so a printer that stops
    taking data (paper out, offline) times out instead of hanging the station."""

    def __init__(self, uri: str, path: str) -> None:
        super().__init__(uri)
        self.path = path
        self._fd: int | None = None

    def open(self, timeout_s: float) -> None:
        self.close()
        try:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_NONBLOCK)
        except OSError as err:
            raise DeviceFault("dev.open_failed", uri=self.uri, reason=err.strerror or str(err)) from err

    def close(self) -> None:
        if self._fd is not None:
            try:
                os.close(self._fd)
            finally:
                self._fd = None

    @property
    def is_open(self) -> bool:
        return self._fd is not None

    def write(self, data: bytes, timeout_s: float) -> None:
        if self._fd is None:
            raise DeviceFault("dev.not_open", uri=self.uri)
        sent = 0
        view = memoryview(data)
        deadline = time.monotonic() + timeout_s
        while sent < len(data):
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"{self.path} took no data for {timeout_s} s")
            _, writable, _ = select.select([], [self._fd], [], remaining)
            if not writable:
                continue
            try:
                n = os.write(self._fd, view[sent : sent + 65536])
            except BlockingIOError:
                continue
            except OSError as err:
                self.close()
                raise TransportClosed(sent, err.strerror or str(err)) from err
            sent += n
            deadline = time.monotonic() + timeout_s

    def read(self, max_bytes: int, timeout_s: float) -> bytes:
        return b""

    @property
    def can_read(self) -> bool:
        return False


# --- openers (drivers.registry) -----------------------------------------------------------------------


def socket_transport(uri: str) -> Transport:
    """The socket transport for ``uri``; a ``dev.bad_uri.*`` fault when the address is malformed."""
    parts = urlsplit(uri)
    if not parts.hostname:
        raise DeviceFault("dev.bad_uri.no_host", uri=uri, examples=EXAMPLES)
    try:
        port = parts.port or 9100
    except ValueError as err:
        raise DeviceFault("dev.bad_uri.bad_port", uri=uri, examples=EXAMPLES) from err
    return SocketTransport(uri, parts.hostname, port)


def serial_transport(uri: str) -> Transport:
    """The serial transport for ``uri``; a ``dev.bad_uri.*`` fault when the address is malformed."""
    rest = uri[len("serial://") :]
    target, _, query = rest.partition("?")
    if not target:
        raise DeviceFault("dev.bad_uri.no_port", uri=uri, examples=EXAMPLES)
    options: dict[str, Any] = {}
    for key, values in parse_qs(query).items():
        value = values[-1]
        if key not in SERIAL_OPTIONS:
            raise DeviceFault("dev.bad_uri.unknown_option", uri=uri, key=key, examples=EXAMPLES)
        try:
            options[key] = serial_option(key, value)
        except ValueError as err:
            raise DeviceFault("dev.bad_uri.bad_option", uri=uri, key=key, value=value, examples=EXAMPLES) from err
    return SerialTransport(uri, target, options)


def usb_transport(uri: str) -> Transport:
    """The USB transport for ``uri``; a ``dev.bad_uri.*`` fault when the address is malformed."""
    parts = urlsplit(uri)
    ident = parts.netloc or parts.path.strip("/")
    try:
        vid_text, pid_text = ident.split(":")
        vid, pid = int(vid_text, 16), int(pid_text, 16)
    except ValueError as err:
        raise DeviceFault("dev.bad_uri.usb_ids", uri=uri, examples=EXAMPLES) from err
    query = parse_qs(parts.query)
    serial = query.get("serial", [None])[-1]
    bus_name = query.get("bus", [None])[-1]
    if bus_name is not None and bus_name not in USB_BUSES:
        known = ", ".join(sorted(USB_BUSES)) or "-"
        raise DeviceFault("dev.bad_uri.usb_bus", uri=uri, bus=bus_name, known=known, examples=EXAMPLES)
    return UsbTransport(uri, vid, pid, serial, None if bus_name is None else USB_BUSES[bus_name])


def file_transport(uri: str) -> Transport:
    """The file transport for ``uri``; a ``dev.bad_uri.*`` fault when the address is malformed."""
    path = uri[len("file://") :]
    if not path.startswith("/"):
        raise DeviceFault("dev.bad_uri.not_absolute", uri=uri, examples=EXAMPLES)
    return FileTransport(uri, path)


def unknown_address(uri: str, prefixes: list[str]) -> DeviceFault:
    """The refusal of a printer URI no transport takes."""
    return DeviceFault("dev.bad_uri.unknown_scheme", uri=uri, examples=EXAMPLES)


def open_transport(uri: str) -> Transport:
    """The transport for ``uri`` (not yet connected)."""
    transport: Transport = open_device("printer-transport", uri)
    return transport


__all__ = [
    "Transport",
    "TransportClosed",
    "file_transport",
    "open_transport",
    "printer_endpoints",
    "serial_transport",
    "socket_transport",
    "usb_transport",
]
