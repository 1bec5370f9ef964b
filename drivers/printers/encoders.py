"""Turning a 1-bit label image into printer-language bytes. Nothing here touches a device.

ESC/POS is built by python-escpos (raster ``GS v 0`` in bands of at most 256 rows), after ``GS ( D`` switches off
the real-time ``DLE DC4`` commands (pulse, power-off) that image data could otherwise trigger; TSPL and ZPL are
built here from their manuals, ZPL graphics in Zebra's ASCII compression (``drivers.printers.zpl_graphics``).
Each encoder is declared once in ``ENCODERS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from drivers.printers.zpl_graphics import graphic_field

BAND_ROWS = 256  # GS v 0 bands; larger single commands overflow some printers' buffers
# GS ( D pL pH m=20 [a=1 b=0] [a=2 b=0]: DLE DC4 fn=1 (pulse) and fn=2 (power-off) are not processed, so image
# bytes that happen to read as them do nothing (Epson: "recommended to use this command in advance")
ESCPOS_REALTIME_OFF = b"\x1d(D\x05\x00\x14\x01\x00\x02\x00"


@dataclass(frozen=True)
class JobOptions:
    """How a label is laid on the media."""

    dpi: int = 203
    gap_mm: float = 2.0
    copies: int = 1
    density: int | None = None  # TSPL DENSITY 0-15 / ZPL ~SD 0-30; None keeps the printer's setting
    cut: bool = False  # ESC/POS: cut after the label (receipt printers)
    zpl_graphics: str = "acs"  # ZPL ^GFA data: acs (ASCII compression), z64, hex or b64
    realtime_off: bool = True  # ESC/POS: send GS ( D; off for a printer that neither knows it nor skips it
    speed_mm_s: float = 0.0  # TSPL SPEED / ZPL ^PR, in mm/s; 0 keeps the printer's setting
    media: str | None = None  # gap, mark or continuous; None: TSPL gap stock, ZPL the printer's own setting
    mark_mm: float = 3.0  # black-mark height (TSPL BLINE)
    offset_mm: float = 0.0  # gap or mark offset (TSPL GAP/BLINE n, ZPL ^MN M offset)
    method: str | None = None  # ZPL ^MT: direct or transfer; None keeps the printer's setting


def _bits(image: Image.Image) -> np.ndarray:
    """True where the label is black."""
    return np.asarray(image.convert("1")) == 0


def _packed(bits: np.ndarray, pad: bool = False) -> tuple[bytes, int]:
    """Rows packed MSB first, padded to whole bytes with ``pad``; returns (data, bytes per row)."""
    h, w = bits.shape
    width_bytes = (w + 7) // 8
    padded = np.full((h, width_bytes * 8), pad, dtype=bool)
    padded[:, :w] = bits
    return np.packbits(padded, axis=1).tobytes(), width_bytes


def encode_escpos(image: Image.Image, options: JobOptions = JobOptions()) -> bytes:
    """ESC @, GS ( D (real-time DLE DC4 off), the image as GS v 0 bands (python-escpos), then a cut or a form feed
    to the next label. Media settings send nothing: receipt paper is continuous, and darkness and speed are the
    printer's memory switches, not job commands."""
    from escpos.printer import Dummy

    printer = Dummy()
    # python-escpos print()s a warning when the profile does not know the media width; telling it the width of
    # this image keeps stdout clean without swapping sys.stdout (which would hide other threads' output)
    media = printer.profile.profile_data.setdefault("media", {}).setdefault("width", {})
    media["pixels"] = max(image.width, int(media.get("pixels") or 0) if str(media.get("pixels")).isdigit() else 0)
    printer.hw("INIT")
    if options.realtime_off:
        printer._raw(ESCPOS_REALTIME_OFF)
    for _ in range(options.copies):
        printer.image(image.convert("1"), impl="bitImageRaster", fragment_height=BAND_ROWS)
        if options.cut:
            printer.cut(mode="PART", feed=True)
        else:
            printer._raw(b"\x1d\x0c")  # GS FF: feed to the next label's start (label mode)
    return bytes(printer.output)


def _mm(dots: int, dpi: int) -> str:
    return f"{dots * 25.4 / dpi:.2f}"


def _ips(mm_s: float) -> str:
    """A speed in mm/s as inches per second, to one decimal (TSPL SPEED takes 1.5, 2, 3 … by model)."""
    return f"{round(mm_s / 25.4, 1):g}"


def _tspl_media(options: JobOptions) -> str:
    """GAP m,n for gap stock, BLINE m,n for black-mark stock, GAP 0,0 for continuous stock (TSPL manual)."""
    if options.media == "continuous":
        return "GAP 0,0"
    if options.media == "mark":
        return f"BLINE {options.mark_mm:g} mm,{options.offset_mm:g} mm"
    return f"GAP {options.gap_mm:g} mm,{options.offset_mm:g} mm"


def _zpl_media(options: JobOptions) -> list[str]:
    """^MN (Y gap/notch, M black mark with its offset in dots, N continuous), ^MT, ^PR, ~SD: only what is set."""
    parts = []
    if options.media == "mark":
        parts.append(f"^MNM,{round(options.offset_mm * options.dpi / 25.4)}")
    elif options.media is not None:
        parts.append("^MNN" if options.media == "continuous" else "^MNY")
    if options.method is not None:
        parts.append("^MTT" if options.method == "transfer" else "^MTD")
    if options.speed_mm_s:
        parts.append(f"^PR{max(1, round(options.speed_mm_s / 25.4))}")
    if options.density is not None:
        parts.append(f"~SD{options.density:02d}")
    return parts


def encode_tspl(image: Image.Image, options: JobOptions = JobOptions()) -> bytes:
    """SIZE, GAP, CLS, BITMAP (a 1 bit is white in TSPL) and PRINT, CRLF-terminated."""
    black = _bits(image)
    data, width_bytes = _packed(~black, pad=True)  # TSPL: 1 = white, including the padding
    h, w = black.shape
    head = [f"SIZE {_mm(w, options.dpi)} mm,{_mm(h, options.dpi)} mm", _tspl_media(options), "DIRECTION 0,0"]
    head.append("REFERENCE 0,0")
    if options.speed_mm_s:
        head.append(f"SPEED {_ips(options.speed_mm_s)}")
    if options.density is not None:
        head.append(f"DENSITY {options.density}")
    head.append("CLS")
    out = ("\r\n".join(head) + "\r\n").encode("ascii")
    out += f"BITMAP 0,0,{width_bytes},{h},0,".encode("ascii") + data + b"\r\n"
    out += f"PRINT 1,{options.copies}\r\n".encode("ascii")
    return out


def encode_zpl(image: Image.Image, options: JobOptions = JobOptions()) -> bytes:
    """^XA, label width and length, the image as a ^GFA graphic (1 = black; ASCII-compressed unless the options say
    otherwise), quantity, ^XZ."""
    black = _bits(image)
    h, w = black.shape
    data, width_bytes = _packed(black)
    parts = ["^XA", "^CI28", f"^PW{w}", f"^LL{h}", "^LH0,0", *_zpl_media(options)]
    parts.append(f"^FO0,0{graphic_field(data, width_bytes, options.zpl_graphics)}^FS")
    parts.append(f"^PQ{options.copies}")
    parts.append("^XZ")
    return "\n".join(parts).encode("ascii") + b"\n"


ENCODERS: dict[str, Callable[[Image.Image, JobOptions], bytes]] = {
    "escpos": encode_escpos,
    "tspl": encode_tspl,
    "zpl": encode_zpl,
}
LANGUAGES = tuple(ENCODERS)
