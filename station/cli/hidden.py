"""Hidden codes (暗码): `station hidden mark|prune` and `station export hidden` for a scratch-off printing service."""

from __future__ import annotations

from pathlib import Path

import click

from station.cli.codes import export
from station.cli.root import ID, _emit, _home, _signed_in, cli, json_option
from station.texts import t


@cli.group()
def hidden() -> None:
    """Hidden codes under a scratch-off patch (暗码): which orders carry them, camera pictures that show them."""


@hidden.command("mark")
@click.option("--order", "order_id", type=ID, required=True, help="Order id (none of its labels printed yet).")
@click.pass_context
def hidden_mark(ctx: click.Context, order_id: int) -> None:
    """Print an order's labels with a hidden code (before any is printed; `station issue --hidden` does it at once)."""
    from station.hidden import mark_hidden

    mark_hidden(_signed_in(ctx, "issue"), order_id)
    click.echo(t("hidden.marked", order=order_id))


@hidden.command("prune")
@click.pass_context
def hidden_prune(ctx: click.Context) -> None:
    """Delete camera pictures of hidden-code labels older than [verify] capture_retention_h."""
    from station.hidden import prune_captures

    home = _home(ctx)
    hours = home.config.verify.capture_retention_h
    click.echo(t("hidden.pruned", n=len(prune_captures(home, hours)), hours=hours))


@export.command("hidden")
@click.option("--order", "order_id", type=ID, required=True, help="Order id (printed with hidden codes).")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="New CSV file (mode 0600).")
@click.option("--for", "purpose", default="", help="Who receives the file (the scratch-off printer); recorded.")
@json_option
@click.pass_context
def export_hidden_cmd(ctx: click.Context, order_id: int, out: Path, purpose: str, as_json: bool) -> None:
    """An order's codes with their hidden codes, for a scratch-off printing service; recorded in the ledger."""
    from station.hidden import export_hidden

    done = export_hidden(_signed_in(ctx, "hidden_export"), order_id, out, purpose)
    if as_json:
        _emit(
            {
                "order": done.order,
                "count": done.count,
                "path": str(done.path),
                "sha256": done.sha256,
                "event": done.event,
            }
        )
    else:
        click.echo(t("hidden.export_done", n=done.count, path=done.path, event=done.event, sha=done.sha256[:16]))
