"""The 20-digit code: layout, permutation, MAC, Damm check digit, typo hints, payloads, QR symbols."""

from __future__ import annotations

import random

import numpy as np
import pytest
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from stdnum import damm

from station.codes import (
    SERIAL_LIMIT,
    CodeKey,
    group,
    gtin14,
    hide_serial,
    make_code,
    parse_code,
    payload,
    reveal_serial,
    typo_candidates,
)
from station.errors import CodeError
from station.qr import make_segno, make_symbol

KEY = CodeKey.from_secret(bytes(range(32)))
OTHER_KEY = CodeKey.from_secret(bytes(range(1, 33)))
serials = st.integers(min_value=0, max_value=SERIAL_LIMIT - 1)


@given(serials)
def test_permutation_round_trips(serial: int) -> None:
    hidden = hide_serial(KEY, serial)
    assert 0 <= hidden < SERIAL_LIMIT
    assert reveal_serial(KEY, hidden) == serial


def test_permutation_is_a_bijection_on_a_sample_and_hides_order() -> None:
    sample = range(1, 20_001)
    hidden = [hide_serial(KEY, s) for s in sample]
    assert len(set(hidden)) == len(hidden)
    # consecutive serials must not give nearby public numbers
    gaps = [abs(a - b) for a, b in zip(hidden, hidden[1:], strict=False)]
    assert sorted(gaps)[len(gaps) // 2] > 10**7


@given(serials)
def test_code_layout(serial: int) -> None:
    code = make_code(KEY, serial)
    assert len(code) == 20 and code.isdigit()
    assert damm.checksum(code) == 0
    assert parse_code(KEY, code) == serial
    assert parse_code(KEY, group(code)) == serial
    assert parse_code(KEY, code[:5] + "-" + code[5:]) == serial


def test_other_key_rejects() -> None:
    code = make_code(KEY, 12345)
    with pytest.raises(CodeError) as info:
        parse_code(OTHER_KEY, code)
    assert info.value.key == "code.bad_mac"


@settings(max_examples=300)
@given(serials, st.integers(min_value=0, max_value=19), st.integers(min_value=1, max_value=9))
def test_every_single_digit_change_is_rejected(serial: int, pos: int, delta: int) -> None:
    code = make_code(KEY, serial)
    changed = code[:pos] + str((int(code[pos]) + delta) % 10) + code[pos + 1 :]
    with pytest.raises(CodeError) as info:
        parse_code(KEY, changed)
    assert info.value.key == "code.bad_check"


@settings(max_examples=300)
@given(serials, st.integers(min_value=0, max_value=18))
def test_every_adjacent_transposition_is_rejected(serial: int, pos: int) -> None:
    code = make_code(KEY, serial)
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2 :]
    if swapped == code:
        return  # equal neighbours: the same code
    with pytest.raises(CodeError) as info:
        parse_code(KEY, swapped)
    assert info.value.key == "code.bad_check"


def test_exhaustive_single_errors_for_some_codes() -> None:
    """Every wrong digit at every position is refused by the station's parser for its check digit, with the
    code it was meant to be as the hint."""
    for serial in (0, 1, 999_999_999, 123_456_789):
        code = make_code(KEY, serial)
        for pos in range(20):
            for d in "0123456789":
                if d != code[pos]:
                    expected = f"position {pos + 1} may be wrong; did you mean {group(code)}?"
                    with pytest.raises(CodeError) as info:
                        parse_code(KEY, code[:pos] + d + code[pos + 1 :])
                    assert (info.value.key, info.value.hint) == ("code.bad_check", expected), (serial, pos, d)


def test_random_codes_with_valid_check_digit_are_never_accepted() -> None:
    rng = random.Random(20261129)
    accepted = 0
    for _ in range(100_000):
        body = f"{rng.randrange(10**19):019d}"
        candidate = body + damm.calc_check_digit(body)
        try:
            parse_code(KEY, candidate)
        except CodeError as err:
            assert err.key == "code.bad_mac"
        else:
            accepted += 1
    assert accepted == 0


def test_typo_hint_points_at_the_digit() -> None:
    code = make_code(KEY, 4242)
    typo = code[:7] + str((int(code[7]) + 3) % 10) + code[8:]
    assert typo_candidates(KEY, typo) == [(code, [8])]
    with pytest.raises(CodeError) as info:
        parse_code(KEY, typo)
    assert info.value.key == "code.bad_check"
    assert info.value.hint == f"position 8 may be wrong; did you mean {group(code)}?"


def test_swap_hint_names_both_positions() -> None:
    code = make_code(KEY, 77)
    pos = next(i for i in range(19) if code[i] != code[i + 1])
    swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2 :]
    assert (code, [pos + 1, pos + 2]) in typo_candidates(KEY, swapped)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("", "code.empty"),
        ("1234", "code.bad_length"),
        ("1234567890123456789012", "code.bad_length"),
        ("1234 5678 abcd 3456 7890", "code.bad_chars"),
    ],
)
def test_malformed_input(text: str, key: str) -> None:
    with pytest.raises(CodeError) as info:
        parse_code(KEY, text)
    assert info.value.key == key


def test_gtin_validation_and_padding() -> None:
    assert gtin14("6901234567892") == "06901234567892"
    assert gtin14("06901234567892") == "06901234567892"
    for bad in ("6901234567893", "123"):
        with pytest.raises(CodeError) as info:
            gtin14(bad)
        assert info.value.key == "code.gtin_bad" and info.value.params["gtin"] == bad


def test_payload_forms() -> None:
    code = make_code(KEY, 1)
    assert payload("https://t.example.org/c", code) == f"https://t.example.org/c/{code}"
    assert payload("https://t.example.org", code, "06901234567892") == (
        f"https://t.example.org/01/06901234567892/21/{code}"
    )
    assert payload("https://t.example.org", code, "06901234567892", "A/B 1") == (
        f"https://t.example.org/01/06901234567892/10/A%2FB%201/21/{code}"
    )


@pytest.mark.parametrize("data", ["https://trace.example.org/c/12345678901234567890", "牟定腐乳 批号 MD-01", "A", "12"])
def test_qr_symbol_is_full_qr_and_decodes_exactly(data: str) -> None:
    symbol = make_symbol(data)
    assert isinstance(symbol.version, int) and symbol.version >= 1  # Micro QR versions are M1..M4
    assert symbol.modules == 17 + 4 * symbol.version
    padded = np.pad(symbol.matrix, 4)
    scaled = np.repeat(np.repeat(padded, 4, axis=0), 4, axis=1)
    img = Image.fromarray(np.where(scaled, 0, 255).astype(np.uint8))
    results = zxingcpp.read_barcodes(img)
    assert [r.text for r in results] == [data]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from("abcXYZ0189/:.-_ 牟定腐乳核桃花椒ü✓"), min_size=1, max_size=200))
def test_fast_mask_choice_is_exactly_segnos(data: str) -> None:
    ours = make_symbol(data)
    reference = make_segno(data)
    assert ours.mask == reference.mask and ours.version == reference.version
    assert np.array_equal(ours.matrix, np.array([list(r) for r in reference.matrix], dtype=bool))
