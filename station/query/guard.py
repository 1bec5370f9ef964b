"""Limits on what a connection may send, so that no client holds the service with a slow or oversized request.

uvicorn's httptools protocol, with what the open internet needs and it lacks:

- the request line and headers of one request, together at most ``max_header_bytes``: more is answered 431 before
  the parser buffers it (httptools would keep the whole header in memory);
- ``header_timeout_s`` to send them, counted from the connection's first byte or the request's first byte, and
  ``body_timeout_s`` to send the body after them: else 408, and the connection is closed;
- ``keepalive_timeout_s`` between requests (uvicorn's own keep-alive timeout);
- ``max_connections`` open at once: a new connection beyond it closes the connection idle longest (waiting
  between requests, or still sending its request line and headers); when every connection has a request being
  answered, the new one is answered 503.

A refused request never reaches the app, so the rate limits, counters and stored reports never see it. After a
refusal the connection reads and drops what the client still sends for a moment before it closes, so that the
client reads the answer rather than a reset.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from station.texts import tr

LINGER_S = 1.0  # how long a refused connection drains what the client still sends
LINGER_BYTES = 1 << 20  # and how much of it, at most
_END = b"\r\n\r\n"


@dataclass(frozen=True)
class Limits:
    """The ``[query]`` limits on one connection (config/station.toml)."""

    max_header_bytes: int = 16384
    header_timeout_s: float = 10.0
    body_timeout_s: float = 10.0
    keepalive_timeout_s: float = 5.0
    max_connections: int = 1000

    @classmethod
    def of(cls, settings: Any) -> Limits:
        """The limits of a ``QuerySection``."""
        return cls(
            settings.max_header_bytes,
            settings.header_timeout_s,
            settings.body_timeout_s,
            settings.keepalive_timeout_s,
            settings.max_connections,
        )


def _refusal(status: int, phrase: bytes, text_key: str) -> bytes:
    body = f"{tr('zh', text_key)}\n{tr('en', text_key)}\n".encode()
    return (
        b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n"
        b"connection: close\r\ncache-control: no-store\r\n\r\n%s" % (status, phrase, len(body), body)
    )


class GuardedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol held to ``limits`` (set by ``guarded``)."""

    limits = Limits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True  # reading a request line and headers (or waiting for the first byte of one)
        self._in_body = False  # headers read, body not yet complete
        self._heads = 0  # request heads read in full
        self._head_bytes = 0
        self._tail = b""  # the last bytes of the head read so far, to find its end across reads
        self._since = time.monotonic()  # when the connection last became idle (or opened)
        self._timer: asyncio.TimerHandle | None = None
        self._refused = False
        self._drained = 0

    # --- connection ------------------------------------------------------------------------------------------

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm(self.limits.header_timeout_s, 408)
        if len(self.connections) > self.limits.max_connections and not self._evict_idle():
            self._refuse(503)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _evict_idle(self) -> bool:
        """Close the connection idle longest; False when every other one has a request being answered."""
        oldest: GuardedProtocol | None = None
        for other in self.connections:
            if (
                other is not self
                and isinstance(other, GuardedProtocol)
                and not other._busy
                and not other._refused
                and (oldest is None or other._since < oldest._since)
            ):
                oldest = other
        if oldest is None:
            return False
        oldest._disarm()
        oldest.connections.discard(oldest)
        oldest.transport.close()
        return True

    # --- reading ---------------------------------------------------------------------------------------------

    def data_received(self, data: bytes) -> None:
        if self._refused:
            self._drained += len(data)
            if self._drained > LINGER_BYTES:
                self.transport.close()
            return
        if self._in_head and self._head_bytes + len(data) > self.limits.max_header_bytes:  # it may be too long
            end = (self._tail + data).find(_END)
            size = self._head_bytes + (len(data) if end < 0 else end + len(_END) - len(self._tail))
            if size > self.limits.max_header_bytes:
                self._refuse(431)
                return
        heads = self._heads
        super().data_received(data)
        if self._refused or self.transport.is_closing():
            return
        if self._in_head:
            if heads == self._heads:  # still the same request's head (one that ended here is not counted on)
                self._head_bytes += len(data)
                self._tail = (self._tail + data)[-(len(_END) - 1) :]
                if self._timer is None:
                    self._arm(self.limits.header_timeout_s, 408)
        elif self._in_body and self._timer is None:
            self._arm(self.limits.body_timeout_s, 408)

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._in_body = True
        self._heads += 1
        self._head_bytes = 0
        self._tail = b""
        self._disarm()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_body = False
        self._in_head = True
        self._disarm()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        self._since = time.monotonic()
        super().on_response_complete()

    @property
    def _busy(self) -> bool:
        """A request is being answered (its head was read and its response is not complete)."""
        cycle = self.cycle
        return cycle is not None and not cycle.response_complete

    # --- timers and refusals ---------------------------------------------------------------------------------

    def _arm(self, seconds: float, status: int) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._expired, status)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expired(self, status: int) -> None:
        self._timer = None
        if self.transport.is_closing() or not (self._in_head or self._in_body):
            return
        if (self._in_body and self.cycle is not None and self.cycle.response_started) or (self._in_head and self._busy):
            self.transport.close()  # an answer is on its way: a 408 written now would cut into it
            return
        self._refuse(status)

    def _refuse(self, status: int) -> None:
        """Answer ``status`` and close: at once for 503 and 408, after draining a moment for 431."""
        self._refused = True
        self._disarm()
        self.connections.discard(self)
        self.transport.write(_REFUSALS[status])
        if status != 431 or not self.transport.can_write_eof():
            self.transport.close()
            return
        self.transport.write_eof()
        self.loop.call_later(LINGER_S, self.transport.close)


_REFUSALS = {
    408: _refusal(408, b"Request Timeout", "query.too_slow"),
    431: _refusal(431, b"Request Header Fields Too Large", "query.head_too_large"),
    503: _refusal(503, b"Service Unavailable", "query.busy"),
}


def guarded(limits: Limits) -> type[GuardedProtocol]:
    """The protocol class for a server held to ``limits``."""
    return type("GuardedProtocol", (GuardedProtocol,), {"limits": limits})
