"""`station void …` and `station reprint …`: voiding codes after issue (作废) and printing a roll header or a pickup
slip again (补打), each with a reason, each asked about first unless --yes."""

from __future__ import annotations

import sys
from typing import Any

import click

from station.cli.root import ID, _emit, _signed_in, cli, json_option
from station.texts import t


def _confirmed(question: str, yes: bool, as_json: bool) -> None:
    """Go on when --yes was given or the clerk answers yes; otherwise say nothing changed and exit with 1."""
    if yes:
        return
    try:
        answer = click.confirm(f"{question}\n{t('void.ask')}", default=False, err=True)
    except click.Abort:
        answer = False
    if not answer:
        if as_json:
            _emit({"cancelled": True})
        else:
            click.echo(t("confirm.cancelled"), err=True)
        sys.exit(1)


def _answer(done: Any, as_json: bool) -> None:
    """The result: its JSON, or its summary line."""
    if as_json:
        _emit(done.to_json())
    else:
        click.echo(done.summary())


_yes = click.option("--yes", "-y", is_flag=True, help="Do it without asking (for scripts).")
_reason = click.option("--reason", required=True, help="Why (recorded in the ledger and shown with the result).")


@cli.group("void")
def void_group() -> None:
    """Void codes after issue, with a reason: an order's unprinted codes, a lost or stolen roll, single codes."""


@void_group.command("order")
@click.argument("order_id", type=ID)
@_reason
@_yes
@json_option
@click.pass_context
def void_order_cmd(ctx: click.Context, order_id: int, reason: str, yes: bool, as_json: bool) -> None:
    """Cancel an issued order: its codes not yet printed are voided and it prints nothing more; printed codes
    stay."""
    from station.voids import cancel_order, plan_cancel, require_reason

    home = _signed_in(ctx, "void")
    reason = require_reason(reason)
    _confirmed(plan_cancel(home, order_id).question(reason), yes, as_json)
    done = cancel_order(home, order_id, reason)
    _answer(done, as_json)


@void_group.command("roll")
@click.argument("roll_ids", nargs=-1, required=True)
@_reason
@_yes
@json_option
@click.pass_context
def void_roll_cmd(ctx: click.Context, roll_ids: tuple[str, ...], reason: str, yes: bool, as_json: bool) -> None:
    """Void a lost or stolen roll (or several): every code on it still standing is voided."""
    from station.voids import plan_roll, require_reason, void_roll

    home = _signed_in(ctx, "void")
    reason = require_reason(reason)
    plans = [plan_roll(home, roll_id) for roll_id in roll_ids]  # every roll checked before any is voided
    _confirmed("\n".join(plan.question(reason) for plan in plans), yes, as_json)
    done = [void_roll(home, plan.subject, reason) for plan in plans]
    if as_json:
        _emit({"rolls": [plan.to_json() for plan in done]})
    else:
        for plan in done:
            click.echo(plan.summary())


@void_group.command("code")
@click.argument("codes", nargs=-1, required=True)
@_reason
@_yes
@json_option
@click.pass_context
def void_code_cmd(ctx: click.Context, codes: tuple[str, ...], reason: str, yes: bool, as_json: bool) -> None:
    """Void single codes, handed out or not (each as 20 digits, grouped digits in quotes, or a label's link): all
    of them or, when one is refused, none."""
    from station.voids import plan_codes, require_reason, split_codes, void_codes

    home = _signed_in(ctx, "void")
    reason = require_reason(reason)
    texts = split_codes(" ".join(codes))
    _confirmed(plan_codes(home, texts).question(reason), yes, as_json)
    done = void_codes(home, texts, reason)
    _answer(done, as_json)


@cli.group("reprint")
def reprint_group() -> None:
    """Print a roll header or a pickup slip again (补打), with a reason; the paper says 补打 and the time."""


@reprint_group.command("header")
@click.argument("roll_ids", nargs=-1, required=True)
@_reason
@click.option("--printer", "printer_uri", default=None, help="Printer URI (default: the configured printer).")
@_yes
@json_option
@click.pass_context
def reprint_header_cmd(
    ctx: click.Context, roll_ids: tuple[str, ...], reason: str, printer_uri: str | None, yes: bool, as_json: bool
) -> None:
    """Print the header label of a roll (or several) again on the label printer."""
    from station.reprint import plan_header, reprint_header
    from station.voids import require_reason

    home = _signed_in(ctx, "void")
    reason = require_reason(reason)
    for roll_id in roll_ids:
        plan_header(home, roll_id.strip())
    _confirmed("\n".join(t("reprint.confirm.header", roll=r, reason=reason) for r in roll_ids), yes, as_json)
    done = [reprint_header(home, roll_id, reason, printer_uri) for roll_id in roll_ids]
    if as_json:
        _emit({"reprints": [d.to_json() for d in done]})
    else:
        for d in done:
            click.echo(d.summary())


@reprint_group.command("slip")
@click.argument("slip")
@_reason
@click.option("--slip-printer", default=None, help="Receipt printer URI (default: [pickup] slip_printer).")
@_yes
@json_option
@click.pass_context
def reprint_slip_cmd(
    ctx: click.Context, slip: str, reason: str, slip_printer: str | None, yes: bool, as_json: bool
) -> None:
    """Print a pickup slip again (SLIP: its number as printed, P000031, or the pickup id, 31)."""
    from station.reprint import parse_slip, plan_slip, reprint_slip
    from station.voids import require_reason

    home = _signed_in(ctx, "void")
    reason = require_reason(reason)
    pickup_id = parse_slip(slip)
    _confirmed(t("reprint.confirm.slip", slip=plan_slip(home, pickup_id, slip_printer), reason=reason), yes, as_json)
    done = reprint_slip(home, pickup_id, reason, slip_printer)
    _answer(done, as_json)
