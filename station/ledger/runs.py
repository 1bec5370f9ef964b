"""Print runs and the rolls they fill in the SQL ledger (the part of the repository the print run writes)."""

from __future__ import annotations

from typing import Any, cast

from station.errors import RegistryError
from station.ledger.base import utc_now
from station.ledger.lifecycle import State
from station.ledger.rows import Roll, Run
from station.redact import masked
from station.texts import to_store


class RunTables:
    """Mixed into SqlLedger: runs with their status, rolls with their labels in position order."""

    # provided by SqlLedger
    _db: Any
    transaction: Any
    append_event: Any
    transition: Any
    order: Any
    codes_in_state: Any
    extend_order: Any
    _one: Any
    _insert: Any

    def create_run(self, order_id: int, template: str, roll_size: int, printer: str, camera: str) -> int:
        """Start a print run of an order."""
        with self.transaction():
            order = self.order(order_id)
            run_id = self._insert(
                "INSERT INTO runs (order_id, template, roll_size, printer, camera, status, started_at)"
                " VALUES (?, ?, ?, ?, ?, 'running', ?)",
                (order_id, template, roll_size, masked(printer), masked(camera), utc_now()),
            )
            self.append_event(
                "run.started",
                {"run": run_id, "template": template, "roll_size": roll_size, "printer": printer, "camera": camera},
                enterprise_id=order["enterprise_id"],
                order_id=order_id,
            )
        return run_id

    def run(self, run_id: int) -> Run:
        """One run."""
        row = self._one("SELECT * FROM runs WHERE id = ?", (run_id,))
        if row is None:
            raise RegistryError("run.unknown", id=run_id)
        return cast(Run, dict(row))

    def runs_of(self, order_id: int) -> list[Run]:
        """The order's runs, oldest first."""
        rows = self._db.execute("SELECT * FROM runs WHERE order_id = ? ORDER BY id", (order_id,))
        return [cast(Run, dict(row)) for row in rows]

    def unfinished_runs(self, order_id: int) -> list[Run]:
        """The order's runs that did not finish, latest first."""
        rows = self._db.execute(
            "SELECT * FROM runs WHERE order_id = ? AND status IN ('running', 'paused') ORDER BY id DESC", (order_id,)
        )
        return [cast(Run, dict(row)) for row in rows]

    def unfinished_run(self, order_id: int) -> Run | None:
        """The order's latest run that did not finish, if any."""
        row = self._one(
            "SELECT * FROM runs WHERE order_id = ? AND status IN ('running', 'paused') ORDER BY id DESC LIMIT 1",
            (order_id,),
        )
        return None if row is None else cast(Run, dict(row))

    def set_run_status(self, run_id: int, status: str, reason: str | None = None) -> None:
        """Running, paused (with the reason), done or stopped; with its event. A reason the catalogue gave
        (``station.texts.Said``) is kept as its key and parameters, to be said in the language on when shown."""
        reason = to_store(reason)
        with self.transaction():
            run = self.run(run_id)
            finished = utc_now() if status in ("done", "stopped") else None
            self._db.execute(
                "UPDATE runs SET status = ?, reason = ?, finished_at = ? WHERE id = ?",
                (status, reason, finished, run_id),
            )
            self.append_event(f"run.{status}", {"run": run_id, "reason": reason}, order_id=run["order_id"])

    def open_roll(self, run_id: int, roll_id: str, number: int) -> None:
        """A new roll, opened as its first label is about to print. Its header (position 0, serial NULL) is the
        roll's own label, printed once the roll is closed (``header_started``, ``header_printed``)."""
        with self.transaction():
            run = self.run(run_id)
            self._db.execute(
                "INSERT INTO rolls (id, run_id, order_id, number, opened_at) VALUES (?, ?, ?, ?, ?)",
                (roll_id, run_id, run["order_id"], number, utc_now()),
            )
            self._db.execute("INSERT INTO roll_labels (roll_id, position, serial) VALUES (?, 0, NULL)", (roll_id,))
            self.append_event(
                "roll.opened",
                {"roll": roll_id, "run": run_id, "number": number, "header": "last"},
                order_id=run["order_id"],
            )

    def close_roll(self, roll_id: str) -> None:
        """The roll is complete: every label on it judged, its good labels the roll size (or the order's last)."""
        with self.transaction():
            roll = self.roll(roll_id)
            self._db.execute("UPDATE rolls SET closed_at = ? WHERE id = ?", (utc_now(), roll_id))
            self.append_event("roll.closed", {"roll": roll_id}, order_id=roll["order_id"])

    def roll(self, roll_id: str) -> Roll:
        """One roll with its labels in position order: (position, serial, state)."""
        row = self._one("SELECT * FROM rolls WHERE id = ?", (roll_id,))
        if row is None:
            raise RegistryError("roll.unknown", id=roll_id)
        roll = cast(Roll, dict(row))
        roll["labels"] = [
            (int(position), serial, None if serial is None else State(state))
            for position, serial, state in self._db.execute(
                "SELECT l.position, l.serial, c.state FROM roll_labels l LEFT JOIN codes c ON c.serial = l.serial"
                " WHERE l.roll_id = ? ORDER BY l.position",
                (roll_id,),
            )
        ]
        return roll

    def rolls(self, order_id: int) -> list[Roll]:
        """The order's rolls, in order."""
        ids = [r[0] for r in self._db.execute("SELECT id FROM rolls WHERE order_id = ? ORDER BY number", (order_id,))]
        return [self.roll(i) for i in ids]

    def roll_of(self, serial: int) -> str | None:
        """The roll a code was printed on, or None."""
        row = self._one("SELECT roll_id FROM roll_labels WHERE serial = ?", (serial,))
        return None if row is None else str(row[0])

    def last_label(self, printer: str | None = None) -> tuple[str, int | None] | None:
        """The roll and serial of the last label put on any roll (serial None for a roll header), or None; with
        ``printer``, on a roll of a run on that printer (its URI as given to ``create_run``).

        A roll's header is printed after its labels: once one was sent, it is the roll's last label."""
        sql = "SELECT rolls.id, rolls.headers FROM rolls"
        params: tuple[Any, ...] = ()
        if printer is not None:
            sql += " JOIN runs ON runs.id = rolls.run_id WHERE runs.printer = ?"
            params = (masked(printer),)
        for row in self._db.execute(sql + " ORDER BY rolls.opened_at DESC, rolls.number DESC LIMIT 2", params):
            roll_id, headers = str(row[0]), int(row[1])
            if headers:
                return roll_id, None
            label = self._one(
                "SELECT serial FROM roll_labels WHERE roll_id = ? AND position > 0 ORDER BY position DESC LIMIT 1",
                (roll_id,),
            )
            if label is not None:
                return roll_id, int(label[0])
        return None

    def roll_exists(self, roll_id: str) -> bool:
        """Whether the ledger holds a roll of this id."""
        return self._one("SELECT 1 FROM rolls WHERE id = ?", (roll_id,)) is not None

    def headers_missing(self, order_id: int) -> list[tuple[str, int]]:
        """The order's closed rolls whose header has not been printed, oldest first, each with the number of header
        prints started for it (more than 0: a header may have come out, so the next one is a reprint)."""
        rows = self._db.execute(
            "SELECT id, headers FROM rolls WHERE order_id = ? AND closed_at IS NOT NULL AND header_at IS NULL"
            " ORDER BY number",
            (order_id,),
        )
        return [(str(r[0]), int(r[1])) for r in rows]

    def header_started(self, roll_id: str, data: dict[str, Any]) -> int:
        """Record that a closed roll's header is about to be sent, with what it says (``first``, ``last``,
        ``count``, ``reprint`` and a reprint's ``reason``), before its bytes go: a crash then leaves the roll
        without a printed header, and the next start prints it again, marked as a reprint. Returns how many
        header prints the roll has had, this one included."""
        with self.transaction():
            roll = self.roll(roll_id)
            if roll["closed_at"] is None:
                raise RegistryError("roll.still_open", id=roll_id)
            self._db.execute("UPDATE rolls SET headers = headers + 1 WHERE id = ?", (roll_id,))
            self.append_event("roll.header", {"roll": roll_id, **data}, order_id=roll["order_id"])
        return int(roll["headers"]) + 1

    def header_printed(self, roll_id: str) -> None:
        """The roll's header was sent whole: the roll has its header."""
        with self.transaction():
            roll = self.roll(roll_id)
            self._db.execute("UPDATE rolls SET header_at = ? WHERE id = ?", (utc_now(), roll_id))
            self.append_event("roll.header_printed", {"roll": roll_id}, order_id=roll["order_id"])

    def print_next_on_roll(
        self, order_id: int, roll_id: str, data: dict[str, Any], serial_limit: int
    ) -> tuple[int, int]:
        """Take the order's lowest issued code (or draw a replacement when none is left) and record it as printed at
        the next position of a roll, in one transaction: lines printing one order side by side never take the same
        code. Returns the serial and its position."""
        with self.transaction():
            issued = self.codes_in_state(order_id, State.ISSUED, limit=1)
            serial = issued[0] if issued else self.extend_order(order_id, 1, serial_limit)[0]
            return serial, self.print_on_roll(serial, roll_id, data)

    def print_on_roll(self, serial: int, roll_id: str, data: dict[str, Any]) -> int:
        """Record that a code is being printed as the next label of a roll (before its bytes are sent: a crash
        then voids it, and it is never printed twice). Returns its position."""
        with self.transaction():
            row = self._one("SELECT coalesce(max(position), 0) + 1 AS p FROM roll_labels WHERE roll_id = ?", (roll_id,))
            position = int(row["p"]) if row else 1
            self.transition(serial, "print", {"roll": roll_id, "position": position, **data})
            self._db.execute(
                "INSERT INTO roll_labels (roll_id, position, serial) VALUES (?, ?, ?)", (roll_id, position, serial)
            )
        return position
