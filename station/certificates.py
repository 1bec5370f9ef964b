"""承诺达标合格证 per lot: N numbered certificates carrying the lot's data, printed on the label printer and each
recorded in the ledger before it is sent (lot, number, time, operator, station, printer).

A certificate is issued only for a released lot (it commits to the lot's quality) of an enterprise that may be
issued codes. Its number (HG, 8 digits, a Damm check digit) is looked up like a code: `station lookup`, the query
page and its QR (``<base_url>/<number>``).

If the printer fails part way, the certificates already sent stay recorded and the one being sent is recorded too:
the error names how many went out and the numbers recorded, so the clerk can check the printed stack against them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from station.errors import PrintError, RegistryError, StationError
from station.home import Home
from station.ledger.certificates import NUMBER_PREFIX
from station.ledger.rows import Certificate, Lot
from station.redact import masked
from station.zones import shown_time

TEMPLATE = "hegezheng-60x40"
MAX_COUNT = 1000  # certificates in one command: one per package of a lot, or per vehicle for bulk goods


@dataclass
class CertificateRun:
    """What one `station certificate issue` printed."""

    lot_id: int
    numbers: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """How many certificates for which lot, first and last number, for a person."""
        from station.texts import t

        return t(
            "certificate.issued",
            n=len(self.numbers),
            lot=self.lot_id,
            first=self.numbers[0] if self.numbers else "-",
            last=self.numbers[-1] if self.numbers else "-",
        )


def certificate_lot(home: Home, lot_id: int) -> Lot:
    """The lot, when certificates may be issued for it: released, not recalled, its enterprise issuable."""
    from station.registry import require_issuable

    lot = home.ledger.lot(lot_id)
    if lot["recalled"]:
        raise RegistryError("lot.recalled", number=lot["number"], reason=lot["recall_reason"])
    if not lot["released"]:
        raise RegistryError("certificate.lot_not_released", number=lot["number"])
    require_issuable(home.ledger, lot["enterprise_id"])
    return lot


def lot_certificate_values(home: Home, lot: Lot) -> dict[str, str]:
    """The fields a certificate of this lot shares with every other one: producer, product, origin, lot."""
    from station.labels.values import lot_values, product_values

    ledger = home.ledger
    product = ledger.product(lot["product_id"])
    enterprise = ledger.enterprise(lot["enterprise_id"])
    values = {
        "enterprise.name": enterprise["name"],
        "enterprise.credit_code": enterprise["credit_code"],
        "enterprise.contact": enterprise["contact"],
        "print.station": home.config.station.id,
    }
    values.update(product_values(product))
    values.update(lot_values(lot, product["shelf_life_days"]))
    return values


def certificate_values(home: Home, certificate: Certificate, shared: dict[str, str] | None = None) -> dict[str, str]:
    """Every field of one certificate: the lot's, its number, its date of issue (station's clock) and its QR."""
    if shared is None:
        shared = lot_certificate_values(home, home.ledger.lot(certificate["lot_id"]))
    values = dict(shared)
    day = shown_time(certificate["at"], home.config.station.timezone)[:10]
    values.update(
        {
            "certificate.number": certificate["number"],
            "certificate.date": day,
            "print.date": day,
            "code": certificate["number"],
            "code_grouped": certificate["number"],
            "payload": f"{home.config.codes.base_url.rstrip('/')}/{certificate['number']}",
        }
    )
    return values


def issue_certificates(
    home: Home,
    lot_id: int,
    count: int,
    printer_uri: str | None = None,
    lang: str | None = None,
    on_printed: Callable[[str], None] | None = None,
) -> CertificateRun:
    """Print ``count`` certificates of a lot on the configured printer (or ``printer_uri`` in ``lang``), each
    recorded in the ledger just before it is sent; a printer that cannot be reached records nothing."""
    from station.devices import printer_from_config
    from station.errors import device_errors
    from station.labels import Renderer, load_template

    if not 1 <= count <= MAX_COUNT:
        raise RegistryError("certificate.bad_count", count=count, max=MAX_COUNT)
    lot = certificate_lot(home, lot_id)
    config = home.config
    language = lang or config.printer.lang
    template = load_template(TEMPLATE, home.path / "label_templates", language)
    renderer = Renderer(font_path=config.labels.font)
    shared = lot_certificate_values(home, lot)
    uri = printer_uri or config.printer.uri
    run = CertificateRun(lot_id)
    with device_errors(), printer_from_config(config, uri, language, template.gap_mm) as printer:
        printer.connect()  # a printer that cannot be reached is told before any number is recorded
        for _ in range(count):
            certificate = home.ledger.add_certificate(lot_id, masked(uri))
            values = certificate_values(home, certificate, shared)
            label = renderer.render(template, values)
            run.warnings.extend(w for w in label.warnings if w not in run.warnings)
            try:
                with device_errors():
                    printer.print_image(label.image)
            except StationError as err:
                raise PrintError(
                    "certificate.print_failed",
                    printed=len(run.numbers),
                    count=count,
                    number=certificate["number"],
                    reason=err.message,
                ) from err
            run.numbers.append(certificate["number"])
            if on_printed is not None:
                on_printed(certificate["number"])
    return run


def is_certificate_number(text: str) -> bool:
    """True when ``text`` has the form of a certificate number (HG and 9 digits), whatever its check digit."""
    text = text.strip().upper()
    return len(text) == len(NUMBER_PREFIX) + 9 and text.startswith(NUMBER_PREFIX) and text[2:].isdigit()


def lookup_certificate(home: Home, text: str) -> dict[str, Any]:
    """A certificate by its number: the record, its lot and product, the producer and the certificates of the lot;
    CodeError when the check digit is wrong, RegistryError when no certificate has the number."""
    from station.codes import check_digit_ok
    from station.errors import CodeError
    from station.places import full_place_name

    number = text.strip().upper()
    if not is_certificate_number(number):
        raise CodeError("certificate.bad_number", number=text.strip())
    if not check_digit_ok(number[2:]):
        raise CodeError("certificate.bad_check", number=number)
    ledger = home.ledger
    certificate = ledger.certificate(number)
    lot = ledger.lot(certificate["lot_id"])
    product = ledger.product(lot["product_id"])
    enterprise = ledger.enterprise(lot["enterprise_id"])
    values = lot_certificate_values(home, lot)
    zone = home.config.station.timezone
    return {
        "certificate": {
            **certificate,
            "at": shown_time(certificate["at"], zone, with_offset=True),
        },
        "lot": {
            "id": lot["id"],
            "number": lot["number"],
            "production_date": lot["production_date"],
            "best_before": values["lot.best_before"],
            "quantity": lot["quantity"],
            "basis": values["lot.basis"],
            "released": bool(lot["released"]),
            "recalled": bool(lot["recalled"]),
            "recall_reason": lot["recall_reason"],
        },
        "product": {
            "id": product["id"],
            "name": product["name"],
            "origin_code": product["origin_code"],
            "origin_place": full_place_name(product["origin_code"]),
        },
        "enterprise": {"id": enterprise["id"], "name": enterprise["name"], "contact": enterprise["contact"]},
        "lot_certificates": len(ledger.certificates(lot["id"])),
    }


CERTIFICATE_COLUMNS = (
    "certificate",
    "lot_id",
    "lot",
    "product",
    "origin_place",
    "enterprise",
    "credit_code",
    "time",
    "operator",
    "station",
    "printer",
)


def certificates_table(home: Home, lot_id: int | None = None) -> Any:
    """Certificates issued (all or of one lot) as an export table: number, lot, product, place, producer, time on
    the station's clock with its offset, operator, station and printer."""
    from station.export import Table
    from station.places import full_place_name

    ledger = home.ledger
    if lot_id is not None:
        ledger.lot(lot_id)
    zone = home.config.station.timezone

    def rows() -> Any:
        lots: dict[int, Lot] = {}
        for row in ledger.certificates(lot_id):
            lot = lots.get(row["lot_id"])
            if lot is None:
                lot = lots[row["lot_id"]] = ledger.lot(row["lot_id"])
            product = ledger.product(lot["product_id"])
            enterprise = ledger.enterprise(lot["enterprise_id"])
            yield (
                row["number"],
                lot["id"],
                lot["number"],
                product["name"],
                full_place_name(product["origin_code"]) or product["origin_code"],
                enterprise["name"],
                enterprise["credit_code"],
                shown_time(row["at"], zone, with_offset=True),
                row["operator"],
                row["station"],
                row["printer"],
            )

    return Table("certificates", CERTIFICATE_COLUMNS, rows())
