"""The station's QR encoder makes, module for module, the symbols segno makes with the same settings.

The verifier rebuilds the expected symbol of a label through ``station.qr.make_symbol``; labels printed before
the encoder was the station's own were made by segno, so both must agree on data, error level, version and mask.
"""

from __future__ import annotations

import numpy as np
import pytest
import segno
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from station.qr import make_segno, make_symbol

LEVELS = ("l", "m", "q", "h")
ALPHABET = st.sampled_from("abcXYZ0189/:.-_%? 牟定腐乳核桃花椒ü✓\x00\x7f")


def _segno_matrix(code: segno.QRCode) -> np.ndarray:
    return np.array([list(row) for row in code.matrix], dtype=bool)


def _same(data: str, error: str, version: int | None = None, mask: int | None = None) -> None:
    ours = make_symbol.__wrapped__(data, error, version, mask)  # type: ignore[attr-defined]
    theirs = make_segno(data, error, version, mask)
    assert (ours.version, ours.error, ours.mask) == (theirs.version, theirs.error, theirs.mask)
    assert np.array_equal(ours.matrix, _segno_matrix(theirs)), (data, error, version, mask)


@settings(max_examples=300, deadline=None)
@given(data=st.text(alphabet=ALPHABET, min_size=1, max_size=120), error=st.sampled_from(LEVELS))
def test_same_symbol_as_segno_for_any_payload_and_level(data: str, error: str) -> None:
    _same(data, error)


def test_same_symbol_for_station_payloads() -> None:
    from station.codes import CodeKey, make_code, payload

    key = CodeKey.from_secret(bytes(32))
    for serial in range(1, 81):
        code = make_code(key, serial)
        for base, gtin, lot in (
            ("https://trace.example.org/c", None, None),
            ("https://trace.example.org", "06901234567892", "MD20261101"),
        ):
            _same(payload(base, code, gtin, lot) if gtin else payload(base, code), LEVELS[serial % 4])


@pytest.mark.parametrize("n_bytes", range(0, 60))
def test_every_length_across_codeword_boundaries(n_bytes: int) -> None:
    """Byte counts from empty to past versions 1-3 of every level: the terminator, the padding of a stream that
    already ends on a codeword boundary, a stream that fills its symbol exactly."""
    for error in LEVELS:
        _same("x" * n_bytes, error)
        _same("牟" * (n_bytes // 3) + "a" * (n_bytes % 3), error)  # UTF-8 with its ECI header


@pytest.mark.parametrize("version", [1, 2, 6, 7, 9, 10, 14, 21, 27, 32, 40])
def test_forced_versions_large_symbols_and_version_information(version: int) -> None:
    capacity = {1: 14, 2: 26, 6: 106, 7: 122, 9: 180, 10: 213, 14: 365, 21: 718, 27: 1128, 32: 1490, 40: 2331}
    if version >= 3:
        _same("https://trace.example.org/c/17806008427909203676", "l", version)
    for error in LEVELS:
        _same("A" * (capacity[version] * {"l": 8, "m": 6, "q": 4, "h": 3}[error] // 8 // 2), error, version)


@pytest.mark.parametrize("mask", range(8))
def test_forced_masks(mask: int) -> None:
    for error in LEVELS:
        for data in ("HELLO", "https://trace.example.org/c/17806008427909203676", "牟定腐乳 MD-01", "z" * 300):
            _same(data, error, mask=mask)


def test_too_much_data_and_bad_options_are_refused_as_segno_refuses_them() -> None:
    with pytest.raises(segno.DataOverflowError):
        make_symbol("x" * 2954)
    _same("x" * 2953, "l")
    with pytest.raises(segno.DataOverflowError):
        make_symbol("x" * 100, "m", 2)
    with pytest.raises(segno.DataOverflowError):
        make_segno("x" * 100, "m", 2)
    for bad in ({"error": "x"}, {"version": 41}, {"version": 0}, {"mask": 8}, {"mask": -1}):
        with pytest.raises(ValueError):
            make_symbol("HELLO", **bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("error", LEVELS)
def test_symbols_decode_to_their_data(error: str) -> None:
    for data in ("https://trace.example.org/c/17806008427909203676", "牟定腐乳 批号 MD-01", "x" * 400):
        symbol = make_symbol(data, error)
        scaled = np.repeat(np.repeat(np.pad(symbol.matrix, 4), 3, axis=0), 3, axis=1)
        found = zxingcpp.read_barcodes(Image.fromarray(np.where(scaled, 0, 255).astype(np.uint8)))
        assert [(r.text, r.ec_level) for r in found] == [(data, error.upper())]


@pytest.mark.parametrize("version", [1, 9, 10, 26, 27])
def test_the_last_byte_a_version_holds_and_one_more(version: int) -> None:
    """At each version's capacity the count indicator's width (8 bits up to version 9, 16 after) and the ECI
    header (12 bits) decide the version."""
    from segno import consts

    count_bits = 8 if version < 10 else 16
    for error in LEVELS:
        capacity = consts.SYMBOL_CAPACITY[version][consts.ERROR_MAPPING[error.upper()]]
        for eci_bits, lead in ((0, ""), (12, "ü")):
            most = (capacity - 4 - count_bits - eci_bits) // 8
            for n_bytes in (most, most + 1):
                data = lead + "a" * (n_bytes - len(lead.encode()))
                assert make_symbol(data, error).version == (version if n_bytes == most else version + 1)
                _same(data, error)


@pytest.mark.parametrize("error", LEVELS)
def test_version_choice_is_segnos_for_every_length(error: str) -> None:
    """Every byte count up to version 15, ASCII and UTF-8 with its ECI header: the smallest version that holds
    it, as segno finds it."""
    from segno import encoder

    level = encoder.normalize_errorlevel(error)
    for n_bytes in range(1, 600):
        for data in ("a" * n_bytes, "ü" + "a" * (n_bytes - 2) if n_bytes > 1 else "ü"):
            segments = encoder.prepare_data(data, encoder.normalize_mode("byte"), "utf-8")
            expected = encoder.find_version(segments, level, eci=not data.isascii(), micro=False)
            assert make_symbol.__wrapped__(data, error).version == expected, (data, error)  # type: ignore[attr-defined]


def _segno_penalty(matrix: np.ndarray) -> int:
    from segno import encoder

    rows = [bytearray(row) for row in matrix.astype(np.uint8)]
    return int(sum(encoder.mask_scores(rows, len(rows), len(rows))))


def test_penalty_scores_are_segnos_on_lines_of_close_finder_like_patterns() -> None:
    """Lines holding chains of 1:1:3:1:1 patterns 4 and 6 modules apart (segno skips a match that starts inside
    a counted one), light margins or none, and random modules around them."""
    from station.qr import _mask_scores

    rng = np.random.default_rng(7)
    pieces = ["1011101", "10111011101", "101110111011101", "1011101011101", "0000", "1", "0", "11111", "00000"]
    for size in (21, 25, 33, 45):
        candidates = rng.integers(0, 2, size=(40, size, size)).astype(np.int16)
        for m in range(candidates.shape[0]):
            for line in rng.choice(size, size=size // 2, replace=False):
                text = "".join(rng.choice(pieces) for _ in range(12))[:size].ljust(size, "0")
                start = int(rng.integers(0, 3))
                row = np.array([int(c) for c in (text[start:] + text[:start])], dtype=np.int16)
                if rng.integers(0, 2):
                    candidates[m, line, :] = row
                else:
                    candidates[m, :, line] = row
        ours = _mask_scores(candidates)
        assert [int(s) for s in ours] == [_segno_penalty(c) for c in candidates]
