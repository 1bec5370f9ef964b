"""`station devices`, `station print-test`, `station emulate printer|camera`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from station.cli.root import _emit, _home, _status_json, cli, json_option
from station.texts import t

# --- devices ----------------------------------------------------------------------------------------


def _serve_until(seconds: float | None, stop: Any) -> None:
    """Keep an emulator running until Ctrl-C or, with ``seconds``, until that much time has passed."""
    import time

    deadline = None if seconds is None else time.monotonic() + seconds
    try:
        while deadline is None or time.monotonic() < deadline:
            time.sleep(0.1)
    except KeyboardInterrupt:
        pass
    finally:
        stop()


@cli.command("devices")
@json_option
@click.pass_context
def devices_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the printers, scanners, serial ports and cameras this machine can see, and the configured printer."""
    from station.devices import detail_text, list_devices, printer_from_config
    from station.redact import masked

    home = _home(ctx)
    found: dict[str, Any] = dict(list_devices())
    with printer_from_config(home.config) as printer:
        status = printer.status()
        found["configured_printer"] = {"uri": masked(printer.uri), "lang": printer.lang, **(_status_json(status) or {})}
    if as_json:
        _emit(found)
        return
    conf = found["configured_printer"]
    state = t("pstate." + conf["state"])
    from station.settings import shown_setting

    lang = shown_setting("printer.lang", conf["lang"])
    click.echo(f"{t('dev.configured')}: {conf['uri']} ({lang}) — {state} {detail_text(status)}")
    for kind in ("printers", "scanners", "serial_ports", "cameras"):
        click.echo(f"{t('dev.kind.' + kind)}:")
        for entry in found[kind]:
            model = f"  {t('dev.model', name=entry['model_name'])} ({entry['model']})" if "model" in entry else ""
            click.echo(f"  {entry['uri']}  {entry.get('maker') or entry.get('description') or ''}{model}")
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
    from station.devices import print_test, printer_from_config, status_text

    home = _home(ctx)
    with printer_from_config(home.config, uri, lang) as printer:
        result = print_test(printer, width_mm, height_mm, home.config.labels.font, home.config.station.timezone)
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
    click.echo(f"{t('dev.before')}: {status_text(result.before)}")
    click.echo(t("dev.sent", n=result.bytes_sent, ms=round(result.milliseconds, 1)))
    if result.after is not None:
        click.echo(f"{t('dev.after')}: {status_text(result.after)}")
    click.echo(t("dev.band_hint"))


@cli.group("printer")
def printer_group() -> None:
    """The label printer's models and media."""


@printer_group.command("models")
@json_option
@click.pass_context
def printer_models_cmd(ctx: click.Context, as_json: bool) -> None:
    """List the printer models the station knows (shipped, and <data dir>/printers/*.toml)."""
    from drivers.printers.models import broken_files, catalogue

    _home(ctx)
    models = catalogue()
    rows = [
        {
            "model": m.id,
            "name": m.name,
            "lang": m.lang,
            "dpi": list(m.dpi),
            "print_width_mm": m.print_width_mm,
            "max_speed_mm_s": m.max_speed_mm_s,
            "darkness": list(m.darkness) if m.darkness else None,
            "media": list(m.media),
            "usb": m.usb_ids(),
            "unconfirmed": list(m.unconfirmed),
            "file": str(m.path),
        }
        for m in models.values()
    ]
    if as_json:
        _emit({"models": rows, "broken": broken_files()})
        return
    click.echo(t("dev.models", n=len(rows)))
    for m in models.values():
        usb = t("dev.model_usb", ids=",".join(m.usb_ids()) or "-")
        media = "/".join(t(f"setting.value.{kind}") for kind in m.media)
        click.echo(
            f"  {m.id:<20} {m.name:<20} {t(f'setting.value.{m.lang}'):<7} {'/'.join(map(str, m.dpi))} dpi  "
            f"{m.print_width_mm:g} mm  ≤{m.max_speed_mm_s:g} mm/s  {media}  {usb}"
        )
    for reason in broken_files():
        click.echo(f"{t('cli.warning')}: {t('dev.model_files_broken', reason=reason)}")


@printer_group.command("calibrate")
@click.option("--printer", "uri", default=None, help="Printer URI (default: [printer] uri).")
@click.option(
    "--lang", "lang", type=click.Choice(["escpos", "tspl", "zpl"]), default=None, help="Default: [printer] lang."
)
@click.option("--wait", "wait_s", type=click.FloatRange(0.5, 120), default=10.0, show_default=True, help="Seconds.")
@json_option
@click.pass_context
def printer_calibrate_cmd(ctx: click.Context, uri: str | None, lang: str | None, wait_s: float, as_json: bool) -> None:
    """Run the printer's media calibration (TSPL GAPDETECT/BLINEDETECT, ZPL ~JC) and show the label length it
    measured."""
    from station.devices import printer_from_config
    from station.errors import device_errors

    home = _home(ctx)
    with printer_from_config(home.config, uri, lang) as printer, device_errors():
        result = printer.calibrate(wait_s)
    if as_json:
        _emit(
            {
                "uri": printer.uri,
                "lang": printer.lang,
                "command": result.command,
                "length_dots": result.length_dots,
                "length_mm": result.length_mm,
            }
        )
        return
    if result.length_dots is None:
        click.echo(t("dev.calibrated_no_length", command=result.command))
    else:
        click.echo(t("dev.calibrated", command=result.command, mm=result.length_mm, dots=result.length_dots))


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
@click.option(
    "--speed",
    type=click.FloatRange(0, 500),
    default=150.0,
    show_default=True,
    help="Print speed in mm/s: each label takes (length + gap) / speed to come out. 0: instant.",
)
@click.option("--paper-out-after", type=int, default=None, help="Paper runs out after N labels.")
@click.option("--cover-open", is_flag=True, help="Start with the cover open.")
@click.option("--offline", is_flag=True, help="Start offline (paused).")
@click.option("--disconnect-after-bytes", type=int, default=None, help="Drop the connection after N bytes.")
@click.option("--slow-drain", type=float, default=None, help="Accept at most this many bytes per second.")
@click.option("--dead-elements", default="", help="Dead heating elements, e.g. 100,101,212.")
@click.option("--darkness", type=float, default=1.0, show_default=True, help="Print darkness, 0.1 to 1.0.")
@click.option("--silent", is_flag=True, help="Never answer status queries.")
@click.option("--seconds", type=float, default=None, help="Stop after this many seconds (default: until Ctrl-C).")
@click.option(
    "--media",
    type=click.Choice(["gap", "mark", "continuous"]),
    default=None,
    help="The roll: labels come out as long as its labels (continuous: as long as each job).",
)
@click.option("--label-mm", type=click.FloatRange(5, 1000), default=30.0, show_default=True, help="Roll label length.")
@click.option(
    "--media-gap-mm", type=click.FloatRange(0.5, 25), default=2.0, show_default=True, help="Roll gap or mark height."
)
def emulate_printer(
    lang: str,
    listen: str,
    out_dir: Path,
    dpi: str,
    speed: float,
    paper_out_after: int | None,
    cover_open: bool,
    offline: bool,
    disconnect_after_bytes: int | None,
    slow_drain: float | None,
    dead_elements: str,
    darkness: float,
    silent: bool,
    seconds: float | None,
    media: str | None,
    label_mm: float,
    media_gap_mm: float,
) -> None:
    """Run a virtual label printer that writes each printed label to a PNG."""

    from drivers.emulators.printer import Media, PrinterFaults, VirtualPrinter
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

    def not_rendered(entry: bytes) -> None:
        click.echo(t("emu.not_rendered", what=repr(entry)[2:-1]))

    roll = None if media is None else Media(media, label_mm, media_gap_mm)
    printer = VirtualPrinter(
        lang,
        out_dir,
        int(dpi),
        faults,
        on_label=announce,
        speed_mm_s=speed or None,
        on_unknown=not_rendered,
        media=roll,
    )
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
    click.echo(t("emu.speed", speed=f"{speed:g}") if speed else t("emu.instant"))
    if roll is not None:
        click.echo(t("emu.media", kind=roll.kind, label=f"{roll.label_mm:g}", gap=f"{roll.gap_mm:g}"))
    sys.stdout.flush()
    _serve_until(seconds, server.stop)
    click.echo(t("emu.stopped", n=len(printer.labels)))
    if printer.unknown_count:
        click.echo(t("emu.not_rendered_total", n=printer.unknown_count))


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
@click.option(
    "--delay",
    type=click.FloatRange(0, 30),
    default=0.0,
    show_default=True,
    help="Seconds the pictures lag behind the printer (a slow camera pipeline).",
)
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
    delay: float,
    frozen: bool,
    no_frames: bool,
    seconds: float | None,
) -> None:
    """Run a virtual camera that films the printer emulator's output and serves MJPEG on 127.0.0.1."""
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
        CameraFaults(frozen=frozen, no_frames=no_frames, delay_s=delay),
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
    _serve_until(seconds, camera.stop)


@emulate.command("scanner")
@click.option(
    "--link",
    type=click.Path(path_type=Path),
    default=None,
    help="A stable path for the scanner's pty (like a udev symlink).",
)
@click.option("--suffix", type=click.Choice(["none", "CR", "LF", "CRLF", "TAB"]), default="CR", show_default=True)
@click.option("--stx", is_flag=True, help="Frame each scan with STX … ETX instead of a suffix.")
@click.option("--aim", default=None, help="AIM symbology prefix to send, e.g. ]Q1.")
@click.option("--scan", "scans", multiple=True, help="Data to scan once ready; repeatable.")
@click.option(
    "--interval", type=click.FloatRange(0, 60), default=1.0, show_default=True, help="Seconds between scripted scans."
)
@click.option("--seconds", type=float, default=None, help="Stop after this many seconds (default: until Ctrl-C).")
def emulate_scanner(
    link: Path | None,
    suffix: str,
    stx: bool,
    aim: str | None,
    scans: tuple[str, ...],
    interval: float,
    seconds: float | None,
) -> None:
    """Run a virtual barcode scanner on a pty that types scripted scans with realistic timing."""
    import threading
    import time

    from drivers.emulators.scanner import VirtualScanner

    scanner = VirtualScanner(
        suffix=None if stx else suffix, framing="stx" if stx else None, aim_prefix=aim, link=link
    ).start()
    click.echo(t("emu.scanner_ready", uri=scanner.uri))
    sys.stdout.flush()

    def script() -> None:
        for data in scans:
            time.sleep(interval)
            scanner.scan(data)

    threading.Thread(target=script, daemon=True).start()
    _serve_until(seconds, scanner.stop)
