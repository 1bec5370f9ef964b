"""Recomputing the ledger's tables from its events, for `station audit verify`.

The hash chain proves the events were not edited; this proves the tables were not edited behind them. Every table
that says who may issue codes, what a code belongs to and what state it is in is rebuilt from the events and
compared row by row: a column that disagrees, a row no event made (inserted) and a row the events made that is gone
(deleted) are each named, with the table, the row and, for a column, what the events say and what the row has.

The small tables (operators, enterprises, products, orders and their ranges, lots, runs, rolls and their headers,
pickups and their rolls) are rebuilt in memory while the chain is walked. Codes and the labels on rolls are
compared in slices of serials, each slice read with the code events about it, so a ledger of a million codes
verifies with flat memory.

Events written before the ledger recorded a keyed digest of an operator's PIN hash in ``operator.added`` and
``operator.pin_reset`` cannot prove that column; it is compared only where the event carries the digest. An
enterprise's contact is compared only where its event carries it (``enterprise.added`` of older ledgers does not).

A code voided by its order's cancellation has no event of its own: ``order.cancelled`` names the serials it voided
(all still issued then), so a code with no code event is expected voided when a cancellation names it.
"""

from __future__ import annotations

import bisect
import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from station.ledger.lifecycle import TRANSITIONS, State
from station.redact import masked

# the state each code action leads to (every action has one target)
ACTION_STATE: dict[str, int] = {action: int(to) for (action, _), to in TRANSITIONS.items()}

# the columns of each covered table compared with the events, in the order they are reported
COLUMNS: dict[str, tuple[str, ...]] = {
    "operators": ("role", "disabled", "pin_hash"),
    "enterprises": (
        "name",
        "credit_code",
        "contact",
        "status",
        "blacklisted",
        "blacklist_reason",
        "documents",
    ),
    "products": ("enterprise_id", "name", "origin_code", "certifications", "shelf_life_days", "gtin"),
    "orders": ("enterprise_id", "product_id", "count", "base_url", "gtin", "lot"),
    "order_ranges": ("last_serial",),
    "lots": (
        "product_id",
        "number",
        "production_date",
        "quantity",
        "records",
        "inspection",
        "inspection_report",
        "released",
        "recalled",
        "recall_reason",
    ),
    "runs": ("order_id", "template", "roll_size", "printer", "camera", "status", "reason"),
    "rolls": ("run_id", "order_id", "number", "closed"),
    "roll_labels": ("roll_id", "position", "serial"),
    "pickups": ("enterprise_id", "receiver", "operator", "station", "undone", "undo_reason"),
    "pickup_rolls": ("active",),
    "codes": ("order_id", "state", "lot_id"),
}

# columns kept as JSON text: compared as the values they hold
JSON_COLUMNS = frozenset({"documents", "certifications", "records"})

# row queries of the small tables: the key first, then the compared columns
ROW_QUERIES: dict[str, str] = {
    "operators": "SELECT name, role, disabled, pin_hash FROM operators",
    "enterprises": "SELECT id, name, credit_code, contact, status, blacklisted, blacklist_reason, documents"
    " FROM enterprises",
    "products": "SELECT id, enterprise_id, name, origin_code, certifications, shelf_life_days, gtin FROM products",
    "orders": "SELECT id, enterprise_id, product_id, count, base_url, gtin, lot FROM orders",
    "order_ranges": "SELECT order_id || ':' || first_serial, last_serial FROM order_ranges",
    "lots": "SELECT id, product_id, number, production_date, quantity, records, inspection, inspection_report,"
    " released, recalled, recall_reason FROM lots",
    "runs": "SELECT id, order_id, template, roll_size, printer, camera, status, reason FROM runs",
    "rolls": "SELECT id, run_id, order_id, number, CASE WHEN closed_at IS NULL THEN 0 ELSE 1 END FROM rolls",
    "roll_labels": "SELECT roll_id || ':' || position, roll_id, position, serial FROM roll_labels WHERE serial IS NULL",
    "pickups": "SELECT id, enterprise_id, receiver, operator, station,"
    " CASE WHEN undone_at IS NULL THEN 0 ELSE 1 END, undo_reason FROM pickups",
    "pickup_rolls": "SELECT pickup_id || ':' || roll_id, active FROM pickup_rolls",
}

# a column whose value the events of an older ledger do not carry: not compared for that row
UNKNOWN = object()


def pin_digest(name: str, pin_hash: str, key: bytes | None) -> str:
    """A keyed digest of an operator's PIN hash, for the events: it proves the stored hash is the one set by the
    event without putting the hash (which an offline search could attack) into the log."""
    text = json.dumps(["operator-pin", name, pin_hash], ensure_ascii=False).encode("utf-8")
    return hmac.new(key or b"", text, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Disagreement:
    """The first row whose content is not what the events say.

    ``kind`` is ``column`` (a column differs), ``extra`` (a row no event made) or ``missing`` (a row the events
    made is gone)."""

    kind: str
    table: str
    row: str
    column: str | None = None
    expected: Any = None
    found: Any = None

    @property
    def subject(self) -> str:
        """The row as a short name: ``code serial 12``, ``enterprise 3``, ``lots 2``."""
        if self.table == "codes":
            return f"code serial {self.row}"
        if self.table == "enterprises":
            return f"enterprise {self.row}"
        return f"{self.table} {self.row}"


def _same(column: str, expected: Any, found: Any) -> bool:
    """True when a stored value is the one the events say (JSON text compared as what it holds, flags as 0/1)."""
    if column in JSON_COLUMNS and isinstance(found, str):
        try:
            found = json.loads(found)
        except ValueError:
            return False
    if isinstance(expected, bool):
        expected = int(expected)
    if isinstance(found, bool):
        found = int(found)
    return bool(expected == found)


class Replay:
    """The small tables as the events say they should be, built one event at a time (in id order)."""

    def __init__(self, key: bytes | None) -> None:
        self.key = key
        self.tables: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in ROW_QUERIES}
        self.ranges: list[tuple[int, int, int]] = []  # (first, last, order id)
        self._standing: dict[str, int] = {}  # roll -> the pickup that holds it
        self._pickup_rolls: dict[int, list[str]] = {}
        self._ambiguous: set[str] = set()  # pickup_rolls rows from before a roll could be in one pickup only
        self.cancelled: list[tuple[int, int]] = []  # serials an order's cancellation voided, as sorted ranges

    def feed(self, events: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
        """Pass events through unchanged, taking in every one that is not about a single code."""
        for event in events:
            if event["serial"] is None:
                self.take(event)
            yield event

    def take(self, event: dict[str, Any]) -> None:
        """Apply one event to the tables it makes or changes."""
        kind: str = event["kind"]
        group, _, verb = kind.partition(".")
        handler = _HANDLERS.get(group)
        if handler is not None:
            data = json.loads(event["data"]) if isinstance(event["data"], str) else event["data"]
            handler(self, verb, event, data)

    # --- per group ----------------------------------------------------------------------------------

    def _operator(self, verb: str, event: dict[str, Any], data: dict[str, Any]) -> None:
        rows = self.tables["operators"]
        name = str(data.get("name", ""))
        if verb == "added":
            rows[name] = {"role": data.get("role"), "disabled": 0, "pin_hash": data.get("pin", UNKNOWN)}
        elif name in rows and verb in ("disabled", "enabled"):
            rows[name]["disabled"] = int(verb == "disabled")
        elif name in rows and verb == "pin_reset":
            rows[name]["pin_hash"] = data.get("pin", UNKNOWN)

    def _enterprise(self, verb: str, event: dict[str, Any], data: dict[str, Any]) -> None:
        rows = self.tables["enterprises"]
        eid = str(event["enterprise_id"])
        if verb == "added":
            rows[eid] = {
                "name": data.get("name"),
                "credit_code": data.get("credit_code"),
                "contact": data.get("contact", UNKNOWN),
                "status": "pending",
                "blacklisted": 0,
                "blacklist_reason": None,
                "documents": {},
            }
        elif eid in rows and verb == "documents":
            rows[eid]["documents"] = data
        elif eid in rows:
            for column in ("name", "credit_code", "contact", "status", "blacklisted", "blacklist_reason"):
                if column in data:
                    rows[eid][column] = data[column]

    def _product(self, verb: str, event: dict[str, Any], data: dict[str, Any]) -> None:
        if verb == "added":
            self.tables["products"][str(event["product_id"])] = {
                "enterprise_id": event["enterprise_id"],
                "name": data.get("name"),
                "origin_code": data.get("origin_code"),
                "certifications": data.get("certifications"),
                "shelf_life_days": data.get("shelf_life_days"),
                "gtin": data.get("gtin"),
            }
        elif verb == "updated" and str(event["product_id"]) in self.tables["products"]:
            row = self.tables["products"][str(event["product_id"])]
            for column in COLUMNS["products"][1:]:
                if column in data:
                    row[column] = data[column]

    def _order(self, verb: str, event: dict[str, Any], data: dict[str, Any]) -> None:
        oid = event["order_id"]
        if verb == "issued":
            self.tables["orders"][str(oid)] = {
                "enterprise_id": event["enterprise_id"],
                "product_id": event["product_id"],
                "count": data.get("count"),
                "base_url": data.get("base_url"),
                "gtin": data.get("gtin"),
                "lot": data.get("lot"),
            }
        if verb in ("issued", "extended"):
            first, last = int(data["first_serial"]), int(data["last_serial"])
            self.tables["order_ranges"][f"{oid}:{first}"] = {"last_serial": last}
            bisect.insort(self.ranges, (first, last, int(oid)))
        elif verb == "cancelled":
            for first, last in data.get("voided", []):
                bisect.insort(self.cancelled, (int(first), int(last)))

    def _lot(self, verb: str, event: dict[str, Any], data: dict[str, Any]) -> None:
        rows = self.tables["lots"]
        lot = str(data.get("lot"))
        if verb == "added":
            rows[lot] = {
                "product_id": event["product_id"],
                "number": data.get("number"),
                "production_date": data.get("production_date"),
                "quantity": data.get("quantity"),
                "records": data.get("records"),
                "inspection": None,
                "inspection_report": None,
                "released": 0,
                "recalled": 0,
                "recall_reason": None,
            }
        elif lot in rows:
            for column in COLUMNS["lots"][5:]:
                if column in data:
                    rows[lot][column] = data[column]

    def _run(self, verb: str, event: dict[str, Any], data: dict[str, Any]) -> None:
        rows = self.tables["runs"]
        run = str(data.get("run"))
        if verb == "started":
            rows[run] = {
                "order_id": event["order_id"],
                "template": data.get("template"),
                "roll_size": data.get("roll_size"),
                "printer": masked(str(data.get("printer", ""))),
                "camera": masked(str(data.get("camera", ""))),
                "status": "running",
                "reason": None,
            }
        elif run in rows and verb in ("running", "paused", "done", "stopped"):
            rows[run]["status"] = verb
            rows[run]["reason"] = data.get("reason")

    def _roll(self, verb: str, event: dict[str, Any], data: dict[str, Any]) -> None:
        rows = self.tables["rolls"]
        roll = str(data.get("roll"))
        if verb == "opened":
            rows[roll] = {"run_id": data.get("run"), "order_id": event["order_id"], "number": data.get("number")}
            rows[roll]["closed"] = 0
            self.tables["roll_labels"][f"{roll}:0"] = {"roll_id": roll, "position": 0, "serial": None}
        elif roll in rows and verb == "closed":
            rows[roll]["closed"] = 1

    def _pickup(self, verb: str, event: dict[str, Any], data: dict[str, Any]) -> None:
        rows = self.tables["pickups"]
        links = self.tables["pickup_rolls"]
        pickup = int(data.get("pickup", 0))
        if verb == "made":
            rows[str(pickup)] = {
                "enterprise_id": event["enterprise_id"],
                "receiver": data.get("receiver"),
                "operator": event["operator"],
                "station": event["station"],
                "undone": 0,
                "undo_reason": None,
            }
            rolls = [str(r) for r in data.get("rolls", [])]
            self._pickup_rolls[pickup] = rolls
            for roll in rolls:
                key = f"{pickup}:{roll}"
                if roll in self._standing:
                    self._ambiguous.update((key, f"{self._standing[roll]}:{roll}"))
                    links[key] = {"active": 0}
                else:
                    self._standing[roll] = pickup
                    links[key] = {"active": 1}
        elif verb == "undone" and str(pickup) in rows:
            rows[str(pickup)]["undone"] = 1
            rows[str(pickup)]["undo_reason"] = data.get("reason")
            for roll in self._pickup_rolls.get(pickup, []):
                links[f"{pickup}:{roll}"]["active"] = 0
                if self._standing.get(roll) == pickup:
                    del self._standing[roll]

    # --- comparing ----------------------------------------------------------------------------------

    def compare(self, table: str, rows: Iterable[Any]) -> Disagreement | None:
        """The first disagreement between the rows of a small table and what the events say; rows are
        (key, column values in ``COLUMNS`` order), for ``roll_labels`` only the header rows."""
        expected = self.tables[table]
        columns = COLUMNS[table]
        seen: set[str] = set()
        found_rows = sorted(((str(r[0]), tuple(r[1:])) for r in rows), key=lambda r: _order_key(r[0]))
        for key, values in found_rows:
            seen.add(key)
            want = expected.get(key)
            if want is None:
                return Disagreement("extra", table, key)
            for column, found in zip(columns, values, strict=True):
                wanted = want[column]
                if wanted is UNKNOWN or (table == "pickup_rolls" and key in self._ambiguous):
                    continue
                if column == "pin_hash":  # shown as digests: the hash itself never reaches a report
                    digest = pin_digest(key, str(found), self.key)
                    if not hmac.compare_digest(str(wanted), digest):
                        return Disagreement("column", table, key, column, f"hmac:{wanted[:12]}", f"hmac:{digest[:12]}")
                    continue
                if not _same(column, wanted, found):
                    return Disagreement("column", table, key, column, wanted, found)
        for key in sorted(expected, key=_order_key):
            if key not in seen:
                return Disagreement("missing", table, key)
        return None

    def order_of(self, serial: int) -> int | None:
        """The order whose ranges hold this serial, as the events issued it."""
        i = bisect.bisect_right(self.ranges, (serial, float("inf"), 0)) - 1
        if i >= 0 and self.ranges[i][0] <= serial <= self.ranges[i][1]:
            return self.ranges[i][2]
        return None

    def cancelled_between(self, first: int, last: int) -> list[tuple[int, int]]:
        """The ranges of serials voided by cancellations that meet ``first..last``, lowest first (they never
        overlap: a code is voided once)."""
        i = max(0, bisect.bisect_right(self.cancelled, (first, float("inf"))) - 1)
        found = []
        for low, high in self.cancelled[i:]:
            if low > last:
                break
            if high >= first:
                found.append((low, high))
        return found

    def serial_spans(self) -> list[tuple[int, int]]:
        """The issued serials as merged spans, lowest first."""
        spans: list[tuple[int, int]] = []
        for first, last, _ in self.ranges:
            if spans and first <= spans[-1][1] + 1:
                spans[-1] = (spans[-1][0], max(spans[-1][1], last))
            else:
                spans.append((first, last))
        return spans


def _order_key(key: str) -> tuple[Any, ...]:
    """Rows reported in id order: numeric parts as numbers."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in key.split(":"))


_HANDLERS = {
    "operator": Replay._operator,
    "enterprise": Replay._enterprise,
    "product": Replay._product,
    "order": Replay._order,
    "lot": Replay._lot,
    "run": Replay._run,
    "roll": Replay._roll,
    "pickup": Replay._pickup,
}


def compare_codes(
    replay: Replay,
    first: int,
    last: int,
    codes: Iterable[Any],
    labels: Iterable[Any],
    events: Iterable[Any],
) -> Disagreement | None:
    """Compare the codes and roll labels with serials ``first..last`` (all issued, as the events say) with the code
    events about them. ``codes``: (serial, order_id, state, lot_id); ``labels``: (serial, roll_id, position);
    ``events``: (serial, kind, data) by serial, then oldest first."""
    state: dict[int, int] = {}
    lot: dict[int, Any] = {}
    label: dict[int, tuple[str, int]] = {}
    for serial, kind, data in events:
        action = kind[5:] if kind.startswith("code.") else ""
        if action not in ACTION_STATE:
            continue
        state[serial] = ACTION_STATE[action]
        if action == "print":
            values = json.loads(data)
            if "roll" in values:
                label[serial] = (str(values["roll"]), int(values.get("position", -1)))
            else:
                label.pop(serial, None)
        elif action == "bind":
            lot[serial] = json.loads(data).get("lot")
    present: set[int] = set()
    cancelled = replay.cancelled_between(first, last)
    cut = 0  # the first cancelled range not wholly below the serial at hand (codes come by serial)
    for serial, order_id, row_state, lot_id in codes:
        present.add(serial)
        want_order = replay.order_of(serial)
        if want_order is None:
            return Disagreement("extra", "codes", str(serial))
        if order_id != want_order:
            return Disagreement("column", "codes", str(serial), "order_id", want_order, order_id)
        want_state = state.get(serial)
        if want_state is None:  # no code event: issued, or voided still issued by its order's cancellation
            while cut < len(cancelled) and cancelled[cut][1] < serial:
                cut += 1
            voided = cut < len(cancelled) and cancelled[cut][0] <= serial
            want_state = int(State.VOIDED if voided else State.ISSUED)
        if row_state != want_state:
            return Disagreement(
                "column", "codes", str(serial), "state", State(want_state).label, _state_label(row_state)
            )
        if lot_id != lot.get(serial):
            return Disagreement("column", "codes", str(serial), "lot_id", lot.get(serial), lot_id)
    if len(present) != last - first + 1:
        for serial in range(first, last + 1):
            if serial not in present:
                return Disagreement("missing", "codes", str(serial))
    placed: set[int] = set()
    for serial, roll_id, position in labels:
        placed.add(serial)
        want = label.get(serial)
        key = f"{roll_id}:{position}"
        if want is None:
            return Disagreement("extra", "roll_labels", key)
        if (str(roll_id), int(position)) != want:
            return Disagreement("column", "roll_labels", key, "serial", f"{want[0]}:{want[1]}", key)
    for serial in sorted(set(label) - placed):
        roll_id, position = label[serial]
        return Disagreement("missing", "roll_labels", f"{roll_id}:{position}", "serial", serial, None)
    return None


def _state_label(value: Any) -> Any:
    """A stored state as its name, or as stored when it is no state at all."""
    try:
        return State(value).label
    except ValueError:
        return value
