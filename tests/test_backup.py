"""Backups: made while the station writes, encrypted, checked before a restore replaces anything."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from station.backup import make_backup, read_backup, restore_backup
from station.cli import cli
from station.errors import ConfigError
from station.home import Home
from station.issue import issue_codes
from station.lookup import check_code

PASSPHRASE = "梅子熟了-2026-mouding"


def test_backup_wipe_restore_and_every_code_checks_again(seeded: tuple[Home, int, int], tmp_path: Path) -> None:
    home, eid, pid = seeded
    issued = issue_codes(home, eid, pid, 50)
    code = issued.first
    stop = threading.Event()

    def writer() -> None:  # the station keeps working while the backup is made
        with Home.open(home.path, operator="busy") as other:
            for _ in range(200):
                if stop.is_set():
                    return
                issue_codes(other, eid, pid, 1)

    busy = threading.Thread(target=writer)
    busy.start()
    out = tmp_path / "station.backup"
    try:
        info = make_backup(home, out, PASSPHRASE)
    finally:
        stop.set()
        busy.join(timeout=60)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    raw = out.read_bytes()
    assert home.key_path.read_bytes().strip() not in raw  # the key is not in the clear
    assert info.events >= 4 and info.ledger
    fingerprint = home.key.fingerprint
    home.close()
    shutil.rmtree(home.path)  # the station is lost
    restored = restore_backup(out, PASSPHRASE, home.path)
    assert restored.head == info.head
    with Home.open(home.path, operator="t") as back:
        assert back.key.fingerprint == fingerprint
        report = back.ledger.verify_audit()
        assert report.ok and report.events >= info.events
        assert check_code(back, code)["serial"] == issued.first_serial
    assert stat.S_IMODE(home.path.stat().st_mode) == 0o700
    assert stat.S_IMODE((home.path / "code.key").stat().st_mode) == 0o600


def test_a_wrong_passphrase_or_a_damaged_file_restores_nothing(seeded: tuple[Home, int, int], tmp_path: Path) -> None:
    home, _eid, _pid = seeded
    out = tmp_path / "b"
    make_backup(home, out, PASSPHRASE)
    before = sorted(p.name for p in home.path.iterdir())
    with pytest.raises(ConfigError) as wrong:
        restore_backup(out, PASSPHRASE + "x", home.path, replace=True)
    assert wrong.value.key == "backup.wrong_passphrase"
    data = bytearray(out.read_bytes())
    for damage, key in (
        (lambda d: d.__setitem__(len(d) // 2, d[len(d) // 2] ^ 1), "backup.wrong_passphrase"),  # one bit
        (lambda d: d.__delitem__(slice(len(d) - 40, None)), "backup.damaged"),  # cut short
        (lambda d: d.extend(b"\0" * 64), "backup.damaged"),  # something appended
    ):
        broken = bytearray(data)
        damage(broken)
        (tmp_path / "broken").write_bytes(bytes(broken))
        with pytest.raises(ConfigError) as err:
            restore_backup(tmp_path / "broken", PASSPHRASE, home.path, replace=True)
        assert err.value.key in ("backup.damaged", "backup.wrong_passphrase"), key
    assert sorted(p.name for p in home.path.iterdir()) == before  # nothing replaced, nothing added
    with pytest.raises(ConfigError) as in_use:
        restore_backup(out, PASSPHRASE, home.path)
    assert in_use.value.key == "backup.target_in_use"
    with pytest.raises(ConfigError) as weak:
        make_backup(home, tmp_path / "c", "short")
    assert weak.value.key == "backup.weak_passphrase"


def test_a_backup_whose_ledger_was_edited_is_not_restored(seeded: tuple[Home, int, int], tmp_path: Path) -> None:
    """A backup holding a tampered ledger (made from a station whose ledger was edited) is refused."""
    import sqlite3

    home, _eid, _pid = seeded
    home.close()
    db = sqlite3.connect(home.path / "ledger.sqlite3")
    for (trigger,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {trigger}")  # as someone editing the file would
    db.execute("UPDATE events SET operator = 'mallory' WHERE id = 2")
    db.commit()
    db.close()
    with Home.open(home.path, operator="t") as edited:
        out = tmp_path / "b"
        make_backup(edited, out, PASSPHRASE)
    info, files = read_backup(out, PASSPHRASE)
    assert "ledger.sqlite3" in files and "code.key" in files
    with pytest.raises(ConfigError) as err:
        restore_backup(out, PASSPHRASE, tmp_path / "elsewhere")
    assert err.value.key == "backup.chain_broken"
    assert not (tmp_path / "elsewhere" / "code.key").exists()


def test_backup_and_restore_on_the_command_line(tmp_path: Path) -> None:
    runner = CliRunner()
    home_dir = str(tmp_path / "home")
    env = {"STATION_BACKUP_PASSPHRASE": PASSPHRASE}
    assert runner.invoke(cli, ["--home", home_dir, "init"]).exit_code == 0
    out = tmp_path / "station.backup"
    made = runner.invoke(cli, ["--home", home_dir, "--lang", "en", "backup", "--out", str(out)], env=env)
    assert made.exit_code == 0, made.output
    assert "encrypted backup written" in made.output
    again = runner.invoke(cli, ["--home", home_dir, "--lang", "en", "backup", "--out", str(out)], env=env)
    assert again.exit_code != 0 and "never overwrites" in again.output
    no_pass = runner.invoke(cli, ["--home", home_dir, "--lang", "en", "backup", "--out", str(tmp_path / "x")])
    assert no_pass.exit_code != 0 and "STATION_BACKUP_PASSPHRASE" in no_pass.output
    restored = runner.invoke(
        cli, ["--home", str(tmp_path / "new"), "--lang", "en", "restore", str(out), "--json"], env=env
    )
    assert restored.exit_code == 0, restored.output
    assert '"events"' in restored.output
    assert os.path.exists(tmp_path / "new" / "code.key")


def test_restoring_an_older_backup_over_a_station_that_went_on(seeded: tuple[Home, int, int], tmp_path: Path) -> None:
    """The head record kept beside the ledger has moved past the backup: a deliberate restore starts it again, and
    the restored ledger then verifies (the replaced record is kept beside it)."""
    home, eid, pid = seeded
    runner = CliRunner()

    def audit() -> int:
        return runner.invoke(cli, ["--home", str(home.path), "audit", "verify"]).exit_code

    assert audit() == 0
    out = tmp_path / "b"
    make_backup(home, out, PASSPHRASE)
    issue_codes(home, eid, pid, 3)
    assert audit() == 0  # the kept head record moves on, past the backup
    home.close()
    restore_backup(out, PASSPHRASE, home.path, replace=True)
    assert (home.path / "audit-anchor.json.before-restore").exists()
    assert audit() == 0
