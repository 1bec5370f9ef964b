"""What only a shared PostgreSQL ledger has: stations writing at the same time, one schema for SQLite and
PostgreSQL, roles with only the grants the documentation lists, clear errors, and the `station` command on it."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from station.errors import LedgerError
from station.ledger import Actor, open_ledger
from station.ledger.schema import SCHEMA_VERSION
from tests.conftest import REPO, STATION
from tests.pg_helpers import Backend, PgServer


@pytest.fixture
def pg_backend(pg_server: PgServer) -> Iterator[Backend]:
    """A fresh database on the session's server."""
    database = pg_server.create_database()
    yield Backend("postgresql", pg_server.url(database), pg_server, database)
    pg_server.drop_database(database)


def _seed(url: str) -> tuple[int, int]:
    """An approved enterprise with a product, written through the repository."""
    with open_ledger(url, Actor("setup", "MD-00")) as ledger:
        eid = ledger.add_enterprise("牟定县测试腐乳厂", "91532323MA6N0FRU1E")
        ledger.update_enterprise(eid, "enterprise.approve", None, status="approved")
        pid = ledger.add_product(eid, "牟定腐乳", "532323101001", [], 180, None)
    return eid, pid


def _in_threads(*work: Any, timeout_s: float = 120) -> None:
    """Run each callable in a thread of its own, all at once; re-raise the first error."""
    errors: list[BaseException] = []
    start = threading.Barrier(len(work))

    def wrap(fn: Any) -> None:
        try:
            start.wait(timeout=30)
            fn()
        except BaseException as err:  # noqa: BLE001 - handed to the test thread
            errors.append(err)

    threads = [threading.Thread(target=wrap, args=(fn,)) for fn in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout_s)
        assert not thread.is_alive(), "a writer hung"
    if errors:
        raise errors[0]


def test_two_stations_appending_at_once_make_one_valid_chain(pg_backend: Backend) -> None:
    url = pg_backend.url or ""
    eid, pid = _seed(url)
    rounds = 40
    stations = [open_ledger(url, Actor("clerk", name)) for name in ("MD-01", "MD-02")]
    orders: dict[str, list[tuple[int, int, int]]] = {"MD-01": [], "MD-02": []}

    def work(ledger: Any) -> None:
        for i in range(rounds):
            if i % 4 == 0:
                orders[ledger.actor.station].append(
                    ledger.create_order(eid, pid, 50, "https://x.example.org/c", None, None, 10**9)
                )
            with ledger.transaction():
                ledger.append_event("test.tick", {"i": i}, enterprise_id=eid)

    try:
        _in_threads(*(lambda ledger=ledger: work(ledger) for ledger in stations))
        report = stations[0].verify_audit()
        assert report.ok, report
        assert report.events == 3 + 2 * (rounds + rounds // 4)
        ranges = sorted((first, last) for made in orders.values() for _, first, last in made)
        assert all(a[1] < b[0] for a, b in zip(ranges, ranges[1:], strict=False)), "two orders share serials"
        assert ranges[-1][1] == 2 * (rounds // 4) * 50
        by_station = {e["station"] for e in stations[1].events() if e["kind"] == "test.tick"}
        assert by_station == {"MD-01", "MD-02"}
    finally:
        for ledger in stations:
            ledger.close()


def test_a_writer_waits_for_the_other_and_then_reports_busy(pg_backend: Backend) -> None:
    url = pg_backend.url or ""
    eid, _pid = _seed(url)
    with open_ledger(url, Actor("a", "MD-01")) as first, open_ledger(url, Actor("b", "MD-02"), 0.3) as second:
        with first.transaction():
            first.append_event("test.hold", enterprise_id=eid)
            with pytest.raises(LedgerError) as info:
                with second.transaction():
                    second.append_event("test.blocked", enterprise_id=eid)
            assert info.value.key == "ledger.busy"
        with second.transaction():
            second.append_event("test.after", enterprise_id=eid)
        assert [e["kind"] for e in second.events()][-2:] == ["test.hold", "test.after"]
        assert second.verify_audit().ok


def test_stations_opening_a_new_database_at_once_migrate_it_once(pg_backend: Backend) -> None:
    url = pg_backend.url or ""
    opened: list[Any] = []
    _in_threads(*(lambda: opened.append(open_ledger(url, Actor("t", "S"))) for _ in range(3)))
    for ledger in opened:
        ledger.close()
    with pg_backend.connect(Path()) as db:
        versions = [r[0] for r in db.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def _schema_sqlite(path: Path) -> dict[str, Any]:
    db = sqlite3.connect(path)
    tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    columns = {t: [(r[1], r[3], r[4]) for r in db.execute(f"PRAGMA table_info({t})")] for t in tables}
    indexes = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
    triggers = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    db.close()
    return {"columns": columns, "indexes": indexes, "triggers": triggers}


def _schema_postgres(db: Any) -> dict[str, Any]:
    columns: dict[str, list[tuple[str, int, Any]]] = {}
    for table, name, nullable, default in db.execute(
        "SELECT table_name, column_name, is_nullable, column_default FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position"
    ):
        columns.setdefault(table, []).append((name, int(nullable == "NO"), default))
    indexes = {
        r[0]
        for r in db.execute(
            "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND indexname NOT LIKE '%_pkey'"
            " AND indexname NOT LIKE '%_key'"
        )
    }
    triggers = {r[0] for r in db.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")}
    return {"columns": columns, "indexes": indexes, "triggers": triggers}


def test_every_sqlite_migration_has_the_same_tables_columns_indexes_and_guards_on_postgresql(
    pg_backend: Backend, tmp_path: Path
) -> None:
    open_ledger(f"sqlite:///{tmp_path / 'l.sqlite3'}", Actor("t", "S")).close()
    open_ledger(pg_backend.url or "", Actor("t", "S")).close()
    lite = _schema_sqlite(tmp_path / "l.sqlite3")
    with pg_backend.connect(tmp_path) as db:
        pg = _schema_postgres(db)
    assert sorted(pg["columns"]) == sorted(lite["columns"])
    for table, cols in lite["columns"].items():
        names = [(name, notnull) for name, notnull, _default in cols]
        # a PostgreSQL primary key column is NOT NULL where SQLite's INTEGER PRIMARY KEY only behaves so
        assert [n for n, _ in names] == [n for n, _, _ in pg["columns"][table]], table
        for (name, notnull), (_n, pg_notnull, _d) in zip(names, pg["columns"][table], strict=True):
            assert pg_notnull >= notnull, f"{table}.{name}"
    assert pg["indexes"] >= lite["indexes"]
    truncate_guards = {f"{name}_truncate" for name in lite["triggers"] if "delete" in name}
    assert pg["triggers"] == lite["triggers"] | truncate_guards


def test_a_migration_that_postgresql_cannot_take_is_refused_by_name() -> None:
    from station.ledger.postgres import postgres_statements

    with pytest.raises(LedgerError) as info:
        postgres_statements("INSERT OR REPLACE INTO meta VALUES ('a', 'b')", 6)
    assert info.value.key == "ledger.untranslatable" and info.value.params["version"] == 7
    trigger = postgres_statements(
        "CREATE TRIGGER t_keep BEFORE UPDATE OF a, b ON t\n  BEGIN SELECT RAISE(ABORT, 'it''s kept'); END;", 0
    )
    assert trigger[-1].endswith("BEFORE UPDATE OF a, b ON t FOR EACH ROW EXECUTE FUNCTION ledger_refuse('it''s kept')")


def test_unreachable_server_is_a_clear_error_without_the_password(pg_server: PgServer) -> None:
    closed = PgServer.__new__(PgServer)
    closed.port = pg_server.port + 1 if pg_server.port < 65535 else pg_server.port - 1
    url = closed.url("trace", password="s3cret-pw")
    with pytest.raises(LedgerError) as info:
        open_ledger(url, Actor("t", "S"), busy_timeout_s=2)
    assert info.value.key == "ledger.unreachable"
    assert "s3cret-pw" not in info.value.message and "127.0.0.1" in info.value.message
    wrong = pg_server.url("postgres", password="wrong-pw")
    with pytest.raises(LedgerError) as denied:
        open_ledger(wrong, Actor("t", "S"), busy_timeout_s=2)
    assert denied.value.key == "ledger.unreachable" and "wrong-pw" not in denied.value.message


def test_missing_driver_is_a_clear_error() -> None:
    code = (
        "import sys; sys.modules['psycopg'] = None\n"
        "from station.errors import LedgerError\n"
        "from station.ledger import Actor, open_ledger\n"
        "try:\n"
        "    open_ledger('postgresql://u:p@127.0.0.1:1/db', Actor('t', 'S'))\n"
        "except LedgerError as err:\n"
        "    print(err.key, err.message)\n"
    )
    env = {**os.environ, "STATION_LANG": "en"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60).stdout
    assert out.startswith("ledger.no_driver") and "pip install 'psycopg[binary]'" in out


def _grants(part: str, **passwords: str) -> list[str]:
    """The statements of one block of the documented role set-up, with the roles' passwords filled in."""
    text = (REPO / "docs" / "architecture.md").read_text()
    block = re.search(rf"<!-- grants:{part} -->\s*```sql\n(.*?)```", text, re.S)
    assert block is not None, f"docs/architecture.md lost its grants:{part} block"
    sql = block.group(1)
    for role, password in passwords.items():
        sql = sql.replace(f"'{role}-password'", f"'{password}'")
    lines = [line for line in sql.splitlines() if not line.strip().startswith("--")]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def test_the_documented_roles_run_a_station_and_cannot_rewrite_history(pg_server: PgServer) -> None:
    """docs/architecture.md's role set-up, run as written: the owner's first open migrates; a station writes
    through the repository but cannot edit events; the query site reads and writes only its counters."""
    import psycopg

    passwords = {"owner": "o-pw", "station": "s-pw", "query": "q-pw"}
    for statement in _grants("server", **passwords):
        pg_server.admin(statement)
    try:
        owner_url = pg_server.url("trace", "trace_owner", "o-pw")
        open_ledger(owner_url, Actor("admin", "MD-00")).close()
        with psycopg.connect(owner_url, autocommit=True) as db:
            for statement in _grants("database", **passwords):
                db.execute(statement)
        station_url = pg_server.url("trace", "trace_station", "s-pw")
        eid, pid = _seed(station_url)
        with open_ledger(station_url, Actor("clerk", "MD-01")) as ledger:
            _order, first, _last = ledger.create_order(eid, pid, 5, "https://x.example.org/c", None, None, 10**9)
            ledger.transition(first, "print")
            ledger.set_meta("key_fingerprint", "f")
            ledger.add_operator("王五", "clerk", "scrypt$00$00")
            assert ledger.verify_audit().ok
        with psycopg.connect(station_url, autocommit=True) as db:
            for forbidden in (
                "UPDATE events SET kind = 'x'",
                "DELETE FROM codes",
                "TRUNCATE events",
                "DROP TRIGGER events_append_only_update ON events",
            ):
                with pytest.raises(psycopg.errors.InsufficientPrivilege):
                    db.execute(forbidden)
        query_url = pg_server.url("trace", "trace_query", "q-pw")
        with psycopg.connect(query_url, autocommit=True) as db:
            assert db.execute("SELECT count(*) FROM codes").fetchone()[0] == 5
            db.execute("INSERT INTO query_daily (day, status, queries) VALUES ('2026-11-29', 'genuine', 1)")
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                db.execute("UPDATE codes SET state = 6")
    finally:
        pg_server.admin("DROP DATABASE IF EXISTS trace WITH (FORCE)")
        for role in ("trace_query", "trace_station", "trace_owner"):
            pg_server.admin(f"DROP ROLE IF EXISTS {role}")


def _station(home: Path, *args: str) -> Any:
    env = {**os.environ, "STATION_LANG": "en"}
    env.pop("STATION_HOME", None)
    proc = subprocess.run(
        [STATION, "--lang", "en", "--home", str(home), *args], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, f"station {' '.join(args)}: {proc.stderr}{proc.stdout}"
    return json.loads(proc.stdout) if "--json" in args else proc.stdout


def test_two_stations_share_one_postgresql_ledger_through_the_command(pg_backend: Backend, tmp_path: Path) -> None:
    first, second = tmp_path / "md-01", tmp_path / "md-02"
    url = pg_backend.url or ""
    # the second station names the same database by the other scheme libpq knows
    for home, station_id, ledger_url in (
        (first, "MD-01", url),
        (second, "MD-02", url.replace("postgresql:", "postgres:")),
    ):
        home.mkdir()
        (home / "station.toml").write_text(f'[station]\nid = "{station_id}"\n\n[ledger]\nurl = "{ledger_url}"\n')
    assert "initialised" in _station(first, "init")
    eid = _station(
        first, "enterprise", "add", "--name", "牟定县测试腐乳厂", "--credit-code", "91532323MA6N0FRU1E", "--json"
    )["id"]
    _station(first, "enterprise", "approve", str(eid))
    pid = _station(
        first, "product", "add", "--enterprise", str(eid), "--name", "牟定腐乳", "--origin", "532323101001", "--json"
    )["id"]
    issued = _station(first, "issue", "--enterprise", str(eid), "--product", str(pid), "--count", "200", "--json")
    # the second station shares the ledger, so it needs the same key: copied, as from a backup
    shutil.copy(first / "code.key", second / "code.key")
    assert "already" in _station(second, "init")
    more = _station(second, "issue", "--enterprise", str(eid), "--product", str(pid), "--count", "100", "--json")
    assert more["order"] == issued["order"] + 1
    found = _station(first, "lookup", more["first"], "--json")
    assert found["serial"] == 201 and found["state"] == "issued"
    assert [e["station"] for e in found["events"]] == ["MD-02"]
    audit = _station(second, "audit", "verify", "--json")
    assert audit["ok"] is True and audit["events"] == 5


def test_query_site_reads_the_ledger_and_keeps_its_counters_in_the_same_database(pg_backend: Backend) -> None:
    from station.ledger import open_store
    from station.ledger.query_store import Batch, CodeQueries

    url = pg_backend.url or ""
    eid, pid = _seed(url)
    with open_ledger(url, Actor("clerk", "MD-01")) as ledger:
        _order, first, _last = ledger.create_order(eid, pid, 3, "https://x.example.org/c", None, None, 10**9)
    with open_ledger(url, Actor("query", "WEB")) as ledger, open_store(url) as store:
        ledger.lock_read_only()
        assert ledger.code(first) is not None  # reads still work
        with pytest.raises(LedgerError, match="read-only"):
            ledger.transition(first, "print")
        store.save(Batch(codes={first: CodeQueries(1, "t0", "t0", "203.0.0.0/16")}, daily={("d", "genuine"): 1}))
        assert store.code_queries(first) == CodeQueries(1, "t0", "t0", "203.0.0.0/16", 0)
        assert ledger.verify_audit().ok


def test_query_store_refuses_a_database_without_the_query_tables(pg_backend: Backend) -> None:
    from station.ledger import open_store

    with pytest.raises(LedgerError) as info:
        open_store(pg_backend.url or "")
    assert info.value.key == "query.schema_old" and info.value.params["found"] == 0
    assert "test-only-pw" not in info.value.message
