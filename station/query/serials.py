"""Checking a queried code and finding its serial fast: ``station.codes``' check digit, MAC and permutation.

``station.codes.parse_code`` spends most of its time in the keyed permutation's ten Feistel rounds, each a keyed
BLAKE2b whose key is set up again on every call. A round's value depends only on the round and a half-block in
[0, 31623), so the service keeps a table of every round's values (10 × 31,623 two-byte entries, 632 KB), each
computed the first time it is needed, or all at once by ``fill`` when the service starts (about 0.3 s). The MAC
(a 9-digit input) is computed each time, from a keyed hasher whose key was set up once.

The Damm check digit walks a table keyed by the digit characters (no ``int()`` per digit).

The results are exactly those of ``station.codes`` (a test compares them); the checks keep their order: the
caller checks characters, length and check digit first, ``serial`` checks the MAC before anything else.
"""

from __future__ import annotations

import hashlib
import hmac
from array import array

from station.codes import _HALF, _ROUNDS, MAC_DIGITS, SERIAL_DIGITS, SERIAL_LIMIT, CodeKey

# the Damm quasigroup of order 10 (as stdnum.damm, which station.codes uses), row by the interim digit
_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
_DAMM_BY_CHAR = tuple({str(digit): row[digit] for digit in range(10)} for row in _DAMM)
_MISSING = 0xFFFF  # no round value is this large (they are below 31,623)
_MAC_MOD = 10**MAC_DIGITS
_ROUND_BYTES = tuple(bytes((i,)) for i in range(_ROUNDS))


def check_digit_ok(digits: str) -> bool:
    """True when the Damm checksum over ``digits`` (ASCII digits, check digit included) is zero."""
    interim = 0
    for char in digits:
        interim = _DAMM_BY_CHAR[interim][char]
    return interim == 0


class SerialFinder:
    """The serial behind a code whose check digit is right, or None when its MAC is wrong."""

    def __init__(self, key: CodeKey) -> None:
        self._mac = hashlib.blake2b(key=key.mac_key, digest_size=8)
        self._perm = hashlib.blake2b(key=key.perm_key, digest_size=8)
        self._tables = [array("H", [_MISSING]) * _HALF for _ in range(_ROUNDS)]

    def _compute(self, i: int, half: int) -> int:
        h = self._perm.copy()
        h.update(half.to_bytes(4, "big") + _ROUND_BYTES[i])
        value = int.from_bytes(h.digest(), "big") % _HALF
        self._tables[i][half] = value
        return value

    def fill(self) -> None:
        """Compute every round value now, so that no query pays for one later."""
        for i, table in enumerate(self._tables):
            for half in range(_HALF):
                if table[half] == _MISSING:
                    self._compute(i, half)

    def _inverse(self, y: int) -> int:
        left, right = divmod(y, _HALF)
        tables = self._tables
        for i in range(_ROUNDS - 1, -1, -1):
            value = tables[i][left]
            if value == _MISSING:
                value = self._compute(i, left)
            left, right = (right - value) % _HALF, left
        return left * _HALF + right

    def mac_ok(self, digits: str) -> bool:
        """True when the 10 MAC digits of a 20-digit code match its 9-digit public part."""
        h = self._mac.copy()
        h.update(digits[:SERIAL_DIGITS].encode("ascii"))
        mac = f"{int.from_bytes(h.digest(), 'big') % _MAC_MOD:010d}"
        return hmac.compare_digest(mac, digits[SERIAL_DIGITS : SERIAL_DIGITS + MAC_DIGITS])

    def serial(self, digits: str) -> int | None:
        """The serial of a 20-digit code (check digit already checked), or None when the MAC fails."""
        if not self.mac_ok(digits):
            return None
        value = self._inverse(int(digits[:SERIAL_DIGITS]))
        while value >= SERIAL_LIMIT:  # cycle walking, as station.codes.reveal_serial
            value = self._inverse(value)
        return value
