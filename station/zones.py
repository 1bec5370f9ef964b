"""Times for people: the ledger stores UTC; screens and exports show the station's own clock ([station] timezone).

One function, :func:`shown_time`, turns a stored UTC time into what a clerk reads: the local date and time to the
second, and in exports the zone's offset after it ("2026-12-02 13:05:09 +08:00"), so a file read elsewhere still
says which clock it was written in.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

DEFAULT_ZONE = "Asia/Shanghai"  # the county's clocks: China Standard Time, the same all year


NOT_ZONES = frozenset({"localtime", "posixrules", "Factory"})  # files of some tz databases that name no place


@cache
def _names() -> frozenset[str]:
    return frozenset(available_timezones()) - NOT_ZONES


def is_zone(name: str) -> bool:
    """True for an IANA time zone name this machine knows ("Asia/Shanghai", "UTC")."""
    return name in _names()


@cache
def zone(name: str) -> ZoneInfo:
    """The time zone called ``name``; an unknown name falls back to the county's zone (settings check names)."""
    return ZoneInfo(name if is_zone(name) else DEFAULT_ZONE)


def offset_text(moment: datetime) -> str:
    """A zone-aware time's offset from UTC as "+08:00"."""
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def _parse(stamp: str | datetime) -> datetime:
    moment = stamp if isinstance(stamp, datetime) else datetime.fromisoformat(stamp)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)  # the ledger writes UTC


def shown_time(stamp: str | datetime, zone_name: str, with_offset: bool = False) -> str:
    """A stored time (ISO 8601; without an offset it is UTC, as the ledger writes) on the station's clock, to the
    second: "2026-12-02 13:05:09", or with ``with_offset`` "2026-12-02 13:05:09 +08:00"."""
    moment = _parse(stamp).astimezone(zone(zone_name))
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    return f"{text} {offset_text(moment)}" if with_offset else text


def iso_time(stamp: str | datetime, zone_name: str) -> str:
    """A stored time as data for other systems read it: ISO 8601 on the station's clock with its offset, to the
    millisecond ("2026-12-02T13:05:09.123+08:00"), as GS1 EPCIS asks."""
    return _parse(stamp).astimezone(zone(zone_name)).isoformat(timespec="milliseconds")


def export_time(stamp: str | None, zone_name: str) -> str | None:
    """A stored time as exports write it (local, with the offset); None stays None."""
    return None if stamp is None else shown_time(stamp, zone_name, with_offset=True)


def zone_offset(zone_name: str, at: datetime | None = None) -> str:
    """The zone's offset from UTC now (or at ``at``), as "+08:00": for a column heading."""
    return offset_text((at or datetime.now(UTC)).astimezone(zone(zone_name)))
