"""Handing code rolls to an enterprise (领取), binding codes to lots (赋码), and recalls.

Every scan is untrusted input: any bytes, any length. A scan is answered with a message and changes nothing in
the ledger; the rolls a session accepted are handed over together when the clerk finishes, in one transaction.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from station.clean_text import RECEIVER_MAX, clean
from station.codes import group, make_code, parse_code
from station.errors import ClaimError, CodeError, RegistryError, StationError, device_errors
from station.home import Home
from station.ledger import State
from station.ledger.rows import Enterprise
from station.registry import require_issuable
from station.roll_ids import ANY_ROLL_ID, parse_roll_id, scan_target
from station.texts import t
from station.zones import shown_time

ROLL_ID = ANY_ROLL_ID  # a roll id with its check digit, or of the older form without one
MAX_SCAN = 256


@dataclass(frozen=True)
class ScanOutcome:
    """What the station says to one scan; for an accepted roll, its good labels and the rolls accepted so far."""

    ok: bool
    message: str
    roll: str | None = None
    labels: int | None = field(default=None, compare=False)  # compared through the message, which states them
    accepted: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class PickupDone:
    """How a pickup ended: its id (None when no roll was accepted), its slip, and why the slip did not print."""

    pickup_id: int | None
    rolls: list[str]
    codes: int
    receiver: str
    slip: str | None = None
    slip_error: StationError | None = None

    def summary(self) -> str:
        """The pickup's slip number, rolls, codes and receiver, or that nothing was handed over, for a person."""
        if self.pickup_id is None:
            return t("pickup.nothing")
        return t(
            "pickup.done",
            slip=slip_number(self.pickup_id),
            rolls=len(self.rolls),
            codes=self.codes,
            receiver=self.receiver,
        )


@dataclass
class PickupSession:
    """One enterprise representative at the counter, scanning roll headers."""

    home: Home
    enterprise_id: int
    receiver: str
    rolls: list[str] = field(default_factory=list)
    codes: int = 0

    def __post_init__(self) -> None:
        ent = require_pickup_allowed(self.home, self.enterprise_id)
        self.enterprise_name = ent["name"]
        if not self.receiver.strip():
            raise ClaimError("pickup.receiver_needed")
        self.receiver = clean(self.receiver, "field.receiver", RECEIVER_MAX)

    def scan(self, raw: str) -> ScanOutcome:
        """Judge one scan; never raises, never writes to the ledger."""
        try:
            return self._scan(raw)
        except StationError as err:
            return ScanOutcome(False, err.message)
        except Exception as err:  # noqa: BLE001 - a scanner can send anything; the counter must keep working
            return ScanOutcome(False, t("pickup.unreadable_scan", reason=type(err).__name__))

    def _scan(self, raw: str) -> ScanOutcome:
        text = raw.strip()
        if not text:
            return ScanOutcome(False, t("pickup.empty_scan"))
        if len(text) > MAX_SCAN or any(unicodedata.category(c) in ("Cc", "Cs", "Co", "Cn") for c in text):
            return ScanOutcome(False, t("pickup.not_ours"))
        ledger = self.home.ledger
        kind, digits = scan_target(text)
        if kind == "roll":
            return self._roll(digits)
        try:
            serial = parse_code(self.home.key, digits)
        except CodeError:
            return ScanOutcome(False, t("pickup.not_ours"))
        row = ledger.code(serial)
        if row is None:  # genuine under this station's key, but never issued here
            return ScanOutcome(False, t("code.unknown_serial", serial=serial))
        order = ledger.order(row["order_id"])
        if order["enterprise_id"] != self.enterprise_id:
            return ScanOutcome(False, t("pickup.code_foreign"))
        if row["state"] is State.VOIDED:
            return ScanOutcome(False, t("pickup.code_voided", code=group(make_code(self.home.key, serial))))
        return ScanOutcome(False, t("pickup.scan_header"))

    def _roll(self, scanned: str) -> ScanOutcome:
        ledger = self.home.ledger
        try:
            roll_id = parse_roll_id(scanned, ledger.roll_exists)
        except ClaimError as err:  # one character off, or an id of the older form no roll has
            return ScanOutcome(False, err.message)
        try:
            roll = ledger.roll(roll_id)
        except RegistryError:
            return ScanOutcome(False, t("pickup.roll_unknown", roll=roll_id))
        order = ledger.order(roll["order_id"])
        if order["enterprise_id"] != self.enterprise_id:
            return ScanOutcome(False, t("pickup.roll_foreign", roll=roll_id))
        if roll_id in self.rolls:
            return ScanOutcome(False, t("pickup.roll_twice", roll=roll_id))
        if ledger.roll_pickup(roll_id) is not None:
            return ScanOutcome(False, t("pickup.roll_taken", roll=roll_id))
        states = [state for _, serial, state in roll["labels"] if serial is not None]
        if roll["closed_at"] is None or any(s not in (State.VERIFIED, State.VOIDED) for s in states):
            return ScanOutcome(False, t("pickup.roll_unfinished", roll=roll_id))
        if roll["header_at"] is None:  # complete, but its label (the one scanned here) was never sent whole
            return ScanOutcome(False, t("pickup.roll_no_header", roll=roll_id))
        good = sum(1 for s in states if s is State.VERIFIED)
        if good == 0:
            return ScanOutcome(False, t("pickup.roll_empty", roll=roll_id))
        self.rolls.append(roll_id)
        self.codes += good
        return ScanOutcome(
            True, t("pickup.roll_ok", roll=roll_id, n=good, rolls=len(self.rolls)), roll_id, good, len(self.rolls)
        )

    def finish(self) -> int | None:
        """Hand the accepted rolls over; the pickup id, or None when no roll was accepted."""
        if not self.rolls:
            return None
        require_pickup_allowed(self.home, self.enterprise_id)  # still allowed at the moment of handing over
        return self.home.ledger.create_pickup(self.enterprise_id, self.receiver.strip(), self.rolls)


def finish_pickup(session: PickupSession, slip_printer: str | None) -> PickupDone:
    """Hand the session's rolls over and print the slip on ``slip_printer`` (when one is given).

    The pickup stands once recorded: a slip that fails to print is reported in ``slip_error``, not raised.
    """
    pickup_id = session.finish()
    slip, slip_error = None, None
    if pickup_id is not None and slip_printer:
        try:
            slip = print_slip(session.home, pickup_id, slip_printer)
        except StationError as err:
            slip_error = err
    return PickupDone(pickup_id, list(session.rolls), session.codes, session.receiver, slip, slip_error)


def slip_number(pickup_id: int) -> str:
    """The number printed on a pickup's slip."""
    return f"P{pickup_id:06d}"


def describe_scan(home: Home, text: str) -> str:
    """What the station makes of a scan, for a person: a roll header, a code of this ledger in its state, or
    neither."""
    from station.lookup import check_code

    kind, digits = scan_target(text)
    if kind == "roll":
        return t("dev.scan_roll")
    try:
        row = check_code(home, digits)
    except StationError:
        return t("dev.scan_foreign")
    return t("dev.scan_code", state=t("state." + row["state"].label))


def require_pickup_allowed(home: Home, enterprise_id: int) -> Enterprise:
    """The enterprise, if it may pick up codes: approved and not blacklisted."""
    return require_issuable(home.ledger, enterprise_id)


def slip_values(home: Home, pickup_id: int) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Field values and rows of the pickup slip."""
    ledger = home.ledger
    pickup = ledger.pickup(pickup_id)
    ent = ledger.enterprise(pickup["enterprise_id"])
    rows = []
    total = 0
    for n, roll_id in enumerate(pickup["rolls"], start=1):
        roll = ledger.roll(roll_id)
        good = [
            s
            for _, s, st in roll["labels"]
            if s is not None and (st is not State.VOIDED or _handed_over(home, s, pickup_id))
        ]
        order = ledger.order(roll["order_id"])
        product = ledger.product(order["product_id"])
        total += len(good)
        rows.append(
            {
                "row.n": str(n),
                "row.roll": roll_id,
                "row.product": product["name"],
                "row.count": str(len(good)),
                "row.first": group(make_code(home.key, good[0])),
                "row.last": group(make_code(home.key, good[-1])),
            }
        )
    values = {
        "enterprise.name": ent["name"],
        "slip.id": slip_number(pickup_id),
        "slip.operator": pickup["operator"],
        "slip.receiver": pickup["receiver"],
        "slip.total": str(total),
        "slip.rolls": str(len(rows)),
        "print.date": shown_time(pickup["at"], home.config.station.timezone)[:10],
        "print.station": pickup["station"],
    }
    return values, rows


def _handed_over(home: Home, serial: int, pickup_id: int) -> bool:
    """True for a code the pickup handed over: voided since (a roll lost or stolen), it was still on the slip."""
    return any(e["data"].get("pickup") == pickup_id for e in home.ledger.events_of(("code.distribute",), serial=serial))


def undo_pickup(home: Home, pickup_id: int, reason: str, window_min: int) -> None:
    """Undo a pickup made at this station within the window, with a reason; refused once codes are bound."""
    ledger = home.ledger
    if not reason.strip():
        raise RegistryError("enterprise.reason_needed")
    pickup = ledger.pickup(pickup_id)
    made = datetime.strptime(pickup["at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC)
    if pickup["undone_at"] is not None or datetime.now(UTC) - made > timedelta(minutes=window_min):
        raise ClaimError("pickup.undo_late", id=pickup_id, minutes=window_min)
    if pickup["station"] != home.config.station.id:
        raise ClaimError("pickup.undo_station", id=pickup_id, station=pickup["station"])
    for roll_id in pickup["rolls"]:
        if any(st in (State.BOUND, State.RECALLED) for _, s, st in ledger.roll(roll_id)["labels"] if s is not None):
            raise ClaimError("pickup.undo_bound", id=pickup_id)
    ledger.undo_pickup(pickup_id, reason.strip())


def print_slip(home: Home, pickup_id: int, slip_printer: str, reprint: dict[str, str] | None = None) -> str:
    """Print the pickup slip on the ESC/POS receipt printer at ``slip_printer``; the slip's number. With
    ``reprint`` (its ``reprint.at`` and ``reprint.reason``) the slip is printed again, marked 补打."""
    from drivers.printers.encoders import JobOptions
    from drivers.printers.printer import LabelPrinter
    from station.labels import Renderer, load_template

    values, rows = slip_values(home, pickup_id)
    template = load_template("pickup-slip-58mm")
    if reprint is not None:
        from station.labels.mark import reprint_template

        template, values = reprint_template(template), {**values, **reprint}
    slip = Renderer(font_path=home.config.labels.font).render(template, values, rows)
    with device_errors(), LabelPrinter(slip_printer, "escpos", JobOptions(cut=True)) as printer:
        printer.print_image(slip.image)
    return values["slip.id"]


def rolls_to_collect(home: Home, enterprise_id: int) -> list[str]:
    """The enterprise's finished rolls (closed and headed) not yet handed over that hold a good label, oldest first."""
    ledger = home.ledger
    found = []
    for order in ledger.orders():
        if order["enterprise_id"] != enterprise_id:
            continue
        for roll in ledger.rolls(order["id"]):
            good = any(state is State.VERIFIED for _, serial, state in roll["labels"] if serial is not None)
            headed = roll["header_at"] is not None
            if roll["closed_at"] is not None and headed and good and ledger.roll_pickup(roll["id"]) is None:
                found.append(roll["id"])  # a roll whose labels were all voided (lost, say) is nothing to collect
    return found
