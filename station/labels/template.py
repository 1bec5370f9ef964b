"""Label templates: TOML files declaring label size, resolution, margins and elements. No Python needed.

A template looks like::

    title = "追溯标签 40×30"
    width_mm = 40
    height_mm = 30
    dpi = 203
    margin_mm = 1.0

    [[element]]
    type = "qr"
    x_mm = 1.0
    y_mm = 3.0
    w_mm = 21.0
    h_mm = 21.0
    data = "{payload}"

See label_templates/README.md for every element type and setting.
"""

from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from station.errors import TemplateError

TEMPLATE_DIR = Path(__file__).resolve().parent.parent.parent / "label_templates"

# Each setting: (python type(s), default or REQUIRED, description of allowed values, check)
REQUIRED = object()
_Spec = tuple[tuple[type, ...], Any, str, Any]


def _num(lo: float, hi: float) -> _Spec:
    return ((int, float), REQUIRED, f"a number from {lo} to {hi}", lambda v: lo <= v <= hi)


def _opt_num(default: float, lo: float, hi: float) -> _Spec:
    return ((int, float), default, f"a number from {lo} to {hi}", lambda v: lo <= v <= hi)


def _choice(default: Any, *choices: Any) -> _Spec:
    return ((type(choices[0]),), default, "one of " + ", ".join(map(str, choices)), lambda v: v in choices)


def _text(default: Any = REQUIRED) -> _Spec:
    return ((str,), default, "text", lambda v: True)


_BOX = {"x_mm": _num(0, 500), "y_mm": _opt_num(0, 0, 500), "w_mm": _num(0.1, 500), "h_mm": _num(0.1, 500)}
_TEXT_STYLE = {
    "size_mm": _opt_num(2.5, 0.8, 50),
    "min_size_mm": _opt_num(1.6, 0.8, 50),
    "align": _choice("left", "left", "center", "right"),
    "lines": ((int,), 1, "a whole number from 1 to 20", lambda v: 1 <= v <= 20),
    "default": _text(""),
}

ELEMENT_SPECS: dict[str, dict[str, _Spec]] = {
    "qr": {
        **_BOX,
        "data": _text("{payload}"),
        "module_mm": _opt_num(0.5, 0.2, 3.0),
        "error": _choice("m", "l", "m", "q", "h"),
    },
    "text": {**_BOX, "text": _text(), **_TEXT_STYLE},
    "code": {**_BOX, **_TEXT_STYLE, "text": _text("{code_grouped}")},
    "code128": {
        **_BOX,
        "data": _text(),
        "module_dots": ((int,), 2, "a whole number from 1 to 6", lambda v: 1 <= v <= 6),
    },
    "line": {
        "x_mm": _num(0, 500),
        "y_mm": _opt_num(0, 0, 500),
        "x2_mm": _num(0, 500),
        "y2_mm": _opt_num(0, 0, 500),
        "width_mm": _opt_num(0.25, 0.1, 5),
    },
    "box": {**_BOX, "width_mm": _opt_num(0.25, 0.1, 5), "fill": ((bool,), False, "true or false", lambda v: True)},
    "image": {
        **_BOX,
        "path": _text(),
        "dither": ((bool,), False, "true or false", lambda v: True),
        "threshold": ((int,), 128, "a whole number from 1 to 254", lambda v: 1 <= v <= 254),
    },
    "hidden": {
        **_BOX,
        **_TEXT_STYLE,
        "text": _text("{hidden_grouped}"),
        "frame_mm": _opt_num(0.25, 0.1, 2),
        "inset_mm": _opt_num(0.5, 0, 5),
    },
    "list": {
        **_BOX,
        "rows": _choice("slip.rows", "slip.rows"),
        "row": _text(),
        "row_h_mm": _opt_num(4, 1, 50),
        **_TEXT_STYLE,
    },
}
# In flow layout (receipts) y_mm is the gap above the element and h_mm of a list is one row.
_COMMON = {"type": _text(), "id": _text("")}

TEMPLATE_SPEC: dict[str, _Spec] = {
    "title": _text(""),
    "width_mm": _num(10, 300),
    "height_mm": _opt_num(0, 0, 1000),
    "dpi": _choice(203, 203, 300),
    "margin_mm": _opt_num(1.0, 0, 20),
    "orientation": _choice(0, 0, 90, 180, 270),
    "layout": _choice("fixed", "fixed", "flow"),
    "gap_mm": ((int, float), None, "a number of millimetres", lambda v: 0 <= v <= 1000),
    "kind": _choice("", "trace", "certificate", "other"),
}
# gap_mm: the gap between labels of this stock; unset, the printer's [printer] gap_mm. Which gaps a printer can
# follow is a check of station.labels.checks. kind: "trace" (a package label: the county's six fields are
# required), "certificate" or "other"; unset, a template whose QR or code carries the label's own code is a
# trace label.


@dataclass(frozen=True)
class Element:
    """One element of a template, with its settings validated."""

    kind: str
    index: int
    settings: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.settings[name]
        except KeyError:
            raise AttributeError(name) from None

    @property
    def where(self) -> str:
        """How messages name this element: its id, else its position and type."""
        ident = self.settings.get("id")
        return f"element {self.index} ({self.kind}{', ' + ident if ident else ''})"

    def box_mm(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) in mm."""
        s = self.settings
        if self.kind == "line":
            half = s["width_mm"] / 2
            return (
                min(s["x_mm"], s["x2_mm"]) - half,
                min(s["y_mm"], s["y2_mm"]) - half,
                max(s["x_mm"], s["x2_mm"]) + half,
                max(s["y_mm"], s["y2_mm"]) + half,
            )
        return (s["x_mm"], s["y_mm"], s["x_mm"] + s["w_mm"], s["y_mm"] + s["h_mm"])


@dataclass(frozen=True)
class Template:
    """A label template: page geometry and elements."""

    name: str
    path: Path
    title: str
    width_mm: float
    height_mm: float
    dpi: int
    margin_mm: float
    orientation: int
    layout: str
    gap_mm: float | None
    kind: str
    elements: tuple[Element, ...]
    digest: str = ""  # of the template's content: rendering caches are keyed by it, so an edited file is seen
    lines: dict[tuple[int, str], int] = field(default_factory=dict, compare=False, repr=False)

    def line_of(self, index: int = 0, key: str = "") -> int | None:
        """The file's line holding ``key`` of element ``index`` (0: the top level), or the element's
        ``[[element]]`` line when the key is not written there; None when the template has no file."""
        return self.lines.get((index, key)) or self.lines.get((index, ""))

    def dots(self, mm: float) -> int:
        """Millimetres to printer dots at this template's resolution."""
        return round(mm * self.dpi / 25.4)

    def with_dpi(self, dpi: int) -> Template:
        """The same template at another resolution (geometry is in mm, so it scales)."""
        from dataclasses import replace

        return replace(self, dpi=dpi)


def _check(
    spec: dict[str, _Spec],
    raw: dict[str, Any],
    template: str,
    where: str,
    lines: dict[tuple[int, str], int],
    index: int,
) -> dict[str, Any]:
    def line(key: str = "") -> int | None:
        return lines.get((index, key)) or lines.get((index, ""))

    values: dict[str, Any] = {}
    for key, value in raw.items():
        if key not in spec:
            raise TemplateError(
                "tpl.unknown_key",
                template=template,
                where=where,
                key=key,
                allowed=", ".join(k for k in spec if k != "type"),
                line=line(key),
            )
        types, _default, allowed, check = spec[key]
        ok_type = isinstance(value, types) and not (isinstance(value, bool) and bool not in types)
        if not ok_type or not check(value):
            raise TemplateError(
                "tpl.bad_value", template=template, where=where, key=key, value=value, allowed=allowed, line=line(key)
            )
        values[key] = float(value) if float in types and int in types else value
    for key, (_types, default, _allowed, _check_fn) in spec.items():
        if key not in values:
            if default is REQUIRED:
                raise TemplateError("tpl.missing", template=template, where=where, key=key, line=line())
            values[key] = default
    return values


def parse_template(
    name: str, raw: dict[str, Any], path: Path, lines: dict[tuple[int, str], int] | None = None
) -> Template:
    """Validate parsed TOML into a Template; every problem names the template and element (and its line, when
    ``lines`` from ``source_lines`` are given)."""
    lines = lines or {}
    elements_raw = raw.get("element", [])
    top = {k: v for k, v in raw.items() if k != "element"}
    settings = _check(TEMPLATE_SPEC, top, name, "top level", lines, 0)
    if not isinstance(elements_raw, list) or not elements_raw:
        raise TemplateError("tpl.missing", template=name, where="top level", key="[[element]]", line=lines.get((0, "")))
    elements: list[Element] = []
    for i, item in enumerate(elements_raw, start=1):
        where = f"element {i}"
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in ELEMENT_SPECS:
            raise TemplateError(
                "tpl.bad_value",
                template=name,
                where=where,
                key="type",
                value=kind,
                allowed="one of " + ", ".join(ELEMENT_SPECS),
                line=lines.get((i, "type")) or lines.get((i, "")),
            )
        values = _check({**_COMMON, **ELEMENT_SPECS[kind]}, item, name, where, lines, i)
        if "size_mm" in values and values["min_size_mm"] > values["size_mm"]:
            raise TemplateError(
                "tpl.bad_value",
                template=name,
                where=where,
                key="min_size_mm",
                value=values["min_size_mm"],
                allowed=f"at most size_mm ({values['size_mm']})",
                line=lines.get((i, "min_size_mm")) or lines.get((i, "")),
            )
        elements.append(Element(kind=kind, index=i, settings=values))
    if settings["layout"] == "fixed" and settings["height_mm"] <= 0:
        raise TemplateError(
            "tpl.bad_value",
            template=name,
            where="top level",
            key="height_mm",
            value=settings["height_mm"],
            allowed="a positive height (only flow layout may grow)",
            line=lines.get((0, "height_mm")),
        )
    digest = hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest()[:16]
    return Template(name=name, path=path, elements=tuple(elements), digest=digest, lines=lines, **settings)


_KEY_LINE = re.compile(r"""\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_\-]+))\s*=""")
_ELEMENT_HEADER = re.compile(r"\s*\[\[\s*element\s*\]\]")


def source_lines(text: str) -> dict[tuple[int, str], int]:
    """Where each setting of a template file is written: (element number or 0 for the top level, key) -> line,
    and (element number, "") -> the element's ``[[element]]`` line. Messages name lines with it."""
    lines: dict[tuple[int, str], int] = {}
    table = 0
    count = 0
    open_quote = ""
    for number, line in enumerate(text.splitlines(), start=1):
        if open_quote:  # inside a multi-line string
            if line.count(open_quote) % 2 == 1:
                open_quote = ""
            continue
        if _ELEMENT_HEADER.match(line):
            count += 1
            table = count
            lines[(table, "")] = number
            continue
        if line.lstrip().startswith("["):
            table = -1  # a table the template format does not know; its keys are reported at the top level
            continue
        match = _KEY_LINE.match(line)
        if match and table >= 0:
            key = next(g for g in match.groups() if g is not None)
            lines.setdefault((table, key), number)
        for quote in ('"""', "'''"):
            if line.count(quote) % 2 == 1:
                open_quote = quote
    lines.setdefault((0, ""), 1)
    return lines


def load_template_file(path: Path) -> Template:
    """Read and validate one template file (its settings; ``station.labels.checks`` holds the rules a
    template must pass before it prints)."""
    try:
        data = path.read_bytes()
        raw = tomllib.loads(data.decode("utf-8"))
    except OSError as err:
        raise TemplateError("tpl.unreadable", file=str(path), reason=err.strerror or str(err)) from err
    except UnicodeDecodeError as err:
        raise TemplateError("tpl.unreadable", file=str(path), reason=str(err)) from err
    except tomllib.TOMLDecodeError as err:
        raise TemplateError("tpl.unreadable", file=str(path), reason=str(err)) from err
    return parse_template(path.stem, raw, path, source_lines(data.decode("utf-8")))


def template_dirs(extra: Path | None = None) -> list[Path]:
    """Where templates are looked for: the data directory's label_templates first, then the shipped ones."""
    dirs = [extra] if extra is not None else []
    return [*dirs, TEMPLATE_DIR]


def available_templates(extra: Path | None = None) -> dict[str, Path]:
    """Template name -> file; a template in the data directory overrides a shipped one of the same name."""
    found: dict[str, Path] = {}
    for directory in reversed(template_dirs(extra)):
        if directory.is_dir():
            for path in sorted(directory.glob("*.toml")):
                found[path.stem] = path
    return dict(sorted(found.items()))


def load_template(name: str, extra: Path | None = None, printer_lang: str | None = None) -> Template:
    """A template by name, or by path when ``name`` ends in .toml, that passes every rule of
    ``station.labels.checks`` (for ``printer_lang``'s gaps when given): a template that breaks one never
    prints. TemplateError lists every problem with its line."""
    from station.labels.checks import refuse_bad

    if name.endswith(".toml"):
        return refuse_bad(load_template_file(Path(name)), printer_lang)
    templates = available_templates(extra)
    if name not in templates:
        raise TemplateError("tpl.unknown", name=name, allowed=", ".join(templates) or "-")
    return refuse_bad(load_template_file(templates[name]), printer_lang)
