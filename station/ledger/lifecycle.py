"""The code lifecycle: one transition table, the only place that says which state change is allowed.

States follow the OPEN-SCS names where they fit (issued ≈ encoded, printed, verified ≈ inspected,
voided ≈ scrapped/destroyed, distributed ≈ shipped, bound ≈ commissioned to a lot, recalled).
"""

from __future__ import annotations

from enum import IntEnum


class State(IntEnum):
    """A code's state, stored as this integer in the ledger."""

    ISSUED = 0
    PRINTED = 1
    VERIFIED = 2
    VOIDED = 3
    DISTRIBUTED = 4
    BOUND = 5
    RECALLED = 6

    @property
    def label(self) -> str:
        """The state's name as used in JSON and the text catalogue."""
        return self.name.lower()


# (action, from-state) -> to-state.  Anything not listed is refused.
TRANSITIONS: dict[tuple[str, State], State] = {
    ("print", State.ISSUED): State.PRINTED,
    ("verify", State.PRINTED): State.VERIFIED,
    ("reject", State.PRINTED): State.VOIDED,
    ("void", State.ISSUED): State.VOIDED,
    ("void", State.PRINTED): State.VOIDED,
    ("void", State.VERIFIED): State.VOIDED,
    ("void", State.DISTRIBUTED): State.VOIDED,
    ("void", State.BOUND): State.VOIDED,
    ("distribute", State.VERIFIED): State.DISTRIBUTED,
    ("undistribute", State.DISTRIBUTED): State.VERIFIED,
    ("bind", State.DISTRIBUTED): State.BOUND,
    ("recall", State.BOUND): State.RECALLED,
}

ACTIONS = frozenset(action for action, _ in TRANSITIONS)


def next_state(action: str, state: State) -> State | None:
    """The state ``action`` leads to from ``state``, or None when the table does not allow it."""
    return TRANSITIONS.get((action, state))
