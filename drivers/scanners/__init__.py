"""Barcode scanners, chosen by URI (``drivers.registry``); each backend's dependency is imported only when it opens::

    serial:///dev/ttyACM0?baudrate=9600&suffix=CR    USB-CDC or RS-232 scanner (pyserial; any pyserial URL works)
    evdev:///dev/input/by-id/…-event-kbd?layout=us   a HID keyboard scanner grabbed exclusively (python-evdev)

``open_scanner(uri)`` returns a ``Scanner`` that is not yet open. ``Scanner`` holds the shared logic (cutting the byte
stream into scans, AIM identifiers, reconnecting); a backend implements three hooks (``_connect``, ``_receive``,
``_disconnect``). A scanner is used from one thread: ``read(timeout_s)`` never waits longer than ``timeout_s``.

Serial options (query string):
    baudrate, bytesize, parity, stopbits, rtscts, xonxoff, dsrdtr   passed to pyserial (RS-232 default 9600 8N1)
    suffix=none|CR|LF|CRLF|TAB   what ends each scan. Without it, CR, LF or CRLF each end a scan (a CR is held
                                 for up to 20 ms to see whether an LF follows, so ``raw`` gets both).
                                 ``none``: a scan ends after 50 ms without a byte. Only silence *seen while
                                 reading* counts: keep calling ``read()`` in a loop, or scans that piled up while
                                 nobody read are taken as one.
    framing=stx                  each scan is STX … ETX (0x02 … 0x03); bytes outside a frame are ignored. An STX
                                 inside a frame is data (scanners do not escape it). Not combined with ``suffix``.
    aim=1                        each scan starts with an AIM identifier (``]Q1``); it is stripped and named in
                                 ``Scan.symbology``. A scan that does not start with ``]`` keeps its text and
                                 gets ``symbology=None``.

evdev options: ``layout=us`` (default) or ``layout=de`` (a scanner set to a German QWERTZ keyboard). Enter ends a
scan; key repeats (a held key) are ignored; Caps Lock, Shift, AltGr (de) and Ctrl+key control characters (Ctrl+]
is GS, as GS1 scanners send FNC1) are understood; keys typed with the left Alt held (Alt+keypad codes) are dropped.
Some scanners expose two event nodes: use the one that sends key events (``…-event-kbd``).

Both: empty scans are dropped. A scan's data is limited to ``MAX_SCAN_BYTES`` (4096) bytes: bytes beyond that are
thrown away up to the scan's end, and the scan is returned with the first 4096 bytes (``raw`` is cut the same way
and keeps its framing; a character cut in half shows as U+FFFD). Text is UTF-8; bytes that are not valid UTF-8 become
U+FFFD, and ``raw`` keeps them as sent.

Unplug and replug: when the link fails (a read raises), ``connected`` turns False, the half scan is thrown away
and each later ``read()`` tries to open the same path again, at most once per 0.5 s, returning None until it is
back. Scanned data that was complete before the failure is still returned.

Errors: every failure is a ``DeviceFault`` whose ``code`` names the kind of failure (``dev.scanner.*``, listed in
``drivers.errors.ENGLISH``) and whose ``params`` name the device. ``Scanner.last_fault`` is why the link last dropped.
"""

from __future__ import annotations

import collections
import select
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

from drivers.errors import DeviceFault
from drivers.registry import open_device
from drivers.scanners.keys import (  # noqa: F401 - part of this package's interface
    LAYOUTS,
    KeyDecoder,
    KeyLayout,
    key_text,
    keys_to_text,
    split_wedge,
)
from drivers.serial_options import SERIAL_OPTIONS, serial_option

MAX_SCAN_BYTES = 4096
SILENCE_S = 0.05  # suffix=none: this long without a byte ends a scan
CR_GRACE_S = 0.02  # default suffix: how long a CR waits for a following LF
REOPEN_INTERVAL_S = 0.5
_NO_FD_TICK_S = 0.05  # longest single wait on a pyserial URL port that has no file descriptor

EXAMPLES = "serial:///dev/ttyACM0?baudrate=9600&suffix=CR, evdev:///dev/input/by-id/usb-…-event-kbd?layout=us"

STX, ETX = 0x02, 0x03

# AIM symbology identifiers (ISO/IEC 15424): "]" + code character + modifier. Unknown ones are reported as they are.
AIM_SYMBOLOGIES: dict[str, str] = {
    **{f"]Q{m}": "QR" for m in "0123456"},
    **{f"]C{m}": "Code128" for m in "0124"},
    "]E0": "EAN-13",
    "]E4": "EAN-8",
    **{f"]d{m}": "DataMatrix" for m in "0123456"},
    **{f"]A{m}": "Code39" for m in "01234567"},
    "]I0": "ITF",
    "]I1": "ITF",
    **{f"]L{m}": "PDF417" for m in "012"},
}

_SUFFIXES: dict[str, bytes] = {"none": b"", "cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t"}


def _fail(code: str, /, **params: object) -> DeviceFault:
    return DeviceFault("dev.scanner." + code, **params)


@dataclass(frozen=True)
class Scan:
    """One decoded barcode as the scanner delivered it."""

    text: str  # the data, framing, suffix and AIM identifier removed; invalid UTF-8 bytes become U+FFFD
    raw: bytes  # what the scanner sent for this scan, framing included (cut like the text past MAX_SCAN_BYTES)
    symbology: str | None  # from the AIM identifier ("QR", "Code128", … or the identifier itself), else None
    at: float  # time.monotonic() when the scan's last byte was read


# --- cutting a byte stream into scans -----------------------------------------------------------------


class Framer:
    """Cuts a byte stream into scans by suffix, silence or STX/ETX framing; pure, so it is testable without a port.

    ``suffix`` is one of ``_SUFFIXES``'s keys or None for "CR, LF or CRLF".
    """

    def __init__(self, suffix: str | None = None, stx: bool = False, aim: bool = False) -> None:
        if suffix is not None and suffix not in _SUFFIXES:
            raise ValueError(f"unknown suffix {suffix!r}")
        self.suffix = suffix
        self.stx = stx
        self.aim = aim
        self._limit = MAX_SCAN_BYTES + (3 if aim else 0)  # the AIM identifier is not counted as data
        self._done: collections.deque[Scan] = collections.deque()
        self.reset()

    def reset(self) -> None:
        """Forget the half scan (the link dropped); completed scans stay."""
        self._head = b""  # framing before the data (STX)
        self._body = bytearray()  # the data kept so far
        self._cut = False  # bytes past the limit were thrown away
        self._held = False  # a CR that may be (part of) the terminator
        self._held_at = 0.0
        self._in_frame = False
        self._last_at = 0.0

    def clear(self) -> None:
        """Forget the half scan and the completed scans not yet taken."""
        self.reset()
        self._done.clear()

    def feed(self, data: bytes, now: float) -> None:
        """Take bytes read at ``now``."""
        for byte in data:
            self._byte(byte, now)

    def pop(self) -> Scan | None:
        """The oldest completed scan, or None."""
        return self._done.popleft() if self._done else None

    @property
    def pending(self) -> bool:
        """True while part of a scan is buffered."""
        return bool(self._body or self._cut or self._held or self._in_frame)

    def quiet_in(self, now: float) -> float | None:
        """Seconds until silence would complete the pending scan, or None if silence cannot complete it."""
        if self.suffix == "none" and (self._body or self._cut):
            return max(0.0, self._last_at + SILENCE_S - now)
        if self.suffix is None and self._held:
            return max(0.0, self._held_at + CR_GRACE_S - now)
        return None

    def tick(self, now: float, final: bool = False) -> None:
        """Complete a scan that silence ends; ``final`` (the read's deadline) completes a scan whose CR is held."""
        quiet = self.quiet_in(now)
        if quiet is None:
            return
        if self.suffix == "none":
            if quiet <= 0:
                self._emit(b"", self._last_at)
        elif quiet <= 0 or final:
            self._emit(b"\r", self._held_at)

    def _data(self, byte: int, now: float) -> None:
        if len(self._body) < self._limit:
            self._body.append(byte)
        else:
            self._cut = True
        self._last_at = now

    def _byte(self, byte: int, now: float) -> None:
        if self.stx:
            if not self._in_frame:
                if byte == STX:
                    self._in_frame, self._head = True, b"\x02"
            elif byte == ETX:
                self._emit(b"\x03", now)
            else:
                self._data(byte, now)
            return
        suffix = self.suffix
        if suffix == "none":
            self._data(byte, now)
        elif suffix in ("cr", "lf", "tab"):
            if byte == _SUFFIXES[suffix][0]:
                self._emit(_SUFFIXES[suffix], now)
            else:
                self._data(byte, now)
        elif suffix == "crlf":
            if self._held:
                self._held = False
                if byte == 0x0A:
                    self._emit(b"\r\n", now)
                    return
                self._data(0x0D, now)  # a lone CR is data
            if byte == 0x0D:
                self._held, self._held_at = True, now
            else:
                self._data(byte, now)
        else:  # CR, LF or CRLF
            if self._held:
                if byte == 0x0A:
                    self._emit(b"\r\n", now)
                    return
                self._emit(b"\r", self._held_at)
            if byte == 0x0D:
                self._held, self._held_at = True, now
            elif byte == 0x0A:
                self._emit(b"\n", now)
            else:
                self._data(byte, now)

    def _emit(self, terminator: bytes, at: float) -> None:
        body = bytes(self._body)
        raw = self._head + body + terminator
        self.reset()
        if not body:
            return
        symbology = None
        if self.aim and len(body) >= 3 and body[:1] == b"]":
            aim_id = body[:3].decode("ascii", errors="replace")
            symbology = AIM_SYMBOLOGIES.get(aim_id, aim_id)
            body = body[3:]
        text = body[:MAX_SCAN_BYTES].decode("utf-8", errors="replace")
        self._done.append(Scan(text=text, raw=raw, symbology=symbology, at=at))


# --- the base class ----------------------------------------------------------------------------------


class LinkLost(Exception):
    """Raised by a backend's ``_receive`` when the device went away: with the system's reason, or none when the
    port was closed."""


class Scanner:
    """A barcode scanner: ``read()`` returns one scan at a time; reconnects by itself after an unplug."""

    def __init__(self, uri: str, framer: Framer) -> None:
        self.uri = uri
        self._framer = framer
        self._open = False
        self._link_up = False
        self._next_reopen = 0.0
        self.last_fault: DeviceFault | None = None  # why the link last dropped or a reopen failed

    # --- what users call -----------------------------------------------------------------------------

    def open(self, timeout_s: float = 2.0) -> None:
        """Connect to the scanner; DeviceFault if it cannot be opened."""
        if self._open:
            return
        self._connect(timeout_s)
        self._framer.reset()
        self._open = self._link_up = True
        self.last_fault = None

    def close(self) -> None:
        """Disconnect; safe to call twice. Scans not yet read are dropped."""
        self._open = False
        if self._link_up:
            self._link_up = False
            self._disconnect()
        self._framer.clear()

    def __enter__(self) -> Scanner:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def last_error(self) -> str | None:
        """Why the link last dropped or a reopen failed, in English; None while all is well."""
        return None if self.last_fault is None else str(self.last_fault)

    @property
    def connected(self) -> bool:
        """True while open and the device is there."""
        return self._open and self._link_up

    def read(self, timeout_s: float = 1.0) -> Scan | None:
        """The next scan, waiting at most ``timeout_s``; None on timeout or while the device is unplugged.

        A half scan stays buffered for the next call.
        """
        if not self._open:
            raise _fail("not_open", uri=self.uri)
        framer = self._framer
        deadline = time.monotonic() + max(0.0, timeout_s)
        while True:
            scan = framer.pop()
            if scan is not None:
                return scan
            now = time.monotonic()
            if not self._link_up:
                if now >= self._next_reopen:
                    self._reopen(now)
                    continue
                if now >= deadline:
                    return None
                time.sleep(min(deadline, self._next_reopen) - now)
                continue
            quiet = framer.quiet_in(now)
            wait = deadline - now if quiet is None else min(deadline - now, quiet)
            try:
                data = self._receive(max(0.0, wait))
            except LinkLost as err:
                self._lost(err)
                continue
            now = time.monotonic()
            if data:
                framer.feed(data, now)
            framer.tick(now, final=now >= deadline)
            if now >= deadline:
                return framer.pop()

    # --- reconnecting --------------------------------------------------------------------------------

    def _lost(self, err: LinkLost) -> None:
        self._link_up = False
        fault = _fail("lost", uri=self.uri, reason=str(err)) if err.args else _fail("closed", uri=self.uri)
        fault.__cause__ = err.__cause__  # the system's error, for its reason in the clerk's language
        self.last_fault = fault
        self._framer.reset()
        self._next_reopen = time.monotonic()  # try once at once, then every REOPEN_INTERVAL_S
        self._disconnect()

    def _reopen(self, now: float) -> None:
        self._next_reopen = now + REOPEN_INTERVAL_S
        try:
            self._connect(REOPEN_INTERVAL_S)
        except DeviceFault as err:
            self.last_fault = err
            return
        self._link_up = True
        self.last_fault = None

    # --- the hooks a backend implements --------------------------------------------------------------

    def _connect(self, timeout_s: float) -> None:
        """Open the device; DeviceFault if it cannot be opened."""
        raise NotImplementedError

    def _receive(self, timeout_s: float) -> bytes:
        """Bytes the device sent, waiting at most ``timeout_s`` for the first; b"" on timeout; LinkLost if gone."""
        raise NotImplementedError

    def _disconnect(self) -> None:
        """Release the device; must not raise."""
        raise NotImplementedError


# --- serial ------------------------------------------------------------------------------------------


class SerialScanner(Scanner):
    """A scanner on a serial port (USB-CDC ``/dev/ttyACM*``, RS-232) or any pyserial URL, opened exclusively."""

    def __init__(self, uri: str, target: str, options: dict[str, Any], framer: Framer) -> None:
        super().__init__(uri, framer)
        self.target, self.options = target, options
        self._port: Any = None
        self._fd: int | None = None

    def _connect(self, timeout_s: float) -> None:
        try:
            import serial
        except ImportError as err:
            raise _fail("missing_lib", uri=self.uri, package="pyserial") from err
        options = dict(self.options)
        if self.target.startswith("/"):
            options["exclusive"] = True  # a second reader would steal half of each scan
        try:
            port = serial.serial_for_url(self.target, timeout=0, **options)
        except (serial.SerialException, ValueError, OSError) as err:
            raise _fail("open_failed", uri=self.uri, target=self.target, reason=str(err)) from err
        try:
            fd: int | None = port.fileno()
        except (AttributeError, OSError, ValueError):  # a pyserial URL (rfc2217://, socket://) has none
            fd = None
            port.timeout = _NO_FD_TICK_S
        self._port, self._fd = port, fd

    def _receive(self, timeout_s: float) -> bytes:
        import serial

        port = self._port
        if port is None:
            raise LinkLost
        try:
            if self._fd is None:
                return bytes(port.read(port.in_waiting or 1))
            if timeout_s > 0 and not select.select([self._fd], [], [], timeout_s)[0]:
                return b""
            waiting = port.in_waiting
            if not waiting and timeout_s <= 0:
                return b""
            # readable with nothing waiting is how a vanished device looks: read(1) then raises
            return bytes(port.read(waiting or 1))
        except (serial.SerialException, OSError, ValueError) as err:
            raise LinkLost(str(err)) from err

    def _disconnect(self) -> None:
        port, self._port, self._fd = self._port, None, None
        if port is not None:
            try:
                port.close()
            except OSError:  # pyserial's SerialException is one too; a vanished port is gone anyway
                pass


# --- evdev (HID keyboard scanners) ---------------------------------------------------------------------


class EvdevScanner(Scanner):
    """A HID keyboard scanner read through evdev and grabbed, so its keys do not reach any window."""

    def __init__(self, uri: str, path: str, layout: str) -> None:
        super().__init__(uri, Framer(suffix="lf"))
        self.path = path
        self.decoder = KeyDecoder(layout)
        self._dev: Any = None

    def _connect(self, timeout_s: float) -> None:
        try:
            import evdev
        except ImportError as err:
            raise _fail("missing_lib", uri=self.uri, package="evdev") from err
        try:
            dev = evdev.InputDevice(self.path)
        except PermissionError as err:
            raise _fail("no_permission", uri=self.uri, path=self.path) from err
        except OSError as err:
            raise _fail("open_failed", uri=self.uri, target=self.path, reason=err.strerror or str(err)) from err
        try:
            dev.grab()
        except OSError as err:
            dev.close()
            raise _fail("grab_failed", uri=self.uri, path=self.path, reason=err.strerror or str(err)) from err
        self.decoder.reset()
        self._dev = dev

    def _receive(self, timeout_s: float) -> bytes:
        dev = self._dev
        if dev is None:
            raise LinkLost
        try:
            if not select.select([dev.fd], [], [], max(0.0, timeout_s))[0]:
                return b""
            events = list(dev.read())
        except BlockingIOError:
            return b""
        except (OSError, ValueError) as err:
            raise LinkLost(str(err)) from err
        text = "".join(self.decoder.feed(ev.code, ev.value) for ev in events if ev.type == 1)  # EV_KEY
        return text.encode("utf-8")

    def _disconnect(self) -> None:
        dev, self._dev = self._dev, None
        if dev is None:
            return
        for release in (dev.ungrab, dev.close):
            try:
                release()
            except OSError:
                pass  # unplugged: the grab went with the device


# --- openers (drivers.registry) ----------------------------------------------------------------------


def _split(uri: str, scheme: str) -> tuple[str, dict[str, str]]:
    rest = uri[len(scheme) + 3 :]
    target, _, query = rest.partition("?")
    if not target:
        raise _fail("no_path", uri=uri, examples=EXAMPLES)
    return target, {key.lower(): values[-1] for key, values in parse_qs(query, keep_blank_values=True).items()}


def serial_scanner(uri: str) -> Scanner:
    """A serial scanner (a tty path or any pyserial URL) with the framing the query string asks for."""
    target, query = _split(uri, "serial")
    options: dict[str, Any] = {}
    suffix: str | None = None
    stx = aim = False
    for key, value in query.items():
        if key in SERIAL_OPTIONS:
            try:
                options[key] = serial_option(key, value)
            except ValueError as err:
                raise _fail("not_number", uri=uri, key=key, value=value) from err
        elif key == "suffix":
            suffix = value.lower()
            if suffix not in _SUFFIXES:
                raise _fail("bad_suffix", uri=uri, value=value)
        elif key == "framing":
            if value.lower() != "stx":
                raise _fail("bad_framing", uri=uri, value=value)
            stx = True
        elif key == "aim":
            aim = value.lower() in ("1", "true", "yes")
        else:
            raise _fail("unknown_option", uri=uri, key=key, examples=EXAMPLES)
    if stx and suffix is not None:
        raise _fail("stx_suffix", uri=uri)
    return SerialScanner(uri, target, options, Framer(suffix=suffix, stx=stx, aim=aim))


def evdev_scanner(uri: str) -> Scanner:
    """A HID keyboard scanner read through its evdev node, with the keyboard layout the query string asks for."""
    path, query = _split(uri, "evdev")
    if not path.startswith("/"):
        raise _fail("bad_evdev_path", uri=uri)
    layout = "us"
    for key, value in query.items():
        if key != "layout":
            raise _fail("unknown_option", uri=uri, key=key, examples=EXAMPLES)
        layout = value.lower()
        if layout not in LAYOUTS:
            raise _fail("bad_layout", uri=uri, layouts=", ".join(LAYOUTS), value=value)
    return EvdevScanner(uri, path, layout)


def unknown_address(uri: str, prefixes: list[str]) -> DeviceFault:
    """The refusal of a scanner URI no backend takes."""
    return _fail("unknown", uri=uri, examples=EXAMPLES)


def open_scanner(uri: str) -> Scanner:
    """The scanner for ``uri``, not yet opened."""
    scanner: Scanner = open_device("scanner", uri)
    return scanner


__all__ = [
    "AIM_SYMBOLOGIES",
    "LAYOUTS",
    "MAX_SCAN_BYTES",
    "EvdevScanner",
    "Framer",
    "KeyDecoder",
    "LinkLost",
    "Scan",
    "Scanner",
    "SerialScanner",
    "evdev_scanner",
    "key_text",
    "keys_to_text",
    "open_scanner",
    "serial_scanner",
    "split_wedge",
]
