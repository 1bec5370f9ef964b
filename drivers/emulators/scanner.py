"""A virtual barcode scanner on a pseudo-terminal: the station opens it with pyserial, as it would /dev/ttyACM0.

``scan(data)`` queues one scan; a background thread "types" it onto the pty a byte at a time, ``char_delay_s``
apart, with the configured AIM prefix and suffix (or STX … ETX framing). Any bytes go through unchanged: control
characters, invalid UTF-8, megabytes. ``send(data)`` writes bytes with no framing at all (half scans, line noise).
``unplug()`` closes the pty as pulling the cable does; ``replug()`` makes a new one behind the same ``link``.

The thread wakes at least every 50 ms to check for ``stop()``. Bytes the host writes to the scanner are ignored.
"""

from __future__ import annotations

import collections
import os
import select
import threading
import time
from pathlib import Path

from drivers.emulators.pty_device import plug_in, unplug

_TICK = 0.05
_SUFFIXES = {"none": b"", "cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t"}


class VirtualScanner:
    """A serial barcode scanner on a pty, with the suffix, STX/ETX framing and AIM prefix a real one is set to.

    ``suffix`` is one of CR, LF, CRLF, TAB or none (None is none); ``framing="stx"`` wraps each scan in STX … ETX
    and sends no suffix; ``aim_prefix`` (e.g. ``"]Q1"``) starts every scan. ``link`` gives the device a stable
    name (as a udev symlink does), so it can be unplugged and plugged back.
    """

    def __init__(
        self,
        suffix: str | None = "CR",
        framing: str | None = None,
        aim_prefix: str | None = None,
        char_delay_s: float = 0.002,
        link: Path | None = None,
    ) -> None:
        key = (suffix or "none").lower()
        if key not in _SUFFIXES:
            raise ValueError(f"suffix must be one of CR, LF, CRLF, TAB, none (not {suffix!r})")
        if framing not in (None, "stx"):
            raise ValueError(f"framing must be None or 'stx' (not {framing!r})")
        self.suffix = key
        self.framing = framing
        self.aim_prefix = aim_prefix
        self.char_delay_s = char_delay_s
        self.link = link
        self.device = ""
        self.written = 0  # bytes put on the pty
        self.dropped = 0  # bytes scanned while unplugged, or cut off by an unplug
        self._master = self._slave = -1
        self._queue: collections.deque[tuple[bytes, float]] = collections.deque()
        self._busy = False
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- where the host finds it ---------------------------------------------------------------------

    @property
    def path(self) -> str:
        """The path a host opens (the link when there is one)."""
        return str(self.link) if self.link is not None else self.device

    @property
    def uri(self) -> str:
        """The station URI of this scanner, with query options matching its settings."""
        options = ["baudrate=9600"]
        if self.framing == "stx":
            options.append("framing=stx")
        else:
            options.append(f"suffix={self.suffix.upper() if self.suffix != 'none' else 'none'}")
        if self.aim_prefix:
            options.append("aim=1")
        return f"serial://{self.path}?{'&'.join(options)}"

    @property
    def plugged(self) -> bool:
        """True while the pty exists."""
        return self._master >= 0

    # --- power and cable -----------------------------------------------------------------------------

    def start(self) -> VirtualScanner:
        """Plug in: create the pty (raw mode, so bytes pass unchanged) and the typing thread."""
        if self.plugged:
            return self
        self._master, self._slave, self.device = plug_in(self.link)
        os.set_blocking(self._master, False)
        self._stop.clear()
        self._thread = threading.Thread(target=self._type, name=f"virtual-scanner {self.device}", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Unplug and forget queued scans; safe to call twice."""
        self._stop.set()
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout=2)
        with self._cond:
            self.dropped += sum(len(data) for data, _ in self._queue)
            self._queue.clear()
            self._busy = False
            self._cond.notify_all()
        unplug(self._master, self._slave, self.link)
        self._master = self._slave = -1

    def unplug(self) -> None:
        """Pull the cable: the pty goes away (the host's next read fails) and so does the link."""
        self.stop()

    def replug(self) -> None:
        """Plug back in: a new pty behind the same link."""
        self.start()

    def __enter__(self) -> VirtualScanner:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- scanning ------------------------------------------------------------------------------------

    def frame(self, data: str | bytes, aim: str | None = None) -> bytes:
        """The bytes one scan of ``data`` puts on the wire: AIM prefix (``aim`` overrides the configured one),
        data, and suffix or STX/ETX framing."""
        body = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        prefix = aim if aim is not None else self.aim_prefix
        if prefix:
            body = prefix.encode("ascii") + body
        if self.framing == "stx":
            return b"\x02" + body + b"\x03"
        return body + _SUFFIXES[self.suffix]

    def scan(self, data: str | bytes, *, aim: str | None = None, char_delay_s: float | None = None) -> None:
        """Queue one scan (text as UTF-8, or any bytes) and return at once; it is typed in the background."""
        self.send(self.frame(data, aim), char_delay_s=char_delay_s)

    def send(self, data: bytes, *, char_delay_s: float | None = None) -> None:
        """Queue bytes exactly as given, no framing; dropped (and counted in ``dropped``) while unplugged."""
        delay = self.char_delay_s if char_delay_s is None else char_delay_s
        with self._cond:
            if not self.plugged:
                self.dropped += len(data)
                return
            self._queue.append((bytes(data), delay))
            self._cond.notify_all()

    def wait_idle(self, timeout_s: float = 5.0) -> bool:
        """Wait until everything queued is on the pty; False if that took longer than ``timeout_s``."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._queue and not self._busy, timeout=timeout_s)

    # --- the typing thread ---------------------------------------------------------------------------

    def _type(self) -> None:
        master = self._master
        while not self._stop.is_set():
            with self._cond:
                if not self._queue:
                    self._cond.wait(_TICK)
                    continue
                data, delay = self._queue.popleft()
                self._busy = True
            try:
                done = self._write_paced(master, data, delay)
            finally:
                with self._cond:
                    self._busy = False
                    self._cond.notify_all()
            if done < len(data):
                with self._cond:
                    self.dropped += len(data) - done
                if not self._stop.is_set():
                    return  # the pty failed under us

    def _write_paced(self, master: int, data: bytes, delay: float) -> int:
        """Write ``data`` a byte every ``delay`` seconds (all at once when 0); the number of bytes written."""
        if delay <= 0:
            return self._write(master, data)
        started = time.monotonic()
        for i in range(len(data)):
            if self._write(master, data[i : i + 1]) < 1:
                return i
            pause = started + (i + 1) * delay - time.monotonic()
            if pause > 0 and self._stop.wait(pause):
                return i + 1
        return len(data)

    def _write(self, master: int, data: bytes) -> int:
        view = memoryview(data)
        done = 0
        while done < len(data) and not self._stop.is_set():
            try:
                n = os.write(master, view[done:])
            except BlockingIOError:  # the host is not reading and the pty buffer is full
                try:
                    select.select([], [master], [], _TICK)
                except (OSError, ValueError):
                    break
                continue
            except OSError:
                break
            done += n
            self.written += n
        return done


__all__ = ["VirtualScanner"]
