"""Roll ids: ``R``, six digits of the order, four digits of the roll's number and a Damm check digit over those ten
digits (``R00000100017``), the same check the 20-digit codes carry: any one wrong digit and any two neighbours swapped
make an id that no roll has, so a misread or mistyped header never names another real roll.

Ids written before the check digit (``R0000010001``, eleven characters) stay valid where the ledger holds them: they
are accepted only as the id of a roll that exists.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from station.codes import damm_ok
from station.errors import ClaimError

ROLL_ID = re.compile(r"R\d{11}")
OLD_ROLL_ID = re.compile(r"R\d{10}")
ANY_ROLL_ID = re.compile(r"R\d{10,11}")


def check_digit(digits: str) -> str:
    """The Damm check digit that makes ``digits`` followed by it pass the check."""
    return next(d for d in "0123456789" if damm_ok(digits + d))


def make_roll_id(order_id: int, number: int) -> str:
    """The id of roll ``number`` of an order, with its check digit."""
    body = f"{order_id:06d}{number:04d}"
    return f"R{body}{check_digit(body)}"


def roll_id_ok(roll_id: str) -> bool:
    """Whether ``roll_id`` is a roll id with a right check digit."""
    return bool(ROLL_ID.fullmatch(roll_id)) and damm_ok(roll_id[1:])


def near_roll_ids(roll_id: str) -> list[str]:
    """Ids with a right check digit one wrong digit or one swap of neighbours away from ``roll_id``."""
    digits = roll_id[1:]
    found: list[str] = []
    for i, old in enumerate(digits):
        for d in "0123456789":
            if d != old:
                candidate = digits[:i] + d + digits[i + 1 :]
                if damm_ok(candidate):
                    found.append("R" + candidate)
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            candidate = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            if damm_ok(candidate):
                found.append("R" + candidate)
    return found


def parse_roll_id(text: str, exists: Callable[[str], bool]) -> str:
    """The roll id a scan or an operator's typing names, checked: a new id must carry its right check digit (when it
    does not, the error says one character is wrong and names the roll meant when only one existing roll is that
    close); an id of the older form is accepted only when ``exists`` says the ledger holds that roll."""
    roll_id = text.strip().upper()
    if ROLL_ID.fullmatch(roll_id):
        if damm_ok(roll_id[1:]):
            return roll_id
        meant = [r for r in near_roll_ids(roll_id) if exists(r)]
        if len(meant) == 1:
            raise ClaimError("roll.check_meant", roll=roll_id, meant=meant[0])
        raise ClaimError("roll.check_wrong", roll=roll_id)
    if OLD_ROLL_ID.fullmatch(roll_id):
        if exists(roll_id):
            return roll_id
        raise ClaimError("roll.old_unknown", roll=roll_id)
    raise ClaimError("roll.not_an_id", roll=text.strip()[:40])


def scan_target(text: str) -> tuple[str, str]:
    """What a scan names: ("roll", the roll id) for a roll header, else ("code", the code's digits: the last part
    of a label's URL, or the scan as it is)."""
    text = text.strip()
    if ANY_ROLL_ID.fullmatch(text):
        return "roll", text
    return "code", text.rsplit("/", 1)[-1]


__all__ = ["ANY_ROLL_ID", "make_roll_id", "near_roll_ids", "parse_roll_id", "roll_id_ok", "scan_target"]
