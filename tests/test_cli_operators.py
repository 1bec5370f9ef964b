"""The command line runs state-changing commands as a signed-in operator once the station has operators."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from station.cli import cli
from station.home import Home

CREDIT = "91532323MA6N0FRU1E"


@pytest.fixture
def home_dir(tmp_path: Path) -> str:
    path = str(tmp_path / "home")
    runner = CliRunner()
    assert runner.invoke(cli, ["--home", path, "init"]).exit_code == 0
    # no operators yet: the station is being set up, and its first admin is added without signing in
    added = runner.invoke(cli, ["--home", path, "operator", "add", "王主任", "--role", "admin", "--pin", "135790"])
    assert added.exit_code == 0, added.output
    return path


def _run(home_dir: str, *args: str, pin: str | None = None, operator: str | None = "王主任") -> tuple[int, str]:
    env = {"STATION_PIN": pin} if pin is not None else {}
    who = ["--operator", operator] if operator else []
    result = CliRunner().invoke(cli, ["--home", home_dir, "--lang", "en", *who, *args], env=env)
    return result.exit_code, result.output


def test_a_state_changing_command_needs_the_operators_pin(home_dir: str) -> None:
    add = ("enterprise", "add", "--name", "牟定县测试腐乳厂", "--credit-code", CREDIT)
    code, out = _run(home_dir, *add)  # no PIN and no terminal to ask in
    assert code != 0 and "STATION_PIN" in out
    code, out = _run(home_dir, *add, pin="000000")
    assert code != 0 and "wrong name or PIN" in out
    code, out = _run(home_dir, *add, pin="135790", operator="mallory")  # --operator is checked, not trusted
    assert code != 0 and "王主任" in out
    with Home.open(Path(home_dir), operator="t") as home:
        assert home.ledger.enterprises() == []
    code, out = _run(home_dir, *add, pin="135790")
    assert code == 0, out
    with Home.open(Path(home_dir), operator="t") as home:
        added = [e for e in home.ledger.events() if e["kind"] == "enterprise.added"]
        assert added and added[0]["operator"] == "王主任"


def test_roles_hold_on_the_command_line(home_dir: str) -> None:
    assert _run(home_dir, "operator", "add", "张三", "--role", "clerk", "--pin", "246802", pin="135790")[0] == 0
    code, out = _run(home_dir, "settings", "set", "ledger.busy_timeout_s", "12", pin="246802", operator="张三")
    assert code != 0 and "clerk" in out and "change settings" in out
    code, out = _run(
        home_dir, "operator", "add", "mallory", "--role", "admin", "--pin", "999999", pin="246802", operator="张三"
    )
    assert code != 0
    names = [o["name"] for o in Home.open(Path(home_dir), operator="t").ledger.operators()]
    assert "mallory" not in names
    # a short PIN is refused for a new operator (station.pin_length, 6 by default)
    code, out = _run(home_dir, "operator", "add", "李四", "--role", "qc", "--pin", "1234", pin="135790")
    assert code != 0 and "6 to 12 digits" in out


def test_disable_enable_and_reset_a_pin(home_dir: str) -> None:
    assert _run(home_dir, "operator", "add", "张三", "--role", "clerk", "--pin", "246802", pin="135790")[0] == 0
    assert _run(home_dir, "operator", "disable", "张三", pin="135790")[0] == 0
    code, out = _run(home_dir, "lot", "list", operator="张三")  # reading needs no sign-in
    assert code == 0
    code, out = _run(
        home_dir, "enterprise", "add", "--name", "甲", "--credit-code", CREDIT, pin="246802", operator="张三"
    )
    assert code != 0 and "disabled" in out
    code, out = _run(home_dir, "operator", "disable", "王主任", pin="135790")
    assert code != 0 and "last admin" in out
    assert _run(home_dir, "operator", "enable", "张三", pin="135790")[0] == 0
    assert _run(home_dir, "operator", "pin", "张三", "--pin", "112233", pin="135790")[0] == 0
    code, out = _run(
        home_dir, "enterprise", "add", "--name", "甲", "--credit-code", CREDIT, pin="112233", operator="张三"
    )
    assert code == 0, out
    code, out = _run(home_dir, "operator", "list", "--json")
    assert '"disabled": false' in out and "张三" in out
    with Home.open(Path(home_dir), operator="t") as home:
        kinds = [e["kind"] for e in home.ledger.events() if e["kind"].startswith("operator.")]
        assert {"operator.disabled", "operator.enabled", "operator.pin_reset"} <= set(kinds)
        assert home.ledger.verify_audit().ok
