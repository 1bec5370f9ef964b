"""`station lot …`, `station pickup`, `station bind`: lots, handing rolls over, binding codes to lots."""

from __future__ import annotations

import select
import sys
from collections.abc import Mapping
from typing import Any

import click

from station.cli.root import ID, _emit, _home, _signed_in, _table, cli, json_option
from station.texts import t


@cli.group()
def lot() -> None:
    """Lots: record, inspect, release, recall."""


@lot.command("add")
@click.option("--product", "product_id", type=ID, required=True, help="Product id.")
@click.option("--number", required=True, help="Lot number (letters, digits, GS1 symbols; up to 20).")
@click.option("--date", "production_date", required=True, help="Production date, YYYY-MM-DD.")
@click.option("--quantity", default="", help="Quantity or weight, e.g. 500克.")
@click.option("--record", "records", multiple=True, help="A production or processing record; repeatable.")
@json_option
@click.pass_context
def lot_add(
    ctx: click.Context,
    product_id: int,
    number: str,
    production_date: str,
    quantity: str,
    records: tuple[str, ...],
    as_json: bool,
) -> None:
    """Record a lot of a product."""
    from station.lots import add_lot

    home = _signed_in(ctx, "lots")
    lot_id = add_lot(home.ledger, product_id, number, production_date, quantity, list(records))
    if as_json:
        _emit(home.ledger.lot(lot_id))
    else:
        click.echo(t("lot.added", id=lot_id, number=number))


@lot.command("inspect")
@click.argument("lot_id", type=ID)
@click.option("--result", type=click.Choice(["pass", "fail"]), required=True)
@click.option("--report", default="", help="Test report reference.")
@click.pass_context
def lot_inspect(ctx: click.Context, lot_id: int, result: str, report: str) -> None:
    """Record the lot's inspection result."""
    from station.lots import inspect_lot

    inspect_lot(_signed_in(ctx, "lots").ledger, lot_id, result, report)
    click.echo(t("lot.updated", id=lot_id, what=t("lstatus." + result)))


@lot.command("release")
@click.argument("lot_id", type=ID)
@click.pass_context
def lot_release(ctx: click.Context, lot_id: int) -> None:
    """Release a lot that passed inspection (合格产品准出)."""
    from station.lots import release_lot

    release_lot(_signed_in(ctx, "lots").ledger, lot_id)
    click.echo(t("lot.updated", id=lot_id, what=t("lstatus.released")))


@lot.command("recall")
@click.argument("lot_id", type=ID)
@click.option("--reason", required=True, help="Why the lot is recalled.")
@click.pass_context
def lot_recall(ctx: click.Context, lot_id: int, reason: str) -> None:
    """Recall a lot: every code bound to it reports the recall."""
    from station.lots import recall_lot

    n = recall_lot(_signed_in(ctx, "lots"), lot_id, reason)
    click.echo(t("lot.recalled_codes", id=lot_id, count=n))


@lot.command("list")
@click.option("--product", "product_id", type=ID, default=None)
@json_option
@click.pass_context
def lot_list(ctx: click.Context, product_id: int | None, as_json: bool) -> None:
    """List lots."""
    rows = _home(ctx).ledger.lots(product_id)
    if as_json:
        _emit({"lots": rows})
        return
    _table(
        [(r["id"], r["product_id"], r["number"], r["production_date"], _lot_status(r)) for r in rows],
        [t("cli.col.id"), t("cli.col.product"), t("cli.col.lot"), t("cli.col.production_date"), t("cli.col.status")],
    )


def _lot_status(lot: Mapping[str, object]) -> str:
    """Where a lot stands, as the app's lots screen says it: inspection, release, recall."""
    parts = [t(f"lstatus.{lot['inspection'] or 'none'}")]
    if lot["released"]:
        parts.append(t("lstatus.released"))
    if lot["recalled"]:
        parts.append(t("lstatus.recalled", reason=lot["recall_reason"] or ""))
    return " · ".join(parts)


@cli.command("pickup")
@click.option("--enterprise", "enterprise_id", type=ID, required=True, help="The enterprise picking up.")
@click.option("--receiver", required=True, help="Name of the person who takes the rolls.")
@click.option(
    "--scanner",
    "scanner_uri",
    default=None,
    help="Scanner URI, e.g. serial:///dev/ttyACM0?suffix=CR (default: [pickup] scanner, unless --codes).",
)
@click.option("--codes", "scans", multiple=True, help="Scripted scans instead of a scanner; repeatable.")
@click.option(
    "--idle",
    type=click.FloatRange(0.5, 3600),
    default=None,
    help="With --scanner: finish after this many seconds without a scan (else press Enter).",
)
@click.option("--slip-printer", default=None, help="Receipt printer URI for the pickup slip (ESC/POS).")
@json_option
@click.pass_context
def pickup_cmd(
    ctx: click.Context,
    enterprise_id: int,
    receiver: str,
    scanner_uri: str | None,
    scans: tuple[str, ...],
    idle: float | None,
    slip_printer: str | None,
    as_json: bool,
) -> None:
    """Hand code rolls to an enterprise: scan each roll header; bad scans beep and change nothing."""
    import time

    from station.pickup import PickupSession, finish_pickup

    home = _signed_in(ctx, "pickup")
    if scanner_uri is None and not scans:
        scanner_uri = home.config.pickup.scanner
    slip_printer = slip_printer or home.config.pickup.slip_printer or None
    session = PickupSession(home, enterprise_id, receiver)
    outcomes: list[dict[str, Any]] = []

    def judge(text: str) -> None:
        outcome = session.scan(text)
        outcomes.append({"scan": text, "ok": outcome.ok, "message": outcome.message, "roll": outcome.roll})
        if not as_json:
            click.echo(("✔ " if outcome.ok else "\a✘ ") + outcome.message)

    if scanner_uri:
        from drivers.scanners import open_scanner

        if not as_json:
            click.echo(t("pickup.finish_hint"))
        with open_scanner(scanner_uri) as scanner:
            last = time.monotonic()
            while True:
                scan = scanner.read(0.2)
                if scan is not None:
                    judge(scan.text)
                    last = time.monotonic()
                elif idle is not None and time.monotonic() - last > idle:
                    break
                if idle is None and sys.stdin.isatty() and select.select([sys.stdin], [], [], 0)[0]:
                    sys.stdin.readline()
                    break
    for text in scans:
        judge(text)
    done = finish_pickup(session, slip_printer)
    if done.slip_error is not None:  # the pickup is recorded; the command still fails without its slip
        raise done.slip_error
    result: dict[str, Any] = {"pickup": done.pickup_id, "rolls": done.rolls, "codes": done.codes, "scans": outcomes}
    if done.slip is not None:
        result["slip"] = done.slip
    if as_json:
        _emit(result)
    else:
        click.echo(done.summary())
    sys.exit(0 if done.pickup_id is not None else 1)


@cli.command("bind")
@click.option("--lot", "lot_id", type=ID, required=True, help="Lot id (released).")
@click.option("--roll", "roll_id", default=None, help="Bind every handed-over code of this roll.")
@click.option("--first", default=None, help="First code of a range on one roll.")
@click.option("--last", default=None, help="Last code of the range.")
@json_option
@click.pass_context
def bind_cmd(
    ctx: click.Context, lot_id: int, roll_id: str | None, first: str | None, last: str | None, as_json: bool
) -> None:
    """Bind handed-over codes to a lot (赋码)."""
    from station.lots import bind_codes

    n = bind_codes(_signed_in(ctx, "lots"), lot_id, roll_id, first, last)
    if as_json:
        _emit({"lot": lot_id, "bound": n})
    else:
        click.echo(t("bind.done", n=n, lot=lot_id))


@cli.command("pickup-undo")
@click.argument("pickup_id", type=ID)
@click.option("--reason", required=True, help="Why the pickup is taken back.")
@click.pass_context
def pickup_undo_cmd(ctx: click.Context, pickup_id: int, reason: str) -> None:
    """Undo a pickup made at this station within [pickup] undo_window_min, with a reason (an event; nothing is
    deleted): its codes return to verified."""
    from station.pickup import undo_pickup

    home = _signed_in(ctx, "pickup")
    undo_pickup(home, pickup_id, reason, home.config.pickup.undo_window_min)
    click.echo(t("pickup.undone", id=pickup_id))
