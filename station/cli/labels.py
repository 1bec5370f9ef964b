"""`station label list|check|render`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from station.cli.root import ID, _emit, _home, _table, cli, json_option
from station.texts import t

# --- labels ---------------------------------------------------------------------------------------


@cli.group()
def label() -> None:
    """Label templates: list, check, render previews."""


@label.command("list")
@json_option
@click.pass_context
def label_list(ctx: click.Context, as_json: bool) -> None:
    """List the label templates (shipped, and any in the data directory's label_templates)."""
    from station.labels import available_templates, load_template_file

    home = _home(ctx)
    rows = []
    for name, path in available_templates(home.path / "label_templates").items():
        tpl = load_template_file(path)
        rows.append(
            {
                "name": name,
                "title": tpl.title,
                "width_mm": tpl.width_mm,
                "height_mm": tpl.height_mm,
                "dpi": tpl.dpi,
                "path": str(path),
            }
        )
    if as_json:
        _emit({"templates": rows})
        return
    _table(
        [(r["name"], r["title"], f"{r['width_mm']:g}×{r['height_mm'] or '…'} mm", r["dpi"]) for r in rows],
        [t("cli.col.name"), t("cli.col.title"), t("cli.col.size"), "dpi"],
    )


@label.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@click.pass_context
def label_check(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Validate a template file: settings, placeholders, ids, placement and overlaps, a trace label's six
    required fields, the gap for the configured printer, fonts. Each problem names its line. Exit 1 when it has
    problems; a template with problems never prints."""
    from station.errors import TemplateError
    from station.labels import Renderer, check_template, load_template_file
    from station.labels.checks import located

    home = _home(ctx)
    warnings: list[str] = []
    try:
        template = load_template_file(file)
    except TemplateError as err:  # a setting the format does not allow: the first one, with its line
        problems = [err]
    else:
        problems, warnings = check_template(
            template, Renderer(font_path=home.config.labels.font), home.config.printer.lang
        )
    messages = [located(p, file.name) for p in problems]
    if as_json:
        details = [{"key": p.key, "line": p.params.get("line"), "message": p.message} for p in problems]
        _emit({"ok": not problems, "problems": messages, "warnings": warnings, "details": details})
    else:
        for message in messages:
            click.echo(t("error.line", message=message))
        for w in warnings:
            click.echo(f"{t('cli.warning')}: {w}")
        if not problems:
            click.echo(t("tpl.ok", name=file.stem))
    sys.exit(1 if problems else 0)


@label.command("render")
@click.option("--template", "template_name", default=None, help="Template name or .toml file.")
@click.option("--code", "code_text", default=None, help="Render the label of this code.")
@click.option("--order", "order_id", type=ID, default=None, help="Render labels of this order.")
@click.option("--limit", type=int, default=1, show_default=True, help="With --order: how many labels.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="PNG file; numbered when several.")
@click.option("--dpi", type=click.Choice(["203", "300"]), default=None, help="Printer resolution override.")
@click.option("--preview/--no-preview", default=False, help="Also show the label in the terminal.")
@json_option
@click.pass_context
def label_render(
    ctx: click.Context,
    template_name: str | None,
    code_text: str | None,
    order_id: int | None,
    limit: int,
    out: Path,
    dpi: str | None,
    preview: bool,
    as_json: bool,
) -> None:
    """Render labels to PNG at printer dots, exactly what the printer will print."""
    from station.labels.render_job import render_labels

    home = _home(ctx)
    result = render_labels(
        home, template_name or home.config.labels.template, code_text, order_id, limit, out, int(dpi) if dpi else None
    )
    if as_json:
        _emit({"files": [str(p) for p in result.files], "warnings": result.warnings, "size_dots": list(result.size)})
        return
    for w in result.warnings:
        click.echo(f"{t('cli.warning')}: {w}", err=True)
    if preview and result.first is not None:
        import shutil

        from station.labels.preview import ansi_text

        click.echo(ansi_text(result.first, max(40, shutil.get_terminal_size().columns)), color=True)
    click.echo(
        t(
            "tpl.rendered",
            n=len(result.files),
            paths=", ".join(str(p) for p in result.files[:3]) + (" …" if len(result.files) > 3 else ""),
        )
    )
