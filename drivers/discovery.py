"""What each backend sees plugged in: USB printers and scanners (pyusb), serial ports (pyserial), V4L2 cameras.

Each function is one backend's ``discover`` in ``drivers.registry`` and returns a ``Found``: the devices, each a
dict with at least its ``uri``, and notes on what could not be looked at (a library not installed, USB not
readable). Nothing here opens a device.
"""

from __future__ import annotations

import glob
from dataclasses import dataclass, field
from typing import Any

from drivers.usb_ids import printer_maker, scanner_maker


@dataclass
class Found:
    """The devices one backend sees, and why it may have seen fewer than there are."""

    devices: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _usb(usb_backend: Any, printers: bool) -> Found:
    """USB devices by vendor id or printer class: the printers, or the scanners."""
    found = Found()
    try:
        import usb.core

        kwargs: dict[str, Any] = {"find_all": True}
        if usb_backend is not None:
            kwargs["backend"] = usb_backend
        for dev in usb.core.find(**kwargs) or []:
            vid, pid = int(dev.idVendor), int(dev.idProduct)
            entry: dict[str, Any] = {
                "uri": f"usb://{vid:04x}:{pid:04x}",
                "vendor": f"{vid:04x}",
                "product": f"{pid:04x}",
            }
            maker = printer_maker(vid, pid)
            is_printer_class = any(intf.bInterfaceClass == 7 for cfg in dev for intf in cfg)
            if maker or is_printer_class:
                if printers:
                    found.devices.append({**entry, "maker": maker or "printer class"})
            elif scanner_maker(vid) and not printers:
                found.devices.append({**entry, "maker": scanner_maker(vid)})
    except ImportError:
        found.notes.append("pyusb not installed")
    except Exception as err:  # noqa: BLE001 - no libusb, no permission: report, do not fail the listing
        found.notes.append(f"USB not readable: {err}")
    return found


def usb_printers(usb_backend: Any = None) -> Found:
    """USB printers, known by vendor and product id or by a printer-class (7) interface."""
    return _usb(usb_backend, printers=True)


def usb_scanners(usb_backend: Any = None) -> Found:
    """USB barcode scanners, known by vendor id (they are read through their evdev node or serial port)."""
    return _usb(usb_backend, printers=False)


def serial_ports(usb_backend: Any = None) -> Found:
    """Serial ports pyserial lists, as serial:// URIs at 9600 baud, with the scanner maker when the vendor is known."""
    found = Found()
    try:
        from serial.tools import list_ports

        for port in list_ports.comports():
            entry: dict[str, Any] = {
                "uri": f"serial://{port.device}?baudrate=9600",
                "description": port.description,
            }
            if port.vid is not None:
                entry["vendor"] = f"{port.vid:04x}"
                entry["maker"] = scanner_maker(port.vid)
            found.devices.append(entry)
    except ImportError:
        found.notes.append("pyserial not installed")
    return found


def video_devices(usb_backend: Any = None) -> Found:
    """V4L2 camera nodes (/dev/video*)."""
    return Found([{"uri": path} for path in sorted(glob.glob("/dev/video*"))])


__all__ = ["Found", "serial_ports", "usb_printers", "usb_scanners", "video_devices"]
