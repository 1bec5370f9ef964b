"""A label printer: one language's encoder plus one transport, with status queries and reconnection.

Errors: a printer that cannot be used is a ``DeviceFault``, a job that did not complete a ``PrintFault``.
"""

from __future__ import annotations

import dataclasses
import re
import time

from PIL import Image

from drivers.errors import DeviceFault, DriverError, PrintFault
from drivers.printers.encoders import ENCODERS, LANGUAGES, JobOptions
from drivers.printers.models import PrinterModel, check_media
from drivers.printers.status import (
    ESCPOS_ERROR_QUERY,
    ESCPOS_QUERIES,
    TSPL_QUERY,
    ZPL_HQES,
    ZPL_HS,
    Detail,
    PrinterStatus,
    parse_escpos,
    parse_hs,
    parse_tspl,
    parse_zpl,
    unknown,
)
from drivers.printers.transports import Transport, TransportClosed, open_transport

# DLE EOT n inside ESC/POS job bytes: a printer acts on it as it arrives (Epson's manuals), so one stray status
# byte may come back for each, ahead of the answer to the next query
_ESCPOS_STATUS_IN_DATA = re.compile(rb"\x10\x04[\x01-\x04]")
# what the label length is read back with after a calibration
TSPL_PAPER_SIZE = b'OUT GETSETTING$("CONFIG","TSPL","PAPER SIZE")\r\n'
TSPL_CALIBRATE = {"gap": b"GAPDETECT\r\n", "mark": b"BLINEDETECT\r\n"}
ZPL_CALIBRATE = b"~JC"
# the stock a job without a media setting is laid on: TSPL's GAP m,n and ZPL's own setting are gap stock; an
# ESC/POS receipt roll is continuous
_DEFAULT_MEDIA = {"tspl": "gap", "zpl": "gap", "escpos": "continuous"}


@dataclasses.dataclass(frozen=True)
class Calibration:
    """What a media calibration measured: the label length (from one label's start to the next's) in dots, or
    None when the printer did not report it."""

    command: str
    length_dots: int | None
    dpi: int

    @property
    def length_mm(self) -> float | None:
        """The measured length in millimetres."""
        return None if self.length_dots is None else round(self.length_dots * 25.4 / self.dpi, 1)


class LabelPrinter:
    """Prints 1-bit label images and reports status; finds the device again after it went away."""

    def __init__(
        self,
        uri: str,
        lang: str,
        options: JobOptions | None = None,
        timeout_s: float = 5.0,
        status_timeout_s: float = 0.5,
        transport: Transport | None = None,
        model: PrinterModel | None = None,
    ) -> None:
        if lang not in ENCODERS:
            raise DeviceFault("dev.bad_lang", lang=lang, allowed=", ".join(LANGUAGES))
        options = options or JobOptions()
        if model is not None and "no_realtime_off" in model.quirks:
            options = dataclasses.replace(options, realtime_off=False)
        darkness = -1 if options.density is None else options.density
        check_media(model, lang, options.speed_mm_s, darkness, options.media or _DEFAULT_MEDIA[lang])
        self.uri = uri
        self.lang = lang
        self.model = model
        self.options = options
        self.timeout_s = timeout_s
        self.status_timeout_s = status_timeout_s
        self.transport = transport or open_transport(uri)
        self.last_status: PrinterStatus | None = None
        self._strays = 0  # ESC/POS status bytes the last job may still bring back
        # the printer did not answer ~HQES but answered ~HS (older firmware), or its model is known not to
        self._zpl_hs_only = model is not None and "zpl_hs_only" in model.quirks

    def __enter__(self) -> LabelPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Disconnect."""
        self.transport.close()

    def connect(self) -> None:
        """Make sure the link is up: a link the printer dropped (power cycle, unplug) is found and opened again.

        Reading first notices a peer that went away; anything it reads is stale and thrown away.
        """
        if self.transport.is_open:
            self.transport.drain()
        if not self.transport.is_open:
            self.transport.open(self.timeout_s)

    def encode(self, image: Image.Image, copies: int = 1) -> bytes:
        """The job bytes for ``image`` in this printer's language."""
        return ENCODERS[self.lang](image, dataclasses.replace(self.options, copies=copies))

    def send(self, job: bytes) -> None:
        """Send a whole job; PrintFault says how much went out if the link dropped."""
        self.connect()
        try:
            self.transport.write(job, self.timeout_s)
        except TransportClosed as err:
            raise PrintFault("print.disconnected", uri=self.uri, sent=err.sent, total=len(job)) from err
        except TimeoutError as err:
            # half a job is on the wire: close, so the next job or query is never read as the rest of its bitmap
            self.transport.close()
            raise PrintFault("print.timeout", uri=self.uri, seconds=self.timeout_s) from err

    def print_image(self, image: Image.Image, copies: int = 1, confirm: bool = True) -> int:
        """Encode and send one label image; returns the number of bytes sent.

        A TCP send succeeds once the bytes are in the local buffer, not when the printer has them. With
        ``confirm``, a status query follows the job: its answer comes only after the printer read the whole job,
        so a link that dropped mid-job raises PrintFault here instead of passing silently. The answer is kept in
        ``last_status``.
        """
        job = self.encode(image, copies)
        self.send(job)
        if self.lang == "escpos":
            self._strays = len(_ESCPOS_STATUS_IN_DATA.findall(job))
        if confirm and self.transport.can_read:
            self.last_status = self.status(reconnect=False)
            if not self.transport.is_open:
                raise PrintFault("print.unconfirmed", uri=self.uri)
        return len(job)

    def status(self, reconnect: bool = True) -> PrinterStatus:
        """The printer's state, asked fresh: stale input is drained first; silence is UNKNOWN."""
        try:
            if reconnect:
                self.connect()
            else:
                self.transport.drain()
        except DriverError as err:
            return unknown(Detail.CANNOT_CONNECT, error=err, reason=str(err))
        if not self.transport.is_open:
            return unknown(Detail.NOT_CONNECTED)
        if not self.transport.can_read:
            return unknown(Detail.NO_BACK_CHANNEL)
        try:
            if self.lang == "escpos":
                return self._escpos_status()
            if self.lang == "tspl":
                return parse_tspl(self._ask(TSPL_QUERY, lambda got: len(got) >= 1))
            return self._zpl_status()
        except (TransportClosed, TimeoutError) as err:
            self.transport.close()
            return unknown(Detail.CONNECTION_LOST, reason=str(err))

    def _escpos_status(self) -> PrinterStatus:
        """DLE EOT 1, 2 and 4, and 3 when 2 reports an error. Stray replies the last job's image data set off come
        before the first answer: up to that many more bytes are waited for, and the last one is the answer."""
        strays, self._strays = self._strays, 0
        replies = []
        for query in ESCPOS_QUERIES.values():
            reply = self._ask(query, lambda got, wanted=strays + 1: len(got) >= wanted)
            if strays:
                reply, strays = reply[-1:], 0
            replies.append(reply)
            if len(reply) != 1:
                break
        replies += [b""] * (3 - len(replies))
        error = b""
        if len(replies[1]) == 1 and replies[1][0] & 0x40:
            error = self._ask(ESCPOS_ERROR_QUERY, lambda got: len(got) >= 1)
        return parse_escpos(replies[0], replies[1], replies[2], error)

    def _zpl_status(self) -> PrinterStatus:
        """~HQES for the errors, then ~HS for the pause flag; firmware that does not answer ~HQES is read from ~HS
        alone from then on."""
        hqes = b"" if self._zpl_hs_only else self._ask(ZPL_HQES, lambda got: b"\x03" in got)
        if hqes:
            first = parse_zpl(hqes, None)
            if first.detail is not Detail.NO_REPLY:
                return first  # errors read (~HS is silent with media out or the head open), or a malformed reply
        hs = self._ask(ZPL_HS, lambda got: got.count(b"\x03") >= 3)
        if not hqes:
            if hs:
                self._zpl_hs_only = True
            return parse_hs(hs)
        return parse_zpl(hqes, hs)

    def calibrate(self, wait_s: float = 10.0) -> Calibration:
        """Run the language's media calibration and read back the label length it measured: TSPL GAPDETECT (or
        BLINEDETECT on black-mark stock) then ``GETSETTING$("CONFIG","TSPL","PAPER SIZE")``; ZPL ~JC then ~HS
        (string 1, field 4: label length in dots). ESC/POS has none, nor has continuous stock: DeviceFault.
        ``wait_s``: how long the printer may feed labels before it answers."""
        media = self.options.media or "gap"
        if self.lang == "escpos":
            raise DeviceFault("dev.calibrate_escpos", uri=self.uri)
        if media == "continuous":
            raise DeviceFault("dev.calibrate_continuous", uri=self.uri)
        if self.model is not None and "no_calibrate" in self.model.quirks:
            raise DeviceFault("dev.calibrate_model", uri=self.uri, model=self.model.name)
        self.connect()
        command = TSPL_CALIBRATE[media] if self.lang == "tspl" else ZPL_CALIBRATE
        try:
            self.transport.drain()
            self.transport.write(command, self.timeout_s)
            if not self.transport.can_read:
                return Calibration(command.decode().strip(), None, self.options.dpi)
            if self.lang == "tspl":
                reply = self._ask(TSPL_PAPER_SIZE, lambda got: b"\n" in got, wait_s)
                found = re.match(rb"\s*(\d+)", reply)
            else:
                reply = self._ask(ZPL_HS, lambda got: got.count(b"\x03") >= 3, wait_s)
                found = re.match(rb"\s*\x02\d+,\d,\d,(\d+),", reply)
        except (TransportClosed, TimeoutError) as err:
            self.transport.close()
            raise PrintFault("print.disconnected", uri=self.uri, sent=0, total=len(command)) from err
        length = int(found.group(1)) if found else None
        return Calibration(command.decode().strip(), length or None, self.options.dpi)

    def _ask(self, query: bytes, complete: object, wait_s: float | None = None) -> bytes:
        if not self.transport.is_open:
            raise TransportClosed(0, "the link dropped while asking for status")
        self.transport.write(query, self.timeout_s)
        deadline = time.monotonic() + (self.status_timeout_s if wait_s is None else wait_s)
        got = b""
        while time.monotonic() < deadline:
            chunk = self.transport.read(256, min(0.05, max(0.0, deadline - time.monotonic())))
            if chunk:
                got += chunk
                if complete(got):  # type: ignore[operator]
                    break
            elif not self.transport.is_open:
                break
        return got
