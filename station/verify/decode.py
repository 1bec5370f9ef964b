"""Decoding QR symbols from grayscale frames with two independent readers, zxing-cpp and zbar.

A payload is taken from the symbol's bytes, never from a reader's rendering of them: zxing-cpp's usual text writes
GS1 element strings as "(01)…" and control characters as "<SOH>", either of which could equal some other payload
typed out. zxing-cpp is asked for the bytes with the symbology identifier and ECI designators in front
(``TextMode.HexECI``): each ECI segment is decoded in its own character set (the station writes UTF-8 under
ECI 26), bytes under no ECI are taken as UTF-8 (DOMAIN.md §3), and a GS1 symbol (FNC1, "]Q3"/"]Q4") is marked as
such: its text is the element string with FNC1 as GS (0x1D), which no URL payload equals.

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
    mask: int | None = None  # the data mask, when the reader reports it
    gs1: bool = False  # FNC1 in first position: a GS1 element string, not text
    eci: tuple[int, ...] = ()  # the ECI designators met, in order


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


# ECI assignment numbers (AIM ECI) and Python codecs for the character sets a QR symbol may declare
ECI_CODECS = {
    **{n: f"iso8859-{n - 2}" for n in range(3, 12)},
    **{n: f"iso8859-{n - 2}" for n in range(13, 19)},
    0: "cp437",
    1: "latin-1",
    2: "cp437",
    20: "shift_jis",
    21: "cp1250",
    22: "cp1251",
    23: "cp1252",
    24: "cp1256",
    25: "utf-16-be",
    26: "utf-8",
    27: "ascii",
    28: "big5",
    29: "gb18030",
    30: "euc_kr",
    32: "gb18030",
    33: "utf-16-le",
    34: "utf-32-be",
    35: "utf-32-le",
    170: "ascii",
}


# bytes under no ECI: the station's UTF-8 first, then Shift-JIS (what Kanji mode holds, and the usual guess for
# Japanese symbols), then ISO-8859-1, the standard's default, which decodes any byte
NO_ECI_CODECS = ("utf-8", "shift_jis", "latin-1")


def _decoded(chunk: bytes, codecs: tuple[str | None, ...]) -> str | None:
    """``chunk`` in the first of ``codecs`` that decodes it, None if none does."""
    for codec in codecs:
        if codec is None:
            continue
        try:
            return chunk.decode(codec)
        except UnicodeDecodeError:
            continue
    return None


@dataclass(frozen=True)
class Content:
    """A symbol's content as its bytes say: the text (None when a segment does not decode), GS1 or not, ECIs."""

    text: str | None
    raw: bytes
    gs1: bool
    eci: tuple[int, ...]


def parse_hex_eci(hex_text: str) -> Content:
    """Content from zxing-cpp's ``TextMode.HexECI`` text: "]Qn", then bytes with "\\dddddd" ECI designators
    (a backslash of the data doubled).

    The identifier's modifier says GS1 (3, 4: FNC1 in first position; 5, 6: FNC1 in second) and ECI (2, 4, 6);
    without ECI the bytes are taken as UTF-8, the station's own encoding, or else as NO_ECI_CODECS says; a segment
    under an ECI that does not decode in its character set makes the text None.
    """
    data = bytes.fromhex(hex_text.replace(" ", ""))
    modifier = data[2:3] if data[:2] == b"]Q" else b"1"
    body = data[3:] if data[:2] == b"]Q" else data
    gs1 = modifier in (b"3", b"4", b"5", b"6")
    with_eci = modifier in (b"2", b"4", b"6")
    segments: list[tuple[int | None, bytearray]] = [(None, bytearray(b"" if with_eci else body))]
    ecis: list[int] = []
    i = 0 if with_eci else len(body)  # without ECI every byte is data: nothing to read one by one
    while i < len(body):
        byte = body[i : i + 1]
        if with_eci and byte == b"\\":
            if body[i + 1 : i + 2] == b"\\":
                segments[-1][1].extend(b"\\")
                i += 2
                continue
            digits = body[i + 1 : i + 7]
            if len(digits) == 6 and digits.isdigit():
                ecis.append(int(digits))
                segments.append((int(digits), bytearray()))
                i += 7
                continue
        segments[-1][1].extend(byte)
        i += 1
    raw = b"".join(bytes(chunk) for _, chunk in segments)
    parts = []
    for eci, chunk in segments:
        codecs = NO_ECI_CODECS if eci is None else (ECI_CODECS.get(eci),)
        parts.append(_decoded(bytes(chunk), codecs))
    text = None if any(p is None for p in parts) else "".join(p for p in parts if p is not None)
    return Content(text, raw, gs1, tuple(ecis))


def decode_zxing(frame: np.ndarray) -> list[Decoded]:
    """QR symbols read by zxing-cpp, with the content taken from their bytes (``parse_hex_eci``)."""
    import zxingcpp

    gray = _as_gray(frame)
    found = []
    for result in zxingcpp.read_barcodes(
        gray,
        formats=zxingcpp.BarcodeFormat.QRCode,  # type: ignore[arg-type]
        text_mode=zxingcpp.TextMode.HexECI,
    ):
        p = result.position
        corners = tuple((pt.x, pt.y) for pt in (p.top_left, p.top_right, p.bottom_right, p.bottom_left))
        extra = result.extra if isinstance(result.extra, dict) else {}
        version, mask, uec = extra.get("Version"), extra.get("DataMask"), extra.get("UEC")
        content = parse_hex_eci(result.text) if result.valid else None
        text = None if content is None else content.text
        found.append(
            Decoded(
                "zxing-cpp",
                content.raw if content is not None else bytes(result.bytes),
                text,
                corners,
                int(version) if version is not None and str(version).isdigit() else None,
                str(result.ec_level) if result.ec_level else None,
                float(uec) if isinstance(uec, int | float) else None,
                int(mask) if isinstance(mask, int) else None,
                content.gs1 if content is not None else False,
                content.eci if content is not None else (),
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
