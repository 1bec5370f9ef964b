"""What only the station's user may read: modes from creation, init tightening an old directory, masked passwords."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from click.testing import CliRunner

from station.cli import cli
from station.home import Home
from station.redact import masked, unmasked


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_data_directory_is_private_from_creation(tmp_path: Path) -> None:
    home_dir = tmp_path / "home"
    old = os.umask(0o022)  # the usual umask, which would leave files 0644 and directories 0755
    try:
        result = CliRunner().invoke(cli, ["--home", str(home_dir), "init"])
        assert result.exit_code == 0, result.output
        with Home.open(home_dir, operator="t") as home:
            home.ledger.set_meta("touched", "1")  # the WAL exists while the ledger is open
            assert (home_dir / "ledger.sqlite3-wal").exists()
            for name in ("ledger.sqlite3", "ledger.sqlite3-wal", "code.key", "station.toml"):
                assert _mode(home_dir / name) == 0o600, name
        assert _mode(home_dir) == 0o700 and _mode(home_dir / "captures") == 0o700
        result = CliRunner().invoke(cli, ["--home", str(home_dir), "settings", "set", "ledger.busy_timeout_s", "12"])
        assert result.exit_code == 0, result.output
        assert _mode(home_dir / "station.toml") == 0o600
    finally:
        os.umask(old)


def test_init_tightens_an_existing_directory_and_says_so(tmp_path: Path) -> None:
    home_dir = tmp_path / "home"
    assert CliRunner().invoke(cli, ["--home", str(home_dir), "init"]).exit_code == 0
    home_dir.chmod(0o755)
    (home_dir / "ledger.sqlite3").chmod(0o644)
    (home_dir / "station.toml").chmod(0o664)
    (home_dir / "code.key").chmod(0o640)  # the group alone may read it: still too open
    result = CliRunner().invoke(cli, ["--home", str(home_dir), "--lang", "en", "init"])
    assert result.exit_code == 0, result.output
    assert "only this user can" in result.output
    assert str(home_dir / "ledger.sqlite3") in result.output and str(home_dir / "station.toml") in result.output
    assert str(home_dir / "code.key") in result.output
    assert str(home_dir / "captures") not in result.output  # already private: not listed
    assert _mode(home_dir) == 0o700 and _mode(home_dir / "code.key") == 0o600
    assert _mode(home_dir / "ledger.sqlite3") == 0o600 and _mode(home_dir / "station.toml") == 0o600
    again = CliRunner().invoke(cli, ["--home", str(home_dir), "--lang", "en", "init"])
    assert "only this user can" not in again.output


SECRET = "Xq7-s3cret"


def test_passwords_in_urls_are_masked_in_every_output(tmp_path: Path) -> None:
    home_dir = tmp_path / "home"
    runner = CliRunner()
    assert runner.invoke(cli, ["--home", str(home_dir), "init"]).exit_code == 0
    url = f"rtsp://admin:{SECRET}@192.168.1.64/stream1"
    saved = runner.invoke(cli, ["--home", str(home_dir), "settings", "set", "verify.camera", url])
    assert saved.exit_code == 0, saved.output
    listed = runner.invoke(cli, ["--home", str(home_dir), "settings"])
    as_json = runner.invoke(cli, ["--home", str(home_dir), "settings", "--json"])
    for out in (saved.output, listed.output, as_json.output):
        assert SECRET not in out
        assert "rtsp://admin:***@192.168.1.64/stream1" in out
    assert SECRET in (home_dir / "station.toml").read_text(encoding="utf-8")  # kept where the station needs it


def test_masking_rules() -> None:
    assert masked(f"postgresql://ts:{SECRET}@db:5432/trace") == "postgresql://ts:***@db:5432/trace"
    assert masked(f"host=db password={SECRET} dbname=trace") == "host=db password=*** dbname=trace"
    assert masked("socket://127.0.0.1:9100") == "socket://127.0.0.1:9100"  # a port is not a password
    assert masked("sqlite:////srv/station/ledger.sqlite3") == "sqlite:////srv/station/ledger.sqlite3"
    # a form that showed the mask: left as it was, the real value stays; typed anew, the new one is taken
    current = f"postgresql://ts:{SECRET}@db/trace"
    assert unmasked("postgresql://ts:***@db/trace", current) == current
    assert unmasked("postgresql://ts:new@db/trace", current) == "postgresql://ts:new@db/trace"
    assert unmasked("***", "***") == "***"
