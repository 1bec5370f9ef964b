"""Several server processes on one listening socket: ``station serve --workers N``.

The parent binds the socket (``station.query.server.bind``) and forks N workers that inherit it; each worker
builds its own app (its own ledger connections, counters and rate limits) and runs uvicorn on the shared socket,
so the kernel hands each new connection to whichever worker accepts it first. The parent answers no request: it
waits for every worker to say it is ready, tells ``started``, then watches them.

- Ctrl+C or SIGTERM to the parent stops every worker gracefully (each finishes its requests and writes its last
  counters), then the parent returns; a worker that has not stopped after ``STOP_TIMEOUT_S`` is killed. Workers
  do not act on SIGINT themselves (Ctrl+C in a terminal reaches every process of the group): the parent stops
  them.
- A worker that exits on its own (a crash, a killed process) stops the whole service: the others are stopped as
  above and ``WorkerDied`` names the worker and how it ended, so that the service manager (systemd's
  ``Restart=on-failure``) starts it again whole, with every worker fresh, rather than this process guessing
  whether a restart would end the same way.

Fork happens before any thread, event loop or connection exists in the parent (the CLI closes what it opened to
check the settings); each worker opens its own.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
import traceback
from collections.abc import Callable
from types import FrameType
from typing import Any

from station.errors import StationError

STOP_TIMEOUT_S = 30.0  # how long a worker has to finish its requests and write its counters once told to stop
READY_TIMEOUT_S = 120.0  # how long every worker has to open the ledger and start listening


class WorkerDied(StationError):
    """A worker of the query service exited on its own; the service stopped."""

    title = "query"


class _Stop(Exception):
    """The parent was told to stop (SIGINT or SIGTERM)."""


def _ended(status: int) -> str:
    """How a worker ended, from its wait status: ``exit 1`` or ``signal 9 (SIGKILL)``."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        return f"signal {number} ({signal.Signals(number).name})"
    return f"exit {os.waitstatus_to_exitcode(status)}"


def _worker(sock: socket.socket, make_server: Callable[[Callable[[], None]], Any], ready: int) -> int:
    """The body of one forked worker: serve on ``sock`` until told to stop; the exit status."""
    # Ctrl+C reaches the whole process group: only the parent acts on it (it stops the workers with SIGTERM), so
    # that a worker stopping first is never taken for one that died
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    # uvicorn takes SIGTERM while it runs, then raises again what it caught: let that do nothing here
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda _n, _f: None)

    def told_ready() -> None:
        os.write(ready, b"r")
        os.close(ready)

    try:
        server = make_server(told_ready)
        server.run(sockets=[sock])
    except StationError as err:
        print(err.message, file=sys.stderr, flush=True)
        return 1
    return 0 if server.started else 1


def run_workers(
    sock: socket.socket,
    count: int,
    make_server: Callable[[Callable[[], None]], Any],
    started: Callable[[], None],
) -> None:
    """Fork ``count`` workers serving on ``sock`` and watch them until SIGINT or SIGTERM (then stop them and
    return) or until one exits on its own (then stop the others and raise WorkerDied).

    ``make_server(ready)`` runs in each worker: a uvicorn ``Server`` whose startup calls ``ready()`` once it
    listens; ``started()`` runs in the parent once every worker has."""
    read_end, write_end = os.pipe()
    workers: dict[int, int] = {}  # pid -> worker number (from 1)
    previous = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}

    def stop_signal(_number: int, _frame: FrameType | None) -> None:
        raise _Stop

    try:
        for number in range(1, count + 1):
            pid = os.fork()
            if pid == 0:  # the worker
                code = 1
                try:
                    os.close(read_end)
                    code = _worker(sock, make_server, write_end)
                except BaseException:  # noqa: BLE001 - the worker's last word, before it exits
                    traceback.print_exc()
                finally:
                    sys.stdout.flush()
                    sys.stderr.flush()
                    os._exit(code)
            workers[pid] = number
        os.close(write_end)
        write_end = -1
        for sig in previous:
            signal.signal(sig, stop_signal)
        _wait_ready(read_end, workers)
        started()
        pid, status = os.waitpid(-1, 0)  # only a worker ending on its own, or a signal, gets past here
        number = workers.pop(pid)
        raise WorkerDied("query.worker_died", number=number, pid=pid, how=_ended(status))
    except (_Stop, KeyboardInterrupt):
        return
    finally:
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)  # a second Ctrl+C must not cut the stopping short
        _stop(workers)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        os.close(read_end)
        if write_end >= 0:
            os.close(write_end)


def _wait_ready(read_end: int, workers: dict[int, int]) -> None:
    """Wait until every worker wrote its ready byte; WorkerDied when one exits first or none is ready in time."""
    import select

    deadline = time.monotonic() + READY_TIMEOUT_S
    ready = 0
    while ready < len(workers):
        pid, status = os.waitpid(-1, os.WNOHANG)
        if pid:
            number = workers.pop(pid)
            raise WorkerDied("query.worker_died", number=number, pid=pid, how=_ended(status))
        left = deadline - time.monotonic()
        if left <= 0:
            raise WorkerDied("query.workers_slow", seconds=int(READY_TIMEOUT_S))
        readable, _, _ = select.select([read_end], [], [], min(left, 0.1))
        if readable:
            ready += len(os.read(read_end, 64))


def _stop(workers: dict[int, int]) -> None:
    """SIGTERM every worker still running, wait for them, and SIGKILL those not gone after STOP_TIMEOUT_S."""
    for pid in workers:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + STOP_TIMEOUT_S
    while workers:
        for pid in list(workers):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                del workers[pid]
        if not workers:
            return
        if time.monotonic() > deadline:
            for pid in workers:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.waitpid(pid, 0)
            workers.clear()
            return
        time.sleep(0.05)
