"""QR symbols for payloads: always full QR (never Micro QR), byte mode, UTF-8 with ECI when not ASCII.

Symbols are made by ``segno.make_qr``. segno picks the data mask by scoring all eight candidates in pure
Python, which is 85 % of its time; here the same ISO/IEC 18004 §7.8.3 scores are computed for all eight masks
at once with numpy, and segno is given the winner. The symbol is module for module the one segno would choose
by itself (a test checks this over thousands of payloads). This leans on segno's encoder module, which is why
segno's version is pinned.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import segno
from segno import encoder as _enc

_ERROR_LEVELS = segno.consts.ERROR_MAPPING
_N3 = np.array([1, 0, 1, 1, 1, 0, 1], dtype=np.int16)


@dataclass(frozen=True)
class Symbol:
    """A QR symbol: its module matrix (True = dark) and parameters."""

    data: str
    matrix: np.ndarray  # bool, modules × modules, no quiet zone
    version: int
    error: str  # "L", "M", "Q" or "H"
    mask: int

    @property
    def modules(self) -> int:
        """Width of the symbol in modules, quiet zone excluded."""
        return int(self.matrix.shape[0])


def _segno_kwargs(data: str, error: str) -> dict[str, object]:
    return {"error": error, "mode": "byte", "encoding": "utf-8", "eci": not data.isascii(), "boost_error": False}


def make_segno(data: str, error: str = "m") -> segno.QRCode:
    """The symbol exactly as ``segno.make_qr`` makes it with the station's settings (slow mask choice)."""
    return segno.make_qr(data, **_segno_kwargs(data, error))  # type: ignore[arg-type]


@lru_cache(maxsize=64)
def _layout(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(encoding-region mask, raw function-pattern values, the eight mask patterns) for a symbol size."""
    raw = _enc.make_matrix(size, size)
    _enc.add_finder_patterns(raw, size, size)
    _enc.add_alignment_patterns(raw, size, size)
    function = np.array([list(row) for row in raw], dtype=np.int16)
    region_test = function.copy()
    region_test[-8, 8] = 1  # the dark module is not data, as in segno
    region = region_test > 1
    i, j = np.indices((size, size))
    patterns = np.stack([np.asarray(f(i, j), dtype=bool) for f in _enc.get_data_mask_functions(False)])
    return region, function, patterns


def _runs_penalty(lines: np.ndarray) -> np.ndarray:
    """N1 per mask: every run of 5 + k equal modules in a row scores 3 + k. ``lines``: (masks, lines, n)."""
    masks, count, n = lines.shape
    change = np.ones((masks, count, n + 1), dtype=bool)
    change[:, :, 1:n] = lines[:, :, 1:] != lines[:, :, :-1]
    score = np.zeros(masks, dtype=np.int64)
    m_idx, l_idx, pos = np.nonzero(change)
    flat = m_idx * count + l_idx
    lengths = np.diff(pos)
    same_line = flat[1:] == flat[:-1]
    lengths = lengths[same_line]
    owners = m_idx[1:][same_line]
    long_runs = lengths >= 5
    np.add.at(score, owners[long_runs], lengths[long_runs] - 2)
    return score


def _finder_like_penalty(lines: np.ndarray) -> np.ndarray:
    """N3 per mask: 40 for each 1:1:3:1:1 pattern with 4 light modules on one side, scanned like segno.

    segno scans each line left to right and, after a counted match, resumes 7 modules on (else 4), so a match
    overlapping a counted one is not counted; lines with such close matches are replayed one by one.
    """
    masks, count, n = lines.shape
    windows = np.lib.stride_tricks.sliding_window_view(lines, 7, axis=2)
    m_idx, l_idx, pos = np.nonzero((windows == _N3).all(axis=3))
    score = np.zeros(masks, dtype=np.int64)
    if pos.size == 0:
        return score
    cumulative = np.zeros((masks, count, n + 1), dtype=np.int32)
    np.cumsum(lines, axis=2, out=cumulative[:, :, 1:])
    before = cumulative[m_idx, l_idx, pos] - cumulative[m_idx, l_idx, np.maximum(pos - 4, 0)]
    after = cumulative[m_idx, l_idx, np.minimum(pos + 11, n)] - cumulative[m_idx, l_idx, pos + 7]
    counted = (pos == 0) | (pos == n - 7) | (before == 0) | (after == 0)
    line_key = m_idx * count + l_idx
    close = np.zeros(pos.size, dtype=bool)
    close[1:] = (line_key[1:] == line_key[:-1]) & (pos[1:] - pos[:-1] < 7)
    replay = np.isin(line_key, line_key[close])
    np.add.at(score, m_idx[counted & ~replay], 40)
    for key in np.unique(line_key[replay]):
        resume = 0
        for k in np.flatnonzero(line_key == key):
            if pos[k] < resume:
                continue
            if counted[k]:
                score[m_idx[k]] += 40
                resume = pos[k] + 7
            else:
                resume = pos[k] + 4
    return score


def best_mask(final: np.ndarray, mask: int) -> tuple[int, np.ndarray]:
    """The mask segno would choose for this symbol, and the data modules unmasked.

    ``final`` is a finished symbol masked with ``mask``; scores follow ISO/IEC 18004 §7.8.3 on the matrix
    before format and version information are written (format/version areas read as light).
    """
    size = final.shape[0]
    region, function, patterns = _layout(size)
    data = final.astype(bool) ^ (patterns[mask] & region)
    candidates = np.where(region, data ^ patterns, function).astype(np.int16)  # (8, n, n)
    cols = candidates.transpose(0, 2, 1)
    n1 = _runs_penalty(candidates) + _runs_penalty(cols)
    same = (candidates[:, 1:, 1:] == candidates[:, 1:, :-1]) & (candidates[:, 1:, 1:] == candidates[:, :-1, 1:])
    same &= candidates[:, 1:, 1:] == candidates[:, :-1, :-1]
    n2 = 3 * same.sum(axis=(1, 2))
    n3 = _finder_like_penalty(candidates) + _finder_like_penalty(cols)
    dark = candidates.sum(axis=(1, 2)) / (size * size)
    n4 = 10 * (np.abs(dark * 100 - 50) / 5).astype(np.int64)
    total = n1 + n2 + n3 + n4
    return int(np.argmin(total)), data


@lru_cache(maxsize=512)
def make_symbol(data: str, error: str = "m") -> Symbol:
    """The QR symbol for ``data``: full QR, byte mode, UTF-8 (ECI when not ASCII), best mask.

    Cached: the label renderer and the verifier of the same label ask for the same symbol.
    """
    first = segno.make_qr(data, mask=0, **_segno_kwargs(data, error))  # type: ignore[arg-type]
    matrix = np.array([list(row) for row in first.matrix], dtype=bool)
    chosen, unmasked = best_mask(matrix, 0)
    level = str(first.error).upper()
    if chosen != 0:
        region, _function, patterns = _layout(matrix.shape[0])
        rows = [bytearray(r) for r in np.where(region, unmasked ^ patterns[chosen], matrix).astype(np.uint8)]
        _enc.add_format_info(rows, first.version, _ERROR_LEVELS[level], chosen)
        matrix = np.array([list(row) for row in rows], dtype=bool)
    return Symbol(data=data, matrix=matrix, version=int(first.version), error=level, mask=chosen)
