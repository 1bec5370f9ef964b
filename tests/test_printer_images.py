"""Every image command comes out of the virtual printer as a printer would print it, and what it does not render
is listed, never dropped: ESC/POS through python-escpos' own Network client on loopback, ZPL ^GF data in every
form Zebra documents (written out by hand here, and by zebrafy when it is installed)."""

from __future__ import annotations

import base64
import binascii
import contextlib
import io
import zlib

import numpy as np
import pytest
from escpos.printer import Network
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from drivers.emulators.zpl_decode import decode_ascii, decode_field
from drivers.printers.encoders import JobOptions, encode_escpos, encode_zpl
from drivers.printers.printer import LabelPrinter
from drivers.printers.status import PrinterState
from drivers.printers.zpl_graphics import GRAPHIC_FORMS, compress_ascii, compress_row, graphic_field
from tests.printer_helpers import label, same_pixels, wait_labels


def _black(image: Image.Image) -> np.ndarray:
    return np.asarray(image.convert("1")) == 0


def _send_with_escpos(image: Image.Image, **kwargs: object) -> VirtualPrinter:
    """One image through python-escpos' Network class to the virtual printer, then GS FF (end of label)."""
    vp = VirtualPrinter("escpos")
    with TcpPrinterServer(vp) as server:
        printer = Network("127.0.0.1", server.port, timeout=2)
        printer.open()
        try:
            with contextlib.redirect_stdout(io.StringIO()):  # python-escpos prints profile warnings
                printer.image(image, **kwargs)
            printer._raw(b"\x1d\x0c")
            wait_labels(vp, 1)
        finally:
            printer.close()
    return vp


@pytest.mark.parametrize("impl", ["bitImageRaster", "bitImageColumn", "graphics"])
def test_each_python_escpos_image_command_prints_pixel_identical(impl: str) -> None:
    image = label()
    vp = _send_with_escpos(image, impl=impl)
    assert len(vp.labels) == 1 and vp.unknown_commands == []
    printed = _black(vp.labels[0].image)
    expected = _black(image)
    if impl == "bitImageColumn":
        # column images come in 24-dot bands: the last band is filled out with white rows
        assert printed.shape[0] == -(-expected.shape[0] // 24) * 24
        assert not printed[expected.shape[0] :].any()
        printed = printed[: expected.shape[0]]
    assert np.array_equal(printed, expected)


def test_three_images_three_ways_on_one_connection_give_three_labels() -> None:
    image = label()
    vp = VirtualPrinter("escpos")
    with TcpPrinterServer(vp) as server:
        printer = Network("127.0.0.1", server.port, timeout=2)
        printer.open()
        try:
            for impl in ("bitImageRaster", "bitImageColumn", "graphics"):
                with contextlib.redirect_stdout(io.StringIO()):
                    printer.image(image, impl=impl)
                printer._raw(b"\x1d\x0c")
            wait_labels(vp, 3)
        finally:
            printer.close()
    assert len(vp.labels) == 3 and vp.unknown_commands == []
    for printed in vp.labels:
        assert np.array_equal(_black(printed.image)[: image.height], _black(image))


@pytest.mark.parametrize(
    ("impl", "vertical", "horizontal", "scale_y", "scale_x"),
    [
        ("bitImageColumn", False, True, 3, 1),  # ESC * m=1: 8-dot bands at a third of the vertical density
        ("bitImageColumn", True, False, 1, 2),  # m=32: half the horizontal density
        ("bitImageColumn", False, False, 3, 2),  # m=0
        ("bitImageRaster", True, False, 1, 2),  # GS v 0 m=1: double width
        ("bitImageRaster", False, True, 2, 1),  # m=2: double height
        ("bitImageRaster", False, False, 2, 2),  # m=3: quadruple
        ("graphics", True, False, 1, 2),  # GS ( L fn 112 bx=2
        ("graphics", False, False, 2, 2),  # bx=2, by=2
    ],
)
def test_low_density_images_come_out_enlarged_as_the_command_says(
    impl: str, vertical: bool, horizontal: bool, scale_y: int, scale_x: int
) -> None:
    black = np.zeros((20, 40), dtype=bool)
    black[2:18, 3:30] = True
    black[5:9, 6:12] = False
    image = Image.fromarray(~black)
    vp = _send_with_escpos(image, impl=impl, high_density_vertical=vertical, high_density_horizontal=horizontal)
    assert vp.unknown_commands == []
    printed = _black(vp.labels[0].image)
    expected = np.repeat(np.repeat(black, scale_y, axis=0), scale_x, axis=1)
    assert not printed[expected.shape[0] :].any()  # band padding, white
    assert np.array_equal(printed[: expected.shape[0]], expected)


def test_paper_feeds_between_images_are_white_and_a_feed_before_the_cut_is_not_printed() -> None:
    raster = b"\x1dv0\x00\x01\x00\x02\x00\xff\x81"  # 8 dots wide, 2 rows
    vp = VirtualPrinter("escpos")
    vp.feed(b"\x1b@" + raster + b"\x1bJ\x05" + raster + b"\x1b3\x07\n" + raster + b"\x1bd\x06\x1dV\x01")
    printed = _black(vp.labels[0].image)
    rows = [0xFF, 0x81] + [0] * 5 + [0xFF, 0x81] + [0] * 7 + [0xFF, 0x81]  # ESC J 5 dots; LF with ESC 3 7: 7 dots
    assert np.array_equal(printed, np.unpackbits(np.array(rows, dtype=np.uint8)[:, None], axis=1).astype(bool))
    assert vp.cuts == 1 and vp.unknown_commands == []


def test_gs_8_l_stores_a_picture_that_gs_paren_l_fn_2_prints() -> None:
    # GS 8 L p1 p2 p3 p4 m=48 fn=112 a=48 bx=1 by=1 c=49 x=10 y=2 (2 bytes a row), written out by hand
    body = b"0p0\x01\x011" + b"\x0a\x00\x02\x00" + bytes([0b10000000, 0b11000000, 0b01111111, 0b00000000])
    store = b"\x1d8L" + len(body).to_bytes(4, "little") + body
    vp = VirtualPrinter("escpos")
    vp.feed(b"\x1b@" + store + b"\x1d(L\x02\x00\x30\x02" + b"\x1d\x0c")  # fn 2: print the stored picture
    expected = np.array([[1, 0, 0, 0, 0, 0, 0, 0, 1, 1], [0, 1, 1, 1, 1, 1, 1, 1, 0, 0]], dtype=bool)
    assert vp.unknown_commands == [] and np.array_equal(_black(vp.labels[0].image), expected)


def test_what_the_emulator_does_not_render_is_listed_and_counted() -> None:
    vp = VirtualPrinter("escpos")
    image = label()
    job = encode_escpos(image)
    extra = (
        b"\x1ba\x01"  # centring: not rendered
        + b"hello"  # text: not rendered
        + b"\x1d(k\x04\x001A2\x00"  # a QR code drawn by the printer: not rendered
        + b"\x1b\x7f"  # not a command at all
    )
    vp.feed(job[:-2] + extra + job[-2:])
    assert len(vp.labels) == 1 and same_pixels(vp.labels[0].image, image)
    assert vp.unknown_count == 4
    reasons = b" ".join(vp.unknown_commands)
    for word in (b"placement not rendered", b"text of 5 bytes", b"GS ( command", b"not understood"):
        assert word in reasons


def test_unknown_commands_reach_the_callback() -> None:
    seen: list[bytes] = []
    vp = VirtualPrinter("zpl", on_unknown=seen.append)
    vp.feed(b"^XA^PW8^LL1^FO0,0^GFC,1,1,1,xx^FS^BQN,2,4^XZ")
    assert len(seen) == 2 and seen == vp.unknown_commands


# --- real-time commands inside image data --------------------------------------------------------------


def _image_holding(sequence: bytes, white_rows: int = 0) -> Image.Image:
    """A 64-dot wide picture whose GS v 0 data holds ``sequence`` in each of its last 4 rows."""
    row = (sequence + b"\x00" * 8)[:8]
    bits = np.unpackbits(np.frombuffer(b"\x00" * 8 * white_rows + row * 4, dtype=np.uint8))
    return Image.fromarray(~bits.reshape(white_rows + 4, 64).astype(bool))


def test_a_pulse_hidden_in_image_data_is_disabled_by_the_driver() -> None:
    image = _image_holding(b"\x10\x14\x01\x00\x05")  # DLE DC4 fn=1: a drawer pulse, if acted on
    bare = VirtualPrinter("escpos")
    bare.feed(encode_escpos(image, JobOptions(realtime_off=False)))  # the job without GS ( D
    assert bare.escpos.pulses == 4
    vp = VirtualPrinter("escpos")
    vp.feed(encode_escpos(image))
    assert vp.escpos.pulses == 0 and vp.unknown_commands == []
    assert same_pixels(vp.labels[0].image, image) and same_pixels(bare.labels[0].image, image)


@pytest.mark.parametrize(("fault", "state"), [("paper", PrinterState.PAPER_OUT), ("offline", PrinterState.OFFLINE)])
def test_status_queries_hidden_in_image_data_do_not_mislead_the_driver(fault: str, state: PrinterState) -> None:
    # DLE EOT 2 four times near the end of the job: four stray status bytes, sent while the printer reads the job
    # slowly, so they arrive after the driver threw away what was waiting and before the answer to its query
    image = _image_holding(b"\x10\x04\x02", white_rows=300)
    vp = VirtualPrinter("escpos", faults=PrinterFaults(drain_bytes_per_s=6000))
    with TcpPrinterServer(vp) as server, LabelPrinter(server.uri, "escpos", status_timeout_s=3) as printer:
        if fault == "paper":
            vp.faults.paper_out_after = 1  # the roll runs out with this label: the strays say "online", not the answer
        else:
            vp.faults.offline = True  # only DLE EOT 1 says so: the first answer must not be a stray
        printer.print_image(image)
        assert printer.last_status is not None and printer.last_status.state is state
        vp.faults.drain_bytes_per_s = None
        vp.load_paper()
        vp.set_offline(False)
        assert printer.status().state is PrinterState.ONLINE
    assert sum(command == b"\x10\x04\x02" for command in vp.escpos.realtime_log) >= 4


# --- ZPL ^GF data in every documented form ---------------------------------------------------------------


def test_ascii_compression_written_by_hand() -> None:
    # 3 bytes a row. Row 1: 00 00 FF; row 2: FF FF FF; row 3 = row 2; row 4: AB 00 00; row 5: all 0; row 6: 0F FF FF
    by_hand = "J0!!:AB,,0!"  # J = 4 zeros then the row filled with F; "!" a row of F; ":" that row again
    expected = bytes.fromhex("0000FFFFFFFFFFFFFFAB00000000000FFFFF")
    assert decode_ascii(by_hand, 3, 18) == expected
    assert decode_ascii("gG0O0", 15, 15) == b"\x00" * 15  # g = 20 plus G = 1: 21 zeros, then O = 9 more
    assert decode_ascii("MA", 4, 4) == bytes.fromhex("AAAAAAA0")  # M = 7; the short row ends white
    assert compress_ascii(expected, 3) == by_hand  # the encoder writes the same
    # three of a digit and more take a count, two stay as they are; 421 is z + Y (419, the most one count says)
    # then two more, and 420 leaves one
    rows = ("AAAB", "AAB", "A" * 421 + "B", "A" * 420 + "B")
    assert [compress_row(r) for r in rows] == ["IAB", "AAB", "zYAAAB", "zYAAB"]
    assert decode_ascii(compress_ascii(expected, 3), 3, 18) == expected


@pytest.mark.parametrize("bad", ["0Z0", "G", "0:0", "A,G", "XY"])
def test_malformed_ascii_data_is_refused(bad: str) -> None:
    with pytest.raises(ValueError):
        decode_ascii(bad, 2, 4)


def test_base64_forms_written_by_hand() -> None:
    data = bytes.fromhex("F00F0FF0")
    b64 = base64.b64encode(data)
    z64 = base64.b64encode(zlib.compress(data))
    assert decode_field(f":B64:{b64.decode()}:{binascii.crc_hqx(b64, 0):04X}", 2, 4) == data
    assert decode_field(f":Z64:{z64.decode()}:{binascii.crc_hqx(z64, 0):04x}", 2, 4) == data
    with pytest.raises(ValueError, match="CRC"):
        decode_field(f":Z64:{z64.decode()}:{binascii.crc_hqx(z64, 0) ^ 1:04X}", 2, 4)


@pytest.mark.parametrize("form", GRAPHIC_FORMS)
def test_every_form_prints_the_label_pixel_identical(form: str) -> None:
    image = label()
    vp = VirtualPrinter("zpl")
    vp.feed(encode_zpl(image, JobOptions(zpl_graphics=form)))
    assert vp.unknown_commands == [] and same_pixels(vp.labels[0].image, image)


def test_compressed_graphics_are_far_smaller_than_hex() -> None:
    image = label()
    sizes = {form: len(encode_zpl(image, JobOptions(zpl_graphics=form))) for form in GRAPHIC_FORMS}
    assert sizes["acs"] * 2 < sizes["hex"] and sizes["z64"] * 2 < sizes["hex"]


def test_graphic_field_counts() -> None:
    assert graphic_field(b"\xff\x00", 1, "hex") == "^GFA,2,2,1,FF00"
    field = graphic_field(b"\xff\x00", 1, "z64")
    assert field.startswith("^GFA,") and field.split(",")[2] == "2"  # c: the bytes of the picture
    assert int(field.split(",")[1]) == len(field.split(",", 4)[4])  # b: the characters that follow
    with pytest.raises(ValueError):
        graphic_field(b"\x00", 1, "png")


@pytest.mark.parametrize("form", ["ASCII", "ASCII_COMPRESSED", "B64", "Z64"])
def test_zebrafy_graphics_print_pixel_identical(form: str) -> None:
    graphic_field_module = pytest.importorskip("zebrafy.graphic_field")
    image = label()
    gf = graphic_field_module.GraphicField(image, format=form).get_graphic_field()
    vp = VirtualPrinter("zpl", faults=PrinterFaults())
    vp.feed(f"^XA^PW{image.width}^LL{image.height}^FO0,0{gf}^XZ".encode())
    assert vp.unknown_commands == [] and same_pixels(vp.labels[0].image, image)


@settings(max_examples=200, deadline=None)
@example(row_bytes=300, runs=[(0x00, 299), (0x10, 1)], repeat=False)  # a run of 599 zeros: counts of 419 + 180
@given(
    row_bytes=st.integers(1, 300),
    runs=st.lists(st.tuples(st.sampled_from([0x00, 0xFF, 0x0F, 0xF0, 0xAB, 0x10]), st.integers(1, 700)), min_size=1),
    repeat=st.booleans(),
)
def test_every_form_reads_back_what_was_encoded(row_bytes: int, runs: list[tuple[int, int]], repeat: bool) -> None:
    # long runs, whole rows of 0 or F, repeated rows and runs longer than one count can say
    picture = b"".join(bytes([value]) * count for value, count in runs)
    picture = picture.ljust(-(-len(picture) // row_bytes) * row_bytes, b"\x00")
    if repeat:
        picture = picture[:row_bytes] * (len(picture) // row_bytes)  # every row the same
    for form in GRAPHIC_FORMS:
        field = graphic_field(picture, row_bytes, form)
        text = field.split(",", 4)[4]
        assert decode_field(text, row_bytes, len(picture)) == picture, (form, field)
