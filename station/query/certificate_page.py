"""A 承诺达标合格证's page: what its QR opens and what typing its number shows, from the ledger's record of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from station.errors import CodeError, RegistryError
from station.query import pages
from station.texts import tr

if TYPE_CHECKING:
    from station.query.app import Reply, Service


def certificate_reply(service: Service, text: str, lang: str, as_json: bool) -> Reply:
    """The certificate numbered ``text``: its lot, product, place and producer (200), a wrong check digit (400) or
    no such certificate (404), as a page or as JSON."""
    from station.certificates import lookup_certificate
    from station.query.app import HTML, _json, _reply

    number = text.strip().upper()
    try:
        info: dict[str, Any] = lookup_certificate(service.home, number)
    except CodeError as err:
        message = tr(lang, err.key, **err.params)
        if as_json:
            return _json({"status": "check_digit", "number": number, "message": message}, 400)
        return service.message(lang, 400, message, "bad")
    except RegistryError:
        message = tr(lang, "query.certificate.unknown", number=number)
        if as_json:
            return _json({"status": "unknown", "number": number, "message": message}, 404)
        return service.message(lang, 404, message, "bad")
    status = "recalled" if info["lot"]["recalled"] else "genuine"
    if as_json:
        return _json({"status": status, **info}, 200)
    html = pages.render(
        "certificate.html",
        lang,
        service.prefix,
        pages.other_lang_url(lang, f"{service.prefix}/{number}"),
        info=info,
        status=status,
    )
    return _reply(200, html.encode(), HTML)
