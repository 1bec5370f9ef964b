"""`station settings`: every setting with its value, and changing one."""

from __future__ import annotations

import click

from station.cli.root import _emit, _home, _signed_in, _table, cli, json_option
from station.texts import t


@cli.group(invoke_without_command=True)
@json_option
@click.pass_context
def settings(ctx: click.Context, as_json: bool) -> None:
    """Every setting, its value and what it accepts; `settings set KEY VALUE` changes one."""
    if ctx.invoked_subcommand is not None:
        return
    from station.redact import shown_value
    from station.settings import all_settings, shown_setting

    found = all_settings(_home(ctx).config)
    if as_json:
        _emit({"settings": {s.key: shown_value(s.value) for s in found}})
        return
    _table(
        [
            (s.title, s.key, shown_setting(s.key, shown_value(s.value)), "" if s.value == s.default else "*")
            for s in found
        ],
        (t("settings.key"), t("settings.col.key"), t("settings.value"), t("settings.changed")),
    )


@settings.command("set")
@click.argument("key")
@click.argument("value")
@click.pass_context
def settings_set(ctx: click.Context, key: str, value: str) -> None:
    """Change one setting in the data directory's station.toml (checked before it is written)."""
    from station.redact import masked
    from station.settings import set_setting, setting_title

    home = _signed_in(ctx, "settings")
    set_setting(home.path, key, value)
    click.echo(t("settings.saved", key=setting_title(key), value=masked(value), file=home.path / "station.toml"))
