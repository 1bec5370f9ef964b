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

import hashlib
import hmac
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from stdnum import damm, ean
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


def load_key_file(path: Path) -> CodeKey:
    """Read the secret written by :func:`create_key_file`."""
    try:
        st = path.stat()
        text = path.read_text(encoding="ascii").strip()
    except FileNotFoundError as err:
        raise ConfigError("config.key_missing", path=str(path)) from err
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError("config.key_bad", path=str(path)) from err
    if st.st_mode & 0o077:
        raise ConfigError("config.key_mode", path=str(path), mode=oct(st.st_mode & 0o777))
    if not re.fullmatch(r"[0-9a-f]{64}", text):
        raise ConfigError("config.key_bad", path=str(path))
    return CodeKey.from_secret(bytes.fromhex(text))


# --- the serial permutation -------------------------------------------------------------------------


def _round(key: CodeKey, i: int, half: int) -> int:
    digest = hashlib.blake2b(half.to_bytes(4, "big") + bytes((i,)), key=key.perm_key, digest_size=8).digest()
    return int.from_bytes(digest, "big") % _HALF


def _feistel(key: CodeKey, x: int) -> int:
    left, right = divmod(x, _HALF)
    for i in range(_ROUNDS):
        left, right = right, (left + _round(key, i, right)) % _HALF
    return left * _HALF + right


def _feistel_inverse(key: CodeKey, y: int) -> int:
    left, right = divmod(y, _HALF)
    for i in reversed(range(_ROUNDS)):
        left, right = (right - _round(key, i, left)) % _HALF, left
    return left * _HALF + right


def hide_serial(key: CodeKey, serial: int) -> int:
    """The 9-digit public number for ``serial`` (a keyed permutation of [0, 10^9))."""
    if not 0 <= serial < SERIAL_LIMIT:
        raise ValueError(f"serial {serial} outside 0..{SERIAL_LIMIT - 1}")
    value = _feistel(key, serial)
    while value >= SERIAL_LIMIT:  # cycle walking keeps the permutation inside [0, 10^9)
        value = _feistel(key, value)
    return value


def reveal_serial(key: CodeKey, public: int) -> int:
    """Inverse of :func:`hide_serial`."""
    value = _feistel_inverse(key, public)
    while value >= SERIAL_LIMIT:
        value = _feistel_inverse(key, value)
    return value


# --- MAC and check digit ----------------------------------------------------------------------------


def mac_digits(key: CodeKey, public: int) -> str:
    """The 10 MAC digits for the 9-digit public part."""
    digest = hashlib.blake2b(f"{public:09d}".encode(), key=key.mac_key, digest_size=8).digest()
    return f"{int.from_bytes(digest, 'big') % _MAC_MOD:010d}"


def make_code(key: CodeKey, serial: int) -> str:
    """The 20-digit code for ``serial``."""
    public = hide_serial(key, serial)
    body = f"{public:09d}{mac_digits(key, public)}"
    return body + damm.calc_check_digit(body)


def iter_codes(key: CodeKey, serials: Iterable[int]) -> Iterator[tuple[int, str]]:
    """(serial, code) for each serial, computed lazily so a million codes never sit in memory."""
    for serial in serials:
        yield serial, make_code(key, serial)


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
    return damm.checksum(digits) == 0


def _mac_ok(key: CodeKey, digits: str) -> bool:
    public = int(digits[:SERIAL_DIGITS])
    return hmac.compare_digest(mac_digits(key, public), digits[SERIAL_DIGITS : SERIAL_DIGITS + MAC_DIGITS])


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
    """A GTIN-8/12/13/14 validated by its GS1 check digit and padded to 14 digits."""
    try:
        number = ean.validate(text.strip())
    except ValidationError as err:
        raise CodeError("code.gtin_bad", gtin=text, reason=str(err)) from err
    if len(number) not in (8, 12, 13, 14):
        raise CodeError("code.gtin_bad", gtin=text, reason="GTIN-8, -12, -13 or -14 expected")
    return number.zfill(14)


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
