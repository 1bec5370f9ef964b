"""Scanner drivers against the virtual scanner over a real pty and real pyserial; the pure framing, key-map and
keyboard-wedge functions on their own; the evdev backend against a stand-in module (no input device needed)."""

from __future__ import annotations

import errno
import os
import random
import sys
import time
import types
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drivers.emulators.scanner import VirtualScanner
from drivers.errors import DeviceFault
from drivers.scanners import (
    MAX_SCAN_BYTES,
    Framer,
    KeyDecoder,
    Scan,
    Scanner,
    key_text,
    keys_to_text,
    open_scanner,
    split_wedge,
)

WAIT_S = 2.0  # every read that expects a scan waits at most this long

Rig = Callable[..., tuple[VirtualScanner, Scanner]]


@pytest.fixture
def rig(tmp_path: Path) -> Iterator[Rig]:
    """Make a virtual scanner and open the station's scanner on its URI (or on ``uri(path)``); both closed after."""
    made: list[tuple[VirtualScanner, Scanner]] = []

    def make(uri: Callable[[str], str] | None = None, **options: Any) -> tuple[VirtualScanner, Scanner]:
        virtual = VirtualScanner(link=tmp_path / f"scanner{len(made)}", **options).start()
        scanner = open_scanner(uri(virtual.path) if uri else virtual.uri)
        made.append((virtual, scanner))
        scanner.open()
        return virtual, scanner

    yield make
    for virtual, scanner in made:
        scanner.close()
        virtual.stop()


def read(scanner: Scanner) -> Scan:
    """The next scan; fails the test if none comes within WAIT_S."""
    scan = scanner.read(WAIT_S)
    assert scan is not None, "no scan within the wait"
    return scan


# --- round trips over the pty ------------------------------------------------------------------------

TEXTS = ["HELLO-123", "https://trace.example.org/c/12345678901234567890", "牟定腐乳 批次 A-7"]


@pytest.mark.parametrize("suffix", ["CR", "LF", "CRLF", "TAB", "none"])
def test_each_suffix_round_trips(rig: Rig, suffix: str) -> None:
    virtual, scanner = rig(suffix=suffix)
    assert f"suffix={suffix}" in virtual.uri
    for text in TEXTS:
        before = time.monotonic()
        virtual.scan(text)
        scan = read(scanner)
        assert (scan.text, scan.raw, scan.symbology) == (text, virtual.frame(text), None)
        assert before < scan.at <= time.monotonic()


def test_stx_etx_framing_round_trips_and_ignores_bytes_outside_frames(rig: Rig) -> None:
    virtual, scanner = rig(framing="stx")
    assert "framing=stx" in virtual.uri and "suffix" not in virtual.uri
    virtual.send(b"\r\nnoise")  # outside any frame: ignored
    virtual.scan("LINE1\rLINE2\n中文")  # CR and LF are data inside a frame
    scan = read(scanner)
    assert scan.text == "LINE1\rLINE2\n中文"
    assert scan.raw == b"\x02" + "LINE1\rLINE2\n中文".encode() + b"\x03"


@pytest.mark.parametrize(
    ("aim", "symbology"),
    [("]Q1", "QR"), ("]C0", "Code128"), ("]C1", "Code128"), ("]E0", "EAN-13"), ("]d2", "DataMatrix"), ("]X9", "]X9")],
)
@pytest.mark.parametrize("framing", [None, "stx"])
def test_aim_prefix_is_stripped_and_named(rig: Rig, aim: str, symbology: str, framing: str | None) -> None:
    virtual, scanner = rig(suffix="CRLF", framing=framing, aim_prefix="]Q1")
    assert "aim=1" in virtual.uri
    virtual.scan("4006381333931", aim=aim)
    scan = read(scanner)
    assert (scan.text, scan.symbology) == ("4006381333931", symbology)
    assert scan.raw == virtual.frame("4006381333931", aim=aim)
    assert scan.raw.startswith(aim.encode()) or scan.raw.startswith(b"\x02" + aim.encode())


def test_aim_enabled_but_scan_without_identifier_keeps_its_text(rig: Rig) -> None:
    virtual, scanner = rig(suffix="CR", aim_prefix="]Q1")
    virtual.scan("PLAIN", aim="")
    scan = read(scanner)
    assert (scan.text, scan.symbology, scan.raw) == ("PLAIN", None, b"PLAIN\r")


def test_without_a_suffix_option_cr_lf_and_crlf_each_end_a_scan(rig: Rig) -> None:
    virtual, scanner = rig(lambda path: f"serial://{path}?baudrate=9600", suffix="none")
    sent = [b"CRONLY\r", b"LFONLY\n", b"BOTH\r\n", b"AFTER\r"]
    for raw in sent:
        virtual.send(raw)
    got = [read(scanner) for _ in sent]
    assert [s.text for s in got] == ["CRONLY", "LFONLY", "BOTH", "AFTER"]
    assert [s.raw for s in got] == sent


def test_invalid_utf8_becomes_replacement_characters_and_raw_is_exact(rig: Rig) -> None:
    virtual, scanner = rig(suffix="CR")
    data = b"AB\xff\xfeC\xe4\xba"  # two bytes that are never UTF-8, then a cut-off three-byte sequence
    virtual.scan(data)
    scan = read(scanner)
    assert scan.text == "AB\ufffd\ufffdC\ufffd"
    assert scan.raw == data + b"\r"


def test_control_characters_pass_through(rig: Rig) -> None:
    virtual, scanner = rig(suffix="CRLF")
    data = b"\x1d0104006381333931\x1d21ABC\x00\x04\x1b\x11\x13\x7f\r"  # GS1 separators, NUL, EOT, ESC, XON/XOFF
    virtual.scan(data)
    scan = read(scanner)
    assert scan.raw == data + b"\r\n"
    assert scan.text == data.decode()  # a CR not followed by LF is data under suffix=CRLF


def test_two_scans_arriving_together_are_read_one_at_a_time(rig: Rig) -> None:
    virtual, scanner = rig(suffix="CR", char_delay_s=0)
    virtual.send(b"FIRST\rSECOND\r")
    assert virtual.wait_idle(WAIT_S)
    assert [read(scanner).text, read(scanner).text] == ["FIRST", "SECOND"]
    assert scanner.read(0) is None


@pytest.mark.parametrize(
    ("options", "first", "rest"),
    [
        ({"suffix": "CR"}, b"HALF-", b"SCAN\r"),
        ({"suffix": "CRLF"}, b"HALF-SCAN\r", b"\n"),  # split inside the terminator
        ({"framing": "stx"}, b"\x02HALF-", b"SCAN\x03"),
    ],
)
def test_half_scan_completes_on_the_next_read(rig: Rig, options: dict[str, Any], first: bytes, rest: bytes) -> None:
    virtual, scanner = rig(**options)
    virtual.send(first)
    assert virtual.wait_idle(WAIT_S)
    started = time.monotonic()
    assert scanner.read(0.2) is None
    assert 0.2 <= time.monotonic() - started < 0.2 + 0.5  # the timeout is kept, give or take scheduling
    virtual.send(rest)
    scan = read(scanner)
    assert (scan.text, scan.raw) == ("HALF-SCAN", first + rest)


def test_silence_ends_a_scan_only_after_50_ms(rig: Rig) -> None:
    virtual, scanner = rig(suffix="none", char_delay_s=0.02)  # 20 ms between bytes: still one scan
    virtual.scan("SLOW-BUT-ONE")
    assert read(scanner).text == "SLOW-BUT-ONE"


def test_a_10000_byte_scan_is_cut_to_4096_and_the_next_scan_is_intact(rig: Rig) -> None:
    virtual, scanner = rig(suffix="CRLF")
    data = bytes(0x41 + i % 26 for i in range(10_000))
    virtual.scan(data, char_delay_s=0)
    virtual.scan("NEXT-SCAN")
    long = read(scanner)
    assert MAX_SCAN_BYTES == 4096
    assert long.text == data[:4096].decode()
    assert long.raw == data[:4096] + b"\r\n"
    nxt = read(scanner)
    assert (nxt.text, nxt.raw) == ("NEXT-SCAN", b"NEXT-SCAN\r\n")


@pytest.mark.parametrize("options", [{"suffix": "CR"}, {"framing": "stx"}])
def test_line_noise_then_a_good_scan(rig: Rig, options: dict[str, Any]) -> None:
    virtual, scanner = rig(**options)
    noise = random.Random(7).randbytes(30_000)
    virtual.send(noise + (b"\x03" if "framing" in options else b"\r"), char_delay_s=0)  # close the noise's last scan
    virtual.scan("GOOD")
    deadline = time.monotonic() + 5.0
    seen: list[Scan] = []
    while time.monotonic() < deadline and (not seen or seen[-1].text != "GOOD"):
        scan = scanner.read(0.5)
        if scan is not None:
            seen.append(scan)
    assert seen and seen[-1].text == "GOOD"
    assert all(0 < len(s.text.encode()) <= 3 * MAX_SCAN_BYTES for s in seen)  # U+FFFD is 3 bytes for 1 sent
    assert all(len(s.raw) <= MAX_SCAN_BYTES + 2 for s in seen)


def test_unplug_then_replug_reconnects_by_itself(rig: Rig) -> None:
    virtual, scanner = rig(suffix="CR")
    virtual.scan("BEFORE")
    assert read(scanner).text == "BEFORE"
    assert scanner.connected

    virtual.unplug()
    started = time.monotonic()
    assert scanner.read(0.3) is None
    assert time.monotonic() - started < 1.0
    assert not scanner.connected
    assert scanner.read(0.1) is None  # still gone: None again, no exception

    virtual.replug()
    deadline = time.monotonic() + 3.0
    while not scanner.connected and time.monotonic() < deadline:
        assert scanner.read(0.1) is None
    assert scanner.connected, "did not reconnect within 3 s"
    virtual.scan("AFTER")
    assert read(scanner).text == "AFTER"


def test_a_half_scan_cut_by_an_unplug_is_not_glued_to_the_next(rig: Rig) -> None:
    virtual, scanner = rig(suffix="CR")
    virtual.send(b"CUT-OFF-")
    assert virtual.wait_idle(WAIT_S)
    assert scanner.read(0.1) is None
    virtual.unplug()
    assert scanner.read(0.1) is None and not scanner.connected
    virtual.replug()
    deadline = time.monotonic() + 3.0
    while not scanner.connected and time.monotonic() < deadline:
        scanner.read(0.1)
    virtual.scan("WHOLE")
    assert read(scanner).text == "WHOLE"


def test_second_reader_on_the_same_port_is_refused(rig: Rig) -> None:
    virtual, _ = rig(suffix="CR")
    with pytest.raises(DeviceFault) as caught:
        open_scanner(virtual.uri).open()
    assert virtual.path in str(caught.value.params["reason"])


def test_missing_port_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(DeviceFault) as caught:
        open_scanner(f"serial://{tmp_path}/ttyACM9?suffix=CR").open()
    assert caught.value.code == "dev.scanner.open_failed"
    assert str(caught.value).startswith(f"cannot open {tmp_path}/ttyACM9: ")


def test_read_before_open_is_an_error() -> None:
    with pytest.raises(DeviceFault) as caught:
        open_scanner("serial:///dev/ttyACM0").read(0)
    assert caught.value.code == "dev.scanner.not_open" and "not open" in str(caught.value)


@pytest.mark.parametrize(
    ("uri", "says"),
    [
        ("lpt://1", "unknown kind"),
        ("serial://", "no device path"),
        ("serial:///dev/ttyACM0?suffix=ETX", "suffix must be"),
        ("serial:///dev/ttyACM0?framing=stx&suffix=CR", "leave out suffix"),
        ("serial:///dev/ttyACM0?framing=xml", "framing must be"),
        ("serial:///dev/ttyACM0?baudrate=fast", "not a number"),
        ("serial:///dev/ttyACM0?colour=red", "unknown option"),
        ("evdev://input/event3", "absolute path"),
        ("evdev:///dev/input/event3?layout=fr", "layout must be"),
    ],
)
def test_bad_uris_say_what_is_wrong(uri: str, says: str) -> None:
    with pytest.raises(DeviceFault) as caught:
        open_scanner(uri)
    assert caught.value.code.startswith("dev.scanner.") and says in str(caught.value)


# --- the framer alone ----------------------------------------------------------------------------------


def feed_all(framer: Framer, chunks: list[bytes]) -> list[Scan]:
    """Feed chunks one after another (1 ms apart) and collect the scans."""
    out: list[Scan] = []
    for i, chunk in enumerate(chunks):
        framer.feed(chunk, now=float(i) / 1000)
        while (scan := framer.pop()) is not None:
            out.append(scan)
    return out


payloads = st.lists(st.binary(min_size=1, max_size=40), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(payloads=payloads, cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=8))
@pytest.mark.parametrize(("suffix", "terminator"), [("cr", b"\r"), ("lf", b"\n"), ("tab", b"\t"), ("crlf", b"\r\n")])
def test_framer_cuts_any_stream_into_the_scans_sent(
    suffix: str, terminator: bytes, payloads: list[bytes], cuts: list[int]
) -> None:
    for _ in range(40):  # removing "\r\n" can make a new one ("\r\r\n\n")
        payloads = [p.replace(terminator, b"") or b"x" for p in payloads]
    stream = b"".join(p + terminator for p in payloads)
    points = sorted({0, len(stream), *(c % (len(stream) + 1) for c in cuts)})
    chunks = [stream[a:b] for a, b in zip(points, points[1:], strict=False)]
    scans = feed_all(Framer(suffix=suffix), chunks)
    assert [s.raw for s in scans] == [p + terminator for p in payloads]
    assert [s.text for s in scans] == [p.decode("utf-8", errors="replace") for p in payloads]


def test_framer_default_suffix_holds_a_cr_briefly_then_gives_it_up() -> None:
    framer = Framer()
    framer.feed(b"ABC\r", now=1.0)
    assert framer.pop() is None and framer.quiet_in(1.0) == pytest.approx(0.02)
    framer.tick(1.01)
    assert framer.pop() is None
    framer.tick(1.03)
    scan = framer.pop()
    assert scan is not None and (scan.raw, scan.at) == (b"ABC\r", 1.0)
    framer.feed(b"\nDEF\r", now=2.0)  # an LF that came too late makes an empty scan: dropped
    framer.tick(2.0, final=True)  # the read's deadline: a complete scan is not held back
    scan = framer.pop()
    assert scan is not None and scan.raw == b"DEF\r" and framer.pop() is None


def test_framer_drops_empty_scans_and_keeps_only_complete_ones() -> None:
    scans = feed_all(Framer(suffix="cr"), [b"\r\r\rA\r\r", b"B"])
    assert [s.text for s in scans] == ["A"]
    scans = feed_all(Framer(stx=True), [b"\x02\x03junk\x02X\x03\x02Y"])
    assert [s.raw for s in scans] == [b"\x02X\x03"]


def test_framer_cut_with_aim_keeps_4096_bytes_of_data() -> None:
    framer = Framer(suffix="cr", aim=True)
    framer.feed(b"]Q1" + b"7" * 5000 + b"\rOK\r", now=0.0)
    long, short = framer.pop(), framer.pop()
    assert long is not None and short is not None
    assert (long.text, long.symbology, long.raw) == ("7" * 4096, "QR", b"]Q1" + b"7" * 4096 + b"\r")
    assert short.text == "OK"


# --- evdev ---------------------------------------------------------------------------------------------


def test_evdev_without_python_evdev_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "evdev", None)  # import evdev fails, installed or not
    scanner = open_scanner("evdev:///dev/input/event99")
    with pytest.raises(DeviceFault) as caught:
        scanner.open()
    assert caught.value.code == "dev.scanner.missing_lib" and "pip install evdev" in str(caught.value)


# Linux key codes used below
K = {ch: code for code, ch in enumerate("1234567890", start=2)} | {
    ch: code
    for row, first in (("qwertyuiop", 16), ("asdfghjkl", 30), ("zxcvbnm", 44))
    for code, ch in enumerate(row, start=first)
}
SHIFT, ALTGR, CTRL, CAPS, ENTER, MINUS, SLASH, DOT = 42, 100, 29, 58, 28, 12, 53, 52


def tap(code: int) -> list[tuple[int, int]]:
    return [(code, 1), (code, 0)]


def shifted(code: int, modifier: int = SHIFT) -> list[tuple[int, int]]:
    return [(modifier, 1), (code, 1), (code, 0), (modifier, 0)]


def test_us_layout_with_shift() -> None:
    assert key_text(K["y"]) == "y" and key_text(K["z"]) == "z"
    assert key_text(K["2"], shift=True) == "@" and key_text(SLASH) == "/" and key_text(SLASH, shift=True) == "?"
    events = shifted(K["h"]) + tap(K["t"]) + tap(K["t"]) + tap(K["p"]) + shifted(39) + tap(SLASH) + tap(SLASH)
    events += tap(K["a"]) + tap(DOT) + tap(K["b"]) + tap(SLASH) + tap(K["1"]) + shifted(K["2"]) + tap(ENTER)
    assert keys_to_text(events, "us") == "Http://a.b/1@\n"


def test_de_layout_swaps_y_and_z_and_moves_symbols() -> None:
    assert key_text(K["y"], "de") == "z" and key_text(K["z"], "de") == "y"  # the key labelled Y on US is Z on DE
    assert key_text(K["y"], "de", shift=True) == "Z"
    assert key_text(K["7"], "de", shift=True) == "/" and key_text(K["0"], "de", shift=True) == "="
    assert key_text(SLASH, "de") == "-" and key_text(SLASH, "de", shift=True) == "_"
    assert key_text(K["q"], "de", altgr=True) == "@" and key_text(K["q"], "us", altgr=True) is None
    assert key_text(39, "de") == "ö" and key_text(40, "de", shift=True) == "Ä"
    # "https://z-y.de/Zy?a=1" typed by a scanner set to a German keyboard
    events = tap(K["h"]) + tap(K["t"]) + tap(K["t"]) + tap(K["p"]) + tap(K["s"]) + shifted(DOT) + shifted(K["7"])
    events += shifted(K["7"]) + tap(K["y"]) + tap(SLASH) + tap(K["z"]) + tap(DOT) + tap(K["d"]) + tap(K["e"])
    events += shifted(K["7"]) + shifted(K["y"]) + tap(K["z"]) + shifted(MINUS) + tap(K["a"]) + shifted(K["0"])
    events += tap(K["1"]) + tap(ENTER)
    assert keys_to_text(events, "de") == "https://z-y.de/Zy?a=1\n"
    assert keys_to_text(shifted(K["q"], ALTGR), "de") == "@"


def test_caps_lock_ctrl_and_repeats() -> None:
    decoder = KeyDecoder("us")
    typed = "".join(decoder.feed(c, v) for c, v in tap(CAPS) + tap(K["a"]) + shifted(K["b"]) + tap(K["1"]) + tap(CAPS))
    assert typed == "Ab1"
    assert keys_to_text(shifted(27, CTRL), "us") == "\x1d"  # Ctrl+] is GS, the GS1 separator
    assert keys_to_text(shifted(K["m"], CTRL), "us") == "\r"
    assert keys_to_text([(K["a"], 1), (K["a"], 2), (K["a"], 2), (K["a"], 0)], "us") == "a"
    assert keys_to_text(shifted(K["5"], 56), "us") == ""  # left Alt held: Alt codes are not supported


class FakeEvent:
    """An evdev InputEvent as far as the backend looks."""

    def __init__(self, code: int, value: int, type_: int = 1) -> None:
        self.type, self.code, self.value = type_, code, value


class FakeInputDevice:
    """Enough of evdev.InputDevice: a pipe stands in for the event node so select() works."""

    instances: list[FakeInputDevice] = []
    present = True

    def __init__(self, path: str) -> None:
        if not FakeInputDevice.present:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory")
        self.path = path
        self.fd, self._wfd = os.pipe()
        self.events: list[FakeEvent] = []
        self.grabbed = False
        self.gone = False
        FakeInputDevice.instances.append(self)

    def push(self, events: list[tuple[int, int]]) -> None:
        self.events += [FakeEvent(c, v) for c, v in events] + [FakeEvent(0, 0, type_=0)]  # SYN_REPORT
        os.write(self._wfd, b"x")

    def unplug(self) -> None:
        self.gone = True
        FakeInputDevice.present = False
        os.write(self._wfd, b"x")

    def grab(self) -> None:
        self.grabbed = True

    def ungrab(self) -> None:
        if self.gone:
            raise OSError(errno.ENODEV, "No such device")
        self.grabbed = False

    def read(self) -> Iterator[FakeEvent]:
        os.read(self.fd, 4096)
        if self.gone:
            raise OSError(errno.ENODEV, "No such device")
        if not self.events:
            raise BlockingIOError
        events, self.events = self.events, []
        return iter(events)

    def close(self) -> None:
        for fd in (self.fd, self._wfd):
            try:
                os.close(fd)
            except OSError:
                pass


def test_evdev_backend_grabs_and_reads_scans(monkeypatch: pytest.MonkeyPatch) -> None:
    FakeInputDevice.instances.clear()
    monkeypatch.setattr(FakeInputDevice, "present", True)
    monkeypatch.setitem(sys.modules, "evdev", types.SimpleNamespace(InputDevice=FakeInputDevice))
    scanner = open_scanner("evdev:///dev/input/by-id/usb-Newland-event-kbd?layout=de")
    with scanner:
        dev = FakeInputDevice.instances[-1]
        assert dev.grabbed and dev.path == "/dev/input/by-id/usb-Newland-event-kbd"
        dev.push(tap(K["z"]) + shifted(K["y"]) + tap(K["1"]))
        assert scanner.read(0.05) is None  # no Enter yet: half a scan
        dev.push(tap(ENTER))
        scan = read(scanner)
        assert (scan.text, scan.raw) == ("yZ1", b"yZ1\n")
        dev.unplug()
        assert scanner.read(0.1) is None and not scanner.connected
        FakeInputDevice.present = True  # plugged back: the next attempt (0.5 s later) opens and grabs it again
        time.sleep(0.5)
        assert scanner.read(0.2) is None and scanner.connected
        again = FakeInputDevice.instances[-1]
        assert again is not dev and again.grabbed
        again.push(tap(K["b"]) + tap(ENTER))
        assert read(scanner).text == "b"
    assert not scanner.connected and not again.grabbed


# --- keyboard wedge ------------------------------------------------------------------------------------


def timed(text: str, start: float, gap: float) -> list[tuple[str, float]]:
    return [(ch, start + i * gap) for i, ch in enumerate(text)]


def test_split_wedge_separates_a_fast_scan_from_slow_typing() -> None:
    keys = timed("12345678901234567890\n", 0.0, 0.005) + timed("hello\n", 1.0, 0.15)
    assert split_wedge(keys) == [("scan", "12345678901234567890"), ("typed", "hello\n")]


def test_split_wedge_rules() -> None:
    # typing, then a scanner with no Enter suffix (long enough), then typing again
    keys = timed("ab", 0.0, 0.2) + timed("ABCDEFGH", 1.0, 0.004) + timed("cd", 2.0, 0.2)
    assert split_wedge(keys) == [("typed", "ab"), ("scan", "ABCDEFGH"), ("typed", "cd")]
    # a short fast run ending with Enter is a scan; one key rolled into Enter by a fast typist is not
    assert split_wedge(timed("123\n", 0.0, 0.005)) == [("scan", "123")]
    assert split_wedge(timed("of", 0.0, 0.2) + timed("k\n", 0.6, 0.02)) == [("typed", "ofk\n")]
    # two scans back to back, each ended by Enter
    assert split_wedge(timed("AAAAAA\nBBBBBB\n", 0.0, 0.003)) == [("scan", "AAAAAA"), ("scan", "BBBBBB")]
    # short fast runs without Enter are typing
    assert split_wedge(timed("abc", 0.0, 0.01)) == [("typed", "abc")]
    assert split_wedge([]) == []
