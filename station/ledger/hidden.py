"""Hidden codes (暗码) in the SQL ledger: which orders print one, and the record of each export of them.

An order is marked by one ``hidden.order`` event, in the same transaction as the row it makes in
``hidden_orders`` (`station issue --hidden` marks it in the transaction that issues it). An export of an order's
hidden codes for a scratch-off printing service is one ``hidden.exported`` event; the digits themselves are never
in the ledger.
"""

from __future__ import annotations

from typing import Any

from station.errors import RegistryError
from station.ledger.base import utc_now
from station.ledger.lifecycle import State


class HiddenTables:
    """Mixed into SqlLedger: the orders whose labels carry a hidden code."""

    # provided by SqlLedger
    _db: Any
    transaction: Any
    append_event: Any
    order: Any

    def order_hidden(self, order_id: int) -> bool:
        """True when the order's labels carry a hidden code."""
        row = self._db.execute("SELECT 1 FROM hidden_orders WHERE order_id = ?", (order_id,)).fetchone()
        return row is not None

    def hidden_order_ids(self) -> list[int]:
        """Every order whose labels carry a hidden code, by id."""
        return [int(r[0]) for r in self._db.execute("SELECT order_id FROM hidden_orders ORDER BY order_id")]

    def mark_order_hidden(self, order_id: int) -> None:
        """Mark an order to be printed with a hidden code on each label, with its event; refused when it is
        marked already or any of its codes left the issued state (a roll printed without one)."""
        with self.transaction():
            order = self.order(order_id)
            if self.order_hidden(order_id):
                raise RegistryError("hidden.already", order=order_id)
            for first, last in order["ranges"]:
                row = self._db.execute(
                    "SELECT 1 FROM codes WHERE serial BETWEEN ? AND ? AND state != ? LIMIT 1",
                    (first, last, int(State.ISSUED)),
                ).fetchone()
                if row is not None:
                    raise RegistryError("hidden.printed", order=order_id)
            self._db.execute("INSERT INTO hidden_orders (order_id, at) VALUES (?, ?)", (order_id, utc_now()))
            self.append_event("hidden.order", {}, enterprise_id=order["enterprise_id"], order_id=order_id)

    def record_hidden_export(self, order_id: int, data: dict[str, Any]) -> int:
        """Record that an order's hidden codes were written out (``data``: count, file name, its SHA-256, why);
        the event's id."""
        with self.transaction():
            order = self.order(order_id)
            event_id: int = self.append_event(
                "hidden.exported", data, enterprise_id=order["enterprise_id"], order_id=order_id
            )
        return event_id
