"""Issuing, checking and looking up codes; audit and export."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from station.cli.root import ID, _emit, _home, _signed_in, cli, json_option, shown
from station.errors import StationError
from station.texts import language, set_language, t

if TYPE_CHECKING:
    from station.home import Home
    from station.ledger.audit import Anchor, AuditReport
    from station.ledger.sql import SqlLedger

# --- issuing, checking, lookup ----------------------------------------------------------------------


@cli.command("issue")
@click.option("--enterprise", "enterprise_id", type=ID, required=True, help="Enterprise id (approved).")
@click.option("--product", "product_id", type=ID, required=True, help="Product id of that enterprise.")
@click.option("--count", type=click.IntRange(-(2**62), 2**62), required=True, help="Number of codes.")
@click.option("--lot", default=None, help="Lot number, when known at issue (GS1 AI 10 in the QR).")
@click.option("--hidden", is_flag=True, help="Print each label with a hidden code (暗码) under a scratch-off patch.")
@json_option
@click.pass_context
def issue_cmd(
    ctx: click.Context,
    enterprise_id: int,
    product_id: int,
    count: int,
    lot: str | None,
    as_json: bool,
    hidden: bool = False,
) -> None:
    """Issue a batch of codes (发码) as one order."""
    from station.issue import issue_codes

    home = _signed_in(ctx, "issue")
    if hidden:
        from station.hidden import issue_hidden

        result = issue_hidden(home, enterprise_id, product_id, count, lot)
    else:
        result = issue_codes(home, enterprise_id, product_id, count, lot)
    if as_json:
        _emit(
            {
                "order": result.order,
                "first": result.first,
                "last": result.last,
                "count": result.count,
                "seconds": result.seconds,
                "hidden": hidden,
            }
        )
    else:
        click.echo(result.summary() + (" " + t("hidden.cli.issued") if hidden else ""))


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
    """Everything the ledger knows about a code: state, enterprise, product, order, history. A certificate number
    (HG…) shows the certificate, its lot and producer."""
    from station.certificates import is_certificate_number
    from station.lookup import lookup_code

    if is_certificate_number("".join(code)):
        _lookup_certificate(ctx, "".join(code), as_json)
        return
    info = lookup_code(_home(ctx), " ".join(code))
    if as_json:
        _emit(info)
        return
    click.echo(f"{t('cli.lookup.code')}: {info['code_grouped']}")
    click.echo(f"{t('cli.lookup.state')}: {t('state.' + info['state'])}")
    click.echo(f"{t('cli.col.enterprise')}: {info['enterprise']['name']} ({info['enterprise']['credit_code']})")
    click.echo(
        f"{t('cli.col.product')}: {info['product']['name']}  {t('cli.col.origin')}: {info['product']['origin_code']}"
        f" {info['product']['origin_place']}"
    )
    click.echo(f"{t('cli.lookup.order')}: {info['order']['id']}")
    click.echo(f"{t('cli.lookup.payload')}: {info['payload']}")
    from station.texts import event_name
    from station.zones import shown_time

    zone = _home(ctx).config.station.timezone
    if info["void"] is not None:
        when = shown_time(info["void"]["at"], zone)
        click.echo(t("void.lookup_line", at=when, reason=shown(info["void"]["reason"])))
    click.echo(f"{t('cli.lookup.events')}:")
    for ev in info["events"]:
        when, kind = shown_time(ev["at"], zone), event_name(ev["kind"])
        click.echo(f"  #{ev['id']} {when} {kind} {ev['operator']}@{ev['station']}")


def _lookup_certificate(ctx: click.Context, number: str, as_json: bool) -> None:
    from station.certificates import lookup_certificate

    info = lookup_certificate(_home(ctx), number)
    if as_json:
        _emit(info)
        return
    cert, lot, product = info["certificate"], info["lot"], info["product"]
    click.echo(f"{t('cli.lookup.certificate')}: {cert['number']}  {cert['at']}  {cert['operator']}@{cert['station']}")
    click.echo(f"{t('cli.col.enterprise')}: {info['enterprise']['name']}")
    click.echo(f"{t('cli.col.product')}: {product['name']}  {t('cli.col.origin')}: {product['origin_place']}")
    click.echo(f"{t('cli.lookup.lot')}: {lot['number']}  {lot['production_date']} … {lot['best_before']}")


# --- audit and export -------------------------------------------------------------------------------


@cli.group()
def audit() -> None:
    """The tamper-evident event log."""


@audit.command("verify")
@click.option(
    "--anchor",
    "anchor_file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="A head record written by `audit anchor`: the chain must still hold it and not end before it.",
)
@click.option(
    "--slip",
    "slips",
    multiple=True,
    help="The head as a slip shows it (#<id> <hash digits>): the chain must still hold that event with that hash.",
)
@json_option
@click.pass_context
def audit_verify(ctx: click.Context, anchor_file: Path | None, slips: tuple[str, ...], as_json: bool) -> None:
    """Recompute the event hash chain, check it against the kept head record (and --anchor), and recompute the
    tables from the events; exit 1 at the first broken or missing event, or row that disagrees. When all agree,
    the kept head record moves to the current head."""
    from station.ledger.audit import KEPT_ANCHOR, Anchor, read_anchor, write_anchor

    home = _home(ctx)
    anchors: list[Anchor] = []
    kept = read_anchor(home.path / KEPT_ANCHOR)
    if kept is not None:
        anchors.append(kept)
    if anchor_file is not None:
        given = read_anchor(anchor_file)
        if given is None:
            raise click.BadParameter(t("audit.anchor_unreadable", path=anchor_file), param_hint="--anchor")
        anchors.append(given)
    for slip in slips:
        read = Anchor.from_slip(slip)
        if read is None:
            raise click.BadParameter(t("audit.slip_unreadable", text=slip), param_hint="--slip")
        anchors.append(read)
    ledger = _sql_ledger(home)
    report = ledger.verify_audit(anchors)
    kept_now = False
    if report.ok:
        text = t("audit.ok", n=report.events, head=report.head[:16])
        if report.events:
            try:
                write_anchor(home.path / KEPT_ANCHOR, _head_record(report.events, report.head, ledger.audit_key))
                kept_now = True
            except OSError:
                kept_now = False
    else:
        text = _failure_text(report)
    if as_json:
        data: dict[str, object] = {
            "ok": report.ok,
            "events": report.events,
            "head": report.head,
            "broken_at": report.broken_at,
            "reason": None if report.ok else text,
        }
        if report.kind is not None or (report.reason or "").startswith("audit.reason.anchor"):
            data["reason_key"] = report.reason
        if report.kind is not None:
            data |= {
                "kind": report.kind,
                "table": report.table,
                "row": report.row,
                "column": report.column,
                "expected": report.expected,
                "found": report.found,
            }
        if anchors:
            data["anchors_checked"] = report.anchors
        if kept_now:
            data["anchor_kept"] = True
        _emit(data)
    else:
        click.echo(text)
        if report.ok and len(anchors) > (kept is not None):
            click.echo(t("audit.anchors_ok", n=len(anchors)))
    sys.exit(0 if report.ok else 1)


@audit.command("anchor")
@click.option(
    "--out",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Also write the head record to this file (to keep away from the station).",
)
@json_option
@click.pass_context
def audit_anchor(ctx: click.Context, out: Path | None, as_json: bool) -> None:
    """Verify the ledger, then record its head (event count, last id, last hash, time, MAC) beside the ledger and
    in --out, and print a line to put on the day's last slip. Exit 1, recording nothing, if the ledger does not
    verify."""
    from station.ledger.audit import KEPT_ANCHOR, read_anchor, write_anchor

    home = _home(ctx)
    kept = read_anchor(home.path / KEPT_ANCHOR)
    ledger = _sql_ledger(home)
    report = ledger.verify_audit([kept] if kept is not None else [])
    if not report.ok:
        text = _failure_text(report)
        if as_json:
            _emit({"ok": False, "reason": text, "reason_key": report.reason})
        else:
            click.echo(text)
        sys.exit(1)
    record = _head_record(report.events, report.head, ledger.audit_key)
    try:
        write_anchor(home.path / KEPT_ANCHOR, record)
        if out is not None:
            write_anchor(out, record)
    except OSError as err:
        raise click.FileError(str(out or home.path / KEPT_ANCHOR), err.strerror) from err
    from station.zones import shown_time

    line = t("audit.anchor_line", line=record.slip_line(), at=shown_time(record.at, home.config.station.timezone)[:16])
    if as_json:
        _emit({"ok": True, **json.loads(record.to_json()), "line": line, "out": None if out is None else str(out)})
    else:
        click.echo(line)
        if out is not None:
            click.echo(t("audit.anchor_written", path=out))


def _failure_text(report: AuditReport) -> str:
    """What failed, in the station's language: the event or head record, or the table, row and column."""
    assert report.reason is not None
    if report.kind == "column":
        reason = t(
            "audit.reason.column",
            table=report.table,
            row=report.row,
            column=report.column,
            expected=_shown(report.expected),
            found=_shown(report.found),
        )
        return t("audit.rows_broken", reason=reason)
    if report.kind is not None:
        return t("audit.rows_broken", reason=t(f"audit.reason.row_{report.kind}", table=report.table, row=report.row))
    return t("audit.broken", id=report.broken_at or "-", reason=t(report.reason, missing=report.missing))


def _sql_ledger(home: Home) -> SqlLedger:
    """The station's ledger, which every backend keeps in SQL (the audit reads its tables)."""
    from station.ledger.sql import SqlLedger

    ledger = home.ledger
    assert isinstance(ledger, SqlLedger)
    return ledger


def _head_record(events: int, head: str, key: bytes | None) -> Anchor:
    """The signed head record of a verified chain of ``events`` events ending in ``head``."""
    from station.ledger.audit import Anchor
    from station.ledger.base import utc_now

    return Anchor(events, events, head, utc_now()).signed(key)


def _shown(value: object) -> str:
    """A value as a report shows it: JSON, so text, numbers and nothing read apart."""
    return json.dumps(value, ensure_ascii=False, default=str)


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
