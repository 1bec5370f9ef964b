"""Serving the query app with uvicorn: in the foreground for `station serve`, in a thread for tests and benches."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from types import TracebackType
from typing import Any

from station.errors import ConfigError


def split_listen(listen: str) -> tuple[str, int]:
    """``HOST:PORT`` (``[v6]:PORT`` for IPv6) as (host, port)."""
    host, _, port = listen.rpartition(":")
    if not host or not port.isdigit():
        raise ConfigError("config.bad_value", key="query.listen", value=listen, allowed="HOST:PORT")
    return host.strip("[]"), int(port)


def uvicorn_config(app: Any, listen: str, **overrides: Any) -> Any:
    """How every query server here is run: one process, httptools and uvloop when installed, no access log,
    no proxy headers (the app reads X-Forwarded-For itself, and only from trusted proxies)."""
    import uvicorn

    host, port = split_listen(listen)
    settings: dict[str, Any] = {
        "host": host,
        "port": port,
        "proxy_headers": False,
        "server_header": False,
        "access_log": False,
        "log_level": "warning",
        "lifespan": "on",
        "timeout_keep_alive": 5,
        "backlog": 2048,
        **overrides,
    }
    return uvicorn.Config(app, **settings)


def serve(home_path: Path, config_file: Path | None, listen: str) -> None:
    """Run the query service until interrupted."""
    import uvicorn

    from station.query.app import create_app

    uvicorn.Server(uvicorn_config(create_app(home_path, config_file, warm=True), listen)).run()


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
