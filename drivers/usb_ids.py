"""USB vendor and product ids of common label printers and barcode scanners (DOMAIN.md §5–6)."""

from __future__ import annotations

PRINTER_VENDORS: dict[int, str] = {
    0x04B8: "Epson",
    0x0A5F: "Zebra",
    0x1203: "TSC",
    0x0519: "Star",
    0x1504: "Bixolon",
    0x1D90: "Citizen",
}

# Makers whose USB ids are shared with other device kinds: matched on vendor and product.
PRINTER_PRODUCTS: dict[tuple[int, int], str] = {
    (0x0483, 0x5743): "Xprinter",
    (0x2D37, 0xCBB4): "Xprinter",
    (0x6868, 0x0500): "Gprinter",
    (0x0471, 0x0055): "Gprinter",
    (0x0416, 0x5011): "POS58",
}

SCANNER_VENDORS: dict[int, str] = {
    0x05E0: "Symbol/Zebra",
    0x0C2E: "Honeywell",
    0x0536: "Honeywell",
    0x05F9: "Datalogic",
    0x080C: "Datalogic",
    0x1EAB: "Newland",
}


def printer_maker(vid: int, pid: int) -> str | None:
    """The maker's name when (vid, pid) looks like a label printer: a known product, a printer maker's vendor id,
    or a printer model's file (``drivers.printers.models``) that lists it."""
    known = PRINTER_PRODUCTS.get((vid, pid)) or PRINTER_VENDORS.get(vid)
    if known:
        return known
    from drivers.printers.models import model_for_usb

    model = model_for_usb(vid, pid)
    return model.maker if model is not None else None


def scanner_maker(vid: int) -> str | None:
    """The maker's name when vid belongs to a barcode-scanner maker."""
    return SCANNER_VENDORS.get(vid)
