"""Reading and changing one setting of a data directory's station.toml, keeping the file's comments.

A change is checked by the same validation as loading (``station.config``), written to a temporary file and
renamed into place, so a bad value or an interrupted write never leaves a settings file the station cannot read.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import tomllib
from pathlib import Path
from typing import Any

from station.config import CONFIG_NAME, Config, allowed_text, config_from_mapping, documented_config_path
from station.errors import ConfigError
from station.texts import TEXTS, t


@dataclasses.dataclass(frozen=True)
class Setting:
    """One setting: its dotted key, current value, default, what values it accepts and its name, the last two in
    the current language."""

    key: str
    value: Any
    default: Any
    allowed: str
    title: str = ""


def all_settings(config: Config) -> list[Setting]:
    """Every setting in the order of config/station.toml."""
    found = []
    for section in dataclasses.fields(Config):
        current = getattr(config, section.name)
        for f in dataclasses.fields(current):
            key = f"{section.name}.{f.name}"
            allowed = allowed_text(key, f.metadata["allowed"])
            found.append(Setting(key, getattr(current, f.name), f.default, allowed, setting_title(key)))
    return found


WORDED_VALUES = ("station.language", "printer.lang", "printer.media")  # settings whose values are shown by their names


def shown_setting(key: str, value: Any) -> str:
    """A setting's value as a person reads it and may type it back: yes/no, a language's or printer language's
    own name, anything else as it is."""
    if isinstance(value, bool):
        return t(f"setting.value.{str(value).lower()}")
    if key in WORDED_VALUES and f"setting.value.{value}" in TEXTS:
        return t(f"setting.value.{value}")
    return str(value)


def setting_title(key: str) -> str:
    """A setting's name in the current language ("时区" for station.timezone); the key itself if it has none."""
    return t(f"setting.{key}") if f"setting.{key}" in TEXTS else key


def _typed_back(key: str, text: str) -> str:
    """A value typed as shown_setting shows it, as the settings file keeps it ("中文" -> "zh")."""
    if key in WORDED_VALUES:
        for value_key, pair in TEXTS.items():
            if value_key.startswith("setting.value.") and text.casefold() in (p.casefold() for p in pair):
                return value_key.removeprefix("setting.value.")
    return text


def parse_value(key: str, text: str) -> Any:
    """A typed value for ``key`` from what a person typed (true/false, numbers, or text as it is)."""
    setting = next((s for s in all_settings(Config()) if s.key == key), None)
    if setting is None:
        raise ConfigError(
            "config.unknown_key", file=CONFIG_NAME, key=key, allowed=", ".join(s.key for s in all_settings(Config()))
        )
    text = _typed_back(key, text.strip())
    default = setting.default
    try:
        if isinstance(default, bool):
            lowered = text.lower()
            if lowered in ("true", "yes", "1", "是", "开"):
                return True
            if lowered in ("false", "no", "0", "否", "关"):
                return False
            raise ValueError(text)
        if isinstance(default, int):
            return int(text)
        if isinstance(default, float):
            return float(text)
    except ValueError as err:
        raise ConfigError("config.bad_value", key=key, value=text, allowed=setting.allowed) from err
    return text


def set_setting(home: Path, key: str, text: str) -> Config:
    """Change one setting in ``home``/station.toml (created from the documented file when missing)."""
    from drivers.printers.models import set_directories

    set_directories([home / "printers"])
    value = parse_value(key, text)
    section, name = key.split(".", 1)
    path = home / CONFIG_NAME
    if path.exists():
        source = path.read_text(encoding="utf-8")
    elif documented_config_path().exists():
        source = documented_config_path().read_text(encoding="utf-8")
    else:
        source = ""
    try:
        raw = tomllib.loads(source)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError("config.unreadable", file=str(path), reason=str(err)) from err
    raw.setdefault(section, {})[name] = value
    config = config_from_mapping(raw, str(path))  # the same checks as loading: a bad value stops here
    updated = _with_line(source, section, name, _toml_value(value))
    if tomllib.loads(updated).get(section, {}).get(name) != value:  # the edit must say what was asked
        raise ConfigError("config.unreadable", file=str(path), reason=key)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(updated)
    os.chmod(tmp, 0o600)  # a .part left over from before keeps its old mode through O_TRUNC
    os.replace(tmp, path)
    return config


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string


def _with_line(source: str, section: str, name: str, value: str) -> str:
    """The file with ``name = value`` in ``[section]``: the existing line replaced, else added to the section."""
    lines = source.splitlines()
    current = None
    start = None
    for i, line in enumerate(lines):
        header = re.fullmatch(r"\s*\[([A-Za-z0-9_\-]+)\]\s*(#.*)?", line)
        if header:
            current = header.group(1)
            if current == section:
                start = i
            continue
        if current == section and re.match(rf"\s*{re.escape(name)}\s*=", line):
            lines[i] = f"{name} = {value}"
            return "\n".join(lines) + "\n"
    if start is None:
        lines += ["", f"[{section}]", f"{name} = {value}"]
    else:
        lines.insert(start + 1, f"{name} = {value}")
    return "\n".join(lines) + "\n"
