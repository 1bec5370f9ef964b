"""pyserial's port settings as a device URI's query string gives them, read once for printers and scanners::

    serial:///dev/ttyUSB0?baudrate=9600&bytesize=8&parity=N&stopbits=1&rtscts=1

Numbers are ``baudrate``, ``bytesize`` and ``stopbits`` (1, 1.5, 2); ``parity`` is its first letter (N, E, O, M,
S; empty is N); ``rtscts``, ``xonxoff`` and ``dsrdtr`` are on for 1, true or yes. Each driver handles its own other
options and says in its own words what is wrong.
"""

from __future__ import annotations

SERIAL_OPTIONS = frozenset({"baudrate", "bytesize", "parity", "stopbits", "rtscts", "xonxoff", "dsrdtr"})


def serial_option(key: str, value: str) -> int | float | str | bool:
    """pyserial's value for the query option ``key`` (one of ``SERIAL_OPTIONS``); ValueError for a number that is
    not one."""
    if key in ("baudrate", "bytesize"):
        return int(value)
    if key == "stopbits":
        return float(value)
    if key == "parity":
        return value.upper()[:1] or "N"
    if key in ("rtscts", "xonxoff", "dsrdtr"):
        return value.lower() in ("1", "true", "yes")
    raise KeyError(key)


__all__ = ["SERIAL_OPTIONS", "serial_option"]
