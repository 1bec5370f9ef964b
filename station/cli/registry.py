"""`station enterprise …` and `station product …`."""

from __future__ import annotations

import json
from typing import Any

import click

from station.cli.root import ID, _emit, _home, _signed_in, _table, cli, json_option
from station.ledger.rows import Enterprise
from station.texts import t

# --- enterprises ------------------------------------------------------------------------------------


@cli.group()
def enterprise() -> None:
    """Enterprises: register, review, blacklist, list."""


def _enterprise_json(e: Enterprise) -> dict[str, Any]:
    return {
        "id": e["id"],
        "name": e["name"],
        "credit_code": e["credit_code"],
        "contact": e["contact"],
        "status": e["status"],
        "blacklisted": bool(e["blacklisted"]),
        "blacklist_reason": e["blacklist_reason"],
        "created_at": e["created_at"],
        "documents": json.loads(e.get("documents") or "{}"),
    }


def _enterprise_status(e: Enterprise) -> str:
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

    home = _signed_in(ctx, "register")
    eid = add_enterprise(home.ledger, name, credit_code, contact)
    if as_json:
        _emit(_enterprise_json(home.ledger.enterprise(eid)))
    else:
        click.echo(t("cli.enterprise_added", id=eid, name=name.strip()))


def _review(ctx: click.Context, eid: int, action: str, reason: str | None, as_json: bool) -> None:
    from station.registry import review_enterprise, set_blacklisted

    home = _signed_in(ctx, "blacklist" if action in ("blacklist", "unblacklist") else "review")
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

    home = _signed_in(ctx, "register")
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


@product.command("edit")
@click.argument("product_id", type=ID)
@click.option("--name", default=None, help="Corrected product name.")
@click.option("--origin", default=None, help="Corrected 12-digit origin code.")
@click.option("--gtin", default=None, help="Corrected GTIN; an empty value removes it.")
@click.option("--cert", "certs", multiple=True, help="The certifications, all of them (replaces the list); repeatable.")
@click.option("--shelf-life", "shelf_life", type=int, default=None, help="Corrected shelf life in days.")
@json_option
@click.pass_context
def product_edit(
    ctx: click.Context,
    product_id: int,
    name: str | None,
    origin: str | None,
    gtin: str | None,
    certs: tuple[str, ...],
    shelf_life: int | None,
    as_json: bool,
) -> None:
    """Correct a product's label fields; what is not given stays as it is. Orders already issued keep their GTIN."""
    from station.registry import edit_product

    home = _signed_in(ctx, "register")
    now = home.ledger.product(product_id)
    changed = edit_product(
        home.ledger,
        product_id,
        home.config.scheme.county_code,
        now["name"] if name is None else name,
        now["origin_code"] if origin is None else origin,
        list(certs) if certs else list(now["certifications"]),
        now["shelf_life_days"] if shelf_life is None else shelf_life,
        now["gtin"] if gtin is None else gtin,
    )
    if as_json:
        _emit({"product": home.ledger.product(product_id), "changed": sorted(changed)})
    elif changed:
        click.echo(
            t("cli.product_edited", id=product_id, fields=", ".join(t(f"cli.product_field.{c}") for c in changed))
        )
    else:
        click.echo(t("cli.product_unchanged", id=product_id))


@enterprise.command("apply")
@click.option("--name", required=True, help="Registered name.")
@click.option("--credit-code", required=True, help="18-character unified social credit code.")
@click.option("--contact", default="", help="Contact person and phone.")
@click.option(
    "--licence",
    "licences",
    multiple=True,
    help="KIND:NUMBER[:EXPIRY], KIND one of business (营业执照), hygiene (卫生许可证), food (食品流通经营许可证); "
    "EXPIRY as yyyy-mm-dd where the licence has one.",
)
@click.option(
    "--qualification",
    "qualifications",
    multiple=True,
    help="地理标志, 中华老字号, 云南老字号, 绿色食品, 有机, 无公害…; repeatable.",
)
@json_option
@click.pass_context
def enterprise_apply(
    ctx: click.Context,
    name: str,
    credit_code: str,
    contact: str,
    licences: tuple[str, ...],
    qualifications: tuple[str, ...],
    as_json: bool,
) -> None:
    """An enterprise applies for admission with its licences and qualifications; it waits for review."""
    from station.registry import apply_enterprise

    home = _signed_in(ctx, "register")
    parsed: dict[str, str] = {}
    expiry: dict[str, str] = {}
    for item in licences:
        kind, _, rest = item.partition(":")
        number, _, until = rest.partition(":")
        if not number.strip():
            raise click.BadParameter(t("cli.licence_form"), param_hint="--licence")
        parsed[kind.strip()] = number.strip()
        if until.strip():
            expiry[kind.strip()] = until.strip()
    eid = apply_enterprise(home.ledger, name, credit_code, contact, parsed, list(qualifications), expiry)
    if as_json:
        _emit(_enterprise_json(home.ledger.enterprise(eid)))
    else:
        click.echo(t("cli.enterprise_added", id=eid, name=name.strip()))


@enterprise.command("review")
@click.argument("enterprise_id", type=ID)
@click.option("--decision", type=click.Choice(["approve", "reject"]), required=True)
@click.option("--reason", default=None, help="Required to reject.")
@json_option
@click.pass_context
def enterprise_review(ctx: click.Context, enterprise_id: int, decision: str, reason: str | None, as_json: bool) -> None:
    """Review an application: approve (准入) or reject with the reason."""
    _review(ctx, enterprise_id, decision, reason, as_json)


@cli.group()
def operator() -> None:
    """Operators who sign in to the app: clerk, QC or admin."""


@operator.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(["clerk", "qc", "admin"]), required=True)
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True, help="Digits: station.pin_length to 12.")
@click.pass_context
def operator_add(ctx: click.Context, name: str, role: str, pin: str) -> None:
    """Add an operator with a role and a PIN (stored as a slow hash); once there are operators, an admin does this."""
    from station.operators import add_operator

    home = _signed_in(ctx, "operators")
    add_operator(home.ledger, name, role, pin, home.config.station.pin_length)
    click.echo(t("operator.added", name=name, role=t("role." + role)))


@operator.command("list")
@json_option
@click.pass_context
def operator_list(ctx: click.Context, as_json: bool) -> None:
    """Every operator: name, role and whether disabled."""
    from station.operators import operators

    found = operators(_home(ctx).ledger)
    if as_json:
        _emit({"operators": [{**o, "disabled": bool(o["disabled"])} for o in found]})
        return
    _table(
        [(o["name"], t("role." + o["role"]), t("operator.col.disabled") if o["disabled"] else "") for o in found],
        (t("tui.name"), t("operator.col.role"), t("operator.col.disabled")),
    )


@operator.command("disable")
@click.argument("name")
@click.pass_context
def operator_disable(ctx: click.Context, name: str) -> None:
    """Stop an operator signing in (their history stays); `operator enable` undoes it."""
    from station.operators import set_disabled

    set_disabled(_signed_in(ctx, "operators").ledger, name, True)
    click.echo(t("operator.disabled_done", name=name))


@operator.command("enable")
@click.argument("name")
@click.pass_context
def operator_enable(ctx: click.Context, name: str) -> None:
    """Let a disabled operator sign in again."""
    from station.operators import set_disabled

    set_disabled(_signed_in(ctx, "operators").ledger, name, False)
    click.echo(t("operator.enabled_done", name=name))


@operator.command("pin")
@click.argument("name")
@click.option("--pin", prompt=True, hide_input=True, confirmation_prompt=True, help="The new PIN.")
@click.pass_context
def operator_pin(ctx: click.Context, name: str, pin: str) -> None:
    """Give an operator a new PIN (clears their wrong-PIN count and lock)."""
    from station.operators import reset_pin

    home = _signed_in(ctx, "operators")
    reset_pin(home.ledger, name, pin, home.config.station.pin_length)
    click.echo(t("operator.pin_done", name=name))
