"""The registry's refusal rules one by one, each asserted by its catalogue key: enterprises (credit code, admission
review, blacklist), products (origin, shelf life), lots (number, date, inspection, release) and the lot tables."""

from __future__ import annotations

import json

import pytest

from station.errors import CodeError, RegistryError
from station.home import Home
from station.lots import add_lot, inspect_lot, release_lot
from station.registry import (
    LICENCES,
    add_enterprise,
    add_product,
    apply_enterprise,
    require_issuable,
    review_enterprise,
    set_blacklisted,
    valid_credit_code,
    valid_origin,
)
from station.texts import t

CODE_A = "91532323MA6N0FRU1E"
CODE_B = "91110000600037341L"


def _events(home: Home, kind: str) -> list[dict[str, object]]:
    return list(home.ledger.events_of([kind]))


# --- enterprises ----------------------------------------------------------------------------------------


def test_credit_code_is_trimmed_upper_cased_and_checked(home: Home) -> None:
    assert valid_credit_code("  91532323ma6n0fru1e \n") == CODE_A
    for bad in ("91532323MA6N0FRU1F", "91532323MA6N0FRU1", "91532323MA6N0FRU1EE", ""):
        with pytest.raises(RegistryError) as e:
            valid_credit_code(bad)
        assert e.value.key == "enterprise.bad_credit_code"
        assert e.value.params["code"] == bad and e.value.params["reason"]
    with pytest.raises(RegistryError) as check:
        valid_credit_code("91532323MA6N0FRU1F")
    assert check.value.params["reason"] == "The number's checksum or check digit is invalid."
    assert home.ledger.enterprises() == []


def test_enterprise_name_is_required_and_fields_are_trimmed(home: Home) -> None:
    for blank in ("", "  \t"):
        with pytest.raises(RegistryError) as e:
            add_enterprise(home.ledger, blank, CODE_A)
        assert e.value.key == "enterprise.name_empty"
    with pytest.raises(RegistryError) as bad:
        add_enterprise(home.ledger, "甲", CODE_A[:-1] + "F")
    assert bad.value.key == "enterprise.bad_credit_code"
    assert home.ledger.enterprises() == []
    eid = add_enterprise(home.ledger, " 甲厂 ", " " + CODE_A.lower(), " 0878-1234567 ")
    ent = home.ledger.enterprise(eid)
    assert (ent["name"], ent["credit_code"], ent["contact"], ent["status"]) == (
        "甲厂",
        CODE_A,
        "0878-1234567",
        "pending",
    )
    assert ent["blacklisted"] == 0
    assert home.ledger.enterprise(add_enterprise(home.ledger, "乙", CODE_B))["contact"] == ""


def test_application_with_licences_and_qualifications(home: Home) -> None:
    with pytest.raises(RegistryError) as e:
        apply_enterprise(home.ledger, "甲", CODE_A, "", {"zoo": "1", "business": "2", "alpha": "3"}, [])
    assert e.value.key == "enterprise.bad_licence"
    allowed = "business licence, hygiene licence, food circulation licence"  # by name, as they may be typed too
    assert e.value.params == {"kinds": "alpha, zoo", "allowed": allowed}
    assert home.ledger.enterprises() == []  # refused before anything is recorded
    licences = {"business": "营业执照 532323000001", "food": "JY15323230000001"}
    eid = apply_enterprise(home.ledger, " 甲 ", CODE_A, " 张三 ", licences, [" 地理标志 ", " ", "绿色食品"])
    ent = home.ledger.enterprise(eid)
    assert (ent["name"], ent["contact"], ent["status"]) == ("甲", "张三", "pending")
    documents = {"licences": licences, "qualifications": ["地理标志", "绿色食品"]}
    assert json.loads(ent["documents"]) == documents
    assert "营业执照" in ent["documents"]  # stored as text, not as \\u escapes
    [event] = _events(home, "enterprise.documents")
    assert event["data"] == documents and event["enterprise_id"] == eid
    other = apply_enterprise(home.ledger, "乙", CODE_B, "", dict.fromkeys(LICENCES, "x"), [])
    assert json.loads(home.ledger.enterprise(other)["documents"]) == {
        "licences": {"business": "x", "hygiene": "x", "food": "x"},
        "qualifications": [],
    }
    assert home.ledger.verify_audit().ok


def test_admission_review_status_changes(home: Home) -> None:
    eid = add_enterprise(home.ledger, "甲", CODE_A)
    for reason in (None, "", "   "):
        with pytest.raises(RegistryError) as e:
            review_enterprise(home.ledger, eid, "reject", reason)
        assert e.value.key == "enterprise.reason_needed"
    assert home.ledger.enterprise(eid)["status"] == "pending"
    review_enterprise(home.ledger, eid, "reject", "证照不全")
    assert home.ledger.enterprise(eid)["status"] == "rejected"
    with pytest.raises(RegistryError) as twice:
        review_enterprise(home.ledger, eid, "reject", "again")
    assert twice.value.key == "enterprise.bad_status_change"
    assert twice.value.params == {"id": eid, "status": t("estatus.rejected"), "action": t("eaction.reject")}
    review_enterprise(home.ledger, eid, "approve")  # a rejected application may be approved after review
    assert home.ledger.enterprise(eid)["status"] == "approved"
    for action in ("approve", "reject"):
        with pytest.raises(RegistryError) as e2:
            review_enterprise(home.ledger, eid, action, "x")
        assert e2.value.key == "enterprise.bad_status_change"
        assert e2.value.params == {"id": eid, "status": t("estatus.approved"), "action": t(f"eaction.{action}")}
    other = add_enterprise(home.ledger, "乙", CODE_B)
    review_enterprise(home.ledger, other, "approve")
    assert home.ledger.enterprise(other)["status"] == "approved"
    assert [e["data"] for e in _events(home, "enterprise.reject")] == [{"reason": "证照不全", "status": "rejected"}]
    assert [(e["enterprise_id"], e["data"]) for e in _events(home, "enterprise.approve")] == [
        (eid, {"reason": None, "status": "approved"}),
        (other, {"reason": None, "status": "approved"}),
    ]
    with pytest.raises(RegistryError) as unknown:
        review_enterprise(home.ledger, 99, "approve")
    assert unknown.value.key == "enterprise.unknown"


def test_blacklist_needs_a_reason_and_a_change(home: Home) -> None:
    eid = add_enterprise(home.ledger, "甲", CODE_A)
    review_enterprise(home.ledger, eid, "approve")
    other = add_enterprise(home.ledger, "乙", CODE_B)
    for value in (True, False):
        for blank in ("", " \t "):
            with pytest.raises(RegistryError) as e:
                set_blacklisted(home.ledger, eid, value, blank)
            assert e.value.key == "enterprise.reason_needed"
    with pytest.raises(RegistryError) as not_on:
        set_blacklisted(home.ledger, eid, False, "整改完成")
    assert not_on.value.key == "enterprise.bad_status_change"
    assert not_on.value.params == {"id": eid, "status": t("estatus.approved"), "action": t("eaction.unblacklist")}
    set_blacklisted(home.ledger, eid, True, " 以次充好 ")
    ent = home.ledger.enterprise(eid)
    assert ent["blacklisted"] == 1 and ent["blacklist_reason"] == "以次充好" and ent["status"] == "approved"
    assert home.ledger.enterprise(other)["blacklisted"] == 0
    with pytest.raises(RegistryError) as twice:
        set_blacklisted(home.ledger, eid, True, "again")
    assert twice.value.key == "enterprise.bad_status_change"
    assert twice.value.params == {"id": eid, "status": t("eaction.blacklist"), "action": t("eaction.blacklist")}
    set_blacklisted(home.ledger, eid, False, " 整改完成 ")
    ent = home.ledger.enterprise(eid)
    assert ent["blacklisted"] == 0 and ent["blacklist_reason"] is None
    assert [e["data"] for e in _events(home, "enterprise.blacklist")] == [
        {"reason": "以次充好", "blacklisted": 1, "blacklist_reason": "以次充好"}
    ]
    assert [e["data"] for e in _events(home, "enterprise.unblacklist")] == [
        {"reason": "整改完成", "blacklisted": 0, "blacklist_reason": None}
    ]
    with pytest.raises(RegistryError) as unknown:
        set_blacklisted(home.ledger, 99, True, "x")
    assert unknown.value.key == "enterprise.unknown"


def test_only_approved_enterprises_off_the_blacklist_are_issuable(home: Home) -> None:
    eid = add_enterprise(home.ledger, "甲", CODE_A)
    with pytest.raises(RegistryError) as pending:
        require_issuable(home.ledger, eid)
    assert pending.value.key == "enterprise.not_approved"
    assert pending.value.params == {"id": eid, "name": "甲", "status": t("estatus.pending")}
    set_blacklisted(home.ledger, eid, True, "假冒")
    with pytest.raises(RegistryError) as black:  # the blacklist is named first, whatever the status
        require_issuable(home.ledger, eid)
    assert black.value.key == "enterprise.blacklisted"
    assert black.value.params == {"id": eid, "name": "甲", "reason": "假冒"}
    set_blacklisted(home.ledger, eid, False, "整改")
    review_enterprise(home.ledger, eid, "reject", "证照不全")
    with pytest.raises(RegistryError) as rejected:
        require_issuable(home.ledger, eid)
    assert rejected.value.key == "enterprise.not_approved" and rejected.value.params["status"] == t("estatus.rejected")
    review_enterprise(home.ledger, eid, "approve")
    assert require_issuable(home.ledger, eid)["id"] == eid
    set_blacklisted(home.ledger, eid, True, "假冒")
    with pytest.raises(RegistryError) as again:
        require_issuable(home.ledger, eid)
    assert again.value.key == "enterprise.blacklisted"
    with pytest.raises(RegistryError) as unknown:
        require_issuable(home.ledger, 99)
    assert unknown.value.key == "enterprise.unknown"


# --- products -------------------------------------------------------------------------------------------


def test_origin_code(home: Home) -> None:
    assert valid_origin(" 532323101001 ", "532323") == "532323101001"
    assert valid_origin("110101001001", "") == "110101001001"  # no county configured: any 12 digits
    for bad, county in (
        ("53232310100", "532323"),
        ("5323231010011", "532323"),
        ("53232310100A", "532323"),
        ("532324101001", "532323"),
        ("１１０１０１００１００１", ""),  # full-width digits are not the code's digits
        ("532323１０１００１", "532323"),
        ("532323١٠١٠٠١", "532323"),  # nor are Arabic-Indic ones
        ("11010100100", ""),
    ):
        with pytest.raises(RegistryError) as e:
            valid_origin(bad, county)
        assert e.value.key == "product.bad_origin"
        assert e.value.params == {"origin": bad, "prefix": county or "GB/T 2260"}


def test_product_rules(home: Home) -> None:
    eid = add_enterprise(home.ledger, "甲", CODE_A)
    for blank in ("", "  "):
        with pytest.raises(RegistryError) as e:
            add_product(home.ledger, eid, blank, "532323101001", "532323")
        assert e.value.key == "product.name_empty"
    for days in (0, -1, 3651):
        with pytest.raises(RegistryError) as e2:
            add_product(home.ledger, eid, "腐乳", "532323101001", "532323", shelf_life_days=days)
        assert e2.value.key == "product.bad_shelf_life" and e2.value.params == {"value": days}
    with pytest.raises(RegistryError) as unknown:
        add_product(home.ledger, eid + 1, "腐乳", "532323101001", "532323")
    assert unknown.value.key == "enterprise.unknown"
    with pytest.raises(RegistryError) as origin:
        add_product(home.ledger, eid, "腐乳", "532324101001", "532323")
    assert origin.value.key == "product.bad_origin"
    with pytest.raises(CodeError) as gtin:
        add_product(home.ledger, eid, "腐乳", "532323101001", "532323", gtin="6901234567893")
    assert gtin.value.key == "code.gtin_bad"
    assert home.ledger.products() == []
    short = add_product(home.ledger, eid, " 腐乳 ", " 532323101001", "532323", shelf_life_days=1)
    long = add_product(
        home.ledger, eid, "油腐乳", "532323101002", "532323", [" 地理标志 ", "", "绿色食品"], 3650, "6901234567892"
    )
    plain = add_product(home.ledger, eid, "豆豉", "532323101003", "532323", None, None, "")
    p = home.ledger.product(short)
    assert (p["name"], p["origin_code"], p["shelf_life_days"], p["certifications"], p["gtin"]) == (
        "腐乳",
        "532323101001",
        1,
        [],
        None,
    )
    p = home.ledger.product(long)
    assert (p["shelf_life_days"], p["certifications"], p["gtin"]) == (3650, ["地理标志", "绿色食品"], "06901234567892")
    p = home.ledger.product(plain)
    assert (p["shelf_life_days"], p["gtin"], p["enterprise_id"]) == (None, None, eid)


# --- lots -----------------------------------------------------------------------------------------------


@pytest.fixture
def products(home: Home) -> tuple[Home, int, int, int]:
    """Enterprise 甲 with products 腐乳 and 油腐乳, enterprise 乙 with 核桃: (home, p1, p2, p3)."""
    a = add_enterprise(home.ledger, "甲", CODE_A)
    b = add_enterprise(home.ledger, "乙", CODE_B)
    p1 = add_product(home.ledger, a, "腐乳", "532323101001", "532323")
    p2 = add_product(home.ledger, a, "油腐乳", "532323101002", "532323")
    p3 = add_product(home.ledger, b, "核桃", "532323102003", "532323")
    return home, p1, p2, p3


def test_lot_number_date_and_records(products: tuple[Home, int, int, int]) -> None:
    home, p1, p2, p3 = products
    ledger: object = home.ledger
    for bad in ("2026-13-01", "2026-02-30", "20xx-01-01", ""):
        with pytest.raises(RegistryError) as e:
            add_lot(home.ledger, p1, "L1", bad)
        assert e.value.key == "lot.bad_date" and e.value.params == {"value": bad}
    for bad_number in ("", "L 1", "批次1", "L" * 21):
        with pytest.raises(CodeError) as e2:
            add_lot(home.ledger, p1, bad_number, "2026-11-20")
        assert e2.value.key == "code.lot_bad"
    with pytest.raises(RegistryError) as unknown:
        add_lot(home.ledger, 99, "L1", "2026-11-20")
    assert unknown.value.key == "product.unknown" and unknown.value.params == {"id": 99}
    lot = add_lot(home.ledger, p1, " L1 ", "2026-11-20", " 500克 ", [" 腌制 30 天 ", " ", "装瓶"])
    row = ledger.lot(lot)  # type: ignore[attr-defined]
    assert (row["number"], row["production_date"], row["quantity"], row["records"]) == (
        "L1",
        "2026-11-20",
        "500克",
        ["腌制 30 天", "装瓶"],
    )
    assert (row["product_id"], row["enterprise_id"], row["inspection"], row["released"], row["recalled"]) == (
        p1,
        1,
        None,
        0,
        0,
    )
    raw = home.ledger._db.execute("SELECT records FROM lots WHERE id = ?", (lot,)).fetchone()[0]  # type: ignore[attr-defined]  # noqa: SLF001
    assert "腌制" in raw  # stored as text, not as \\u escapes
    with pytest.raises(RegistryError) as dup:
        add_lot(home.ledger, p1, "L1", "2026-11-21")
    assert dup.value.key == "lot.duplicate" and dup.value.params == {"number": "L1", "product": p1}
    same_number = add_lot(home.ledger, p2, "L1", "2026-11-21")  # another product may use the number
    theirs = add_lot(home.ledger, p3, "L1", "2026-11-22")
    assert ledger.lot(theirs)["enterprise_id"] == 2  # type: ignore[attr-defined]
    plain = add_lot(home.ledger, p1, "L" * 20, "2026-11-23")
    assert ledger.lot(plain)["records"] == [] and ledger.lot(plain)["quantity"] == ""  # type: ignore[attr-defined]
    assert [x["id"] for x in ledger.lots()] == [lot, same_number, theirs, plain]  # type: ignore[attr-defined]
    assert [x["id"] for x in ledger.lots(p1)] == [lot, plain]  # type: ignore[attr-defined]
    assert [x["id"] for x in ledger.lots(p3)] == [theirs]  # type: ignore[attr-defined]
    assert ledger.lots(99) == []  # type: ignore[attr-defined]
    with pytest.raises(RegistryError) as missing:
        ledger.lot(99)  # type: ignore[attr-defined]
    assert missing.value.key == "lot.unknown" and missing.value.params == {"id": 99}
    events = _events(home, "lot.added")
    assert [(e["enterprise_id"], e["product_id"]) for e in events] == [(1, p1), (1, p2), (2, p3), (1, p1)]
    assert events[0]["data"] == {
        "lot": lot,
        "number": "L1",
        "production_date": "2026-11-20",
        "quantity": "500克",
        "records": ["腌制 30 天", "装瓶"],
    }
    assert home.ledger.verify_audit().ok


def test_inspection_and_release(products: tuple[Home, int, int, int]) -> None:
    home, p1, p2, _p3 = products
    ledger: object = home.ledger
    lot = add_lot(home.ledger, p1, "L1", "2026-11-20")
    other = add_lot(home.ledger, p2, "L1", "2026-11-20")
    with pytest.raises(RegistryError) as never:
        release_lot(home.ledger, lot)
    assert never.value.key == "lot.not_inspected" and never.value.params == {"number": "L1"}
    inspect_lot(home.ledger, lot, "fail", "菌落总数超标")
    with pytest.raises(RegistryError) as failed:
        release_lot(home.ledger, lot)
    assert failed.value.key == "lot.not_inspected"
    inspect_lot(home.ledger, lot, "pass", "YN-2026-0042")  # re-inspected before release
    row = ledger.lot(lot)  # type: ignore[attr-defined]
    assert (row["inspection"], row["inspection_report"], row["released"]) == ("pass", "YN-2026-0042", 0)
    assert ledger.lot(other)["inspection"] is None  # type: ignore[attr-defined]
    release_lot(home.ledger, lot)
    assert ledger.lot(lot)["released"] == 1 and ledger.lot(other)["released"] == 0  # type: ignore[attr-defined]
    for result in ("fail", "pass"):
        with pytest.raises(RegistryError) as late:
            inspect_lot(home.ledger, lot, result, "again")
        assert late.value.key == "lot.already_inspected" and late.value.params == {"number": "L1"}
    assert ledger.lot(lot)["inspection_report"] == "YN-2026-0042"  # type: ignore[attr-defined]
    inspected = _events(home, "lot.inspected")
    assert [e["data"] for e in inspected] == [
        {"lot": lot, "inspection": "fail", "inspection_report": "菌落总数超标"},
        {"lot": lot, "inspection": "pass", "inspection_report": "YN-2026-0042"},
    ]
    assert [(e["enterprise_id"], e["product_id"]) for e in inspected] == [(1, p1), (1, p1)]
    [released] = _events(home, "lot.released")
    assert released["data"] == {"lot": lot, "released": 1}
    with pytest.raises(RegistryError) as unknown:
        inspect_lot(home.ledger, 99, "pass")
    assert unknown.value.key == "lot.unknown"
    with pytest.raises(RegistryError) as unknown2:
        release_lot(home.ledger, 99)
    assert unknown2.value.key == "lot.unknown"


def test_a_recalled_lot_is_not_released(products: tuple[Home, int, int, int]) -> None:
    home, p1, _p2, _p3 = products
    ledger: object = home.ledger
    lot = add_lot(home.ledger, p1, "L1", "2026-11-20")
    inspect_lot(home.ledger, lot, "pass")
    assert ledger.lot(lot)["inspection_report"] == ""  # type: ignore[attr-defined]
    ledger.update_lot(lot, "lot.recalled", {"codes": 0}, recalled=1, recall_reason="原料问题")  # type: ignore[attr-defined]
    with pytest.raises(RegistryError) as e:
        release_lot(home.ledger, lot)
    assert e.value.key == "lot.recalled" and e.value.params == {"number": "L1", "reason": "原料问题"}
    assert ledger.lot(lot)["released"] == 0  # type: ignore[attr-defined]


def test_a_licence_is_named_by_its_key_or_its_name(home: Home) -> None:
    licences = {"营业执照": "532323000001", "food circulation licence": "JY15323230000001"}
    eid = apply_enterprise(home.ledger, "甲", CODE_A, "", licences, [], {"食品流通经营许可证": "2028-06-30"})
    documents = json.loads(home.ledger.enterprise(eid)["documents"])
    assert documents["licences"] == {"business": "532323000001", "food": "JY15323230000001"}
    assert documents["licence_expiry"] == {"food": "2028-06-30"}
