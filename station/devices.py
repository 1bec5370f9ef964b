"""Devices as the station sees them: the configured printer, a test page, and what is plugged in."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from PIL import Image, ImageDraw

from drivers.printers.encoders import JobOptions
from drivers.printers.models import find_model, models_for_usb
from drivers.printers.printer import LabelPrinter
from drivers.printers.status import Detail, PrinterStatus
from drivers.registry import discover_all
from station.config import Config
from station.errors import StationError, device_errors, from_driver
from station.labels.fonts import load_font, locate_font
from station.qr import make_symbol
from station.texts import said, t
from station.zones import DEFAULT_ZONE, shown_time

BAND_MM = 4.0

# what each detail of a printer's status says in the station's language
DETAIL_KEYS: dict[Detail, str] = {
    Detail.NOT_CONNECTED: "pdetail.not_connected",
    Detail.CANNOT_CONNECT: "pdetail.not_connected_why",
    Detail.CONNECTION_LOST: "pdetail.connection_lost",
    Detail.NO_BACK_CHANNEL: "pdetail.no_back_channel",
    Detail.NO_REPLY: "pdetail.no_reply",
    Detail.MALFORMED: "pdetail.malformed",
    Detail.COVER_OPEN: "pdetail.head_open",
    Detail.HEAD_OPEN: "pdetail.head_open",
    Detail.PAPER_END: "pdetail.paper_out",
    Detail.PAPER_OUT: "pdetail.paper_out",
    Detail.MEDIA_OUT: "pdetail.paper_out",
    Detail.PAPER_LOW: "pdetail.paper_low",
    Detail.PAPER_JAM: "pdetail.paper_jam",
    Detail.RIBBON_OUT: "pdetail.ribbon_out",
    Detail.PAUSED: "pdetail.paused",
    Detail.PRINTING: "pdetail.printing",
    Detail.OFFLINE: "pdetail.offline",
    Detail.ERROR_REPORTED: "pdetail.error",
    Detail.OTHER_ERROR: "pdetail.error",
    Detail.ERROR_FLAGS: "pdetail.error_flags",
}


def detail_text(status: PrinterStatus) -> str:
    """A printer status's detail in the station's language; "" when there is none."""
    if status.detail is Detail.NONE:
        return ""
    params = dict(status.params)
    if status.error is not None:  # why the printer could not be reached, as the station words it
        params["reason"] = from_driver(status.error).message
    text = said(DETAIL_KEYS[status.detail], **params)
    return text if text == text.strip() else text.strip()  # a reply shown empty leaves no space behind


def status_text(status: PrinterStatus) -> str:
    """A printer's state and detail for a person to read, e.g. "缺纸 · 纸已用完"."""
    state, detail = said("pstate." + status.state.value), detail_text(status)
    return said("pstate.with_detail", state=state, detail=detail) if detail else state


def printer_from_config(
    config: Config, uri: str | None = None, lang: str | None = None, gap_mm: float | None = None
) -> LabelPrinter:
    """The configured printer (or another URI/language), ready to use as a context manager; DeviceError when its
    address or language is wrong, or a media setting does not suit it. ``gap_mm``: the label stock's gap (its
    template's), else the setting's. The media settings (kind, darkness, speed, mark and offset) and the model's
    print method go with each job; another language than the model's leaves the model out."""
    p = config.printer
    model = find_model(p.model) if p.model else None
    if model is not None and lang is not None and lang != model.lang:
        model = None
    gap = p.gap_mm if gap_mm is None else gap_mm
    options = JobOptions(
        dpi=p.dpi,
        gap_mm=gap,
        cut=p.cut,
        density=None if p.darkness < 0 or (lang or p.lang) == "escpos" else p.darkness,
        speed_mm_s=0.0 if (lang or p.lang) == "escpos" else p.speed_mm_s,
        media="continuous" if p.media == "gap" and gap == 0 else p.media,  # a 0 mm gap is continuous stock
        mark_mm=p.mark_mm,
        offset_mm=p.offset_mm,
        method=model.method if model is not None and model.method != "both" else None,
    )
    with device_errors():
        return LabelPrinter(uri or p.uri, lang or p.lang, options, p.timeout_s, p.status_timeout_s, model=model)


def test_page(width_dots: int, height_dots: int, dpi: int, title: str, font_path: str = "") -> Image.Image:
    """A test label: title, a full-width solid band (white streaks in it are dead heating elements), a ruler
    numbered every 64 dots to read which element died, and a QR symbol."""
    image = Image.new("1", (width_dots, height_dots), 1)
    draw = ImageDraw.Draw(image)
    draw.fontmode = "1"
    font = load_font(locate_font(font_path))
    px = max(12, round(2.5 * dpi / 25.4))
    face = font.face(px)
    draw.text((4, 2), title, font=face, fill=0, anchor="la")
    band_top = px + 8
    band_h = round(BAND_MM * dpi / 25.4)
    draw.rectangle([0, band_top, width_dots - 1, band_top + band_h - 1], fill=0)
    ruler = band_top + band_h + 2
    small = font.face(max(10, px * 2 // 3))
    for x in range(0, width_dots, 8):
        tick = 10 if x % 64 == 0 else 4
        draw.line([(x, ruler), (x, ruler + tick)], fill=0)
        if x % 64 == 0:
            draw.text((x + 2, ruler + 10), str(x), font=small, fill=0, anchor="la")
    symbol = make_symbol(f"TRACE-STATION TEST {dpi}DPI")
    module = 4 if dpi < 300 else 6
    qr = np.repeat(np.repeat(np.pad(symbol.matrix, 4), module, axis=0), module, axis=1)
    top = ruler + 10 + px
    if top + qr.shape[0] <= height_dots:
        image.paste(Image.fromarray(~qr), (width_dots - qr.shape[1], top))
    return image


@dataclass(frozen=True)
class TestPrintResult:
    """What `station print-test` saw."""

    before: PrinterStatus
    after: PrinterStatus | None
    bytes_sent: int
    milliseconds: float


def print_test(
    printer: LabelPrinter,
    width_mm: float = 40,
    height_mm: float = 30,
    font_path: str = "",
    zone_name: str = DEFAULT_ZONE,
) -> TestPrintResult:
    """Status, a test label (dated on the station's clock), status again; PrintError when the label did not go out
    whole."""
    dpi = printer.options.dpi
    before = printer.status()
    image = test_page(
        round(width_mm * dpi / 25.4),
        round(height_mm * dpi / 25.4),
        dpi,
        t("dev.test_label", at=shown_time(datetime.now(UTC), zone_name)[:16], dpi=dpi),
        font_path,
    )
    started = time.perf_counter()
    with device_errors():
        sent = printer.print_image(image)
    elapsed = (time.perf_counter() - started) * 1000
    return TestPrintResult(before, printer.last_status, sent, elapsed)


def list_devices(usb_backend: Any = None) -> dict[str, list[Any]]:
    """USB printers and scanners (by vendor id or printer class), serial ports and cameras that can be seen, as the
    device backends in ``drivers.registry`` find them. A printer whose USB id a model file lists gets that
    model's ``model``, ``model_name`` and ``lang`` (and ``models`` when several files list the id)."""
    seen = discover_all(usb_backend)
    listed = {
        "printers": seen["printer-transport"]["usb"],
        "scanners": seen["scanner"]["evdev"],
        "serial_ports": seen["scanner"]["serial"],
        "cameras": seen["camera"]["video"],
    }
    found: dict[str, list[Any]] = {kind: list(each.devices) for kind, each in listed.items()}
    found["notes"] = list(dict.fromkeys(note for each in listed.values() for note in each.notes))
    for entry in found["printers"]:
        models = models_for_usb(int(entry["vendor"], 16), int(entry["product"], 16)) if "vendor" in entry else []
        if models:
            entry.update(model=models[0].id, model_name=models[0].name, lang=models[0].lang)
        if len(models) > 1:  # one USB id, several models: the clerk picks [printer] model
            entry["models"] = [m.id for m in models]
    return found


@dataclass
class ScannerCheck:
    """Whether the scanner could be opened, and the scan it read while we waited (if any)."""

    uri: str
    connected: bool
    scan: Any = None  # drivers.scanners.Scan
    error: str | None = None


def check_scanner(uri: str, wait_s: float = 0.0, should_stop: Any = None) -> ScannerCheck:
    """Open the scanner at ``uri`` and wait up to ``wait_s`` for one scan (``should_stop()`` ends the wait early)."""
    from drivers.scanners import open_scanner

    if not uri:
        return ScannerCheck(uri, False, error=t("dev.scanner_none"))
    try:
        with device_errors(), open_scanner(uri) as scanner:
            deadline = time.monotonic() + wait_s
            scan = None
            while scan is None and time.monotonic() < deadline and not (should_stop and should_stop()):
                scan = scanner.read(min(0.2, max(0.0, deadline - time.monotonic())))
            fault = None if scanner.last_fault is None else from_driver(scanner.last_fault).message
            return ScannerCheck(uri, scanner.connected, scan, fault)
    except StationError as err:
        return ScannerCheck(uri, False, error=err.message)


@dataclass
class CameraCheck:
    """Whether the camera delivers frames: its frame rate and size, and the newest frame."""

    uri: str
    live: bool
    fps: float = 0.0
    size: tuple[int, int] = (0, 0)
    frame: Any = None  # grey numpy array
    error: str | None = None


def check_camera(camera: Any, timeout_s: float = 2.0) -> CameraCheck:
    """The newest frame of an open camera, waiting up to ``timeout_s`` for one taken from now on."""
    try:
        with device_errors():
            frame = camera.frame_after(time.monotonic() - 0.5, timeout_s)
    except StationError as err:
        return CameraCheck(camera.uri, False, error=err.message)
    height, width = frame.image.shape[:2]
    return CameraCheck(camera.uri, True, camera.fps, (width, height), frame.image)


def camera_status(uri: str, timeout_s: float = 3.0) -> CameraCheck:
    """Open the camera at ``uri`` just long enough to see that frames arrive."""
    from drivers.cameras import open_camera

    try:
        with device_errors(), open_camera(uri) as camera:
            check = check_camera(camera, timeout_s)
            if check.live:  # the rate, over the next few frames (the first ones may arrive bunched up)
                for _ in range(6):
                    camera.frame_after(time.monotonic(), timeout_s)
                check.fps = camera.fps
            return check
    except StationError as err:
        return CameraCheck(uri, False, error=err.message)
