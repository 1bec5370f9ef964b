"""`station certificate …`: 承诺达标合格证 issued per lot, printed, recorded, listed."""

from __future__ import annotations

import click

from station.cli.root import ID, _emit, _home, _signed_in, _table, cli, json_option
from station.texts import t


@cli.group()
def certificate() -> None:
    """承诺达标合格证: issue per lot, list."""


@certificate.command("issue")
@click.option("--lot", "lot_id", type=ID, required=True, help="Lot id (released).")
@click.option("--count", type=click.IntRange(1, 1000), required=True, help="Certificates to print.")
@click.option("--printer", "printer_uri", default=None, help="Printer URI (default: [printer] uri).")
@click.option(
    "--lang",
    "lang",
    type=click.Choice(["escpos", "tspl", "zpl"]),
    default=None,
    help="Printer language (default: [printer] lang).",
)
@json_option
@click.pass_context
def certificate_issue(
    ctx: click.Context, lot_id: int, count: int, printer_uri: str | None, lang: str | None, as_json: bool
) -> None:
    """Print COUNT numbered certificates carrying the lot's data; each is recorded in the ledger."""
    from station.certificates import issue_certificates

    run = issue_certificates(_signed_in(ctx, "lots"), lot_id, count, printer_uri, lang)
    if as_json:
        _emit({"lot": lot_id, "certificates": run.numbers, "warnings": run.warnings})
        return
    for warning in run.warnings:
        click.echo(warning, err=True)
    click.echo(run.summary())


@certificate.command("list")
@click.option("--lot", "lot_id", type=ID, default=None, help="Only this lot's certificates.")
@json_option
@click.pass_context
def certificate_list(ctx: click.Context, lot_id: int | None, as_json: bool) -> None:
    """Certificates issued: number, lot, time, operator, station, printer."""
    from station.certificates import certificates_table

    table = certificates_table(_home(ctx), lot_id)
    rows = list(table.rows)
    if as_json:
        _emit({"certificates": [dict(zip(table.columns, row, strict=True)) for row in rows]})
        return
    heads = [t(f"export.col.{c}") for c in ("certificate", "lot_id", "lot", "time", "operator", "station")]
    _table([(r[0], r[1], r[2], r[7], r[8], r[9]) for r in rows], heads)
