"""Decoding QR symbols from grayscale frames with two independent readers, zxing-cpp and zbar.

zbar is driven in binary mode (pyzbar does not expose it): the payload comes back as raw bytes and is decoded
as UTF-8 here, instead of zbar guessing Shift-JIS and returning mojibake (DOMAIN.md §3).
"""

from __future__ import annotations

from ctypes import c_char_p, c_void_p, cast, string_at
from dataclasses import dataclass

import numpy as np

ZBAR_QRCODE = 64
ZBAR_CFG_ENABLE = 0
ZBAR_CFG_BINARY = 4
_Y800 = int.from_bytes(b"Y800", "little")


@dataclass(frozen=True)
class Decoded:
    """One symbol found in a frame."""

    reader: str
    raw: bytes
    text: str | None  # None when the bytes are not valid UTF-8
    corners: tuple[tuple[int, int], ...]
    version: int | None = None  # the symbol version, when the reader reports it
    ec_level: str | None = None  # "L", "M", "Q" or "H", when the reader reports it
    uec: float | None = None  # the reader's own estimate of unused error correction, if it gives one


def _as_gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 3:
        import cv2

        frame = cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if frame.dtype == bool:
        frame = np.where(frame, 255, 0).astype(np.uint8)
    return np.ascontiguousarray(frame, dtype=np.uint8)


def _utf8(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def decode_zxing(frame: np.ndarray) -> list[Decoded]:
    """QR symbols read by zxing-cpp."""
    import zxingcpp

    gray = _as_gray(frame)
    found = []
    for result in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode):  # type: ignore[arg-type]
        p = result.position
        corners = tuple((pt.x, pt.y) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        version = result.extra.get("Version") if isinstance(result.extra, dict) else None
        found.append(
            Decoded(
                "zxing-cpp",
                bytes(result.bytes),
                result.text if result.valid else None,
                corners,
                int(version) if version and str(version).isdigit() else None,
            )
        )
    return found


def decode_zbar(frame: np.ndarray) -> list[Decoded]:
    """QR symbols read by zbar in binary mode, decoded as UTF-8."""
    from pyzbar import wrapper as zw

    gray = _as_gray(frame)
    height, width = gray.shape
    pixels = gray.tobytes()
    found = []
    scanner = zw.zbar_image_scanner_create()
    image = zw.zbar_image_create()
    try:
        zw.zbar_image_scanner_set_config(scanner, 0, ZBAR_CFG_ENABLE, 0)
        zw.zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1)
        zw.zbar_image_scanner_set_config(scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1)
        zw.zbar_image_set_format(image, _Y800)
        zw.zbar_image_set_size(image, width, height)
        zw.zbar_image_set_data(image, cast(c_char_p(pixels), c_void_p), len(pixels), None)
        zw.zbar_scan_image(scanner, image)
        symbol = zw.zbar_image_first_symbol(image)
        while symbol:
            raw = string_at(zw.zbar_symbol_get_data(symbol), zw.zbar_symbol_get_data_length(symbol))
            corners = tuple(
                (zw.zbar_symbol_get_loc_x(symbol, i), zw.zbar_symbol_get_loc_y(symbol, i))
                for i in range(zw.zbar_symbol_get_loc_size(symbol))
            )
            found.append(Decoded("zbar", raw, _utf8(raw), corners))
            symbol = zw.zbar_symbol_next(symbol)
    finally:
        zw.zbar_image_destroy(image)
        zw.zbar_image_scanner_destroy(scanner)
    return found


def decode_all(frame: np.ndarray) -> list[Decoded]:
    """Both readers' results."""
    return decode_zxing(frame) + decode_zbar(frame)
