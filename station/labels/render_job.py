"""Rendering labels for codes or orders to PNG files: what `station label render` does."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from PIL import Image

from station.errors import TemplateError
from station.home import Home
from station.labels.render import Renderer
from station.labels.template import Template, load_template
from station.labels.values import code_values, order_roll_values, order_values
from station.lookup import check_code


@dataclass
class RenderResult:
    """Files written and warnings met."""

    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)
    first: Image.Image | None = None


def _numbered(out: Path, i: int, n: int) -> Path:
    return out if n == 1 else out.with_name(f"{out.stem}-{i:04d}{out.suffix or '.png'}")


def _save(image: Image.Image, template: Template, path: Path) -> None:
    if path.is_dir():
        raise TemplateError("export.is_dir", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        image.save(tmp, format="PNG", dpi=(template.dpi, template.dpi))
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def render_labels(
    home: Home,
    template_name: str,
    code_text: str | None,
    order_id: int | None,
    limit: int,
    out: Path,
    dpi: int | None = None,
) -> RenderResult:
    """Render the label of one code, or of the first ``limit`` codes of an order (roll headers and slips:
    the order as one roll)."""
    if (code_text is None) == (order_id is None):
        raise TemplateError("tpl.needs_code")
    if not 1 <= limit <= 10_000:
        raise TemplateError("tpl.bad_limit")
    template = load_template(template_name, home.path / "label_templates")
    if dpi is not None:
        template = template.with_dpi(dpi)
    renderer = Renderer(font_path=home.config.labels.font)
    result = RenderResult()
    uses_roll = any(el.kind == "list" for el in template.elements) or any(
        "{roll." in str(el.settings.get("text", "")) + str(el.settings.get("data", "")) for el in template.elements
    )
    if code_text is not None:
        serial = check_code(home, code_text)["serial"]
        jobs = [code_values(home, serial)]
        rows: list[dict[str, str]] = []
        if uses_roll:
            roll, rows = order_roll_values(home, home.ledger.code(serial)["order_id"])  # type: ignore[index]
            jobs = [{**roll, **jobs[0]}]
    else:
        assert order_id is not None
        if uses_roll:
            roll, rows = order_roll_values(home, order_id)
            jobs = [roll]
        else:
            rows = []
            shared = order_values(home, order_id)
            jobs = []
            for serial, _state in home.ledger.order_codes(order_id):
                jobs.append(code_values(home, serial, shared))
                if len(jobs) >= limit:
                    break
    for values in jobs:  # a preview never shows a hidden code (暗码): only a run prints it, under its patch
        if "hidden" in values:
            values.update(hidden="X" * 8, hidden_grouped="XXXX XXXX")
    for i, values in enumerate(jobs, start=1):
        label = renderer.render(template, values, rows)
        path = _numbered(out, i, len(jobs))
        _save(label.image, template, path)
        result.files.append(path)
        result.warnings.extend(w for w in label.warnings if w not in result.warnings)
        if result.first is None:
            result.first = label.image
            result.size = label.image.size
    return result
