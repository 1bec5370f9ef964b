"""The code format's fast paths give exactly the codes of the format's definition: a batch over arrays, chunked
iteration, and the key's kept Codec, checked against a plain computation written from docs/code-format.md."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from stdnum import damm

from station.codes import BATCH_MIN, SERIAL_LIMIT, Codec, CodeKey, codec, iter_codes, make_code

KEY = CodeKey.from_secret(bytes(range(32)))
WALK_KEY = CodeKey.from_secret(bytes(range(5, 37)))  # its serial 236202708 walks twice (tests/test_codes_rules.py)
HALF = 31623


def plain_code(key: CodeKey, serial: int) -> str:
    """The format as documented, with nothing kept between calls: 10 Feistel rounds of keyed BLAKE2b-64 over
    [0, 31623^2), cycle-walked into [0, 10^9); a keyed BLAKE2b-64 MAC mod 10^10; a Damm check digit."""

    def rnd(i: int, half: int) -> int:
        data = half.to_bytes(4, "big") + bytes((i,))
        return int.from_bytes(hashlib.blake2b(data, key=key.perm_key, digest_size=8).digest(), "big") % HALF

    def feistel(x: int) -> int:
        left, right = divmod(x, HALF)
        for i in range(10):
            left, right = right, (left + rnd(i, right)) % HALF
        return left * HALF + right

    public = feistel(serial)
    while public >= SERIAL_LIMIT:
        public = feistel(public)
    mac = hashlib.blake2b(f"{public:09d}".encode(), key=key.mac_key, digest_size=8).digest()
    body = f"{public:09d}{int.from_bytes(mac, 'big') % 10**10:010d}"
    return body + damm.calc_check_digit(body)


@pytest.mark.parametrize("key", [KEY, WALK_KEY])
def test_a_batch_is_the_codes_one_by_one(key: CodeKey) -> None:
    edge = Codec(key)._inverse(SERIAL_LIMIT)  # noqa: SLF001 - a serial whose first step lands on 10^9 exactly
    edges = [0, edge, 236_202_708, 999_999_998, SERIAL_LIMIT - 1]
    serials = edges + list(range(500_000, 500_000 + BATCH_MIN))
    batch = Codec(key).codes(serials)
    one_by_one = Codec(key)
    assert len(batch) == len(serials)
    assert batch[:5] == [one_by_one.code(s) for s in edges] == [plain_code(key, s) for s in edges]
    for n in range(5, len(serials), 997):
        assert batch[n] == one_by_one.code(serials[n]) == plain_code(key, serials[n]), serials[n]
    assert all(len(code) == 20 and code.isdigit() for code in batch)


def test_small_batches_need_no_table() -> None:
    fresh = Codec(KEY)
    codes = fresh.codes([7, 8, 9])
    assert codes == [plain_code(KEY, s) for s in (7, 8, 9)]
    assert not fresh._filled  # noqa: SLF001 - three codes do not pay for 316,230 round values
    fresh.codes(range(BATCH_MIN - 1))
    assert not fresh._filled  # noqa: SLF001
    fresh.codes(range(BATCH_MIN))
    assert fresh._filled  # noqa: SLF001 - from BATCH_MIN on, every round value first


def test_a_batch_refuses_serials_outside_the_range() -> None:
    with pytest.raises(ValueError, match=r"^serials outside 0\.\.999999999$"):
        Codec(KEY).codes([0] * BATCH_MIN + [SERIAL_LIMIT])
    with pytest.raises(ValueError, match="outside"):
        Codec(KEY).codes([-1] + [0] * BATCH_MIN)


def test_iter_codes_in_chunks_is_make_code() -> None:
    serials = range(10, 10 + 2 * 25 + 3)
    pairs = list(iter_codes(KEY, serials, chunk=25))
    assert [s for s, _ in pairs] == list(serials)
    assert [c for _, c in pairs] == [make_code(KEY, s) for s in serials] == [plain_code(KEY, s) for s in serials]
    assert list(iter_codes(KEY, [])) == []


def test_the_kept_codec_is_per_key() -> None:
    assert codec(KEY) is codec(KEY)
    assert codec(KEY) is not codec(WALK_KEY)
    assert make_code(KEY, 42) != make_code(WALK_KEY, 42)
    assert make_code(KEY, 42) == plain_code(KEY, 42)


def test_the_codes_export_computes_its_codes_a_chunk_at_a_time(
    seeded: tuple[Any, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from station import export
    from station.issue import issue_codes

    home, eid, pid = seeded
    order = issue_codes(home, eid, pid, 7)
    monkeypatch.setattr(export, "CODES_CHUNK", 3)  # chunks of 3, 3 and 1
    rows = list(export.codes_table(home, order.order).rows)
    serials = list(range(order.first_serial, order.first_serial + 7))
    assert [row[2] for row in rows] == serials
    assert [row[0] for row in rows] == [make_code(home.key, s) for s in serials]
    assert [row[3] for row in rows] == ["issued"] * 7
