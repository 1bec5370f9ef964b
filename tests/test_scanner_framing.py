"""Cutting a scanner's byte stream into scans (``Framer``), without a port: every suffix, STX/ETX framing, AIM
identifiers, several scans in one read, one scan over several reads, and endings by silence at their exact times."""

from __future__ import annotations

import pytest

from drivers.scanners import AIM_SYMBOLOGIES, CR_GRACE_S, MAX_SCAN_BYTES, SILENCE_S, Framer, Scan

TERMINATORS = {"cr": b"\r", "lf": b"\n", "crlf": b"\r\n", "tab": b"\t"}


def _all(framer: Framer) -> list[Scan]:
    out = []
    while (scan := framer.pop()) is not None:
        out.append(scan)
    return out


def test_timing_constants() -> None:
    assert (SILENCE_S, CR_GRACE_S, MAX_SCAN_BYTES) == (0.05, 0.02, 4096)


def test_unknown_suffix_is_refused() -> None:
    for bad in ("CR", "cr-lf", "", "etx"):
        with pytest.raises(ValueError, match=f"unknown suffix {bad!r}"):
            Framer(suffix=bad)
    for good in ("none", "cr", "lf", "crlf", "tab", None):
        assert Framer(suffix=good).suffix == good


# --- each suffix -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("suffix", "end"), list(TERMINATORS.items()))
def test_a_scan_ends_at_its_suffix(suffix: str, end: bytes) -> None:
    framer = Framer(suffix=suffix)
    framer.feed(b"https://t.example/c/AB12", now=1.0)
    assert framer.pop() is None and framer.pending
    framer.feed(end, now=1.5)
    assert framer.pop() == Scan("https://t.example/c/AB12", b"https://t.example/c/AB12" + end, None, 1.5)
    assert framer.pop() is None and not framer.pending


@pytest.mark.parametrize(("suffix", "end"), list(TERMINATORS.items()))
def test_two_scans_in_one_read(suffix: str, end: bytes) -> None:
    framer = Framer(suffix=suffix)
    framer.feed(b"A1" + end + b"B2" + end, now=2.0)
    assert _all(framer) == [Scan("A1", b"A1" + end, None, 2.0), Scan("B2", b"B2" + end, None, 2.0)]
    assert not framer.pending


@pytest.mark.parametrize(("suffix", "end"), list(TERMINATORS.items()))
def test_a_scan_split_across_reads_keeps_the_time_of_its_last_byte(suffix: str, end: bytes) -> None:
    framer = Framer(suffix=suffix)
    stream = b"12345678" + end + b"XY" + end
    for i, byte in enumerate(stream):
        framer.feed(bytes([byte]), now=10.0 + i)
    first, second = _all(framer)
    assert first == Scan("12345678", b"12345678" + end, None, 10.0 + 8 + len(end) - 1)
    assert second == Scan("XY", b"XY" + end, None, 10.0 + len(stream) - 1)


@pytest.mark.parametrize(
    ("suffix", "stream", "texts"),
    [
        # the other suffixes' bytes are data
        ("cr", b"A\nB\tC\r", ["A\nB\tC"]),
        ("lf", b"A\rB\tC\n", ["A\rB\tC"]),
        ("tab", b"A\rB\nC\t", ["A\rB\nC"]),
        ("crlf", b"A\nB\tC\r\n", ["A\nB\tC"]),
        # crlf: a lone CR is data, also when another CR follows it
        ("crlf", b"A\rB\r\n", ["A\rB"]),
        ("crlf", b"A\r\rB\r\n", ["A\r\rB"]),
        ("crlf", b"A\r\r\n", ["A\r"]),
        ("crlf", b"\r\nA\r\n\r\n", ["A"]),
        # empty scans are dropped
        ("cr", b"\r\rA\r\r", ["A"]),
        ("tab", b"\t\tA\t", ["A"]),
        ("lf", b"\nA\n\n", ["A"]),
    ],
)
def test_what_is_data_for_each_suffix(suffix: str, stream: bytes, texts: list[str]) -> None:
    framer = Framer(suffix=suffix)
    framer.feed(stream, now=0.0)
    assert [s.text for s in _all(framer)] == texts


def test_crlf_raw_keeps_a_lone_cr_and_the_crlf() -> None:
    framer = Framer(suffix="crlf")
    framer.feed(b"A\r", now=1.0)
    assert framer.pending and framer.pop() is None
    assert framer.quiet_in(5.0) is None  # silence never ends a crlf scan
    framer.tick(99.0, final=True)
    assert framer.pop() is None
    framer.feed(b"B", now=2.0)
    framer.feed(b"\r", now=3.0)
    framer.feed(b"\n", now=4.0)
    assert _all(framer) == [Scan("A\rB", b"A\rB\r\n", None, 4.0)]


# --- no suffix option: CR, LF or CRLF ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("stream", "raws"),
    [
        (b"A\r\n", [b"A\r\n"]),
        (b"A\n", [b"A\n"]),
        (b"A\rB\n", [b"A\r", b"B\n"]),
        (b"A\r\rB\r\n", [b"A\r", b"B\r\n"]),
        (b"A\n\rB\r\n", [b"A\n", b"B\r\n"]),
        (b"A\r\nB\nC\r\n", [b"A\r\n", b"B\n", b"C\r\n"]),
        (b"A\tB\r\n", [b"A\tB\r\n"]),
        (b"\n\r\n\r\n", []),
    ],
)
def test_default_suffix_cr_lf_or_crlf(stream: bytes, raws: list[bytes]) -> None:
    framer = Framer()
    framer.feed(stream, now=0.0)
    assert [s.raw for s in _all(framer)] == raws


def test_default_suffix_lone_cr_is_ended_by_the_next_byte_at_the_cr_time() -> None:
    framer = Framer()
    framer.feed(b"A\r", now=1.0)
    assert framer.pending and framer.pop() is None
    framer.feed(b"B", now=1.001)
    assert framer.pop() == Scan("A", b"A\r", None, 1.0)
    framer.feed(b"\n", now=1.5)
    assert framer.pop() == Scan("B", b"B\n", None, 1.5)
    framer.feed(b"C\r", now=2.0)
    framer.feed(b"\n", now=2.01)
    assert framer.pop() == Scan("C", b"C\r\n", None, 2.01)


def test_default_suffix_cr_grace_boundary() -> None:
    framer = Framer()
    framer.feed(b"ABC\r", now=1.0)
    assert framer.quiet_in(1.0) == pytest.approx(CR_GRACE_S)
    assert framer.quiet_in(1.005) == pytest.approx(0.015)
    assert framer.quiet_in(7.0) == 0.0
    framer.tick(1.0 + CR_GRACE_S / 2)
    assert framer.pop() is None and framer.pending
    framer.tick(1.0 + CR_GRACE_S)  # exactly at the grace time: the CR ends the scan
    assert framer.pop() == Scan("ABC", b"ABC\r", None, 1.0)
    assert not framer.pending and framer.quiet_in(9.0) is None


def test_default_suffix_final_tick_gives_up_the_cr_at_once() -> None:
    framer = Framer()
    framer.feed(b"X\r", now=3.0)
    framer.tick(3.0)
    assert framer.pop() is None
    framer.tick(3.0, final=True)
    assert framer.pop() == Scan("X", b"X\r", None, 3.0)


def test_default_suffix_without_a_held_cr_silence_does_nothing() -> None:
    framer = Framer()
    framer.feed(b"half a scan", now=1.0)
    assert framer.quiet_in(100.0) is None
    framer.tick(100.0, final=True)
    assert framer.pop() is None and framer.pending
    framer.feed(b"\n", now=101.0)
    assert framer.pop() == Scan("half a scan", b"half a scan\n", None, 101.0)


# --- suffix none: silence ends a scan ---------------------------------------------------------------------


def test_quiet_time_ends_a_scan_exactly_after_50_ms() -> None:
    framer = Framer(suffix="none")
    assert framer.quiet_in(0.0) is None  # nothing pending
    framer.feed(b"AB", now=1.0)
    framer.feed(b"CD", now=1.02)  # a byte restarts the silence
    assert framer.quiet_in(1.02) == pytest.approx(SILENCE_S)
    assert framer.quiet_in(1.05) == pytest.approx(0.02)
    assert framer.quiet_in(5.0) == 0.0
    framer.tick(1.02 + SILENCE_S / 2, final=True)  # a read's deadline does not end a scan early
    assert framer.pop() is None and framer.pending
    framer.tick(1.02 + SILENCE_S)
    assert framer.pop() == Scan("ABCD", b"ABCD", None, 1.02)
    assert not framer.pending and framer.quiet_in(9.0) is None


def test_quiet_time_bytes_that_look_like_suffixes_are_data() -> None:
    framer = Framer(suffix="none")
    framer.feed(b"A\r\nB\tC", now=0.0)
    framer.tick(1.0)
    assert _all(framer) == [Scan("A\r\nB\tC", b"A\r\nB\tC", None, 0.0)]


def test_quiet_time_two_scans_need_a_silence_between_them() -> None:
    framer = Framer(suffix="none")
    framer.feed(b"ONE", now=0.0)
    framer.tick(0.06)
    framer.feed(b"TWO", now=0.1)
    framer.tick(0.2)
    assert [(s.text, s.at) for s in _all(framer)] == [("ONE", 0.0), ("TWO", 0.1)]


# --- STX/ETX framing --------------------------------------------------------------------------------------


def test_stx_etx_frames() -> None:
    framer = Framer(stx=True)
    framer.feed(b"noise\r\n\x02AB\rC\x03junk\x03\x02D\x02E", now=1.0)
    assert _all(framer) == [Scan("AB\rC", b"\x02AB\rC\x03", None, 1.0)]
    assert framer.pending  # inside the second frame; an STX inside a frame is data
    framer.feed(b"F\x03", now=2.0)
    assert _all(framer) == [Scan("D\x02EF", b"\x02D\x02EF\x03", None, 2.0)]
    assert not framer.pending


def test_stx_etx_ignores_the_suffix_and_empty_frames() -> None:
    framer = Framer(suffix="cr", stx=True)
    framer.feed(b"\x02\x03\x02A\rB\x03\r", now=0.0)
    assert _all(framer) == [Scan("A\rB", b"\x02A\rB\x03", None, 0.0)]
    assert Framer(stx=True).quiet_in(0.0) is None


def test_stx_etx_split_across_reads() -> None:
    framer = Framer(stx=True)
    for i, chunk in enumerate([b"\x02", b"12", b"34\x03\x02", b"5\x03"]):
        framer.feed(chunk, now=float(i))
    assert _all(framer) == [Scan("1234", b"\x021234\x03", None, 2.0), Scan("5", b"\x025\x03", None, 3.0)]


# --- AIM identifiers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aim", "symbology"),
    [("]Q1", "QR"), ("]Q3", "QR"), ("]C0", "Code128"), ("]E0", "EAN-13"), ("]d2", "DataMatrix"), ("]X9", "]X9")],
)
def test_aim_identifier_is_stripped_and_named(aim: str, symbology: str) -> None:
    framer = Framer(suffix="cr", aim=True)
    framer.feed(aim.encode() + b"0123\r", now=0.0)
    assert framer.pop() == Scan("0123", aim.encode() + b"0123\r", symbology, 0.0)


def test_aim_table() -> None:
    assert AIM_SYMBOLOGIES["]Q1"] == "QR" and AIM_SYMBOLOGIES["]E4"] == "EAN-8" and AIM_SYMBOLOGIES["]I1"] == "ITF"


@pytest.mark.parametrize(
    ("data", "text", "symbology"),
    [
        (b"0123", "0123", None),  # no identifier
        (b"]Q", "]Q", None),  # too short to be one
        (b"]Q1", "", "QR"),  # an identifier and no data
        (b"x]Q1", "x]Q1", None),
    ],
)
def test_aim_without_an_identifier_keeps_the_text(data: bytes, text: str, symbology: str | None) -> None:
    framer = Framer(suffix="lf", aim=True)
    framer.feed(data + b"\n", now=0.0)
    assert framer.pop() == Scan(text, data + b"\n", symbology, 0.0)


def test_aim_identifier_with_bytes_that_are_not_ascii_never_raises() -> None:
    framer = Framer(suffix="cr", aim=True)
    framer.feed("]é牟定".encode() + b"\r", now=0.0)
    # the identifier is read as ASCII: its two bytes of "é" are each a replacement character
    assert framer.pop() == Scan("牟定", "]é牟定".encode() + b"\r", "]\ufffd\ufffd", 0.0)


def test_aim_off_keeps_the_identifier_as_text() -> None:
    framer = Framer(suffix="tab")
    framer.feed(b"]Q1ABC\t", now=0.0)
    assert framer.pop() == Scan("]Q1ABC", b"]Q1ABC\t", None, 0.0)


@pytest.mark.parametrize(
    ("options", "stream"),
    [
        ({"stx": True}, b"\x02]Q1AB\x03\x02]C0CD\x03"),
        ({"suffix": "crlf"}, b"]Q1AB\r\n]C0CD\r\n"),
        ({"suffix": None}, b"]Q1AB\r]C0CD\n"),
    ],
)
def test_aim_with_framing_and_two_scans(options: dict[str, object], stream: bytes) -> None:
    framer = Framer(aim=True, **options)  # type: ignore[arg-type]
    framer.feed(stream, now=0.0)
    framer.tick(1.0, final=True)
    assert [(s.text, s.symbology) for s in _all(framer)] == [("AB", "QR"), ("CD", "Code128")]


# --- limits, text, reset ----------------------------------------------------------------------------------


@pytest.mark.parametrize("aim", [False, True])
def test_a_scan_of_exactly_the_limit_is_kept_whole_and_one_more_byte_is_cut(aim: bool) -> None:
    prefix = b"]Q1" if aim else b""
    framer = Framer(suffix="cr", aim=aim)
    framer.feed(prefix + b"a" * MAX_SCAN_BYTES + b"\r", now=0.0)
    framer.feed(prefix + b"b" * MAX_SCAN_BYTES + b"XYZ\r", now=1.0)
    whole, cut = _all(framer)
    assert (whole.text, whole.raw) == ("a" * MAX_SCAN_BYTES, prefix + b"a" * MAX_SCAN_BYTES + b"\r")
    assert (cut.text, cut.raw, cut.at) == ("b" * MAX_SCAN_BYTES, prefix + b"b" * MAX_SCAN_BYTES + b"\r", 1.0)


def test_a_cut_scan_still_ends_by_silence() -> None:
    framer = Framer(suffix="none")
    framer.feed(b"z" * (MAX_SCAN_BYTES + 10), now=1.0)
    assert framer.pending
    framer.feed(b"more", now=2.0)  # thrown away, but it restarts the silence
    assert framer.quiet_in(2.0) == pytest.approx(SILENCE_S)
    framer.tick(2.0 + SILENCE_S)
    scan = framer.pop()
    assert scan is not None and scan.text == "z" * MAX_SCAN_BYTES and scan.at == 2.0


def test_text_is_utf8_and_raw_keeps_bad_bytes() -> None:
    framer = Framer(suffix="cr")
    framer.feed("牟定腐乳".encode() + b"\xff\r", now=0.0)
    assert framer.pop() == Scan("牟定腐乳\ufffd", "牟定腐乳".encode() + b"\xff\r", None, 0.0)


def test_reset_forgets_the_half_scan_and_clear_also_the_done_ones() -> None:
    framer = Framer()
    framer.feed(b"DONE\nHALF\r", now=0.0)
    framer.reset()
    assert not framer.pending and framer.quiet_in(1.0) is None
    framer.feed(b"NEW\n", now=1.0)
    assert [s.text for s in _all(framer)] == ["DONE", "NEW"]
    framer = Framer(stx=True)
    framer.feed(b"\x02A\x03\x02HALF", now=0.0)
    framer.reset()
    framer.feed(b"B\x03\x02C\x03", now=1.0)  # B was after the dropped frame's start: outside any frame now
    assert [s.raw for s in _all(framer)] == [b"\x02A\x03", b"\x02C\x03"]
    framer = Framer(suffix="none")
    framer.feed(b"X", now=0.0)
    framer.tick(1.0)
    framer.feed(b"Y", now=2.0)
    framer.clear()
    assert framer.pop() is None and not framer.pending and framer.quiet_in(3.0) is None
