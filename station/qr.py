"""QR symbols for payloads: always full QR (never Micro QR), byte mode, UTF-8 with ECI when not ASCII.

The station encodes symbols itself, with numpy: data codewords are built as one integer, Reed–Solomon
correction comes from per-position tables (the remainder is linear in the data, so each block's correction
codewords are the XOR of one table row per data byte), codewords go into the matrix through a precomputed
placement order, and the ISO/IEC 18004 §7.8.3 penalty scores of all eight masks are computed at once.

Symbols are module for module the ones ``segno.make_qr`` makes with the same settings (data, error level,
version and mask; segno's own way of padding a bit stream that already ends on a codeword boundary included);
a test compares them over many payloads, every error level, forced versions and masks. segno's tables of
block sizes and capacities are used, which is why segno's version is pinned; the verifier's codeword map uses
the same tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import numpy as np
import segno
from segno import consts
from segno import encoder as _enc

_ERROR_LEVELS = segno.consts.ERROR_MAPPING  # also the two error-level bits of the format information
_N3 = np.array([1, 0, 1, 1, 1, 0, 1], dtype=np.int16)
_ECI_UTF8 = 26  # ECI assignment number of UTF-8
_PAD = (0xEC, 0x11)


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


def make_segno(data: str, error: str = "m", version: int | None = None, mask: int | None = None) -> segno.QRCode:
    """The symbol exactly as ``segno.make_qr`` makes it with the station's settings (slow, pure Python)."""
    return segno.make_qr(data, version=version, mask=mask, **_segno_kwargs(data, error))  # type: ignore[arg-type]


# --- layout of a symbol size ------------------------------------------------------------------------


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


@lru_cache(maxsize=64)
def _placement(size: int) -> tuple[np.ndarray, np.ndarray]:
    """(rows, columns) of the encoding region in the order bits are placed: two-module columns, alternately
    upwards and downwards from the right, the vertical timing pattern's column skipped (ISO/IEC 18004 §7.7.3)."""
    region = _layout(size)[0]
    rows: list[int] = []
    cols: list[int] = []
    right = size - 1
    while right > 0:
        if right == 6:
            right -= 1
        upwards = ((right + 1) & 2) == 0
        for vertical in range(size):
            row = size - 1 - vertical if upwards else vertical
            for col in (right, right - 1):
                if region[row, col]:
                    rows.append(row)
                    cols.append(col)
        right -= 2
    return np.array(rows, dtype=np.intp), np.array(cols, dtype=np.intp)


def _bch(value: int, generator: int, degree: int) -> int:
    """``value`` followed by its BCH remainder over ``generator`` (of ``degree``)."""
    remainder = value << degree
    top = generator.bit_length() - 1
    for shift in range(remainder.bit_length() - 1, top - 1, -1):
        if remainder >> shift & 1:
            remainder ^= generator << (shift - top)
    return (value << degree) | remainder


@lru_cache(maxsize=64)
def _info_places(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Where format information bits go (rows, columns, bit number) and version information bits go."""
    f_rows, f_cols, f_bits = [], [], []
    for i in range(8):
        skip = i if i < 6 else i + 1  # the timing pattern is stepped over
        f_rows += [skip, 8, 8, size - 1 - i]
        f_cols += [8, skip, size - 1 - i, 8]
        f_bits += [i, 14 - i, i, 14 - i]
    v_rows, v_cols, v_bits = [], [], []
    if size >= 45:
        for i in range(6):
            for k in range(3):
                v_rows += [size - 11 + k, i]
                v_cols += [i, size - 11 + k]
                v_bits += [i * 3 + k, i * 3 + k]
    arrays = (f_rows, f_cols, f_bits, v_rows, v_cols, v_bits)
    return tuple(np.array(a, dtype=np.intp) for a in arrays)  # type: ignore[return-value]


# --- Reed–Solomon ---------------------------------------------------------------------------------


def _gf_tables() -> tuple[np.ndarray, np.ndarray]:
    exp = np.zeros(512, dtype=np.int32)
    log = np.zeros(256, dtype=np.int32)
    x = 1
    for i in range(255):
        exp[i] = x
        log[x] = i
        x <<= 1
        if x & 0x100:
            x ^= 0x11D
    exp[255:510] = exp[:255]
    return exp, log


_EXP, _LOG = _gf_tables()
_MAX_BLOCK_DATA = 123  # the most data codewords any block of any version holds


def _gf_mul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where((a > 0) & (b > 0), _EXP[_LOG[a] + _LOG[b]], 0)


@cache
def _rs_table(ec: int) -> np.ndarray:
    """(position, byte, ec) uint8: the correction codewords a data byte ``byte`` standing ``position`` places
    before a block's end contributes; a block's correction is the XOR of its bytes' rows."""
    generator = np.array([1], dtype=np.int32)
    for i in range(ec):  # (x - α^0)(x - α^1)…(x - α^(ec-1)), highest power first
        shifted = np.append(generator, 0)
        scaled = np.insert(_gf_mul(generator, np.full_like(generator, _EXP[i])), 0, 0)
        generator = shifted ^ scaled
    tail = generator[1:]
    powers = np.zeros((_MAX_BLOCK_DATA, ec), dtype=np.int32)
    current = tail.copy()  # x^ec mod g
    for j in range(_MAX_BLOCK_DATA):
        powers[j] = current
        lead = current[0]
        current = np.append(current[1:], 0)
        if lead:
            current ^= _gf_mul(tail, np.full_like(tail, lead))
    byte = np.arange(256, dtype=np.int32)[None, :, None]
    return _gf_mul(byte, powers[:, None, :]).astype(np.uint8)


@cache
def _blocks(version: int, level: str) -> tuple[tuple[int, int], ...]:
    """(data codewords, correction codewords) of each block, in order."""
    infos: Any = consts.ECC[version][_ERROR_LEVELS[level]]  # type: ignore[index]
    blocks: list[tuple[int, int]] = []
    for info in infos:
        blocks += [(info.num_data, info.num_total - info.num_data)] * info.num_blocks
    return tuple(blocks)


@cache
def _interleave(version: int, level: str) -> np.ndarray:
    """For each codeword of the final message, its index in (data codewords + correction codewords by block)."""
    blocks = _blocks(version, level)
    data_total = sum(d for d, _ in blocks)
    data_start = np.cumsum([0] + [d for d, _ in blocks])
    ec_start = data_total + np.cumsum([0] + [e for _, e in blocks])
    order = [data_start[b] + i for i in range(max(d for d, _ in blocks)) for b, (d, _) in enumerate(blocks) if i < d]
    order += [ec_start[b] + i for i in range(max(e for _, e in blocks)) for b, (_, e) in enumerate(blocks) if i < e]
    return np.array(order, dtype=np.intp)


# --- encoding ----------------------------------------------------------------------------------------


def _count_bits(version: int) -> int:
    return int(consts.CHAR_COUNT_INDICATOR_LENGTH[consts.MODE_BYTE][_enc.version_range(version)])


def _capacity(version: int, level: str) -> int:
    """Data bits the symbol holds."""
    table: Any = consts.SYMBOL_CAPACITY
    return int(table[version][_ERROR_LEVELS[level]])


def _fits(version: int, level: str, n_bytes: int, eci: bool) -> bool:
    need = 4 + _count_bits(version) + 8 * n_bytes + (12 if eci else 0)
    return _capacity(version, level) >= need


def _data_codewords(raw: bytes, eci: bool, version: int, level: str) -> bytes:
    """The data codewords: ECI header when asked, byte mode, count, data, terminator, padding, pad codewords."""
    capacity = _capacity(version, level)
    count_bits = _count_bits(version)
    value = consts.MODE_ECI << 8 | _ECI_UTF8 if eci else 0
    length = 12 if eci else 0
    value = ((value << 4 | consts.MODE_BYTE) << count_bits | len(raw)) << 8 * len(raw) | int.from_bytes(raw, "big")
    length += 4 + count_bits + 8 * len(raw)
    terminator = min(capacity - length, 4)
    padding = 8 - (length + terminator) % 8  # 8 when already on a boundary, as segno writes it
    value <<= terminator + padding
    length += terminator + padding
    words = value.to_bytes(length // 8, "big")[: capacity // 8]
    fill = capacity // 8 - len(words)
    return words + bytes(_PAD[i % 2] for i in range(fill))


def _final_message(words: bytes, version: int, level: str) -> np.ndarray:
    """Data and correction codewords, interleaved block by block (ISO/IEC 18004 §7.6), as uint8."""
    data = np.frombuffer(words, dtype=np.uint8)
    corrections = []
    start = 0
    for d, e in _blocks(version, level):
        table = _rs_table(e)
        block = data[start : start + d]
        corrections.append(np.bitwise_xor.reduce(table[np.arange(d - 1, -1, -1), block], axis=0))
        start += d
    return np.concatenate([data, *corrections])[_interleave(version, level)]


def _mask_scores(candidates: np.ndarray) -> np.ndarray:
    """The ISO/IEC 18004 §7.8.3 penalty of each candidate (masks, n, n), scored as segno scores them."""
    size = candidates.shape[1]
    lines = np.concatenate([candidates, candidates.transpose(0, 2, 1)], axis=1)  # rows, then columns
    n1 = _runs_penalty(lines)
    same = (candidates[:, 1:, 1:] == candidates[:, 1:, :-1]) & (candidates[:, 1:, 1:] == candidates[:, :-1, 1:])
    same &= candidates[:, 1:, 1:] == candidates[:, :-1, :-1]
    n2 = 3 * same.sum(axis=(1, 2))
    n3 = _finder_like_penalty(lines)
    dark = candidates.sum(axis=(1, 2)) / (size * size)
    n4 = 10 * (np.abs(dark * 100 - 50) / 5).astype(np.int64)
    return np.asarray(n1 + n2 + n3 + n4)


def _runs_penalty(lines: np.ndarray) -> np.ndarray:
    """N1 per mask: every run of 5 + k equal modules in a row scores 3 + k. ``lines``: (masks, lines, n).

    A run of length L ≥ 5 holds L - 4 windows of five equal modules, so it scores its windows plus 2 for its
    first window."""
    n = lines.shape[2]
    equal = lines[:, :, 1:] == lines[:, :, :-1]
    five = equal[:, :, : n - 4] & equal[:, :, 1 : n - 3] & equal[:, :, 2 : n - 2] & equal[:, :, 3 : n - 1]
    starts = five[:, :, 0].sum(axis=1) + (five[:, :, 1:] & ~equal[:, :, : n - 5]).sum(axis=(1, 2))
    return np.asarray(five.sum(axis=(1, 2)) + 2 * starts, dtype=np.int64)


_FINDER_AFTER_LIGHT = 0b00001011101  # 4 light modules, then dark-light-dark-dark-dark-light-dark
_FINDER_BEFORE_LIGHT = 0b10111010000


def _finder_like_penalty(lines: np.ndarray) -> np.ndarray:
    """N3 per mask: 40 for each 1:1:3:1:1 pattern with 4 light modules on one side, scanned like segno.

    Beyond a line's ends modules count as light (segno counts a pattern at either end). segno scans each line
    left to right and, after a counted match, resumes 7 modules on (else 4), so a match 4 or 6 modules after a
    counted one (the pattern overlaps itself only at those distances) is not counted. A skipped match never
    matters to the next one: a match with close neighbours on both sides has dark modules within 4 modules on
    both sides, so it is never counted.
    """
    masks, count, n = lines.shape
    padded = np.zeros((masks, count, n + 8), dtype=np.int16)
    padded[:, :, 4 : n + 4] = lines
    code = np.zeros((masks, count, n - 2), dtype=np.int16)  # 11 modules from each padded position
    for k in range(11):
        code |= padded[:, :, k : n - 2 + k] << (10 - k)
    m_idx, l_idx, pos = np.nonzero((code[:, :, : n - 6] & 0x7F) == 0b1011101)
    if pos.size == 0:
        return np.zeros(masks, dtype=np.int64)
    counted = (code[m_idx, l_idx, pos] == _FINDER_AFTER_LIGHT) | (code[m_idx, l_idx, pos + 4] == _FINDER_BEFORE_LIGHT)
    line_key = m_idx * count + l_idx
    skipped = np.zeros(pos.size, dtype=bool)
    skipped[1:] = (line_key[1:] == line_key[:-1]) & (pos[1:] - pos[:-1] < 7) & counted[:-1]
    return 40 * np.bincount(m_idx[counted & ~skipped], minlength=masks).astype(np.int64)


@lru_cache(maxsize=512)
def make_symbol(data: str, error: str = "m", version: int | None = None, mask: int | None = None) -> Symbol:
    """The QR symbol for ``data``: full QR, byte mode, UTF-8 (ECI when not ASCII), the smallest version that
    holds it at ``error`` and the mask of least penalty, unless ``version`` or ``mask`` is given.

    Raises ``segno.DataOverflowError`` (a ValueError) when the data does not fit, ValueError for a bad
    error level, version or mask. Cached: the label renderer and the verifier of one label ask for one symbol.
    """
    level = error.upper()
    if level not in _ERROR_LEVELS:
        raise ValueError(f"unknown error correction level {error!r}")
    if version is not None and not 1 <= version <= 40:
        raise ValueError(f"no QR version {version!r}")
    if mask is not None and not 0 <= mask <= 7:
        raise ValueError(f"no QR mask {mask!r}")
    raw = data.encode("utf-8")
    eci = not data.isascii()
    smallest = next((v for v in range(1, 41) if _fits(v, level, len(raw), eci)), None)
    if smallest is None or (version is not None and version < smallest):
        raise segno.DataOverflowError(f"{len(raw)} bytes do not fit a QR symbol at level {level}")
    version = version or smallest
    size = 17 + 4 * version
    region, function, patterns = _layout(size)
    rows, cols = _placement(size)
    bits = np.unpackbits(_final_message(_data_codewords(raw, eci, version, level), version, level)).astype(bool)
    unmasked = np.zeros((size, size), dtype=bool)
    unmasked[rows[: bits.size], cols[: bits.size]] = bits
    if mask is None:
        candidates = np.where(region, unmasked ^ patterns, function).astype(np.int16)
        mask = int(np.argmin(_mask_scores(candidates)))
    matrix = np.where(region, unmasked ^ patterns[mask], function > 0)
    f_rows, f_cols, f_bits, v_rows, v_cols, v_bits = _info_places(size)
    fmt = _bch(_ERROR_LEVELS[level] << 3 | mask, 0x537, 10) ^ 0x5412
    matrix[f_rows, f_cols] = (fmt >> f_bits) & 1
    matrix[size - 8, 8] = True  # the dark module
    if version >= 7:
        matrix[v_rows, v_cols] = (_bch(version, 0x1F25, 12) >> v_bits) & 1
    return Symbol(data=data, matrix=matrix, version=version, error=level, mask=mask)
