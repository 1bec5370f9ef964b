"""Checking a queried code and finding its serial fast: ``station.codes``' check digit and Codec, by the names the
query service uses.

The code format has one implementation, in ``station.codes``: the service keeps one ``Codec`` for its key, whose
table of the permutation's round values (632 KB) fills as codes are queried, or all at once when the service starts
(``fill``, about 0.3 s). The checks keep their order: the caller checks characters, length and check digit first,
``serial`` checks the MAC before anything else.
"""

from __future__ import annotations

from station.codes import _MISSING, Codec, check_digit_ok

SerialFinder = Codec  # the serial behind a code whose check digit is right, or None when its MAC is wrong

__all__ = ["_MISSING", "SerialFinder", "check_digit_ok"]
