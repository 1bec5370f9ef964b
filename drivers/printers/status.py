"""Printer status, normalised across ESC/POS, TSPL and ZPL. No reply or a malformed reply is UNKNOWN, never OK."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class PrinterState(StrEnum):
    """What a clerk needs to know about a printer."""

    ONLINE = "online"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class PrinterStatus:
    """A printer's state, what it said, and any detail (e.g. paper low)."""

    state: PrinterState
    detail: str = ""
    raw: bytes = b""
    paper_low: bool = False

    @property
    def ready(self) -> bool:
        """True only when the printer positively reported it is online."""
        return self.state is PrinterState.ONLINE


def unknown(detail: str, raw: bytes = b"") -> PrinterStatus:
    """The status when the printer did not answer, or answered nonsense."""
    return PrinterStatus(PrinterState.UNKNOWN, detail, raw)


# --- ESC/POS: DLE EOT n answers one byte of the form 0xx1xx10 -----------------------------------------

ESCPOS_QUERIES = {"printer": b"\x10\x04\x01", "offline": b"\x10\x04\x02", "paper": b"\x10\x04\x04"}


def escpos_byte_valid(value: int) -> bool:
    """True when ``value`` has the fixed bits of a DLE EOT reply (bit 0 clear, bits 1 and 4 set, bit 7 clear)."""
    return value & 0x93 == 0x12


def parse_escpos(printer: bytes | None, offline: bytes | None, paper: bytes | None) -> PrinterStatus:
    """Combine the replies to DLE EOT 1 (printer), 2 (offline cause) and 4 (roll paper sensor)."""
    raw = b"".join(r or b"" for r in (printer, offline, paper))
    for name, reply in (("DLE EOT 1", printer), ("DLE EOT 2", offline), ("DLE EOT 4", paper)):
        if not reply:
            return unknown(f"no reply to {name}", raw)
        if len(reply) != 1 or not escpos_byte_valid(reply[0]):
            return unknown(f"malformed reply to {name}: {reply.hex()}", raw)
    assert printer and offline and paper
    p, o, s = printer[0], offline[0], paper[0]
    low = bool(s & 0x0C)
    if o & 0x04:
        return PrinterStatus(PrinterState.COVER_OPEN, "cover open", raw, low)
    if s & 0x60 or o & 0x20:
        return PrinterStatus(PrinterState.PAPER_OUT, "paper end", raw, low)
    if o & 0x40:
        return PrinterStatus(PrinterState.ERROR, "error reported (DLE EOT 2 bit 6)", raw, low)
    if p & 0x08:
        return PrinterStatus(PrinterState.OFFLINE, "offline", raw, low)
    return PrinterStatus(PrinterState.ONLINE, "paper low" if low else "", raw, low)


# --- TSPL: ESC !? answers one status byte ------------------------------------------------------------

TSPL_QUERY = b"\x1b!?"


def parse_tspl(reply: bytes | None) -> PrinterStatus:
    """Bit 0 head open, 1 paper jam, 2 paper out, 3 ribbon out, 4 pause, 5 printing, 6 cover open, 7 other error
    (environment temperature out of range); a reply of another length is not understood (UNKNOWN)."""
    if not reply:
        return unknown("no reply to ESC !?")
    if len(reply) != 1:
        return unknown(f"malformed reply to ESC !?: {reply.hex()}", reply)
    b = reply[0]
    if b & 0x80:
        return PrinterStatus(PrinterState.ERROR, "other error (ESC !? bit 7)", reply)
    if b & 0x01:
        return PrinterStatus(PrinterState.COVER_OPEN, "print head open", reply)
    if b & 0x40:
        return PrinterStatus(PrinterState.COVER_OPEN, "cover open", reply)
    if b & 0x04:
        return PrinterStatus(PrinterState.PAPER_OUT, "paper out", reply)
    if b & 0x02:
        return PrinterStatus(PrinterState.ERROR, "paper jam", reply)
    if b & 0x08:
        return PrinterStatus(PrinterState.ERROR, "ribbon out", reply)
    if b & 0x10:
        return PrinterStatus(PrinterState.OFFLINE, "paused", reply)
    return PrinterStatus(PrinterState.ONLINE, "printing" if b & 0x20 else "", reply)


# --- ZPL: ~HQES answers error and warning flags; ~HS carries the pause flag ---------------------------

ZPL_HQES = b"~HQES"
ZPL_HS = b"~HS"
_HQES_LINE = re.compile(rb"ERRORS:\s+([01])\s+([0-9A-Fa-f]{8})\s+([0-9A-Fa-f]{8})")
ZPL_MEDIA_OUT, ZPL_RIBBON_OUT, ZPL_HEAD_OPEN, ZPL_CUTTER_FAULT = 0x1, 0x2, 0x4, 0x8


def parse_zpl(hqes: bytes | None, hs: bytes | None) -> PrinterStatus:
    """Errors from ~HQES (media out, head open, others); pause from ~HS string 1, field 3."""
    raw = (hqes or b"") + (hs or b"")
    if not hqes:
        return unknown("no reply to ~HQES", raw)
    match = _HQES_LINE.search(hqes)
    if match is None or not hqes.lstrip().startswith(b"\x02"):
        return unknown("malformed reply to ~HQES", raw)
    flags = int(match.group(3), 16) | int(match.group(2), 16) << 32
    if match.group(1) == b"1" or flags:
        if flags & ZPL_HEAD_OPEN:
            return PrinterStatus(PrinterState.COVER_OPEN, "print head open", raw)
        if flags & ZPL_MEDIA_OUT:
            return PrinterStatus(PrinterState.PAPER_OUT, "media out", raw)
        return PrinterStatus(PrinterState.ERROR, f"error flags {flags:016x}", raw)
    if not hs:
        return unknown("no reply to ~HS", raw)
    first = hs.split(b"\x03", 1)[0].lstrip(b"\r\n\x02")
    fields = first.split(b",")
    if len(fields) < 3 or fields[2] not in (b"0", b"1"):
        return unknown("malformed reply to ~HS", raw)
    if fields[2] == b"1":
        return PrinterStatus(PrinterState.OFFLINE, "paused", raw)
    return PrinterStatus(PrinterState.ONLINE, "", raw)
