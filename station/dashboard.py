"""The office's day at a glance: today's work from the ledger, codes per state, and what needs attention."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from station.home import Home
from station.texts import from_store, t
from station.zones import zone

# what the dashboard counts today: (text key, event kinds)
TODAY = (
    ("today.orders", ("order.issued",)),
    ("today.printed", ("code.print",)),
    ("today.verified", ("code.verify",)),
    ("today.voided", ("code.reject", "code.void")),
    ("today.distributed", ("code.distribute",)),
    ("today.bound", ("code.bind",)),
)


def start_of_today(zone_name: str) -> str:
    """Midnight on the station's clock ([station] timezone) as the ledger writes times (UTC, ISO 8601)."""
    local = datetime.now(UTC).astimezone(zone(zone_name)).replace(hour=0, minute=0, second=0, microsecond=0)
    return local.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def day_summary(home: Home) -> dict[str, Any]:
    """Today's counts, codes per state and the alerts: runs waiting on a fault or stopped, recalled lots."""
    ledger = home.ledger
    kinds = ledger.event_counts_since(start_of_today(home.config.station.timezone))
    today = {key: sum(kinds.get(k, 0) for k in event_kinds) for key, event_kinds in TODAY}
    alerts = []
    for order in ledger.orders():
        run = ledger.unfinished_run(order["id"])
        if run is not None and run["status"] == "paused":
            alerts.append(t("alert.run_paused", order=order["id"], reason=from_store(run["reason"])))
    for lot in ledger.lots():
        if lot["recalled"]:
            alerts.append(t("alert.lot_recalled", number=lot["number"], reason=lot["recall_reason"] or ""))
        elif lot["inspection"] == "fail":
            alerts.append(t("alert.lot_failed", number=lot["number"]))
    return {"today": today, "states": {s.label: n for s, n in sorted(ledger.state_counts().items())}, "alerts": alerts}
