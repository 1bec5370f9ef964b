"""Where each codeword of a QR symbol lies, and which Reed–Solomon block it belongs to.

Knowing the expected symbol makes unused error correction exact: modules read wrong are mapped to their
codewords by the ISO/IEC 18004 §7.7.3 placement order, and codeword errors are counted per block. Block sizes
come from segno's tables (segno is pinned for this reason).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
from segno import consts

from station.qr import _ERROR_LEVELS, _layout

# ISO/IEC 18004 Table 9: codewords reserved for misdecode protection (versions 1-3 only).
MISDECODE_PROTECTION = {(1, "L"): 3, (1, "M"): 2, (1, "Q"): 1, (1, "H"): 1, (2, "L"): 2, (3, "L"): 1}


@dataclass(frozen=True)
class CodewordMap:
    """For one version and error level: module positions of every codeword and its block."""

    size: int
    modules: np.ndarray  # (codewords, 8, 2) row, column of each bit, most significant first
    block: np.ndarray  # (codewords,) block index of each codeword
    ec_per_block: np.ndarray  # (blocks,) error-correction codewords d
    protection: int  # p

    def codeword_errors(self, wrong: np.ndarray) -> np.ndarray:
        """Per codeword: True when any of its modules is in ``wrong`` (a bool module matrix)."""
        rows, cols = self.modules[..., 0], self.modules[..., 1]
        return np.asarray(wrong[rows, cols].any(axis=1))

    def uec(self, errors: np.ndarray, erasures: np.ndarray | None = None) -> float:
        """Unused error correction: min over blocks of 1 - (2e + E) / (d - p), at least 0."""
        e = np.bincount(self.block, weights=errors.astype(float), minlength=len(self.ec_per_block))
        big_e = (
            np.zeros_like(e)
            if erasures is None
            else np.bincount(self.block, weights=(erasures & ~errors).astype(float), minlength=len(e))
        )
        budget = self.ec_per_block - self.protection
        return float(max(0.0, np.min(1.0 - (2 * e + big_e) / budget)))

    def uec_each(self, errors: np.ndarray, erasures: np.ndarray) -> np.ndarray:
        """``uec(errors, row)`` for each row of ``erasures`` (bool, rows × codewords), in one pass."""
        blocks = len(self.ec_per_block)
        rows = erasures.shape[0]
        e = np.bincount(self.block, weights=errors.astype(float), minlength=blocks)
        keys = (self.block[None, :] + blocks * np.arange(rows)[:, None]).ravel()
        weights = (erasures & ~errors[None, :]).ravel().astype(float)
        big_e = np.bincount(keys, weights=weights, minlength=rows * blocks).reshape(rows, blocks)
        budget = self.ec_per_block - self.protection
        return np.asarray(np.maximum(0.0, np.min(1.0 - (2 * e + big_e) / budget, axis=1)))


def placement_order(size: int) -> np.ndarray:
    """(row, column) of every data/EC module in the order bits are placed (two-column zigzag, right to left)."""
    region, _function, _patterns = _layout(size)
    order = []
    right = size - 1
    while right > 0:
        if right == 6:  # the vertical timing pattern column is skipped
            right -= 1
        upwards = ((right + 1) & 2) == 0
        for vertical in range(size):
            row = size - 1 - vertical if upwards else vertical
            for col in (right, right - 1):
                if region[row, col]:
                    order.append((row, col))
        right -= 2
    return np.array(order, dtype=np.int32)


@lru_cache(maxsize=64)
def codeword_map(version: int, error: str) -> CodewordMap:
    """The codeword layout of a QR symbol of ``version`` and error level ``error`` ("L", "M", "Q", "H")."""
    size = 17 + 4 * version
    infos: Any = consts.ECC[version][_ERROR_LEVELS[error]]  # type: ignore[index]
    blocks: list[tuple[int, int]] = []  # (data codewords, ec codewords) per block
    for info in infos:
        blocks += [(info.num_data, info.num_total - info.num_data)] * info.num_blocks
    sequence: list[int] = []  # block index of each codeword in transmission order
    for i in range(max(d for d, _ in blocks)):
        sequence += [b for b, (d, _) in enumerate(blocks) if i < d]
    for i in range(max(e for _, e in blocks)):
        sequence += [b for b, (_, e) in enumerate(blocks) if i < e]
    order = placement_order(size)
    count = len(sequence)
    modules = order[: count * 8].reshape(count, 8, 2)
    return CodewordMap(
        size=size,
        modules=modules,
        block=np.array(sequence, dtype=np.int32),
        ec_per_block=np.array([e for _, e in blocks], dtype=float),
        protection=MISDECODE_PROTECTION.get((version, error), 0),
    )
