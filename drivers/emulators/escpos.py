"""ESC/POS as a thermal printer runs it, for the virtual printer: bytes in, label images out.

Two paths, as on a real printer. Real-time commands (``DLE EOT n``, ``DLE ENQ n``, ``DLE DC4 fn …``) are acted on as
the bytes arrive, wherever they are, inside image data too (Epson's manuals: "the status is transmitted whenever
the data sequence 10 04 n is received, even if it appears as part of another command"); ``GS ( D`` switches the
``DLE DC4`` ones off (a = 1 pulse, a = 2 power-off). Everything else goes through the receive buffer and is parsed
by command lengths.

Images are rendered into the paper as the printer would lay them: ``GS v 0`` (raster, m = 0-3 and 48-51 for double
width/height), ``ESC *`` column images (m = 0, 1: 8-dot bands at a third of the vertical density, m = 32, 33: 24-dot
bands; m = 0, 32 at half the horizontal density) placed on the current line and printed by ``LF``, and ``GS ( L``/
``GS 8 L`` graphics (fn 112 stores a raster picture, enlarged bx × by, fn 50 prints it). A line is fed by the line
spacing (``ESC 3 n`` in dots, ``ESC 2`` the default of 1/6 inch) or by its tallest image when that is taller. The
label ends at ``FF``, ``GS FF`` or a cut; paper fed after its last printed line is not part of the picture.
Anything not understood, or understood but not rendered (text, a QR code the printer would draw itself, centring),
is reported through ``note`` — never dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C
LF, CR, FF = 0x0A, 0x0D, 0x0C

# real-time commands, acted on at reception: DLE EOT n (status), DLE ENQ n (error recovery), DLE DC4 fn=1 (pulse)
# and fn=2 (power-off sequence)
REALTIME = re.compile(rb"\x10\x04[\x01-\x04]|\x10\x05[\x01\x02]|\x10\x14\x01[\x00\x01][\x01-\x08]|\x10\x14\x02\x01\x08")

# commands of a fixed total length (prefix, command byte) -> length, that change nothing a 1-bit label shows:
# character styles and code pages, bar code settings, drawer pulse, and settings at their default
_HARMLESS = {
    (ESC, ord("!")): 3,
    (ESC, ord("E")): 3,
    (ESC, ord("G")): 3,
    (ESC, ord("M")): 3,
    (ESC, ord("t")): 3,
    (ESC, ord("-")): 3,
    (ESC, ord("R")): 3,
    (ESC, ord("p")): 5,
    (GS, ord("!")): 3,
    (GS, ord("B")): 3,
    (GS, ord("h")): 3,
    (GS, ord("w")): 3,
    (GS, ord("H")): 3,
    (GS, ord("f")): 3,
    (GS, ord("b")): 3,
}
# commands that move or turn what is printed; only their default value is rendered faithfully
_PLACEMENT = {
    (ESC, ord("a")): 3,  # justification: 0 / 48 left
    (ESC, ord("{")): 3,  # upside down: 0 off
    (ESC, ord("V")): 3,  # 90° rotation: 0 off
    (ESC, ord("$")): 4,  # absolute position
    (GS, ord("L")): 4,  # left margin
    (GS, ord("W")): 4,  # print area width
}
_PLACEMENT_DEFAULTS = {ord("a"): (0, 48), ord("{"): (0,), ord("V"): (0, 48)}


@dataclass
class _Job:
    """What is on the paper of the label being printed, and the line being built."""

    strips: list[np.ndarray] = field(default_factory=list)  # printed rows, top to bottom, True = black
    line: list[tuple[int, np.ndarray]] = field(default_factory=list)  # ESC * images on the current line: (x, bits)
    x: int = 0  # horizontal print position on the current line, in dots


class EscposMachine:
    """The receive-buffer side of an ESC/POS printer. ``finish`` gets each label, ``note`` each thing not rendered,
    ``reply`` each status byte, ``status(n)`` answers DLE EOT n."""

    def __init__(
        self,
        dpi: int,
        finish: Callable[[np.ndarray], None],
        note: Callable[[bytes, str], None],
        reply: Callable[[bytes], None],
        status: Callable[[int], bytes],
        on_cut: Callable[[], None],
    ) -> None:
        self.dpi = dpi
        self._finish, self._note, self._reply, self._status, self._on_cut = finish, note, reply, status, on_cut
        self.default_spacing = round(dpi / 6)
        self.line_spacing = self.default_spacing
        self.graphics: np.ndarray | None = None  # GS ( L fn 112: the picture waiting in the print buffer
        self.realtime_enabled = {1: True, 2: False}  # GS ( D a -> DLE DC4 fn a processed (Epson's defaults)
        self.realtime_log: list[bytes] = []  # every real-time command acted on, in order
        self.pulses = 0  # DLE DC4 fn=1 acted on (a drawer kick or buzzer)
        self.power_offs = 0  # DLE DC4 fn=2 acted on
        self._carry = b""
        self.job = _Job()

    # --- reception: real-time commands ------------------------------------------------------------

    def receive(self, data: bytes) -> None:
        """Act on the real-time commands in bytes just read, wherever they stand (image data included); the caller
        hands over each command's bytes once the commands before it have been read."""
        window = self._carry + data
        for match in REALTIME.finditer(window):
            if match.end() <= len(self._carry):
                continue  # acted on when it arrived
            command = match.group()
            self.realtime_log.append(command)
            if command[1] == 0x04:
                self._reply(self._status(command[2]))
            elif command[1] == 0x14 and self.realtime_enabled.get(command[2], False):
                if command[2] == 1:
                    self.pulses += 1
                else:
                    self.power_offs += 1
        self._carry = window[-4:]

    def reset_job(self) -> None:
        """The host went away: the label being received is lost."""
        self.job = _Job()
        self.graphics = None
        self._carry = b""

    # --- the receive buffer ---------------------------------------------------------------------------

    def parse(self, b: bytearray) -> int:
        """Take one command from the front of ``b``; returns the bytes used, 0 when the command is incomplete."""
        first = b[0]
        if first == DLE:
            return self._dle(b)
        if first == LF:
            self._print_line(feed=True)
            return 1
        if first == CR:
            return 1  # with automatic line feed off (the default), CR does nothing
        if first == FF:
            self.end_label()
            return 1
        if first in (ESC, GS):
            if len(b) < 2:
                return 0
            return self._esc(b) if first == ESC else self._gs(b)
        if first == FS:
            if len(b) < 2:
                return 0
            self._note(bytes(b[:2]), "FS command not understood")
            return 2
        if first >= 0x20:
            end = 1
            while end < len(b) and b[end] >= 0x20:
                end += 1
            self._note(bytes(b[:end][:24]), f"text of {end} bytes not rendered")
            return end
        self._note(bytes(b[:1]), "control byte not understood")
        return 1

    def _dle(self, b: bytearray) -> int:
        if len(b) < 3:
            return 0
        if b[1] in (0x04, 0x05):
            return 3  # acted on at reception
        if b[1] == 0x14:
            if len(b) < 5:
                return 0
            return 5
        self._note(bytes(b[:2]), "DLE command not understood")
        return 2

    def _esc(self, b: bytearray) -> int:
        cmd = b[1]
        if cmd == ord("@"):
            self.job.line, self.job.x = [], 0
            self.line_spacing = self.default_spacing
            self.graphics = None
            return 2
        if cmd == ord("2"):
            self.line_spacing = self.default_spacing
            return 2
        if cmd in (ord("3"), ord("J"), ord("d")):
            if len(b) < 3:
                return 0
            if cmd == ord("3"):
                self.line_spacing = b[2]
            else:
                self._print_line(feed=False)
                self._feed(b[2] if cmd == ord("J") else b[2] * self.line_spacing)
            return 3
        if cmd == ord("*"):
            return self._column_image(b)
        if cmd == ord("("):
            return self._length_prefixed(b, 2, "ESC ( command not understood")
        return self._fixed(b)

    def _gs(self, b: bytearray) -> int:
        cmd = b[1]
        if cmd == ord("v"):
            return self._raster(b)
        if cmd == ord("("):
            if len(b) < 3:
                return 0
            if b[2] == ord("L"):
                return self._graphics(b, 2)
            if b[2] == ord("D"):
                return self._realtime_switch(b)
            return self._length_prefixed(b, 2, "GS ( command not understood")
        if cmd == ord("8"):
            if len(b) < 3:
                return 0
            if b[2] == ord("L"):
                return self._graphics(b, 4)
            self._note(bytes(b[:3]), "GS 8 command not understood")
            return 3
        if cmd == ord("V"):  # cut: GS V m, or GS V m n for m = 65, 66, 97, 98, 103, 104
            if len(b) < 3:
                return 0
            length = 4 if b[2] in (65, 66, 97, 98, 103, 104) else 3
            if len(b) < length:
                return 0
            self._on_cut()  # a receipt comes off cut; a label printer's labels end at the gap instead
            self.end_label()
            return length
        if cmd == 0x0C:  # GS FF: feed to the next label's start
            self.end_label()
            return 2
        return self._fixed(b)

    def _fixed(self, b: bytearray) -> int:
        cmd = (b[0], b[1])
        length = _HARMLESS.get(cmd) or _PLACEMENT.get(cmd)
        if length is None:
            self._note(bytes(b[:2]), "command not understood")
            return 2
        if len(b) < length:
            return 0
        if cmd in _PLACEMENT:
            defaults = _PLACEMENT_DEFAULTS.get(b[1])
            at_default = defaults is not None and b[2] in defaults
            if cmd == (GS, ord("L")):
                at_default = b[2] == 0 and b[3] == 0
            if not at_default:
                self._note(bytes(b[:length]), "placement not rendered")
        return length

    def _length_prefixed(self, b: bytearray, size_at: int, reason: str) -> int:
        """A ``… pL pH m …`` command of the given kind: skipped whole, and noted."""
        if len(b) < size_at + 3:
            return 0
        total = size_at + 3 + (b[size_at + 1] | b[size_at + 2] << 8)
        if len(b) < total:
            return 0
        self._note(bytes(b[: min(total, 8)]), reason)
        return total

    # --- images ------------------------------------------------------------------------------------------

    def _raster(self, b: bytearray) -> int:
        """GS v 0 m xL xH yL yH d…: printed at once, from the left of a new line."""
        if len(b) < 8:
            return 0
        if b[2] not in (0, ord("0")):
            self._note(bytes(b[:3]), "GS v command not understood")
            return 3
        mode = b[3]
        width_bytes, rows = b[4] | b[5] << 8, b[6] | b[7] << 8
        total = 8 + width_bytes * rows
        if len(b) < total:
            return 0
        if mode not in (0, 1, 2, 3, 48, 49, 50, 51):
            self._note(bytes(b[:8]), f"GS v 0 mode {mode} not understood")
            return total
        bits = _unpack(bytes(b[8:total]), rows, width_bytes)
        scale_x, scale_y = 1 + (mode & 1), 1 + (mode >> 1 & 1)
        self._print_line(feed=False)
        self.job.strips.append(_enlarge(bits, scale_x, scale_y))
        return total

    def _column_image(self, b: bytearray) -> int:
        """ESC * m nL nH d…: an image on the current line, printed by the next LF."""
        if len(b) < 5:
            return 0
        mode, columns = b[2], b[3] | b[4] << 8
        if mode not in (0, 1, 32, 33):
            raise ValueError(f"ESC * mode {mode}")
        per_column = 3 if mode >= 32 else 1
        total = 5 + columns * per_column
        if len(b) < total:
            return 0
        data = np.frombuffer(bytes(b[5:total]), dtype=np.uint8).reshape(columns, per_column)
        bits = np.unpackbits(data, axis=1).astype(bool).T  # rows = dots top to bottom, MSB first
        scale_x = 2 if mode in (0, 32) else 1
        scale_y = 3 if mode in (0, 1) else 1  # 8-dot bands print at a third of the vertical density
        image = _enlarge(bits, scale_x, scale_y)
        self.job.line.append((self.job.x, image))
        self.job.x += image.shape[1]
        return total

    def _graphics(self, b: bytearray, size_bytes: int) -> int:
        """GS ( L pL pH m fn … / GS 8 L p1 p2 p3 p4 m fn …: fn 112 stores a picture, fn 50 prints it."""
        head = 3 + size_bytes
        if len(b) < head + 2:
            return 0
        size = int.from_bytes(bytes(b[3:head]), "little")
        total = head + size
        if len(b) < total:
            return 0
        m, fn = b[head], b[head + 1]
        body = bytes(b[head + 2 : total])
        if m != 48:
            self._note(bytes(b[: head + 2]), f"graphics m={m} not understood")
        elif fn in (2, 50):
            if self.graphics is not None:
                self._print_line(feed=False)
                self.job.strips.append(self.graphics)
                self.graphics = None
        elif fn == 112 and len(body) >= 8 and body[0] == 48 and body[3] == 49:
            bx, by = body[1], body[2]
            width, rows = body[4] | body[5] << 8, body[6] | body[7] << 8
            width_bytes = (width + 7) // 8
            if bx not in (1, 2) or by not in (1, 2) or len(body) < 8 + width_bytes * rows:
                raise ValueError(f"GS ( L fn 112 bx={bx} by={by} {width}x{rows}")
            bits = _unpack(body[8 : 8 + width_bytes * rows], rows, width_bytes)[:, :width]
            self.graphics = _enlarge(bits, bx, by)
        else:
            self._note(bytes(b[: head + 4]), f"graphics function {fn} not rendered")
        return total

    def _realtime_switch(self, b: bytearray) -> int:
        """GS ( D pL pH 20 [a b]…: enable (b = 1, 49) or disable (b = 0, 48) DLE DC4 fn = a."""
        if len(b) < 5:
            return 0
        total = 5 + (b[3] | b[4] << 8)
        if len(b) < total:
            return 0
        body = bytes(b[5:total])
        if not body or body[0] != 20:
            self._note(bytes(b[:6]), "GS ( D not understood")
            return total
        for i in range(1, len(body) - 1, 2):
            a, value = body[i], body[i + 1]
            if a in (1, 2) and value in (0, 1, 48, 49):
                self.realtime_enabled[a] = value in (1, 49)
            else:
                self._note(bytes(b[:6]) + bytes((a, value)), "GS ( D setting not understood")
        return total

    # --- paper -------------------------------------------------------------------------------------------

    def _print_line(self, feed: bool) -> None:
        """Print the ESC * images of the current line; with ``feed`` (LF) an empty line still feeds."""
        job = self.job
        if job.line:
            height = max(image.shape[0] for _, image in job.line)
            width = max(x + image.shape[1] for x, image in job.line)
            strip = np.zeros((max(height, self.line_spacing), width), dtype=bool)
            for x, image in job.line:
                strip[: image.shape[0], x : x + image.shape[1]] |= image
            job.strips.append(strip)
        elif feed:
            self._feed(self.line_spacing)
        job.line, job.x = [], 0

    def _feed(self, dots: int) -> None:
        if dots > 0:
            self.job.strips.append(np.zeros((dots, 0), dtype=bool))

    def end_label(self) -> None:
        """The label is done (FF, GS FF, cut): what is on its paper comes out."""
        self._print_line(feed=False)
        strips = self.job.strips
        self.job = _Job()
        while strips and not strips[-1].shape[1]:
            strips.pop()  # paper fed after the last printed line (ESC d before a cut) is blank, not printed
        if not strips:
            return
        width = max(strip.shape[1] for strip in strips)
        self._finish(np.vstack([np.pad(s, ((0, 0), (0, width - s.shape[1]))) for s in strips]))


def _unpack(data: bytes, rows: int, width_bytes: int) -> np.ndarray:
    return np.unpackbits(np.frombuffer(data, dtype=np.uint8).reshape(rows, width_bytes), axis=1).astype(bool)


def _enlarge(bits: np.ndarray, scale_x: int, scale_y: int) -> np.ndarray:
    if scale_x == scale_y == 1:
        return bits
    return np.repeat(np.repeat(bits, scale_y, axis=0), scale_x, axis=1)
