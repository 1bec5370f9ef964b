"""A throwaway PostgreSQL server on 127.0.0.1 for the tests, and the ledger backends the contract tests run over.

The server is started once per session, only when a test asks for PostgreSQL: ``initdb`` into a temporary
directory (as an unprivileged user when running as root: postgres refuses root), then ``postgres -k DIR -h
127.0.0.1 -p PORT`` with durability off (a test server loses nothing of value). Each test gets a database of
its own. When no server can be started the PostgreSQL tests fail; they skip only with STATION_NO_POSTGRES=1.
"""

from __future__ import annotations

import ctypes
import glob
import os
import pwd
import shutil
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

BACKENDS = ("sqlite", "postgresql")
SUPERUSER = "station_test"
PASSWORD = "test-only-pw"  # noqa: S105 - a password for a server that lives as long as the test session
START_TIMEOUT_S = 60.0


def postgres_bin() -> Path | None:
    """The bin directory of the newest installed PostgreSQL server (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unprivileged_user() -> pwd.struct_passwd | None:
    """Who runs the server when we are root: the package's ``postgres`` user, else ``nobody``."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            return pwd.getpwnam(name)
        except KeyError:
            continue
    raise RuntimeError("running as root and neither a 'postgres' nor a 'nobody' user exists to run the server")


def _die_with_parent() -> Any:
    """For preexec_fn: the server gets SIGINT (fast shutdown) when the test process dies, however it dies."""
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up here, not in the forked child
    except (OSError, AttributeError):
        return None
    pr_set_pdeathsig = 1
    return lambda: prctl(pr_set_pdeathsig, signal.SIGINT)


class PgServer:
    """One postgres process with its data directory, stopped and removed by ``stop()``."""

    def __init__(self, durable: bool = False) -> None:
        bindir = postgres_bin()
        if bindir is None:
            raise RuntimeError("no PostgreSQL server installed (initdb not found); run scripts/bootstrap.sh")
        self.bindir = bindir
        self.durable = durable  # False: fsync and full-page writes off, fine for data that dies with the test
        self.user = _unprivileged_user()
        # the server's user must reach its directory: under /tmp, not under a private TMPDIR of root's
        where = "/tmp" if self.user is not None and os.path.isdir("/tmp") else None  # noqa: S108
        self.root = Path(tempfile.mkdtemp(prefix="station-pg-", dir=where))
        self.port = _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self._databases = 0
        self._migrated = False
        self._admin: Any = None

    def _as_server_user(self) -> dict[str, Any]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        env["LC_ALL"] = "C"
        if self.user is None:
            return {"env": env, "cwd": self.root}
        env["HOME"] = str(self.root)
        return {"env": env, "cwd": self.root, "user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []}

    def start(self) -> None:
        """initdb and start the server; RuntimeError with the server's log when it does not come up."""
        if self.user is not None:
            os.chown(self.root, self.user.pw_uid, self.user.pw_gid)
        (self.root / "pwfile").write_text(PASSWORD + "\n")
        data = self.root / "data"
        subprocess.run(
            [
                str(self.bindir / "initdb"),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--pwfile",
                str(self.root / "pwfile"),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-locale",
                "--no-sync",
            ],
            check=True,
            capture_output=True,
            timeout=120,
            **self._as_server_user(),
        )
        log = open(self.root / "server.log", "wb")  # noqa: SIM115 - lives as long as the server
        self.process = subprocess.Popen(
            [
                str(self.bindir / "postgres"),
                "-D",
                str(data),
                "-k",
                str(self.root),
                "-h",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-c",
                "max_connections=60",
                "-c",
                "shared_buffers=128MB",
                *([] if self.durable else ["-c", "fsync=off", "-c", "synchronous_commit=off"]),
                *([] if self.durable else ["-c", "full_page_writes=off"]),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent(),  # a killed test run leaves no server behind
            **self._as_server_user(),
        )
        log.close()
        self._wait_ready()

    def _wait_ready(self) -> None:
        import psycopg

        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            assert self.process is not None
            if self.process.poll() is not None:
                raise RuntimeError(f"postgres exited with {self.process.returncode}:\n{self.log()}")
            try:
                self._admin = psycopg.connect(self.url("postgres"), autocommit=True, connect_timeout=2)
                return
            except psycopg.OperationalError as err:
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"postgres did not accept connections in {START_TIMEOUT_S:.0f} s: {err}\n{self.log()}"
                    ) from err
                time.sleep(0.1)

    def log(self) -> str:
        """The server's log so far."""
        path = self.root / "server.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def url(self, database: str, user: str = SUPERUSER, password: str = PASSWORD) -> str:
        """A postgresql:// URL on the server."""
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def admin(self, sql: str) -> None:
        """Run one statement as the superuser, connected to the maintenance database."""
        self._admin.execute(sql)

    def create_database(self, migrated: bool = False) -> str:
        """A new database, empty or (faster for most tests) a copy of one the ledger has migrated; its name."""
        template = "template0"
        if migrated:
            template = "ledger_migrated"
            if not self._migrated:
                from station.ledger import Actor, open_ledger

                self.admin(f"CREATE DATABASE {template} TEMPLATE template0")
                open_ledger(self.url(template), Actor("setup", "TEST")).close()
                self._migrated = True
        self._databases += 1
        name = f"ledger_{self._databases}"
        self.admin(f"CREATE DATABASE {name} TEMPLATE {template}")
        return name

    def drop_database(self, name: str) -> None:
        """Drop a database, closing whatever connections a test left open to it."""
        self.admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")

    def stop(self) -> None:
        """Fast shutdown (SIGINT), then SIGKILL if it does not go within 30 s; remove the data directory."""
        if self._admin is not None:
            self._admin.close()
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """The session's PostgreSQL server; fails (skips only with STATION_NO_POSTGRES=1) when none can start."""
    if os.environ.get("STATION_NO_POSTGRES") == "1":
        pytest.skip("STATION_NO_POSTGRES=1: PostgreSQL tests not run")
    server = None
    try:
        server = PgServer()
        server.start()
    except (OSError, RuntimeError, subprocess.SubprocessError, ImportError) as err:
        detail = getattr(err, "stderr", b"") or b""
        if server is not None:
            server.stop()
        pytest.fail(
            f"could not start a PostgreSQL server for the tests (STATION_NO_POSTGRES=1 skips them): {err} "
            f"{detail.decode(errors='replace')}"
        )
    yield server
    server.stop()


@dataclass
class Backend:
    """Where a test's ledger lives, and a raw connection to it (for tampering as someone with a database tool)."""

    name: str
    url: str | None  # None: the default SQLite file in the data directory
    server: PgServer | None = None
    database: str | None = None

    def settings(self) -> str:
        """The settings-file lines that point a data directory at this ledger."""
        return "" if self.url is None else f'[ledger]\nurl = "{self.url}"\n'

    def connect(self, home: Path) -> Any:
        """A raw autocommit connection to the ledger, as a database tool would open it."""
        if self.url is None:
            return sqlite3.connect(home / "ledger.sqlite3", isolation_level=None)
        import psycopg

        return psycopg.connect(self.url, autocommit=True)

    @property
    def error(self) -> type[Exception]:
        """The driver's error class."""
        if self.url is None:
            return sqlite3.DatabaseError
        import psycopg

        return psycopg.Error

    def drop_guards(self, db: Any) -> None:
        """Drop the triggers that make events append-only, as someone owning the database could."""
        suffix = "" if self.url is None else " ON events"
        db.execute(f"DROP TRIGGER events_append_only_update{suffix}")
        db.execute(f"DROP TRIGGER events_append_only_delete{suffix}")


@pytest.fixture
def backend(request: pytest.FixtureRequest) -> Iterator[Backend]:
    """The ledger backend of a test: SQLite unless the test module is marked ``all_backends``."""
    name = getattr(request, "param", "sqlite")
    if name == "sqlite":
        yield Backend("sqlite", None)
        return
    server: PgServer = request.getfixturevalue("pg_server")
    database = server.create_database(migrated=True)  # migrating from nothing: tests/test_ledger_postgres.py
    yield Backend("postgresql", server.url(database), server, database)
    server.drop_database(database)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "all_backends: run the module's ledger tests on SQLite and on PostgreSQL")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests of modules marked ``all_backends`` run once per backend."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker("all_backends"):
        metafunc.parametrize("backend", BACKENDS, indirect=True)
