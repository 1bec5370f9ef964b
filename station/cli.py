"""The ``station`` command. Every subcommand is a thin wrapper over a core function."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

from station import __version__
from station.codes import group
from station.config import default_home
from station.errors import StationError
from station.home import Home
from station.texts import set_language, t

F = TypeVar("F", bound=Callable[..., Any])
ID = click.IntRange(1, 2**62)  # SQLite integers; anything larger is a typo


def _emit(data: dict[str, Any]) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, default=str))


def _fail(err: StationError, as_json: bool = False) -> NoReturn:
    if as_json:
        _emit({"error": err.message, "kind": err.title, "key": err.key})
    else:
        click.echo(f"{t('error.prefix')}: {err.message}", err=True)
    sys.exit(1)


class _Root(click.Group):
    """Turns every StationError into a clear message and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StationError as err:
            _fail(err, bool(ctx.meta.get("json")))
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit, KeyboardInterrupt):
            raise
        except OSError as err:
            _fail(
                StationError("error.os", reason=err.strerror or str(err), path=err.filename or ""),
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


def _table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    if not rows:
        click.echo(t("cli.none"))
        return
    texts = [[str(c) for c in headers]] + [[("" if c is None else str(c)) for c in r] for r in rows]
    widths = [max(_width(r[i]) for r in texts) for i in range(len(headers))]
    for r in texts:
        click.echo("  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths, strict=True)).rstrip())


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


@click.group(cls=_Root, invoke_without_command=False)
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
@click.option("--lang", type=click.Choice(["zh", "en"]), default=None, help="Language of messages.")
@click.version_option(__version__, prog_name="station")
@click.pass_context
def cli(
    ctx: click.Context, home_dir: Path | None, config_file: Path | None, operator: str | None, lang: str | None
) -> None:
    """Trace Station: issue, print, verify and hand out traceability codes (牟定县农产品追溯防伪)."""
    try:
        home = Home.open(home_dir or default_home(), config_file, operator)
    except StationError as err:
        if lang:
            set_language(lang)
        _fail(err)
    set_language(lang or home.config.station.language)
    ctx.obj = home
    ctx.call_on_close(home.close)


@cli.command()
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create the data directory, its secret key (mode 0600), settings and ledger."""
    home = _home(ctx)
    created = home.init()
    key = "init.done" if created else "init.exists"
    click.echo(t(key, home=home.path, station=home.config.station.id))


# --- enterprises ------------------------------------------------------------------------------------


@cli.group()
def enterprise() -> None:
    """Enterprises: register, review, blacklist, list."""


def _enterprise_json(e: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": e["id"],
        "name": e["name"],
        "credit_code": e["credit_code"],
        "contact": e["contact"],
        "status": e["status"],
        "blacklisted": bool(e["blacklisted"]),
        "blacklist_reason": e["blacklist_reason"],
        "created_at": e["created_at"],
    }


def _enterprise_status(e: dict[str, Any]) -> str:
    status = t(f"estatus.{e['status']}")
    return f"{status}, {t('cli.blacklisted')}" if e["blacklisted"] else status


@enterprise.command("add")
@click.option("--name", required=True, help="Registered name, e.g. 牟定县某某食品有限公司.")
@click.option("--credit-code", required=True, help="18-character unified social credit code.")
@click.option("--contact", default="", help="Contact person and phone.")
@json_option
@click.pass_context
def enterprise_add(ctx: click.Context, name: str, credit_code: str, contact: str, as_json: bool) -> None:
    """Register an enterprise application (pending review); prints its id."""
    from station.registry import add_enterprise

    home = _home(ctx)
    eid = add_enterprise(home.ledger, name, credit_code, contact)
    if as_json:
        _emit(_enterprise_json(home.ledger.enterprise(eid)))
    else:
        click.echo(t("cli.enterprise_added", id=eid, name=name.strip()))


def _review(ctx: click.Context, eid: int, action: str, reason: str | None, as_json: bool) -> None:
    from station.registry import review_enterprise, set_blacklisted

    home = _home(ctx)
    if action in ("blacklist", "unblacklist"):
        set_blacklisted(home.ledger, eid, action == "blacklist", reason or "")
    else:
        review_enterprise(home.ledger, eid, action, reason)
    e = home.ledger.enterprise(eid)
    if as_json:
        _emit(_enterprise_json(e))
    else:
        click.echo(t("cli.enterprise_updated", id=eid, status=_enterprise_status(e)))


@enterprise.command("approve")
@click.argument("enterprise_id", type=ID)
@click.option("--reason", default=None, help="Note recorded with the approval.")
@json_option
@click.pass_context
def enterprise_approve(ctx: click.Context, enterprise_id: int, reason: str | None, as_json: bool) -> None:
    """Admit an enterprise (准入): it may then be issued codes."""
    _review(ctx, enterprise_id, "approve", reason, as_json)


@enterprise.command("reject")
@click.argument("enterprise_id", type=ID)
@click.option("--reason", required=True, help="Why the application is refused.")
@json_option
@click.pass_context
def enterprise_reject(ctx: click.Context, enterprise_id: int, reason: str, as_json: bool) -> None:
    """Refuse an application, with the reason."""
    _review(ctx, enterprise_id, "reject", reason, as_json)


@enterprise.command("blacklist")
@click.argument("enterprise_id", type=ID)
@click.option("--reason", required=True, help="Why (失信行为).")
@json_option
@click.pass_context
def enterprise_blacklist(ctx: click.Context, enterprise_id: int, reason: str, as_json: bool) -> None:
    """Put a dishonest enterprise on the blacklist: no more codes for it."""
    _review(ctx, enterprise_id, "blacklist", reason, as_json)


@enterprise.command("unblacklist")
@click.argument("enterprise_id", type=ID)
@click.option("--reason", required=True, help="Why the enterprise is taken off the blacklist.")
@json_option
@click.pass_context
def enterprise_unblacklist(ctx: click.Context, enterprise_id: int, reason: str, as_json: bool) -> None:
    """Take an enterprise off the blacklist."""
    _review(ctx, enterprise_id, "unblacklist", reason, as_json)


@enterprise.command("list")
@json_option
@click.pass_context
def enterprise_list(ctx: click.Context, as_json: bool) -> None:
    """List enterprises with their status."""
    rows = _home(ctx).ledger.enterprises()
    if as_json:
        _emit({"enterprises": [_enterprise_json(e) for e in rows]})
        return
    _table(
        [(e["id"], e["name"], e["credit_code"], _enterprise_status(e)) for e in rows],
        [t("cli.col.id"), t("cli.col.name"), t("cli.col.credit_code"), t("cli.col.status")],
    )


# --- products ---------------------------------------------------------------------------------------


@cli.group()
def product() -> None:
    """Products: record and list."""


@product.command("add")
@click.option("--enterprise", "enterprise_id", type=ID, required=True, help="Enterprise id.")
@click.option("--name", required=True, help="Product name, e.g. 牟定腐乳.")
@click.option("--origin", required=True, help="12-digit origin code: 532323 + township (3) + village (3).")
@click.option("--gtin", default=None, help="GTIN-8/12/13/14; QR codes then use GS1 Digital Link.")
@click.option("--cert", "certs", multiple=True, help="Certification (地理标志, 绿色食品, …); repeatable.")
@click.option("--shelf-life", "shelf_life", type=int, default=None, help="Shelf life in days.")
@json_option
@click.pass_context
def product_add(
    ctx: click.Context,
    enterprise_id: int,
    name: str,
    origin: str,
    gtin: str | None,
    certs: tuple[str, ...],
    shelf_life: int | None,
    as_json: bool,
) -> None:
    """Record a product of an enterprise; prints its id."""
    from station.registry import add_product

    home = _home(ctx)
    pid = add_product(
        home.ledger, enterprise_id, name, origin, home.config.scheme.county_code, list(certs), shelf_life, gtin
    )
    if as_json:
        _emit(home.ledger.product(pid))
    else:
        click.echo(t("cli.product_added", id=pid, name=name.strip()))


@product.command("list")
@click.option("--enterprise", "enterprise_id", type=ID, default=None, help="Only this enterprise's products.")
@json_option
@click.pass_context
def product_list(ctx: click.Context, enterprise_id: int | None, as_json: bool) -> None:
    """List products."""
    rows = _home(ctx).ledger.products(enterprise_id)
    if as_json:
        _emit({"products": rows})
        return
    _table(
        [(p["id"], p["enterprise_id"], p["name"], p["origin_code"], p["gtin"]) for p in rows],
        [t("cli.col.id"), t("cli.col.enterprise"), t("cli.col.name"), t("cli.col.origin"), t("cli.col.gtin")],
    )


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

    result = issue_codes(_home(ctx), enterprise_id, product_id, count, lot)
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
        click.echo(
            t(
                "cli.issued",
                order=result.order,
                count=result.count,
                first=group(result.first),
                last=group(result.last),
                seconds=result.seconds,
            )
        )


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
@click.option("--format", "fmt", default="csv", type=click.Choice(["csv"]), help="Output format.")
@click.option("--out", type=click.Path(path_type=Path), default=None, help="Output file (default: standard output).")
@click.pass_context
def export_codes(ctx: click.Context, order_id: int, fmt: str, out: Path | None) -> None:
    """One row per code: code, serial, state, payload (UTF-8 with BOM)."""
    from station.export import export_codes_csv

    n = export_codes_csv(_home(ctx), order_id, out)
    if out is not None:
        click.echo(t("export.done", n=n, path=out))


# --- labels ---------------------------------------------------------------------------------------


@cli.group()
def label() -> None:
    """Label templates: list, check, render previews."""


@label.command("list")
@json_option
@click.pass_context
def label_list(ctx: click.Context, as_json: bool) -> None:
    """List the label templates (shipped, and any in the data directory's label_templates)."""
    from station.labels import available_templates, load_template_file

    home = _home(ctx)
    rows = []
    for name, path in available_templates(home.path / "label_templates").items():
        tpl = load_template_file(path)
        rows.append(
            {
                "name": name,
                "title": tpl.title,
                "width_mm": tpl.width_mm,
                "height_mm": tpl.height_mm,
                "dpi": tpl.dpi,
                "path": str(path),
            }
        )
    if as_json:
        _emit({"templates": rows})
        return
    _table(
        [(r["name"], r["title"], f"{r['width_mm']:g}×{r['height_mm'] or '…'} mm", r["dpi"]) for r in rows],
        [t("cli.col.name"), t("cli.col.title"), t("cli.col.size"), "dpi"],
    )


@label.command("check")
@click.argument("file", type=click.Path(path_type=Path))
@json_option
@click.pass_context
def label_check(ctx: click.Context, file: Path, as_json: bool) -> None:
    """Validate a template file: fields, placement, QR quiet zones, fonts. Exit 1 when it has problems."""
    from station.labels import Renderer, check_template, load_template_file

    home = _home(ctx)
    template = load_template_file(file)
    problems, warnings = check_template(template, Renderer(font_path=home.config.labels.font))
    if as_json:
        _emit({"ok": not problems, "problems": [p.message for p in problems], "warnings": warnings})
    else:
        for p in problems:
            click.echo(f"{t('error.prefix')}: {p.message}")
        for w in warnings:
            click.echo(f"{t('cli.warning')}: {w}")
        if not problems:
            click.echo(t("tpl.ok", name=template.name))
    sys.exit(1 if problems else 0)


@label.command("render")
@click.option("--template", "template_name", default=None, help="Template name or .toml file.")
@click.option("--code", "code_text", default=None, help="Render the label of this code.")
@click.option("--order", "order_id", type=ID, default=None, help="Render labels of this order.")
@click.option("--limit", type=int, default=1, show_default=True, help="With --order: how many labels.")
@click.option("--out", type=click.Path(path_type=Path), required=True, help="PNG file; numbered when several.")
@click.option("--dpi", type=click.Choice(["203", "300"]), default=None, help="Printer resolution override.")
@click.option("--preview/--no-preview", default=False, help="Also show the label in the terminal.")
@json_option
@click.pass_context
def label_render(
    ctx: click.Context,
    template_name: str | None,
    code_text: str | None,
    order_id: int | None,
    limit: int,
    out: Path,
    dpi: str | None,
    preview: bool,
    as_json: bool,
) -> None:
    """Render labels to PNG at printer dots, exactly what the printer will print."""
    from station.labels.render_job import render_labels

    home = _home(ctx)
    result = render_labels(
        home, template_name or home.config.labels.template, code_text, order_id, limit, out, int(dpi) if dpi else None
    )
    if as_json:
        _emit({"files": [str(p) for p in result.files], "warnings": result.warnings, "size_dots": list(result.size)})
        return
    for w in result.warnings:
        click.echo(f"{t('cli.warning')}: {w}", err=True)
    if preview and result.first is not None:
        import shutil

        from station.labels.preview import to_text

        click.echo(to_text(result.first, max(40, shutil.get_terminal_size().columns - 1)))
    click.echo(
        t(
            "tpl.rendered",
            n=len(result.files),
            paths=", ".join(str(p) for p in result.files[:3]) + (" …" if len(result.files) > 3 else ""),
        )
    )


# --- devices ----------------------------------------------------------------------------------------


def _status_json(status: Any) -> dict[str, Any] | None:
    if status is None:
        return None
    return {"state": status.state.value, "detail": status.detail, "ready": status.ready, "raw": status.raw.hex()}


@cli.command("devices")
@json_option
@click.pass_context
def devices_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the printers, scanners, serial ports and cameras this machine can see, and the configured printer."""
    from station.devices import list_devices, printer_from_config

    home = _home(ctx)
    found: dict[str, Any] = dict(list_devices())
    with printer_from_config(home.config) as printer:
        found["configured_printer"] = {
            "uri": printer.uri,
            "lang": printer.lang,
            **(_status_json(printer.status()) or {}),
        }
    if as_json:
        _emit(found)
        return
    conf = found["configured_printer"]
    click.echo(
        f"{t('dev.configured')}: {conf['uri']} ({conf['lang']}) — {t('pstate.' + conf['state'])} {conf['detail']}"
    )
    for kind in ("printers", "scanners", "serial_ports", "cameras"):
        click.echo(f"{t('dev.kind.' + kind)}:")
        for entry in found[kind]:
            click.echo(f"  {entry['uri']}  {entry.get('maker') or entry.get('description') or ''}")
        if not found[kind]:
            click.echo(f"  {t('cli.none')}")
    for note in found["notes"]:
        click.echo(f"{t('cli.warning')}: {note}")


@cli.command("print-test")
@click.option("--printer", "uri", default=None, help="Printer URI (default: [printer] uri).")
@click.option(
    "--lang",
    "lang",
    type=click.Choice(["escpos", "tspl", "zpl"]),
    default=None,
    help="Printer language (default: [printer] lang).",
)
@click.option("--width-mm", type=click.FloatRange(10, 300), default=40.0, show_default=True, help="Label width.")
@click.option("--height-mm", type=click.FloatRange(5, 1000), default=30.0, show_default=True, help="Label height.")
@json_option
@click.pass_context
def print_test_cmd(
    ctx: click.Context, uri: str | None, lang: str | None, width_mm: float, height_mm: float, as_json: bool
) -> None:
    """Print a test label with a dead-element band, and show the printer's status before and after."""
    from station.devices import print_test, printer_from_config

    home = _home(ctx)
    with printer_from_config(home.config, uri, lang) as printer:
        result = print_test(printer, width_mm, height_mm, home.config.labels.font)
    if as_json:
        _emit(
            {
                "uri": printer.uri,
                "lang": printer.lang,
                "before": _status_json(result.before),
                "after": _status_json(result.after),
                "bytes": result.bytes_sent,
                "ms": round(result.milliseconds, 1),
            }
        )
        return
    click.echo(f"{t('dev.before')}: {t('pstate.' + result.before.state.value)} {result.before.detail}")
    click.echo(t("dev.sent", n=result.bytes_sent, ms=round(result.milliseconds, 1)))
    if result.after is not None:
        click.echo(f"{t('dev.after')}: {t('pstate.' + result.after.state.value)} {result.after.detail}")
    click.echo(t("dev.band_hint"))


@cli.group()
def emulate() -> None:
    """Emulated devices that speak the real protocols (for trying the station without hardware)."""


@emulate.command("printer")
@click.option("--lang", type=click.Choice(["escpos", "tspl", "zpl"]), default="tspl", show_default=True)
@click.option(
    "--listen",
    default="socket://127.0.0.1:9100",
    show_default=True,
    help="socket://127.0.0.1:PORT, or pty[:///path/of/link] for a serial printer.",
)
@click.option("--out", "out_dir", type=click.Path(path_type=Path), required=True, help="Folder for printed labels.")
@click.option("--dpi", type=click.Choice(["203", "300"]), default="203", show_default=True)
@click.option("--paper-out-after", type=int, default=None, help="Paper runs out after N labels.")
@click.option("--cover-open", is_flag=True, help="Start with the cover open.")
@click.option("--offline", is_flag=True, help="Start offline (paused).")
@click.option("--disconnect-after-bytes", type=int, default=None, help="Drop the connection after N bytes.")
@click.option("--slow-drain", type=float, default=None, help="Accept at most this many bytes per second.")
@click.option("--dead-elements", default="", help="Dead heating elements, e.g. 100,101,212.")
@click.option("--darkness", type=float, default=1.0, show_default=True, help="Print darkness, 0.1 to 1.0.")
@click.option("--silent", is_flag=True, help="Never answer status queries.")
@click.option("--seconds", type=float, default=None, help="Stop after this many seconds (default: until Ctrl-C).")
def emulate_printer(
    lang: str,
    listen: str,
    out_dir: Path,
    dpi: str,
    paper_out_after: int | None,
    cover_open: bool,
    offline: bool,
    disconnect_after_bytes: int | None,
    slow_drain: float | None,
    dead_elements: str,
    darkness: float,
    silent: bool,
    seconds: float | None,
) -> None:
    """Run a virtual label printer that writes each printed label to a PNG."""
    import time as _time

    from drivers.emulators.printer import PrinterFaults, VirtualPrinter
    from drivers.emulators.servers import PtyPrinterServer, TcpPrinterServer

    try:
        dead = tuple(int(v) for v in dead_elements.split(",") if v.strip())
    except ValueError as err:
        raise click.BadParameter("dead elements are dot numbers like 100,101", param_hint="--dead-elements") from err
    if not 0.1 <= darkness <= 1.0:
        raise click.BadParameter("from 0.1 to 1.0", param_hint="--darkness")
    faults = PrinterFaults(
        paper_out_after=paper_out_after,
        cover_open=cover_open,
        offline=offline,
        disconnect_after_bytes=disconnect_after_bytes,
        drain_bytes_per_s=slow_drain,
        dead_elements=dead,
        darkness=darkness,
        silent=silent,
    )

    def announce(label: Any) -> None:
        click.echo(t("emu.printed", n=label.index, path=label.path))

    printer = VirtualPrinter(lang, out_dir, int(dpi), faults, on_label=announce)
    server: TcpPrinterServer | PtyPrinterServer
    if listen.startswith("socket://"):
        from urllib.parse import urlsplit

        parts = urlsplit(listen)
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise click.BadParameter("the emulator listens on loopback only", param_hint="--listen")
        try:
            port = parts.port or 9100
        except ValueError as err:
            raise click.BadParameter("socket://127.0.0.1:PORT with a port number", param_hint="--listen") from err
        server = TcpPrinterServer(printer, "127.0.0.1", port)
    elif listen.startswith("pty"):
        link = listen[len("pty://") :] if listen.startswith("pty://") else ""
        server = PtyPrinterServer(printer, Path(link) if link else None)
    else:
        raise click.BadParameter("socket://127.0.0.1:PORT or pty[:///path]", param_hint="--listen")
    try:
        server.start()
    except OSError as err:
        raise click.ClickException(t("emu.listen_failed", uri=listen, reason=err.strerror or str(err))) from err
    click.echo(
        t("emu.ready", lang=lang, uri=server.uri, out=out_dir),
    )
    sys.stdout.flush()
    deadline = None if seconds is None else _time.monotonic() + seconds
    try:
        while deadline is None or _time.monotonic() < deadline:
            _time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    click.echo(t("emu.stopped", n=len(printer.labels)))


# --- verification -----------------------------------------------------------------------------------


def _load_gray(path: Path) -> Any:
    import cv2

    from station.errors import VerifyError

    image = cv2.imread(str(path), cv2.IMREAD_GRAYSCALE) if path.is_file() else None
    if image is None:
        raise VerifyError("verify.unreadable", path=path)
    return image


def _print_result(result: Any, name: str, as_json: bool, extra: dict[str, Any] | None = None) -> None:
    if as_json:
        _emit({**({"image": name} if name else {}), **result.to_json(), **(extra or {})})
        return
    verdict = t("verify.pass") if result.passed else t("verify.fail")
    click.echo(f"{name + ': ' if name else ''}{verdict}  {result.grade:.1f} ({result.letter})  {result.reason}")
    for key, (value, grade) in result.parameters.items():
        click.echo(f"    {key:24} {value:8.3f}  {'ABCDF'[4 - grade] if 0 <= grade <= 4 else '?'}")


@cli.command("verify-image")
@click.argument("image", required=False, type=click.Path(path_type=Path))
@click.option("--expect", "expected", default=None, help="The payload the label must carry.")
@click.option(
    "--manifest",
    type=click.Path(path_type=Path),
    default=None,
    help="CSV of image,payload rows (paths relative to the manifest).",
)
@click.option("--template", "template_name", default=None, help="Template the label was printed from.")
@click.option("--code", "code_text", default=None, help="With --template: the code the label was printed for.")
@click.option("--min-grade", type=float, default=None, help="Lowest passing grade (default: [verify] min_grade).")
@click.option(
    "--annotate",
    "annotate_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the frame with the symbol, wrong modules and defects marked.",
)
@json_option
@click.pass_context
def verify_image_cmd(
    ctx: click.Context,
    image: Path | None,
    expected: str | None,
    manifest: Path | None,
    template_name: str | None,
    code_text: str | None,
    min_grade: float | None,
    annotate_path: Path | None,
    as_json: bool,
) -> None:
    """Verify label photos: decoded, the expected payload, grade A–F with every parameter, defects."""
    import csv

    import cv2

    from station.verify.reference import reference_for_code
    from station.verify.verifier import annotate, verify_frame

    home = _home(ctx)
    floor = home.config.verify.min_grade if min_grade is None else min_grade
    if (image is None) == (manifest is None):
        raise click.UsageError(t("verify.one_source"))
    reference = None
    if code_text and not template_name:
        raise click.UsageError(t("verify.template_and_code"))
    if template_name and (code_text or image is not None):
        if not code_text:
            raise click.UsageError(t("verify.template_and_code"))
        reference, payload = reference_for_code(home, template_name, code_text)
        expected = expected or payload
    if image is not None:
        if expected is None:
            raise click.UsageError(t("verify.need_expect"))
        gray = _load_gray(image)
        result = verify_frame(gray, expected, reference, floor)
        if annotate_path is not None:
            cv2.imwrite(str(annotate_path), annotate(gray, result, reference))
        _print_result(result, "", as_json)
        sys.exit(0 if result.passed else 1)
    assert manifest is not None
    try:
        text = manifest.read_text(encoding="utf-8-sig")
    except OSError as err:
        raise click.ClickException(t("verify.unreadable", path=manifest)) from err
    rows = [r for r in csv.reader(text.splitlines()) if r and any(c.strip() for c in r)]
    if rows and [c.strip().lower() for c in rows[0][:2]] == ["image", "payload"]:
        rows = rows[1:]
    all_passed = True
    for number, row in enumerate(rows, start=1):
        if len(row) < 2:
            raise click.ClickException(t("verify.bad_row", n=number, file=manifest))
        path = (manifest.parent / row[0].strip()).resolve()
        try:
            row_reference = None
            if template_name and len(row) > 2 and row[2].strip():
                row_reference, _ = reference_for_code(home, template_name, row[2])
            result = verify_frame(_load_gray(path), row[1], row_reference, floor)
        except StationError as err:
            if as_json:
                _emit(
                    {
                        "image": row[0],
                        "decoded": False,
                        "payload": None,
                        "match": False,
                        "grade": 0.0,
                        "letter": "F",
                        "parameters": {},
                        "defects": [],
                        "passed": False,
                        "error": err.message,
                    }
                )
            else:
                click.echo(f"{row[0]}: {t('verify.fail')}  {err.message}")
            all_passed = False
            continue
        all_passed &= result.passed
        _print_result(result, row[0], as_json)
    sys.exit(0 if all_passed else 1)


@cli.command("verify-camera")
@click.option("--camera", "camera_uri", default=None, help="Camera URI (default: [verify] camera).")
@click.option("--expect", "expected", default=None, help="The payload the label must carry.")
@click.option("--template", "template_name", default=None, help="Template the label was printed from.")
@click.option("--code", "code_text", default=None, help="With --template: the code the label was printed for.")
@click.option("--min-grade", type=float, default=None, help="Lowest passing grade (default: [verify] min_grade).")
@click.option(
    "--annotate",
    "annotate_path",
    type=click.Path(path_type=Path),
    default=None,
    help="Write the frame with the symbol, wrong modules and defects marked.",
)
@json_option
@click.pass_context
def verify_camera_cmd(
    ctx: click.Context,
    camera_uri: str | None,
    expected: str | None,
    template_name: str | None,
    code_text: str | None,
    min_grade: float | None,
    annotate_path: Path | None,
    as_json: bool,
) -> None:
    """Verify the label under the camera now: the first frame taken after this command started."""
    import time as _time

    import cv2

    from drivers.cameras import open_camera
    from station.verify.reference import reference_for_code
    from station.verify.verifier import annotate, verify_frame

    home = _home(ctx)
    settings = home.config.verify
    reference = None
    if template_name or code_text:
        if not (template_name and code_text):
            raise click.UsageError(t("verify.template_and_code"))
        reference, payload = reference_for_code(home, template_name, code_text)
        expected = expected or payload
    if expected is None:
        raise click.UsageError(t("verify.need_expect"))
    uri = camera_uri or settings.camera
    started = _time.monotonic()
    with open_camera(uri) as camera:
        camera.latency_s = settings.latency_s
        frame = camera.frame_after(started, settings.frame_timeout_s)
    result = verify_frame(frame.image, expected, reference, settings.min_grade if min_grade is None else min_grade)
    result.frame_seq = frame.seq
    if annotate_path is not None:
        cv2.imwrite(str(annotate_path), annotate(frame.image, result, reference))
    _print_result(result, "", as_json, {"camera": uri, "frame": frame.seq})
    sys.exit(0 if result.passed else 1)


@emulate.command("camera")
@click.option(
    "--printer-out",
    "folder",
    type=click.Path(path_type=Path),
    required=True,
    help="The printer emulator's --out folder: the camera films its newest label.",
)
@click.option("--listen", default="http://127.0.0.1:8081", show_default=True, help="http://127.0.0.1:PORT")
@click.option("--fps", type=float, default=30.0, show_default=True)
@click.option("--px-per-dot", type=float, default=1.6, show_default=True, help="Label dots to frame pixels.")
@click.option("--jitter", type=float, default=4.0, show_default=True, help="Random shift, pixels.")
@click.option("--rotation", type=float, default=1.5, show_default=True, help="Random rotation, ± degrees.")
@click.option("--perspective", type=float, default=0.01, show_default=True, help="Corner displacement, share.")
@click.option("--blur", type=float, default=0.6, show_default=True, help="Focus blur sigma, pixels.")
@click.option("--noise", type=float, default=3.0, show_default=True, help="Sensor noise sigma, grey levels.")
@click.option("--lighting", type=float, default=0.15, show_default=True, help="Uneven lighting, share.")
@click.option("--jpeg-quality", type=int, default=85, show_default=True)
@click.option("--frozen", is_flag=True, help="Keep sending the same frame.")
@click.option("--no-frames", is_flag=True, help="Keep the connection but send no frames.")
@click.option("--seconds", type=float, default=None, help="Stop after this many seconds (default: until Ctrl-C).")
def emulate_camera(
    folder: Path,
    listen: str,
    fps: float,
    px_per_dot: float,
    jitter: float,
    rotation: float,
    perspective: float,
    blur: float,
    noise: float,
    lighting: float,
    jpeg_quality: int,
    frozen: bool,
    no_frames: bool,
    seconds: float | None,
) -> None:
    """Run a virtual camera that films the printer emulator's output and serves MJPEG on 127.0.0.1."""
    import time as _time
    from urllib.parse import urlsplit

    from drivers.emulators.camera import CameraFaults, Imaging, Scene, VirtualCamera

    parts = urlsplit(listen)
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise click.BadParameter("the virtual camera listens on http://127.0.0.1 only", param_hint="--listen")
    try:
        port = parts.port or 8081
    except ValueError as err:
        raise click.BadParameter("http://127.0.0.1:PORT with a port number", param_hint="--listen") from err
    imaging = Imaging(
        px_per_dot=px_per_dot,
        jitter_px=jitter,
        rotation_deg=rotation,
        perspective=perspective,
        blur_sigma=blur,
        noise_sigma=noise,
        lighting=lighting,
        jpeg_quality=jpeg_quality,
    )
    camera = VirtualCamera(
        Scene.from_folder(folder),
        imaging,
        CameraFaults(frozen=frozen, no_frames=no_frames),
        fps=fps,
        host="127.0.0.1",
        port=port,
    )
    try:
        camera.start()
    except OSError as err:
        raise click.ClickException(t("emu.listen_failed", uri=listen, reason=err.strerror or str(err))) from err
    click.echo(t("emu.camera_ready", url=camera.url, folder=folder))
    sys.stdout.flush()
    deadline = None if seconds is None else _time.monotonic() + seconds
    try:
        while deadline is None or _time.monotonic() < deadline:
            _time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    finally:
        camera.stop()


# --- the print run -----------------------------------------------------------------------------------


def _run_json(home: Home, report: Any) -> dict[str, Any]:
    from station.codes import make_code

    rolls = []
    for roll in home.ledger.rolls(report.order_id):
        good = [
            serial
            for _, serial, state in roll["labels"]
            if serial is not None
            and state is not None
            and state.label in ("verified", "distributed", "bound", "recalled")
        ]
        rolls.append(
            {
                "id": roll["id"],
                "labels": len(roll["labels"]) - 1,
                "verified": len(good),
                "first": make_code(home.key, good[0]) if good else None,
                "last": make_code(home.key, good[-1]) if good else None,
                "closed": roll["closed_at"] is not None,
            }
        )
    return {
        "run": report.run_id,
        "order": report.order_id,
        "status": report.status,
        "reason": report.reason,
        "target": report.target,
        "verified": report.verified,
        "printed": report.printed,
        "headers": report.headers,
        "rejected": [
            {
                "serial": r.serial,
                "code": r.code,
                "roll": r.roll,
                "position": r.position,
                "reason": r.reason,
                "picture": r.picture,
            }
            for r in report.rejected
        ],
        "voided_in_flight": [{"serial": s, "code": make_code(home.key, s)} for s in report.voided_in_flight],
        "header_problems": report.header_rejects,
        "grades": dict(report.grades),
        "rolls": rolls,
        "seconds": round(report.seconds, 2),
        "labels_per_minute": round(report.rate_per_min, 1),
        "pauses": [{"reason": r, "seconds": round(sec, 1)} for r, sec in report.pauses],
    }


@cli.command("run")
@click.option("--order", "order_id", type=ID, required=True, help="The order to print.")
@click.option(
    "--roll-size", type=click.IntRange(1, 100_000), default=500, show_default=True, help="Good labels per roll."
)
@click.option("--template", "template_name", default=None, help="Label template (default: [labels] template).")
@click.option("--printer", "printer_uri", default=None, help="Printer URI (default: [printer] uri).")
@click.option(
    "--lang",
    "lang",
    type=click.Choice(["escpos", "tspl", "zpl"]),
    default=None,
    help="Printer language (default: [printer] lang).",
)
@click.option("--camera", "camera_uri", default=None, help="Camera URI (default: [verify] camera).")
@click.option("--resume", is_flag=True, help="Continue the order's interrupted run (starting again does too).")
@click.option(
    "--max-rejects",
    type=click.IntRange(1, 100),
    default=3,
    show_default=True,
    help="Stop the line after this many failed labels in a row.",
)
@click.option(
    "--fault-timeout",
    type=click.FloatRange(1, 86_400),
    default=None,
    help="Give up waiting for a printer or camera fault to clear after this many seconds.",
)
@json_option
@click.pass_context
def run_cmd(
    ctx: click.Context,
    order_id: int,
    roll_size: int,
    template_name: str | None,
    printer_uri: str | None,
    lang: str | None,
    camera_uri: str | None,
    resume: bool,
    max_rejects: int,
    fault_timeout: float | None,
    as_json: bool,
) -> None:
    """Print an order roll by roll: every label verified by the camera, failures voided and replaced."""
    from drivers.cameras import open_camera
    from station.devices import printer_from_config
    from station.errors import RegistryError
    from station.run import PrintRun, RunOptions

    home = _home(ctx)
    settings = home.config
    if resume and home.ledger.unfinished_run(order_id) is None:
        raise RegistryError("run.nothing_to_resume", order=order_id)
    options = RunOptions(
        order_id=order_id,
        template=template_name or settings.labels.template,
        roll_size=roll_size,
        min_grade=settings.verify.min_grade,
        max_consecutive_rejects=max_rejects,
        frame_timeout_s=settings.verify.frame_timeout_s,
        fault_timeout_s=fault_timeout,
    )

    def progress(report: Any, what: str) -> None:
        if as_json:
            return
        if what == "rejected" and report.rejected:
            r = report.rejected[-1]
            click.echo(t("run.rejected", roll=r.roll, position=r.position, code=group(r.code), reason=r.reason))
        elif what in ("waiting", "paused"):
            click.echo(t("run.waiting" if what == "waiting" else "run.paused", reason=report.reason))
        elif what == "resumed":
            click.echo(t("run.resumed"))
        elif what == "verified" and (report.verified % 10 == 0 or report.verified == report.target):
            left = max(report.target - report.verified, 0)
            eta = left * 60 / report.rate_per_min if report.rate_per_min else 0
            click.echo(
                t(
                    "run.progress",
                    verified=report.verified,
                    target=report.target,
                    rejected=len(report.rejected),
                    rate=round(report.rate_per_min),
                    eta=int(eta),
                )
            )

    with (
        printer_from_config(settings, printer_uri, lang) as printer,
        open_camera(camera_uri or settings.verify.camera) as camera,
    ):
        camera.latency_s = settings.verify.latency_s
        run = PrintRun(home, options, printer, camera, progress)
        try:
            report = run.execute()
        except KeyboardInterrupt:
            run.stop()
            raise
    result = _run_json(home, report)
    if as_json:
        _emit(result)
    else:
        click.echo(
            t(
                "run.summary",
                status=t("run.status." + report.status),
                verified=report.verified,
                target=report.target,
                rejected=len(report.rejected),
                seconds=round(report.seconds, 1),
                rate=round(report.rate_per_min),
            )
        )
        for r in result["rejected"] + result["voided_in_flight"]:
            click.echo(t("run.remove", code=group(r["code"]), roll=r.get("roll", "?"), position=r.get("position", "?")))
        if report.reason:
            click.echo(t("run.paused", reason=report.reason))
    sys.exit(0 if report.status == "done" else 3)


@cli.command("demo")
@click.option("--no-run", is_flag=True, help="Only seed the demo county; do not print.")
@click.pass_context
def demo_cmd(ctx: click.Context, no_run: bool) -> None:
    """Seed the demo county (Mouding enterprises, products, one order), print and verify that order on emulated
    devices (printer on 127.0.0.1, virtual camera), and show what to try next."""
    from station.codes import make_code
    from station.demo import print_demo_order, seed_demo
    from station.ledger import State

    home = _home(ctx)
    home.init()
    result = seed_demo(home)
    click.echo(t("demo.home", home=home.path))
    if result is not None:
        click.echo(t("cli.issued", order=result.order, count=result.count, first=group(result.first),
                     last=group(result.last), seconds=result.seconds))
    order_id = result.order if result is not None else 1
    if not no_run:
        counts = home.ledger.order_state_counts(order_id)
        if counts.get(State.VERIFIED, 0) < home.ledger.order(order_id)["count"]:
            click.echo(t("demo.printing", order=order_id, folder=home.path / "printed"))

            def progress(report: Any, what: str) -> None:
                if what == "verified":
                    last = report.last
                    click.echo(f"  {report.verified:3d}/{report.target}  {last.letter if last else ''}  "
                               f"{(last.payload or '') if last else ''}")
                elif what == "rejected" and report.rejected:
                    click.echo(f"  {t('verify.fail')}: {report.rejected[-1].reason}")

            report = print_demo_order(home, order_id, progress)
            click.echo(t("run.summary", status=t("run.status." + report.status), verified=report.verified,
                         target=report.target, rejected=len(report.rejected), seconds=round(report.seconds, 1),
                         rate=round(report.rate_per_min)))
    sample = home.ledger.codes_in_state(order_id, State.VERIFIED, limit=1) if not no_run else []
    code = make_code(home.key, sample[0]) if sample else (result.first if result else "<code>")
    click.echo(t("demo.try", home=home.path, code=code))


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="station")


if __name__ == "__main__":
    main()
