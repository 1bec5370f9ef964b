"""The exact bytes each encoder sends, for every job option it takes (not only the defaults).

ESC/POS: ESC @, GS ( D (real-time DLE DC4 off), GS v 0 raster bands of at most 256 rows, then GS FF (next label)
or ESC d 6 + GS V 1 (partial cut), repeated per copy. TSPL: SIZE, GAP (0 = continuous), DIRECTION, REFERENCE,
DENSITY, CLS, BITMAP (1 = white), PRINT 1,copies. ZPL: ^XA ^CI28 ^PW ^LL ^LH, ~SD darkness, ^GFA in Zebra's ASCII
compression (1 = black; written out by hand here), ^PQ copies, ^XZ.
"""

from __future__ import annotations

import copy
import dataclasses

import numpy as np
import pytest
from PIL import Image

from drivers.emulators.printer import VirtualPrinter
from drivers.printers.encoders import (
    BAND_ROWS,
    ENCODERS,
    ESCPOS_REALTIME_OFF,
    LANGUAGES,
    JobOptions,
    encode_escpos,
    encode_tspl,
    encode_zpl,
)
from drivers.printers.printer import LabelPrinter
from station.config import Config
from station.devices import printer_from_config
from tests.printer_helpers import same_pixels

# 10 × 2 dots: row 0 = X.......XX, row 1 = .XXXXXXX..
TINY_BLACK = np.array([[1, 0, 0, 0, 0, 0, 0, 0, 1, 1], [0, 1, 1, 1, 1, 1, 1, 1, 0, 0]], dtype=bool)
ESCPOS_TINY = b"\x1dv0\x00\x02\x00\x02\x00" + bytes([0b10000000, 0b11000000, 0b01111111, 0b00000000])
TSPL_TINY = b"BITMAP 0,0,2,2,0," + bytes([0b01111111, 0b00111111, 0b10000000, 0b11111111]) + b"\r\n"
ZPL_TINY = b"^FO0,0^GFA,4,4,2,80C,7F,^FS\n"  # rows 80C0 and 7F00: trailing zeros are ","
RESET = b"\x1b@" + b"\x1d(D\x05\x00\x14\x01\x00\x02\x00"  # ESC @, GS ( D m=20: DLE DC4 fn 1 and 2 off
NEXT_LABEL = b"\x1d\x0c"  # GS FF
PART_CUT = b"\x1bd\x06" + b"\x1dV\x01"  # ESC d 6 (feed 6 lines), GS V 1 (partial cut)


def _image(black: np.ndarray) -> Image.Image:
    return Image.fromarray(~black)


def _tiny() -> Image.Image:
    return _image(TINY_BLACK)


def test_default_options() -> None:
    assert JobOptions() == JobOptions(
        dpi=203, gap_mm=2.0, copies=1, density=None, cut=False, zpl_graphics="acs", realtime_off=True
    )
    assert RESET == b"\x1b@" + ESCPOS_REALTIME_OFF
    assert LANGUAGES == ("escpos", "tspl", "zpl")
    assert ENCODERS == {"escpos": encode_escpos, "tspl": encode_tspl, "zpl": encode_zpl}
    assert BAND_ROWS == 256
    for encode in ENCODERS.values():
        assert encode(_tiny()) == encode(_tiny(), JobOptions())  # type: ignore[call-arg]


# --- ESC/POS --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (JobOptions(), RESET + ESCPOS_TINY + NEXT_LABEL),
        (JobOptions(cut=True), RESET + ESCPOS_TINY + PART_CUT),
        (JobOptions(copies=2), RESET + (ESCPOS_TINY + NEXT_LABEL) * 2),
        (JobOptions(copies=3, cut=True), RESET + (ESCPOS_TINY + PART_CUT) * 3),
        # a receipt/label printer in ESC/POS has no gap, density or dpi setting in the job: the bytes stay the same
        (JobOptions(gap_mm=0, density=15, dpi=300), RESET + ESCPOS_TINY + NEXT_LABEL),
    ],
)
def test_escpos_bytes_for_each_option(options: JobOptions, expected: bytes) -> None:
    assert encode_escpos(_tiny(), options) == expected


def test_escpos_without_gs_d_for_a_printer_that_does_not_take_it() -> None:
    assert encode_escpos(_tiny(), JobOptions(realtime_off=False)) == b"\x1b@" + ESCPOS_TINY + NEXT_LABEL


def test_escpos_no_copies_sends_only_the_reset() -> None:
    assert encode_escpos(_tiny(), JobOptions(copies=0)) == RESET


def test_escpos_tall_image_is_sent_in_bands_of_256_rows() -> None:
    black = np.zeros((300, 8), dtype=bool)
    black[0, 0] = black[255, 7] = black[256, 1] = black[299, 6] = True
    out = encode_escpos(_image(black))
    first = b"\x1dv0\x00\x01\x00\x00\x01"  # 1 byte wide, 256 rows
    second = b"\x1dv0\x00\x01\x00\x2c\x00"  # 1 byte wide, 44 rows
    rows = np.packbits(black, axis=1).tobytes()
    assert out == RESET + first + rows[:256] + second + rows[256:] + NEXT_LABEL


def test_escpos_exactly_256_rows_is_one_band() -> None:
    black = np.ones((256, 8), dtype=bool)
    assert encode_escpos(_image(black)) == RESET + b"\x1dv0\x00\x01\x00\x00\x01" + b"\xff" * 256 + NEXT_LABEL


def test_escpos_wide_image_prints_without_a_warning_on_stdout(capsys: pytest.CaptureFixture[str]) -> None:
    black = np.zeros((2, 1000), dtype=bool)
    black[:, 999] = True
    out = encode_escpos(_image(black))
    assert out.startswith(RESET + b"\x1dv0\x00\x7d\x00\x02\x00")  # 125 bytes wide, 2 rows: not refused as too wide
    assert out == RESET + b"\x1dv0\x00\x7d\x00\x02\x00" + (b"\x00" * 124 + b"\x01") * 2 + NEXT_LABEL
    assert encode_escpos(_tiny()) == RESET + ESCPOS_TINY + NEXT_LABEL  # a narrower one after it
    assert capsys.readouterr().out == ""


@pytest.fixture
def escpos_profile(monkeypatch: pytest.MonkeyPatch) -> dict[str, object]:
    """python-escpos' printer profile data (shared by every Dummy printer), restored after the test."""
    from escpos.printer import Dummy

    data: dict[str, object] = Dummy().profile.profile_data
    for key in list(data):
        monkeypatch.setitem(data, key, copy.deepcopy(data[key]))
    return data


def test_escpos_unknown_media_width_is_set_to_the_image_width_without_a_warning(
    escpos_profile: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    escpos_profile["media"] = {"dpi": "Unknown", "width": {"mm": "Unknown", "pixels": "Unknown"}}
    assert encode_escpos(_tiny()) == RESET + ESCPOS_TINY + NEXT_LABEL
    assert escpos_profile["media"] == {"dpi": "Unknown", "width": {"mm": "Unknown", "pixels": 10}}
    assert capsys.readouterr().out == ""


def test_escpos_profile_without_media_gets_the_image_width(
    escpos_profile: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    escpos_profile.pop("media", None)
    assert encode_escpos(_tiny()) == RESET + ESCPOS_TINY + NEXT_LABEL
    assert escpos_profile["media"] == {"width": {"pixels": 10}}
    escpos_profile["media"] = {}
    assert encode_escpos(_tiny()) == RESET + ESCPOS_TINY + NEXT_LABEL
    assert escpos_profile["media"] == {"width": {"pixels": 10}}
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(("known", "width", "kept"), [(576, 10, 576), ("576", 10, 576), (8, 10, 10), (0, 10, 10)])
def test_escpos_known_media_width_is_kept_unless_the_image_is_wider(
    escpos_profile: dict[str, object], known: int | str, width: int, kept: int
) -> None:
    escpos_profile["media"] = {"width": {"pixels": known}}
    black = np.zeros((1, width), dtype=bool)
    black[0, 0] = True
    assert encode_escpos(_image(black)) == RESET + b"\x1dv0\x00\x02\x00\x01\x00\x80\x00" + NEXT_LABEL
    assert escpos_profile["media"] == {"width": {"pixels": kept}}


# --- TSPL -----------------------------------------------------------------------------------------------


def _tspl(size: str, gap: str, density: str | None = None, copies: int = 1, bitmap: bytes = TSPL_TINY) -> bytes:
    head = f"SIZE {size}\r\nGAP {gap}\r\nDIRECTION 0,0\r\nREFERENCE 0,0\r\n"
    if density is not None:
        head += f"DENSITY {density}\r\n"
    return (head + "CLS\r\n").encode() + bitmap + f"PRINT 1,{copies}\r\n".encode()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (JobOptions(), _tspl("1.25 mm,0.25 mm", "2 mm,0 mm")),
        # gap stock: the configured gap, not always 2 mm
        (JobOptions(gap_mm=3), _tspl("1.25 mm,0.25 mm", "3 mm,0 mm")),
        (JobOptions(gap_mm=2.5), _tspl("1.25 mm,0.25 mm", "2.5 mm,0 mm")),
        (JobOptions(gap_mm=1.25), _tspl("1.25 mm,0.25 mm", "1.25 mm,0 mm")),
        # continuous media: GAP 0,0
        (JobOptions(gap_mm=0), _tspl("1.25 mm,0.25 mm", "0 mm,0 mm")),
        # density 0 is a setting (the lightest), not "keep the printer's"
        (JobOptions(density=0), _tspl("1.25 mm,0.25 mm", "2 mm,0 mm", density="0")),
        (JobOptions(density=8), _tspl("1.25 mm,0.25 mm", "2 mm,0 mm", density="8")),
        (JobOptions(density=15), _tspl("1.25 mm,0.25 mm", "2 mm,0 mm", density="15")),
        (JobOptions(copies=3), _tspl("1.25 mm,0.25 mm", "2 mm,0 mm", copies=3)),
        (JobOptions(copies=12), _tspl("1.25 mm,0.25 mm", "2 mm,0 mm", copies=12)),
        # the label size in mm follows the printer's resolution
        (JobOptions(dpi=300), _tspl("0.85 mm,0.17 mm", "2 mm,0 mm")),
        (JobOptions(dpi=600), _tspl("0.42 mm,0.08 mm", "2 mm,0 mm")),
        (
            JobOptions(dpi=300, gap_mm=2.5, copies=3, density=8),
            _tspl("0.85 mm,0.17 mm", "2.5 mm,0 mm", density="8", copies=3),
        ),
    ],
)
def test_tspl_bytes_for_each_option(options: JobOptions, expected: bytes) -> None:
    assert encode_tspl(_tiny(), options) == expected


def test_tspl_size_of_a_40_by_30_mm_label() -> None:
    blank = np.zeros((240, 320), dtype=bool)
    out = encode_tspl(_image(blank), JobOptions())
    assert out.startswith(b"SIZE 40.04 mm,30.03 mm\r\nGAP 2 mm,0 mm\r\n")
    assert b"\r\nBITMAP 0,0,40,240,0," + b"\xff" * (40 * 240) + b"\r\nPRINT 1,1\r\n" in out
    out = encode_tspl(_image(blank), JobOptions(dpi=300))
    assert out.startswith(b"SIZE 27.09 mm,20.32 mm\r\n")


def test_tspl_padding_is_white_and_black_is_zero() -> None:
    black = np.ones((1, 10), dtype=bool)
    assert encode_tspl(_image(black)).split(b"BITMAP ", 1)[1] == b"0,0,2,1,0,\x00\x3f\r\nPRINT 1,1\r\n"
    white = np.zeros((1, 8), dtype=bool)
    assert encode_tspl(_image(white)).split(b"BITMAP ", 1)[1] == b"0,0,1,1,0,\xff\r\nPRINT 1,1\r\n"


def test_tspl_gap_setting_reaches_the_printer_as_sent() -> None:
    for gap in (0.0, 1.5, 2.0, 3.0, 4.5):
        out = encode_tspl(_tiny(), JobOptions(gap_mm=gap))
        lines = out.split(b"\r\n")
        assert lines[1] == f"GAP {gap:g} mm,0 mm".encode()


# --- ZPL ------------------------------------------------------------------------------------------------


def _zpl(width: int = 10, length: int = 2, darkness: str | None = None, copies: int = 1, gf: bytes = ZPL_TINY) -> bytes:
    out = f"^XA\n^CI28\n^PW{width}\n^LL{length}\n^LH0,0\n".encode()
    if darkness is not None:
        out += f"~SD{darkness}\n".encode()
    return out + gf + f"^PQ{copies}\n^XZ\n".encode()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (JobOptions(), _zpl()),
        (JobOptions(copies=2), _zpl(copies=2)),
        (JobOptions(copies=25), _zpl(copies=25)),
        # darkness is two digits, 0 included
        (JobOptions(density=0), _zpl(darkness="00")),
        (JobOptions(density=5), _zpl(darkness="05")),
        (JobOptions(density=30), _zpl(darkness="30")),
        # ZPL sizes are in dots and media tracking is the printer's setting: dpi and gap do not change the bytes
        (JobOptions(dpi=300, gap_mm=0), _zpl()),
        (JobOptions(dpi=300, gap_mm=3, copies=3, density=12), _zpl(darkness="12", copies=3)),
    ],
)
def test_zpl_bytes_for_each_option(options: JobOptions, expected: bytes) -> None:
    assert encode_zpl(_tiny(), options) == expected


def test_zpl_padding_is_white_and_hex_is_upper_case() -> None:
    black = np.ones((1, 10), dtype=bool)
    hex_options = JobOptions(zpl_graphics="hex")
    assert encode_zpl(_image(black), hex_options) == _zpl(length=1, gf=b"^FO0,0^GFA,2,2,2,FFC0^FS\n")
    assert encode_zpl(_image(black)) == _zpl(length=1, gf=b"^FO0,0^GFA,2,2,2,FFC,^FS\n")
    black = np.zeros((3, 17), dtype=bool)
    black[:, 16] = True
    black[1, :8] = [1, 0, 1, 0, 1, 0, 1, 1]
    gf = b"^FO0,0^GFA,9,9,3,000080AB0080000080^FS\n"
    assert encode_zpl(_image(black), hex_options) == _zpl(width=17, length=3, gf=gf)
    # rows 000080, AB0080, 000080: "J0" is four 0s; the third row is not the one just before it, so no ":"
    assert encode_zpl(_image(black)) == _zpl(width=17, length=3, gf=b"^FO0,0^GFA,9,9,3,J08,AB008,J08,^FS\n")


# --- what the options mean on a printer ----------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("copies", [1, 3])
def test_copies_come_out_of_the_printer(lang: str, copies: int) -> None:
    black = np.zeros((16, 24), dtype=bool)
    black[2:14, 3:20] = True
    black[5, 5:9] = False
    image = _image(black)
    vp = VirtualPrinter(lang)
    vp.feed(ENCODERS[lang](image, dataclasses.replace(JobOptions(), copies=copies, gap_mm=3.0, density=9)))
    assert len(vp.labels) == copies
    assert all(same_pixels(printed.image, image) for printed in vp.labels)
    assert vp.unknown_commands == []


# --- the configured options reach the job ---------------------------------------------------------------


def test_configured_gap_dpi_and_cut_reach_the_job_bytes() -> None:
    config = Config()
    printer_section = dataclasses.replace(config.printer, uri="socket://127.0.0.1:9", dpi=300, gap_mm=3.0, cut=True)
    config = dataclasses.replace(config, printer=printer_section)
    for lang in LANGUAGES:
        with printer_from_config(config, lang=lang) as printer:
            assert printer.options == JobOptions(dpi=300, gap_mm=3.0, copies=1, density=None, cut=True, media="gap")
            job = printer.encode(_tiny(), copies=2)
        assert job == ENCODERS[lang](_tiny(), JobOptions(dpi=300, gap_mm=3.0, copies=2, cut=True, media="gap"))
    with printer_from_config(config, lang="tspl") as printer:
        assert printer.encode(_tiny()) == _tspl("0.85 mm,0.17 mm", "3 mm,0 mm")
    with LabelPrinter("socket://127.0.0.1:9", "zpl", JobOptions(density=7, gap_mm=0)) as printer:
        assert printer.encode(_tiny(), copies=4) == _zpl(darkness="07", copies=4)
    with LabelPrinter("socket://127.0.0.1:9", "tspl", JobOptions(density=7, gap_mm=0)) as printer:
        assert printer.encode(_tiny(), copies=4) == _tspl("1.25 mm,0.25 mm", "0 mm,0 mm", density="7", copies=4)


# --- grey and colour images -----------------------------------------------------------------------------


def _grey() -> Image.Image:
    """A grey ramp: black where the PIL 1-bit conversion (Floyd-Steinberg dithering) puts black."""
    return Image.fromarray(np.tile(np.linspace(0, 255, 24).astype(np.uint8), (6, 1)), "L")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_grey_and_colour_images_are_dithered_like_a_1_bit_image(lang: str) -> None:
    grey = _grey()
    one_bit = grey.convert("1")
    assert ENCODERS[lang](grey, JobOptions()) == ENCODERS[lang](one_bit, JobOptions())
    assert ENCODERS[lang](grey.convert("RGB"), JobOptions()) == ENCODERS[lang](one_bit, JobOptions())
    black = np.asarray(one_bit) == 0
    assert 0 < black.sum() < black.size and not np.array_equal(black, np.asarray(grey) < 128)  # dithered


def test_grey_image_bits_in_each_language() -> None:
    black = np.asarray(_grey().convert("1")) == 0
    packed = np.packbits(black, axis=1).tobytes()
    assert encode_escpos(_grey()) == RESET + b"\x1dv0\x00\x03\x00\x06\x00" + packed + NEXT_LABEL
    hex_options = JobOptions(zpl_graphics="hex")
    gf = f"^FO0,0^GFA,18,18,3,{packed.hex().upper()}^FS\n".encode()
    assert encode_zpl(_grey(), hex_options) == _zpl(24, 6, gf=gf)
    inverted = bytes(255 - b for b in packed)
    assert encode_tspl(_grey()).split(b"BITMAP ", 1)[1] == b"0,0,3,6,0," + inverted + b"\r\nPRINT 1,1\r\n"
