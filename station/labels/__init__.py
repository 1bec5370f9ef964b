"""Label templates (TOML) rendered to 1-bit images at printer dots."""

from station.labels.render import Label, PlacedQr, Renderer, check_template
from station.labels.template import Template, available_templates, load_template, load_template_file

__all__ = [
    "Label",
    "PlacedQr",
    "Renderer",
    "Template",
    "available_templates",
    "check_template",
    "load_template",
    "load_template_file",
]
