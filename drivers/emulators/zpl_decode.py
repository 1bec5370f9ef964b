"""Reading the data of a ZPL ``^GF`` graphic field back into bytes, in every form the Zebra guide documents.

``^GFA`` data is plain hex, hex with Zebra's ASCII compression (repeat counts ``G``-``Y`` = 1-19 and ``g``-``z`` =
20-400 added together before a digit, ``,`` rest of the row 0, ``!`` rest of the row 1, ``:`` the previous row
again), or ``:B64:``/``:Z64:`` base64 (zlib-compressed for Z64) followed by ``:`` and the CRC-16/XMODEM of the base64
text. ``^GFB`` is raw bytes. Anything else raises ``ValueError``: the printer would not print it.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

_HEX = frozenset("0123456789ABCDEFabcdef")
_BASE64 = re.compile(r":(B64|Z64):([A-Za-z0-9+/=\s]*):([0-9A-Fa-f]{4})\s*$")


def _count(ch: str) -> int:
    """The repeat count a character adds, 0 when it is not a count."""
    if "G" <= ch <= "Y":
        return ord(ch) - ord("F")
    if "g" <= ch <= "z":
        return 20 * (ord(ch) - ord("f"))
    return 0


def decode_ascii(text: str, row_bytes: int, total: int) -> bytes:
    """Plain or ASCII-compressed hex to ``total`` bytes in rows of ``row_bytes``; a short field ends white."""
    if row_bytes <= 0:
        raise ValueError("^GF with no bytes per row")
    width = 2 * row_bytes
    rows: list[str] = []
    row: list[str] = []
    previous = "0" * width
    count = 0
    for ch in text:
        if ch.isspace():
            continue
        step = _count(ch)
        if step:
            count += step
            continue
        if ch in _HEX:
            row.extend(ch.upper() * (count or 1))
            count = 0
            while len(row) >= width:
                previous = "".join(row[:width])
                rows.append(previous)
                row = row[width:]
            continue
        if count:
            raise ValueError(f"repeat count before {ch!r}")
        if ch in ",!":
            previous = "".join(row).ljust(width, "0" if ch == "," else "F")
            rows.append(previous)
            row = []
        elif ch == ":":
            if row:
                raise ValueError("':' in the middle of a row")
            rows.append(previous)
        else:
            raise ValueError(f"{ch!r} in ^GF hex data")
    if count:
        raise ValueError("repeat count at the end of the data")
    if row:
        rows.append("".join(row).ljust(width, "0"))
    data = bytes.fromhex("".join(rows))
    return data[:total].ljust(total, b"\x00")


def decode_base64(text: str, total: int) -> bytes:
    """``:B64:``/``:Z64:`` data to ``total`` bytes; a CRC that does not match is an aborted download."""
    match = _BASE64.fullmatch(text.strip())
    if match is None:
        raise ValueError("malformed :B64:/:Z64: data")
    kind, encoded_text, crc = match.groups()
    encoded = re.sub(r"\s", "", encoded_text).encode("ascii")
    if f"{binascii.crc_hqx(encoded, 0):04X}" != crc.upper():
        raise ValueError(f"{kind} CRC {crc} does not match the data")
    try:
        raw = base64.b64decode(encoded, validate=True)
        data = zlib.decompress(raw) if kind == "Z64" else raw
    except (binascii.Error, zlib.error) as err:
        raise ValueError(f"{kind} data does not decode: {err}") from err
    return data[:total].ljust(total, b"\x00")


def decode_field(text: str, row_bytes: int, total: int) -> bytes:
    """``^GFA`` data in any documented form to ``total`` bytes."""
    if text.lstrip().startswith((":B64:", ":Z64:")):
        return decode_base64(text, total)
    return decode_ascii(text, row_bytes, total)
