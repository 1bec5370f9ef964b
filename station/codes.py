"""The anti-counterfeit code: 20 decimal digits a consumer can type, and the QR payload that carries it.

Layout (docs/code-format.md has the full description)::

    PPPPPPPPP MMMMMMMMMM C
    │         │          └ Damm check digit over the 19 digits before it (python-stdnum)
    │         └ MAC: keyed BLAKE2b-64 of the 9 P digits, reduced mod 10^10 (33.2 bits)
    └ the serial, hidden by a keyed 10-round Feistel permutation of [0, 10^9)

The serial is the code's identity in the ledger; the 20 digits are computed from it and the installation's
secret key, so a code is never stored and a made-up one fails offline with probability 1 - 10^-10.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from stdnum import ean
from stdnum.exceptions import ValidationError

from station.errors import CodeError, ConfigError

CODE_DIGITS = 20
SERIAL_DIGITS = 9
MAC_DIGITS = 10
SERIAL_LIMIT = 10**SERIAL_DIGITS  # serials are 0 .. 10^9 - 1
_MAC_MOD = 10**MAC_DIGITS
_HALF = 31623  # 31623^2 = 1_000_014_129 >= 10^9: a balanced Feistel domain, cycle-walked down to 10^9
_ROUNDS = 10
KEY_BYTES = 32


@dataclass(frozen=True)
class CodeKey:
    """The per-installation secret, with the subkeys derived from it."""

    mac_key: bytes
    perm_key: bytes
    audit_key: bytes = b""
    fingerprint: str = ""  # names the key in the ledger without revealing it

    @classmethod
    def from_secret(cls, secret: bytes) -> CodeKey:
        """Derive the MAC, permutation and audit-chain subkeys, and the fingerprint, from the 32-byte secret."""
        if len(secret) != KEY_BYTES:
            raise ValueError("the code key secret must be 32 bytes")

        def derive(person: bytes, size: int = 32) -> bytes:
            return hashlib.blake2b(person, key=secret, person=person, digest_size=size).digest()

        return cls(
            mac_key=derive(b"ts-code-mac-v1"),
            perm_key=derive(b"ts-code-prm-v1"),
            audit_key=derive(b"ts-audit-chain1"),
            fingerprint=derive(b"ts-key-fprint-1", 8).hex(),
        )


def create_key_file(path: Path) -> None:
    """Write a new random secret to ``path`` with mode 0600; never overwrites an existing key."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(os.urandom(KEY_BYTES).hex() + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def read_secret(path: Path, missing: str = "config.key_missing") -> bytes:
    """The secret of a key file written by :func:`create_key_file`; a missing file is ConfigError ``missing``, a
    file others may read or one that is not 64 hex digits a ConfigError naming it."""
    try:
        st = path.stat()
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError as err:
        raise ConfigError(missing, path=str(path)) from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError("config.key_bad", path=str(path)) from err
    if st.st_mode & 0o077:
        raise ConfigError("config.key_mode", path=str(path), mode=oct(st.st_mode & 0o777))
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise ConfigError("config.key_bad", path=str(path))
    return bytes.fromhex(text)


def load_key_file(path: Path) -> CodeKey:
    """Read the secret written by :func:`create_key_file`."""
    return CodeKey.from_secret(read_secret(path))


# --- the serial permutation, MAC and check digit: one implementation, the Codec -------------------------------------

# the Damm quasigroup of order 10 (python-stdnum's table), row by the interim digit
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
_ROUND_BYTES = tuple(bytes((i,)) for i in range(_ROUNDS))
BATCH_MIN = 20_000  # from this many codes at once, every round value is computed first and the codes in arrays


def _damm_interim(digits: str) -> int:
    interim = 0
    for char in digits:
        interim = _DAMM_BY_CHAR[interim][char]
    return interim


def check_digit_ok(digits: str) -> bool:
    """True when the Damm checksum over ``digits`` (ASCII digits, check digit included) is zero."""
    return _damm_interim(digits) == 0


def _check_digit(body: str) -> str:
    """The Damm check digit that makes the checksum over ``body`` and it zero (the interim digit itself)."""
    return str(_damm_interim(body))


def _round_value(perm: Any, i: int, half: int) -> int:
    """Round ``i``'s value for a half-block: keyed BLAKE2b-64 (``perm`` holds the key) of the half and the round."""
    h = perm.copy()
    h.update(half.to_bytes(4, "big") + _ROUND_BYTES[i])
    return int.from_bytes(h.digest(), "big") % _HALF


class Codec:
    """The code format for one key: the keyed permutation of serials, the MAC and the check digit.

    A round's value depends only on the round and a half-block in [0, 31623), so the values are kept in a table
    (10 × 31,623 two-byte entries, 632 KB), each computed the first time it is needed, or all at once by ``fill``
    (about 0.3 s) where many codes are to come. The keyed hashers are set up once, not on every call.
    """

    def __init__(self, key: CodeKey) -> None:
        self._mac = hashlib.blake2b(key=key.mac_key, digest_size=8)
        self._perm = hashlib.blake2b(key=key.perm_key, digest_size=8)
        self._tables = [array("H", [_MISSING]) * _HALF for _ in range(_ROUNDS)]
        self._filled = False

    def _compute(self, i: int, half: int) -> int:
        value = self._tables[i][half] = _round_value(self._perm, i, half)
        return value

    def fill(self) -> None:
        """Compute every round value now, so that no code pays for one later."""
        if self._filled:
            return
        for i, table in enumerate(self._tables):
            for half in range(_HALF):
                if table[half] == _MISSING:
                    self._compute(i, half)
        self._filled = True

    def _forward(self, x: int) -> int:
        left, right = divmod(x, _HALF)
        tables = self._tables
        for i in range(_ROUNDS):
            value = tables[i][right]
            if value == _MISSING:
                value = self._compute(i, right)
            left, right = right, (left + value) % _HALF
        return left * _HALF + right

    def _inverse(self, y: int) -> int:
        left, right = divmod(y, _HALF)
        tables = self._tables
        for i in range(_ROUNDS - 1, -1, -1):
            value = tables[i][left]
            if value == _MISSING:
                value = self._compute(i, left)
            left, right = (right - value) % _HALF, left
        return left * _HALF + right

    def hide(self, serial: int) -> int:
        """The 9-digit public number for ``serial`` (a keyed permutation of [0, 10^9))."""
        if not 0 <= serial < SERIAL_LIMIT:
            raise ValueError(f"serial {serial} outside 0..{SERIAL_LIMIT - 1}")
        value = self._forward(serial)
        while value >= SERIAL_LIMIT:  # cycle walking keeps the permutation inside [0, 10^9)
            value = self._forward(value)
        return value

    def reveal(self, public: int) -> int:
        """Inverse of :meth:`hide`."""
        value = self._inverse(public)
        while value >= SERIAL_LIMIT:
            value = self._inverse(value)
        return value

    def mac(self, public: int) -> str:
        """The 10 MAC digits for the 9-digit public part."""
        h = self._mac.copy()
        h.update(b"%09d" % public)
        return f"{int.from_bytes(h.digest(), 'big') % _MAC_MOD:010d}"

    def mac_ok(self, digits: str) -> bool:
        """True when the 10 MAC digits of a 20-digit code match its 9-digit public part."""
        mac = self.mac(int(digits[:SERIAL_DIGITS]))
        return hmac.compare_digest(mac, digits[SERIAL_DIGITS : SERIAL_DIGITS + MAC_DIGITS])

    def serial(self, digits: str) -> int | None:
        """The serial of a 20-digit code (check digit already checked), or None when the MAC fails."""
        if not self.mac_ok(digits):
            return None
        return self.reveal(int(digits[:SERIAL_DIGITS]))

    def code(self, serial: int) -> str:
        """The 20-digit code for ``serial``."""
        public = self.hide(serial)
        body = f"{public:09d}{self.mac(public)}"
        return body + _check_digit(body)

    def codes(self, serials: Sequence[int]) -> list[str]:
        """The codes of many serials at once, each exactly as :meth:`code` gives it: from ``BATCH_MIN`` serials on,
        the permutation and the check digit run over arrays; only the MAC is still a hash per code."""
        if len(serials) < BATCH_MIN:
            return [self.code(serial) for serial in serials]
        import numpy as np

        self.fill()
        x = np.asarray(serials, dtype=np.int64)
        if x.size and (int(x.min()) < 0 or int(x.max()) >= SERIAL_LIMIT):
            raise ValueError(f"serials outside 0..{SERIAL_LIMIT - 1}")
        tables = [np.frombuffer(table, dtype=np.uint16).astype(np.int64) for table in self._tables]

        def forward(values: Any) -> Any:
            left, right = np.divmod(values, _HALF)
            for table in tables:
                left, right = right, (left + table[right]) % _HALF
            return left * _HALF + right

        public = forward(x)
        outside = np.flatnonzero(public >= SERIAL_LIMIT)
        while outside.size:  # cycle walking, for the few (about 14 in a million) that land outside
            public[outside] = forward(public[outside])
            outside = outside[public[outside] >= SERIAL_LIMIT]
        macs = np.empty(len(x), dtype=np.uint64)
        hasher = self._mac
        for n, value in enumerate(public.tolist()):
            h = hasher.copy()
            h.update(b"%09d" % value)
            macs[n] = int.from_bytes(h.digest(), "big") % _MAC_MOD
        digits = np.empty((len(x), CODE_DIGITS), dtype=np.int64)
        for place in range(SERIAL_DIGITS):
            digits[:, SERIAL_DIGITS - 1 - place] = public // 10**place % 10
        for place in range(MAC_DIGITS):
            digits[:, SERIAL_DIGITS + MAC_DIGITS - 1 - place] = (macs // np.uint64(10**place) % np.uint64(10)).astype(
                np.int64
            )
        damm_table = np.array(_DAMM, dtype=np.int64)
        interim = np.zeros(len(x), dtype=np.int64)
        for column in range(CODE_DIGITS - 1):
            interim = damm_table[interim, digits[:, column]]
        digits[:, CODE_DIGITS - 1] = interim
        text = (digits.astype(np.uint8) + ord("0")).tobytes().decode("ascii")
        return [text[i : i + CODE_DIGITS] for i in range(0, len(text), CODE_DIGITS)]


@functools.lru_cache(maxsize=8)
def codec(key: CodeKey) -> Codec:
    """The key's Codec, kept for the process: its round table fills as codes are made and checked."""
    return Codec(key)


def _round(key: CodeKey, i: int, half: int) -> int:
    return _round_value(hashlib.blake2b(key=key.perm_key, digest_size=8), i, half)


def _feistel(key: CodeKey, x: int) -> int:
    return codec(key)._forward(x)  # noqa: SLF001 - the one implementation


def _feistel_inverse(key: CodeKey, y: int) -> int:
    return codec(key)._inverse(y)  # noqa: SLF001 - the one implementation


def hide_serial(key: CodeKey, serial: int) -> int:
    """The 9-digit public number for ``serial`` (a keyed permutation of [0, 10^9))."""
    return codec(key).hide(serial)


def reveal_serial(key: CodeKey, public: int) -> int:
    """Inverse of :func:`hide_serial`."""
    return codec(key).reveal(public)


def mac_digits(key: CodeKey, public: int) -> str:
    """The 10 MAC digits for the 9-digit public part."""
    return codec(key).mac(public)


def make_code(key: CodeKey, serial: int) -> str:
    """The 20-digit code for ``serial``."""
    return codec(key).code(serial)


def iter_codes(key: CodeKey, serials: Iterable[int], chunk: int = 50_000) -> Iterator[tuple[int, str]]:
    """(serial, code) for each serial, computed a chunk at a time so a million codes never sit in memory."""
    coder = codec(key)
    batch: list[int] = []
    for serial in serials:
        batch.append(serial)
        if len(batch) == chunk:
            yield from zip(batch, coder.codes(batch), strict=True)
            batch = []
    yield from zip(batch, coder.codes(batch), strict=True)


def group(code: str) -> str:
    """The code in groups of four, as printed: ``1234 5678 9012 3456 7890``."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(text: str) -> str:
    """Strip the spaces and dashes people type; reject anything else that is not a digit."""
    cleaned = re.sub(r"[\s\-\u2010-\u2015\u3000]", "", text)
    if not cleaned:
        raise CodeError("code.empty")
    bad = sorted(set(re.sub(r"[0-9]", "", cleaned)))
    if bad:
        raise CodeError("code.bad_chars", chars="".join(bad)[:10])
    return cleaned


def damm_ok(digits: str) -> bool:
    """True when the Damm checksum over ``digits`` (check digit included) is zero."""
    return check_digit_ok(digits)


def _mac_ok(key: CodeKey, digits: str) -> bool:
    return codec(key).mac_ok(digits)


def _genuine(key: CodeKey, digits: str) -> bool:
    return damm_ok(digits) and _mac_ok(key, digits)


def typo_candidates(
    key: CodeKey, digits: str, known: Callable[[int], bool] | None = None
) -> list[tuple[str, list[int]]]:
    """Genuine codes one typo away from ``digits``: one digit changed or two neighbours swapped.

    Returns (code, 1-based positions that differ). Knowing the key makes this precise: a random near-miss
    passes the MAC with probability 10^-10, so a hit is almost surely what was meant. With ``known``, only codes
    whose serial was issued are offered: a hint must never turn a guess into a genuine code that does not exist.
    """
    found: list[tuple[str, list[int]]] = []
    for i in range(len(digits)):
        for d in "0123456789":
            if d != digits[i]:
                cand = digits[:i] + d + digits[i + 1 :]
                if _genuine(key, cand) and _issued(key, cand, known):
                    found.append((cand, [i + 1]))
    for i in range(len(digits) - 1):
        if digits[i] != digits[i + 1]:
            cand = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :]
            if _genuine(key, cand) and _issued(key, cand, known):
                found.append((cand, [i + 1, i + 2]))
    return found


def _issued(key: CodeKey, digits: str, known: Callable[[int], bool] | None) -> bool:
    return known is None or known(reveal_serial(key, int(digits[:SERIAL_DIGITS])))


def parse_code(key: CodeKey, text: str, known: Callable[[int], bool] | None = None) -> int:
    """The serial of a typed or scanned code, or CodeError saying exactly what is wrong with it.

    Checks, in order: characters, length, Damm check digit (with a hint at the likely typo), MAC.
    It does not consult the ledger; an unknown serial is the caller's check.
    """
    digits = normalise(text)
    if len(digits) != CODE_DIGITS:
        raise CodeError("code.bad_length", n=len(digits))
    if not damm_ok(digits):
        candidates = typo_candidates(key, digits, known)
        if len(candidates) == 1:
            code, positions = candidates[0]
            hint = _hint(positions, group(code))
        else:
            from station.texts import t

            hint = t("code.bad_check_nohint")
        raise CodeError("code.bad_check", hint=hint)
    if not _mac_ok(key, digits):
        raise CodeError("code.bad_mac")
    return reveal_serial(key, int(digits[:SERIAL_DIGITS]))


def _hint(positions: list[int], suggestion: str) -> str:
    from station.texts import t

    return t("code.bad_check_hint", positions="、".join(str(p) for p in positions), suggestion=suggestion)


# --- QR payloads ------------------------------------------------------------------------------------


def gtin14(text: str) -> str:
    """A GTIN-8/12/13/14 validated by its GS1 check digit and padded to 14 digits (python-stdnum's EAN takes
    exactly those four lengths)."""
    try:
        number = ean.validate(text.strip())
    except ValidationError as err:
        raise CodeError("code.gtin_bad", gtin=text, reason=number_reason(err)) from err
    return number.zfill(14)


def number_reason(err: ValidationError) -> str:
    """Why python-stdnum refused a number (format, length, check digit, a part), in the clerk's language."""
    from station.texts import TEXTS, t

    key = f"number.{type(err).__name__}"
    return t(key) if key in TEXTS else str(err)


GS1_CSET82 = frozenset("!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz")


def check_lot(lot: str) -> str:
    """A lot number fit for GS1 AI 10: 1-20 characters of GS1's 82-character set (no spaces, no Chinese)."""
    if not 1 <= len(lot) <= 20 or any(c not in GS1_CSET82 for c in lot):
        raise CodeError("code.lot_bad", lot=lot)
    return lot


def payload(base_url: str, code: str, gtin: str | None = None, lot: str | None = None) -> str:
    """The URL a label's QR carries: ``<base>/<code>`` or the GS1 Digital Link form when there is a GTIN."""
    if not gtin:
        return f"{base_url}/{code}"
    path = f"/01/{gtin}"
    if lot:
        path += f"/10/{quote(lot, safe='')}"
    return f"{base_url}{path}/21/{code}"
