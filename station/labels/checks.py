"""The rules a label template must pass before it prints, checked without rendering.

``station label check`` runs them (then renders the template with sample values for what only a render shows:
glyphs, text and symbols that do not fit), and ``load_template`` runs them whenever a template is loaded to
print, so a template that breaks one never prints. Each problem carries the file's line (param ``line``).

- Placeholders: ``{field}`` names a known field; ``{{`` and ``}}`` are braces. An unclosed ``{``, a stray
  ``}``, anything else between braces (``{payload[0]}``, ``{product.name!r}``, ``{}``) and a field in a
  ``default`` (which is printed as written) are refused: they would print literally.
- Ids: no two elements share an id.
- Placement: every element inside the printable area (the margin in from each edge). Elements do not overlap,
  except rules with rules: a line or a box may cross or touch another line or box (a frame and its dividers), and
  an outline box inks only its edges, so elements may sit inside it. Nothing but a QR may be in a QR's box (its
  quiet zone), nothing at all.
- A trace (package) label shows the six fields the county plan requires: product name, origin, production date,
  shelf life, producer, certification, each through one of the fields below in a text that prints.
- The gap: 0 (continuous media) or a gap the printer's gap sensor follows (``GAP_LIMITS_MM``).
- The hidden code (``{hidden}``, ``{hidden_grouped}``) only in a hidden element, which frames it for its
  scratch-off patch: never in a QR, a barcode or a text anyone can read before scratching.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from station.errors import TemplateError
from station.labels.fields import FIELDS, HIDDEN_FIELDS, LISTS, PER_LABEL_FIELDS, ROW_FIELDS, fields_in
from station.labels.template import Element, Template
from station.texts import t

# (Chinese name, English name, fields that show it; a name ending in "." stands for every field it begins)
MANDATORY_TRACE_FIELDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("产品名称", "product name", ("product.name",)),
    ("产地编码", "origin", ("product.origin",)),
    ("生产日期", "production date", ("lot.production_date",)),
    ("保质期", "shelf life", ("product.shelf_life", "product.shelf_life_days", "lot.best_before")),
    ("生产者", "producer", ("enterprise.name",)),
    ("产品认证", "certification", ("product.certifications",)),
)

# Gaps between labels a label printer's gap sensor follows, in mm, by printer language: TSPL's GAP takes up to
# 1 inch, and the transmissive gap sensors of TSC, Xprinter, Gprinter and Zebra desktop printers need 2 mm. 0
# (continuous media) is always possible.
GAP_LIMITS_MM: dict[str, tuple[float, float]] = {"tspl": (2.0, 25.4), "zpl": (2.0, 25.4), "escpos": (2.0, 25.4)}

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|\{|\}")
_NAME = re.compile(r"[a-z_]+(?:\.[a-z_]+)?")
_RULES = ("line", "box")

Box = tuple[float, float, float, float]


def layout(template: Template, n_rows: int) -> tuple[list[tuple[Element, float, float]], float]:
    """Each element with its vertical offset and height in mm, and the page height in mm.

    Fixed layout uses the template's coordinates; flow layout (receipts) stacks elements top to bottom, with
    y_mm as the gap above each and a list growing by one row height per row.
    """
    placed: list[tuple[Element, float, float]] = []
    if template.layout == "fixed":
        for el in template.elements:
            x0, y0, x1, y1 = el.box_mm()
            placed.append((el, 0.0, y1 - y0))
        return placed, template.height_mm
    cursor = template.margin_mm
    for el in template.elements:
        if el.kind == "line":
            top = cursor + min(el.y_mm, el.y2_mm)
            height = abs(el.y2_mm - el.y_mm) + el.width_mm
            placed.append((el, cursor, height))
            cursor = top + height
            continue
        height = el.h_mm if el.kind != "list" else el.row_h_mm * max(n_rows, 1)
        placed.append((el, cursor, height))
        cursor += el.y_mm + height
    return placed, max(cursor + template.margin_mm, template.height_mm)


def is_trace(template: Template) -> bool:
    """Whether the template is a package label: declared so, or undeclared and its QR or code carries the
    label's own code."""
    if template.kind:
        return template.kind == "trace"
    for el in template.elements:
        texts = [el.settings.get(k) for k in ("data", "text") if el.kind in ("qr", "code", "code128")]
        if any(name in PER_LABEL_FIELDS for s in texts if isinstance(s, str) for name in fields_in(s)):
            return True
    return False


def template_problems(template: Template, printer_lang: str | None = None) -> list[TemplateError]:
    """Every rule the template breaks, in the order of the list above (the gap against ``printer_lang``'s
    limits, or every label printer's when None)."""
    return [
        *_placeholders(template),
        *_duplicate_ids(template),
        *_placement(template),
        *_mandatory(template),
        *_gap(template, printer_lang),
        *_hidden_fields(template),
    ]


def refuse_bad(template: Template, printer_lang: str | None = None) -> Template:
    """The template, when it breaks no rule; else TemplateError listing every problem with its line."""
    problems = template_problems(template, printer_lang)
    if problems:
        raise TemplateError(
            "tpl.refused",
            template=template.name,
            problems="\n".join(located(p, template.path.name) for p in problems),
        )
    return template


def located(problem: TemplateError, file: str = "") -> str:
    """A problem's message with the file and line it is about, when the line is known."""
    line = problem.params.get("line")
    if line is None:
        return problem.message
    return t("tpl.at_line", file=file, line=line, message=problem.message)


# --- the rules ---------------------------------------------------------------------------------------------


def _placeholders(template: Template) -> Iterator[TemplateError]:
    name = template.name
    for el in template.elements:
        for key in ("text", "data", "default", "row"):
            value = el.settings.get(key)
            if not isinstance(value, str):
                continue
            line = template.line_of(el.index, key)
            known = {**FIELDS, **ROW_FIELDS} if key == "row" else FIELDS
            for match in _TOKEN.finditer(value):
                found = _placeholder_problem(match, value, key, known)
                if found is not None:
                    problem, params = found
                    yield TemplateError(problem, template=name, where=el.where, key=key, line=line, **params)
        if el.kind == "list" and el.rows not in LISTS:
            yield TemplateError(
                "tpl.unknown_field",
                template=name,
                where=el.where,
                field=el.rows,
                allowed=", ".join(LISTS),
                line=template.line_of(el.index, "rows"),
            )


def _placeholder_problem(
    match: re.Match[str], value: str, key: str, known: dict[str, tuple[str, str]]
) -> tuple[str, dict[str, str]] | None:
    """What is wrong with one brace token of a setting's text (catalogue key and parameters), or None."""
    whole, inner = match.group(0), match.group(1)
    if whole in ("{{", "}}"):
        return None
    if inner is None:
        if whole.startswith("{"):
            return "tpl.placeholder_open", {"text": value[match.start() : match.start() + 24]}
        return "tpl.placeholder_stray", {"text": value}
    if not _NAME.fullmatch(inner):
        return "tpl.placeholder_bad", {"text": whole}
    if inner not in known:
        return "tpl.unknown_field", {"field": inner, "allowed": ", ".join(known)}
    if key == "default":
        return "tpl.placeholder_in_default", {"text": whole}
    return None


def _duplicate_ids(template: Template) -> Iterator[TemplateError]:
    first: dict[str, Element] = {}
    for el in template.elements:
        ident = el.settings.get("id")
        if not ident:
            continue
        if ident in first:
            yield TemplateError(
                "tpl.duplicate_id",
                template=template.name,
                where=el.where,
                id=ident,
                other=first[ident].where,
                other_line=template.line_of(first[ident].index, "id") or "-",
                line=template.line_of(el.index, "id"),
            )
        else:
            first[ident] = el


def _intersects(a: Box, b: Box) -> bool:
    return a[0] < b[2] - 1e-6 and b[0] < a[2] - 1e-6 and a[1] < b[3] - 1e-6 and b[1] < a[3] - 1e-6


def _shapes(el: Element, dy: float, h: float) -> list[Box]:
    """The areas an element inks, in mm: an outline box inks only its four edges."""
    x0, y0, x1, _ = el.box_mm()
    box = (x0, y0 + dy, x1, y0 + dy + h)
    if el.kind != "box" or el.fill:
        return [box]
    w = el.width_mm
    return [
        (box[0], box[1], box[2], box[1] + w),
        (box[0], box[3] - w, box[2], box[3]),
        (box[0], box[1], box[0] + w, box[3]),
        (box[2] - w, box[1], box[2], box[3]),
    ]


def _placement(template: Template) -> Iterator[TemplateError]:
    placed, height_mm = layout(template, 3)
    m = template.margin_mm
    area = (m, m, template.width_mm - m, height_mm - m)
    shapes: list[tuple[Element, Box]] = []
    for el, dy, h in placed:
        x0, y0, x1, _ = el.box_mm()
        box = (x0, y0 + dy, x1, y0 + dy + h)
        shapes.extend((el, shape) for shape in _shapes(el, dy, h))
        if box[0] < area[0] - 1e-6 or box[1] < area[1] - 1e-6 or box[2] > area[2] + 1e-6 or box[3] > area[3] + 1e-6:
            yield TemplateError(
                "tpl.outside",
                template=template.name,
                where=el.where,
                box=", ".join(f"{v:g}" for v in box),
                area=", ".join(f"{v:g}" for v in area),
                line=template.line_of(el.index),
            )
    reported: set[tuple[int, int]] = set()
    for i, (a, a_box) in enumerate(shapes):
        for b, b_box in shapes[i + 1 :]:
            if a is b or (a.index, b.index) in reported or not _intersects(a_box, b_box):
                continue
            if a.kind in _RULES and b.kind in _RULES:
                continue
            reported.add((a.index, b.index))
            if "qr" in (a.kind, b.kind):
                qr, other = (a, b) if a.kind == "qr" else (b, a)
                yield TemplateError(
                    "tpl.quiet_zone",
                    template=template.name,
                    where=other.where,
                    qr=qr.where,
                    line=template.line_of(other.index),
                )
            else:
                yield TemplateError(
                    "tpl.overlap",
                    template=template.name,
                    where=b.where,
                    other=a.where,
                    line=template.line_of(b.index),
                )


def _hidden_fields(template: Template) -> Iterator[TemplateError]:
    for el in template.elements:
        if el.kind == "hidden":
            continue
        for key in ("text", "data", "default", "row"):
            value = el.settings.get(key)
            if isinstance(value, str):
                for name in fields_in(value):
                    if name in HIDDEN_FIELDS:
                        yield TemplateError(
                            "hidden.template_field",
                            template=template.name,
                            where=el.where,
                            field=name,
                            line=template.line_of(el.index, key),
                        )


def has_hidden(template: Template) -> bool:
    """Whether the template prints a hidden code (a hidden element)."""
    return any(el.kind == "hidden" for el in template.elements)


def _printed_fields(template: Template) -> set[str]:
    """Fields a person reads on the label: those in texts (a QR's or barcode's data is not read)."""
    found: set[str] = set()
    for el in template.elements:
        if el.kind in ("text", "code"):
            found.update(fields_in(el.text))
    return found


def _shows(field: str, names: tuple[str, ...]) -> bool:
    return any(field == n or field.startswith((n + ".", n + "_")) for n in names)


def _mandatory(template: Template) -> Iterator[TemplateError]:
    if not is_trace(template):
        return
    printed = _printed_fields(template)
    for zh, en, names in MANDATORY_TRACE_FIELDS:
        if not any(_shows(f, names) for f in printed):
            yield TemplateError(
                "tpl.mandatory_missing",
                template=template.name,
                item_zh=zh,
                item_en=en,
                fields=", ".join("{" + f + "}" for f in FIELDS if _shows(f, names)),
                line=template.line_of(0, "kind"),
            )


def _gap(template: Template, printer_lang: str | None) -> Iterator[TemplateError]:
    gap = template.gap_mm
    if gap is None or gap == 0:
        return
    langs = [printer_lang] if printer_lang in GAP_LIMITS_MM else list(GAP_LIMITS_MM)
    for lang in langs:
        low, high = GAP_LIMITS_MM[lang]
        if not low <= gap <= high:
            yield TemplateError(
                "tpl.gap_unprintable",
                template=template.name,
                gap=f"{gap:g}",
                low=f"{low:g}",
                high=f"{high:g}",
                lang=lang,
                line=template.line_of(0, "gap_mm"),
            )
            return
