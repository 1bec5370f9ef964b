"""Changing one setting: checked like loading, comments kept, never half-written; the CLI and the app's screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from station.config import load_config
from station.errors import ConfigError
from station.home import Home
from station.settings import all_settings, set_setting


def test_a_change_keeps_the_rest_of_the_file(home: Home) -> None:
    before = (home.path / "station.toml").read_text(encoding="utf-8")
    set_setting(home.path, "printer.dpi", "300")
    set_setting(home.path, "codes.base_url", "https://q.example.cn/c")
    set_setting(home.path, "printer.cut", "是")
    after = (home.path / "station.toml").read_text(encoding="utf-8")
    config = load_config(home.path)
    assert config.printer.dpi == 300 and config.printer.cut is True
    assert config.codes.base_url == "https://q.example.cn/c"
    changed = [(a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed) == 3 and all(a.split("=")[0] == b.split("=")[0] for a, b in changed)  # comments untouched


def test_bad_values_and_keys_are_refused_and_nothing_is_written(home: Home) -> None:
    path = home.path / "station.toml"
    before = path.read_bytes()
    for key, value in (("printer.dpi", "250"), ("printer.dpi", "many"), ("printer.colour", "red"), ("verify", "x")):
        with pytest.raises(ConfigError):
            set_setting(home.path, key, value)
    assert path.read_bytes() == before and not list(home.path.glob("*.part"))


def test_a_missing_setting_or_section_is_added(tmp_path: Path) -> None:
    (tmp_path / "station.toml").write_text('[station]\nid = "MD-02"\n', encoding="utf-8")
    set_setting(tmp_path, "station.language", "en")
    set_setting(tmp_path, "verify.min_grade", "3")
    config = load_config(tmp_path)
    assert (config.station.id, config.station.language, config.verify.min_grade) == ("MD-02", "en", 3.0)
    assert {s.key for s in all_settings(config)} >= {"station.id", "verify.min_grade", "printer.uri"}


def test_settings_command(station) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    assert station("settings", "set", "printer.lang", "zpl", check=True).code == 0
    shown = station("settings", "--json", check=True).json()["settings"]
    assert shown["printer.lang"] == "zpl" and shown["printer.dpi"] == 203
    refused = station("settings", "set", "printer.lang", "pcl")
    assert refused.code != 0 and "printer.lang" in refused.err + refused.out


def test_values_are_shown_by_name_and_typed_back_that_way(home: Home) -> None:
    """Yes/no and the languages are shown by their names (是/否, 中文, TSPL) and may be typed back as shown."""
    from station.settings import shown_setting
    from station.texts import set_language

    set_language("zh")
    try:
        found = {s.key: s for s in all_settings(home.config)}
        assert found["station.timezone"].title == "时区" and "Asia/Shanghai" in found["station.timezone"].allowed
        shown = {
            key: shown_setting(key, found[key].value) for key in ("printer.cut", "station.language", "printer.lang")
        }
        assert shown == {"printer.cut": "否", "station.language": "中文", "printer.lang": "TSPL"}
        for key, typed, kept in (
            ("printer.cut", "是", True),
            ("station.language", "English", "en"),
            ("printer.lang", "zpl", "zpl"),
        ):
            set_setting(home.path, key, typed)
            section, name = key.split(".")
            assert getattr(getattr(load_config(home.path), section), name) == kept
        set_setting(home.path, "printer.lang", "ESC/POS")
        assert load_config(home.path).printer.lang == "escpos"
        with pytest.raises(ConfigError) as refused:
            set_setting(home.path, "printer.dpi", "250")
        assert "203 或 300" in refused.value.message
    finally:
        set_language("en")
