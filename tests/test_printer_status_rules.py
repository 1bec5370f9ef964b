"""Status replies read against the protocol facts, byte by byte, without the emulator.

ESC/POS ``DLE EOT n`` answers one byte of the form 0xx1xx10; TSPL ``ESC !?`` one byte with a bit per condition;
ZPL ``~HQES`` error flags and ``~HS`` the pause flag. Anything the parsers cannot read is UNKNOWN, never ONLINE.
"""

from __future__ import annotations

import pytest

from drivers.printers.status import (
    ENGLISH,
    ESCPOS_QUERIES,
    TSPL_QUERY,
    ZPL_HEAD_OPEN,
    ZPL_HQES,
    ZPL_HS,
    ZPL_MEDIA_OUT,
    Detail,
    PrinterState,
    PrinterStatus,
    escpos_byte_valid,
    parse_escpos,
    parse_tspl,
    parse_zpl,
    unknown,
)

ONLINE, PAPER_OUT, COVER_OPEN = PrinterState.ONLINE, PrinterState.PAPER_OUT, PrinterState.COVER_OPEN
OFFLINE, ERROR, UNKNOWN = PrinterState.OFFLINE, PrinterState.ERROR, PrinterState.UNKNOWN
D = Detail


def test_state_names_and_queries_are_the_protocol_bytes() -> None:
    assert [s.value for s in PrinterState] == ["online", "paper_out", "cover_open", "offline", "error", "unknown"]
    assert ESCPOS_QUERIES == {"printer": b"\x10\x04\x01", "offline": b"\x10\x04\x02", "paper": b"\x10\x04\x04"}
    assert TSPL_QUERY == b"\x1b!?"
    assert (ZPL_HQES, ZPL_HS) == (b"~HQES", b"~HS")
    assert (ZPL_MEDIA_OUT, ZPL_HEAD_OPEN) == (0x1, 0x4)


def test_only_online_is_ready() -> None:
    assert PrinterStatus(ONLINE).ready
    for state in PrinterState:
        if state is not ONLINE:
            assert not PrinterStatus(state).ready, state
    status = unknown(D.NO_REPLY, b"\x01", query="ESC !?")
    assert status == PrinterStatus(UNKNOWN, D.NO_REPLY, b"\x01", False, {"query": "ESC !?"})
    assert unknown(D.NOT_CONNECTED) == PrinterStatus(UNKNOWN, D.NOT_CONNECTED, b"", False)
    assert PrinterStatus(ONLINE) == PrinterStatus(ONLINE, D.NONE, b"", False, {}, None)


@pytest.mark.parametrize(
    ("status", "english"),
    [
        (PrinterStatus(ONLINE), ""),
        (unknown(D.NOT_CONNECTED), "not connected"),
        (unknown(D.CANNOT_CONNECT, reason="refused"), "not connected: refused"),
        (unknown(D.CONNECTION_LOST, reason="reset"), "connection lost: reset"),
        (unknown(D.NO_BACK_CHANNEL), "this connection cannot carry status replies"),
        (unknown(D.NO_REPLY, query="~HS"), "no reply to ~HS"),
        (unknown(D.MALFORMED, query="ESC !?", raw="0041"), "malformed reply to ESC !?: 0041"),
        (unknown(D.MALFORMED, query="~HQES", raw=""), "malformed reply to ~HQES"),
        (PrinterStatus(ERROR, D.ERROR_FLAGS, params={"flags": "000000000000000a"}), "error flags 000000000000000a"),
        (PrinterStatus(PAPER_OUT, D.PAPER_END), "paper end"),
        (PrinterStatus(PAPER_OUT, D.MEDIA_OUT), "media out"),
        (PrinterStatus(ERROR, D.ERROR_REPORTED), "error reported (DLE EOT 2 bit 6)"),
        (PrinterStatus(ERROR, D.OTHER_ERROR), "temperature out of range"),
        (
            PrinterStatus(ERROR, D.ERROR_REPORTED, params={"cause": "autocutter error"}),
            "error reported (DLE EOT 2 bit 6): autocutter error",
        ),
    ],
)
def test_details_read_in_english(status: PrinterStatus, english: str) -> None:
    assert status.detail_text == english


def test_every_detail_has_english() -> None:
    assert set(ENGLISH) == set(Detail)


# --- ESC/POS ---------------------------------------------------------------------------------------------

BASE = 0x12  # 0b00010010: the fixed bits of every DLE EOT reply, nothing reported


@pytest.mark.parametrize("value", [0x12, 0x16, 0x1A, 0x32, 0x52, 0x7E, 0x1E, 0x36, 0x5A])
def test_escpos_bytes_of_the_form_0xx1xx10_are_valid(value: int) -> None:
    assert escpos_byte_valid(value)


@pytest.mark.parametrize(
    "value",
    [
        0x13,  # bit 0 set
        0x10,  # bit 1 clear
        0x02,  # bit 4 clear
        0x92,  # bit 7 set
        0x00,
        0xFF,
        0x11,
        0x93,
    ],
)
def test_escpos_bytes_with_a_fixed_bit_wrong_are_invalid(value: int) -> None:
    assert not escpos_byte_valid(value)


def _escpos(p: int = BASE, o: int = BASE, s: int = BASE) -> PrinterStatus:
    return parse_escpos(bytes([p]), bytes([o]), bytes([s]))


@pytest.mark.parametrize(
    ("p", "o", "s", "state", "detail", "low"),
    [
        (BASE, BASE, BASE, ONLINE, D.NONE, False),
        # DLE EOT 1: bit 3 offline; bit 2 (drawer) and bits 5, 6 say nothing about printing
        (BASE | 0x08, BASE, BASE, OFFLINE, D.OFFLINE, False),
        (BASE | 0x04, BASE, BASE, ONLINE, D.NONE, False),
        (BASE | 0x20, BASE, BASE, ONLINE, D.NONE, False),
        (BASE | 0x40, BASE, BASE, ONLINE, D.NONE, False),
        # DLE EOT 2: bit 2 cover open, bit 3 feed button, bit 5 stopped at paper end, bit 6 error
        (BASE, BASE | 0x04, BASE, COVER_OPEN, D.COVER_OPEN, False),
        (BASE, BASE | 0x08, BASE, ONLINE, D.NONE, False),
        (BASE, BASE | 0x20, BASE, PAPER_OUT, D.PAPER_END, False),
        (BASE, BASE | 0x40, BASE, ERROR, D.ERROR_REPORTED, False),
        # DLE EOT 4: bits 2-3 paper near end, bits 5-6 paper end (either bit of a pair counts)
        (BASE, BASE, BASE | 0x04, ONLINE, D.PAPER_LOW, True),
        (BASE, BASE, BASE | 0x08, ONLINE, D.PAPER_LOW, True),
        (BASE, BASE, BASE | 0x0C, ONLINE, D.PAPER_LOW, True),
        (BASE, BASE, BASE | 0x20, PAPER_OUT, D.PAPER_END, False),
        (BASE, BASE, BASE | 0x40, PAPER_OUT, D.PAPER_END, False),
        (BASE, BASE, BASE | 0x60, PAPER_OUT, D.PAPER_END, False),
        # two conditions at once: the one a clerk must act on first wins
        (BASE, BASE | 0x04, BASE | 0x60, COVER_OPEN, D.COVER_OPEN, False),
        (BASE, BASE | 0x24, BASE, COVER_OPEN, D.COVER_OPEN, False),
        (BASE, BASE | 0x44, BASE, COVER_OPEN, D.COVER_OPEN, False),
        (BASE | 0x08, BASE | 0x04, BASE, COVER_OPEN, D.COVER_OPEN, False),
        (BASE, BASE | 0x60, BASE, PAPER_OUT, D.PAPER_END, False),
        (BASE, BASE | 0x40, BASE | 0x60, PAPER_OUT, D.PAPER_END, False),
        (BASE | 0x08, BASE, BASE | 0x60, PAPER_OUT, D.PAPER_END, False),
        (BASE | 0x08, BASE | 0x20, BASE, PAPER_OUT, D.PAPER_END, False),
        (BASE | 0x08, BASE | 0x40, BASE, ERROR, D.ERROR_REPORTED, False),
        (BASE | 0x08, BASE, BASE | 0x0C, OFFLINE, D.OFFLINE, True),
        (BASE, BASE | 0x04, BASE | 0x0C, COVER_OPEN, D.COVER_OPEN, True),
        (BASE, BASE, BASE | 0x6C, PAPER_OUT, D.PAPER_END, True),
        (BASE, BASE | 0x40, BASE | 0x04, ERROR, D.ERROR_REPORTED, True),
    ],
)
def test_escpos_status_bits(p: int, o: int, s: int, state: PrinterState, detail: Detail, low: bool) -> None:
    status = _escpos(p, o, s)
    assert status == PrinterStatus(state, detail, bytes([p, o, s]), low)
    assert status.ready is (state is ONLINE)


@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("bad", [BASE | 0x01, BASE & ~0x02, BASE & ~0x10, BASE | 0x80])
def test_escpos_reply_with_one_fixed_bit_off_is_unknown(position: int, bad: int) -> None:
    replies = [bytes([BASE]), bytes([BASE]), bytes([BASE])]
    replies[position] = bytes([bad])
    name = ("DLE EOT 1", "DLE EOT 2", "DLE EOT 4")[position]
    status = parse_escpos(*replies)
    assert status == unknown(D.MALFORMED, b"".join(replies), query=name, raw=f"{bad:02x}")
    assert status.detail_text == f"malformed reply to {name}: {bad:02x}"
    assert not status.ready


@pytest.mark.parametrize("position", [0, 1, 2])
def test_escpos_reply_of_two_bytes_or_none_is_unknown(position: int) -> None:
    name = ("DLE EOT 1", "DLE EOT 2", "DLE EOT 4")[position]
    replies: list[bytes | None] = [b"\x12", b"\x12", b"\x12"]
    replies[position] = b"\x12\x12"
    assert parse_escpos(*replies) == unknown(D.MALFORMED, b"\x12" * 4, query=name, raw="1212")
    for silent in (None, b""):
        replies[position] = silent
        assert parse_escpos(*replies) == unknown(D.NO_REPLY, b"\x12\x12", query=name)


def test_escpos_first_missing_reply_is_named() -> None:
    assert parse_escpos(None, None, None) == unknown(D.NO_REPLY, query="DLE EOT 1")
    assert parse_escpos(b"\x12", None, None) == unknown(D.NO_REPLY, b"\x12", query="DLE EOT 2")
    assert parse_escpos(b"\x13", None, b"\x12") == unknown(D.MALFORMED, b"\x13\x12", query="DLE EOT 1", raw="13")
    # a zero byte (what some printers send instead of a status) is malformed, not online
    assert _escpos(0x00).state is UNKNOWN
    assert _escpos(BASE, 0x00).state is UNKNOWN
    assert _escpos(BASE, BASE, 0x00).state is UNKNOWN


# --- TSPL -----------------------------------------------------------------------------------------------

TSPL_BITS = [
    (0x00, ONLINE, D.NONE),
    (0x01, COVER_OPEN, D.HEAD_OPEN),
    (0x02, ERROR, D.PAPER_JAM),
    (0x04, PAPER_OUT, D.PAPER_OUT),
    (0x08, ERROR, D.RIBBON_OUT),
    (0x10, OFFLINE, D.PAUSED),
    (0x20, ONLINE, D.PRINTING),
    (0x40, COVER_OPEN, D.COVER_OPEN),
    (0x80, ERROR, D.OTHER_ERROR),
]


@pytest.mark.parametrize(("value", "state", "detail"), TSPL_BITS)
def test_tspl_one_bit_each(value: int, state: PrinterState, detail: Detail) -> None:
    status = parse_tspl(bytes([value]))
    assert status == PrinterStatus(state, detail, bytes([value]))
    assert status.ready is (state is ONLINE)


def test_tspl_ribbon_out_is_not_online() -> None:
    status = parse_tspl(b"\x08")
    assert status.state is ERROR and not status.ready
    assert parse_tspl(b"\x28").state is ERROR  # ribbon out while printing


@pytest.mark.parametrize("bit", [0x40, 0x80])
def test_tspl_bits_6_and_7_are_a_status_not_a_malformed_reply(bit: int) -> None:
    status = parse_tspl(bytes([bit]))
    assert status.state is not UNKNOWN and status.detail is not D.MALFORMED
    assert not status.ready


@pytest.mark.parametrize(
    ("value", "state", "detail"),
    [
        (0x81, ERROR, D.OTHER_ERROR),  # bit 7 before everything
        (0xC0, ERROR, D.OTHER_ERROR),
        (0x84, ERROR, D.OTHER_ERROR),
        (0x05, COVER_OPEN, D.HEAD_OPEN),  # head open before paper out
        (0x03, COVER_OPEN, D.HEAD_OPEN),
        (0x41, COVER_OPEN, D.HEAD_OPEN),  # head and cover both open: the head is named
        (0x44, COVER_OPEN, D.COVER_OPEN),  # cover open before paper out
        (0x42, COVER_OPEN, D.COVER_OPEN),
        (0x48, COVER_OPEN, D.COVER_OPEN),
        (0x50, COVER_OPEN, D.COVER_OPEN),
        (0x60, COVER_OPEN, D.COVER_OPEN),
        (0x06, PAPER_OUT, D.PAPER_OUT),  # paper out before jam
        (0x0C, PAPER_OUT, D.PAPER_OUT),
        (0x14, PAPER_OUT, D.PAPER_OUT),
        (0x24, PAPER_OUT, D.PAPER_OUT),
        (0x0A, ERROR, D.PAPER_JAM),  # jam before ribbon
        (0x12, ERROR, D.PAPER_JAM),
        (0x22, ERROR, D.PAPER_JAM),
        (0x18, ERROR, D.RIBBON_OUT),  # ribbon before pause
        (0x28, ERROR, D.RIBBON_OUT),
        (0x30, OFFLINE, D.PAUSED),  # paused while printing
        (0x3F, COVER_OPEN, D.HEAD_OPEN),
        (0xFF, ERROR, D.OTHER_ERROR),
    ],
)
def test_tspl_two_bits_the_first_to_act_on_wins(value: int, state: PrinterState, detail: Detail) -> None:
    assert parse_tspl(bytes([value])) == PrinterStatus(state, detail, bytes([value]))


@pytest.mark.parametrize("reply", [b"\x00\x00", b"\x04\x00", b"\x00\r\n", b"\x02\x40\x40\x40\x40\x03\r\n"])
def test_tspl_reply_of_another_length_is_unknown(reply: bytes) -> None:
    # ESC !S answers STX + 4 bytes + ETX CR LF: not a reply to ESC !?, never read as one byte of it
    assert parse_tspl(reply) == unknown(D.MALFORMED, reply, query="ESC !?", raw=reply.hex())


def test_tspl_no_reply_is_unknown() -> None:
    assert parse_tspl(None) == unknown(D.NO_REPLY, query="ESC !?")
    assert parse_tspl(b"") == unknown(D.NO_REPLY, query="ESC !?")


# --- ZPL ------------------------------------------------------------------------------------------------


def _hqes(flag: str, group2: str, group1: str) -> bytes:
    return (
        b"\x02\r\n  PRINTER STATUS\r\n"
        + f"   ERRORS:         {flag} {group2} {group1}\r\n".encode()
        + b"   WARNINGS:       0 00000000 00000000\r\n\x03\r\n"
    )


def _hs(paused: str, paper_out: str = "0") -> bytes:
    return (
        f"\x02030,{paper_out},{paused},0240,000,0,0,0,000,0,0,0\x03\r\n".encode()
        + b"\x02001,0,0,0,1,2,4,0,00000000,1,000\x03\r\n"
        + b"\x021234,0\x03\r\n"
    )


CLEAR = _hqes("0", "00000000", "00000000")


def test_zpl_no_errors_and_not_paused_is_online() -> None:
    assert parse_zpl(CLEAR, _hs("0")) == PrinterStatus(ONLINE, D.NONE, CLEAR + _hs("0"))


def test_zpl_paused_is_offline() -> None:
    assert parse_zpl(CLEAR, _hs("1")) == PrinterStatus(OFFLINE, D.PAUSED, CLEAR + _hs("1"))


@pytest.mark.parametrize(
    ("flag", "group2", "group1", "state", "detail"),
    [
        ("1", "00000000", "00000001", PAPER_OUT, D.MEDIA_OUT),
        ("1", "00000000", "00000002", ERROR, D.RIBBON_OUT),
        ("1", "00000000", "00000004", COVER_OPEN, D.HEAD_OPEN),
        ("1", "00000000", "00000008", ERROR, "0000000000000008"),  # cutter fault
        ("1", "00000000", "00000010", ERROR, "0000000000000010"),  # head over temperature
        ("1", "00000000", "00000005", COVER_OPEN, D.HEAD_OPEN),  # head open before media out
        ("1", "00000000", "00000003", PAPER_OUT, D.MEDIA_OUT),
        ("1", "00000000", "00000006", COVER_OPEN, D.HEAD_OPEN),
        ("1", "00000000", "0000000a", ERROR, "000000000000000a"),
        ("1", "00000001", "00000000", ERROR, "0000000100000000"),  # group 2 counts too
        ("1", "00000010", "00000000", ERROR, "0000001000000000"),  # group 2 is hex as well
        ("1", "0000a000", "00000020", ERROR, "0000a00000000020"),
        ("1", "80000000", "00000001", PAPER_OUT, D.MEDIA_OUT),
        ("1", "00000000", "00000000", ERROR, "0000000000000000"),  # the flag alone
        ("0", "00000000", "00000001", PAPER_OUT, D.MEDIA_OUT),  # bits without the flag still count
        ("0", "00000000", "00000002", ERROR, D.RIBBON_OUT),
        ("1", "00000000", "00000012", ERROR, "0000000000000012"),  # ribbon out and head too hot: the flags
        ("0", "00000002", "00000000", ERROR, "0000000200000000"),
    ],
)
def test_zpl_error_flags(flag: str, group2: str, group1: str, state: PrinterState, detail: Detail | str) -> None:
    hqes = _hqes(flag, group2, group1)
    # ~HS is silent while media is out or the head is open: errors are read without it
    assert parse_zpl(hqes, None) == _zpl_status(state, detail, hqes)
    assert parse_zpl(hqes, _hs("0")) == _zpl_status(state, detail, hqes + _hs("0"))


def _zpl_status(state: PrinterState, detail: Detail | str, raw: bytes) -> PrinterStatus:
    """The status expected; a detail given as 16 hex digits is ERROR_FLAGS with those flags."""
    if isinstance(detail, str):
        return PrinterStatus(state, D.ERROR_FLAGS, raw, params={"flags": detail})
    return PrinterStatus(state, detail, raw)


@pytest.mark.parametrize(
    "hqes",
    [
        b"  PRINTER STATUS\r\n   ERRORS:         0 00000000 00000000\r\n",  # no STX
        b"x\x02   ERRORS:         0 00000000 00000000\r\n",  # STX not first
        b"\x02\r\n   ERRORS:         2 00000000 00000000\r\n",  # flag is 0 or 1
        b"\x02\r\n   ERRORS:         0 0000000 00000000\r\n",  # seven digits
        b"\x02\r\n   ERRORS:         0 00000000 0000000G\r\n",  # not hex
        b"\x02\r\n   ERRORS:0 00000000 00000000\r\n",  # no space after the colon
        b"\x02\r\n   ERRORS:         0 00000000\r\n",
        b"\x02\r\n   WARNINGS:       0 00000000 00000000\r\n",
        b"\x02",
    ],
)
def test_zpl_malformed_hqes_is_unknown(hqes: bytes) -> None:
    assert parse_zpl(hqes, _hs("0")) == unknown(D.MALFORMED, hqes + _hs("0"), query="~HQES", raw="")


def test_zpl_hqes_may_start_with_blank_space_and_use_lower_case_hex() -> None:
    hqes = b"\r\n " + _hqes("0", "00000000", "00000000")
    assert parse_zpl(hqes, _hs("0")).state is ONLINE
    hqes = b"\x02\r\n   ERRORS:\t1\t00000000\t0000000a\r\n"
    assert parse_zpl(hqes, None) == _zpl_status(ERROR, "000000000000000a", hqes)


def test_zpl_without_hqes_reads_everything_from_hs() -> None:
    # older firmware does not answer ~HQES: ~HS alone says paper out, pause, temperature, head up and ribbon out
    assert parse_zpl(None, _hs("0")) == PrinterStatus(ONLINE, D.NONE, _hs("0"))
    assert parse_zpl(None, None) == unknown(D.NO_REPLY, query="~HQES, ~HS")
    assert parse_zpl(b"", b"") == unknown(D.NO_REPLY, query="~HQES, ~HS")


def _hs_full(
    out: str = "0", paused: str = "0", cold: str = "0", hot: str = "0", head: str = "0", ribbon: str = "0"
) -> bytes:
    return (
        f"\x02030,{out},{paused},0240,000,0,0,0,000,0,{cold},{hot}\x03\r\n".encode()
        + f"\x02001,0,{head},{ribbon},1,2,4,0,00000000,1,000\x03\r\n".encode()
        + b"\x021234,0\x03\r\n"
    )


@pytest.mark.parametrize(
    ("fields", "state", "detail"),
    [
        ({}, ONLINE, D.NONE),
        ({"out": "1"}, PAPER_OUT, D.MEDIA_OUT),
        ({"paused": "1"}, OFFLINE, D.PAUSED),
        ({"cold": "1"}, ERROR, D.OTHER_ERROR),
        ({"hot": "1"}, ERROR, D.OTHER_ERROR),
        ({"head": "1"}, COVER_OPEN, D.HEAD_OPEN),
        ({"ribbon": "1"}, ERROR, D.RIBBON_OUT),
        ({"head": "1", "out": "1"}, COVER_OPEN, D.HEAD_OPEN),
        ({"out": "1", "ribbon": "1"}, PAPER_OUT, D.MEDIA_OUT),
        ({"ribbon": "1", "hot": "1"}, ERROR, D.RIBBON_OUT),
        ({"hot": "1", "paused": "1"}, ERROR, D.OTHER_ERROR),
    ],
)
def test_zpl_hs_alone_fields(fields: dict[str, str], state: PrinterState, detail: Detail) -> None:
    hs = _hs_full(**fields)
    assert parse_zpl(None, hs) == PrinterStatus(state, detail, hs)


@pytest.mark.parametrize(
    "hs",
    [
        b"\x02030,0,0,0240\x03\r\n\x02001,0,0,0\x03",  # string 1 too short for the temperature flags
        b"\x02030,0,0,0240,000,0,0,0,000,0,0,0\x03\r\n",  # no string 2
        b"\x02030,0,0,0240,000,0,0,0,000,0,0,0\x03\x02001,0,0\x03",  # string 2 without the ribbon flag
        b"\x02030,2,0,0240,000,0,0,0,000,0,0,0\x03\x02001,0,0,0\x03",  # a flag is 0 or 1
        b"\x02030,0,0,0240,000,0,0,0,000,0,0,0\x03\x02001,0,x,0\x03",
    ],
)
def test_zpl_hs_alone_malformed_is_unknown(hs: bytes) -> None:
    assert parse_zpl(None, hs) == unknown(D.MALFORMED, hs, query="~HS", raw="")


def test_zpl_no_errors_but_no_hs_is_unknown() -> None:
    assert parse_zpl(CLEAR, None) == unknown(D.NO_REPLY, CLEAR, query="~HS")
    assert parse_zpl(CLEAR, b"") == unknown(D.NO_REPLY, CLEAR, query="~HS")


@pytest.mark.parametrize(
    "hs",
    [
        b"\x02030,0\x03\r\n",  # two fields
        b"\x02030,0,2,0240\x03\r\n",  # pause flag not 0 or 1
        b"\x02030,0,,0240\x03\r\n",
        b"\x02030,0,01,0240\x03\r\n",
        b"\x02030;0;1;0240\x03\r\n",
        b"garbage",
    ],
)
def test_zpl_malformed_hs_is_unknown(hs: bytes) -> None:
    assert parse_zpl(CLEAR, hs) == unknown(D.MALFORMED, CLEAR + hs, query="~HS", raw="")


def test_zpl_hs_reads_only_the_first_string_and_its_third_field() -> None:
    # the paper-out flag (field 2) of ~HS is not the pause flag
    assert parse_zpl(CLEAR, _hs("0", paper_out="1")).state is ONLINE
    # leading line ends before the first STX are skipped
    assert parse_zpl(CLEAR, b"\r\n" + _hs("1")).state is OFFLINE
    # the pause flag is in the first string; later strings are not read
    assert parse_zpl(CLEAR, b"\x02030,0,0\x03\x02001,0,1,0\x03").state is ONLINE
    assert parse_zpl(CLEAR, b"\x02030,0,1\x03\x02001,0,0,0\x03").state is OFFLINE
    # a first string without an ETX is read to its end
    assert parse_zpl(CLEAR, b"\x02030,0,1,0240").state is OFFLINE


@pytest.mark.parametrize(
    ("error", "state", "detail", "cause"),
    [
        (BASE | 0x08, ERROR, D.ERROR_REPORTED, "autocutter error"),  # DLE EOT 3 bit 3
        (BASE | 0x20, ERROR, D.ERROR_REPORTED, "unrecoverable error"),  # bit 5
        (BASE | 0x40, ERROR, D.OTHER_ERROR, None),  # bit 6: recoverable, the head's temperature
        (BASE | 0x28, ERROR, D.ERROR_REPORTED, "autocutter error"),
        (BASE | 0x60, ERROR, D.ERROR_REPORTED, "unrecoverable error"),
        (BASE, ERROR, D.ERROR_REPORTED, None),  # no cause named
        (0x00, ERROR, D.ERROR_REPORTED, None),  # a malformed cause byte: still an error, no cause
    ],
)
def test_escpos_error_cause_from_dle_eot_3(error: int, state: PrinterState, detail: Detail, cause: str | None) -> None:
    status = parse_escpos(bytes([BASE]), bytes([BASE | 0x40]), bytes([BASE]), bytes([error]))
    params = {"cause": cause} if cause else {}
    assert status == PrinterStatus(state, detail, bytes([BASE, BASE | 0x40, BASE, error]), False, params)


def test_escpos_cause_is_read_only_after_an_error() -> None:
    # DLE EOT 3 bits count only when DLE EOT 2 reported an error
    assert parse_escpos(bytes([BASE]), bytes([BASE]), bytes([BASE]), bytes([BASE | 0x48])).state is ONLINE
