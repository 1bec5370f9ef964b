"""What the query service keeps of hidden-code entries (``query_hidden``): the first right entry of each code (time
and coarse network, never an address), how many right entries followed, and how many wrong ones.

Mixed into ``SqlQueryStore``: one portable upsert per entry, written at once (not batched like the query
counters), so the next entry of the same code, from anywhere, already sees it; ``RETURNING`` gives the count
after the entry in the same statement, so two buyers entering the same code at once cannot both be first.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HIDDEN_SQL = {
    "right": (
        "INSERT INTO query_hidden (serial, first_at, first_network, verified, last_at) VALUES (?, ?, ?, 1, ?)"
        " ON CONFLICT (serial) DO UPDATE SET verified = query_hidden.verified + 1,"
        " first_at = COALESCE(query_hidden.first_at, excluded.first_at),"
        " first_network = COALESCE(query_hidden.first_network, excluded.first_network),"
        " last_at = excluded.last_at"
        " RETURNING first_at, verified"
    ),
    "wrong": (
        "INSERT INTO query_hidden (serial, wrong, last_wrong_at) VALUES (?, 1, ?)"
        " ON CONFLICT (serial) DO UPDATE SET wrong = query_hidden.wrong + 1, last_wrong_at = excluded.last_wrong_at"
        " RETURNING wrong"
    ),
    "one": "SELECT serial, first_at, first_network, verified, last_at, wrong, last_wrong_at FROM query_hidden"
    " WHERE serial = ?",
    "repeated": "SELECT serial, first_at, first_network, verified, last_at, wrong, last_wrong_at FROM query_hidden"
    " WHERE verified > 1 ORDER BY verified DESC, serial LIMIT ?",
    "guessed": "SELECT serial, first_at, first_network, verified, last_at, wrong, last_wrong_at FROM query_hidden"
    " WHERE wrong >= ? ORDER BY wrong DESC, serial LIMIT ?",
}


@dataclass(frozen=True)
class HiddenEntries:
    """One code's hidden-code entries: the first right one (UTC time, network), right and wrong counts."""

    serial: int
    first_at: str | None
    first_network: str | None
    verified: int
    last_at: str | None
    wrong: int
    last_wrong_at: str | None


class HiddenStore:
    """Mixed into SqlQueryStore: the hidden-code entries."""

    # provided by SqlQueryStore
    _write: Any
    _read: Any

    def hidden_right(self, serial: int, at: str, network: str) -> tuple[str, int]:
        """Record a right entry; the first right entry's time and the right entries so far (this one included)."""
        with self._write() as db:
            row = db.execute(HIDDEN_SQL["right"], (serial, at, network, at)).fetchone()
        return str(row[0]), int(row[1])

    def hidden_wrong(self, serial: int, at: str) -> int:
        """Record a wrong entry; the wrong entries so far."""
        with self._write() as db:
            row = db.execute(HIDDEN_SQL["wrong"], (serial, at)).fetchone()
        return int(row[0])

    def hidden_entries(self, serial: int) -> HiddenEntries | None:
        """One code's entries, or None when nobody entered its hidden code."""
        rows = self._read(HIDDEN_SQL["one"], (serial,))
        return HiddenEntries(*rows[0]) if rows else None

    def hidden_repeated(self, limit: int = 20) -> list[HiddenEntries]:
        """Codes whose hidden code was entered right more than once, most first."""
        return [HiddenEntries(*row) for row in self._read(HIDDEN_SQL["repeated"], (limit,))]

    def hidden_guessed(self, at_least: int, limit: int = 20) -> list[HiddenEntries]:
        """Codes with at least ``at_least`` wrong entries, most first."""
        return [HiddenEntries(*row) for row in self._read(HIDDEN_SQL["guessed"], (at_least, limit))]
