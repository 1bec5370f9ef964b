"""One contract per device kind, run over every backend in ``drivers.registry``.

Each backend is brought up against its emulator (TCP on 127.0.0.1, a pty, the emulated pyusb backend, a temporary
folder, a stand-in python-evdev): registering a backend puts it under test, and a backend with no rig here fails.
"""

from __future__ import annotations

import sys
import time
import types
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from drivers import discovery, registry
from drivers.cameras import CameraError
from drivers.emulators.camera import Scene, VirtualCamera
from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.scanner import VirtualScanner
from drivers.emulators.servers import PtyPrinterServer, TcpPrinterServer, UsbPrinterPlug
from drivers.emulators.usb import EmulatedUsbBackend
from drivers.errors import DeviceFault, DriverError
from drivers.printers import transports
from drivers.registry import Backend, Kind, Requirement, backend_for, backends, open_device
from station.devices import list_devices
from tests.test_scanners import ENTER, FakeInputDevice, K, tap

WAIT_S = 3.0
PAYLOAD = b"\x1b@" + bytes(range(256)) + b"SIZE 40 mm,30 mm\r\n" * 200  # every byte value, and more than one write

Rig = Callable[[Path, pytest.MonkeyPatch], AbstractContextManager[Any]]


def rig_for(rigs: dict[str, Rig], backend: Backend) -> Rig:
    """The rig that brings ``backend`` up; fails the test when there is none."""
    rig = rigs.get(backend.name)
    if rig is None:
        pytest.fail(f"no fixture for backend {backend.kind}:{backend.name}")
    return rig


def names(backend: Backend) -> str:
    return backend.name


# --- printer transports ----------------------------------------------------------------------------------------


class RecordingPrinter(VirtualPrinter):
    """A virtual printer that keeps every byte it is sent, as sent, and interprets none."""

    def __init__(self) -> None:
        super().__init__("escpos")
        self.data = bytearray()

    def feed(self, data: bytes) -> None:
        with self._lock:
            self.received += len(data)
            self.data += data


Received = Callable[[], bytes]


@contextmanager
def _recorded(start: Callable[[RecordingPrinter], Any]) -> Iterator[tuple[str, Received]]:
    """A recording printer behind the emulator ``start`` plugs it into: its URI, and what it received so far."""
    printer = RecordingPrinter()
    server = start(printer).start()
    try:
        yield server.uri, lambda: bytes(printer.data)
    finally:
        server.stop()


def socket_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AbstractContextManager[tuple[str, Received]]:
    return _recorded(TcpPrinterServer)


def serial_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AbstractContextManager[tuple[str, Received]]:
    return _recorded(lambda printer: PtyPrinterServer(printer, link=tmp_path / "printer-tty"))


def usb_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AbstractContextManager[tuple[str, Received]]:
    return _recorded(lambda printer: UsbPrinterPlug(printer, EmulatedUsbBackend()))


@contextmanager
def file_printer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Received]]:
    path = tmp_path / "lp0"
    path.write_bytes(b"")
    yield f"file://{path}", path.read_bytes


PRINTER_RIGS: dict[str, Rig] = {
    "socket": socket_printer,
    "serial": serial_printer,
    "usb": usb_printer,
    "file": file_printer,
}


def wait_for(received: Received, size: int) -> bytes:
    deadline = time.monotonic() + WAIT_S
    while len(data := received()) < size and time.monotonic() < deadline:
        time.sleep(0.01)
    return data


@pytest.mark.parametrize("backend", backends("printer-transport"), ids=names)
def test_printer_transport_contract(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with rig_for(PRINTER_RIGS, backend)(tmp_path, monkeypatch) as (uri, received):
        assert backend_for("printer-transport", uri) == backend
        transport = open_device("printer-transport", uri)
        assert isinstance(transport, transports.Transport) and not transport.is_open
        transport.open(WAIT_S)
        assert transport.is_open
        transport.write(PAYLOAD, WAIT_S)
        assert wait_for(received, len(PAYLOAD)) == PAYLOAD
        transport.close()
        transport.close()  # a second close does nothing
        assert not transport.is_open
        with pytest.raises(DriverError) as refused:
            transport.write(b"after close", WAIT_S)
        assert refused.value.code == "dev.not_open" and uri in str(refused.value)
        assert received() == PAYLOAD


# --- cameras ---------------------------------------------------------------------------------------------------


def pictures(folder: Path, count: int, name: str = "frame_{:04d}.png") -> list[int]:
    levels = [40 + 20 * i for i in range(count)]
    for i, level in enumerate(levels):
        Image.fromarray(np.full((48, 64), level, np.uint8)).save(folder / name.format(i))
    return levels


@contextmanager
def video_camera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    found = discovery.video_devices().devices
    if not found:
        pytest.skip("no V4L2 camera on this machine")
    yield str(found[0]["uri"])


@contextmanager
def url_camera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with VirtualCamera(Scene()) as virtual:
        yield virtual.url


@contextmanager
def file_camera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    pictures(tmp_path, 10)
    yield f"file://{tmp_path}/frame_%04d.png"


@contextmanager
def dir_camera(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    pictures(tmp_path, 3)
    yield f"dir://{tmp_path}"


CAMERA_RIGS: dict[str, Rig] = {
    "video": video_camera,
    "url": url_camera,
    "file": file_camera,
    "dir": dir_camera,
}


@pytest.mark.parametrize("backend", backends("camera"), ids=names)
def test_camera_contract(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with rig_for(CAMERA_RIGS, backend)(tmp_path, monkeypatch) as uri:
        assert backend_for("camera", uri) == backend
        before = time.monotonic()
        cam = open_device("camera", uri)
        with cam:
            frame = cam.frame_after(before, timeout_s=WAIT_S)
            assert frame.source == uri and frame.seq >= 1 and frame.captured_at > before
            assert frame.image.ndim == 2 and frame.image.dtype == np.uint8 and frame.image.size
            last = cam.latest()
            assert last is not None and last.seq >= frame.seq
            started = time.monotonic()
        assert time.monotonic() - started < 1.0  # close() waits for one read at most (0.6 s)
        with pytest.raises(CameraError):
            cam.frame_after(time.monotonic(), timeout_s=0.1)


# --- scanners --------------------------------------------------------------------------------------------------

Send = Callable[[str], None]
Framed = Callable[[str], bytes]


@contextmanager
def serial_scanner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Send, Framed]]:
    virtual = VirtualScanner(suffix="CR", link=tmp_path / "scanner").start()
    try:
        yield virtual.uri, virtual.scan, lambda text: text.encode() + b"\r"
    finally:
        virtual.stop()


@contextmanager
def evdev_scanner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Send, Framed]]:
    monkeypatch.setattr(FakeInputDevice, "present", True)
    monkeypatch.setattr(FakeInputDevice, "instances", [])
    monkeypatch.setitem(sys.modules, "evdev", types.SimpleNamespace(InputDevice=FakeInputDevice))

    def send(text: str) -> None:
        keys = [event for ch in text for event in tap(K[ch])] + tap(ENTER)
        FakeInputDevice.instances[-1].push(keys)

    yield "evdev:///dev/input/by-id/usb-Scanner-event-kbd", send, lambda text: text.encode() + b"\n"


SCANNER_RIGS: dict[str, Rig] = {
    "serial": serial_scanner,
    "evdev": evdev_scanner,
}


@pytest.mark.parametrize("backend", backends("scanner"), ids=names)
def test_scanner_contract(backend: Backend, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with rig_for(SCANNER_RIGS, backend)(tmp_path, monkeypatch) as (uri, send, framed):
        assert backend_for("scanner", uri) == backend
        scanner = open_device("scanner", uri)
        with scanner:
            assert scanner.connected
            send("lot42")
            scan = scanner.read(WAIT_S)
            assert scan is not None and (scan.text, scan.raw) == ("lot42", framed("lot42"))
        assert not scanner.connected
        with pytest.raises(DeviceFault) as refused:
            scanner.read(0.0)
        assert refused.value.code == "dev.scanner.not_open"


# --- the registry itself ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "uri", "code"),
    [
        ("printer-transport", "gopher://printer", "dev.bad_uri.unknown_scheme"),
        ("camera", "gopher://camera", "dev.camera.unknown"),
        ("scanner", "gopher://scanner", "dev.scanner.unknown"),
    ],
)
def test_an_address_no_backend_takes_is_refused_in_the_kinds_words(kind: Kind, uri: str, code: str) -> None:
    with pytest.raises(DeviceFault) as refused:
        open_device(kind, uri)
    assert refused.value.code == code and uri in str(refused.value)


def test_a_backend_whose_library_is_missing_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "_BACKENDS", list(registry._BACKENDS))
    missing = Requirement("trace_station_absent", "absent-package")
    registry.register(Backend("scanner", "absent", ("absent://",), "trace_station_absent:open", (missing,)))
    assert backends("scanner")[-1].missing() == ["absent-package"]
    with pytest.raises(DeviceFault) as refused:
        open_device("scanner", "absent://x")
    assert refused.value.code == "dev.backend_missing"
    assert str(refused.value) == "absent://x: the absent backend needs absent-package installed"
    with pytest.raises(ValueError, match="registered already"):
        registry.register(Backend("scanner", "absent", ("absent2://",), "trace_station_absent:open"))


def test_every_registered_backend_names_an_opener_that_exists() -> None:
    for kind in registry.KINDS:
        for backend in backends(kind):
            assert callable(registry._load(backend.opener)), backend
            assert backend.discover is None or callable(registry._load(backend.discover)), backend


def test_discovery_lists_what_each_backend_sees() -> None:
    usb = EmulatedUsbBackend()
    UsbPrinterPlug(RecordingPrinter(), usb).start()
    seen = registry.discover_all(usb)
    assert set(seen) == set(registry.KINDS)
    assert [d["uri"] for d in seen["printer-transport"]["usb"].devices] == ["usb://0483:5743"]
    assert seen["scanner"]["serial"] is seen["printer-transport"]["serial"]  # one listing of the serial ports
    assert registry.discover("printer-transport", usb)["usb"].devices == seen["printer-transport"]["usb"].devices
    found = list_devices(usb)
    assert list(found) == ["printers", "scanners", "serial_ports", "cameras", "notes"]
    assert found["printers"] == [
        {
            "uri": "usb://0483:5743",
            "vendor": "0483",
            "product": "5743",
            "maker": "Xprinter",
            "model": "xprinter-xp-365b",
            "model_name": "Xprinter XP-365B",
            "lang": "tspl",
        }
    ]
    assert found["serial_ports"] == seen["scanner"]["serial"].devices
    assert found["cameras"] == seen["camera"]["video"].devices
