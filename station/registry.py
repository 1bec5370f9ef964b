"""Enterprises and products: admission review, blacklist, and the fields the county plan asks for."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from station.clean_text import NAME_MAX, REASON_MAX, clean, refuse_copy
from station.codes import gtin14, number_reason
from station.errors import RegistryError
from station.ledger import Ledger
from station.ledger.rows import Enterprise

STATUSES = ("pending", "approved", "rejected")

# action -> (statuses it may start from, columns it sets, event kind, reason required)
_ENTERPRISE_ACTIONS: dict[str, tuple[tuple[str, ...], dict[str, Any], bool]] = {
    "approve": (("pending", "rejected"), {"status": "approved"}, False),
    "reject": (("pending",), {"status": "rejected"}, True),
}


def valid_credit_code(text: str) -> str:
    """An 18-character unified social credit code checked by its GB 32100 check character."""
    code = text.strip().upper()
    try:
        return str(uscc.validate(code))
    except ValidationError as err:
        raise RegistryError("enterprise.bad_credit_code", code=text, reason=number_reason(err)) from err


def add_enterprise(ledger: Ledger, name: str, credit_code: str, contact: str = "") -> int:
    """Register an enterprise application; it gets codes only after approval."""
    if not name.strip():
        raise RegistryError("enterprise.name_empty")
    name = clean(name, "field.enterprise_name", NAME_MAX)
    refuse_copy(name, ((e["id"], e["name"]) for e in ledger.enterprises()), "field.enterprise_name")
    code = valid_credit_code(credit_code)
    return ledger.add_enterprise(name, code, clean(contact, "field.contact", NAME_MAX, required=False))


LICENCES = {"business": "营业执照", "hygiene": "卫生许可证", "food": "食品流通经营许可证"}

# the qualifications the county scheme recognises, in the order its application form lists them
QUALIFICATIONS = ("地理标志", "绿色食品", "有机农产品", "无公害农产品", "中华老字号", "云南老字号", "驰名商标")


def apply_enterprise(
    ledger: Ledger,
    name: str,
    credit_code: str,
    contact: str,
    licences: dict[str, str],
    qualifications: list[str],
    expiry: dict[str, str] | None = None,
) -> int:
    """An enterprise applies for admission (准入) with its licences (number, and expiry date where the licence has
    one) and product qualifications, for review. Expiry dates are kept beside the numbers, in
    ``documents["licence_expiry"]``, so the numbers keep the shape they always had."""
    licences = {licence_kind(kind): number for kind, number in licences.items()}
    expiry = {licence_kind(kind): until for kind, until in (expiry or {}).items()}
    unknown = sorted((set(licences) | set(expiry)) - set(LICENCES))
    if unknown:
        from station.texts import t

        allowed = t("why.join").join(_licence_text(kind) for kind in LICENCES)  # as a clerk may type them too
        raise RegistryError("enterprise.bad_licence", kinds=", ".join(unknown), allowed=allowed)
    dates = {kind: _licence_date(kind, text) for kind, text in (expiry or {}).items() if text.strip()}
    lacking = sorted(kind for kind in dates if not licences.get(kind, "").strip())
    if lacking:
        raise RegistryError("enterprise.expiry_without_number", licence=_licence_text(lacking[0]))
    documents: dict[str, object] = {  # checked before anything is written
        "licences": {kind: clean(text, "field.licence", NAME_MAX) for kind, text in licences.items() if text.strip()},
        "qualifications": [clean(q, "field.qualification", NAME_MAX) for q in qualifications if q.strip()],
    }
    if dates:
        documents["licence_expiry"] = dates
    with ledger.transaction():
        eid = add_enterprise(ledger, name, credit_code, contact)
        ledger.set_enterprise_documents(eid, documents)
    return eid


def _licence_date(kind: str, text: str) -> str:
    """A licence's expiry date as YYYY-MM-DD, or RegistryError naming the licence."""
    try:
        return date.fromisoformat(text.strip()).isoformat()
    except ValueError as err:
        raise RegistryError("enterprise.bad_expiry", licence=_licence_text(kind), value=text.strip()) from err


def review_enterprise(ledger: Ledger, eid: int, action: str, reason: str | None = None) -> None:
    """Approve or reject an application."""
    allowed_from, columns, needs_reason = _ENTERPRISE_ACTIONS[action]
    with ledger.transaction():
        ent = ledger.enterprise(eid)
        if ent["status"] not in allowed_from:
            raise RegistryError(
                "enterprise.bad_status_change",
                id=eid,
                status=_status_text(ent["status"]),
                action=_eaction_text(action),
            )
        if needs_reason and not (reason and reason.strip()):
            raise RegistryError("enterprise.reason_needed")
        if reason is not None:
            reason = clean(reason, "field.reason", REASON_MAX, required=False) or None
        ledger.update_enterprise(eid, f"enterprise.{action}", reason, **columns)


def set_blacklisted(ledger: Ledger, eid: int, blacklisted: bool, reason: str) -> None:
    """Put an enterprise on the blacklist or take it off; a reason is always required."""
    if not reason.strip():
        raise RegistryError("enterprise.reason_needed")
    reason = clean(reason, "field.reason", REASON_MAX)
    action = "blacklist" if blacklisted else "unblacklist"
    with ledger.transaction():
        ent = ledger.enterprise(eid)
        if bool(ent["blacklisted"]) == blacklisted:
            raise RegistryError(
                "enterprise.bad_status_change",
                id=eid,
                status=_eaction_text("blacklist") if blacklisted else _status_text(ent["status"]),
                action=_eaction_text(action),
            )
        ledger.update_enterprise(
            eid,
            f"enterprise.{action}",
            reason.strip(),
            blacklisted=int(blacklisted),
            blacklist_reason=reason.strip() if blacklisted else None,
        )


def require_issuable(ledger: Ledger, eid: int) -> Enterprise:
    """The enterprise, if it may be issued codes: approved and not blacklisted."""
    ent = ledger.enterprise(eid)
    if ent["blacklisted"]:
        raise RegistryError("enterprise.blacklisted", id=eid, name=ent["name"], reason=ent["blacklist_reason"])
    if ent["status"] != "approved":
        raise RegistryError("enterprise.not_approved", id=eid, name=ent["name"], status=_status_text(ent["status"]))
    return ent


def valid_origin(origin: str, county_code: str) -> str:
    """A 12-digit origin code: county (GB/T 2260, 6) + township (3) + village (3), in the configured county, whose
    county and township the division data names (``station.places``)."""
    from station.places import require_place

    code = origin.strip()
    if not re.fullmatch(r"[0-9]{12}", code) or (county_code and not code.startswith(county_code)):
        raise RegistryError("product.bad_origin", origin=origin, prefix=county_code or "GB/T 2260")
    require_place(code)
    return code


def add_product(
    ledger: Ledger,
    enterprise_id: int,
    name: str,
    origin: str,
    county_code: str,
    certifications: list[str] | None = None,
    shelf_life_days: int | None = None,
    gtin: str | None = None,
) -> int:
    """Record a product with the package-label fields of the county plan."""
    if not name.strip():
        raise RegistryError("product.name_empty")
    name = clean(name, "field.product_name", NAME_MAX)
    code = gtin14(gtin) if gtin else None
    # the same name with another GTIN is another pack of the product (250 g, 500 g): only a true copy is refused
    same_pack = ((p["id"], p["name"]) for p in ledger.products(enterprise_id) if p["gtin"] == code)
    refuse_copy(name, same_pack, "field.product_name")
    if shelf_life_days is not None and not 1 <= shelf_life_days <= 3650:
        raise RegistryError("product.bad_shelf_life", value=shelf_life_days)
    ledger.enterprise(enterprise_id)
    return ledger.add_product(
        enterprise_id,
        name,
        valid_origin(origin, county_code),
        [clean(c, "field.certification", NAME_MAX) for c in (certifications or []) if c.strip()],
        shelf_life_days,
        code,
    )


def edit_product(
    ledger: Ledger,
    product_id: int,
    county_code: str,
    name: str,
    origin: str,
    certifications: list[str],
    shelf_life_days: int | None,
    gtin: str | None,
) -> dict[str, Any]:
    """Correct a product's label fields (name, origin, certifications, shelf life, GTIN); orders already issued
    keep the GTIN they were issued with. Returns the columns that changed (none: nothing is written)."""
    product = ledger.product(product_id)
    if not name.strip():
        raise RegistryError("product.name_empty")
    wanted: dict[str, Any] = {
        "name": clean(name, "field.product_name", NAME_MAX),
        "origin_code": valid_origin(origin, county_code),
        "certifications": [clean(c, "field.certification", NAME_MAX) for c in certifications if c.strip()],
        "shelf_life_days": shelf_life_days,
        "gtin": gtin14(gtin) if gtin and gtin.strip() else None,
    }
    if shelf_life_days is not None and not 1 <= shelf_life_days <= 3650:
        raise RegistryError("product.bad_shelf_life", value=shelf_life_days)
    others = (
        (p["id"], p["name"])
        for p in ledger.products(product["enterprise_id"])
        if p["gtin"] == wanted["gtin"] and p["id"] != product_id
    )
    refuse_copy(wanted["name"], others, "field.product_name")
    stored: dict[str, Any] = dict(product)
    changed = {column: value for column, value in wanted.items() if stored[column] != value}
    if changed:
        ledger.update_product(product_id, changed)
    return changed


def _status_text(status: str) -> str:
    from station.texts import t

    return t(f"estatus.{status}")


def licence_kind(text: str) -> str:
    """A licence's kind from its key ("food") or its name in either language ("食品流通经营许可证")."""
    from station.texts import TEXTS

    found = next((kind for kind in LICENCES if text.strip() in TEXTS[f"licence.{kind}"]), None)
    return found or text


def _licence_text(kind: str) -> str:
    from station.texts import t

    return t(f"licence.{kind}")


def _eaction_text(action: str) -> str:
    from station.texts import t

    return t(f"eaction.{action}")
