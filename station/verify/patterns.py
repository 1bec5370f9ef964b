"""The fixed patterns of a QR symbol: where they lie, what they should read, and the centres a grid is fitted to.

ISO/IEC 18004 places finder patterns with their separators in three corners, timing patterns along row and
column 6, alignment patterns from version 2 on, format information twice around the finders (with the dark
module beside the lower copy) and, from version 7 on, version information twice. Grading checks every one of
them as a segment of its own; the centres of the finder cores, the alignment patterns and the dark timing
modules are what the module grid is fitted to.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from segno import consts
from segno import encoder as _enc

from station.qr import _ERROR_LEVELS


def modules_of(version: int) -> int:
    """Width in modules of a symbol of ``version``."""
    return 17 + 4 * version


def alignment_centres(version: int) -> list[tuple[int, int]]:
    """(row, column) of the centre module of every alignment pattern of ``version``."""
    if version < 2:
        return []
    positions = consts.ALIGNMENT_POS[version - 2]
    n = modules_of(version)
    centres = []
    for r in positions:
        for c in positions:
            if (r < 9 and c < 9) or (r < 9 and c > n - 9) or (r > n - 9 and c < 9):
                continue  # where a finder pattern is
            centres.append((int(r), int(c)))
    return centres


@lru_cache(maxsize=64)
def segments(version: int) -> tuple[tuple[str, np.ndarray], ...]:
    """Module masks of each fixed-pattern segment: finders with separators, timing, every alignment pattern,
    both copies of the format information and, from version 7 on, both copies of the version information."""
    n = modules_of(version)
    found: list[tuple[str, np.ndarray]] = []

    def mask() -> np.ndarray:
        return np.zeros((n, n), dtype=bool)

    for name, (r, c) in (
        ("finder top-left", (0, 0)),
        ("finder top-right", (0, n - 8)),
        ("finder bottom-left", (n - 8, 0)),
    ):
        m = mask()
        m[r : r + 8, c : c + 8] = True
        found.append((name, m))
    timing = mask()
    timing[6, 8 : n - 8] = True
    timing[8 : n - 8, 6] = True
    found.append(("timing", timing))
    for r, c in alignment_centres(version):
        m = mask()
        m[r - 2 : r + 3, c - 2 : c + 3] = True
        found.append((f"alignment {r},{c}", m))
    first = mask()
    first[8, [0, 1, 2, 3, 4, 5, 7, 8]] = True
    first[[0, 1, 2, 3, 4, 5, 7], 8] = True
    found.append(("format top-left", first))
    second = mask()
    second[8, n - 8 :] = True
    second[n - 8 :, 8] = True  # the lower copy's seven bits and the dark module above them
    found.append(("format other", second))
    if version >= 7:
        upper = mask()
        upper[0:6, n - 11 : n - 8] = True
        lower = mask()
        lower[n - 11 : n - 8, 0:6] = True
        found += [("version top-right", upper), ("version bottom-left", lower)]
    return tuple(found)


@lru_cache(maxsize=256)
def fixed_matrix(version: int, error: str | None, mask: int | None) -> tuple[np.ndarray, np.ndarray]:
    """(dark, known): what each fixed module of a symbol should read (True = dark) and which modules are known.

    Finders, separators, timing, alignment, the dark module and version information follow from the version;
    the format information also needs the error level and the mask, and is left unknown without them.
    """
    n = modules_of(version)
    raw = _enc.make_matrix(n, n)
    _enc.add_finder_patterns(raw, n, n)
    _enc.add_alignment_patterns(raw, n, n)
    _enc.add_version_info(raw, version)
    raw[-8][8] = 1  # the dark module
    known_format = error is not None and mask is not None
    if known_format:
        _enc.add_format_info(raw, version, _ERROR_LEVELS[str(error).upper()], int(mask))  # type: ignore[arg-type]
    values = np.array([list(row) for row in raw], dtype=np.int16)
    known = values <= 1
    if not known_format:
        for name, m in segments(version):
            if name.startswith("format"):
                known &= ~m
        known[n - 8, 8] = True
    return values == 1, known


@dataclass(frozen=True)
class Features:
    """The fixed-pattern centres a module grid is fitted to, in module coordinates (column, row)."""

    points: np.ndarray  # (k, 2) centres measured in both directions: finder cores and alignment patterns
    radii: np.ndarray  # (k,) half the square window each is measured in, in modules
    across: np.ndarray  # (m, 2) dark timing modules of row 6: measured along the row only
    down: np.ndarray  # (m', 2) dark timing modules of column 6: measured down the column only


@lru_cache(maxsize=64)
def features(version: int) -> Features:
    """Where the measured centres of ``version`` should be on a perfect grid."""
    n = modules_of(version)
    points = [(3.5, 3.5), (n - 3.5, 3.5), (3.5, n - 3.5)]
    radii = [2.0, 2.0, 2.0]  # the 3 × 3 core and half its light ring, whole for a core up to half a module off
    for r, c in alignment_centres(version):
        points.append((c + 0.5, r + 0.5))
        radii.append(1.0)  # the centre module and half its light ring
    dark = np.arange(8, n - 8, 2) + 0.5
    return Features(
        points=np.array(points, dtype=np.float64),
        radii=np.array(radii, dtype=np.float64),
        across=np.stack([dark, np.full_like(dark, 6.5)], axis=1),
        down=np.stack([np.full_like(dark, 6.5), dark], axis=1),
    )
