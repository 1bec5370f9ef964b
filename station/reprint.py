"""Printing a roll header or a pickup slip again (补打), each time with a reason.

A header gets lost or torn off a roll, a slip goes missing: the office prints it again on the printer that printed
the original (the configured label printer for a header, the pickup slip printer for a slip), through the same
rendering and printing code, and the paper says 补打 with the time it was printed again
(``station.labels.mark``), so a reprint never passes for the original. Each reprint is an event in the ledger's
hash chain (``roll.header_reprinted``, ``pickup.slip_reprinted``) carrying the reason, recorded once the paper is
out: a reprint that failed to print is not recorded, and the clerk is told why.

A reprinted header names what the roll holds now: its good labels (not voided), first and last code and count.
A header is not reprinted for a roll that was voided, that holds no good label, or while its order is printing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from station.errors import RegistryError, device_errors
from station.home import Home
from station.ledger.base import utc_now
from station.pickup import slip_number
from station.texts import t
from station.voids import require_not_printing, require_reason, roll_voiding
from station.zones import shown_time

SLIP = re.compile(r"[Pp]?0*(\d{1,18})")


@dataclass(frozen=True)
class Reprinted:
    """A reprint that came out: what (``header`` or ``slip``), of which roll or slip, and the time on the paper."""

    what: str
    subject: str
    at: str

    def summary(self) -> str:
        """What was printed again, for a person."""
        key = "reprint.done." + self.what
        return t(key, roll=self.subject, slip=self.subject, at=self.at)

    def to_json(self) -> dict[str, str]:
        """The command's JSON answer."""
        return {"reprinted": self.what, "subject": self.subject, "at": self.at}


def parse_slip(text: str) -> int:
    """A pickup's id from its slip number as printed (P000031) or as a number (31)."""
    found = SLIP.fullmatch(text.strip())
    if found is None or int(found.group(1)) == 0:
        raise RegistryError("reprint.bad_slip", value=text.strip())
    return int(found.group(1))


def _reprint_mark(home: Home, reason: str) -> dict[str, str]:
    """The values a reprint adds: the time it is printed again (the station's clock, to the minute), the reason."""
    return {"reprint.at": shown_time(utc_now(), home.config.station.timezone)[:16], "reprint.reason": reason}


# --- a roll header -----------------------------------------------------------------------------------


def header_values(home: Home, roll_id: str) -> dict[str, str]:
    """The roll header's values as the roll stands (``station.rolls.header_values``): its good labels' first and
    last code and their count; refused for a roll with no good label."""
    from station.rolls import header_values as roll_header_values

    values = roll_header_values(home, roll_id, reprint=True)
    if values["roll.count"] == "0":
        raise RegistryError("reprint.roll_empty", roll=roll_id)
    return values


def plan_header(home: Home, roll_id: str) -> dict[str, str]:
    """The values of a roll's header to print again; refused for a voided roll, a roll with no good label, or
    while its order is printing (the printer is the run's)."""
    ledger = home.ledger
    roll = ledger.roll(roll_id)
    voided = roll_voiding(ledger, roll_id)
    if voided is not None:
        raise RegistryError("reprint.roll_voided", roll=roll_id, reason=voided["data"].get("reason", ""))
    require_not_printing(ledger, roll["order_id"])
    return header_values(home, roll_id)


def reprint_header(home: Home, roll_id: str, reason: str, printer_uri: str | None = None) -> Reprinted:
    """Print a roll's header again on the configured label printer (or ``printer_uri``), marked 补打, and record
    it with the reason."""
    from station.devices import printer_from_config
    from station.labels.mark import reprint_template
    from station.labels.render import Renderer
    from station.labels.template import load_template
    from station.rolls import HEADER_TEMPLATE

    reason = require_reason(reason)
    roll_id = roll_id.strip()
    values = plan_header(home, roll_id)
    mark = _reprint_mark(home, reason)
    template = reprint_template(load_template(HEADER_TEMPLATE, home.path / "label_templates"))
    label = Renderer(font_path=home.config.labels.font).render(template, {**values, **mark})
    with device_errors(), printer_from_config(home.config, printer_uri) as printer:
        printer.print_image(label.image)
    ledger = home.ledger
    with ledger.transaction():
        ledger.append_event(
            "roll.header_reprinted",
            {"roll": roll_id, "reason": reason, "at_local": mark["reprint.at"]},
            order_id=ledger.roll(roll_id)["order_id"],
        )
    return Reprinted("header", roll_id, mark["reprint.at"])


# --- a pickup slip -----------------------------------------------------------------------------------


def plan_slip(home: Home, pickup_id: int, slip_printer: str | None = None) -> str:
    """The slip number of a pickup to print again; refused for a pickup that was undone, or when no slip printer
    is set (the setting, or ``slip_printer``)."""
    pickup = home.ledger.pickup(pickup_id)
    if pickup["undone_at"] is not None:
        raise RegistryError("reprint.pickup_undone", slip=slip_number(pickup_id))
    if not (slip_printer or home.config.pickup.slip_printer):
        raise RegistryError("reprint.no_slip_printer")
    return slip_number(pickup_id)


def reprint_slip(home: Home, pickup_id: int, reason: str, slip_printer: str | None = None) -> Reprinted:
    """Print a pickup's slip again on the slip printer (the setting, or ``slip_printer``), marked 补打 with the
    time and reason, and record it."""
    from station.pickup import print_slip

    reason = require_reason(reason)
    slip = plan_slip(home, pickup_id, slip_printer)
    printer = slip_printer or home.config.pickup.slip_printer
    mark = _reprint_mark(home, reason)
    print_slip(home, pickup_id, printer, reprint=mark)
    ledger = home.ledger
    with ledger.transaction():
        ledger.append_event(
            "pickup.slip_reprinted",
            {"pickup": pickup_id, "reason": reason, "at_local": mark["reprint.at"]},
            enterprise_id=ledger.pickup(pickup_id)["enterprise_id"],
        )
    return Reprinted("slip", slip, mark["reprint.at"])


__all__ = ["Reprinted", "header_values", "parse_slip", "plan_header", "plan_slip", "reprint_header", "reprint_slip"]
