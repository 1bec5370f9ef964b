"""Putting a virtual printer on a real transport: a TCP socket on 127.0.0.1, or a pty that pyserial opens.

Every thread here stops when ``stop()`` is called; loops wake at least every 50 ms to check.
"""

from __future__ import annotations

import os
import select
import socket
import threading
import time
from pathlib import Path

from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.pty_device import plug_in, unplug

_TICK = 0.05
_LET_GO_S = 4 * _TICK


class TcpPrinterServer:
    """A raw TCP print server (port 9100 style). One connection at a time by default, like many printers."""

    def __init__(
        self, printer: VirtualPrinter, host: str = "127.0.0.1", port: int = 0, single_connection: bool = True
    ) -> None:
        self.printer = printer
        self.host = host
        self.port = port
        self.single_connection = single_connection
        self._listener: socket.socket | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._clients: list[socket.socket] = []
        self._busy = threading.Lock()
        self.connections = 0

    @property
    def uri(self) -> str:
        """The station URI of this printer."""
        return f"socket://{self.host}:{self.port}"

    def start(self) -> TcpPrinterServer:
        """Listen and serve in background threads."""
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind((self.host, self.port))
        listener.listen(4)
        listener.settimeout(_TICK)
        self.port = listener.getsockname()[1]
        self._listener = listener
        self._stop.clear()
        thread = threading.Thread(target=self._accept_loop, name=f"tcp-printer-{self.port}", daemon=True)
        thread.start()
        self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop listening and drop every connection (a power-off)."""
        self._stop.set()
        for client in list(self._clients):
            _abort(client)
        for thread in self._threads:
            thread.join(timeout=2)
        self._threads.clear()
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def power_cycle(self, off_seconds: float = 0.2) -> None:
        """Off, wait, on again at the same address."""
        self.stop()
        time.sleep(off_seconds)
        self.start()

    def __enter__(self) -> TcpPrinterServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        listener = self._listener
        while not self._stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            # a second host is refused while one is printing; a host that has just closed its connection is let go
            # first (the printer sees a close within a tick), so the next host is not refused for being quick
            if self.single_connection and not self._busy.acquire(timeout=_LET_GO_S):
                _abort(client)
                continue
            self._threads = [t for t in self._threads if t.is_alive()]
            thread = threading.Thread(target=self._serve, args=(client,), daemon=True)
            thread.start()
            self._threads.append(thread)

    def _serve(self, client: socket.socket) -> None:
        """Serve one host; the busy lock (single connection) was taken by the accept loop."""
        self.connections += 1
        self._clients.append(client)
        client.setblocking(False)
        try:
            self._pump(client)
        finally:
            self._clients.remove(client)
            _abort(client)
            self.printer.connection_lost()
            if self.single_connection:
                self._busy.release()

    def _pump(self, client: socket.socket) -> None:
        printer = self.printer
        while not self._stop.is_set():
            rate = printer.faults.drain_bytes_per_s
            budget = max(1, int(rate * _TICK)) if rate else 65536
            readable, _, _ = select.select([client], [], [], _TICK)
            if readable:
                try:
                    data = client.recv(budget)
                except (BlockingIOError, InterruptedError):
                    data = b""
                except OSError:
                    return
                if readable and not data:
                    return  # the host closed
                if not _take(printer, data):
                    return  # the cable is pulled mid-job
                if rate:
                    time.sleep(_TICK)
            reply = printer.take_reply(4096)
            if reply:
                try:
                    client.sendall(reply)
                except OSError:
                    return


def _take(printer: VirtualPrinter, data: bytes) -> bool:
    """Hand received bytes to the printer; False when the injected disconnect point is reached (the bytes up to
    it were still received)."""
    limit = printer.faults.disconnect_after_bytes
    if limit is not None and printer.received + len(data) >= limit:
        printer.feed(data[: max(0, limit - printer.received)])
        return False
    printer.feed(data)
    return True


def _abort(sock: socket.socket) -> None:
    """Close with a reset, as a printer losing power does."""
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    except OSError:
        pass
    try:
        sock.close()
    except OSError:
        pass


class PtyPrinterServer:
    """A printer on a pseudo-terminal: the host opens ``path`` with pyserial, as it would /dev/ttyUSB0.

    ``link`` gives the device a stable name (as a udev symlink does), so it can be unplugged and plugged back.
    """

    def __init__(self, printer: VirtualPrinter, link: Path | None = None) -> None:
        self.printer = printer
        self.link = link
        self._master = self._slave = -1
        self.device = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def path(self) -> str:
        """The path a host opens."""
        return str(self.link) if self.link is not None else self.device

    @property
    def uri(self) -> str:
        """The station URI of this printer."""
        return f"serial://{self.path}?baudrate=115200"

    def start(self) -> PtyPrinterServer:
        """Create the pty (raw mode: bytes pass unchanged) and serve it."""
        self._master, self._slave, self.device = plug_in(self.link)
        self._stop.clear()
        self._thread = threading.Thread(target=self._pump, name="pty-printer", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Unplug: the pty goes away."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2)
        unplug(self._master, self._slave, self.link)
        self._master = self._slave = -1
        self.printer.connection_lost()

    def power_cycle(self, off_seconds: float = 0.2) -> None:
        """Unplug, wait, plug back (a new pty behind the same link)."""
        self.stop()
        time.sleep(off_seconds)
        self.start()

    def __enter__(self) -> PtyPrinterServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _pump(self) -> None:
        printer = self.printer
        master = self._master
        while not self._stop.is_set():
            rate = printer.faults.drain_bytes_per_s
            budget = max(1, int(rate * _TICK)) if rate else 65536
            try:
                readable, _, _ = select.select([master], [], [], _TICK)
            except (OSError, ValueError):
                return
            if readable:
                try:
                    data = os.read(master, budget)
                except OSError:
                    data = b""
                if data:
                    if not _take(printer, data):
                        threading.Thread(target=self.stop, daemon=True).start()  # the adapter is pulled
                        return
                    if rate:
                        time.sleep(_TICK)
            reply = printer.take_reply(4096)
            if reply:
                try:
                    os.write(master, reply)
                except OSError:
                    return


class UsbPrinterPlug:
    """A virtual printer plugged into the emulated pyusb backend, as a USB printer with a class-7 interface.

    Mid-job disconnects unplug the device, and a power cycle unplugs and plugs it back (usblp binds again),
    so the driver has to find it and detach the kernel driver anew.
    """

    def __init__(
        self,
        printer: VirtualPrinter,
        backend: object | None = None,
        vid: int = 0x0483,
        pid: int = 0x5743,
        serial: str = "EMU0001",
        leading_hid_interface: bool = True,
        model: object | None = None,
    ) -> None:
        """``model`` (a ``drivers.printers.models.PrinterModel``): present its first USB id instead of vid, pid."""
        from drivers.emulators.usb import EmulatedUsbBackend
        from drivers.printers.models import PrinterModel

        if isinstance(model, PrinterModel):
            if not model.usb:
                raise ValueError(f"model {model.id} lists no USB id")
            vid, pid = model.usb[0]

        self.printer = printer
        self.backend = backend if isinstance(backend, EmulatedUsbBackend) else EmulatedUsbBackend()
        self.bus = f"emulated-{id(self.backend):x}"  # the name the station's URI reaches this bus by
        self.vid, self.pid, self.serial = vid, pid, serial
        self._leading_hid = leading_hid_interface
        self.device: object | None = None

    @property
    def uri(self) -> str:
        """The station URI of this printer."""
        return f"usb://{self.vid:04x}:{self.pid:04x}?serial={self.serial}&bus={self.bus}"

    def feed(self, data: bytes) -> None:
        """Bytes from the host's bulk OUT transfer."""
        if not _take(self.printer, data):
            self.stop()  # the cable is pulled mid-job

    def take_reply(self, size: int) -> bytes:
        """Status replies for the host's bulk IN transfer."""
        return self.printer.take_reply(size)

    def start(self) -> UsbPrinterPlug:
        """Plug in."""
        from drivers.emulators.usb import VirtualUsbDevice
        from drivers.printers.transports import add_usb_bus

        add_usb_bus(self.bus, self.backend)
        if self.device is None:
            self.device = self.backend.add_device(
                self, self.vid, self.pid, self.serial, leading_hid_interface=self._leading_hid
            )
        else:
            assert isinstance(self.device, VirtualUsbDevice)
            self.backend.replug(self.device)
        return self

    def stop(self) -> None:
        """Unplug."""
        from drivers.emulators.usb import VirtualUsbDevice

        if isinstance(self.device, VirtualUsbDevice) and self.device.plugged:
            self.backend.unplug(self.device)
            self.printer.connection_lost()

    def power_cycle(self, off_seconds: float = 0.2) -> None:
        """Unplug, wait, plug back."""
        self.stop()
        time.sleep(off_seconds)
        self.start()

    def __enter__(self) -> UsbPrinterPlug:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
