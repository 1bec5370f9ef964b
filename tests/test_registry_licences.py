"""Licence expiry dates and the scheme's qualifications on an application; products corrected after they were
recorded."""

from __future__ import annotations

import json

import pytest

from station.errors import RegistryError
from station.home import Home
from station.registry import QUALIFICATIONS, add_enterprise, add_product, apply_enterprise, edit_product
from station.texts import TEXTS, t

CODE_A, CODE_B = "91532323MA6N0FRU1E", "91110000600037341L"


@pytest.mark.all_backends
def test_expiry_dates_are_checked_and_kept_beside_the_numbers(home: Home) -> None:
    led = home.ledger
    cases = [
        ({"business": "JY1"}, {"business": "2028-02-30"}, "enterprise.bad_expiry"),
        ({"business": "JY1"}, {"business": "30/06/2028"}, "enterprise.bad_expiry"),
        ({"business": "JY1"}, {"food": "2028-06-30"}, "enterprise.expiry_without_number"),
        ({"business": "JY1", "food": " "}, {"food": "2028-06-30"}, "enterprise.expiry_without_number"),
        ({"business": "JY1"}, {"zoo": "2028-06-30"}, "enterprise.bad_licence"),
    ]
    for licences, expiry, key in cases:
        with pytest.raises(RegistryError) as e:
            apply_enterprise(led, "甲", CODE_A, "", licences, [], expiry)
        assert e.value.key == key, (licences, expiry)
    assert led.enterprises() == []  # each refused before anything is recorded
    with pytest.raises(RegistryError) as e:
        apply_enterprise(led, "甲", CODE_A, "", {"food": "SP1"}, [], {"food": "2028-13-01"})
    assert e.value.message == t("enterprise.bad_expiry", licence=t("licence.food"), value="2028-13-01")
    eid = apply_enterprise(
        led, "甲", CODE_A, "", {"business": "JY1", "hygiene": "", "food": "SP2"}, ["地理标志"], {"food": " 2027-12-01 "}
    )
    assert json.loads(led.enterprise(eid)["documents"]) == {
        "licences": {"business": "JY1", "food": "SP2"},  # a licence left empty is not one the enterprise has
        "qualifications": ["地理标志"],
        "licence_expiry": {"food": "2027-12-01"},
    }
    plain = apply_enterprise(led, "乙", CODE_B, "", {"business": "JY2"}, [], {"business": ""})
    assert "licence_expiry" not in json.loads(led.enterprise(plain)["documents"])  # the shape it always had
    assert led.verify_audit().ok


def test_every_qualification_of_the_scheme_has_its_name_in_both_languages() -> None:
    assert {"地理标志", "绿色食品", "有机农产品", "无公害农产品", "中华老字号", "云南老字号", "驰名商标"} <= set(
        QUALIFICATIONS
    )
    for q in QUALIFICATIONS:
        zh, en = TEXTS["qualification." + q]
        assert zh == q and en.isascii() and en


@pytest.mark.all_backends
def test_a_product_is_corrected_field_by_field(home: Home) -> None:
    led = home.ledger
    eid = add_enterprise(led, "甲", CODE_A)
    pid = add_product(led, eid, "牟定腐乳", "532323101001", "532323", ["地理标志"], 180, "6901234567892")
    with pytest.raises(RegistryError) as e:
        edit_product(led, pid, "532323", "牟定腐乳", "532399101001", [], 180, None)  # another county
    assert e.value.key == "product.bad_origin"
    for shelf in (0, 3651):
        with pytest.raises(RegistryError) as e:
            edit_product(led, pid, "532323", "牟定腐乳", "532323101001", [], shelf, None)
        assert e.value.key == "product.bad_shelf_life"
    with pytest.raises(RegistryError):
        edit_product(led, pid, "532323", " ", "532323101001", [], 180, None)
    assert edit_product(led, pid, "532323", "牟定腐乳", "532323101001", ["地理标志"], 3650, "6901234567892") == {
        "shelf_life_days": 3650
    }
    assert edit_product(led, pid, "532323", "牟定腐乳", "532323101001", ["地理标志"], 1, "") == {
        "shelf_life_days": 1,
        "gtin": None,
    }
    [event] = [e for e in led.events() if e["kind"] == "product.updated"][-1:]
    assert event["data"] == {"shelf_life_days": 1, "gtin": None} and event["product_id"] == pid
    assert led.verify_audit().ok
