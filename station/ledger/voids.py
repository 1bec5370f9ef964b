"""Cancelling an order in the SQL ledger: its codes not yet printed become voided, in one event.

An order may hold a million codes; voiding them one event each would make a million events. A cancellation is
therefore one ``order.cancelled`` event that names the voided serials as ranges (``voided``: ``[[first, last],
…]``), written in the same transaction as the rows it changes. Only codes still issued (never printed) are voided,
and a voided code never changes again, so `audit verify` recomputes a code's state as: its own code events when it
has any, else voided when a cancellation names it, else issued (``station.ledger.replay``).
"""

from __future__ import annotations

import json
from typing import Any

from station.errors import RegistryError
from station.ledger.lifecycle import State


class VoidTables:
    """Mixed into SqlLedger: an order's cancellation and what it voided."""

    # provided by SqlLedger
    _db: Any
    transaction: Any
    append_event: Any
    order: Any
    unfinished_runs: Any
    set_run_status: Any

    def cancel_order(self, order_id: int, reason: str) -> list[tuple[int, int]]:
        """Void every code of the order not yet printed, stop its unfinished runs, and record why, in one
        transaction; the voided serials as (first, last) ranges. Codes printed stay as they are."""
        with self.transaction():
            order = self.order(order_id)
            earlier = self.order_cancellation(order_id)
            if earlier is not None:
                raise RegistryError("void.order_cancelled", order=order_id, reason=earlier["reason"])
            voided: list[tuple[int, int]] = []
            for first, last in order["ranges"]:
                voided += [
                    (int(a), int(b))
                    for a, b in self._db.execute(
                        "SELECT min(serial), max(serial) FROM (SELECT serial, serial - row_number() OVER"
                        " (ORDER BY serial) AS island FROM codes WHERE serial BETWEEN ? AND ? AND state = ?) unprinted"
                        " GROUP BY island ORDER BY 1",
                        (first, last, int(State.ISSUED)),
                    ).fetchall()
                ]
            if not voided:
                raise RegistryError("void.order_all_printed", order=order_id)
            for first, last in voided:
                self._db.execute(
                    "UPDATE codes SET state = ? WHERE serial BETWEEN ? AND ? AND state = ?",
                    (int(State.VOIDED), first, last, int(State.ISSUED)),
                )
            for run in self.unfinished_runs(order_id):  # every line's run, when several printed the order
                self.set_run_status(run["id"], "stopped", reason)
            self.append_event(
                "order.cancelled",
                {
                    "reason": reason,
                    "voided": [[a, b] for a, b in voided],
                    "count": sum(b - a + 1 for a, b in voided),
                },
                enterprise_id=order["enterprise_id"],
                product_id=order["product_id"],
                order_id=order_id,
            )
        return voided

    def order_cancellation(self, order_id: int) -> dict[str, Any] | None:
        """The order's cancellation (``at``, ``operator``, ``reason``, ``voided`` ranges, ``count``), or None."""
        row = self._db.execute(
            "SELECT at, operator, data FROM events WHERE order_id = ? AND kind = 'order.cancelled' ORDER BY id LIMIT 1",
            (order_id,),
        ).fetchone()
        if row is None:
            return None
        data = json.loads(row["data"])
        return {
            "at": row["at"],
            "operator": row["operator"],
            "reason": data.get("reason", ""),
            "voided": [(int(a), int(b)) for a, b in data.get("voided", [])],
            "count": int(data.get("count", 0)),
        }
