"""QR symbols for payloads: always full QR (never Micro QR), byte mode, UTF-8 with ECI when not ASCII."""

from __future__ import annotations

import segno


def make_symbol(data: str, error: str = "m") -> segno.QRCode:
    """A QR symbol zbar, OpenCV and zxing-cpp all read back exactly (see DOMAIN.md §3)."""
    ascii_only = data.isascii()
    return segno.make_qr(data, error=error, mode="byte", encoding="utf-8", eci=not ascii_only, boost_error=False)
