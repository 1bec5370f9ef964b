"""Every device backend in one registry: printer transports, cameras and scanners, chosen by URI.

    open_device("printer-transport", "socket://127.0.0.1:9100")   a Transport, not yet connected
    open_device("camera", "dir:///srv/frames")                    a Camera, not yet opened
    open_device("scanner", "serial:///dev/ttyACM0?suffix=CR")     a Scanner, not yet opened
    backends("camera")                                            the camera backends, in matching order
    discover_all()                                                what each backend sees plugged in

A ``Backend`` names the URI beginnings it opens, its opener and its ``discover`` function as dotted paths (imported
only when used), and what it ``requires``: the package or system library to install when it is missing. A URI
goes to the first backend of its kind whose prefix it starts with; a URI no backend takes is refused with the
kind's own error (``dev.bad_uri.unknown_scheme`` for printers, ``dev.camera.unknown``, ``dev.scanner.unknown``).
A backend whose opener cannot be imported is refused with ``dev.backend_missing``, naming what to install.
Backends that import their library only when the device opens (pyserial, pyusb, OpenCV, python-evdev) say what to
install then.

``tests/test_device_contracts.py`` runs one contract per kind over ``backends(kind)``: registering a backend puts
it under test, and a backend without a fixture there fails the suite.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from drivers.discovery import Found
from drivers.errors import DeviceFault, DriverError

Kind = Literal["printer-transport", "camera", "scanner"]
KINDS: tuple[Kind, ...] = ("printer-transport", "camera", "scanner")


@dataclass(frozen=True)
class Requirement:
    """Something a backend needs: a Python module (None for a system library) and what to install for it."""

    module: str | None
    install: str


@dataclass(frozen=True)
class Backend:
    """One way of reaching a device of one kind."""

    kind: Kind
    name: str  # unique within its kind, e.g. "socket"
    prefixes: tuple[str, ...]  # the URI beginnings it opens, e.g. ("socket://",)
    opener: str  # "module:function", called with the URI, returning the device not yet opened
    requires: tuple[Requirement, ...] = ()
    discover: str | None = None  # "module:function" returning a discovery.Found

    @property
    def install(self) -> str:
        """What to install for this backend, for people to read."""
        return ", ".join(r.install for r in self.requires)

    def missing(self) -> list[str]:
        """What this backend requires that is not installed (system libraries are not checked)."""
        return [r.install for r in self.requires if r.module and importlib.util.find_spec(r.module) is None]


OPENCV = Requirement("cv2", "opencv-python-headless")
PYSERIAL = Requirement("serial", "pyserial")
PYUSB = Requirement("usb", "pyusb")
LIBUSB = Requirement(None, "libusb-1.0-0 (apt)")
EVDEV = Requirement("evdev", "evdev (python-evdev)")

_PRINTERS = "drivers.printers.transports"
_CAMERAS = "drivers.cameras"
_SCANNERS = "drivers.scanners"
_FOUND = "drivers.discovery"

_BACKENDS: list[Backend] = [
    Backend("printer-transport", "socket", ("socket://",), f"{_PRINTERS}:socket_transport"),
    Backend(
        "printer-transport",
        "serial",
        ("serial://",),
        f"{_PRINTERS}:serial_transport",
        (PYSERIAL,),
        f"{_FOUND}:serial_ports",
    ),
    Backend(
        "printer-transport", "usb", ("usb://",), f"{_PRINTERS}:usb_transport", (PYUSB, LIBUSB), f"{_FOUND}:usb_printers"
    ),
    Backend("printer-transport", "file", ("file://",), f"{_PRINTERS}:file_transport"),
    Backend(
        "camera", "video", ("/dev/", "video://"), f"{_CAMERAS}:device_camera", (OPENCV,), f"{_FOUND}:video_devices"
    ),
    Backend("camera", "url", ("http://", "https://", "rtsp://"), f"{_CAMERAS}:url_camera", (OPENCV,)),
    Backend("camera", "file", ("file://",), f"{_CAMERAS}:file_camera", (OPENCV,)),
    Backend("camera", "dir", ("dir://",), f"{_CAMERAS}:folder_camera", (OPENCV,)),
    Backend("scanner", "serial", ("serial://",), f"{_SCANNERS}:serial_scanner", (PYSERIAL,), f"{_FOUND}:serial_ports"),
    Backend("scanner", "evdev", ("evdev://",), f"{_SCANNERS}:evdev_scanner", (EVDEV,), f"{_FOUND}:usb_scanners"),
]

# each kind's refusal of a URI no backend takes: "module:function" called with the URI and every prefix of the kind
_UNKNOWN: dict[Kind, str] = {
    "printer-transport": f"{_PRINTERS}:unknown_address",
    "camera": f"{_CAMERAS}:unknown_address",
    "scanner": f"{_SCANNERS}:unknown_address",
}


def _load(path: str) -> Any:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def register(backend: Backend) -> None:
    """Add a backend; its prefixes are tried after those of the backends already registered."""
    if backend.kind not in KINDS:
        raise ValueError(f"unknown device kind {backend.kind!r}; one of {', '.join(KINDS)}")
    if any(b.kind == backend.kind and b.name == backend.name for b in _BACKENDS):
        raise ValueError(f"a {backend.kind} backend named {backend.name!r} is registered already")
    _BACKENDS.append(backend)


def backends(kind: Kind) -> list[Backend]:
    """The backends of one kind, in the order URIs are matched against them."""
    if kind not in KINDS:
        raise ValueError(f"unknown device kind {kind!r}; one of {', '.join(KINDS)}")
    return [b for b in _BACKENDS if b.kind == kind]


def backend_for(kind: Kind, uri: str) -> Backend:
    """The backend that opens ``uri``; the kind's own error when none does."""
    kinds = backends(kind)
    for backend in kinds:
        if uri.startswith(backend.prefixes):
            return backend
    unknown: Callable[[str, list[str]], DriverError] = _load(_UNKNOWN[kind])
    raise unknown(uri, [p for b in kinds for p in b.prefixes])


def open_device(kind: Kind, uri: str) -> Any:
    """The device at ``uri``, not yet opened (a Transport, Camera or Scanner by ``kind``)."""
    backend = backend_for(kind, uri)
    try:
        opener = _load(backend.opener)
    except ImportError as err:
        raise DeviceFault("dev.backend_missing", uri=uri, backend=backend.name, install=backend.install) from err
    return opener(uri)


def discover(kind: Kind, usb_backend: Any = None) -> dict[str, Found]:
    """What each backend of ``kind`` sees, by backend name; ``usb_backend`` is a pyusb backend to look through."""
    return {name: found for (_, name), found in _discover(usb_backend, (kind,)).items()}


def discover_all(usb_backend: Any = None) -> dict[Kind, dict[str, Found]]:
    """What every backend sees, by kind and backend name; a listing shared by two backends is taken once."""
    seen = _discover(usb_backend, KINDS)
    return {kind: {name: found for (k, name), found in seen.items() if k == kind} for kind in KINDS}


def _discover(usb_backend: Any, kinds: tuple[Kind, ...]) -> dict[tuple[Kind, str], Found]:
    taken: dict[str, Found] = {}
    seen: dict[tuple[Kind, str], Found] = {}
    for backend in _BACKENDS:
        if backend.discover is None or backend.kind not in kinds:
            continue
        if backend.discover not in taken:
            taken[backend.discover] = _load(backend.discover)(usb_backend)
        seen[(backend.kind, backend.name)] = taken[backend.discover]
    return seen


__all__ = [
    "KINDS",
    "Backend",
    "Found",
    "Kind",
    "Requirement",
    "backend_for",
    "backends",
    "discover",
    "discover_all",
    "open_device",
    "register",
]
