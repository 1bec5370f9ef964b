"""Printer status, normalised across ESC/POS, TSPL and ZPL. No reply or a malformed reply is UNKNOWN, never OK.

A status is data: a ``PrinterState``, a ``Detail`` naming what the printer said (in its protocol's words) and the
detail's ``params``. ``PrinterStatus.detail_text`` gives it in English; the station shows it in its own language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum, StrEnum

from drivers.errors import DriverError


class PrinterState(StrEnum):
    """What a clerk needs to know about a printer."""

    ONLINE = "online"
    PAPER_OUT = "paper_out"
    COVER_OPEN = "cover_open"
    OFFLINE = "offline"
    ERROR = "error"
    UNKNOWN = "unknown"


class Detail(Enum):
    """What a printer said beyond its state, or why its state is unknown; one member per thing a protocol reports,
    named in that protocol's words (ESC/POS "paper end", TSPL "paper out" and ZPL "media out" are three members)."""

    NONE = "none"
    NOT_CONNECTED = "not_connected"  # the link is down
    CANNOT_CONNECT = "cannot_connect"  # the link could not be opened: ``error`` says why, ``params["reason"]`` too
    CONNECTION_LOST = "connection_lost"  # reason
    NO_BACK_CHANNEL = "no_back_channel"  # a device file: no replies
    NO_REPLY = "no_reply"  # query
    MALFORMED = "malformed"  # query, raw (the reply in hex, or "" when not shown)
    COVER_OPEN = "cover_open"  # ESC/POS DLE EOT 2 bit 2, TSPL bit 6
    HEAD_OPEN = "head_open"  # TSPL bit 0, ZPL head open
    PAPER_END = "paper_end"  # ESC/POS
    PAPER_OUT = "paper_out"  # TSPL
    MEDIA_OUT = "media_out"  # ZPL
    PAPER_LOW = "paper_low"
    PAPER_JAM = "paper_jam"
    RIBBON_OUT = "ribbon_out"
    PAUSED = "paused"
    PRINTING = "printing"
    OFFLINE = "offline"
    ERROR_REPORTED = "error_reported"  # ESC/POS DLE EOT 2 bit 6; ``cause`` from DLE EOT 3 when it names one
    OTHER_ERROR = "other_error"  # temperature out of range: TSPL bit 7, ESC/POS DLE EOT 3 bit 6, ZPL ~HS
    ERROR_FLAGS = "error_flags"  # ZPL ~HQES: flags (16 hex digits)


# each detail in English; params fill the braces
ENGLISH: dict[Detail, str] = {
    Detail.NONE: "",
    Detail.NOT_CONNECTED: "not connected",
    Detail.CANNOT_CONNECT: "not connected: {reason}",
    Detail.CONNECTION_LOST: "connection lost: {reason}",
    Detail.NO_BACK_CHANNEL: "this connection cannot carry status replies",
    Detail.NO_REPLY: "no reply to {query}",
    Detail.MALFORMED: "malformed reply to {query}",
    Detail.COVER_OPEN: "cover open",
    Detail.HEAD_OPEN: "print head open",
    Detail.PAPER_END: "paper end",
    Detail.PAPER_OUT: "paper out",
    Detail.MEDIA_OUT: "media out",
    Detail.PAPER_LOW: "paper low",
    Detail.PAPER_JAM: "paper jam",
    Detail.RIBBON_OUT: "ribbon out",
    Detail.PAUSED: "paused",
    Detail.PRINTING: "printing",
    Detail.OFFLINE: "offline",
    Detail.ERROR_REPORTED: "error reported (DLE EOT 2 bit 6)",
    Detail.OTHER_ERROR: "temperature out of range",
    Detail.ERROR_FLAGS: "error flags {flags}",
}


@dataclass(frozen=True)
class PrinterStatus:
    """A printer's state, what it said, and any detail (e.g. paper low) with its parameters."""

    state: PrinterState
    detail: Detail = Detail.NONE
    raw: bytes = b""
    paper_low: bool = False
    params: dict[str, str] = field(default_factory=dict, hash=False)
    error: DriverError | None = None  # CANNOT_CONNECT: the driver's error

    @property
    def ready(self) -> bool:
        """True only when the printer positively reported it is online."""
        return self.state is PrinterState.ONLINE

    @property
    def detail_text(self) -> str:
        """The detail in English, e.g. "paper end" or "no reply to ~HQES"; "" when there is none."""
        text = ENGLISH[self.detail].format(**self.params)
        if self.detail is Detail.MALFORMED and self.params.get("raw"):
            text += f": {self.params['raw']}"
        if self.detail is Detail.ERROR_REPORTED and self.params.get("cause"):
            text += f": {self.params['cause']}"
        return text


def unknown(detail: Detail, raw: bytes = b"", /, *, error: DriverError | None = None, **params: str) -> PrinterStatus:
    """The status when the printer did not answer, or answered nonsense; ``params`` are the detail's."""
    return PrinterStatus(PrinterState.UNKNOWN, detail, raw, params=params, error=error)


# --- ESC/POS: DLE EOT n answers one byte of the form 0xx1xx10 -----------------------------------------

ESCPOS_QUERIES = {"printer": b"\x10\x04\x01", "offline": b"\x10\x04\x02", "paper": b"\x10\x04\x04"}
ESCPOS_ERROR_QUERY = b"\x10\x04\x03"  # asked only when DLE EOT 2 bit 6 reports an error
# DLE EOT 3 bits (Epson): 3 autocutter error, 5 unrecoverable error, 6 automatically recoverable error (head
# temperature); the first that is set names the cause
ESCPOS_ERROR_CAUSES = ((0x08, "autocutter error"), (0x20, "unrecoverable error"))


def escpos_byte_valid(value: int) -> bool:
    """True when ``value`` has the fixed bits of a DLE EOT reply (bit 0 clear, bits 1 and 4 set, bit 7 clear)."""
    return value & 0x93 == 0x12


def parse_escpos(
    printer: bytes | None, offline: bytes | None, paper: bytes | None, error: bytes | None = None
) -> PrinterStatus:
    """Combine the replies to DLE EOT 1 (printer: bit 3 offline), 2 (offline cause: bit 2 cover open, bit 5 stopped
    at paper end, bit 6 error), 4 (roll paper: bits 2-3 near end, 5-6 end) and, after an error, 3 (error cause:
    bit 3 autocutter, bit 5 unrecoverable, bit 6 recoverable — the head's temperature)."""
    raw = b"".join(r or b"" for r in (printer, offline, paper, error))
    for name, reply in (("DLE EOT 1", printer), ("DLE EOT 2", offline), ("DLE EOT 4", paper)):
        if not reply:
            return unknown(Detail.NO_REPLY, raw, query=name)
        if len(reply) != 1 or not escpos_byte_valid(reply[0]):
            return unknown(Detail.MALFORMED, raw, query=name, raw=reply.hex())
    assert printer and offline and paper
    p, o, s = printer[0], offline[0], paper[0]
    low = bool(s & 0x0C)
    if o & 0x04:
        return PrinterStatus(PrinterState.COVER_OPEN, Detail.COVER_OPEN, raw, low)
    if s & 0x60 or o & 0x20:
        return PrinterStatus(PrinterState.PAPER_OUT, Detail.PAPER_END, raw, low)
    if o & 0x40:
        if not error or len(error) != 1 or not escpos_byte_valid(error[0]):
            return PrinterStatus(PrinterState.ERROR, Detail.ERROR_REPORTED, raw, low)
        for bit, cause in ESCPOS_ERROR_CAUSES:
            if error[0] & bit:
                return PrinterStatus(PrinterState.ERROR, Detail.ERROR_REPORTED, raw, low, params={"cause": cause})
        if error[0] & 0x40:
            return PrinterStatus(PrinterState.ERROR, Detail.OTHER_ERROR, raw, low)
        return PrinterStatus(PrinterState.ERROR, Detail.ERROR_REPORTED, raw, low)
    if p & 0x08:
        return PrinterStatus(PrinterState.OFFLINE, Detail.OFFLINE, raw, low)
    return PrinterStatus(PrinterState.ONLINE, Detail.PAPER_LOW if low else Detail.NONE, raw, low)


# --- TSPL: ESC !? answers one status byte ------------------------------------------------------------

TSPL_QUERY = b"\x1b!?"


def parse_tspl(reply: bytes | None) -> PrinterStatus:
    """Bit 0 head open, 1 paper jam, 2 paper out, 3 ribbon out, 4 pause, 5 printing, 6 cover open, 7 environment
    temperature out of range (TSC and Gprinter manuals); a reply of another length is not understood (UNKNOWN)."""
    if not reply:
        return unknown(Detail.NO_REPLY, query="ESC !?")
    if len(reply) != 1:
        return unknown(Detail.MALFORMED, reply, query="ESC !?", raw=reply.hex())
    b = reply[0]
    if b & 0x80:
        return PrinterStatus(PrinterState.ERROR, Detail.OTHER_ERROR, reply)
    if b & 0x01:
        return PrinterStatus(PrinterState.COVER_OPEN, Detail.HEAD_OPEN, reply)
    if b & 0x40:
        return PrinterStatus(PrinterState.COVER_OPEN, Detail.COVER_OPEN, reply)
    if b & 0x04:
        return PrinterStatus(PrinterState.PAPER_OUT, Detail.PAPER_OUT, reply)
    if b & 0x02:
        return PrinterStatus(PrinterState.ERROR, Detail.PAPER_JAM, reply)
    if b & 0x08:
        return PrinterStatus(PrinterState.ERROR, Detail.RIBBON_OUT, reply)
    if b & 0x10:
        return PrinterStatus(PrinterState.OFFLINE, Detail.PAUSED, reply)
    return PrinterStatus(PrinterState.ONLINE, Detail.PRINTING if b & 0x20 else Detail.NONE, reply)


# --- ZPL: ~HQES answers error and warning flags; ~HS carries the pause flag ---------------------------

ZPL_HQES = b"~HQES"
ZPL_HS = b"~HS"
_HQES_LINE = re.compile(rb"ERRORS:\s+([01])\s+([0-9A-Fa-f]{8})\s+([0-9A-Fa-f]{8})")
ZPL_MEDIA_OUT, ZPL_RIBBON_OUT, ZPL_HEAD_OPEN, ZPL_CUTTER_FAULT = 0x1, 0x2, 0x4, 0x8


def _hs_strings(hs: bytes) -> list[list[bytes]]:
    """The comma-separated fields of each STX … ETX string of a ~HS reply."""
    strings = []
    for part in hs.split(b"\x03"):
        text = part.strip(b"\r\n").lstrip(b"\x02")
        if text:
            strings.append(text.split(b","))
    return strings


def parse_hs(hs: bytes | None) -> PrinterStatus:
    """The whole state from ~HS alone, for firmware that does not answer ~HQES: string 1 field 2 paper out, field 3
    pause, fields 11-12 under/over temperature; string 2 field 3 head up, field 4 ribbon out (ZPL guide, ~HS)."""
    raw = hs or b""
    if not hs:
        return unknown(Detail.NO_REPLY, raw, query="~HQES, ~HS")
    strings = _hs_strings(hs)
    if len(strings) < 2 or len(strings[0]) < 12 or len(strings[1]) < 4:
        return unknown(Detail.MALFORMED, raw, query="~HS", raw="")
    first, second = strings[0], strings[1]
    fields = (first[1], first[2], first[10], first[11], second[2], second[3])
    if any(value not in (b"0", b"1") for value in fields):
        return unknown(Detail.MALFORMED, raw, query="~HS", raw="")
    paper_out, paused, too_cold, too_hot, head_up, ribbon_out = (value == b"1" for value in fields)
    if head_up:
        return PrinterStatus(PrinterState.COVER_OPEN, Detail.HEAD_OPEN, raw)
    if paper_out:
        return PrinterStatus(PrinterState.PAPER_OUT, Detail.MEDIA_OUT, raw)
    if ribbon_out:
        return PrinterStatus(PrinterState.ERROR, Detail.RIBBON_OUT, raw)
    if too_cold or too_hot:
        return PrinterStatus(PrinterState.ERROR, Detail.OTHER_ERROR, raw)
    if paused:
        return PrinterStatus(PrinterState.OFFLINE, Detail.PAUSED, raw)
    return PrinterStatus(PrinterState.ONLINE, Detail.NONE, raw)


def parse_zpl(hqes: bytes | None, hs: bytes | None) -> PrinterStatus:
    """Errors from ~HQES (media out, head open, ribbon out, others); pause from ~HS string 1, field 3. Without a
    ~HQES reply (older firmware), everything is read from ~HS (``parse_hs``)."""
    raw = (hqes or b"") + (hs or b"")
    if not hqes:
        return parse_hs(hs)
    match = _HQES_LINE.search(hqes)
    if match is None or not hqes.lstrip().startswith(b"\x02"):
        return unknown(Detail.MALFORMED, raw, query="~HQES", raw="")
    flags = int(match.group(3), 16) | int(match.group(2), 16) << 32
    if match.group(1) == b"1" or flags:
        if flags & ZPL_HEAD_OPEN:
            return PrinterStatus(PrinterState.COVER_OPEN, Detail.HEAD_OPEN, raw)
        if flags & ZPL_MEDIA_OUT:
            return PrinterStatus(PrinterState.PAPER_OUT, Detail.MEDIA_OUT, raw)
        if flags == ZPL_RIBBON_OUT:
            return PrinterStatus(PrinterState.ERROR, Detail.RIBBON_OUT, raw)
        return PrinterStatus(PrinterState.ERROR, Detail.ERROR_FLAGS, raw, params={"flags": f"{flags:016x}"})
    if not hs:
        return unknown(Detail.NO_REPLY, raw, query="~HS")
    first = hs.split(b"\x03", 1)[0].lstrip(b"\r\n\x02")
    fields = first.split(b",")
    if len(fields) < 3 or fields[2] not in (b"0", b"1"):
        return unknown(Detail.MALFORMED, raw, query="~HS", raw="")
    if fields[2] == b"1":
        return PrinterStatus(PrinterState.OFFLINE, Detail.PAUSED, raw)
    return PrinterStatus(PrinterState.ONLINE, Detail.NONE, raw)
