"""The reference a label is compared with: the label as rendered for its code."""

from __future__ import annotations

from station.home import Home
from station.labels.fields import fields_in
from station.labels.render import PER_LABEL_FIELDS, Label, Renderer
from station.labels.template import Template, load_template
from station.labels.values import code_values
from station.lookup import check_code
from station.verify.defects import Reference


def code_box(template: Template) -> tuple[int, int, int, int] | None:
    """The human-readable code's box in dots, if the template has one (fixed layout only)."""
    if template.layout != "fixed":
        return None
    for el in template.elements:
        if el.kind == "code":
            return (
                template.dots(el.x_mm),
                template.dots(el.y_mm),
                template.dots(el.x_mm + el.w_mm),
                template.dots(el.y_mm + el.h_mm),
            )
    return None


def code_qr(template: Template) -> str | None:
    """The QR element that carries the label's own code (its data names a per-label field), by its place name."""
    for el in template.elements:
        if el.kind == "qr" and any(name in PER_LABEL_FIELDS for name in fields_in(el.data)):
            return el.where
    return None


def reference_for(label: Label, template: Template) -> Reference:
    """The reference of a label rendered from ``template``; the symbol verified is the one carrying the code."""
    return Reference.from_label(label, code_box(template), code_qr(template))


def reference_for_code(home: Home, template_name: str, code_text: str) -> tuple[Reference, str]:
    """Render the code's label as the printer got it; returns the reference and the QR payload."""
    template = load_template(template_name, home.path / "label_templates")
    serial = check_code(home, code_text)["serial"]
    values = code_values(home, serial)
    label = Renderer(font_path=home.config.labels.font).render(template, values)
    return reference_for(label, template), values["payload"]
