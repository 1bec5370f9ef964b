"""Rendering a template to a 1-bit Pillow image at printer dots (0 = black, as Pillow's mode "1" stores it).

QR modules are a whole number of dots and carry a 4-module quiet zone; a symbol that does not fit its box at
3 dots per module is an error, never a scaled copy. Every character is checked against the font's character
map before it is drawn.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from station.errors import TemplateError
from station.labels.checks import layout, template_problems
from station.labels.fields import PER_LABEL_FIELDS, fields_in, fill, sample_rows, sample_values
from station.labels.fonts import Font, load_font, locate_font
from station.labels.template import Element, Template
from station.qr import make_symbol
from station.texts import t

QUIET_MODULES = 4
MIN_MODULE_DOTS = 3
ELLIPSIS = "…"
LINE_SPACING = 1.2


@dataclass(frozen=True)
class PlacedQr:
    """Where a QR symbol landed on the label, for verification."""

    element: str
    data: str
    x: int  # top-left of the symbol's first module, in dots
    y: int
    module_dots: int
    modules: int  # symbol width in modules, quiet zone excluded
    version: int
    error: str
    mask: int


@dataclass(frozen=True)
class PlacedText:
    """Where one line of text that varies per label landed, for verification: drawn at (x, y) with ``anchor="la"``
    (x at the first character's pen position, y at the font's ascender) in ``font`` at ``size_px`` pixels."""

    element: str
    line: int  # the line's number within its element, from 1
    x: int
    y: int
    text: str
    size_px: int
    font: Path


@dataclass
class Label:
    """A rendered label."""

    image: Image.Image
    warnings: list[str] = field(default_factory=list)
    qrs: list[PlacedQr] = field(default_factory=list)
    texts: list[PlacedText] = field(default_factory=list)  # lines that vary per label, as drawn
    orientation: int = 0  # the template's turn of the finished image (qrs and texts are placed before it)


@dataclass(frozen=True)
class _Fitted:
    size_px: int
    lines: tuple[str, ...]
    truncated: bool
    widths: tuple[float, ...] = ()  # of each line in dots, when measured while fitting


_Placed = tuple[Element, float, float]
_TOKEN = re.compile(r"[A-Za-z0-9_\-./:%]+|\s+|.")


class Renderer:
    """Renders templates with one font; caches text layout, so a roll of labels renders fast."""

    def __init__(self, font: Font | None = None, font_path: str = "") -> None:
        self.font = font or load_font(locate_font(font_path))
        self._fit_cache: dict[tuple[int, str, int, int, int, int, int], _Fitted] = {}
        self._layers: dict[tuple[object, ...], Label] = {}
        self._splits: dict[tuple[object, ...], tuple[list[_Placed], float, list[_Placed], list[_Placed]]] = {}

    # --- layout -------------------------------------------------------------------------------------

    def layout(self, template: Template, n_rows: int) -> tuple[list[tuple[Element, float, float]], float]:
        """Each element with its vertical offset and height in mm, and the page height in mm.

        Fixed layout uses the template's coordinates; flow layout (receipts) stacks elements top to bottom, with
        y_mm as the gap above each and a list growing by one row height per row.
        """
        return layout(template, n_rows)

    # --- rendering ----------------------------------------------------------------------------------

    def render(self, template: Template, values: Mapping[str, str], rows: Sequence[Mapping[str, str]] = ()) -> Label:
        """The label for ``values`` (and list rows), as a mode "1" image at the template's dots.

        Elements that do not change from code to code (product, producer, fixed text) are drawn once per set of
        values and reused; the code's own elements (QR, human-readable code) are drawn on a copy.
        """
        placed, height_mm, static, dynamic = self._split(template, len(rows))
        width, height = template.dots(template.width_mm), template.dots(height_mm)
        key = (
            template.path,
            template.name,
            template.digest,
            template.dpi,
            width,
            height,
            tuple(_resolved(el, values) for el, _, _ in static),
        )
        layer = self._layers.get(key)
        if layer is None:
            base = Label(image=Image.new("1", (width, height), 1))
            self._draw(template, static, base, values, rows)
            if len(self._layers) > 64:
                self._layers.clear()
            self._layers[key] = layer = base
        label = Label(
            image=layer.image.copy(), warnings=list(layer.warnings), qrs=list(layer.qrs), texts=list(layer.texts)
        )
        self._draw(template, dynamic, label, values, rows)
        if template.orientation:
            label.image = label.image.rotate(template.orientation, expand=True)
            label.orientation = template.orientation
        return label

    def _split(self, template: Template, n_rows: int) -> tuple[list[_Placed], float, list[_Placed], list[_Placed]]:
        """The layout, and its elements drawn once per set of values and those drawn on every label.

        Only fixed layouts keep a layer of elements drawn once; the split is kept per template and row count."""
        key = (template.path, template.name, template.digest, n_rows if template.layout == "flow" else 0)
        split = self._splits.get(key)
        if split is None:
            placed, height_mm = self.layout(template, n_rows)
            cacheable = template.layout == "fixed"
            static = [p for p in placed if cacheable and not _per_label(p[0])]
            dynamic = [p for p in placed if not (cacheable and not _per_label(p[0]))]
            if len(self._splits) > 64:
                self._splits.clear()
            self._splits[key] = split = (placed, height_mm, static, dynamic)
        return split

    def _draw(
        self,
        template: Template,
        placed: list[tuple[Element, float, float]],
        label: Label,
        values: Mapping[str, str],
        rows: Sequence[Mapping[str, str]],
    ) -> None:
        image = label.image
        draw = ImageDraw.Draw(image)
        draw.fontmode = "1"
        for el, dy, h_mm in placed:
            x = template.dots(el.x_mm)
            y = template.dots(el.y_mm + dy) if el.kind != "line" else 0
            if el.kind in ("text", "code"):
                text = resolve_text(el.text, el.default, values)
                self._draw_text(template, el, draw, text, x, y, template.dots(el.w_mm), template.dots(h_mm), label)
            elif el.kind == "hidden":  # the frame marks where the scratch-off patch goes; the digits sit inside it
                x1, y1 = template.dots(el.x_mm + el.w_mm) - 1, template.dots(el.y_mm + dy + h_mm) - 1
                draw.rectangle([x, y, x1, y1], outline=0, width=max(1, template.dots(el.frame_mm)))
                inset = template.dots(el.frame_mm + el.inset_mm)
                text = resolve_text(el.text, el.default, values)
                w, h = template.dots(el.w_mm) - 2 * inset, template.dots(h_mm) - 2 * inset
                self._draw_text(template, el, draw, text, x + inset, y + inset, w, h, label)
            elif el.kind == "qr":
                self._draw_qr(template, el, image, fill(el.data, values), x, y, label)
            elif el.kind == "code128":
                self._draw_code128(template, el, image, fill(el.data, values), x, y)
            elif el.kind == "line":
                draw.line(
                    [
                        (template.dots(el.x_mm), template.dots(el.y_mm + dy)),
                        (template.dots(el.x2_mm), template.dots(el.y2_mm + dy)),
                    ],
                    fill=0,
                    width=max(1, template.dots(el.width_mm)),
                )
            elif el.kind == "box":
                x1, y1 = template.dots(el.x_mm + el.w_mm) - 1, template.dots(el.y_mm + dy + h_mm) - 1
                if el.fill:
                    draw.rectangle([x, y, x1, y1], fill=0)
                else:
                    draw.rectangle([x, y, x1, y1], outline=0, width=max(1, template.dots(el.width_mm)))
            elif el.kind == "image":
                self._draw_image(template, el, image, x, y, template.dots(el.w_mm), template.dots(h_mm))
            elif el.kind == "list":
                row_h = template.dots(el.row_h_mm)
                for i, row in enumerate(rows):
                    text = fill(el.row, {**values, **row})
                    self._draw_text(template, el, draw, text, x, y + i * row_h, template.dots(el.w_mm), row_h, label)

    def _draw_text(
        self,
        template: Template,
        el: Element,
        draw: ImageDraw.ImageDraw,
        text: str,
        x: int,
        y: int,
        w: int,
        h: int,
        label: Label,
    ) -> None:
        if not text:
            return
        missing = self.font.missing(text)
        if missing:
            raise TemplateError(
                "tpl.glyph_missing",
                template=template.name,
                where=el.where,
                font=self.font.name,
                chars=" ".join(f"{c!r} U+{ord(c):04X}" for c in missing),
            )
        size = template.dots(el.size_mm)
        min_size = max(6, template.dots(el.min_size_mm))
        fitted = self._fit(text, w, h, size, min_size, el.lines)
        if not fitted.lines:
            raise TemplateError(
                "tpl.text_too_tall",
                template=template.name,
                where=el.where,
                need=round(self._line_need(min_size) * 25.4 / template.dpi, 1),
                have=round(h * 25.4 / template.dpi, 1),
            )
        if fitted.truncated:
            label.warnings.append(
                t("tpl.truncated", template=template.name, where=el.where, text="".join(fitted.lines))
            )
        face = self.font.face(fitted.size_px)
        line_h = math.ceil(fitted.size_px * LINE_SPACING)
        for i, line in enumerate(fitted.lines):
            length = fitted.widths[i] if fitted.widths else face.getlength(line)
            if el.align == "center":
                lx = x + round((w - length) / 2)
            elif el.align == "right":
                lx = x + round(w - length)
            else:
                lx = x
            draw.text((lx, y + i * line_h), line, font=face, fill=0, anchor="la")
            if _varies(el) and line:
                number = 1 + sum(p.element == el.where for p in label.texts)
                label.texts.append(
                    PlacedText(el.where, number, lx, y + i * line_h, line, fitted.size_px, self.font.path)
                )

    def _fit(self, text: str, w: int, h: int, size: int, min_size: int, lines: int) -> _Fitted:
        key = (0, text, w, h, size, min_size, lines)
        cached = self._fit_cache.get(key)
        if cached is not None:
            return cached
        fitted: _Fitted | None = None
        for px in range(size, min_size - 1, -1):
            max_lines = min(lines, self._lines_that_fit(px, h))
            if max_lines < 1:
                continue  # not even one line of this size fits the box's height
            if px == size:
                whole = self.font.face(px).getlength(text)
                if whole <= w:  # the whole text on one line: what wrapping would give, measured once
                    fitted = _Fitted(px, (text,), False, (whole,))
                    break
            wrapped = self._wrap(text, px, w, max_lines)
            if wrapped is not None:
                fitted = _Fitted(px, tuple(wrapped), False)
                break
        if fitted is None:
            max_lines = min(lines, self._lines_that_fit(min_size, h))
            if max_lines < 1:
                fitted = _Fitted(min_size, (), True)  # the caller reports the box as too low
            else:
                fitted = _Fitted(min_size, tuple(self._truncate(text, min_size, w, max_lines)), True)
        if len(self._fit_cache) > 20_000:
            self._fit_cache.clear()
        self._fit_cache[key] = fitted
        return fitted

    def _line_need(self, px: int) -> int:
        ascent, descent = self.font.face(px).getmetrics()
        return int(ascent + descent)

    def _lines_that_fit(self, px: int, h: int) -> int:
        """How many lines of ``px`` text fit ``h`` dots: the first needs the font's full height (ascent and
        descent), each further one a line pitch."""
        ascent, descent = self.font.face(px).getmetrics()
        first = ascent + descent
        if first > h:
            return 0
        return 1 + (h - first) // math.ceil(px * LINE_SPACING)

    def _wrap(self, text: str, px: int, w: int, max_lines: int) -> list[str] | None:
        face = self.font.face(px)
        out: list[str] = []
        line = ""
        for token in _TOKEN.findall(text):
            candidate = line + token
            if face.getlength(candidate) <= w:
                line = candidate
                continue
            if token.isspace():
                out.append(line)
                line = ""
                continue
            if line:
                out.append(line.rstrip())
                line = ""
            for ch in token:  # a token wider than the line is broken between characters
                if face.getlength(line + ch) <= w:
                    line += ch
                else:
                    out.append(line)
                    line = ch
            if len(out) > max_lines:
                return None
        if line:
            out.append(line)
        out = _keep_punctuation_off_line_starts(out, face, w)
        return out if len(out) <= max_lines else None

    def _truncate(self, text: str, px: int, w: int, max_lines: int) -> list[str]:
        face = self.font.face(px)
        out: list[str] = []
        line = ""
        for ch in text:
            if face.getlength(line + ch) <= w:
                line += ch
                continue
            out.append(line)
            line = ch.lstrip()
            if len(out) == max_lines:
                break
        else:
            out.append(line)
        out = out[:max_lines]
        last = out[-1]
        while last and face.getlength(last + ELLIPSIS) > w:
            last = last[:-1]
        out[-1] = last + ELLIPSIS
        return out

    def _draw_qr(
        self, template: Template, el: Element, image: Image.Image, data: str, x: int, y: int, label: Label
    ) -> None:
        box = min(template.dots(el.w_mm), template.dots(el.h_mm))
        symbol = make_symbol(data, el.error)
        modules = symbol.modules
        total = modules + 2 * QUIET_MODULES
        want = max(MIN_MODULE_DOTS, template.dots(el.module_mm))
        module_dots = next((d for d in range(want, MIN_MODULE_DOTS - 1, -1) if total * d <= box), None)
        if module_dots is None:
            raise TemplateError(
                "tpl.qr_too_big",
                template=template.name,
                where=el.where,
                size=len(data.encode("utf-8")),
                modules=total,
                need=total * MIN_MODULE_DOTS,
                have=box,
            )
        scaled = np.repeat(np.repeat(symbol.matrix, module_dots, axis=0), module_dots, axis=1)
        tile = Image.fromarray(~scaled)  # mode "1": True is white
        offset = (box - total * module_dots) // 2 + QUIET_MODULES * module_dots
        image.paste(tile, (x + offset, y + offset))
        label.qrs.append(
            PlacedQr(
                el.where, data, x + offset, y + offset, module_dots, modules, symbol.version, symbol.error, symbol.mask
            )
        )

    def _draw_code128(self, template: Template, el: Element, image: Image.Image, data: str, x: int, y: int) -> None:
        bits = _code128_modules(template.name, el.where, data)
        w, h = template.dots(el.w_mm), template.dots(el.h_mm)
        quiet = 10
        dots = next((d for d in range(el.module_dots, 0, -1) if (len(bits) + 2 * quiet) * d <= w), None)
        if dots is None:
            raise TemplateError(
                "tpl.barcode_too_big", template=template.name, where=el.where, need=(len(bits) + 2 * quiet), have=w
            )
        row = np.repeat(np.frombuffer(bits.encode(), dtype=np.uint8) == ord("1"), dots)
        bars = np.tile(row, (h, 1))
        offset = (w - row.size) // 2
        image.paste(Image.fromarray(~bars), (x + offset, y))

    def _draw_image(self, template: Template, el: Element, image: Image.Image, x: int, y: int, w: int, h: int) -> None:
        path = Path(el.path)
        if not path.is_absolute():
            path = template.path.parent / path
        picture = _load_picture(str(path), template.name, el.where)
        scale = min(w / picture.width, h / picture.height)
        size = (max(1, int(picture.width * scale)), max(1, int(picture.height * scale)))
        resized = picture.resize(size, Image.Resampling.LANCZOS)
        if el.dither:
            mono = resized.convert("1")  # Floyd–Steinberg
        else:
            mono = resized.point(lambda v: 255 if v >= el.threshold else 0).convert("1", dither=Image.Dither.NONE)
        image.paste(mono, (x + (w - size[0]) // 2, y + (h - size[1]) // 2))


def _per_label(el: Element) -> bool:
    if el.kind == "list":
        return True
    texts = [el.settings.get(k) for k in ("text", "data", "default", "row")]
    return any(name in PER_LABEL_FIELDS for s in texts if isinstance(s, str) for name in fields_in(s))


def _varies(el: Element) -> bool:
    """Whether a text, code or list element's text uses a per-label field, so its lines differ from label to
    label (a list's rows only when the row itself names one)."""
    keys = ("row",) if el.kind == "list" else ("text", "default")
    texts = [el.settings.get(k) for k in keys]
    return any(name in PER_LABEL_FIELDS for s in texts if isinstance(s, str) for name in fields_in(s))


def _resolved(el: Element, values: Mapping[str, str]) -> str | None:
    if el.kind in ("text", "code", "hidden"):
        return resolve_text(el.text, el.default, values)
    if el.kind in ("qr", "code128"):
        return fill(el.data, values)
    return None


_NO_LINE_START = set("、，。；：！？）》」』】,.;:!?)")


def _keep_punctuation_off_line_starts(lines: list[str], face: ImageFont.FreeTypeFont, w: int) -> list[str]:
    """Chinese line breaking: a line must not start with closing punctuation; pull the character before it
    down to the next line when that still fits."""
    for i in range(1, len(lines)):
        prev, cur = lines[i - 1], lines[i]
        if cur and cur[0] in _NO_LINE_START and len(prev) > 1 and face.getlength(prev[-1] + cur) <= w:
            lines[i - 1], lines[i] = prev[:-1], prev[-1] + cur
    return lines


def resolve_text(template: str, default: str, values: Mapping[str, str]) -> str:
    """The filled text, or ``default`` when a field it names has no value (e.g. a lot not yet known)."""
    if default and any(not values.get(name) for name in fields_in(template)):
        return default
    return fill(template, values)


def _code128_modules(template: str, where: str, data: str) -> str:
    import barcode
    from barcode.errors import BarcodeError

    try:
        return str(barcode.get("code128", data).build()[0])
    except (BarcodeError, ValueError, KeyError, IndexError) as err:
        raise TemplateError("tpl.barcode_bad_data", template=template, where=where, value=data) from err


@lru_cache(maxsize=32)
def _load_picture(path: str, template: str, where: str) -> Image.Image:
    try:
        with Image.open(path) as img:
            img.load()
            return img.convert("L")
    except OSError as err:
        raise TemplateError("tpl.image_missing", template=template, where=where, path=path) from err


# --- checking templates -----------------------------------------------------------------------------


def check_template(
    template: Template, renderer: Renderer | None = None, printer_lang: str | None = None
) -> tuple[list[TemplateError], list[str]]:
    """Every problem of a template: the rules of ``station.labels.checks`` (placeholders, ids, placement and
    overlaps, a trace label's mandatory fields, the gap for ``printer_lang``), then, when it passes them, what a
    render with sample values finds (missing glyphs, text or symbols that do not fit), and that render's warnings."""
    problems = template_problems(template, printer_lang)
    warnings: list[str] = []
    if not problems:
        try:
            rows = sample_rows() if any(el.kind == "list" for el in template.elements) else []
            label = (renderer or Renderer()).render(template, sample_values(), rows)
            warnings = label.warnings
        except TemplateError as err:
            if "line" not in err.params and err.params.get("where"):
                where = err.params["where"]
                index = next((el.index for el in template.elements if el.where == where), 0)
                err.params["line"] = template.line_of(index)
            problems.append(err)
    return problems, warnings
