"""Hidden codes (暗码): a key of their own, 8 digits no holder of the QR or code.key can compute, an order setting
made with the order, and one export for a scratch-off printing service that the ledger records."""

from __future__ import annotations

import csv
import os
import stat
import time
from pathlib import Path

import pytest

from station.codes import make_code
from station.errors import ConfigError, RegistryError, StationError
from station.hidden import (
    HIDDEN_KEY_NAME,
    export_hidden,
    hidden_code,
    hidden_key,
    hidden_ok,
    issue_hidden,
    mark_hidden,
    order_hidden,
    prune_captures,
)
from station.home import Home
from station.issue import issue_codes
from tests.conftest import cli_order


def test_init_writes_a_private_key_of_its_own(home: Home) -> None:
    path = home.path / HIDDEN_KEY_NAME
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text() != (home.path / "code.key").read_text()
    assert not home.init()  # a second init keeps both keys
    assert hidden_key(home) == hidden_key(home)


def test_hidden_code_is_8_digits_keyed_apart_from_the_code(home: Home, tmp_path: Path) -> None:
    key = hidden_key(home)
    codes = [make_code(home.key, serial) for serial in range(200)]
    hidden = [hidden_code(key, code) for code in codes]
    assert all(len(h) == 8 and h.isdigit() for h in hidden)
    assert len(set(hidden)) == len(hidden)
    # another hidden key gives other digits for the same codes: code.key and the code alone do not determine them
    other = Home.open(tmp_path / "other", operator="tester")
    other.init()
    (other.path / "code.key").unlink()
    assert [hidden_code(hidden_key(other), code) for code in codes[:20]] != hidden[:20]
    assert hidden_ok(key, codes[0], hidden[0][:4] + " " + hidden[0][4:])
    wrong = hidden[0][:7] + str((int(hidden[0][7]) + 1) % 10)
    assert not hidden_ok(key, codes[0], wrong)
    assert not hidden_ok(key, codes[1], hidden[0])


def test_digits_are_spread_evenly(home: Home) -> None:
    key = hidden_key(home)
    first = [hidden_code(key, make_code(home.key, s))[0] for s in range(2000)]
    counts = [first.count(str(d)) for d in range(10)]
    assert min(counts) > 140 and max(counts) < 260


def test_a_missing_key_with_hidden_orders_is_refused(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    issue_hidden(home, eid, pid, 3)
    (home.path / HIDDEN_KEY_NAME).unlink()
    with pytest.raises(ConfigError) as err:
        home.init()
    assert err.value.key == "hidden.key_missing"
    assert not (home.path / HIDDEN_KEY_NAME).exists()


@pytest.mark.all_backends
def test_the_order_setting_commits_with_the_order(
    seeded: tuple[Home, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, eid, pid = seeded
    plain = issue_codes(home, eid, pid, 3)
    marked = issue_hidden(home, eid, pid, 3)
    assert not order_hidden(home, plain.order)
    assert order_hidden(home, marked.order)
    from station.ledger.hidden import HiddenTables

    def fails(self: HiddenTables, order_id: int) -> None:
        raise RuntimeError("power cut")

    with monkeypatch.context() as patch:
        patch.setattr(HiddenTables, "mark_order_hidden", fails)
        with pytest.raises(RuntimeError):
            issue_hidden(home, eid, pid, 4)  # the mark fails: the order it was issued with is gone too
    assert [o["id"] for o in home.ledger.orders()] == [plain.order, marked.order]
    with pytest.raises(RegistryError) as err:
        mark_hidden(home, marked.order)
    assert err.value.key == "hidden.already"
    home.ledger.transition(plain.first_serial, "print")
    with pytest.raises(RegistryError) as err:
        mark_hidden(home, plain.order)
    assert err.value.key == "hidden.printed"
    fresh = issue_codes(home, eid, pid, 2)
    mark_hidden(home, fresh.order)
    assert order_hidden(home, fresh.order)
    assert home.ledger.verify_audit().ok  # type: ignore[attr-defined]


@pytest.mark.all_backends
def test_export_writes_a_private_file_and_records_it(seeded: tuple[Home, int, int], tmp_path: Path) -> None:
    home, eid, pid = seeded
    order = issue_hidden(home, eid, pid, 5)
    out = tmp_path / "scratch.csv"
    done = export_hidden(home, order.order, out, "昆明某印刷厂")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    rows = list(csv.reader(out.open(encoding="utf-8")))
    assert rows[0] == ["code", "code_grouped", "hidden"] and len(rows) == 6
    key = hidden_key(home)
    for serial, row in zip(range(order.first_serial, order.last_serial + 1), rows[1:], strict=True):
        code = make_code(home.key, serial)
        assert row[0] == code and row[2].replace(" ", "") == hidden_code(key, code)
    events = [e for e in home.ledger.events() if e["kind"] == "hidden.exported"]
    assert len(events) == 1 and events[0]["id"] == done.event and events[0]["order_id"] == order.order
    assert events[0]["data"]["purpose"] == "昆明某印刷厂" and events[0]["data"]["sha256"] == done.sha256
    assert events[0]["data"]["count"] == 5
    assert hidden_code(key, rows[1][0]) not in str(events[0]["data"])
    with pytest.raises(StationError) as err:
        export_hidden(home, order.order, out, "again")
    assert err.value.key == "hidden.export_exists"
    with pytest.raises(StationError) as err:
        export_hidden(home, order.order, tmp_path / "x.csv", "  ")
    assert err.value.key == "hidden.export_purpose"
    plain = issue_codes(home, eid, pid, 2)
    with pytest.raises(RegistryError) as err:
        export_hidden(home, plain.order, tmp_path / "y.csv", "印刷厂")
    assert err.value.key == "hidden.not_hidden"
    assert not (tmp_path / "x.csv").exists() and not (tmp_path / "y.csv").exists()
    assert not list(tmp_path.glob(".*.part"))


def test_spreadsheet_export_and_qr_never_carry_the_hidden_code(seeded: tuple[Home, int, int]) -> None:
    from station.export import codes_table
    from station.labels.values import code_values

    home, eid, pid = seeded
    order = issue_hidden(home, eid, pid, 3)
    key = hidden_key(home)
    secrets = {hidden_code(key, make_code(home.key, s)) for s in range(order.first_serial, order.last_serial + 1)}
    cells = " ".join(str(cell) for row in codes_table(home, order.order).rows for cell in row)
    assert not any(secret in cells.replace(" ", "") for secret in secrets)
    values = code_values(home, order.first_serial)
    assert values["hidden"] in secrets and values["hidden"] not in values["payload"]


def test_old_captures_of_hidden_orders_are_deleted(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    plain = issue_codes(home, eid, pid, 1)
    hidden = issue_hidden(home, eid, pid, 1)
    runs = {}
    for order in (plain, hidden):
        runs[order.order] = home.ledger.create_run(  # type: ignore[attr-defined]
            order.order, "trace-40x30", 100, "tcp://x", "cam"
        )
    old = time.time() - 80 * 3600
    pictures = {}
    for order_id, run_id in runs.items():
        folder = home.path / "captures" / f"run-{run_id}"
        folder.mkdir(parents=True)
        pictures[order_id] = [folder / "reject-1.png", folder / "reject-2.png"]
        for picture in pictures[order_id]:
            picture.write_bytes(b"png")
        os.utime(pictures[order_id][0], (old, old))
    deleted = prune_captures(home, 72)
    assert deleted == [pictures[hidden.order][0]]
    assert all(p.exists() for p in pictures[plain.order])
    assert pictures[hidden.order][1].exists()


def test_cli_issue_hidden_and_export(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    order = cli_order(station, 4)
    plain = station(
        "export", "hidden", "--order", str(order["order"]), "--out", str(tmp_path / "a.csv"), "--for", "printer"
    )
    assert plain.code == 1 and "not printed with hidden codes" in plain.err
    issued = station(
        "issue", "--enterprise", "1", "--product", "1", "--count", "3", "--hidden", "--json", check=True
    ).json()
    assert issued["hidden"] is True
    out = tmp_path / "b.csv"
    missing = station("export", "hidden", "--order", str(issued["order"]), "--out", str(out))
    assert missing.code != 0 and not out.exists()
    done = station(
        "export", "hidden", "--order", str(issued["order"]), "--out", str(out), "--for", "印刷厂", "--json", check=True
    ).json()
    assert done["count"] == 3 and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert station("audit", "verify").code == 0


def test_a_backup_carries_the_hidden_key(seeded: tuple[Home, int, int], tmp_path: Path) -> None:
    from station.backup import make_backup, restore_backup

    home, eid, pid = seeded
    order = issue_hidden(home, eid, pid, 2)
    code = make_code(home.key, order.first_serial)
    expected = hidden_code(hidden_key(home), code)
    make_backup(home, tmp_path / "station.backup", "correct horse battery")
    restored = tmp_path / "restored"
    restore_backup(tmp_path / "station.backup", "correct horse battery", restored)
    assert stat.S_IMODE((restored / HIDDEN_KEY_NAME).stat().st_mode) == 0o600
    again = Home.open(restored, operator="tester")
    assert hidden_code(hidden_key(again), code) == expected
    again.close()


def test_audit_verify_names_a_hidden_order_row_no_event_made(seeded: tuple[Home, int, int]) -> None:
    import sqlite3

    home, eid, pid = seeded
    issue_hidden(home, eid, pid, 2)
    plain = issue_codes(home, eid, pid, 2)
    assert home.ledger.verify_audit().ok  # type: ignore[attr-defined]
    db = sqlite3.connect(home.path / "ledger.sqlite3")
    db.execute("INSERT INTO hidden_orders (order_id, at) VALUES (?, '2026-12-02T00:00:00Z')", (plain.order,))
    db.commit()
    db.close()
    report = home.ledger.verify_audit()  # type: ignore[attr-defined]
    assert not report.ok and report.table == "hidden_orders" and report.kind == "extra"
    assert report.row == str(plain.order)


def test_cli_hidden_mark_and_prune(station) -> None:  # type: ignore[no-untyped-def]
    order = cli_order(station, 2)
    done = station("hidden", "mark", "--order", str(order["order"]), check=True)
    assert f"order {order['order']} will be printed with hidden codes" in done.out
    again = station("hidden", "mark", "--order", str(order["order"]))
    assert again.code == 1 and "already" in again.err
    pruned = station("hidden", "prune", check=True)
    assert "0 camera pictures" in pruned.out
