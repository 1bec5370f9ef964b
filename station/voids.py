"""Voiding codes after they were issued, each time with a reason (作废): cancelling an order (its codes not yet
printed), a roll lost or stolen (every code on it), or single codes, handed out or not.

Every void is recorded in the ledger's hash chain and shown wherever the code is looked at: the lookup history,
the consumer query page (已作废, with the reason and the date), the exports. A code is never un-voided. A rule
here refuses what makes no sense with a message a clerk can act on, before anything is written: a code already
voided or recalled, a code the ledger never issued, a roll that holds no code to void, an order whose codes are
all printed or that was cancelled before, and any void while the order is being printed (the run would print or
verify the very codes being voided: stop it first).

Each change is a plan first (``plan_*``: what would be voided, the refusals) and then the change itself, so the
command and the app can name the consequence in their confirmation before anything happens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from station.clean_text import REASON_MAX, clean
from station.codes import CODE_DIGITS, group, make_code, parse_code
from station.errors import RegistryError
from station.home import Home
from station.ledger import Ledger, State
from station.roll_ids import scan_target
from station.texts import from_store, t

# a label on a roll whose code a roll void voids; voided codes stay as they are, recalled ones report the recall
VOIDABLE = (State.PRINTED, State.VERIFIED, State.DISTRIBUTED, State.BOUND)


def require_reason(reason: str) -> str:
    """The reason as it is recorded: required, checked like every typed text."""
    if not reason.strip():
        raise RegistryError("enterprise.reason_needed")
    return clean(reason, "field.reason", REASON_MAX)


def require_not_printing(ledger: Ledger, order_id: int) -> None:
    """RegistryError while a print run of the order is running: its codes are being printed and verified."""
    for run in ledger.unfinished_runs(order_id):  # any line of the order: one may wait while another prints
        if run["status"] == "running":
            raise RegistryError("void.printing", order=order_id, run=run["id"])


@dataclass(frozen=True)
class VoidPlan:
    """What a void would do: which codes, and the words for the confirmation and the result."""

    what: str  # "order", "roll" or "codes"
    subject: str  # the order id, the roll id, or the codes as typed (grouped)
    serials: list[int]  # the codes to void (for an order: how many, counted; see ``count``)
    count: int
    kept: int = 0  # codes of the order already printed (they stay), or labels of the roll already voided
    enterprise: str = ""
    product: str = ""

    def question(self, reason: str) -> str:
        """The confirmation, naming the consequence."""
        return t(
            f"void.confirm.{self.what}",
            subject=self.subject,
            count=self.count,
            kept=self.kept,
            enterprise=self.enterprise,
            product=self.product,
            reason=reason.strip(),
        )

    def summary(self) -> str:
        """What was done, for a person."""
        return t(f"void.done.{self.what}", subject=self.subject, count=self.count, kept=self.kept)

    def to_json(self) -> dict[str, Any]:
        """The command's JSON answer."""
        return {"what": self.what, "subject": self.subject, "voided": self.count, "kept": self.kept}


# --- cancelling an order -----------------------------------------------------------------------------


def plan_cancel(home: Home, order_id: int) -> VoidPlan:
    """Cancelling an order: how many of its codes are not yet printed (those are voided) and how many are printed
    (they stay); refused when it was cancelled before, when every code is printed, or while it is printing."""
    ledger = home.ledger
    order = ledger.order(order_id)
    earlier = ledger.order_cancellation(order_id)
    if earlier is not None:
        raise RegistryError("void.order_cancelled", order=order_id, reason=earlier["reason"])
    require_not_printing(ledger, order_id)
    counts = ledger.order_state_counts(order_id)
    unprinted = counts.get(State.ISSUED, 0)
    if unprinted == 0:
        raise RegistryError("void.order_all_printed", order=order_id)
    printed = sum(n for state, n in counts.items() if state is not State.ISSUED)
    return VoidPlan(
        "order",
        str(order_id),
        [],
        unprinted,
        printed,
        ledger.enterprise(order["enterprise_id"])["name"],
        ledger.product(order["product_id"])["name"],
    )


def cancel_order(home: Home, order_id: int, reason: str) -> VoidPlan:
    """Cancel an order: its codes not yet printed are voided (one event naming them), its unfinished run stops, and
    it prints nothing more; codes already printed stay as they are."""
    reason = require_reason(reason)
    with home.ledger.transaction():
        plan = plan_cancel(home, order_id)
        voided = home.ledger.cancel_order(order_id, reason)
    count = sum(last - first + 1 for first, last in voided)
    return VoidPlan("order", plan.subject, [], count, plan.kept, plan.enterprise, plan.product)


def require_open_order(ledger: Ledger, order_id: int) -> None:
    """RegistryError when the order was cancelled: it prints nothing more."""
    cancelled = ledger.order_cancellation(order_id)
    if cancelled is not None:
        raise RegistryError("void.order_cancelled", order=order_id, reason=cancelled["reason"])


# --- a lost or stolen roll ---------------------------------------------------------------------------


def roll_voiding(ledger: Ledger, roll_id: str) -> dict[str, Any] | None:
    """The void of a roll (its event: ``at``, ``operator``, ``data`` with the reason), or None."""
    roll = ledger.roll(roll_id)
    for event in ledger.events_of(("roll.voided",), order_id=roll["order_id"]):
        if event["data"].get("roll") == roll_id:
            return event
    return None


def plan_roll(home: Home, roll_id: str) -> VoidPlan:
    """Voiding a roll: every code on it that is printed, verified, handed out or bound; refused when none is left
    to void (voided before, or every label spoiled or recalled) or while its order is printing."""
    ledger = home.ledger
    roll_id = roll_id.strip()
    roll = ledger.roll(roll_id)
    earlier = roll_voiding(ledger, roll_id)
    if earlier is not None:
        raise RegistryError("void.roll_voided", roll=roll_id, reason=earlier["data"].get("reason", ""))
    require_not_printing(ledger, roll["order_id"])
    labels = [(serial, state) for _, serial, state in roll["labels"] if serial is not None]
    serials = [serial for serial, state in labels if state in VOIDABLE]
    if not labels:
        raise RegistryError("void.roll_unprinted", roll=roll_id)
    if not serials:
        raise RegistryError("void.roll_nothing", roll=roll_id, labels=len(labels))
    order = ledger.order(roll["order_id"])
    return VoidPlan(
        "roll",
        roll_id,
        serials,
        len(serials),
        len(labels) - len(serials),
        ledger.enterprise(order["enterprise_id"])["name"],
        ledger.product(order["product_id"])["name"],
    )


def void_roll(home: Home, roll_id: str, reason: str) -> VoidPlan:
    """Void a lost or stolen roll: each of its codes still standing is voided with the reason, the roll is closed
    (a later run never prints onto it), and one ``roll.voided`` event records the whole, in one transaction."""
    reason = require_reason(reason)
    ledger = home.ledger
    with ledger.transaction():
        plan = plan_roll(home, roll_id)
        roll = ledger.roll(plan.subject)
        for serial in plan.serials:
            ledger.transition(serial, "void", {"reason": reason, "void": "roll", "roll": plan.subject})
        if roll["closed_at"] is None:
            ledger.close_roll(plan.subject)
        ledger.append_event(
            "roll.voided",
            {"roll": plan.subject, "reason": reason, "codes": plan.count},
            order_id=roll["order_id"],
        )
    return plan


# --- single codes ------------------------------------------------------------------------------------


def split_codes(text: str) -> list[str]:
    """Codes as a clerk types or scans several at once: separated by spaces, commas or 、, a code's own groups of
    digits (1780 6008 4279 0920 3676) kept together until they make 20 digits."""
    out: list[str] = []
    digits = ""
    for token in re.split(r"[\s,，、;；]+", text.strip()):
        if not token:
            continue
        bare = token.replace("-", "")
        if bare.isdigit() and len(digits) + len(bare) <= CODE_DIGITS:
            digits += bare
            if len(digits) == CODE_DIGITS:
                out.append(digits)
                digits = ""
            continue
        if digits:
            out.append(digits)
            digits = ""
        out.append(token)
    if digits:
        out.append(digits)
    return out


def plan_codes(home: Home, codes: list[str]) -> VoidPlan:
    """Voiding single codes (typed, or scanned as the label's link): each must be a code this station issued,
    neither voided nor recalled, of an order not printing now. The first one refused names why."""
    ledger = home.ledger
    if not [c for c in codes if c.strip()]:
        raise RegistryError("void.no_codes")
    serials: list[int] = []
    for text in codes:
        if not text.strip():
            continue
        serial = parse_code(home.key, scan_target(text)[1])
        row = ledger.issued_code(serial)
        shown = group(make_code(home.key, serial))
        if row["state"] is State.VOIDED:
            raise RegistryError("void.code_voided", code=shown)
        if row["state"] is State.RECALLED:
            raise RegistryError("void.code_recalled", code=shown)
        require_not_printing(ledger, row["order_id"])
        if serial not in serials:
            serials.append(serial)
    subject = "、".join(group(make_code(home.key, s)) for s in serials[:3]) + ("…" if len(serials) > 3 else "")
    return VoidPlan("codes", subject, serials, len(serials))


def void_codes(home: Home, codes: list[str], reason: str) -> VoidPlan:
    """Void single codes with the reason, all or none: one ``code.void`` event each."""
    reason = require_reason(reason)
    ledger = home.ledger
    with ledger.transaction():
        plan = plan_codes(home, codes)
        for serial in plan.serials:
            ledger.transition(serial, "void", {"reason": reason, "void": "code"})
    return plan


# --- why a code is voided ----------------------------------------------------------------------------


@dataclass(frozen=True)
class VoidNote:
    """Why and when a code was voided: ``kind`` is ``spoiled`` (at printing), ``office`` (a roll or single codes
    voided with a reason) or ``cancelled`` (its order's cancellation); ``at`` is the event's UTC time."""

    kind: str
    reason: str
    at: str


def _note(event: dict[str, Any]) -> VoidNote:
    data = event["data"]
    if event["kind"] == "code.reject" or "void" not in data:
        return VoidNote("spoiled", from_store(data.get("reason", "")), event["at"])
    return VoidNote("office", from_store(data.get("reason", "")), event["at"])


def void_note(ledger: Ledger, serial: int, order_id: int) -> VoidNote | None:
    """Why and when the code ``serial`` of ``order_id`` was voided, or None when no event voided it."""
    last = None
    for event in ledger.events_of(("code.void", "code.reject"), serial=serial):
        last = event
    if last is not None:
        return _note(last)
    cancelled = ledger.order_cancellation(order_id)
    if cancelled is not None and any(first <= serial <= last for first, last in cancelled["voided"]):
        return VoidNote("cancelled", cancelled["reason"], cancelled["at"])
    return None


class VoidNotes:
    """Why each voided code of one order was voided, read once for an export of the order's codes."""

    def __init__(self, ledger: Ledger, order_id: int) -> None:
        self._each: dict[int, VoidNote] = {}
        for event in ledger.order_code_events(order_id, ("code.void", "code.reject")):
            self._each[int(event["serial"])] = _note(event)  # by serial, oldest first: the last one stays
        self._cancelled = ledger.order_cancellation(order_id)

    def of(self, serial: int) -> VoidNote | None:
        """The note of a voided code (None for a code no event voided)."""
        found = self._each.get(serial)
        if found is None and self._cancelled is not None:
            if any(first <= serial <= last for first, last in self._cancelled["voided"]):
                return VoidNote("cancelled", self._cancelled["reason"], self._cancelled["at"])
        return found


__all__ = [
    "VoidNote",
    "VoidNotes",
    "VoidPlan",
    "cancel_order",
    "plan_cancel",
    "plan_codes",
    "plan_roll",
    "require_open_order",
    "split_codes",
    "void_codes",
    "void_note",
    "void_roll",
]
