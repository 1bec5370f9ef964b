"""The code's rules one by one: the key file and the subkeys, pinned code values, the permutation's cycle walking,
the MAC over all ten of its digits, every typo the hint must find, what a typed code may contain, GTINs, lots and
the QR payload."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

import pytest
from stdnum import damm

from station.codes import (
    GS1_CSET82,
    KEY_BYTES,
    SERIAL_LIMIT,
    CodeKey,
    _feistel,
    _feistel_inverse,
    check_lot,
    create_key_file,
    damm_ok,
    group,
    gtin14,
    hide_serial,
    iter_codes,
    load_key_file,
    mac_digits,
    make_code,
    normalise,
    parse_code,
    payload,
    reveal_serial,
    typo_candidates,
)
from station.errors import CodeError, ConfigError

SECRET = bytes(range(32))
KEY = CodeKey.from_secret(SECRET)
# A key whose permutation walks twice for one serial: 236202708 -> 1000006380 -> 1000010271 -> its public number
WALK_KEY = CodeKey.from_secret(bytes(range(5, 37)))
WALK_SERIAL = 236_202_708

# Codes printed with KEY must verify after every upgrade: the derivation, the permutation, the MAC and the check
# digit are pinned by these values.
PINNED = {
    0: "39971866186543658092",
    1: "74895464666822685781",
    2: "77310167245749390720",
    123_456_789: "68437622714528238393",
    999_999_999: "33546265419296419963",
}


def _hint(positions: str, code: str) -> str:
    return f"position {positions} may be wrong; did you mean {group(code)}?"


NOHINT = "compare the code digit by digit with the label"


def _with_check_digit(body: str) -> str:
    return body + damm.calc_check_digit(body)


# --- the key ------------------------------------------------------------------------------------------------


def test_subkeys_and_fingerprint_are_pinned() -> None:
    assert KEY.mac_key.hex() == "22d7239cd83c3c64cd821d8f8e56a08b803d8c5a65b8f447bdb9e57ba2840178"
    assert KEY.perm_key.hex() == "674a0f649e3b7bf260e485340ec5d982c687744227d5ef22eb4996799da98866"
    assert KEY.audit_key.hex() == "3cce6a6e430bee8dc015455df81a3c7bb40bcd43c9ce2f97ab32e8d3dda14666"
    assert KEY.fingerprint == "3577b4aaad65509d"
    # each a keyed BLAKE2b personalised with its own name, so knowing one subkey tells nothing of another
    expected = hashlib.blake2b(b"ts-code-mac-v1", key=SECRET, person=b"ts-code-mac-v1", digest_size=32).digest()
    assert KEY.mac_key == expected


@pytest.mark.parametrize("size", [0, KEY_BYTES - 1, KEY_BYTES + 1, 64])
def test_a_secret_of_the_wrong_size_is_refused(size: int) -> None:
    with pytest.raises(ValueError, match="^the code key secret must be 32 bytes$"):
        CodeKey.from_secret(bytes(size))


def test_a_new_key_file_is_private_loads_back_and_is_never_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "code.key"
    create_key_file(path)
    text = path.read_text("ascii")
    assert len(text) == 65 and text.endswith("\n") and all(c in "0123456789abcdef" for c in text[:64])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_key_file(path) == CodeKey.from_secret(bytes.fromhex(text.strip()))
    with pytest.raises(FileExistsError):
        create_key_file(path)
    assert path.read_text("ascii") == text
    other = tmp_path / "other.key"
    create_key_file(other)
    assert other.read_text("ascii") != text  # random each time


def _key_file(tmp_path: Path, content: bytes, mode: int = 0o600) -> Path:
    path = tmp_path / "code.key"
    path.write_bytes(content)
    os.chmod(path, mode)
    return path


def test_a_key_file_is_read_with_surrounding_whitespace(tmp_path: Path) -> None:
    path = _key_file(tmp_path, b"  " + SECRET.hex().encode() + b"\n\n")
    assert load_key_file(path) == KEY
    assert load_key_file(_key_file(tmp_path, SECRET.hex().encode(), 0o400)) == KEY  # read-only is private too


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_key_file(tmp_path / "nowhere.key")
    assert info.value.key == "config.key_missing" and info.value.params == {"path": str(tmp_path / "nowhere.key")}


@pytest.mark.parametrize(
    "content",
    [
        b"",
        SECRET.hex()[:-1].encode(),  # 63 digits
        SECRET.hex().encode() + b"0",  # 65 digits
        SECRET.hex().upper().encode(),
        b"g" + SECRET.hex()[1:].encode(),
        SECRET.hex()[:32].encode() + b" " + SECRET.hex()[32:].encode(),
        b"\xff" * 64,  # not ASCII
    ],
)
def test_a_key_file_that_is_not_64_hex_digits_is_refused(tmp_path: Path, content: bytes) -> None:
    path = _key_file(tmp_path, content)
    with pytest.raises(ConfigError) as info:
        load_key_file(path)
    assert info.value.key == "config.key_bad" and info.value.params == {"path": str(path)}


def test_a_key_path_that_cannot_be_read_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        load_key_file(tmp_path)  # a directory
    assert info.value.key == "config.key_bad" and info.value.params == {"path": str(tmp_path)}


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o601, 0o610, 0o644, 0o666])
def test_a_key_file_others_may_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = _key_file(tmp_path, SECRET.hex().encode(), mode)
    with pytest.raises(ConfigError) as info:
        load_key_file(path)
    assert info.value.key == "config.key_mode"
    assert info.value.params == {"path": str(path), "mode": oct(mode)}


# --- pinned values, the permutation ------------------------------------------------------------------------


def test_codes_are_pinned() -> None:
    assert {serial: make_code(KEY, serial) for serial in PINNED} == PINNED
    assert {serial: hide_serial(KEY, serial) for serial in PINNED} == {s: int(c[:9]) for s, c in PINNED.items()}
    assert {serial: parse_code(KEY, code) for serial, code in PINNED.items()} == {s: s for s in PINNED}
    assert mac_digits(KEY, 5) == "5038823290"  # a public number of one digit is hashed as nine
    assert mac_digits(KEY, 12) == "0385745649"  # a leading zero kept: always ten digits
    assert mac_digits(KEY, 399_718_661) == PINNED[0][9:19]


def test_iter_codes_pairs_each_serial_with_its_code() -> None:
    assert list(iter_codes(KEY, iter(PINNED))) == list(PINNED.items())
    assert list(iter_codes(KEY, [])) == []


@pytest.mark.parametrize("serial", [-1, SERIAL_LIMIT, SERIAL_LIMIT + 5])
def test_serials_outside_the_range_are_refused(serial: int) -> None:
    with pytest.raises(ValueError, match=f"serial {serial} outside 0..999999999"):
        hide_serial(KEY, serial)


def test_the_permutation_walks_back_into_the_range_at_its_edge() -> None:
    """The Feistel domain is 31623² > 10^9: a value of exactly 10^9 is outside and must be walked on."""
    serial = _feistel_inverse(KEY, SERIAL_LIMIT)
    assert _feistel(KEY, serial) == SERIAL_LIMIT  # the first step lands on the edge
    public = hide_serial(KEY, serial)
    assert public == _feistel(KEY, SERIAL_LIMIT) == 648_058_739
    assert reveal_serial(KEY, public) == serial == 23_876_395
    assert parse_code(KEY, make_code(KEY, serial)) == serial


def test_the_permutation_walks_as_often_as_it_must() -> None:
    first = _feistel(WALK_KEY, WALK_SERIAL)
    second = _feistel(WALK_KEY, first)
    assert first >= SERIAL_LIMIT and second >= SERIAL_LIMIT  # two steps outside the range
    public = hide_serial(WALK_KEY, WALK_SERIAL)
    assert public == _feistel(WALK_KEY, second) < SERIAL_LIMIT
    assert reveal_serial(WALK_KEY, public) == WALK_SERIAL
    assert parse_code(WALK_KEY, make_code(WALK_KEY, WALK_SERIAL)) == WALK_SERIAL


# --- the MAC: all ten digits -----------------------------------------------------------------------------


@pytest.mark.parametrize("serial", [0, 123_456_789])
def test_every_changed_mac_digit_is_forged_even_with_a_right_check_digit(serial: int) -> None:
    code = make_code(KEY, serial)
    for pos in range(9, 19):
        for d in "0123456789":
            if d != code[pos]:
                forged = _with_check_digit(code[:pos] + d + code[pos + 1 : 19])
                with pytest.raises(CodeError) as info:
                    parse_code(KEY, forged)
                assert info.value.key == "code.bad_mac", (pos, d)
                assert info.value.hint is None and info.value.params == {}


def test_a_changed_public_number_with_its_old_mac_is_forged() -> None:
    code = PINNED[123_456_789]
    for pos in range(9):
        forged = _with_check_digit(code[:pos] + str((int(code[pos]) + 1) % 10) + code[pos + 1 : 19])
        with pytest.raises(CodeError) as info:
            parse_code(KEY, forged)
        assert info.value.key == "code.bad_mac", pos


def test_damm_ok() -> None:
    assert damm_ok(PINNED[0]) and damm_ok("0")
    assert not damm_ok(PINNED[0][:19] + "3")
    assert not damm_ok("1")


# --- typos and their hint ------------------------------------------------------------------------------


@pytest.mark.parametrize("serial", [0, 999_999_999])
def test_every_swap_of_neighbours_gets_its_hint_up_to_the_last_two(serial: int) -> None:
    code = PINNED[serial]
    assert code[18] != code[19]  # the last pair can be swapped
    swaps = 0
    for pos in range(19):
        if code[pos] == code[pos + 1]:
            continue
        swapped = code[:pos] + code[pos + 1] + code[pos] + code[pos + 2 :]
        assert typo_candidates(KEY, swapped) == [(code, [pos + 1, pos + 2])], pos
        with pytest.raises(CodeError) as info:
            parse_code(KEY, swapped)
        assert info.value.key == "code.bad_check"
        assert info.value.hint == _hint(f"{pos + 1}、{pos + 2}", code), pos
        swaps += 1
    assert swaps >= 15


def test_the_hint_of_a_swap_of_digits_19_and_20() -> None:
    code = PINNED[0]
    swapped = code[:18] + code[19] + code[18]
    assert swapped == "39971866186543658029"
    with pytest.raises(CodeError) as info:
        parse_code(KEY, swapped)
    assert info.value.hint == "position 19、20 may be wrong; did you mean 3997 1866 1865 4365 8092?"
    assert info.value.message == (
        "check digit does not match: a digit is mistyped or two neighbours are swapped; "
        "position 19、20 may be wrong; did you mean 3997 1866 1865 4365 8092?"
    )


def test_equal_neighbours_are_not_offered_as_a_swap() -> None:
    code = PINNED[0]  # 3997...: positions 3 and 4 are both 7
    typo = code[:2] + "0" + code[3:]  # position 3 mistyped: the candidates are the one digit back
    assert typo_candidates(KEY, typo) == [(code, [3])]
    assert typo_candidates(KEY, code) == []  # a genuine code is no typo of itself
    assert typo_candidates(KEY, code[:1] + code[2] + code[1] + code[3:]) == []  # 9 and 9: swapping changes nothing


def test_the_hint_offers_only_issued_codes_and_asks_with_the_serial() -> None:
    code = PINNED[123_456_789]
    typo = code[:10] + str((int(code[10]) + 4) % 10) + code[11:]
    asked: list[int] = []

    def issued(serial: int) -> bool:
        asked.append(serial)
        return serial == 123_456_789

    assert typo_candidates(KEY, typo, issued) == [(code, [11])]
    assert asked == [123_456_789]  # only the near codes that pass the MAC are looked up
    assert typo_candidates(KEY, typo, lambda serial: False) == []
    swapped = code[:11] + code[12] + code[11] + code[13:]
    assert code[11] != code[12] and typo_candidates(KEY, swapped, issued) == [(code, [12, 13])]
    assert typo_candidates(KEY, swapped, lambda serial: False) == []  # a swap is offered only when issued too
    with pytest.raises(CodeError) as info:
        parse_code(KEY, typo, issued)
    assert info.value.key == "code.bad_check" and info.value.hint == _hint("11", code)
    with pytest.raises(CodeError) as info:
        parse_code(KEY, typo, lambda serial: False)  # a guess is never turned into a code that does not exist
    assert info.value.key == "code.bad_check" and info.value.hint == NOHINT


def test_no_hint_when_no_code_or_more_than_one_is_near(monkeypatch: pytest.MonkeyPatch) -> None:
    garbled = "39971311631043658093"  # seven digits of PINNED[0] shifted by 5, and the check digit by 1
    assert not damm_ok(garbled) and typo_candidates(KEY, garbled) == []
    with pytest.raises(CodeError) as info:
        parse_code(KEY, garbled)
    assert info.value.key == "code.bad_check" and info.value.hint == NOHINT
    # two near codes (which the MAC makes all but impossible) would make any hint a guess
    import station.codes

    two = [(PINNED[0], [1]), (PINNED[1], [2])]
    monkeypatch.setattr(station.codes, "typo_candidates", lambda key, digits, known=None: two)
    with pytest.raises(CodeError) as info:
        parse_code(KEY, garbled)
    assert info.value.key == "code.bad_check" and info.value.hint == NOHINT


# --- what a typed code may hold ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "3997 1866 1865 4365 8092",
        "3997-1866-1865-4365-8092",
        "\t3997\u20101866\u20111865\u20124365\u20138092\n",
        "3997\u20141866\u20151865\u30004365\r8092",
        " 39971866186543658092 ",
    ],
)
def test_spaces_and_dashes_are_stripped(typed: str) -> None:
    assert normalise(typed) == PINNED[0]
    assert parse_code(KEY, typed) == 0


@pytest.mark.parametrize(
    ("typed", "params"),
    [
        ("3997 1866 1865 4365 809x", {"chars": "x"}),
        ("ba3997 1866 1865 4365 8092ab", {"chars": "ab"}),  # each once, sorted
        ("3997_1866.1865/4365+8092", {"chars": "+./_"}),
        ("abcdefghijklmnop", {"chars": "abcdefghij"}),  # at most ten shown
        (
            "３９９７１８６６１８６５４３６５８０９２",
            {"chars": "０１２３４５６７８９"},
        ),  # full-width digits are not digits
        ("3997\u20161866", {"chars": "\u2016"}),  # a double bar is no dash
    ],
)
def test_other_characters_are_named(typed: str, params: dict[str, str]) -> None:
    with pytest.raises(CodeError) as info:
        normalise(typed)
    assert info.value.key == "code.bad_chars" and info.value.params == params


@pytest.mark.parametrize("typed", ["", " ", "- -", "\u3000"])
def test_nothing_typed(typed: str) -> None:
    with pytest.raises(CodeError) as info:
        parse_code(KEY, typed)
    assert info.value.key == "code.empty" and info.value.params == {}


@pytest.mark.parametrize("typed", ["1", PINNED[0][:19], PINNED[0] + "0", PINNED[0] * 2])
def test_a_code_of_the_wrong_length_is_refused_before_its_check_digit(typed: str) -> None:
    with pytest.raises(CodeError) as info:
        parse_code(KEY, typed)
    assert info.value.key == "code.bad_length" and info.value.params == {"n": len(typed)}


def test_group() -> None:
    assert group(PINNED[0]) == "3997 1866 1865 4365 8092"
    assert group("123456") == "1234 56"


# --- GTIN, lot, payload --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "gtin"),
    [
        ("6901234567892", "06901234567892"),
        (" 6901234567892\n", "06901234567892"),
        ("96385074", "00000096385074"),  # GTIN-8
        ("036000291452", "00036000291452"),  # GTIN-12
        ("10614141000415", "10614141000415"),  # GTIN-14
    ],
)
def test_gtins_are_padded_to_14(text: str, gtin: str) -> None:
    assert gtin14(text) == gtin


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("6901234567893", "The number's checksum or check digit is invalid."),
        ("123", "The number has an invalid length."),
        ("1234567", "The number has an invalid length."),  # between the lengths GS1 has
        ("12345678901", "The number has an invalid length."),
        ("123456789012345", "The number has an invalid length."),
        ("690123456789", "The number's checksum or check digit is invalid."),
        ("69012345678X", "The number has an invalid format."),
    ],
)
def test_a_bad_gtin_is_refused_with_the_reason(text: str, reason: str) -> None:
    with pytest.raises(CodeError) as info:
        gtin14(text)
    assert info.value.key == "code.gtin_bad" and info.value.params == {"gtin": text, "reason": reason}


@pytest.mark.parametrize("lot", ["A", "MD20261120", "x" * 20, "A/B-1.2_(3)", "".join(sorted(GS1_CSET82))[:20]])
def test_lots_of_gs1_characters_are_kept(lot: str) -> None:
    assert check_lot(lot) == lot


def test_every_character_of_gs1s_set_is_allowed_and_nothing_else() -> None:
    allowed = "!\"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"
    assert len(allowed) == 82 and frozenset(allowed) == GS1_CSET82
    for c in allowed:
        assert check_lot(c) == c
    for code in range(32, 127):
        if chr(code) not in allowed:
            with pytest.raises(CodeError) as info:
                check_lot(chr(code))
            assert info.value.key == "code.lot_bad" and info.value.params == {"lot": chr(code)}


@pytest.mark.parametrize("lot", ["", "x" * 21, "MD 01", "批号1", "A#1", "é"])
def test_a_bad_lot_is_refused(lot: str) -> None:
    with pytest.raises(CodeError) as info:
        check_lot(lot)
    assert info.value.key == "code.lot_bad" and info.value.params == {"lot": lot}


def test_payloads() -> None:
    code = PINNED[1]
    assert payload("https://t.example.org/c", code) == "https://t.example.org/c/74895464666822685781"
    assert payload("https://t.example.org", code, "") == "https://t.example.org/74895464666822685781"
    assert payload("https://t.example.org", code, None, "L1") == "https://t.example.org/74895464666822685781"
    assert payload("https://t.example.org", code, "06901234567892", "") == (
        "https://t.example.org/01/06901234567892/21/74895464666822685781"
    )
    assert payload("https://t.example.org", code, "06901234567892", "A/B 1?#&=%") == (
        "https://t.example.org/01/06901234567892/10/A%2FB%201%3F%23%26%3D%25/21/74895464666822685781"
    )
