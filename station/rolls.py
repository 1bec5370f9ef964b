"""A roll's own label (卷标, the roll header): what it says, and printing it.

A roll's label is printed once the roll is complete, after its last label was verified, so it names what the roll
really holds: the roll's first and last good code and its number of good labels, the same figures the ledger and
the pickup slip give. On a rewinder it is the outermost label of the roll, where it is scanned at pickup.

Every print of a roll's label is recorded before its bytes are sent (``Ledger.header_started``) and again once they
were sent whole (``Ledger.header_printed``). A roll whose label may already have come out (any print was started
before) gets one marked 补打 (reprint).
"""

from __future__ import annotations

from typing import Any

from station.codes import group, make_code
from station.home import Home
from station.labels.render import Label, Renderer
from station.labels.template import Template, load_template
from station.labels.values import order_values
from station.ledger import State
from station.texts import tr

HEADER_TEMPLATE = "roll-header-40x30"
GOOD_STATES = (State.VERIFIED, State.DISTRIBUTED, State.BOUND, State.RECALLED)


def good_serials(home: Home, roll_id: str) -> list[int]:
    """The serials of a roll's good labels (verified, and what became of them since), in roll order."""
    return [s for _, s, st in home.ledger.roll(roll_id)["labels"] if s is not None and st in GOOD_STATES]


def header_values(
    home: Home, roll_id: str, *, reprint: bool = False, shared: dict[str, str] | None = None
) -> dict[str, str]:
    """The values of a roll's label: the order's shared values, the roll id, its first and last good code, its count
    of good labels, and 补打 when it is a reprint (the paper is Chinese whatever the station's language)."""
    roll = home.ledger.roll(roll_id)
    good = [s for _, s, st in roll["labels"] if s is not None and st in GOOD_STATES]
    values = dict(shared) if shared is not None else order_values(home, roll["order_id"])
    values.update(
        {
            "roll.id": roll_id,
            "roll.first": group(make_code(home.key, good[0])) if good else "",
            "roll.last": group(make_code(home.key, good[-1])) if good else "",
            "roll.count": str(len(good)),
            "roll.mark": tr("zh", "roll.reprint_mark") if reprint else "",
        }
    )
    return values


def header_record(values: dict[str, str], reprint: bool, reason: str | None = None) -> dict[str, Any]:
    """What the ledger's ``roll.header`` event says the label shows."""
    data: dict[str, Any] = {
        "first": values["roll.first"],
        "last": values["roll.last"],
        "count": int(values["roll.count"]),
        "reprint": reprint,
    }
    if reason:
        data["reason"] = reason
    return data


def header_template(home: Home) -> Template:
    """The roll label's template."""
    return load_template(HEADER_TEMPLATE, home.path / "label_templates")


def render_header(home: Home, values: dict[str, str], renderer: Renderer | None = None) -> Label:
    """A roll's label drawn from its values."""
    renderer = renderer or Renderer(font_path=home.config.labels.font)
    return renderer.render(header_template(home), values)


def print_roll_header(home: Home, roll_id: str, printer: Any, *, reason: str | None = None) -> dict[str, str]:
    """Print a complete roll's label on ``printer`` (a ``LabelPrinter``), recorded before and after it is sent; the
    values it shows. A roll that had a label print before gets one marked 补打, recorded with ``reason``. This is
    how the print run heads a roll that a crash left without its label, and how a roll label is reprinted."""
    from station.errors import device_errors

    roll = home.ledger.roll(roll_id)
    reprint = int(roll["headers"]) > 0
    values = header_values(home, roll_id, reprint=reprint)
    label = render_header(home, values)
    home.ledger.header_started(roll_id, header_record(values, reprint, reason))
    with device_errors():
        printer.print_image(label.image)
    home.ledger.header_printed(roll_id)
    return values


__all__ = ["GOOD_STATES", "HEADER_TEMPLATE", "good_serials", "header_values", "print_roll_header", "render_header"]
