"""A label printer: one language's encoder plus one transport, with status queries and reconnection.

Errors: a printer that cannot be used is a ``DeviceFault``, a job that did not complete a ``PrintFault``.
"""

from __future__ import annotations

import time

from PIL import Image

from drivers.errors import DeviceFault, DriverError, PrintFault
from drivers.printers.encoders import ENCODERS, LANGUAGES, JobOptions
from drivers.printers.status import (
    ESCPOS_QUERIES,
    TSPL_QUERY,
    ZPL_HQES,
    ZPL_HS,
    Detail,
    PrinterStatus,
    parse_escpos,
    parse_tspl,
    parse_zpl,
    unknown,
)
from drivers.printers.transports import Transport, TransportClosed, open_transport


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
    ) -> None:
        if lang not in ENCODERS:
            raise DeviceFault("dev.bad_lang", lang=lang, allowed=", ".join(LANGUAGES))
        self.uri = uri
        self.lang = lang
        self.options = options or JobOptions()
        self.timeout_s = timeout_s
        self.status_timeout_s = status_timeout_s
        self.transport = transport or open_transport(uri)
        self.last_status: PrinterStatus | None = None

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
        options = JobOptions(
            dpi=self.options.dpi,
            gap_mm=self.options.gap_mm,
            copies=copies,
            density=self.options.density,
            cut=self.options.cut,
        )
        return ENCODERS[self.lang](image, options)

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
                replies = []
                for query in ESCPOS_QUERIES.values():
                    reply = self._ask(query, lambda got: len(got) >= 1)
                    replies.append(reply[:1] if len(reply) == 1 else reply)
                    if not reply:
                        break
                replies += [b""] * (3 - len(replies))
                return parse_escpos(*replies)
            if self.lang == "tspl":
                return parse_tspl(self._ask(TSPL_QUERY, lambda got: len(got) >= 1))
            hqes = self._ask(ZPL_HQES, lambda got: b"\x03" in got)
            hs = self._ask(ZPL_HS, lambda got: got.count(b"\x03") >= 3) if hqes else b""
            return parse_zpl(hqes, hs)
        except (TransportClosed, TimeoutError) as err:
            self.transport.close()
            return unknown(Detail.CONNECTION_LOST, reason=str(err))

    def _ask(self, query: bytes, complete: object) -> bytes:
        self.transport.write(query, self.timeout_s)
        deadline = time.monotonic() + self.status_timeout_s
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
