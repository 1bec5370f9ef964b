"""What the office sees of hidden-code entries (``station stats``, the app's queries screen): codes whose hidden
code was entered right more than once (a copied label, or a second buyer of a scratched one), and codes under
guessing (``[query] hidden_flag_after`` wrong entries or more). Networks are the coarse ones the service stored."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from station.ledger.query_hidden import HiddenEntries, HiddenStore


def _row(entry: HiddenEntries, code: Callable[[int], str]) -> dict[str, Any]:
    return {
        "code": code(entry.serial),
        "serial": entry.serial,
        "verified": entry.verified,
        "first_at": entry.first_at,
        "first_network": entry.first_network,
        "last_at": entry.last_at,
        "wrong": entry.wrong,
        "last_wrong_at": entry.last_wrong_at,
    }


def hidden_figures(store: object, code: Callable[[int], str], flag_after: int, top: int = 10) -> dict[str, Any]:
    """``hidden_repeated`` and ``hidden_guessed`` (most first, at most ``top`` each) and the flag threshold."""
    entries = cast(HiddenStore, store)
    return {
        "hidden_flag_after": flag_after,
        "hidden_repeated": [_row(e, code) for e in entries.hidden_repeated(top)],
        "hidden_guessed": [_row(e, code) for e in entries.hidden_guessed(flag_after, top)],
    }
