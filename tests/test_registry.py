"""Enterprises and products: admission, blacklist, validated identifiers; on SQLite and on PostgreSQL."""

from __future__ import annotations

import pytest

from station.errors import CodeError, RegistryError
from station.home import Home
from station.issue import issue_codes
from station.registry import add_enterprise, add_product, review_enterprise, set_blacklisted

pytestmark = pytest.mark.all_backends


def test_credit_code_check_character(home: Home) -> None:
    with pytest.raises(RegistryError) as info:
        add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1F")
    assert info.value.key == "enterprise.bad_credit_code" and "91532323MA6N0FRU1F" in info.value.message
    eid = add_enterprise(home.ledger, "甲", "91532323ma6n0fru1e")
    assert home.ledger.enterprise(eid)["credit_code"] == "91532323MA6N0FRU1E"
    with pytest.raises(RegistryError) as dup:
        add_enterprise(home.ledger, "乙", "91532323MA6N0FRU1E")
    assert dup.value.key == "enterprise.duplicate"


def test_only_approved_not_blacklisted_enterprises_get_codes(home: Home) -> None:
    eid = add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1E")
    pid = add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323")
    with pytest.raises(RegistryError) as pending:
        issue_codes(home, eid, pid, 10)
    assert pending.value.key == "enterprise.not_approved"
    review_enterprise(home.ledger, eid, "approve")
    issue_codes(home, eid, pid, 10)
    set_blacklisted(home.ledger, eid, True, "假冒他人产品")
    with pytest.raises(RegistryError) as black:
        issue_codes(home, eid, pid, 10)
    assert black.value.key == "enterprise.blacklisted" and "假冒他人产品" in black.value.message
    set_blacklisted(home.ledger, eid, False, "整改完成")
    issue_codes(home, eid, pid, 10)
    assert len(home.ledger.orders()) == 2


def test_reject_needs_reason_and_blacklist_twice_is_refused(home: Home) -> None:
    eid = add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1E")
    with pytest.raises(RegistryError) as no_reason:
        review_enterprise(home.ledger, eid, "reject", "")
    assert no_reason.value.key == "enterprise.reason_needed"
    review_enterprise(home.ledger, eid, "reject", "证照不全")
    set_blacklisted(home.ledger, eid, True, "x")
    with pytest.raises(RegistryError) as twice:
        set_blacklisted(home.ledger, eid, True, "x")
    assert twice.value.key == "enterprise.bad_status_change"


def test_product_fields_are_validated(home: Home) -> None:
    eid = add_enterprise(home.ledger, "甲", "91532323MA6N0FRU1E")
    with pytest.raises(RegistryError) as origin:
        add_product(home.ledger, eid, "腐乳", "110101001001", "532323")
    assert origin.value.key == "product.bad_origin" and "532323" in origin.value.message
    with pytest.raises(RegistryError) as short:
        add_product(home.ledger, eid, "腐乳", "53232310100", "532323")
    assert short.value.key == "product.bad_origin"
    with pytest.raises(CodeError) as gtin:
        add_product(home.ledger, eid, "腐乳", "532323101001", "532323", gtin="6901234567893")
    assert gtin.value.key == "code.gtin_bad"
    with pytest.raises(RegistryError) as no_name:
        add_product(home.ledger, eid, " ", "532323101001", "532323")
    assert no_name.value.key == "product.name_empty"
    with pytest.raises(RegistryError) as unknown:
        add_product(home.ledger, 99, "腐乳", "532323101001", "532323")
    assert unknown.value.key == "enterprise.unknown"
    pid = add_product(home.ledger, eid, "腐乳", "532323101001", "532323", ["地理标志", " "], 180, "6901234567892")
    product = home.ledger.product(pid)
    assert product["gtin"] == "06901234567892" and product["certifications"] == ["地理标志"]


def test_product_of_another_enterprise_is_refused(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    other = add_enterprise(home.ledger, "乙", "91110000600037341L")
    review_enterprise(home.ledger, other, "approve")
    with pytest.raises(RegistryError) as info:
        issue_codes(home, other, pid, 5)
    assert info.value.key == "product.wrong_enterprise"


def test_count_bounds(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    for bad in (0, -1, home.config.codes.max_per_order + 1):
        with pytest.raises(RegistryError) as info:
            issue_codes(home, eid, pid, bad)
        assert info.value.key == "order.bad_count" and info.value.params["count"] == bad
