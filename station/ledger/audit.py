"""The hash chain over ledger events: each event's hash covers its content and the previous event's hash.

Kept free of SQL so any ledger backend computes and checks the chain the same way.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
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
        return hmac.new(key, text, hashlib.sha256).hexdigest()
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
