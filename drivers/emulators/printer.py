"""A virtual thermal label printer for ESC/POS, TSPL and ZPL.

It parses jobs by command lengths (bitmap data may contain status-query bytes), renders each label to a PNG at
its dots and answers status queries with every bit the driver reads. ESC/POS is run by ``escpos.EscposMachine``,
which also acts on real-time commands wherever they stand, as an ESC/POS printer does; ZPL ``^GF`` data is read in
every form Zebra documents (``zpl_decode``). A command it does not understand, or does not draw, is listed in
``unknown_commands``, logged and handed to ``on_unknown``. Given a print speed (``speed_mm_s``), each label takes
(length + gap) / speed to come out, one after another, and its PNG appears only once it is fully out; without one,
labels come out at once. It can be given physical faults: paper out after N labels, cover or head open, offline,
paper jam, ribbon out, temperature, cutter fault, a connection that drops mid-job, slow drain, dead heating
elements, low darkness, silence. While a fault stops printing, finished labels wait in its buffer and come
out when the fault clears, as on a real printer. The transports (TCP, pty, pyusb) live in ``servers``/``usb``.

Given a roll (``Media``: gap, black-mark or continuous stock, its label length and gap or mark), each label comes
out as long as the roll's labels whatever the job said, a continuous job as long as the job itself; the media
settings a job sends (TSPL SPEED, DENSITY, GAP, BLINE; ZPL ^PR, ~SD, ^MD, ^MN, ^MT) are kept in ``job`` and a job
laid out for another kind of stock than the roll is noted. Calibration (TSPL GAPDETECT, BLINEDETECT, AUTODETECT;
ZPL ~JC) measures the roll: TSPL answers ``OUT GETSETTING$("CONFIG","TSPL","PAPER SIZE")`` and ZPL's ~HS the
label length in dots."""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from drivers.emulators.escpos import EscposMachine
from drivers.emulators.zpl_decode import decode_field

LOG = logging.getLogger(__name__)


@dataclass
class PrinterFaults:
    """Physical faults to inject; change them while the printer runs through VirtualPrinter's methods."""

    paper_out_after: int | None = None
    cover_open: bool = False
    offline: bool = False
    disconnect_after_bytes: int | None = None
    drain_bytes_per_s: float | None = None
    dead_elements: tuple[int, ...] = ()
    darkness: float = 1.0
    silent: bool = False
    spoil_labels: frozenset[int] = frozenset()  # these labels (1 = first printed) come out with a void
    head_open: bool = False  # the print head lifted (TSPL bit 0; ZPL head open; ESC/POS cover)
    paper_jam: bool = False  # TSPL bit 1; ESC/POS autocutter error (DLE EOT 3 bit 3)
    ribbon_out: bool = False  # TSPL bit 3; ZPL ribbon out
    temperature: bool = False  # TSPL bit 7; ZPL head over temperature; ESC/POS recoverable error (DLE EOT 3 bit 6)
    cutter_fault: bool = False  # ZPL cutter fault; ESC/POS autocutter error
    unrecoverable: bool = False  # ESC/POS unrecoverable error (DLE EOT 3 bit 5)
    paper_low: bool = False  # ESC/POS roll near end (DLE EOT 4 bits 2-3)
    no_hqes: bool = False  # ZPL firmware without ~HQES: it answers only ~HS
    hs_on_fault: bool = False  # ZPL: ~HS answers even with media out or the head open (most firmware is silent)


@dataclass(frozen=True)
class Media:
    """The roll in the printer: gap (die-cut labels), mark (black marks on the back) or continuous stock. On gap
    and mark stock ``label_mm`` is each label's length and ``gap_mm`` the gap or the mark's height."""

    kind: str = "gap"
    label_mm: float = 30.0
    gap_mm: float = 2.0

    def __post_init__(self) -> None:
        if self.kind not in ("gap", "mark", "continuous"):
            raise ValueError(f"media kind is gap, mark or continuous, not {self.kind!r}")
        if self.kind != "continuous" and not (self.label_mm > 0 and self.gap_mm > 0):
            raise ValueError("gap and mark stock need a label length and a gap or mark above 0 mm")


@dataclass(frozen=True)
class PrintedLabel:
    """One label that came out of the printer."""

    index: int
    image: Image.Image  # as printed: mode "1", or "L" when darkness is low
    path: Path | None
    at: float = 0.0  # time.monotonic() when it was fully out


@dataclass
class _Pending:
    canvas: np.ndarray | None = None  # TSPL/ZPL page, True = black


class VirtualPrinter:
    """The printer's brain: bytes in, labels and status replies out. Thread-safe."""

    def __init__(
        self,
        lang: str,
        out_dir: Path | None = None,
        dpi: int = 203,
        faults: PrinterFaults | None = None,
        on_label: Callable[[PrintedLabel], None] | None = None,
        speed_mm_s: float | None = None,
        gap_mm: float = 2.0,
        on_unknown: Callable[[bytes], None] | None = None,
        media: Media | None = None,
    ) -> None:
        if lang not in ("escpos", "tspl", "zpl"):
            raise ValueError(f"unknown printer language {lang!r}")
        self.lang = lang
        self.dpi = dpi
        self.out_dir = out_dir
        self.faults = faults or PrinterFaults()
        self.on_label = on_label
        self.labels: list[PrintedLabel] = []
        self.held: list[np.ndarray] = []  # finished labels waiting for a fault to clear
        self.cuts = 0  # ESC/POS GS V cuts received
        self.received = 0  # job bytes received over all connections
        self.queries = 0
        self.unknown_commands: list[bytes] = []  # each command not understood or not rendered, with the reason
        self.on_unknown = on_unknown
        self._buf = bytearray()
        self._replies = bytearray()
        self._pending = _Pending()
        self._lock = threading.RLock()
        self._size = (0, 0)  # TSPL SIZE / ZPL ^PW,^LL in dots
        self._origin = (0, 0)
        self._copies = 1
        # print speed: with a speed, each label takes (length + gap) / speed to come out, one after another
        self.speed_mm_s = speed_mm_s
        self.media = media
        self.gap_mm = media.gap_mm if media is not None and media.kind != "continuous" else gap_mm
        self.job: dict[str, object] = {}  # media settings the jobs sent: speed, density, sensor, gap, offset, method
        self.calibrations = 0
        self.measured_dots: int | None = None  # the label length the last calibration measured
        self._printing: list[tuple[float, np.ndarray]] = []
        self._printer_thread: threading.Thread | None = None
        self._wake = threading.Condition(self._lock)
        self._last_due = 0.0
        self.escpos = EscposMachine(
            dpi, finish=self._finish, note=self._note, reply=self._reply, status=self._escpos_status, on_cut=self._cut
        )
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)

    # --- what the transports call ------------------------------------------------------------------

    def feed(self, data: bytes) -> None:
        """Bytes from the host."""
        with self._lock:
            self.received += len(data)
            self._buf += data
            parse = {"escpos": self._parse_escpos, "tspl": self._parse_tspl, "zpl": self._parse_zpl}[self.lang]
            while self._buf:
                try:
                    used = parse()
                except (ValueError, ZeroDivisionError, IndexError) as err:
                    # a garbled command: a real printer skips it and goes on; so does this one, noting it
                    self._note(bytes(self._buf[:16]), str(err))
                    end = self._buf.find(b"\n")
                    used = end + 1 if end >= 0 else len(self._buf)
                if used == 0:
                    break
                if self.lang == "escpos":
                    # real-time commands act wherever they stand, image data included, once the commands before
                    # them (a GS ( D) have been read
                    self.escpos.receive(bytes(self._buf[:used]))
                del self._buf[:used]

    def take_reply(self, size: int) -> bytes:
        """Up to ``size`` bytes of status replies waiting for the host."""
        with self._lock:
            out = bytes(self._replies[:size])
            del self._replies[:size]
            return out

    def should_disconnect(self) -> bool:
        """True once the injected mid-job disconnect point has been reached."""
        limit = self.faults.disconnect_after_bytes
        return limit is not None and self.received >= limit

    def connection_lost(self) -> None:
        """The host went away: a half-received job is lost, as on a real printer."""
        with self._lock:
            self._buf.clear()
            self._pending = _Pending()
            self.escpos.reset_job()
            if self.faults.disconnect_after_bytes is not None and self.received >= self.faults.disconnect_after_bytes:
                self.faults.disconnect_after_bytes = None  # one drop per injection

    # --- fault control ------------------------------------------------------------------------------

    @property
    def paper_out(self) -> bool:
        """True when the roll has run out."""
        limit = self.faults.paper_out_after
        return limit is not None and len(self.labels) >= limit

    def load_paper(self) -> None:
        """A new roll: print what was held."""
        with self._lock:
            self.faults.paper_out_after = None
            self._release()

    def set_cover_open(self, is_open: bool) -> None:
        """Open or close the cover."""
        with self._lock:
            self.faults.cover_open = is_open
            self._release()

    def set_offline(self, offline: bool) -> None:
        """Press pause, or resume."""
        with self._lock:
            self.faults.offline = offline
            self._release()

    @property
    def unknown_count(self) -> int:
        """How many commands were not understood or not rendered."""
        return len(self.unknown_commands)

    def _note(self, raw: bytes, reason: str) -> None:
        """A command not understood, or understood but not rendered: listed, counted, logged, never dropped."""
        entry = raw + f" ({reason})".encode()
        self.unknown_commands.append(entry)
        LOG.warning("%s printer: %r", self.lang, entry)
        if self.on_unknown is not None:
            self.on_unknown(entry)

    def _cut(self) -> None:
        self.cuts += 1

    @property
    def _error(self) -> bool:
        f = self.faults
        return f.paper_jam or f.ribbon_out or f.temperature or f.cutter_fault or f.unrecoverable

    def _blocked(self) -> bool:
        f = self.faults
        return f.cover_open or f.head_open or f.offline or self.paper_out or self._error

    def _release(self) -> None:
        while self.held and not self._blocked():
            black = self.held.pop(0)
            if self.speed_mm_s is None:
                self._emit(black)
            else:
                self._schedule(black)

    @property
    def busy(self) -> bool:
        """True while labels are still coming out."""
        return bool(self._printing)

    def _schedule(self, black: np.ndarray) -> None:
        assert self.speed_mm_s is not None
        length_mm = black.shape[0] * 25.4 / self.dpi + self.gap_mm
        start = max(time.monotonic(), self._last_due)
        self._last_due = start + length_mm / self.speed_mm_s
        self._printing.append((self._last_due, black))
        if self._printer_thread is None or not self._printer_thread.is_alive():
            self._printer_thread = threading.Thread(target=self._print_loop, name="printer-head", daemon=True)
            self._printer_thread.start()
        self._wake.notify_all()

    def _print_loop(self) -> None:
        """Bring labels out at the print speed; ends when nothing is left to print."""
        with self._lock:
            while self._printing:
                due, black = self._printing[0]
                wait = due - time.monotonic()
                if wait > 0:
                    self._wake.wait(timeout=min(wait, 0.05))
                    continue
                self._printing.pop(0)
                self._emit(black)

    # --- labels ------------------------------------------------------------------------------------

    def _finish(self, black: np.ndarray, copies: int = 1) -> None:
        black = self._on_roll(black)
        for _ in range(max(1, copies)):
            self.held.append(black.copy())
        self._release()

    def _dots(self, mm: float) -> int:
        return round(mm * self.dpi / 25.4)

    def _on_roll(self, black: np.ndarray) -> np.ndarray:
        """The label as the roll lets it out: as long as the roll's labels on gap and mark stock (cut off or run
        on blank), as long as the job on continuous stock. A job for another kind of stock is noted."""
        media = self.media
        if media is None:
            return black
        sensor = self.job.get("sensor")
        if sensor is not None and sensor != media.kind:
            self._note(str(sensor).encode(), f"job laid out for {sensor} stock, the roll is {media.kind}")
        if media.kind == "continuous":
            return black
        length = self._dots(media.label_mm)
        if black.shape[0] >= length:
            return black[:length]
        return np.vstack([black, np.zeros((length - black.shape[0], black.shape[1]), dtype=bool)])

    def _calibrate(self, sensor: str) -> None:
        """Feed the roll past the sensor: the label length when the sensor finds the roll's gaps or marks, else
        0 (a gap sensor on black-mark stock, any sensor on continuous stock)."""
        self.calibrations += 1
        media = self.media or Media()
        found = media.kind != "continuous" and sensor in (media.kind, "auto")
        self.measured_dots = self._dots(media.label_mm) if found else 0
        if found:
            self.job["sensor"] = media.kind

    def _emit(self, black: np.ndarray) -> None:
        black = black.copy()
        if len(self.labels) + 1 in self.faults.spoil_labels:
            h, w = black.shape
            black[h // 4 : h // 4 + 14, w // 8 : w // 8 + 14] = False  # a void: a bare spot in the print
        for dot in self.faults.dead_elements:
            if 0 <= dot < black.shape[1]:
                black[:, dot] = False
        if self.faults.darkness >= 1.0:
            image = Image.fromarray(~black)
        else:
            ink = round(255 * (1.0 - max(0.0, self.faults.darkness)))
            image = Image.fromarray(np.where(black, ink, 255).astype(np.uint8), mode="L")
        index = len(self.labels) + 1
        path = None
        if self.out_dir is not None:
            path = self.out_dir / f"label-{index:05d}.png"
            tmp = path.with_name(path.name + ".part")
            image.save(tmp, format="PNG", dpi=(self.dpi, self.dpi))
            tmp.replace(path)
        label = PrintedLabel(index, image, path, time.monotonic())
        self.labels.append(label)
        if self.on_label is not None:
            self.on_label(label)

    def _reply(self, data: bytes) -> None:
        self.queries += 1
        if not self.faults.silent:
            self._replies += data

    # --- ESC/POS (parsing in ``escpos``) ---------------------------------------------------------------

    def _escpos_status(self, n: int) -> bytes:
        """The DLE EOT n byte, 0xx1xx10 with the bits Epson's manuals give."""
        f = self.faults
        value = 0x12
        if n == 1:
            value |= 0x08 if self._blocked() else 0  # bit 3 offline
        elif n == 2:
            value |= 0x04 if (f.cover_open or f.head_open) else 0  # bit 2 cover open
            value |= 0x20 if self.paper_out else 0  # bit 5 stopped at paper end
            value |= 0x40 if (f.cutter_fault or f.paper_jam or f.unrecoverable or f.temperature) else 0  # bit 6 error
        elif n == 3:
            value |= 0x08 if (f.cutter_fault or f.paper_jam) else 0  # bit 3 autocutter error
            value |= 0x20 if f.unrecoverable else 0  # bit 5 unrecoverable error
            value |= 0x40 if f.temperature else 0  # bit 6 automatically recoverable error (head temperature)
        else:
            value |= 0x0C if f.paper_low else 0  # bits 2-3 roll near end
            value |= 0x60 if self.paper_out else 0  # bits 5-6 roll end
        return bytes((value,))

    def _parse_escpos(self) -> int:
        return self.escpos.parse(self._buf)

    # --- TSPL --------------------------------------------------------------------------------------

    def _tspl_status(self) -> bytes:
        """The ESC !? byte: bit 0 head open, 1 jam, 2 paper out, 3 ribbon out, 4 pause, 5 printing, 6 cover open,
        7 environment temperature out of range (TSC and Gprinter manuals)."""
        f = self.faults
        bits = (
            f.head_open,
            f.paper_jam,
            self.paper_out,
            f.ribbon_out,
            f.offline,
            bool(self._printing),
            f.cover_open,
            f.temperature,
        )
        return bytes((sum(1 << i for i, on in enumerate(bits) if on),))

    def _mm_to_dots(self, text: str) -> int:
        match = re.fullmatch(r"\s*([0-9.]+)\s*(mm|dot)?\s*", text)
        if not match:
            raise ValueError(text)
        value = float(match.group(1))
        if match.group(2) == "mm":
            return round(value * self.dpi / 25.4)
        if match.group(2) == "dot":
            return round(value)
        return round(value * self.dpi)  # inches

    def _parse_tspl(self) -> int:
        b = self._buf
        if b[0] == 0x1B:  # real-time commands: ESC !? status, ESC !R reset, …
            if len(b) < 3:
                return 0
            if b[1] == ord("!") and b[2] == ord("?"):
                self._reply(self._tspl_status())
            return 3
        if b[0] in (0x0D, 0x0A):
            return 1
        if b.startswith(b"BITMAP"):
            header_end = -1
            commas = 0
            for i in range(6, min(len(b), 64)):
                if b[i] == ord(","):
                    commas += 1
                    if commas == 5:
                        header_end = i + 1
                        break
            if header_end < 0:
                return 0 if len(b) < 64 else self._skip_line()
            x, y, width_bytes, rows, _mode = (int(v) for v in bytes(b[6 : header_end - 1]).decode().split(","))
            total = header_end + width_bytes * rows
            if len(b) < total:
                return 0
            data = np.frombuffer(bytes(b[header_end:total]), dtype=np.uint8).reshape(rows, width_bytes)
            black = ~np.unpackbits(data, axis=1).astype(bool)  # TSPL: 1 = white
            self._paste(black, x, y)
            return total
        end = b.find(b"\n")
        if end < 0:
            return 0 if len(b) < 4096 else len(b)
        line = bytes(b[:end]).decode("latin-1").strip()
        self._tspl_command(line)
        return end + 1

    def _skip_line(self) -> int:
        end = self._buf.find(b"\n")
        return end + 1 if end >= 0 else len(self._buf)

    def _tspl_command(self, line: str) -> None:
        word, _, args = line.partition(" ")
        word = word.upper()
        try:
            if word == "SIZE":
                w, h = args.split(",")
                self._size = (self._mm_to_dots(w), self._mm_to_dots(h))
            elif word == "CLS":
                self._pending = _Pending(canvas=np.zeros((self._size[1], self._size[0]), dtype=bool))
            elif word == "PRINT":
                sets, _, copies = args.partition(",")
                canvas = self._pending.canvas
                if canvas is not None:
                    for _ in range(max(1, int(sets or 1))):
                        self._finish(canvas, int(copies or 1))
            elif word in ("GAP", "BLINE"):
                m, _, n = args.partition(",")
                mark = self._mm_to_dots(m) if m.strip() else 0
                continuous = word == "GAP" and mark == 0
                self.job["sensor"] = "continuous" if continuous else ("gap" if word == "GAP" else "mark")
                self.job["gap"] = mark
                self.job["offset"] = self._mm_to_dots(n) if n.strip() else 0
            elif word == "SPEED":
                self.job["speed"] = float(args)
            elif word == "DENSITY":
                self.job["density"] = int(args)
            elif word in ("GAPDETECT", "BLINEDETECT", "AUTODETECT"):
                self._calibrate({"GAPDETECT": "gap", "BLINEDETECT": "mark", "AUTODETECT": "auto"}[word])
            elif word == "OUT" and args.replace(" ", "").upper() == 'GETSETTING$("CONFIG","TSPL","PAPERSIZE")':
                size = self.measured_dots if self.measured_dots is not None else self._size[1]
                self._reply(f"{size}\r\n".encode())
            elif word not in ("DIRECTION", "REFERENCE", "OFFSET", "SHIFT", "SET", "CODEPAGE", ""):
                self._note(line.encode()[:32], "not understood")
        except ValueError:
            self._note(line.encode()[:32], "not understood")

    def _paste(self, black: np.ndarray, x: int, y: int) -> None:
        canvas = self._pending.canvas
        if canvas is None:
            canvas = np.zeros(
                (max(self._size[1], y + black.shape[0]), max(self._size[0], x + black.shape[1])), dtype=bool
            )
            self._pending.canvas = canvas
        h = min(black.shape[0], canvas.shape[0] - y)
        w = min(black.shape[1], canvas.shape[1] - x)
        if h > 0 and w > 0:
            canvas[y : y + h, x : x + w] = black[:h, :w]

    # --- ZPL ---------------------------------------------------------------------------------------

    def _zpl_hqes(self) -> bytes:
        """The ~HQES reply: error flags media out 0x1, ribbon out 0x2, head open 0x4, cutter fault 0x8, printhead
        over temperature 0x10 (ZPL programming guide)."""
        f = self.faults
        flags = (0x1 if self.paper_out else 0) | (0x2 if f.ribbon_out else 0)
        flags |= 0x4 if (f.cover_open or f.head_open) else 0
        flags |= (0x8 if (f.cutter_fault or f.paper_jam) else 0) | (0x10 if f.temperature else 0)
        return (
            b"\x02\r\n  PRINTER STATUS\r\n"
            + f"   ERRORS:         {1 if flags else 0} 00000000 {flags:08X}\r\n".encode()
            + b"   WARNINGS:       0 00000000 00000000\r\n\x03\r\n"
        )

    def _zpl_hs(self) -> bytes | None:
        """The three ~HS strings: paper out (1.2), pause (1.3), over temperature (1.12), head up (2.3), ribbon out
        (2.4). Silent when media is out or the head is open, as measured, unless ``hs_on_fault``."""
        f = self.faults
        head_up = f.cover_open or f.head_open
        if (self.paper_out or head_up) and not f.hs_on_fault:
            return None
        out, paused, hot = int(self.paper_out), int(f.offline), int(f.temperature)
        return (
            f"\x02030,{out},{paused},{self._label_length():04d},000,0,0,0,000,0,0,{hot}\x03\r\n".encode()
            + f"\x02001,0,{int(head_up)},{int(f.ribbon_out)},1,2,4,0,00000000,1,000\x03\r\n".encode()
            + b"\x021234,0\x03\r\n"
        )

    def _label_length(self) -> int:
        """~HS string 1 field 4: the label length in dots, as calibration measured it, else as the last job set."""
        return self.measured_dots if self.measured_dots is not None else (self._size[1] or 240)

    def _parse_zpl(self) -> int:
        b = self._buf
        if b[0] not in (ord("^"), ord("~")):
            return 1  # whitespace and stray bytes between commands
        if len(b) < 3:
            return 0
        cmd = bytes(b[1:3]).upper().decode("latin-1")
        if b[0] == ord("~") and cmd == "HQ":
            if len(b) < 5:
                return 0
            if bytes(b[3:5]).upper() == b"ES" and not self.faults.no_hqes:
                self._reply(self._zpl_hqes())
            return 5
        if b[0] == ord("~") and cmd == "HS":
            hs = self._zpl_hs()
            self.queries += 1
            if hs is not None and not self.faults.silent:
                self._replies += hs
            return 3
        if cmd == "GF":
            return self._zpl_graphic()
        if b[0] == ord("~") and cmd == "JC":  # calibrate: no parameters, acted on at once
            self._calibrate("auto")
            return 3
        if cmd in ("XA", "XZ", "FS"):  # no parameters: act at once, even at the end of the stream
            self._zpl_command(cmd, "")
            return 3
        end = len(b)
        for i in range(1, len(b)):
            if b[i] in (ord("^"), ord("~")):
                end = i
                break
        else:
            return 0  # the command's parameters may not be complete yet
        args = bytes(b[3:end]).decode("latin-1").strip()
        self._zpl_command(cmd, args)
        return end

    def _zpl_command(self, cmd: str, args: str) -> None:
        try:
            if cmd == "XA":
                self._pending = _Pending()
                self._origin = (0, 0)
                self._copies = 1
            elif cmd == "PW":
                self._size = (int(args), self._size[1])
            elif cmd == "LL":
                self._size = (self._size[0], int(args.split(",")[0]))
            elif cmd == "FO":
                x, y = (int(v or 0) for v in args.split(",")[:2])
                self._origin = (x, y)
            elif cmd == "PQ":
                self._copies = int(args.split(",")[0] or 1)
            elif cmd == "XZ":
                if self._pending.canvas is None:
                    self._pending.canvas = np.zeros((self._size[1], self._size[0]), dtype=bool)
                canvas = self._pending.canvas
                if self._size[0] and self._size[1]:
                    canvas = canvas[: self._size[1], : self._size[0]]  # the label is ^PW wide, ^LL long
                self._finish(canvas, self._copies)
                self._pending = _Pending()
            elif cmd == "MN":
                kind, _, offset = args.partition(",")
                sensor = {"N": "continuous", "V": "continuous", "Y": "gap", "W": "gap", "M": "mark"}[kind[:1].upper()]
                self.job["sensor"] = sensor
                self.job["offset"] = int(offset or 0)
            elif cmd == "MT":
                self.job["method"] = {"D": "direct", "T": "transfer"}[args[:1].upper()]
            elif cmd == "PR":
                self.job["speed"] = int(args.split(",")[0])
            elif cmd in ("SD", "MD"):
                self.job["density" if cmd == "SD" else "density_change"] = int(args)
            elif cmd not in ("CI", "LH", "FS", "LS", "PO", "JU"):
                self._note(f"^{cmd}{args}"[:32].encode(), "not understood")
        except (ValueError, KeyError):
            self._note(f"^{cmd}{args}"[:32].encode(), "not understood")

    def _zpl_graphic(self) -> int:
        """^GFa,b,c,d,data: ``c`` bytes of picture, ``d`` a row; A data in any form Zebra documents, B raw bytes."""
        b = self._buf
        header = re.match(rb"\^GF([ABC]),(\d+),(\d+),(\d+),", bytes(b[:40]))
        if header is None:
            return 0 if len(b) < 40 else self._zpl_skip()
        kind, sent, total, row_bytes = header.group(1), int(header.group(2)), int(header.group(3)), int(header.group(4))
        start = header.end()
        if kind == b"B":
            end = start + sent
            if len(b) < end:
                return 0
            data = bytes(b[start:end]).ljust(total, b"\x00")[:total]
        else:
            stop = -1
            for i in range(start, len(b)):
                if b[i] in (ord("^"), ord("~")):
                    stop = i
                    break
            if stop < 0:
                return 0
            end = stop
            if kind == b"C":
                self._note(bytes(b[: min(stop, 24)]), "^GFC compressed binary not understood")
                return end
            data = decode_field(bytes(b[start:stop]).decode("latin-1"), row_bytes, total)
        if row_bytes <= 0:
            raise ValueError("^GF with no bytes per row")
        rows = len(data) // row_bytes
        bits = np.unpackbits(
            np.frombuffer(data[: rows * row_bytes], dtype=np.uint8).reshape(rows, row_bytes), axis=1
        ).astype(bool)
        x, y = self._origin
        if self._pending.canvas is None:
            self._pending.canvas = np.zeros(
                (max(self._size[1], y + rows), max(self._size[0], x + bits.shape[1])), dtype=bool
            )
        self._paste(bits, x, y)
        return end

    def _zpl_skip(self) -> int:
        for i in range(1, len(self._buf)):
            if self._buf[i] in (ord("^"), ord("~")):
                return i
        return len(self._buf)
