"""The hidden code (暗码): 8 digits printed under a scratch-off layer, which only the key's holder can compute.

A label's public code (明码: the 20 digits and the QR) can be photographed and copied; the hidden code is under a
scratch-off sticker until the buyer scratches it. It is HMAC-SHA256, keyed with a secret of its own (``hidden.key``
in the data directory, 0600, written like ``code.key``), over the 20-digit code, reduced mod 10^8. Neither the code
nor ``code.key`` tells anything about it; it is never in the QR, never in a spreadsheet export, and written out
only by :func:`export_hidden` for a scratch-off printing service, which the ledger records.

Why 8 digits: with the query service's limits (``[query] hidden_wrong_per_day`` wrong entries per code and day)
the chance of guessing one code's hidden code within a year is 365 × 5 / 10^8 ≈ 1.8 × 10^-5 (6 digits would be
1.8 × 10^-3); 8 digits still fit a 14 × 5 mm scratch-off patch and are typed in a few seconds. docs/code-format.md
has the figures.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, cast

from station.codes import KEY_BYTES, create_key_file, group, iter_codes
from station.errors import RegistryError, StationError, TemplateError
from station.home import HIDDEN_KEY_NAME

if TYPE_CHECKING:
    from station.home import Home
    from station.issue import IssueResult
    from station.labels.template import Template
    from station.ledger.hidden import HiddenTables

HIDDEN_DIGITS = 8
_HIDDEN_MOD = 10**HIDDEN_DIGITS


@dataclass(frozen=True)
class HiddenKey:
    """The secret the hidden codes are computed with, and a fingerprint that names it without revealing it."""

    mac_key: bytes
    fingerprint: str

    @classmethod
    def from_secret(cls, secret: bytes) -> HiddenKey:
        """Derive the MAC key and the fingerprint from the 32-byte secret."""
        if len(secret) != KEY_BYTES:
            raise ValueError("the hidden-code key secret must be 32 bytes")

        def derive(person: bytes, size: int = 32) -> bytes:
            return hashlib.blake2b(person, key=secret, person=person, digest_size=size).digest()

        return cls(mac_key=derive(b"ts-hidden-mac-1"), fingerprint=derive(b"ts-hidden-fpr-1", 8).hex())


def create_hidden_key(path: Path) -> None:
    """Write a new random secret to ``path`` (mode 0600 from creation); never overwrites one."""
    create_key_file(path)


def load_hidden_key(path: Path) -> HiddenKey:
    """Read the secret written by :func:`create_hidden_key`; a missing, open or malformed file is a ConfigError."""
    from station.codes import read_secret

    return HiddenKey.from_secret(read_secret(path, "hidden.key_missing"))


def hidden_code(key: HiddenKey, code: str) -> str:
    """The 8-digit hidden code of a 20-digit code."""
    digest = hmac.new(key.mac_key, b"ts-hidden-v1:" + code.encode("ascii"), hashlib.sha256).digest()
    return f"{int.from_bytes(digest, 'big') % _HIDDEN_MOD:0{HIDDEN_DIGITS}d}"


def hidden_ok(key: HiddenKey, code: str, typed: str) -> bool:
    """True when ``typed`` (spaces and dashes allowed) is the code's hidden code; compared in constant time."""
    digits = re.sub(r"[\s\-\u2010-\u2015\u3000]", "", typed)
    return hmac.compare_digest(hidden_code(key, code).encode(), digits.encode("utf-8", "replace"))


def hidden_grouped(hidden: str) -> str:
    """The hidden code as printed and typed: two groups of four."""
    return f"{hidden[:4]} {hidden[4:]}"


_KEYS: dict[tuple[Path, int, int], HiddenKey] = {}


def hidden_key(home: Home) -> HiddenKey:
    """The data directory's hidden-code key (``hidden.key``), read once per file; ConfigError when missing."""
    path = home.path / HIDDEN_KEY_NAME
    try:
        st = path.stat()
    except OSError:
        return load_hidden_key(path)  # says what is wrong
    found = _KEYS.get((path, st.st_ino, st.st_mtime_ns))
    if found is None:
        found = _KEYS[(path, st.st_ino, st.st_mtime_ns)] = load_hidden_key(path)
    return found


def hidden_tables(home: Home) -> HiddenTables:
    """The ledger's hidden-order methods (every SQL ledger has them)."""
    return cast("HiddenTables", home.ledger)


def order_hidden(home: Home, order_id: int) -> bool:
    """True when the order's labels carry a hidden code."""
    return hidden_tables(home).order_hidden(order_id)


def mark_hidden(home: Home, order_id: int) -> None:
    """Print this order's labels with a hidden code (before any of them is printed)."""
    home.ensure_hidden_key()
    hidden_tables(home).mark_order_hidden(order_id)


def issue_hidden(home: Home, enterprise_id: int, product_id: int, count: int, lot: str | None = None) -> IssueResult:
    """Issue an order whose labels carry a hidden code: the order and its mark commit together or not at all."""
    from station.issue import issue_codes

    home.ensure_hidden_key()
    with home.ledger.transaction():
        result = issue_codes(home, enterprise_id, product_id, count, lot)
        hidden_tables(home).mark_order_hidden(result.order)
    return result


def require_template_fits(home: Home, order_id: int, template: Template) -> None:
    """Refuse to print an order with hidden codes on a template without a hidden element, and the other way round:
    a roll carries a hidden code exactly when its order says so."""
    from station.labels.checks import has_hidden

    wanted = order_hidden(home, order_id)
    if wanted and not has_hidden(template):
        raise TemplateError("hidden.template_needed", order=order_id, template=template.name)
    if has_hidden(template) and not wanted:
        raise TemplateError("hidden.template_unwanted", order=order_id, template=template.name)
    if wanted:
        hidden_key(home)  # a missing key stops the run before anything prints


def hidden_values(home: Home, code: str) -> dict[str, str]:
    """The label fields of a code's hidden code: ``hidden`` and ``hidden_grouped``."""
    digits = hidden_code(hidden_key(home), code)
    return {"hidden": digits, "hidden_grouped": hidden_grouped(digits)}


# --- the one export: for a scratch-off printing service ----------------------------------------------------


@dataclass(frozen=True)
class HiddenExport:
    """What an export of hidden codes wrote: the order, how many codes, the file and its SHA-256, the event."""

    order: int
    count: int
    path: Path
    sha256: str
    event: int


def _rows(home: Home, order_id: int) -> Iterator[tuple[str, str, str]]:
    key = hidden_key(home)
    order = home.ledger.order(order_id)
    for first, last in order["ranges"]:
        for _serial, code in iter_codes(home.key, range(first, last + 1)):
            hidden = hidden_code(key, code)
            yield code, group(code), hidden_grouped(hidden)


def export_hidden(home: Home, order_id: int, out: Path, purpose: str) -> HiddenExport:
    """Write an order's codes with their hidden codes to ``out`` (CSV, mode 0600 from creation, written whole or
    not at all) for a scratch-off printing service, and record the export as a ``hidden.exported`` event.

    Only an order marked hidden is exported; ``purpose`` (who receives the file) is required and recorded."""
    purpose = purpose.strip()
    if not purpose:
        raise StationError("hidden.export_purpose")
    if not order_hidden(home, order_id):
        home.ledger.order(order_id)  # an unknown order is named as such
        raise RegistryError("hidden.not_hidden", order=order_id)
    if out.exists():
        raise StationError("hidden.export_exists", path=str(out))
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")
    count = 0
    digest = hashlib.sha256()
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(("code", "code_grouped", "hidden"))
            for row in _rows(home, order_id):
                writer.writerow(row)
                count += 1
            fh.flush()
            os.fsync(fh.fileno())
        digest.update(tmp.read_bytes())
        event = hidden_tables(home).record_hidden_export(
            order_id,
            {"count": count, "file": out.name, "sha256": digest.hexdigest(), "purpose": purpose},
        )
        os.link(tmp, out)  # never replaces a file of the same name
    except OSError as err:
        raise StationError("hidden.export_failed", path=str(out), reason=err.strerror or str(err)) from err
    finally:
        tmp.unlink(missing_ok=True)
    return HiddenExport(order_id, count, out, digest.hexdigest(), event)


# --- camera captures that may show hidden digits ---------------------------------------------------------


def prune_captures(home: Home, retention_h: float, now: float | None = None) -> list[Path]:
    """Delete the camera captures (reject pictures) of hidden orders' runs older than ``retention_h`` hours; the
    paths deleted. Captures of other orders are kept (they show nothing secret)."""
    root = home.path / "captures"
    if not root.is_dir():
        return []
    hidden = set(hidden_tables(home).hidden_order_ids())
    if not hidden:
        return []
    now = time.time() if now is None else now
    deleted: list[Path] = []
    for run_dir in sorted(root.glob("run-*")):
        run_order = _run_order(home, run_dir.name)
        if run_order is None or run_order not in hidden:
            continue
        for picture in sorted(run_dir.iterdir()):
            if picture.is_file() and now - picture.stat().st_mtime > retention_h * 3600:
                picture.unlink()
                deleted.append(picture)
    return deleted


def _run_order(home: Home, name: str) -> int | None:
    try:
        run_id = int(name.removeprefix("run-"))
    except ValueError:
        return None
    try:
        return int(home.ledger.run(run_id)["order_id"])
    except RegistryError:
        return None
