"""Printer models as data: one TOML file per model, read from ``drivers/printers/models/`` and any directory added
with ``add_directory`` (the station adds ``<data dir>/printers``). A new model is a new file; its name is the
file's name without ``.toml`` (``tsc-te244``). A file in an added directory replaces a shipped one of the same name.

A model gives what the station cannot ask the printer: its language, resolutions, print width, speed and darkness
ranges, media kinds, the status commands it answers, its USB ids and its quirks. ``check_media`` holds a job's
media settings against those ranges; values a manufacturer's document did not confirm are listed in the file's
``unconfirmed``.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drivers.errors import DeviceFault

SHIPPED = Path(__file__).resolve().parent
MEDIA_KINDS = ("gap", "mark", "continuous")
METHODS = ("direct", "transfer", "both")
# darkness each language takes when no model narrows it: TSPL DENSITY 0-15, ZPL ~SD 0-30; ESC/POS has none
LANGUAGE_DARKNESS: dict[str, tuple[int, int] | None] = {"tspl": (0, 15), "zpl": (0, 30), "escpos": None}
KNOWN_QUIRKS = frozenset({"no_realtime_off", "zpl_hs_only", "no_calibrate"})

_extra_dirs: list[Path] = []


@dataclass(frozen=True)
class PrinterModel:
    """One printer model's profile."""

    id: str
    name: str
    maker: str
    lang: str
    dpi: tuple[int, ...]
    print_width_mm: float
    max_speed_mm_s: float
    darkness: tuple[int, int] | None  # the language's darkness range on this model; None: not settable
    media: tuple[str, ...]
    method: str = "direct"
    status: tuple[str, ...] = ()
    usb: tuple[tuple[int, int], ...] = ()
    connections: tuple[str, ...] = ()
    default_speed_mm_s: float = 0.0
    default_darkness: int = -1
    quirks: tuple[str, ...] = ()
    unconfirmed: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    path: Path | None = field(default=None, compare=False)

    def usb_ids(self) -> list[str]:
        """The USB ids as VID:PID in hex."""
        return [f"{vid:04x}:{pid:04x}" for vid, pid in self.usb]


class ModelFileError(ValueError):
    """A model file that cannot be read; the message names the file and the key."""


def _need(raw: dict[str, Any], key: str, kind: type | tuple[type, ...], path: Path) -> Any:
    value = raw.get(key)
    if value is None or isinstance(value, bool) and kind is not bool or not isinstance(value, kind):
        raise ModelFileError(f"{path}: {key} is missing or not {getattr(kind, '__name__', kind)}")
    return value


def _usb_id(text: str, path: Path) -> tuple[int, int]:
    try:
        vid, pid = (int(part, 16) for part in text.split(":"))
    except ValueError as err:
        raise ModelFileError(f"{path}: usb id {text!r} is not VID:PID in hex") from err
    if not (0 <= vid <= 0xFFFF and 0 <= pid <= 0xFFFF):
        raise ModelFileError(f"{path}: usb id {text!r} is not two 16-bit numbers")
    return vid, pid


def load_model(path: Path) -> PrinterModel:
    """One model from its TOML file; ModelFileError says what is wrong with it."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise ModelFileError(f"{path}: {err}") from err
    lang = _need(raw, "lang", str, path)
    if lang not in LANGUAGE_DARKNESS:
        raise ModelFileError(f"{path}: lang must be one of {', '.join(LANGUAGE_DARKNESS)}")
    dpi = _need(raw, "dpi", list, path)
    if not dpi or not all(isinstance(v, int) and 100 <= v <= 600 for v in dpi):
        raise ModelFileError(f"{path}: dpi must list resolutions such as [203, 300]")
    media = tuple(_need(raw, "media", list, path))
    if not media or any(kind not in MEDIA_KINDS for kind in media):
        raise ModelFileError(f"{path}: media must list some of {', '.join(MEDIA_KINDS)}")
    darkness = raw.get("darkness")
    if darkness is not None:
        if not (isinstance(darkness, list) and len(darkness) == 2 and all(isinstance(v, int) for v in darkness)):
            raise ModelFileError(f"{path}: darkness must be [lowest, highest]")
        darkness = (darkness[0], darkness[1])
    method = raw.get("method", "direct")
    if method not in METHODS:
        raise ModelFileError(f"{path}: method must be one of {', '.join(METHODS)}")
    quirks = tuple(raw.get("quirks", []))
    if unknown := [q for q in quirks if q not in KNOWN_QUIRKS]:
        raise ModelFileError(f"{path}: unknown quirks {unknown}; known: {', '.join(sorted(KNOWN_QUIRKS))}")
    speed = _need(raw, "max_speed_mm_s", (int, float), path)
    width = _need(raw, "print_width_mm", (int, float), path)
    default_speed = float(raw.get("default_speed_mm_s", 0.0))
    default_darkness = int(raw.get("default_darkness", -1))
    model = PrinterModel(
        id=path.stem,
        name=_need(raw, "name", str, path),
        maker=_need(raw, "maker", str, path),
        lang=lang,
        dpi=tuple(dpi),
        print_width_mm=float(width),
        max_speed_mm_s=float(speed),
        darkness=darkness,
        media=media,
        method=method,
        status=tuple(raw.get("status", [])),
        usb=tuple(_usb_id(text, path) for text in raw.get("usb", [])),
        connections=tuple(raw.get("connections", [])),
        default_speed_mm_s=default_speed,
        default_darkness=default_darkness,
        quirks=quirks,
        unconfirmed=tuple(raw.get("unconfirmed", [])),
        sources=tuple(raw.get("sources", [])),
        path=path,
    )
    problem = media_problem(model, lang, default_speed, default_darkness, media[0])
    if problem is not None:
        raise ModelFileError(f"{path}: default {problem[0]} {problem[1]} is outside {problem[2]}")
    return model


def add_directory(path: Path) -> None:
    """Read models from ``path`` too (files there replace shipped ones of the same name)."""
    path = Path(path)
    if path not in _extra_dirs:
        _extra_dirs.append(path)


def set_directories(paths: list[Path]) -> None:
    """Read models from the shipped directory and exactly these."""
    _extra_dirs[:] = [Path(p) for p in paths]


def catalogue() -> dict[str, PrinterModel]:
    """Every model by name, read fresh: shipped files, then the added directories'. A file that cannot be read
    in an added directory is skipped (``broken_files`` lists it); a shipped one is a bug and raises."""
    models: dict[str, PrinterModel] = {}
    for path in sorted(SHIPPED.glob("*.toml")):
        models[path.stem] = load_model(path)
    for directory in _extra_dirs:
        for path in sorted(directory.glob("*.toml")) if directory.is_dir() else []:
            try:
                models[path.stem] = load_model(path)
            except ModelFileError:
                continue
    return models


def broken_files() -> list[str]:
    """Model files in the added directories that cannot be read, with the reason."""
    found = []
    for directory in _extra_dirs:
        for path in sorted(directory.glob("*.toml")) if directory.is_dir() else []:
            try:
                load_model(path)
            except ModelFileError as err:
                found.append(str(err))
    return found


def find_model(name: str) -> PrinterModel | None:
    """The model of that name, or None."""
    return catalogue().get(name)


def models_for_usb(vid: int, pid: int) -> list[PrinterModel]:
    """Every model whose USB ids include vid:pid, by name (makers reuse one id across models)."""
    return [m for _, m in sorted(catalogue().items()) if (vid, pid) in m.usb]


def model_for_usb(vid: int, pid: int) -> PrinterModel | None:
    """The first model (by name) whose USB ids include vid:pid."""
    found = models_for_usb(vid, pid)
    return found[0] if found else None


def darkness_range(lang: str, model: PrinterModel | None) -> tuple[int, int] | None:
    """The darkness values a job may carry: the model's range, else the language's; None when not settable."""
    if model is not None:
        return model.darkness
    return LANGUAGE_DARKNESS.get(lang)


def media_problem(
    model: PrinterModel | None, lang: str, speed_mm_s: float, darkness: int, media: str
) -> tuple[str, object, str] | None:
    """The first media setting a printer cannot take, as (setting, value, what it takes); None when all fit.

    ``speed_mm_s`` 0 and ``darkness`` -1 keep the printer's own setting and always fit."""
    where = f" ({model.name})" if model is not None else ""
    if darkness != -1:
        allowed = darkness_range(lang, model)
        if allowed is None:
            return "darkness", darkness, f"-1: {lang} darkness is not set by a job{where}"
        if not allowed[0] <= darkness <= allowed[1]:
            return "darkness", darkness, f"-1 or {allowed[0]} to {allowed[1]}{where}"
    if speed_mm_s:
        if lang == "escpos":
            return "speed_mm_s", speed_mm_s, f"0: {lang} speed is not set by a job{where}"
        top = model.max_speed_mm_s if model is not None else 300.0
        if not 25 <= speed_mm_s <= top:
            return "speed_mm_s", speed_mm_s, f"0 or 25 to {top:g} mm/s{where}"
    kinds = model.media if model is not None else MEDIA_KINDS
    if media not in kinds:
        return "media", media, f"one of {', '.join(kinds)}{where}"
    return None


def check_media(model: PrinterModel | None, lang: str, speed_mm_s: float, darkness: int, media: str) -> None:
    """DeviceFault ``dev.media_setting`` naming the first media setting the printer cannot take."""
    problem = media_problem(model, lang, speed_mm_s, darkness, media)
    if problem is not None:
        setting, value, allowed = problem
        raise DeviceFault("dev.media_setting", setting=f"printer.{setting}", value=value, allowed=allowed)


__all__ = [
    "MEDIA_KINDS",
    "ModelFileError",
    "PrinterModel",
    "add_directory",
    "broken_files",
    "catalogue",
    "check_media",
    "darkness_range",
    "find_model",
    "load_model",
    "media_problem",
    "model_for_usb",
    "models_for_usb",
    "set_directories",
]
