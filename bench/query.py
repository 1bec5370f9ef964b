"""Query service throughput and latency against the floor of a bare Starlette endpoint, served the same way.

A ledger of 1,000,000 codes (a few of them bound to a released lot) is issued into a temporary data directory;
`station serve` serves it, and a bare Starlette app returning a constant is served by the same uvicorn
configuration in another process: each in one process and in two (``--workers 1 2``: `station serve --workers 2`,
and the floor forked onto one socket by the same ``station.query.workers``), reported side by side, each against
the floor with as many processes. The load comes from a separate process: wrk (Debian package `wrk`) when it is
installed, otherwise an asyncio HTTP/1.1 client of our own; each run is bounded in time. Goals: p99 <= 20 ms and
at least 50 % of the floor's requests per second.

The machine's two cores are shared with the load generator and with whatever else runs, and the floor (which
leaves its core partly idle) gains most when the machine is quiet: ``--rounds`` repeats floor, page and JSON in
turn and reports each round's ratios and their median. Each run also reports the server process's CPU time per
request (user and system, all threads and workers, from /proc), which depends less on how busy the rest of the
machine is.
``--in-process`` calls the ASGI apps directly (no server, no network) and prints the microseconds each request
takes, the figure to profile against.

    .venv/bin/python bench/query.py [--codes 1000000] [--seconds 10] [--connections 16] [--rounds 1] [--workers 1 2]
    .venv/bin/python bench/query.py --in-process [--requests 20000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FLOOR = """
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

async def constant(request):
    return PlainTextResponse("genuine")

app = Starlette(routes=[Route("/c/{code}", constant)])
"""
FLOOR_APP = (
    FLOOR
    + """
import sys
from station.query.server import bind, uvicorn_config
from station.query.workers import run_workers
import uvicorn

listen, workers = sys.argv[1], int(sys.argv[2])
if workers == 1:
    uvicorn.Server(uvicorn_config(app, listen)).run()
else:
    def make_server(ready):
        class Server(uvicorn.Server):
            async def startup(self, sockets=None):
                await super().startup(sockets)
                ready()
        return Server(uvicorn_config(app, listen))
    run_workers(bind(listen), workers, make_server, lambda: None)
"""
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def build(home_dir: Path, count: int) -> tuple[list[str], list[str]]:
    """A data directory with ``count`` codes, 5 of them bound to a released lot; (bound codes, other codes)."""
    from station.codes import make_code
    from station.home import Home
    from station.issue import issue_codes
    from station.lots import add_lot, inspect_lot, release_lot
    from station.registry import add_enterprise, add_product, review_enterprise

    home = Home.open(home_dir, operator="bench")
    home.init()
    ledger = home.ledger
    eid = add_enterprise(ledger, "牟定县测试腐乳厂", "91532323MA6N0FRU1E")
    review_enterprise(ledger, eid, "approve")
    pid = add_product(ledger, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180)
    started = time.perf_counter()
    order = issue_codes(home, eid, pid, count)
    print(f"issued {count:,} codes in {time.perf_counter() - started:.1f} s")
    lot = add_lot(ledger, pid, "MD20261120", "2026-11-20", "500克", ["腌制 2026-11-01", "装瓶 2026-11-19"])
    inspect_lot(ledger, lot, "pass", "YN-QC-2026-1120")
    release_lot(ledger, lot)
    bound = []
    for serial in range(order.first_serial, order.first_serial + 5):
        for action in ("print", "verify", "distribute"):
            ledger.transition(serial, action)
        ledger.bind(serial, lot, {"number": "MD20261120"})  # type: ignore[attr-defined]
        bound.append(make_code(home.key, serial))
    rng = random.Random(7)
    others = [make_code(home.key, rng.randint(order.first_serial + 5, order.last_serial)) for _ in range(200)]
    home.close()
    # the load comes from one address: lift the rate limit, and the copy warning, for the bench
    (home_dir / "station.toml").write_text(
        "[query]\nrate_per_min = 1000000000.0\nrate_burst = 1000000000\nnetwork_rate_per_min = 1000000000.0\n"
        "network_burst = 1000000000\nwarn_after = 1000000\n",
        encoding="utf-8",
    )
    return bound, others


def _wait_up(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("server did not come up")


def _wrk(url: str, paths: list[str], seconds: int, connections: int, workdir: Path) -> dict[str, float]:
    script = workdir / "paths.lua"
    script.write_text(
        "local paths = {" + ",".join(json.dumps(p) for p in paths) + "}\n"
        "local i = 0\n"
        "request = function()\n  i = i % #paths + 1\n  return wrk.format('GET', paths[i])\nend\n"
        "done = function(summary, latency, requests)\n"
        '  io.write(string.format(\'JSON {"requests": %d, "seconds": %f, "p50": %f, "p99": %f, '
        '"errors\\": %d, \\"non2xx\\": %d}\\n\', summary.requests, summary.duration / 1e6,'
        " latency:percentile(50) / 1000, latency:percentile(99) / 1000,"
        " summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,"
        " summary.errors.status))\n"
        "end\n",
        encoding="utf-8",
    )
    out = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script), url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    found = re.search(r"^JSON (.*)$", out, re.M)
    if found is None:
        raise SystemExit(f"wrk said:\n{out}")
    result: dict[str, float] = json.loads(found.group(1))
    result["rps"] = result["requests"] / result["seconds"]
    return result


DRIVER = r"""
import asyncio, json, sys, time
host, port, seconds, connections = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
paths = json.loads(sys.stdin.read())
latencies, errors = [], 0

async def worker(n):
    global errors
    reader, writer = await asyncio.open_connection(host, port)
    i = n
    while time.monotonic() < stop:
        path = paths[i % len(paths)]; i += connections
        started = time.perf_counter()
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        head = await reader.readuntil(b"\r\n\r\n")
        length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
        await reader.readexactly(length)
        latencies.append(time.perf_counter() - started)
        if not head.startswith(b"HTTP/1.1 2"):
            errors += 1
    writer.close()

async def main():
    global stop
    stop = time.monotonic() + seconds
    began = time.monotonic()
    await asyncio.gather(*(worker(n) for n in range(connections)))
    return time.monotonic() - began

took = asyncio.run(main())
latencies.sort()
print(json.dumps({"requests": len(latencies), "seconds": took, "p50": latencies[len(latencies) // 2] * 1000,
                  "p99": latencies[int(len(latencies) * 0.99)] * 1000, "errors": 0, "non2xx": errors}))
"""


def _python_driver(port: int, paths: list[str], seconds: int, connections: int) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", DRIVER, "127.0.0.1", str(port), str(seconds), str(connections)],
        input=json.dumps(paths),
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    result: dict[str, float] = json.loads(out)
    result["rps"] = result["requests"] / result["seconds"]
    return result


def _cpu_seconds(pid: int | None) -> float:
    """User and system CPU time of a process (all its threads) and of its worker processes so far; 0 where /proc
    cannot tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except (OSError, TypeError):
        return 0.0
    own = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
    return own + sum(_cpu_seconds(int(child)) for child in children)


def load(
    port: int, paths: list[str], seconds: int, connections: int, workdir: Path, wrk: bool, pid: int | None = None
) -> dict[str, float]:
    """Drive ``paths`` round-robin for ``seconds`` (after a 2 s warm-up) from another process; with the server's
    ``pid``, also the server's CPU time per request (``cpu_us``)."""
    if wrk:
        _wrk(f"http://127.0.0.1:{port}", paths, 2, connections, workdir)
    else:
        _python_driver(port, paths, 2, connections)
    cpu = _cpu_seconds(pid)
    if wrk:
        result = _wrk(f"http://127.0.0.1:{port}", paths, seconds, connections, workdir)
    else:
        result = _python_driver(port, paths, seconds, connections)
    result["cpu_us"] = (_cpu_seconds(pid) - cpu) / max(result["requests"], 1) * 1e6
    return result


async def _in_process(home_dir: Path, pages: list[str], api: list[str], requests: int) -> dict[str, float]:
    """Microseconds per request of the floor's app and the service's, called directly as ASGI apps."""
    from station.query.app import create_app

    floor_globals: dict[str, object] = {}
    exec(FLOOR, floor_globals)  # noqa: S102 - the floor's own source, as the served floor runs it
    service = create_app(home_dir, warm=True)
    startup: asyncio.Queue[MutableMapping[str, Any]] = asyncio.Queue()
    started = asyncio.Event()

    async def lifespan_receive() -> MutableMapping[str, Any]:
        return await startup.get()

    async def lifespan_send(message: MutableMapping[str, Any]) -> None:
        if message["type"] == "lifespan.startup.complete":
            started.set()

    lifespan = asyncio.create_task(service({"type": "lifespan", "state": {}}, lifespan_receive, lifespan_send))
    await startup.put({"type": "lifespan.startup"})
    await started.wait()

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(_message: MutableMapping[str, Any]) -> None:
        return None

    async def run(app: object, paths: list[str], n: int) -> float:
        began = time.perf_counter()
        for i in range(n):
            path = paths[i % len(paths)]
            scope = {
                "type": "http",
                "asgi": {"version": "3.0"},
                "http_version": "1.1",
                "method": "GET",
                "scheme": "http",
                "path": path,
                "raw_path": path.encode(),
                "query_string": b"",
                "root_path": "",
                "headers": [(b"host", b"127.0.0.1"), (b"user-agent", b"bench")],
                "client": ("127.0.0.1", 50000),
                "server": ("127.0.0.1", 8080),
                "state": {},
            }
            await app(scope, receive, send)  # type: ignore[operator]
        return (time.perf_counter() - began) / n * 1e6

    results = {}
    try:
        for name, app, paths in (
            ("floor", floor_globals["app"], pages),
            ("page", service, pages),
            ("json", service, api),
        ):
            await run(app, paths, min(requests, 2000))  # warm up
            results[name] = min([await run(app, paths, requests) for _ in range(3)])
    finally:
        await startup.put({"type": "lifespan.shutdown"})
        await lifespan
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=1, help="floor, page and JSON in turn, this many times")
    parser.add_argument(
        "--workers",
        type=int,
        nargs="+",
        default=[1, 2],
        help="server processes to run each with (station serve --workers; the floor forked the same way), side by side",
    )
    parser.add_argument("--driver", choices=("auto", "wrk", "python"), default="auto", help="auto: wrk if installed")
    parser.add_argument("--in-process", action="store_true", help="call the ASGI apps directly: µs per request")
    parser.add_argument("--requests", type=int, default=20_000, help="requests per in-process measurement")
    args = parser.parse_args()
    use_wrk = args.driver == "wrk" or (args.driver == "auto" and shutil.which("wrk") is not None)
    driver = "wrk" if use_wrk else "asyncio client"
    with tempfile.TemporaryDirectory(prefix="bench-query-") as tmp:
        workdir = Path(tmp)
        bound, others = build(workdir / "home", args.codes)
        # what a crowd of consumers scans: mostly labelled products (bound codes), some not yet bound
        pages = [f"/c/{c}" for c in bound * 40] + [f"/c/{c}" for c in others]
        api = [f"/api/v1/codes/{c}" for c in bound * 40] + [f"/api/v1/codes/{c}" for c in others]
        if args.in_process:
            timed = asyncio.run(_in_process(workdir / "home", pages, api, args.requests))
            print(f"in process, {args.requests:,} requests each, best of 3: µs per request")
            for name, label in (
                ("floor", "bare Starlette constant"),
                ("page", "code page (HTML)"),
                ("json", "JSON API"),
            ):
                print(f"{label:<28}{timed[name]:>8.1f} µs{timed[name] / timed['floor']:>8.1f} x the floor")
            return
        floor_paths = [f"/c/{c}" for c in bound + others]
        station = str(Path(sys.executable).with_name("station"))
        env = {**os.environ, "STATION_LANG": "zh"}
        serve = [station, "--home", str(workdir / "home"), "serve", "--listen"]
        # (kind, workers) -> one result per round
        results: dict[tuple[str, int], list[dict[str, float]]] = {}
        for _round in range(args.rounds):
            for workers in args.workers:
                for name, command, paths in (
                    ("floor", [sys.executable, "-c", FLOOR_APP], floor_paths),
                    ("page", serve, pages),
                    ("json", serve, api),
                ):
                    port = _free_port()
                    tail = [str(workers)] if name == "floor" else ["--workers", str(workers)]
                    proc = subprocess.Popen(
                        [*command, f"127.0.0.1:{port}", *tail],
                        env=env,
                        cwd=REPO,
                        stderr=subprocess.DEVNULL,
                        stdout=subprocess.DEVNULL,
                    )
                    try:
                        _wait_up(port, proc)
                        result = load(port, paths, args.seconds, args.connections, workdir, use_wrk, proc.pid)
                        results.setdefault((name, workers), []).append(result)
                    finally:
                        proc.terminate()
                        proc.wait(timeout=60)
        _report(
            results,
            args.rounds,
            args.workers,
            f"load: {driver}, {args.connections} connections, {args.seconds} s each, 127.0.0.1",
        )


def _report(
    results: dict[tuple[str, int], list[dict[str, float]]], rounds: int, workers: list[int], heading: str
) -> None:
    """Print each round's figures, the workers side by side, and whether the goals are met."""
    labels = {"floor": "bare Starlette constant", "page": "code page (HTML)", "json": "JSON API"}
    print(heading)
    print(f"{'':<28}{'workers':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'ratio':>8}{'CPU µs/req':>12}")
    for i in range(rounds):
        if rounds > 1:
            print(f"round {i + 1}")
        for name in labels:
            for n in workers:
                r = results[name, n][i]
                floor = results["floor", n][i]["rps"]
                bad = int(r["errors"] + r["non2xx"])
                print(
                    f"{labels[name]:<28}{n:>8}{r['rps']:>10.0f}{r['p50']:>9.2f}{r['p99']:>9.2f}{bad:>8}"
                    f"{r['rps'] / floor:>8.2f}{r['cpu_us']:>12.1f}"
                )
    for n in workers:
        ratios = [p["rps"] / f["rps"] for p, f in zip(results["page", n], results["floor", n], strict=True)]
        json_ratios = [j["rps"] / f["rps"] for j, f in zip(results["json", n], results["floor", n], strict=True)]
        one_ratios = [p["rps"] / f["rps"] for p, f in zip(results["page", n], results["floor", 1], strict=True)]
        p99 = max(r["p99"] for name in ("page", "json") for r in results[name, n])
        ratio = statistics.median(ratios)
        print(
            f"{n} worker(s): median ratio page {ratio:.2f}, JSON {statistics.median(json_ratios):.2f}"
            f" (page against the one-process floor {statistics.median(one_ratios):.2f}); goals: p99 <= 20 ms "
            f"({'met' if p99 <= 20 else 'NOT met'}: {p99:.1f} ms), >= 50 % of the floor "
            f"({'met' if ratio >= 0.5 else 'NOT met'}: {ratio:.0%})"
        )


if __name__ == "__main__":
    main()
