"""The fields a label template may bind to, and filling ``{field}`` placeholders.

Field names are declared here, once; a template naming any other field is rejected by ``station label check``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

# name -> (sample value used when checking templates, what it is)
FIELDS: dict[str, tuple[str, str]] = {
    "code": ("17806008427909203676", "the 20-digit code"),
    "code_grouped": ("1780 6008 4279 0920 3676", "the code in groups of four"),
    "payload": ("https://trace.example.org/01/06901234567892/10/MD20261101/21/17806008427909203676", "QR payload"),
    "serial": ("123456", "the code's serial"),
    "enterprise.name": ("牟定县彝乡腐乳食品有限公司", "producer name"),
    "enterprise.credit_code": ("91532323MA6N0FRU1E", "unified social credit code"),
    "enterprise.contact": ("0878-5211000", "contact"),
    "product.name": ("牟定腐乳", "product name"),
    "product.origin_code": ("532323101001", "origin code"),
    "product.shelf_life": ("180天", "shelf life with unit"),
    "product.shelf_life_days": ("180", "shelf life in days"),
    "product.certifications": ("地理标志、绿色食品、无公害农产品", "certifications, joined"),
    "product.gtin": ("06901234567892", "GTIN-14"),
    "lot.number": ("MD20261101", "lot number"),
    "lot.production_date": ("2026-11-01", "production date"),
    "lot.quantity": ("500克", "quantity or weight"),
    "lot.basis": ("委托检测", "basis of the commitment: 质量控制, 自行检测 or 委托检测"),
    "lot.best_before": ("2027-04-30", "best-before date: production date + shelf life"),
    "lot.status": ("", "放行前印制 when printed before the lot's release, else empty"),
    "order.id": ("12", "order id"),
    "order.count": ("5000", "codes in the order"),
    "roll.id": ("R00001200035", "roll id"),
    "roll.first": ("1780 6008 4279 0920 3676", "first code of the roll"),
    "roll.last": ("4616 8859 5400 8255 1383", "last code of the roll"),
    "roll.count": ("500", "labels on the roll"),
    "roll.mark": ("补打", "补打 on a reprinted roll label, else empty"),
    "print.date": ("2026-11-29", "print date"),
    "print.station": ("MD-01", "station id"),
    "slip.id": ("P000031", "pickup slip number"),
    "slip.operator": ("张三", "office clerk"),
    "slip.receiver": ("李四", "enterprise representative"),
    "slip.total": ("1500", "labels handed over"),
    "slip.rolls": ("3", "rolls handed over"),
    "reprint.at": ("2026-12-02 15:12", "when a roll header or pickup slip was printed again (补打)"),
    "reprint.reason": ("原单遗失", "why it was printed again"),
    "product.origin_place": ("牟定县新桥镇", "origin place: county and township named by the origin code"),
    "product.origin_place_full": ("云南省楚雄彝族自治州牟定县新桥镇", "origin place from the province down"),
    "certificate.number": ("HG000000127", "承诺达标合格证 number"),
    "certificate.date": ("2026-11-29", "the certificate's date of issue"),
    "lot.note": ("规格 500克 放行前印制", "lot's quantity (规格) and 放行前印制 before release"),
    "hidden": ("39270518", "the hidden code (暗码), 8 digits: only in a hidden element, under its scratch-off patch"),
    "hidden_grouped": ("3927 0518", "the hidden code in two groups of four: only in a hidden element"),
}

# Fields of the hidden code: printed only inside a hidden element (station.hidden), never in a QR or other text.
HIDDEN_FIELDS = frozenset({"hidden", "hidden_grouped"})

# Fields of each row in a list element (pickup slip rows).
ROW_FIELDS: dict[str, tuple[str, str]] = {
    "row.n": ("3", "row number"),
    "row.roll": ("R0000120003", "roll id"),
    "row.product": ("牟定腐乳", "product"),
    "row.count": ("500", "labels"),
    "row.first": ("1780 6008 4279 0920 3676", "first code"),
    "row.last": ("4616 8859 5400 8255 1383", "last code"),
}

LISTS = ("slip.rows",)

# Fields that differ on every label of a roll; elements using them are drawn per label.
PER_LABEL_FIELDS = frozenset({"code", "code_grouped", "payload", "serial", "hidden", "hidden_grouped"})

_PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([a-z_]+(?:\.[a-z_]+)?)\}")


def fields_in(template: str) -> list[str]:
    """Field names used by a template string."""
    return [m.group(1) for m in _PLACEHOLDER.finditer(template) if m.group(1)]


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace ``{field}`` with its value (missing values become empty); ``{{`` and ``}}`` are braces."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return match.group(0)[0]
        return values.get(name, "")

    return _PLACEHOLDER.sub(repl, template)


def sample_values() -> dict[str, str]:
    """Representative values for every field, used to check templates."""
    values = {name: sample for name, (sample, _) in FIELDS.items()}
    values.update({name: sample for name, (sample, _) in ROW_FIELDS.items()})
    return values


def sample_rows(n: int = 3) -> list[dict[str, str]]:
    """Rows for a list element when checking templates."""
    return [{**{k: v for k, (v, _) in ROW_FIELDS.items()}, "row.n": str(i + 1)} for i in range(n)]
