"""What the office reads from the query service: statistics and consumer reports (no web framework needed)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time
from typing import Any

from station.codes import make_code
from station.errors import StationError
from station.home import Home
from station.ledger import open_store
from station.ledger.query_store import QueryStore
from station.query.answer import FAILED
from station.query.counters import stamp
from station.query.hidden_office import hidden_figures
from station.zones import DEFAULT_ZONE, shown_time, zone


def _store(home: Home) -> QueryStore:
    home.ledger  # noqa: B018 - opens (and migrates) the ledger and checks the key, as every command does
    return open_store(home.ledger_url, home.config.ledger.busy_timeout_s)


def parse_since(text: str, zone_name: str = DEFAULT_ZONE) -> str:
    """A date or date-time on the station's clock (``YYYY-MM-DD``, ``YYYY-MM-DDTHH:MM``) as the stored UTC form."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError as err:
        raise StationError("query.since_bad", value=text) from err
    if at.tzinfo is None:
        at = at.replace(tzinfo=zone(zone_name))  # a time without zone is on the station's clock
    return stamp(at)


def stats(home: Home, top: int = 10) -> dict[str, Any]:
    """Queries today and in all (per outcome), the most-queried codes, anomalies, unknown-code attempts, reports.

    "Today" is the date on the station's clock ([station] timezone), as the service counts it.
    """
    local = zone(home.config.station.timezone)
    today = datetime.now(UTC).astimezone(local).date()
    day_start = stamp(datetime.combine(today, time(), tzinfo=local))
    key = home.key

    def code(serial: int) -> str:
        return make_code(key, serial)

    with _store(home) as store:
        totals = store.totals(today.isoformat(), day_start, top)
        hidden = hidden_figures(store, code, home.config.query.hidden_flag_after, top)
    return {
        "day": today.isoformat(),
        "queries_today": sum(totals.by_status_today.values()),
        "queries_total": sum(totals.by_status_total.values()),
        "by_status_today": totals.by_status_today,
        "by_status_total": totals.by_status_total,
        "failed_today": sum(n for s, n in totals.by_status_today.items() if s in FAILED),
        "failed_total": sum(n for s, n in totals.by_status_total.items() if s in FAILED),
        "unknown_today": totals.by_status_today.get("unknown", 0) + totals.by_status_today.get("forged", 0),
        "unknown_total": totals.by_status_total.get("unknown", 0) + totals.by_status_total.get("forged", 0),
        "top_codes": [
            {
                "code": code(serial),
                "serial": serial,
                "queries": q.queries,
                "first_at": q.first_at,
                "last_at": q.last_at,
                "anomalies": q.anomalies,
            }
            for serial, q in totals.top
        ],
        "anomalies_today": totals.anomalies_today,
        "anomalies_total": totals.anomalies_total,
        "recent_anomalies": [
            {
                "code": code(a.serial),
                "at": a.at,
                "network": a.network,
                "previous_network": a.previous_network,
                "previous_at": a.previous_at,
            }
            for a in totals.recent_anomalies
        ],
        "reports_today": totals.reports_today,
        "reports_total": totals.reports_total,
        **hidden,
    }


def reports(home: Home, since: str | None = None) -> list[dict[str, Any]]:
    """Consumer reports, oldest first, at or after ``since`` (a local date or date-time)."""
    with _store(home) as store:
        found = store.reports(parse_since(since, home.config.station.timezone) if since else None)
    return [
        {
            "id": r.id,
            "at": r.at,
            "code": r.code,
            "genuine": r.serial is not None,
            "kind": r.kind,
            "text": r.text,
            "contact": r.contact,
            "network": r.network,
        }
        for r in found
    ]


def received_at(stamp_text: str, zone_name: str = DEFAULT_ZONE) -> str:
    """A stored UTC time on the station's clock, for tables (as the app shows every time)."""
    return shown_time(stamp_text, zone_name)


# What a terminal would act on rather than show: C0 and C1 controls (ESC starts a terminal's escape sequences, and
# U+009B is a CSI of its own), DEL, line and paragraph separators, zero-width and direction marks and overrides,
# and lone surrogates (which no terminal encoding can write).
_UNSHOWN = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ud800-\udfff]")


def _escape(found: re.Match[str]) -> str:
    code = ord(found.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(text: str) -> str:
    """Text from the public as a table shows it: each character a terminal would act on written as ``\\xNN`` or
    ``\\uNNNN``, so a report can neither move the cursor, recolour the screen nor hide part of itself."""
    return _UNSHOWN.sub(_escape, text)


def json_printable(encoded: str) -> str:
    """JSON text with every character a terminal would act on written as a ``\\uNNNN`` escape: the same data."""
    return _UNSHOWN.sub(lambda found: f"\\u{ord(found.group()):04x}", encoded)
