"""`station backup` and `station restore`: the ledger, key and settings in one encrypted file, and back."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from station.cli.root import _emit, _home, _signed_in, cli, json_option
from station.errors import ConfigError
from station.texts import t

PASSPHRASE_VARIABLE = "STATION_BACKUP_PASSPHRASE"  # noqa: S105 (the name of a variable, not a secret)


def _passphrase(confirm: bool) -> str:
    """The passphrase: from $STATION_BACKUP_PASSPHRASE for a script, else asked (twice for a new backup)."""
    given = os.environ.get(PASSPHRASE_VARIABLE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise ConfigError("backup.passphrase_needed", variable=PASSPHRASE_VARIABLE)
    return str(click.prompt(t("backup.passphrase"), hide_input=True, confirmation_prompt=confirm, err=True))


@cli.command("backup")
@click.option("--out", "out", type=click.Path(path_type=Path), required=True, help="The backup file to write.")
@json_option
@click.pass_context
def backup_cmd(ctx: click.Context, out: Path, as_json: bool) -> None:
    """Write the ledger, the code key and the settings to one file encrypted with a passphrase (safe while the
    station runs). Keep it away from the station; without the key no code can ever be checked again."""
    from station.backup import make_backup

    home = _signed_in(ctx, "operators")
    info = make_backup(home, out, _passphrase(confirm=True))
    if as_json:
        _emit({"file": str(out), **info.to_json()})
        return
    click.echo(t("backup.done", path=out, events=info.events, head=info.head[:16]))
    if not info.ledger:
        click.echo(t("backup.postgres"))


@cli.command("restore")
@click.argument("backup_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("--replace", is_flag=True, help="Replace an existing data directory's ledger, key and settings.")
@json_option
@click.pass_context
def restore_cmd(ctx: click.Context, backup_file: Path, replace: bool, as_json: bool) -> None:
    """Restore a backup into the data directory: checked first (passphrase, key, audit chain), then put in place;
    replaced files are kept as *.before-restore."""
    from station.backup import restore_backup

    home = _home(ctx)
    if replace and home.is_initialised():
        home = _signed_in(ctx, "operators")
    home.close()
    info = restore_backup(backup_file, _passphrase(confirm=False), home.path, replace)
    if as_json:
        _emit({"home": str(home.path), **info.to_json()})
        return
    from station.zones import shown_time

    made = shown_time(info.made_at, home.config.station.timezone)
    click.echo(t("backup.restored", home=home.path, events=info.events, made=made, station=info.station))
