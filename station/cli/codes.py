"""Issuing, checking and looking up codes; audit and export."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from station.cli.root import ID, _emit, _home, _signed_in, cli, json_option
from station.errors import StationError
from station.texts import language, set_language, t

# --- issuing, checking, lookup ----------------------------------------------------------------------


@cli.command("issue")
@click.option("--enterprise", "enterprise_id", type=ID, required=True, help="Enterprise id (approved).")
@click.option("--product", "product_id", type=ID, required=True, help="Product id of that enterprise.")
@click.option("--count", type=click.IntRange(-(2**62), 2**62), required=True, help="Number of codes.")
@click.option("--lot", default=None, help="Lot number, when known at issue (GS1 AI 10 in the QR).")
@json_option
@click.pass_context
def issue_cmd(
    ctx: click.Context, enterprise_id: int, product_id: int, count: int, lot: str | None, as_json: bool
) -> None:
    """Issue a batch of codes (发码) as one order."""
    from station.issue import issue_codes

    result = issue_codes(_signed_in(ctx, "issue"), enterprise_id, product_id, count, lot)
    if as_json:
        _emit(
            {
                "order": result.order,
                "first": result.first,
                "last": result.last,
                "count": result.count,
                "seconds": result.seconds,
            }
        )
    else:
        click.echo(result.summary())


@cli.command("check")
@click.argument("code", nargs=-1, required=True)
@json_option
@click.pass_context
def check_cmd(ctx: click.Context, code: tuple[str, ...], as_json: bool) -> None:
    """Check a code typed by hand, offline: exit 0 and "valid" if genuine, else exit 1 with the reason."""
    from station.lookup import check_code

    text = " ".join(code)
    try:
        row = check_code(_home(ctx), text)
    except StationError as err:
        if as_json:
            _emit({"valid": False, "reason": err.message, "key": err.key})
        else:
            click.echo(err.message)
        sys.exit(1)
    state = row["state"].label
    if as_json:
        _emit({"valid": True, "serial": row["serial"], "state": state, "order": row["order_id"]})
    else:
        click.echo(f"{t('code.valid')} — {t('code.state', state=t(f'state.{state}'))}")


@cli.command("lookup")
@click.argument("code", nargs=-1, required=True)
@json_option
@click.pass_context
def lookup_cmd(ctx: click.Context, code: tuple[str, ...], as_json: bool) -> None:
    """Everything the ledger knows about a code: state, enterprise, product, order, history."""
    from station.lookup import lookup_code

    info = lookup_code(_home(ctx), " ".join(code))
    if as_json:
        _emit(info)
        return
    click.echo(f"{t('cli.lookup.code')}: {info['code_grouped']}")
    click.echo(f"{t('cli.lookup.state')}: {t('state.' + info['state'])}")
    click.echo(f"{t('cli.col.enterprise')}: {info['enterprise']['name']} ({info['enterprise']['credit_code']})")
    click.echo(
        f"{t('cli.col.product')}: {info['product']['name']}  {t('cli.col.origin')}: {info['product']['origin_code']}"
    )
    click.echo(f"{t('cli.lookup.order')}: {info['order']['id']}")
    click.echo(f"{t('cli.lookup.payload')}: {info['payload']}")
    click.echo(f"{t('cli.lookup.events')}:")
    for ev in info["events"]:
        click.echo(f"  #{ev['id']} {ev['at']} {ev['kind']} {ev['operator']}@{ev['station']}")


# --- audit and export -------------------------------------------------------------------------------


@cli.group()
def audit() -> None:
    """The tamper-evident event log."""


@audit.command("verify")
@json_option
@click.pass_context
def audit_verify(ctx: click.Context, as_json: bool) -> None:
    """Recompute the event hash chain; exit 1 at the first broken or missing event."""
    report = _home(ctx).ledger.verify_audit()
    if report.ok:
        text = t("audit.ok", n=report.events, head=report.head[:16])
    else:
        assert report.reason is not None
        reason = t(report.reason, missing=report.missing, subject=report.subject)
        text = t("audit.broken", id=report.broken_at or "-", reason=reason)
    if as_json:
        _emit(
            {
                "ok": report.ok,
                "events": report.events,
                "head": report.head,
                "broken_at": report.broken_at,
                "reason": None if report.ok else text,
            }
        )
    else:
        click.echo(text)
    sys.exit(0 if report.ok else 1)


@cli.group()
def export() -> None:
    """Exports for spreadsheets and other systems."""


@export.command("codes")
@click.option("--order", "order_id", type=ID, required=True, help="Order id.")
@click.option("--format", "fmt", default="csv", type=click.Choice(["csv", "xlsx"]), help="Output format.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Output file (default: standard output).")
@click.option(
    "--lang",
    type=click.Choice(["zh", "en"]),
    default=None,
    help="Column headings in this language (XLSX: the station's language by default; CSV: column names).",
)
@click.pass_context
def export_codes(ctx: click.Context, order_id: int, fmt: str, out: Path | None, lang: str | None) -> None:
    """One row per code: code, serial, state, payload (CSV: UTF-8 with BOM; XLSX: codes kept as text)."""
    from station.export import codes_table, write_table

    if lang is not None:
        set_language(lang)
    heading_lang = lang if lang is not None or fmt == "csv" else language()
    n = write_table(codes_table(_home(ctx), order_id), fmt, out, heading_lang)
    if out is not None:
        click.echo(t("export.done", n=n, path=out))
