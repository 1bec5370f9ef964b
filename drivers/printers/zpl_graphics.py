"""The data of a ZPL ``^GFA`` graphic field in the forms the Zebra programming guide gives.

``hex``: two hex digits a byte, 1 = black. ``acs``: Zebra's ASCII compression of the hex digits: a repeat count
before a digit (``G``-``Y`` = 1-19, ``g``-``z`` = 20-400, added together), ``,`` fills the rest of the row with 0,
``!`` fills it with 1 (F), ``:`` repeats the previous row. ``z64``: the bytes zlib-compressed (LZ77), base64-encoded,
framed as ``:Z64:<data>:<crc>`` with the CRC-16/XMODEM of the base64 text in four hex digits; ``b64`` the same
without compression. Nothing here touches a device.
"""

from __future__ import annotations

import base64
import binascii
import re
import zlib

GRAPHIC_FORMS = ("acs", "z64", "hex", "b64")
_MAX_RUN = 419  # z (400) + Y (19): the longest run one count can say


_RUNS = re.compile(r"(.)\1{2,}")  # three or more of one digit: shorter with a repeat count


def _count(count: int) -> str:
    """The repeat count characters for ``count`` (at most ``_MAX_RUN``)."""
    twenties, ones = divmod(count, 20)
    return (chr(ord("f") + twenties) if twenties else "") + (chr(ord("F") + ones) if ones else "")


def _run(match: re.Match[str]) -> str:
    """A run of one hex digit with repeat counts; runs longer than one count can say are split."""
    digit, count = match.group(1), len(match.group())
    out = []
    while count > 0:
        run = min(count, _MAX_RUN)
        count -= run
        out.append(digit * run if run < 3 else _count(run) + digit)  # "AA" is as short as "HA" and reads plainly
    return "".join(out)


def compress_row(row_hex: str) -> str:
    """One row of upper-case hex digits in Zebra's ASCII compression (without the ``:`` row repeat)."""
    body, fill = row_hex, ""
    if row_hex.endswith("0"):
        body, fill = row_hex.rstrip("0"), ","
    elif row_hex.endswith("F"):
        body, fill = row_hex.rstrip("F"), "!"
    return _RUNS.sub(_run, body) + fill


def compress_ascii(data: bytes, row_bytes: int) -> str:
    """``data`` (rows of ``row_bytes`` bytes) as ASCII-compressed hex; a row equal to the one before is ``:``."""
    hex_text = data.hex().upper()
    step = 2 * row_bytes
    rows = []
    previous = None
    for start in range(0, len(hex_text), step):
        row = hex_text[start : start + step]
        rows.append(":" if row == previous else compress_row(row))
        previous = row
    return "".join(rows)


def crc16_xmodem(data: bytes) -> str:
    """The CRC Zebra puts after ``:B64:``/``:Z64:`` data: CRC-16/XMODEM (0x1021, start 0) in four hex digits."""
    return f"{binascii.crc_hqx(data, 0):04X}"


def base64_field(data: bytes, compress: bool) -> str:
    """``:Z64:`` (zlib then base64) or ``:B64:`` (base64) data with its CRC."""
    encoded = base64.b64encode(zlib.compress(data, 9) if compress else data)
    return f":{'Z64' if compress else 'B64'}:{encoded.decode('ascii')}:{crc16_xmodem(encoded)}"


def graphic_field(data: bytes, row_bytes: int, form: str = "acs") -> str:
    """A whole ``^GFA,b,c,d,<data>`` command for ``data`` (rows of ``row_bytes``, 1 = black) in ``form``.

    ``b`` is the number of characters of data that follow for the base64 forms and the byte count otherwise, as the
    guide gives it; ``c`` is always the bytes of the picture (``row_bytes`` × rows).
    """
    if form == "hex":
        text = data.hex().upper()
    elif form == "acs":
        text = compress_ascii(data, row_bytes)
    elif form in ("z64", "b64"):
        text = base64_field(data, compress=form == "z64")
    else:
        raise ValueError(f"unknown ^GF data form {form!r} (one of {', '.join(GRAPHIC_FORMS)})")
    sent = len(text) if form in ("z64", "b64") else len(data)
    return f"^GFA,{sent},{len(data)},{row_bytes},{text}"
