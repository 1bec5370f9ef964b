"""Settings: the documented file matches the defaults; bad settings name the key, value and what is allowed."""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

import pytest

from station.config import Config, config_from_mapping, default_home, documented_config_path, load_config
from station.errors import ConfigError


def test_documented_file_lists_every_setting_with_its_default() -> None:
    raw = tomllib.loads(documented_config_path().read_text(encoding="utf-8"))
    defaults = Config()
    for section in dataclasses.fields(Config):
        documented = raw[section.name]
        values = dataclasses.asdict(getattr(defaults, section.name))
        assert documented == values, section.name
    assert set(raw) == {f.name for f in dataclasses.fields(Config)}
    assert config_from_mapping(raw) == defaults


def test_unknown_key_is_named(tmp_path: Path) -> None:
    (tmp_path / "station.toml").write_text('[codes]\nbase_ur1 = "https://x.example.org"\n')
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert "codes.base_ur1" in info.value.message and "codes.base_url" in info.value.message


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ('[codes]\nbase_url = "ftp://x"\n', "codes.base_url"),
        ('[codes]\nbase_url = "https://x.example.org/"\n', "codes.base_url"),
        ("[codes]\nmax_per_order = 0\n", "codes.max_per_order"),
        ('[codes]\nmax_per_order = "many"\n', "codes.max_per_order"),
        ('[station]\nlanguage = "fr"\n', "station.language"),
        ('[scheme]\ncounty_code = "5323"\n', "scheme.county_code"),
        ("[ledger]\nbusy_timeout_s = true\n", "ledger.busy_timeout_s"),
        ('[ledger]\nurl = "postgres://x"\n', "ledger.url"),
        ('station = "x"\n', "station"),
    ],
)
def test_bad_value_names_key_value_and_allowed(tmp_path: Path, toml: str, key: str) -> None:
    (tmp_path / "station.toml").write_text(toml)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    message = info.value.message
    assert key in message
    assert "allowed" not in info.value.params or info.value.params["allowed"] in message


def test_broken_toml_is_reported_with_the_file(tmp_path: Path) -> None:
    (tmp_path / "station.toml").write_text("[codes\n")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert str(tmp_path / "station.toml") in info.value.message


def test_override_keeps_other_defaults(tmp_path: Path) -> None:
    (tmp_path / "station.toml").write_text('[station]\nid = "MD-02"\n[ledger]\nbusy_timeout_s = 3\n')
    config = load_config(tmp_path)
    assert config.station.id == "MD-02"
    assert config.ledger.busy_timeout_s == 3.0
    assert config.codes == Config().codes


def test_home_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("STATION_HOME", str(tmp_path / "x"))
    assert default_home() == tmp_path / "x"
    monkeypatch.delenv("STATION_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_home() == tmp_path / "xdg" / "trace-station"
