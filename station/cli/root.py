"""The root of the ``station`` command: options, error handling, output helpers, and ``init``."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from drivers.errors import DriverError
from station import __version__
from station.cli.usage import StationGroup, install
from station.errors import StationError, from_driver, system_reason
from station.texts import set_language, t

if TYPE_CHECKING:
    from station.home import Home

F = TypeVar("F", bound=Callable[..., Any])
ID = click.IntRange(1, 2**62)  # SQLite integers; anything larger is a typo


def _emit(data: Mapping[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=str))


def _fail(err: StationError, as_json: bool = False) -> NoReturn:
    if as_json:
        _emit({"error": err.message, "kind": err.title, "key": err.key})
    else:
        click.echo(t("error.line", message=err.message), err=True)
    sys.exit(1)


# each command's module, imported when the command is run (or help lists them): `station --version` and
# `station check CODE` do not pay for the imports of every other command
COMMAND_MODULES = {
    "issue": "codes",
    "check": "codes",
    "lookup": "codes",
    "audit": "codes",
    "export": "exchange",  # the group is in codes, most of its commands in exchange (which imports codes)
    "devices": "devices",
    "print-test": "devices",
    "emulate": "devices",
    "printer": "devices",
    "label": "labels",
    "serve": "query",
    "reports": "query",
    "stats": "query",
    "enterprise": "registry",
    "product": "registry",
    "operator": "registry",
    "run": "run",
    "demo": "run",
    "settings": "settings",
    "lot": "trace",
    "pickup": "trace",
    "bind": "trace",
    "pickup-undo": "trace",
    "verify-image": "verify",
    "verify-camera": "verify",
    "backup": "backup",
    "restore": "backup",
    "void": "voids",
    "reprint": "voids",
    "certificate": "certificates",
    "hidden": "hidden",
}


install()  # click's usage errors in the clerk's language


class _Root(StationGroup):
    """Turns every StationError into a clear message and exit status 1; loads each command's module on demand."""

    group_class = StationGroup

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(COMMAND_MODULES))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMAND_MODULES:
            import importlib

            importlib.import_module(f"station.cli.{COMMAND_MODULES[cmd_name]}")  # its decorators register it
        return super().get_command(ctx, cmd_name)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        if ctx.params.get("lang"):  # a command that is not there is told in the language asked for
            set_language(ctx.params["lang"])
        return super().resolve_command(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StationError as err:
            _fail(err, bool(ctx.meta.get("json")))
        except DriverError as err:  # a device the command used directly: the same message as the station's own
            _fail(from_driver(err), bool(ctx.meta.get("json")))
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except OSError as err:
            _fail(
                StationError("error.os", reason=system_reason(err.strerror or str(err), err), path=err.filename or ""),
                bool(ctx.meta.get("json")),
            )
        except Exception as err:  # noqa: BLE001 - the last resort: a clerk gets one line, not a traceback
            _fail(
                StationError("error.unexpected", kind=type(err).__name__, reason=str(err)), bool(ctx.meta.get("json"))
            )


def json_option(func: F) -> F:
    """Add --json; remembered on the context so errors come out as JSON too."""

    def remember(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
        if value:
            ctx.meta["json"] = True
        return value

    return click.option(
        "--json", "as_json", is_flag=True, callback=remember, expose_value=True, help="Print one JSON object."
    )(func)


def _home(ctx: click.Context) -> Home:
    home: Home = ctx.obj
    return home


PIN_VARIABLE = "STATION_PIN"


def _signed_in(ctx: click.Context, action: str) -> Home:
    """The data directory, once the operator doing ``action`` has signed in.

    While the station has no operators there is nobody to sign in (it is being set up): the command runs as the
    configured operator, as the app does. Afterwards the operator is the one named by --operator (or the setting
    station.operator, or the login name), and must be one of the station's operators, give their PIN (asked in a
    terminal, or from $STATION_PIN for a script; wrong PINs lock the name as in the app) and have a role that may
    do ``action``. What they do is recorded under the name they signed in with.
    """
    from station.errors import RegistryError
    from station.operators import allowed, operators, sign_in

    home = _home(ctx)
    if not home.is_initialised():
        return home
    known = operators(home.ledger)
    if not known:
        return home
    if home.ledger.operator(home.operator) is None:
        raise RegistryError("operator.who", names=", ".join(o["name"] for o in known))
    pin = os.environ.get(PIN_VARIABLE)
    if pin is None:
        if not sys.stdin.isatty():
            raise RegistryError("operator.pin_needed")
        pin = click.prompt("PIN", hide_input=True, err=True)
    role = sign_in(home.ledger, home.operator, pin)
    if not allowed(role, action):
        raise RegistryError("operator.not_allowed", role=t("role." + role), action=t("permission." + action))
    return home


def shown(text: str) -> str:
    """``text`` safe for a terminal: control, bidirectional-format and zero-width characters written as escapes
    (``\\x1b``, ``\\u202e``), so stored text is read as text and never acts on the terminal."""
    import unicodedata

    return "".join(
        c
        if not (unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") and c not in "\t")
        else (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        for c in text
    )


def _table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    if not rows:
        click.echo(t("cli.none"))
        return
    texts = [[shown(str(c)) for c in headers]] + [[("" if c is None else shown(str(c))) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in texts) for i in range(len(headers))]
    for r in texts:
        click.echo("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip())


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _lang(_ctx: click.Context, _param: click.Parameter, lang: str | None) -> str | None:
    if lang:  # at once: `station --lang en --help` is answered before the command runs
        set_language(lang)
    return lang


@click.group(cls=_Root, invoke_without_command=True)
@click.option(
    "--home",
    "home_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Data directory (ledger, key, captures). Default: $STATION_HOME or ~/.local/share/trace-station.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(path_type=Path),
    default=None,
    help="Settings file. Default: station.toml in the data directory.",
)
@click.option("--operator", default=None, help="Operator name recorded in ledger events.")
@click.option(
    "--lang", type=click.Choice(["zh", "en"]), default=None, is_eager=True, callback=_lang, help="Language of messages."
)
@click.version_option(__version__, prog_name="station")
@click.pass_context
def cli(
    ctx: click.Context, home_dir: Path | None, config_file: Path | None, operator: str | None, lang: str | None
) -> None:
    """Trace Station: issue, print, verify and hand out traceability codes (牟定县农产品追溯防伪)."""
    from station.config import default_home
    from station.home import Home

    try:
        home = Home.open(home_dir or default_home(), config_file, operator)
    except StationError as err:
        if lang:
            set_language(lang)
        _fail(err)
    set_language(lang or home.config.station.language)
    ctx.obj = home
    ctx.call_on_close(home.close)
    if ctx.invoked_subcommand is None:  # `station` alone opens the app
        from station.tui import run_app

        home.init()
        run_app(home)


@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the data directory, its secret key (mode 0600), settings and ledger."""
    home = _home(ctx)
    created = home.init()
    key = "init.done" if created else "init.exists"
    click.echo(t(key, home=home.path, station=home.config.station.id))
    if home.tightened:
        click.echo(t("init.tightened", paths=", ".join(str(p) for p in home.tightened)))


def _status_json(status: Any) -> dict[str, Any] | None:
    if status is None:
        return None
    return {"state": status.state.value, "detail": status.detail_text, "ready": status.ready, "raw": status.raw.hex()}


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="station")


if __name__ == "__main__":
    main()
