"""Data for other systems: a lot's whole trace for the provincial platform, and GS1 EPCIS 2.0 events.

Both are JSON documents written under a temporary name and renamed into place when complete. Their long lists
(the codes of a lot, the EPCIS events) are streamed one item per line, so a lot of any size is written without
holding it in memory. ``docs/exchange.md`` describes both layouts. Times are ISO 8601 on the station's clock
([station] timezone) with their offset, "2026-12-02T13:05:09.123+08:00", and the lot trace names its zone
(``time_zone``); the ledger keeps UTC.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from station.codes import make_code, payload
from station.export import atomic_path, memo
from station.home import Home
from station.ledger.rows import Order
from station.places import full_place_name
from station.zones import iso_time

LOT_TRACE_FORMAT = "trace-station/lot-trace"
LOT_TRACE_VERSION = 1
EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"
# the station's own extension fields in EPCIS events ("ts:station", …) and the CBV master-data prefix of ILMD
EPCIS_NAMESPACES = {"cbvmda": "urn:epcglobal:cbv:mda:", "ts": "urn:trace-station:"}
GS1_RESOLVER = "https://id.gs1.org"  # canonical GS1 Digital Link URIs name objects, whatever resolver a label uses
# lot and pickup events are read by enterprise: the ledger indexes events by enterprise, order and code
_LOT_KINDS = ("lot.added", "lot.inspected", "lot.released", "lot.recalled")
_ORDER_KINDS = ("order.issued", "order.extended")
_PICKUP_KINDS = ("pickup.made", "pickup.undone")
_EVENT_ID_SPACE = uuid.UUID("6f1c2d8e-5b0a-4c3e-9d7f-2a4b6c8e0f13")  # names EPCIS event ids derived from ledger hashes


# --- the lot trace ----------------------------------------------------------------------------------


@dataclass
class _Seen:
    """Orders and pickups met while the codes stream by; their events follow the codes."""

    orders: set[int] = field(default_factory=set)
    pickups: set[int] = field(default_factory=set)


def lot_trace(home: Home, lot_id: int) -> dict[str, Any]:
    """A lot's trace: enterprise, product, lot with inspection, release and recall, its codes with their events,
    and the events of the lot, its orders and its pickups. ``codes`` and ``events`` are iterators, read once."""
    ledger = home.ledger
    lot = ledger.lot(lot_id)
    product = ledger.product(lot["product_id"])
    enterprise = ledger.enterprise(lot["enterprise_id"])
    documents = json.loads(enterprise.get("documents") or "{}")
    lot_events = [
        e for e in ledger.events_of(_LOT_KINDS, enterprise_id=lot["enterprise_id"]) if e["data"].get("lot") == lot_id
    ]
    seen = _Seen()
    serials = ledger.lot_codes(lot_id)
    key = home.key
    order_of = memo(ledger.order)
    zone = home.config.station.timezone

    def codes() -> Iterator[dict[str, Any]]:
        for serial in serials:
            row = ledger.issued_code(serial)
            order = order_of(row["order_id"])
            code = make_code(key, serial)
            history = list(ledger.events_of(serial=serial))
            printed: dict[str, Any] = next((e["data"] for e in history if e["kind"] == "code.print"), {})
            seen.orders.add(row["order_id"])
            seen.pickups.update(e["data"]["pickup"] for e in history if e["kind"] == "code.distribute")
            yield {
                "code": code,
                "payload": payload(order["base_url"], code, order["gtin"], order["lot"]),
                "state": row["state"].label,
                "order": row["order_id"],
                "roll": printed.get("roll"),
                "position": printed.get("position"),
                "events": [_event(e, zone) for e in history],
            }

    def events() -> Iterator[dict[str, Any]]:
        # read after the codes: the orders and pickups are those the codes named
        found = list(lot_events)
        for order_id in sorted(seen.orders):
            found += ledger.events_of(_ORDER_KINDS, order_id=order_id)
        found += [
            e
            for e in ledger.events_of(_PICKUP_KINDS, enterprise_id=lot["enterprise_id"])
            if e["data"].get("pickup") in seen.pickups
        ]
        for event in sorted(found, key=lambda e: int(e["id"])):
            yield _event(event, zone)

    def last(kind: str) -> dict[str, Any] | None:
        return next((e for e in reversed(lot_events) if e["kind"] == kind), None)

    inspected, released, recalled = last("lot.inspected"), last("lot.released"), last("lot.recalled")
    return {
        "format": LOT_TRACE_FORMAT,
        "version": LOT_TRACE_VERSION,
        "generated_at": iso_time(_utc_now(), zone),
        "time_zone": zone,
        "station": home.config.station.id,
        "enterprise": {
            "name": enterprise["name"],
            "credit_code": enterprise["credit_code"],
            "contact": enterprise["contact"],
            "status": enterprise["status"],
            "blacklisted": bool(enterprise["blacklisted"]),
            "licences": documents.get("licences", {}),
            "qualifications": documents.get("qualifications", []),
        },
        "product": {
            "name": product["name"],
            "origin_code": product["origin_code"],
            "certifications": product["certifications"],
            "shelf_life_days": product["shelf_life_days"],
            "gtin": product["gtin"],
            "origin_place": full_place_name(product["origin_code"]),
        },
        "lot": {
            "number": lot["number"],
            "production_date": lot["production_date"],
            "quantity": lot["quantity"],
            "records": lot["records"],
            "inspection": None
            if lot["inspection"] is None
            else {"result": lot["inspection"], "report": lot["inspection_report"] or None, **_who(inspected, zone)},
            "release": {**_who(released, zone)} if lot["released"] else None,
            "recall": None
            if not lot["recalled"]
            else {
                "reason": lot["recall_reason"],
                "codes": (recalled or {}).get("data", {}).get("codes"),
                **_who(recalled, zone),
            },
        },
        "certificates": [
            {
                "number": c["number"],
                "at": iso_time(c["at"], zone),
                "operator": c["operator"],
                "station": c["station"],
                "printer": c["printer"],
            }
            for c in ledger.certificates(lot_id)
        ],
        "codes": codes(),
        "events": events(),
    }


def export_lot_trace(home: Home, lot_id: int, out: Path | None) -> tuple[str, int]:
    """Write a lot's trace as JSON to ``out`` (or standard output); the lot number and how many codes."""
    trace = lot_trace(home, lot_id)
    codes = trace["codes"] = _Counted(trace["codes"])
    _write_json(trace, out)
    return str(trace["lot"]["number"]), codes.n


def _event(event: dict[str, Any], zone: str) -> dict[str, Any]:
    """A ledger event as the trace shows it: who, when (on the station's clock), where, what."""
    return {
        "id": event["id"],
        "at": iso_time(event["at"], zone),
        "operator": event["operator"],
        "station": event["station"],
        "kind": event["kind"],
        "data": event["data"],
    }


def _who(event: dict[str, Any] | None, zone: str) -> dict[str, Any]:
    if event is None:
        return {"at": None, "operator": None, "station": None}
    return {"at": iso_time(event["at"], zone), "operator": event["operator"], "station": event["station"]}


# --- EPCIS ------------------------------------------------------------------------------------------


def epcis_document(home: Home, lot_id: int) -> dict[str, Any]:
    """An EPCIS 2.0 JSON-LD document of a lot's codes: commissioning (ADD, commissioning, active) of every bound
    code when its label was verified, shipping (OBSERVE, shipping, in_transit) for the pickup that handed it over,
    and recall (OBSERVE, disposition recalled). ``epcisBody.eventList`` is an iterator, read once."""
    ledger = home.ledger
    lot = ledger.lot(lot_id)
    product = ledger.product(lot["product_id"])
    enterprise = ledger.enterprise(lot["enterprise_id"])
    serials = ledger.lot_codes(lot_id)
    key = home.key
    order_of = memo(ledger.order)
    zone = home.config.station.timezone
    ilmd: dict[str, Any] = {"cbvmda:lotNumber": lot["number"], "ts:productionDate": lot["production_date"]}
    if product["shelf_life_days"]:
        expiry = date.fromisoformat(lot["production_date"]) + timedelta(days=int(product["shelf_life_days"]))
        ilmd["cbvmda:itemExpirationDate"] = expiry.isoformat()
    ilmd["ts:originCode"] = product["origin_code"]

    lot_recalls = [
        e
        for e in ledger.events_of(["lot.recalled"], enterprise_id=lot["enterprise_id"])
        if e["data"].get("lot") == lot_id
    ]

    def event_list() -> Iterator[dict[str, Any]]:
        shipped: dict[int, list[str]] = {}
        recalled: dict[int, list[str]] = {}  # lot.recalled event id -> the codes it recalled
        for serial in serials:
            order = order_of(ledger.issued_code(serial)["order_id"])
            epc = epc_uri(order, make_code(key, serial))
            history = list(ledger.events_of(serial=serial))
            made = next((e for e in history if e["kind"] == "code.verify"), None)
            if made is None:
                continue  # never verified: not a code a product could carry (cannot happen for a bound code)
            yield {
                **_object_event(made, lot_id, [epc], "ADD", "commissioning", "active", zone),
                "ilmd": ilmd,
            }
            pickups = [e["data"]["pickup"] for e in history if e["kind"] == "code.distribute"]
            if pickups:  # the last pickup is the one that stood; earlier ones were undone
                shipped.setdefault(pickups[-1], []).append(epc)
            for recall in (e for e in history if e["kind"] == "code.recall"):
                recalled.setdefault(_recall_of(recall, lot_recalls), []).append(epc)
        made_events = {
            e["data"]["pickup"]: e
            for e in ledger.events_of(["pickup.made"], enterprise_id=lot["enterprise_id"])
            if e["data"]["pickup"] in shipped
        }
        for pickup_id, epcs in sorted(shipped.items(), key=lambda item: int(made_events[item[0]]["id"])):
            event = made_events[pickup_id]
            yield {
                **_object_event(event, lot_id, epcs, "OBSERVE", "shipping", "in_transit", zone),
                "ts:pickup": pickup_id,
                "ts:receiver": event["data"]["receiver"],
                "ts:enterprise": enterprise["credit_code"],
            }
        for recall in lot_recalls:
            if recalled.get(int(recall["id"])):
                yield {
                    **_object_event(recall, lot_id, recalled[int(recall["id"])], "OBSERVE", None, "recalled", zone),
                    "ts:reason": recall["data"].get("recall_reason"),
                }

    return {
        "@context": [EPCIS_CONTEXT, EPCIS_NAMESPACES],
        "type": "EPCISDocument",
        "schemaVersion": "2.0",
        "creationDate": iso_time(_utc_now(), zone),
        "epcisBody": {"eventList": event_list()},
    }


def export_epcis(home: Home, lot_id: int, out: Path | None) -> int:
    """Write a lot's EPCIS 2.0 document to ``out`` (or standard output); how many events."""
    document = epcis_document(home, lot_id)
    counted = _Counted(document["epcisBody"]["eventList"])
    document["epcisBody"]["eventList"] = counted
    _write_json(document, out)
    return counted.n


def _recall_of(code_recall: dict[str, Any], lot_recalls: list[dict[str, Any]]) -> int:
    """The lot.recalled event written in the same transaction as a code's recall: the first one after it."""
    return next(int(e["id"]) for e in lot_recalls if int(e["id"]) > int(code_recall["id"]))


def epc_uri(order: Order, code: str) -> str:
    """The code as an EPC: a GS1 Digital Link URI (GTIN + serial) when the order has a GTIN, else its payload URL."""
    if order["gtin"]:
        return f"{GS1_RESOLVER}/01/{order['gtin']}/21/{code}"
    return payload(order["base_url"], code)


def _object_event(
    source: dict[str, Any],
    lot_id: int,
    epcs: list[str],
    action: str,
    biz_step: str | None,
    disposition: str,
    zone: str,
) -> dict[str, Any]:
    """An ObjectEvent from the ledger event it reports; its id is derived from that event's hash and the lot,
    so exporting again gives the same ids and a receiver can tell a repeat from a new event."""
    event: dict[str, Any] = {
        "type": "ObjectEvent",
        "eventID": "urn:uuid:" + str(uuid.uuid5(_EVENT_ID_SPACE, f"{source['hash']}/{lot_id}/{action}")),
        "eventTime": iso_time(source["at"], zone),
        "eventTimeZoneOffset": iso_time(source["at"], zone)[-6:],
        "epcList": epcs,
        "action": action,
    }
    if biz_step is not None:
        event["bizStep"] = biz_step
    event["disposition"] = disposition
    event["ts:station"] = source["station"]
    event["ts:operator"] = source["operator"]
    return event


# --- writing ----------------------------------------------------------------------------------------


class _Counted:
    """An iterable that counts what went through it."""

    def __init__(self, items: Iterable[Any]) -> None:
        self.items = items
        self.n = 0

    def __iter__(self) -> Iterator[Any]:
        for item in self.items:
            self.n += 1
            yield item


def _write_json(document: dict[str, Any], out: Path | None) -> None:
    """Write a document whose iterators become arrays of one item per line; to a file atomically, or stdout."""
    if out is None:
        _dump(document, sys.stdout.write, 0)
        sys.stdout.write("\n")
        return
    with atomic_path(out) as tmp, open(tmp, "w", encoding="utf-8") as handle:
        _dump(document, handle.write, 0)
        handle.write("\n")


def _dump(value: Any, write: Callable[[str], Any], depth: int) -> None:
    pad = "  " * (depth + 1)
    if isinstance(value, dict) and any(isinstance(v, dict | Iterator | _Counted) for v in value.values()):
        write("{")
        for i, (name, item) in enumerate(value.items()):
            write(("," if i else "") + f"\n{pad}{json.dumps(name)}: ")
            _dump(item, write, depth + 1)
        write(f"\n{'  ' * depth}}}")
    elif isinstance(value, Iterator | _Counted):
        write("[")
        for i, item in enumerate(value):
            write(("," if i else "") + f"\n{pad}" + json.dumps(item, ensure_ascii=False, separators=(",", ":")))
        write(f"\n{'  ' * depth}]")
    else:
        write(json.dumps(value, ensure_ascii=False))


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


__all__ = ["epcis_document", "export_epcis", "export_lot_trace", "lot_trace"]
