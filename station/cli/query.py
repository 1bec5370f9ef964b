"""The consumer query service: serving it, and what the office reads from it (reports, statistics)."""

from __future__ import annotations

import json
from typing import Any

import click

from station.cli.root import _emit, _home, _table, cli, json_option
from station.texts import t


@cli.command("serve")
@click.option("--listen", default=None, help="HOST:PORT to listen on (default: [query] listen, 127.0.0.1:8080).")
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=None,
    help="Server processes sharing the socket and the ledger (default: [query] workers, 1).",
)
@click.pass_context
def serve_cmd(ctx: click.Context, listen: str | None, workers: int | None) -> None:
    """Run the consumer query service that the labels' QR codes point to (Ctrl+C stops it)."""
    from station.ledger import open_store
    from station.query.server import serve, split_listen

    home = _home(ctx)
    address = listen or home.config.query.listen
    split_listen(address)
    home.ledger  # noqa: B018 - fail here, with a clear message, if the directory, key or ledger is not usable
    open_store(home.ledger_url, home.config.ledger.busy_timeout_s).close()
    home.close()
    base_url = home.config.codes.base_url
    count = workers or home.config.query.workers

    def started(bound: str) -> None:
        click.echo(t("query.serving", listen=bound, base_url=base_url), err=True)
        if count > 1:
            click.echo(t("query.serving_workers", workers=count), err=True)

    serve(home.path, ctx.find_root().params.get("config_file"), address, started, count)


@cli.command("reports")
@click.option("--since", default=None, help="Only reports from this local date or time on (YYYY-MM-DD[THH:MM]).")
@json_option
@click.pass_context
def reports_cmd(ctx: click.Context, since: str | None, as_json: bool) -> None:
    """Consumer reports (失信行为举报) sent from the query pages, oldest first."""
    from station.query import reports
    from station.query.office import json_printable, printable, received_at

    found = reports(_home(ctx), since)
    zone = _home(ctx).config.station.timezone
    if as_json:  # the same data, with nothing in it a terminal would act on
        click.echo(json_printable(json.dumps({"reports": found}, ensure_ascii=False, default=str)))
        return
    rows = [
        (
            r["id"],
            received_at(r["at"], zone),
            t(f"query.report.{r['kind']}"),
            printable(r["code"]),
            printable(r["network"]),
            printable(r["contact"]),
            printable(r["text"]),
        )
        for r in found
    ]
    headers = ("id", "time", "kind", "code", "network", "contact", "text")
    _table(rows, [t(f"query.h.{h}") for h in headers])


@cli.command("stats")
@click.option("--top", type=click.IntRange(1, 1000), default=10, help="How many most-queried codes to list.")
@json_option
@click.pass_context
def stats_cmd(ctx: click.Context, top: int, as_json: bool) -> None:
    """Query statistics: today and in all, most-queried codes, anomalies, unknown codes, reports."""
    from station.codes import group
    from station.query import stats
    from station.query.office import received_at

    figures = stats(_home(ctx), top)
    zone = _home(ctx).config.station.timezone
    if as_json:
        _emit(figures)
        return
    click.echo(
        t(
            "query.cli.stats",
            today=figures["queries_today"],
            total=figures["queries_total"],
            failed_today=figures["failed_today"],
            failed_total=figures["failed_total"],
            anomalies_today=figures["anomalies_today"],
            anomalies_total=figures["anomalies_total"],
            reports_today=figures["reports_today"],
            reports_total=figures["reports_total"],
        )
    )
    click.echo(f"\n{t('query.cli.top')}:")
    _table(
        [
            (
                group(c["code"]),
                c["queries"],
                received_at(c["first_at"], zone),
                received_at(c["last_at"], zone),
                c["anomalies"],
            )
            for c in figures["top_codes"]
        ],
        [t(f"query.h.{h}") for h in ("code", "queries", "first", "last", "anomalies")],
    )
    click.echo(f"\n{t('query.cli.anomalies')}:")
    _table(
        [
            (
                group(a["code"]),
                received_at(a["at"], zone),
                a["network"],
                a["previous_network"],
                received_at(a["previous_at"], zone),
            )
            for a in figures["recent_anomalies"]
        ],
        [t(f"query.h.{h}") for h in ("code", "time", "network", "previous_network", "previous_time")],
    )
    _hidden_tables(figures)


def _hidden_tables(figures: dict[str, Any]) -> None:
    """The hidden-code (暗码) lists of `station stats`: verified more than once, and under guessing."""
    from station.codes import group
    from station.query.office import received_at

    click.echo(f"\n{t('hidden.stats.repeated')}:")
    _table(
        [
            (group(c["code"]), c["verified"], received_at(c["first_at"]), c["first_network"], c["wrong"])
            for c in figures["hidden_repeated"]
        ],
        [t("query.h.code"), *(t(f"hidden.h.{h}") for h in ("verified", "first", "network", "wrong"))],
    )
    click.echo(f"\n{t('hidden.stats.guessed', n=figures['hidden_flag_after'])}:")
    _table(
        [
            (group(c["code"]), c["wrong"], received_at(c["last_wrong_at"]), c["verified"])
            for c in figures["hidden_guessed"]
        ],
        [t("query.h.code"), *(t(f"hidden.h.{h}") for h in ("wrong", "last_wrong", "verified"))],
    )
