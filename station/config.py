"""Settings: embedded defaults, overridden by a TOML file, validated with errors that name the key.

The documented copy of every setting and its default is ``config/station.toml``; a test keeps that file and
the defaults below identical. The data directory (ledger, key, captures) comes from ``--home``, then
``STATION_HOME``, then ``$XDG_DATA_HOME/trace-station`` (``~/.local/share/trace-station``).
"""

from __future__ import annotations

import dataclasses
import getpass
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from station.errors import ConfigError
from station.texts import TEXTS, t
from station.zones import DEFAULT_ZONE, is_zone

CONFIG_NAME = "station.toml"


def _setting(default: Any, allowed: str, check: Callable[[Any], bool] = lambda _v: True) -> Any:
    return field(default=default, metadata={"allowed": allowed, "check": check})


def _is_url_base(value: str) -> bool:
    return bool(re.fullmatch(r"https?://[A-Za-z0-9.\-]+(:\d{1,5})?(/[A-Za-z0-9._~\-/]*)?", value)) and not (
        value.endswith("/")
    )


def parse_lines(value: str) -> list[tuple[str, str]]:
    """The (printer URI, camera URI) pairs of a [printer] more_lines value: ``PRINTER_URI CAMERA_URI`` pairs
    separated by ';'. A ValueError names the part that is not one."""
    lines = []
    for part in value.split(";"):
        words = part.split()
        if not words:
            continue
        if len(words) != 2 or not re.fullmatch(_PRINTER_URI, words[0]):
            raise ValueError(part.strip())
        lines.append((words[0], words[1]))
    return lines


def _are_lines(value: str) -> bool:
    try:
        parse_lines(value)
    except ValueError:
        return False
    return True


def _is_postgres_url(value: str) -> bool:
    """postgresql:// or postgres://, optional user[:password]@, host (empty: the local socket), optional port, and a
    database name, optionally followed by ?parameters (sslmode=…)."""
    return bool(re.fullmatch(r"postgres(ql)?://([^@/\s]+@)?[^@/\s:]*(:\d{1,5})?/[^/?\s]+(\?\S*)?", value))


@dataclass(frozen=True)
class StationSection:
    """Who this station is."""

    id: str = _setting(
        "MD-01", "1-32 letters, digits, '-' or '_'", lambda v: bool(re.fullmatch(r"[A-Za-z0-9_\-]{1,32}", v))
    )
    operator: str = _setting("", "a name up to 64 characters, or empty for the login user", lambda v: len(v) <= 64)
    language: str = _setting("zh", "one of: zh, en", lambda v: v in ("zh", "en"))
    pin_length: int = _setting(6, "4 to 12 (digits a new PIN needs at least)", lambda v: 4 <= v <= 12)
    timezone: str = _setting(DEFAULT_ZONE, "an IANA time zone name, e.g. Asia/Shanghai or UTC", is_zone)
    idle_sign_out_min: int = _setting(15, "minutes from 0 (never) to 1440", lambda v: 0 <= v <= 1440)


@dataclass(frozen=True)
class CodesSection:
    """How codes and their QR payloads are made."""

    base_url: str = _setting(
        "https://trace.example.org/c",
        "an http(s) URL without a trailing '/', e.g. https://trace.example.org/c",
        _is_url_base,
    )
    max_per_order: int = _setting(2_000_000, "an integer from 1 to 100000000", lambda v: 1 <= v <= 100_000_000)
    issue_unreleased_lots: bool = _setting(False, "true or false")


@dataclass(frozen=True)
class SchemeSection:
    """The county scheme the station serves."""

    county_code: str = _setting(
        "532323", "a 6-digit GB/T 2260 division code", lambda v: bool(re.fullmatch(r"\d{6}", v))
    )


@dataclass(frozen=True)
class LabelsSection:
    """How labels are rendered."""

    font: str = _setting("", "empty (find a Chinese font) or the path of a .ttf/.ttc/.otf file", lambda v: True)
    template: str = _setting(
        "trace-40x30", "a template name from `station label list`", lambda v: bool(re.fullmatch(r"[\w.\-]+", v))
    )


_PRINTER_URI = (
    r"(socket://[^\s/]+(:\d{1,5})?|serial://\S+|usb://[0-9A-Fa-f]{4}:[0-9A-Fa-f]{4}(\?serial=\S+)?|file:///\S+)"
)


@dataclass(frozen=True)
class PrinterSection:
    """The label printer."""

    uri: str = _setting(
        "socket://127.0.0.1:9100",
        "socket://HOST:PORT, serial:///dev/ttyUSB0?baudrate=9600, usb://VID:PID[?serial=SN] or file:///dev/usb/lp0",
        lambda v: bool(re.fullmatch(_PRINTER_URI, v)),
    )
    lang: str = _setting("tspl", "one of: escpos, tspl, zpl", lambda v: v in ("escpos", "tspl", "zpl"))
    dpi: int = _setting(203, "203 or 300 (180: Epson receipt printers)", lambda v: v in (180, 203, 300))
    gap_mm: float = _setting(2.0, "millimetres from 0 to 20", lambda v: 0 <= v <= 20)
    cut: bool = _setting(False, "true (receipt printer: cut after each label) or false", lambda v: True)
    timeout_s: float = _setting(5.0, "seconds from 0.5 to 120", lambda v: 0.5 <= v <= 120)
    status_timeout_s: float = _setting(0.5, "seconds from 0.05 to 10", lambda v: 0.05 <= v <= 10)
    model: str = _setting(
        "",
        "empty (no model) or a model name from `station printer models`, e.g. tsc-te244",
        lambda v: v == "" or bool(re.fullmatch(r"[A-Za-z0-9_.\-]{1,64}", v)),
    )
    media: str = _setting("gap", "one of: gap, mark, continuous", lambda v: v in ("gap", "mark", "continuous"))
    darkness: int = _setting(
        -1, "-1 (the printer's own) or 0 to 15 (TSPL), 0 to 30 (ZPL), within the model's range", lambda v: -1 <= v <= 30
    )
    speed_mm_s: float = _setting(
        0.0, "0 (the printer's own) or mm/s from 25 to the model's fastest", lambda v: v == 0 or 25 <= v <= 400
    )
    mark_mm: float = _setting(3.0, "millimetres from 0 to 25: the black mark's height", lambda v: 0 <= v <= 25)
    offset_mm: float = _setting(
        0.0, "millimetres from -10 to 25: where the gap or mark sits from the label's edge", lambda v: -10 <= v <= 25
    )
    more_lines: str = _setting(
        "",
        "empty, or PRINTER_URI CAMERA_URI pairs separated by ';', e.g. socket://192.168.1.52:9100 /dev/video1",
        lambda v: _are_lines(v),
    )


# the [printer] settings a model fills when station.toml leaves them out or at their default
MODEL_FILLS = ("lang", "dpi", "media", "darkness", "speed_mm_s")


@dataclass(frozen=True)
class VerifySection:
    """Label verification by camera."""

    camera: str = _setting(
        "http://127.0.0.1:8081/stream.mjpg",
        "/dev/videoN, video://N, an http(s)/rtsp stream URL, file:///path/frame_%04d.png or dir:///path",
        lambda v: bool(re.fullmatch(r"(/dev/video\d+|video://\d+|https?://\S+|rtsp://\S+|file:///\S+|dir:///\S+)", v)),
    )
    min_grade: float = _setting(2.0, "a grade from 0.0 to 4.0 (2.0 = C)", lambda v: 0.0 <= v <= 4.0)
    frame_timeout_s: float = _setting(2.0, "seconds from 0.2 to 30", lambda v: 0.2 <= v <= 30)
    latency_s: float = _setting(0.1, "seconds from 0 to 5: camera pipeline delay", lambda v: 0 <= v <= 5)
    keep_up_s: float = _setting(
        10.0, "seconds from 1 to 600: longest wait for the camera to show a label", lambda v: 1 <= v <= 600
    )
    capture_retention_h: float = _setting(72.0, "hours from 0 to 8760", lambda v: 0 <= v <= 8760)


@dataclass(frozen=True)
class PickupSection:
    """Handing rolls over at the counter."""

    scanner: str = _setting(
        "serial:///dev/trace-station/scanner-0?suffix=CR",
        "serial://PATH[?baudrate=…&suffix=CR|LF|CRLF|TAB|none&framing=stx&aim=1] or evdev:///dev/input/…",
        lambda v: bool(re.fullmatch(r"(serial|evdev)://\S+", v)),
    )
    slip_printer: str = _setting(
        "", "empty (no slip) or a receipt printer URI, e.g. socket://127.0.0.1:9101", lambda v: v == "" or "://" in v
    )
    undo_window_min: int = _setting(30, "minutes from 0 to 1440", lambda v: 0 <= v <= 1440)


@dataclass(frozen=True)
class LedgerSection:
    """Where the ledger lives."""

    url: str = _setting(
        "",
        "empty (ledger.sqlite3 in the data directory), sqlite:///PATH or postgresql://USER:PASSWORD@HOST:PORT/DATABASE",
        lambda v: v == "" or v.startswith("sqlite:///") or _is_postgres_url(v),
    )
    busy_timeout_s: float = _setting(10.0, "seconds from 0.1 to 600", lambda v: 0.1 <= v <= 600)


def _is_listen(value: str) -> bool:
    return (
        bool(re.fullmatch(r"(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+):\d{1,5}", value))
        and 0 < int(value.rsplit(":", 1)[1]) < 65536
    )


def _are_addresses(value: str) -> bool:
    import ipaddress

    try:
        return all(ipaddress.ip_network(v, strict=False) for v in value.replace(",", " ").split())
    except ValueError:
        return False


@dataclass(frozen=True)
class QuerySection:
    """The consumer query service (`station serve`): copy detection, rate limits, counter batching."""

    listen: str = _setting("127.0.0.1:8080", "HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080", _is_listen)
    warn_after: int = _setting(5, "an integer from 1 to 1000000", lambda v: 1 <= v <= 1_000_000)
    anomaly_window_min: int = _setting(60, "minutes from 0 (off) to 10080", lambda v: 0 <= v <= 10080)
    rate_per_min: float = _setting(60.0, "tokens per minute from 0.1 to 1e9", lambda v: 0.1 <= v <= 1e9)
    rate_burst: int = _setting(30, "an integer from 1 to 1000000000", lambda v: 1 <= v <= 1_000_000_000)
    failed_cost: int = _setting(5, "an integer from 1 to 1000", lambda v: 1 <= v <= 1000)
    network_rate_per_min: float = _setting(600.0, "tokens per minute from 0.1 to 1e9", lambda v: 0.1 <= v <= 1e9)
    network_burst: int = _setting(300, "an integer from 1 to 1000000000", lambda v: 1 <= v <= 1_000_000_000)
    reports_per_hour: int = _setting(5, "an integer from 1 to 10000", lambda v: 1 <= v <= 10_000)
    trusted_proxies: str = _setting(
        "", 'IP addresses or networks separated by spaces, e.g. "127.0.0.1 ::1", or empty', _are_addresses
    )
    flush_interval_s: float = _setting(0.5, "seconds from 0.01 to 60", lambda v: 0.01 <= v <= 60)
    flush_max: int = _setting(500, "an integer from 1 to 100000", lambda v: 1 <= v <= 100_000)
    max_header_bytes: int = _setting(16384, "bytes from 1024 to 1048576", lambda v: 1024 <= v <= 1_048_576)
    header_timeout_s: float = _setting(10.0, "seconds from 0.1 to 300", lambda v: 0.1 <= v <= 300)
    body_timeout_s: float = _setting(10.0, "seconds from 0.1 to 300", lambda v: 0.1 <= v <= 300)
    keepalive_timeout_s: float = _setting(5.0, "seconds from 0.1 to 300", lambda v: 0.1 <= v <= 300)
    max_connections: int = _setting(1000, "an integer from 1 to 100000", lambda v: 1 <= v <= 100_000)
    workers: int = _setting(1, "an integer from 1 to 64", lambda v: 1 <= v <= 64)
    allow_http: bool = _setting(False, "true or false")
    hidden_wrong_per_day: int = _setting(5, "an integer from 1 to 1000", lambda v: 1 <= v <= 1000)
    hidden_client_per_hour: int = _setting(20, "an integer from 1 to 100000", lambda v: 1 <= v <= 100_000)
    hidden_flag_after: int = _setting(10, "an integer from 1 to 1000000", lambda v: 1 <= v <= 1_000_000)


@dataclass(frozen=True)
class Config:
    """Every setting of the station, grouped as in config/station.toml."""

    station: StationSection = field(default_factory=StationSection)
    codes: CodesSection = field(default_factory=CodesSection)
    scheme: SchemeSection = field(default_factory=SchemeSection)
    labels: LabelsSection = field(default_factory=LabelsSection)
    printer: PrinterSection = field(default_factory=PrinterSection)
    verify: VerifySection = field(default_factory=VerifySection)
    pickup: PickupSection = field(default_factory=PickupSection)
    ledger: LedgerSection = field(default_factory=LedgerSection)
    query: QuerySection = field(default_factory=QuerySection)

    def lines(self) -> list[tuple[str, str]]:
        """The print lines: (printer URI, camera URI) of [printer] uri with [verify] camera, then of more_lines."""
        return [(self.printer.uri, self.verify.camera), *parse_lines(self.printer.more_lines)]

    def operator_name(self) -> str:
        """The configured operator, or the login user's name."""
        if self.station.operator:
            return self.station.operator
        try:
            return getpass.getuser()
        except (KeyError, OSError):
            return "unknown"


def default_home() -> Path:
    """The data directory when neither --home nor STATION_HOME is given."""
    env = os.environ.get("STATION_HOME")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(xdg) / "trace-station"


def allowed_text(key: str, fallback: str) -> str:
    """What setting ``key`` accepts, in the current language (``fallback`` where the catalogue lacks it)."""
    text_key = f"setting.{key}.allowed"
    return t(text_key) if text_key in TEXTS else fallback


def _section_value(section_cls: type, raw: Mapping[str, Any], where: str, file: str) -> Any:
    fields = {f.name: f for f in dataclasses.fields(section_cls)}
    values: dict[str, Any] = {}
    value: Any
    for key, value in raw.items():
        name = f"{where}.{key}"
        if key not in fields:
            raise ConfigError(
                "config.unknown_key", file=file, key=name, allowed=", ".join(f"{where}.{k}" for k in fields)
            )
        f = fields[key]
        default: Any = f.default
        allowed = allowed_text(name, f.metadata["allowed"])
        expected: tuple[type, ...] = (int, float) if isinstance(default, float) else (type(default),)
        if isinstance(value, bool) and not isinstance(default, bool) or not isinstance(value, expected):
            raise ConfigError("config.bad_value", key=name, value=value, allowed=allowed)
        if isinstance(default, float):
            value = float(cast(float, value))
        if not f.metadata["check"](value):
            raise ConfigError("config.bad_value", key=name, value=value, allowed=allowed)
        values[key] = value
    return section_cls(**values)


def _with_model(raw: Mapping[str, Any]) -> Mapping[str, Any]:
    """``raw`` with the [printer] settings it leaves out (or leaves at the station's default) filled from its
    model's defaults."""
    from drivers.printers.models import catalogue

    printer = raw.get("printer")
    if not isinstance(printer, Mapping) or not isinstance(printer.get("model"), str) or not printer["model"]:
        return raw
    models = catalogue()
    model = models.get(printer["model"])
    if model is None:
        allowed = "empty or one of: " + ", ".join(sorted(models))
        raise ConfigError("config.bad_value", key="printer.model", value=printer["model"], allowed=allowed)
    defaults = {
        "lang": model.lang,
        "dpi": model.dpi[0],
        "media": model.media[0],
        "darkness": model.default_darkness,
        "speed_mm_s": model.default_speed_mm_s,
    }
    # station.init writes every setting: one still at the station's default counts as left out
    station_default = {f.name: f.default for f in dataclasses.fields(PrinterSection)}
    left_out = {k: defaults[k] for k in MODEL_FILLS if k not in printer or printer[k] == station_default[k]}
    return {**raw, "printer": {**printer, **left_out}}


def _check_printer(printer: PrinterSection) -> None:
    """The [printer] settings against its model (or, without one, its language): a ConfigError names the first
    setting the printer cannot take."""
    from drivers.printers.models import find_model, media_problem

    model = find_model(printer.model) if printer.model else None
    if model is not None and printer.lang != model.lang:
        raise ConfigError(
            "config.bad_value", key="printer.lang", value=printer.lang, allowed=f"{model.lang} ({model.name})"
        )
    if model is not None and printer.dpi not in model.dpi:
        allowed = " or ".join(str(v) for v in model.dpi) + f" ({model.name})"
        raise ConfigError("config.bad_value", key="printer.dpi", value=printer.dpi, allowed=allowed)
    problem = media_problem(model, printer.lang, printer.speed_mm_s, printer.darkness, printer.media)
    if problem is not None:
        setting, value, allowed = problem
        raise ConfigError("config.bad_value", key=f"printer.{setting}", value=value, allowed=allowed)


def _check_lines(config: Config) -> None:
    """Each line its own printer and its own camera: a printer or camera named twice is a ConfigError."""
    lines = config.lines()
    printers = [printer for printer, _ in lines]
    cameras = [camera for _, camera in lines]
    for kind, uris in (("printer", printers), ("camera", cameras)):
        twice = next((uri for i, uri in enumerate(uris) if uri in uris[:i]), None)
        if twice is not None:
            raise ConfigError("config.line_twice", kind=t(f"line.{kind}"), uri=twice)


def config_from_mapping(raw: Mapping[str, Any], file: str = "<settings>") -> Config:
    """Build a validated Config from parsed TOML; unknown keys and bad values raise ConfigError. A [printer]
    model fills the printer settings left out, and the printer settings are checked against it."""
    sections = {f.name: f for f in dataclasses.fields(Config)}
    built: dict[str, Any] = {}
    raw = _with_model(raw)
    for name, value in raw.items():
        if name not in sections:
            raise ConfigError("config.unknown_key", file=file, key=name, allowed=", ".join(sections))
        if not isinstance(value, Mapping):
            raise ConfigError("config.bad_value", key=name, value=value, allowed=t("setting.section", section=name))
        section_type: Any = sections[name].default_factory
        built[name] = _section_value(section_type, value, name, file)
    config = Config(**built)
    _check_printer(config.printer)
    _check_lines(config)
    return config


def load_config(home: Path, path: Path | None = None) -> Config:
    """Defaults, overridden by ``path`` or else by ``station.toml`` in the data directory if it exists. Printer
    models are read from the shipped ones and ``<home>/printers/*.toml``."""
    from drivers.printers.models import set_directories

    set_directories([home / "printers"])
    candidate = path if path is not None else home / CONFIG_NAME
    if path is None and not candidate.exists():
        return Config()
    try:
        with open(candidate, "rb") as fh:
            raw = tomllib.load(fh)
    except OSError as err:
        raise ConfigError("config.unreadable", file=str(candidate), reason=err.strerror or str(err)) from err
    except tomllib.TOMLDecodeError as err:
        raise ConfigError("config.unreadable", file=str(candidate), reason=str(err)) from err
    return config_from_mapping(raw, str(candidate))


def documented_config_path() -> Path:
    """The documented config file shipped in the repository."""
    return Path(__file__).resolve().parent.parent / "config" / CONFIG_NAME
