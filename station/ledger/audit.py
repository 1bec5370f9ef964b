"""The hash chain over ledger events: each event's hash covers its content and the previous event's hash.

Kept free of SQL so any ledger backend computes and checks the chain the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

GENESIS = "0" * 64

# The columns covered by the hash, in order. Changing this list is a schema migration.
HASHED_FIELDS = (
    "id",
    "at",
    "operator",
    "station",
    "kind",
    "enterprise_id",
    "product_id",
    "order_id",
    "serial",
    "data",
)


def event_hash(event: dict[str, Any], prev_hash: str, key: bytes | None = None) -> str:
    """HMAC-SHA-256 (with the installation's audit key) over the canonical JSON of the event's hashed fields and
    the previous hash. Keyed, so that someone who rewrites events cannot recompute a valid chain without the key;
    plain SHA-256 only where no key is given (tools that read a ledger without its station)."""
    body = [event[name] for name in HASHED_FIELDS] + [prev_hash]
    text = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if key:
        return hmac.digest(key, text, "sha256").hex()
    return hashlib.sha256(text).hexdigest()


@dataclass(frozen=True)
class AuditReport:
    """Outcome of recomputing the chain."""

    ok: bool
    events: int
    head: str
    broken_at: int | None = None
    reason: str | None = None  # catalogue key: audit.reason.*
    missing: int | None = None
    subject: str | None = None  # for a state that disagrees with its history: which code or enterprise
    # for a row that disagrees with the events: column (a column differs), extra (no event made the row) or
    # missing (the events made it and it is gone); the table, the row's key, the column, the two values
    # (the outcome above is what makes two reports equal; these say more about it)
    kind: str | None = field(default=None, compare=False)
    table: str | None = field(default=None, compare=False)
    row: str | None = field(default=None, compare=False)
    column: str | None = field(default=None, compare=False)
    expected: Any = field(default=None, compare=False)
    found: Any = field(default=None, compare=False)
    anchors: int = field(default=0, compare=False)  # how many head records were checked against the chain


def verify_chain(
    events: Iterable[dict[str, Any]], head_id: int, head_hash: str, key: bytes | None = None
) -> AuditReport:
    """Walk events in id order; report the first edited, missing, inserted or reordered one."""
    expected_id = 1
    prev = GENESIS
    count = 0
    for event in events:
        if event["id"] != expected_id:
            return AuditReport(False, count, prev, event["id"], "audit.reason.gap", missing=expected_id)
        if event["prev_hash"] != prev:
            return AuditReport(False, count, prev, event["id"], "audit.reason.prev")
        if not hmac.compare_digest(event_hash(event, prev, key), event["hash"]):
            return AuditReport(False, count, prev, event["id"], "audit.reason.hash")
        prev = event["hash"]
        expected_id += 1
        count += 1
    if count != head_id or prev != head_hash:
        return AuditReport(False, count, prev, min(count, head_id) + 1, "audit.reason.head")
    return AuditReport(True, count, prev)


@dataclass(frozen=True)
class Anchor:
    """A record of the chain's head, kept outside the database: the chain must still hold this event with this
    hash, and must not end before it. Authenticated with a key derived from the station's code key, which the
    database does not hold, so someone who edits the database cannot write one."""

    events: int
    last_id: int
    last_hash: str
    at: str
    mac: str = ""
    partial: bool = False  # read from a slip: the id and a prefix of the hash, no MAC (the paper is the proof)

    def body(self) -> bytes:
        """The authenticated text: every field but the MAC, as canonical JSON."""
        return json.dumps(
            ["ts-audit-anchor", 1, self.events, self.last_id, self.last_hash, self.at], separators=(",", ":")
        ).encode("utf-8")

    def signed(self, key: bytes | None) -> Anchor:
        """The same head with its MAC."""
        mac = hmac.new(anchor_key(key), self.body(), hashlib.sha256).hexdigest()
        return Anchor(self.events, self.last_id, self.last_hash, self.at, mac)

    def authentic(self, key: bytes | None) -> bool:
        """True when the MAC is this station's over these fields."""
        return hmac.compare_digest(self.signed(key).mac, self.mac)

    def to_json(self) -> str:
        """The record as a file holds it."""
        return json.dumps(
            {
                "format": "ts-audit-anchor/1",
                "events": self.events,
                "last_id": self.last_id,
                "last_hash": self.last_hash,
                "at": self.at,
                "mac": self.mac,
            },
            indent=1,
        )

    @classmethod
    def from_json(cls, text: str) -> Anchor | None:
        """A record read back, or None when it is not one."""
        try:
            data = json.loads(text)
            if data.get("format") != "ts-audit-anchor/1":
                return None
            return cls(
                int(data["events"]), int(data["last_id"]), str(data["last_hash"]), str(data["at"]), str(data["mac"])
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None

    @classmethod
    def from_slip(cls, text: str) -> Anchor | None:
        """The head as a slip shows it (``#<id> <16 or more hex digits of its hash>``), or None."""
        found = re.search(r"#(\d+)\s+([0-9a-fA-F]{16,64})\b", text)
        if found is None:
            return None
        last_id = int(found.group(1))
        return cls(last_id, last_id, found.group(2).lower(), "", "", partial=True)

    def slip_line(self) -> str:
        """The head in a few characters, to print on a slip: event id, hash prefix, MAC prefix."""
        return f"#{self.last_id} {self.last_hash[:16]} {self.mac[:8]}"


def anchor_key(key: bytes | None) -> bytes:
    """The key that authenticates head records, derived from the audit key (itself from the code key)."""
    return hmac.new(key or b"", b"ts-audit-anchor1", hashlib.sha256).digest()


def check_anchor(anchor: Anchor, events: int, hash_at: str | None, key: bytes | None) -> str | None:
    """Why a verified chain of ``events`` events does not agree with a head record (``hash_at``: the chain's hash
    at the record's event id, None when the chain is shorter), as a catalogue key; None when it agrees."""
    if not anchor.partial and not anchor.authentic(key):
        return "audit.reason.anchor_forged"
    if anchor.last_id > events or hash_at is None:
        return "audit.reason.anchor_truncated"
    recorded = hash_at[: len(anchor.last_hash)] if anchor.partial else hash_at
    if not hmac.compare_digest(recorded, anchor.last_hash) or anchor.events != anchor.last_id:
        return "audit.reason.anchor_rewritten"
    return None


# the latest head record, kept by the station beside its ledger (outside the database)
KEPT_ANCHOR = "audit-anchor.json"


def read_anchor(path: Path) -> Anchor | None:
    """The head record in a file; None when the file does not exist. A file that is not a record reads as one
    that fails authentication (so a damaged or replaced record is reported, never skipped)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError):
        text = ""
    return Anchor.from_json(text) or Anchor(0, 0, GENESIS, "", "")


def write_anchor(path: Path, anchor: Anchor) -> None:
    """Write a head record, readable by its owner only, replacing the file in one step."""
    temporary = path.with_name(path.name + ".tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as out:
        out.write(anchor.to_json() + "\n")
    os.replace(temporary, path)
