"""A demo county: Mouding enterprises and products, seeded into an empty data directory."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from stdnum import ean
from stdnum.cn import uscc

from station.config import Config
from station.home import Home
from station.issue import IssueResult, issue_codes
from station.lots import add_lot, inspect_lot, release_lot
from station.registry import add_enterprise, add_product, review_enterprise

DEMO_MARK = "（演示）"
# The demo's labels point at `station serve` on this machine (its default address): plain http, which a print
# run allows only with [query] allow_http (station.query.reach), and which the demo's settings turn on.
DEMO_BASE_URL = "http://127.0.0.1:8080/c"
DEMO_SETTINGS = f'[codes]\nbase_url = "{DEMO_BASE_URL}"\n[query]\nallow_http = true\n'


def demo_config(config: Config) -> Config:
    """``config`` with the demo's own settings on top: labels pointing at the local query service, over http."""
    return dataclasses.replace(
        config,
        codes=dataclasses.replace(config.codes, base_url=DEMO_BASE_URL),
        query=dataclasses.replace(config.query, allow_http=True),
    )


@dataclass(frozen=True)
class DemoProduct:
    """A product of a demo enterprise."""

    name: str
    origin: str
    certifications: tuple[str, ...]
    shelf_life_days: int
    gtin_body: str | None = None  # 12 digits; the GS1 check digit is computed


@dataclass(frozen=True)
class DemoEnterprise:
    """A made-up enterprise of the county (names carry the demo mark)."""

    name: str
    credit_body: str  # 17 characters; the GB 32100 check character is computed
    approved: bool
    products: tuple[DemoProduct, ...]


DEMO_ENTERPRISES = (
    DemoEnterprise(
        "牟定县彝乡腐乳食品有限公司",
        "91532323MA6N0FRU1",
        True,
        (
            DemoProduct("牟定腐乳", "532323101001", ("地理标志", "云南老字号"), 180, "690123456789"),
            DemoProduct("牟定油腐乳", "532323101001", ("地理标志",), 240),
        ),
    ),
    DemoEnterprise(
        "牟定县共和核桃种植专业合作社",
        "93532323MA6N0HXC2",
        True,
        (
            DemoProduct("牟定核桃", "532323102003", ("绿色食品",), 365),
            DemoProduct("牟定花椒", "532323103002", ("无公害农产品",), 540),
        ),
    ),
    DemoEnterprise(
        "牟定县安乐白芸豆经营部",
        "92532323MA6N1TJD3",
        False,
        (DemoProduct("牟定白芸豆", "532323104001", (), 720),),
    ),
)


def seed_demo(home: Home, codes: int = 24) -> IssueResult | None:
    """Fill an empty ledger with the demo county and one issued order; None if it already has enterprises."""
    ledger = home.ledger
    if ledger.enterprises():
        return None
    first_product: tuple[int, int] | None = None
    for ent in DEMO_ENTERPRISES:
        credit = ent.credit_body + uscc.calc_check_digit(ent.credit_body)
        eid = add_enterprise(ledger, ent.name + DEMO_MARK, credit, "0878-5211000")
        if ent.approved:
            review_enterprise(ledger, eid, "approve", "演示数据")
        for prod in ent.products:
            gtin = prod.gtin_body + ean.calc_check_digit(prod.gtin_body) if prod.gtin_body else None
            pid = add_product(
                ledger,
                eid,
                prod.name,
                prod.origin,
                home.config.scheme.county_code,
                list(prod.certifications),
                prod.shelf_life_days,
                gtin,
            )
            if first_product is None and ent.approved:
                first_product = (eid, pid)
    assert first_product is not None
    from station.operators import add_operator

    for name, role, pin in DEMO_OPERATORS:
        add_operator(ledger, name, role, pin, pin_length=4)  # the demo keeps the PINs its guide gives
    released = add_lot(ledger, first_product[1], "MD20261101", "2026-11-01", "1200 瓶", ["腌制 90 天"])
    inspect_lot(ledger, released, "pass", "楚雄州食品检验所 2026-1108")
    release_lot(ledger, released)
    add_lot(ledger, first_product[1], "MD20261115", "2026-11-15", "800 瓶")  # awaiting inspection
    return issue_codes(home, first_product[0], first_product[1], codes, lot="MD20261101")


# Demo sign-ins: name, role, PIN (printed when the demo starts; a real station adds its own operators).
DEMO_OPERATORS = (("管理员", "admin", "0000"), ("张三", "clerk", "1111"), ("李质检", "qc", "2222"))


@contextmanager
def demo_devices(home: Home) -> Iterator[dict[str, Any]]:
    """Emulated devices for the demo, with the data directory's settings pointed at them while they run:
    a TSPL label printer on 127.0.0.1 (labels written to ``printed/``), a virtual camera filming it, a virtual
    scanner on a pty, and an ESC/POS receipt printer for pickup slips (written to ``slips/``)."""
    from drivers.emulators.camera import Imaging, Scene, VirtualCamera
    from drivers.emulators.printer import VirtualPrinter
    from drivers.emulators.scanner import VirtualScanner
    from drivers.emulators.servers import TcpPrinterServer

    printer = VirtualPrinter("tspl", out_dir=home.path / "printed", speed_mm_s=150)
    receipt = VirtualPrinter("escpos", out_dir=home.path / "slips")
    scene = Scene()
    scene.attach(printer)
    with (
        TcpPrinterServer(printer) as label_server,
        TcpPrinterServer(receipt) as slip_server,
        VirtualCamera(scene, Imaging(seed=7), fps=30) as camera,
        VirtualScanner(suffix="CR", link=home.path / "scanner-tty") as scanner,
    ):
        devices = {
            "printer": label_server.uri,
            "camera": camera.url,
            "scanner": scanner.uri,
            "slip_printer": slip_server.uri,
        }
        (home.path / "station.toml").write_text(
            "# written by `station demo` for its emulated devices\n"
            f'[printer]\nuri = "{devices["printer"]}"\nlang = "tspl"\n'
            f'[verify]\ncamera = "{devices["camera"]}"\nlatency_s = 0.1\n'
            f'[pickup]\nscanner = "{devices["scanner"]}"\nslip_printer = "{devices["slip_printer"]}"\n' + DEMO_SETTINGS,
            encoding="utf-8",
        )
        yield {**devices, "virtual_scanner": scanner}  # the app's demo key scans with it


def print_demo_order(home: Home, order_id: int, on_update: Any = None, on_warning: Any = None) -> Any:
    """Print and verify an order on emulated devices: a TSPL printer on 127.0.0.1 (labels written as PNG files to
    ``printed/`` in the data directory) filmed by the virtual camera over MJPEG, through the real drivers."""
    from drivers.emulators.camera import Imaging, Scene, VirtualCamera
    from drivers.emulators.printer import VirtualPrinter
    from drivers.emulators.servers import TcpPrinterServer
    from station.run import RunOptions
    from station.run_setup import open_run

    printer = VirtualPrinter("tspl", out_dir=home.path / "printed", speed_mm_s=300)
    scene = Scene()
    scene.attach(printer)
    options = RunOptions(order_id=order_id, roll_size=10, fault_timeout_s=30)
    with (
        TcpPrinterServer(printer) as server,
        VirtualCamera(scene, Imaging(seed=7), fps=30) as camera_server,
        open_run(
            home,
            options,
            printer_uri=server.uri,
            lang="tspl",
            camera_uri=camera_server.url,
            on_update=on_update,
            on_warning=on_warning,
        ) as run,
    ):
        return run.execute()
