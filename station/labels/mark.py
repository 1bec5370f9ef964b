"""The mark a reprint carries on paper: 补打 (reprint) and the time it was printed again.

A reprinted roll header or pickup slip must never pass for the original, whatever template the office uses (a
template in the data directory may replace a shipped one), so the mark is put in by the station, not by the
template: on a receipt (flow layout) a heading 补打 with the reprint time and its reason goes above everything;
on a fixed-size label every text element that shows the print date (``{print.date}``) shows 补打 and the reprint
time instead. A fixed template with no such element has no room for the mark and cannot be reprinted.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from station.errors import TemplateError
from station.labels.template import Element, Template

REPRINT_WORD = "补打"  # printed on the paper in Chinese, as every label and slip is
FIXED_TEXT = REPRINT_WORD + " {reprint.at}"
HEADING_TEXT = REPRINT_WORD + "  {reprint.at}"
REASON_TEXT = "补打原因 {reprint.reason}"


def reprint_template(template: Template) -> Template:
    """``template`` marked as a reprint: fill ``reprint.at`` (and ``reprint.reason``) in the values it renders."""
    if template.layout == "flow":
        width = template.width_mm - 2 * template.margin_mm
        heading = _text("reprint", template.margin_mm, 0.0, width, 5.0, HEADING_TEXT, 3.6, 2.4, "center", 1)
        reason = _text("reprint_reason", template.margin_mm, 0.4, width, 6.6, REASON_TEXT, 2.6, 1.8, "left", 2)
        elements = [heading, reason, *template.elements]
    else:
        elements = [
            Element(el.kind, el.index, {**el.settings, "text": FIXED_TEXT})
            if el.kind == "text" and "{print.date}" in str(el.settings.get("text", ""))
            else el
            for el in template.elements
        ]
        if elements == list(template.elements):
            raise TemplateError("tpl.no_reprint_place", template=template.name)
    numbered = tuple(Element(el.kind, i, el.settings) for i, el in enumerate(elements, start=1))
    return replace(template, elements=numbered, digest=template.digest + "+reprint")


def _text(
    ident: str, x: float, gap: float, w: float, h: float, text: str, size: float, least: float, align: str, lines: int
) -> Element:
    settings: dict[str, Any] = {
        "type": "text",
        "id": ident,
        "x_mm": x,
        "y_mm": gap,
        "w_mm": w,
        "h_mm": h,
        "text": text,
        "size_mm": size,
        "min_size_mm": least,
        "align": align,
        "lines": lines,
        "default": "",
    }
    return Element("text", 0, settings)
