"""`station run` and `station demo`."""

from __future__ import annotations

import sys
from typing import Any

import click

from station.cli.root import ID, _emit, _home, _signed_in, cli, json_option
from station.codes import group
from station.home import Home
from station.texts import t

# --- the print run -----------------------------------------------------------------------------------


def _run_json(home: Home, report: Any) -> dict[str, Any]:
    from station.codes import make_code
    from station.redact import masked
    from station.run import DONE_STATES

    rolls = []
    where: dict[int, tuple[str, int]] = {}  # serial -> its roll and position, to name where a voided label is
    for roll in home.ledger.rolls(report.order_id):
        where.update({serial: (roll["id"], position) for position, serial, _ in roll["labels"] if serial is not None})
        good = [serial for _, serial, state in roll["labels"] if serial is not None and state in DONE_STATES]
        rolls.append(
            {
                "id": roll["id"],
                "labels": len(roll["labels"]) - 1,
                "verified": len(good),
                "first": make_code(home.key, good[0]) if good else None,
                "last": make_code(home.key, good[-1]) if good else None,
                "closed": roll["closed_at"] is not None,
                "header": roll["header_at"] is not None,
                "header_prints": roll["headers"],
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
        "voided_in_flight": [
            {"serial": s, "code": make_code(home.key, s), "roll": where[s][0], "position": where[s][1]}
            if s in where
            else {"serial": s, "code": make_code(home.key, s)}
            for s in report.voided_in_flight
        ],
        "header_problems": report.header_rejects,
        "grades": dict(report.grades),
        "rolls": rolls,
        "seconds": round(report.seconds, 2),
        "labels_per_minute": round(report.rate_per_min, 1),
        "verified_this_run": report.verified_now,
        "seconds_left": None if report.seconds_left is None else round(report.seconds_left, 1),
        "roll": report.roll_number,
        "rolls_total": report.rolls_total,
        "pauses": [{"reason": r, "seconds": round(sec, 1)} for r, sec in report.pauses],
        "lines": [
            {
                "line": line.line,
                "printer": masked(line.printer),
                "run": line.run_id,
                "status": line.status,
                "reason": line.reason,
                "verified_this_run": line.verified_now,
                "rejected": len(line.rejected),
                "rolls_closed": line.closed_rolls,
                "labels_per_minute": round(line.rate_per_min, 1),
            }
            for line in report.lines
        ],
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
    from station.run_setup import open_run, run_options

    home = _signed_in(ctx, "run")
    options = run_options(
        home.config,
        order_id,
        template=template_name,
        roll_size=roll_size,
        max_rejects=max_rejects,
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
        elif what in ("line_done", "line_stopped"):
            from station.lines import line_text

            click.echo(line_text(next(line for line in report.lines if line.line == report.line)))
        elif what == "roll_closed" and report.closed_rolls:
            click.echo(t("run.roll_ready", roll=report.closed_rolls[-1], rolls=len(report.closed_rolls)))
        elif what == "verified" and (report.verified % 10 == 0 or report.verified == report.target):
            click.echo(report.progress())

    with open_run(
        home,
        options,
        printer_uri=printer_uri,
        lang=lang,
        camera_uri=camera_uri,
        on_update=progress,
        resume=resume,
        on_warning=lambda text: click.echo(text, err=True),
    ) as run:
        report = run.execute()
    result = _run_json(home, report)
    if as_json:
        _emit(result)
    else:
        click.echo(report.summary())
        if report.lines:
            from station.lines import line_text

            click.echo("\n".join(line_text(line) for line in report.lines))
        for r in result["rejected"] + result["voided_in_flight"]:
            click.echo(t("run.remove", code=group(r["code"]), roll=r.get("roll", "?"), position=r.get("position", "?")))
        if report.reason:
            click.echo(t("run.paused", reason=report.reason))
    sys.exit(0 if report.status == "done" else 3)


@cli.command("demo")
@click.option("--no-run", is_flag=True, help="Only seed the demo county; do not print.")
@click.option("--no-app", is_flag=True, help="Do not open the app afterwards (it opens only in a terminal).")
@click.pass_context
def demo_cmd(ctx: click.Context, no_run: bool, no_app: bool) -> None:
    """Seed the demo county (Mouding enterprises, products, operators, one order), print and verify that order on
    emulated devices (printer on 127.0.0.1, virtual camera), then open the app on those devices."""
    from station.codes import make_code
    from station.demo import demo_config, print_demo_order, seed_demo
    from station.ledger import State

    home = _home(ctx)
    home.config = demo_config(home.config)  # the demo's labels point at this machine's query service
    home.init()
    result = seed_demo(home)
    click.echo(t("demo.home", home=home.path))
    if result is not None:
        click.echo(result.summary())
    order_id = result.order if result is not None else 1
    if not no_run:
        counts = home.ledger.order_state_counts(order_id)
        if counts.get(State.VERIFIED, 0) < home.ledger.order(order_id)["count"]:
            click.echo(t("demo.printing", order=order_id, folder=home.path / "printed"))

            def progress(report: Any, what: str) -> None:
                if what == "verified":
                    last = report.last
                    click.echo(
                        f"  {report.verified:3d}/{report.target}  {last.letter if last else ''}  "
                        f"{(last.payload or '') if last else ''}"
                    )
                elif what == "rejected" and report.rejected:
                    click.echo(f"  {t('verify.fail')}: {report.rejected[-1].reason}")

            report = print_demo_order(home, order_id, progress, lambda text: click.echo(text, err=True))
            click.echo(report.summary())
            if report.lines:
                from station.lines import line_text

                click.echo("\n".join(line_text(line) for line in report.lines))
    sample = home.ledger.codes_in_state(order_id, State.VERIFIED, limit=1) if not no_run else []
    code = make_code(home.key, sample[0]) if sample else (result.first if result else "<code>")
    click.echo(t("demo.try", home=home.path, code=code))
    if no_app or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return
    from station.demo import DEMO_OPERATORS, demo_devices
    from station.tui import run_app

    click.echo(t("demo.operators", who=", ".join(f"{n} ({r}) PIN {p}" for n, r, p in DEMO_OPERATORS)))
    click.pause(t("demo.press_key"))
    with demo_devices(home) as devices:
        home.close()
        run_app(Home.open(home.path), devices["virtual_scanner"])
