"""Serving the query app with uvicorn: in the foreground for `station serve`, in a thread for tests and benches."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from station.errors import ConfigError


def split_listen(listen: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` for IPv6) as (host, port); port 0 asks the system for a free one."""
    host, _, port = listen.strip().rpartition(":")
    host = host[1:-1] if host.startswith("[") and host.endswith("]") else host
    if (
        not host
        or any(c in host for c in "[]/ ")
        or not (port.isascii() and port.isdigit())
        or len(port) > 5
        or int(port) > 65535
    ):
        raise ConfigError("query.listen_bad", value=listen)
    return host, int(port)


def bind(listen: str, backlog: int = 2048) -> socket.socket:
    """A socket bound to ``listen`` and listening; ConfigError naming the address when it cannot be."""
    host, port = split_listen(listen)
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (OSError, UnicodeError) as err:
        raise ConfigError("query.listen_failed", listen=listen, reason=str(err)) from err
    family, kind, proto, _, address = found[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(backlog)
    except (OSError, OverflowError) as err:
        sock.close()
        raise ConfigError(
            "query.listen_failed", listen=listen, reason=getattr(err, "strerror", None) or str(err)
        ) from err
    sock.set_inheritable(True)
    return sock


def bound_address(sock: socket.socket) -> str:
    """Where a bound socket listens, as ``HOST:PORT`` (``[v6]:PORT``)."""
    host, port = sock.getsockname()[:2]
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def uvicorn_config(app: Any, listen: str, **overrides: Any) -> Any:
    """How every query server here is run: one process, httptools held to the ``[query]`` limits
    (``station.query.guard``), uvloop when installed, no access log, no proxy headers (the app reads
    X-Forwarded-For itself, and only from trusted proxies)."""
    import uvicorn

    from station.query.guard import Limits, guarded

    host, port = split_listen(listen)
    limits = getattr(app, "limits", None) or Limits()
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "http": guarded(limits),
        "proxy_headers": False,
        "server_header": False,
        "access_log": False,
        "log_level": "warning",
        "lifespan": "on",
        "timeout_keep_alive": limits.keepalive_timeout_s,
        "backlog": 2048,
        **overrides,
    }
    return uvicorn.Config(app, **settings)


def serve(
    home_path: Path,
    config_file: Path | None,
    listen: str,
    started: Callable[[str], None],
    workers: int = 1,
) -> None:
    """Run the query service until interrupted, in one process or in ``workers`` forked ones sharing the socket
    (``station.query.workers``); ``started`` is told the address once the socket is bound and every worker is
    ready. ConfigError when the address is invalid or cannot be listened on; WorkerDied when a worker exits on
    its own."""
    sock = bind(listen)
    address = bound_address(sock)
    try:
        if workers <= 1:
            _server(home_path, config_file, listen, lambda: started(address)).run(sockets=[sock])
            return
        from station.query.workers import run_workers

        def make_server(ready: Callable[[], None]) -> Any:
            return _server(home_path, config_file, listen, ready, workers)

        run_workers(sock, workers, make_server, lambda: started(address))
    finally:
        sock.close()


def _server(home_path: Path, config_file: Path | None, listen: str, ready: Callable[[], None], workers: int = 1) -> Any:
    """A uvicorn server of the query app that calls ``ready`` once it listens; ``workers`` is how many such
    servers share the ledger and the socket."""
    import uvicorn

    from station.query.app import create_app

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                ready()

    return Server(uvicorn_config(create_app(home_path, config_file, warm=True, workers=workers), listen))


class ServerThread:
    """A uvicorn server for ``app`` in a background thread, on 127.0.0.1 and a free port by default."""

    def __init__(self, app: Any, listen: str = "127.0.0.1:0", **overrides: Any) -> None:
        import uvicorn

        self.server = uvicorn.Server(uvicorn_config(app, listen, **overrides))
        self._thread = threading.Thread(target=self.server.run, name="query-server", daemon=True)
        self.url = ""

    def __enter__(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the query server did not start")
            time.sleep(0.01)
        sock = self.server.servers[0].sockets[0]
        host, port = sock.getsockname()[:2]
        self.url = f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"
        return self

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=30)
