"""`station export …` for spreadsheets (orders, runs, grades, pickups) and other systems (lot trace, EPCIS).

`station export codes` lives with the other code commands in ``station.cli.codes``; these join its group.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from station.cli.codes import export
from station.cli.root import ID, _home
from station.texts import language, set_language, t

F = TypeVar("F", bound=Callable[..., Any])


def _table_options(func: F) -> F:
    """--format, --out and --lang, shared by the spreadsheet exports."""
    func = click.option(
        "--lang",
        type=click.Choice(["zh", "en"]),
        default=None,
        help="Language of the column headings (default: the station's language, Chinese unless set).",
    )(func)
    func = click.option(
        "--out",
        type=click.Path(path_type=Path),
        default=None,
        help="Output file (default: standard output; XLSX needs a file).",
    )(func)
    return click.option("--format", "fmt", default="csv", type=click.Choice(["csv", "xlsx"]), help="Output format.")(
        func
    )


def _write(table: Any, fmt: str, out: Path | None, lang: str | None) -> None:
    from station.export import write_table

    if lang is not None:
        set_language(lang)
    n = write_table(table, fmt, out, lang or language())
    if out is not None:
        click.echo(t("export.rows_done", n=n, path=out))


@export.command("orders")
@_table_options
@click.pass_context
def export_orders(ctx: click.Context, fmt: str, out: Path | None, lang: str | None) -> None:
    """Issuance: one row per order with its enterprise, product, count, time and codes per state."""
    from station.export import orders_table

    _write(orders_table(_home(ctx)), fmt, out, lang)


@export.command("runs")
@click.option("--order", "order_id", type=ID, default=None, help="Only this order's runs.")
@_table_options
@click.pass_context
def export_runs(ctx: click.Context, order_id: int | None, fmt: str, out: Path | None, lang: str | None) -> None:
    """Print runs: status, reason, times, labels printed, verified and voided, rolls."""
    from station.export import runs_table

    _write(runs_table(_home(ctx), order_id), fmt, out, lang)


@export.command("grades")
@click.option("--order", "order_id", type=ID, default=None, help="Only this order's labels.")
@_table_options
@click.pass_context
def export_grades(ctx: click.Context, order_id: int | None, fmt: str, out: Path | None, lang: str | None) -> None:
    """Verification: one row per verified or rejected label with its run, roll, position, grade and reason."""
    from station.export import grades_table

    _write(grades_table(_home(ctx), order_id), fmt, out, lang)


@export.command("pickups")
@click.option("--enterprise", "enterprise_id", type=ID, default=None, help="Only this enterprise's pickups.")
@_table_options
@click.pass_context
def export_pickups(ctx: click.Context, enterprise_id: int | None, fmt: str, out: Path | None, lang: str | None) -> None:
    """Pickups (领取): enterprise, receiver, operator, time, rolls, codes handed over, undo."""
    from station.export import pickups_table

    _write(pickups_table(_home(ctx), enterprise_id), fmt, out, lang)


@export.command("lot")
@click.argument("lot_id", type=ID)
@click.option("--format", "fmt", default="json", type=click.Choice(["json"]), help="Output format.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Output file (default: standard output).")
@click.pass_context
def export_lot(ctx: click.Context, lot_id: int, fmt: str, out: Path | None) -> None:
    """A lot's whole trace for the provincial platform (docs/exchange.md): enterprise, product, lot, codes, events."""
    from station.exchange import export_lot_trace

    number, codes = export_lot_trace(_home(ctx), lot_id, out)
    if out is not None:
        click.echo(t("export.lot_done", number=number, codes=codes, path=out))


@export.command("epcis")
@click.option("--lot", "lot_id", type=ID, required=True, help="Lot id.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Output file (default: standard output).")
@click.pass_context
def export_epcis_cmd(ctx: click.Context, lot_id: int, out: Path | None) -> None:
    """GS1 EPCIS 2.0 (JSON-LD) events of a lot's codes: commissioning, shipping at pickup, recall."""
    from station.exchange import export_epcis

    n = export_epcis(_home(ctx), lot_id, out)
    if out is not None:
        click.echo(t("export.epcis_done", n=n, path=out))


@export.command("certificates")
@click.option("--lot", "lot_id", type=ID, default=None, help="Only this lot's certificates.")
@_table_options
@click.pass_context
def export_certificates(ctx: click.Context, lot_id: int | None, fmt: str, out: Path | None, lang: str | None) -> None:
    """承诺达标合格证 issued: number, lot, product, origin, producer, time, operator, station, printer."""
    from station.certificates import certificates_table

    _write(certificates_table(_home(ctx), lot_id), fmt, out, lang)


from station.cli import hidden as _hidden  # noqa: E402,F401 - `station export hidden` joins the group
