"""承诺达标合格证 in the SQL ledger: each certificate issued for a lot, numbered, with its time, operator, station
and printer, and its event (``certificate.issued``) in the audit chain."""

from __future__ import annotations

from typing import Any, cast

from station.errors import RegistryError
from station.ledger.base import Actor, utc_now
from station.ledger.rows import Certificate

NUMBER_PREFIX = "HG"  # 合格


def certificate_number(n: int) -> str:
    """The n-th certificate's number: HG, 8 digits, and a Damm check digit that catches any one mistyped digit and
    any two swapped neighbours (HG000000019)."""
    from station.codes import check_digit_ok

    body = f"{n:08d}"
    return NUMBER_PREFIX + next(body + d for d in "0123456789" if check_digit_ok(body + d))


class CertificateTables:
    """Mixed into SqlLedger: certificates issued per lot."""

    # provided by SqlLedger
    actor: Actor
    _db: Any
    transaction: Any
    append_event: Any
    _one: Any
    _insert: Any
    lot: Any

    def add_certificate(self, lot_id: int, printer: str) -> Certificate:
        """Record the next certificate of a lot (numbered in the ledger's order), with its event; the row."""
        with self.transaction():
            lot = self.lot(lot_id)
            n = int(self._one("SELECT COUNT(*) FROM certificates")[0]) + 1
            number = certificate_number(n)
            at = utc_now()
            cid: int = self._insert(
                "INSERT INTO certificates (lot_id, number, at, operator, station, printer) VALUES (?, ?, ?, ?, ?, ?)",
                (lot_id, number, at, self.actor.operator, self.actor.station, printer),
            )
            self.append_event(
                "certificate.issued",
                {"certificate": cid, "lot": lot_id, "number": number, "printer": printer},
                enterprise_id=lot["enterprise_id"],
                product_id=lot["product_id"],
            )
        return self.certificate(number)

    def certificate(self, number: str) -> Certificate:
        """One certificate by its number; RegistryError when no certificate has it."""
        row = self._one("SELECT * FROM certificates WHERE number = ?", (number,))
        if row is None:
            raise RegistryError("certificate.unknown", number=number)
        return cast(Certificate, dict(row))

    def certificates(self, lot_id: int | None = None) -> list[Certificate]:
        """Certificates in the order they were issued, all or of one lot."""
        sql = "SELECT * FROM certificates" + (" WHERE lot_id = ?" if lot_id is not None else "") + " ORDER BY id"
        params = (lot_id,) if lot_id is not None else ()
        return [cast(Certificate, dict(r)) for r in self._db.execute(sql, params).fetchall()]
