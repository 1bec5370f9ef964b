"""An order issued for a lot prints the lot's truth; a lot must exist, and be released unless the setting allows."""

from __future__ import annotations

import numpy as np
import pytest

from station.errors import RegistryError
from station.home import Home
from station.issue import issue_codes
from station.labels.values import order_values
from station.lots import add_lot, inspect_lot, recall_lot, release_lot
from station.settings import set_setting


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
