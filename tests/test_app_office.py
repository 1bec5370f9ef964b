"""A whole office day in the app, without the command line: an enterprise registered with its licences and
qualifications, approved, its product added and corrected, a lot recorded, inspected, released, a roll bound to
it by scanning the roll's header with the (emulated) scanner, and the lot recalled; an application rejected; an
enterprise blacklisted and taken off again. Every question's Esc leaves the ledger as it was."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.registry import add_enterprise, add_product, review_enterprise, set_blacklisted
from station.texts import language, t
from station.tui.app import make_app
from station.tui.confirm import Confirm

CREDIT = "91532323MA6N0FRU1E"
OTHER_CREDIT = "91110000600037341L"


async def _settle(pilot: Any) -> None:
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _until(pilot: Any, done: Callable[[], Any], timeout_s: float = 10.0) -> None:
    for _ in range(int(timeout_s / 0.05)):
        if done():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen did not get there in time")


def _question(app: Any) -> str | None:
    return str(app.screen.query_one("#question").render()) if isinstance(app.screen, Confirm) else None


def _message(app: Any, box: str = "#message") -> str:
    return str(app.screen.query_one(box).render())


def _picked_up_roll(home: Home, eid: int, pid: int, roll: str = "R0000000001", count: int = 3) -> list[int]:
    """A roll of ``count`` verified labels handed over to the enterprise; its serials."""
    led = home.ledger
    order = issue_codes(home, eid, pid, count).order
    serials = led.codes_in_state(order, State.ISSUED)
    run = led.create_run(order, "50x30", count, "tcp://127.0.0.1:9100", "cam")
    led.open_roll(run, roll, 1)
    for serial in serials:
        led.print_on_roll(serial, roll, {})
        led.transition(serial, "verify", {})
    led.close_roll(roll)
    led.create_pickup(eid, "李四", [roll])
    return serials


async def test_register_approve_product_lot_inspect_release_bind_recall(home: Home, tmp_path: Path) -> None:
    from drivers.emulators.scanner import VirtualScanner

    with VirtualScanner(suffix="CR") as scanner:
        (home.path / "station.toml").write_text(f'[pickup]\nscanner = "{scanner.uri}"\n', encoding="utf-8")
        path = home.path
        home.close()
        home = Home.open(path, operator="tester")
        led = home.ledger
        app = make_app(home)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f4")
            await _settle(pilot)
            await pilot.press("g")  # the application form
            await _settle(pilot)
            form = app.screen
            await pilot.press(*"牟定县新腐乳厂", "enter", *CREDIT, "enter", *"张三 13800000000", "enter")
            await pilot.press(*"JY15323230001", "enter", *"2028-06-30", "enter")  # business licence, until
            form.query_one("#r-food").value = "SP5323230002"  # type: ignore[attr-defined]
            form.query_one("#r-food-until").value = "2027-13-01"  # type: ignore[attr-defined]
            quals = form.query_one("#r-quals")
            quals.select("地理标志")  # type: ignore[attr-defined]
            quals.select("绿色食品")  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await _settle(pilot)
            assert app.screen is form and led.enterprises() == []  # a bad date: told, nothing written
            assert _message(app, "#form-message") == t(
                "enterprise.bad_expiry", licence=t("licence.food"), value="2027-13-01"
            )
            form.query_one("#r-food-until").value = "2027-12-01"  # type: ignore[attr-defined]
            await pilot.press("ctrl+s")
            await _settle(pilot)
            assert not isinstance(app.screen, type(form))
            (ent,) = led.enterprises()
            eid = ent["id"]
            assert (ent["name"], ent["credit_code"], ent["contact"], ent["status"]) == (
                "牟定县新腐乳厂",
                CREDIT,
                "张三 13800000000",
                "pending",
            )
            assert json.loads(ent["documents"]) == {
                "licences": {"business": "JY15323230001", "food": "SP5323230002"},
                "qualifications": ["地理标志", "绿色食品"],
                "licence_expiry": {"business": "2028-06-30", "food": "2027-12-01"},
            }
            assert app.screen.query_one("#list").row_count == 1  # type: ignore[attr-defined]
            assert _message(app) == t("cli.enterprise_added", id=eid, name="牟定县新腐乳厂")
            details = _message(app, "#details")
            assert (
                t("register.licence_until", licence=t("licence.food"), number="SP5323230002", expiry="2027-12-01")
                in details
            )
            assert t("qualification.绿色食品") in details

            await pilot.press("a")  # approve: asked first
            await _settle(pilot)
            assert _question(app) == t("confirm.approve", name="牟定县新腐乳厂", reason="")
            await pilot.press("enter")
            await _settle(pilot)
            assert led.enterprise(eid)["status"] == "approved"

            await pilot.press("n", *"牟定腐乳", "enter", *"532323101001", "enter", *"地理标志", "enter")
            await pilot.press(*"180", "enter", *"6901234567892", "enter")
            await _settle(pilot)
            (product,) = led.products(eid)
            pid = product["id"]
            assert (product["name"], product["shelf_life_days"], product["gtin"]) == ("牟定腐乳", 180, "06901234567892")
            await pilot.press("m")  # correct it: the fields come back, shelf life changed, GTIN cleared
            await _settle(pilot)
            assert _message(app) == t("tui.editing_product", id=pid, name="牟定腐乳")
            app.screen.query_one("#p-shelf").value = "240"  # type: ignore[attr-defined]
            app.screen.query_one("#p-gtin").value = ""  # type: ignore[attr-defined]
            app.screen.query_one("#p-gtin").focus()
            await pilot.press("enter")
            await _settle(pilot)
            product = led.product(pid)
            assert (product["name"], product["shelf_life_days"], product["gtin"]) == ("牟定腐乳", 240, None)
            assert _message(app) == t("product.updated", id=pid, name="牟定腐乳")
            assert len(led.products()) == 1  # corrected, not added
            serials = _picked_up_roll(home, eid, pid)
            second = _picked_up_roll(home, eid, pid, "R0000000002", 2)

            await pilot.press("f8")
            await _settle(pilot)
            await pilot.press("n")  # a new lot, on the only product
            await _settle(pilot)
            await _until(pilot, lambda: app.screen.query("#l-product"))
            app.screen.query_one("#l-product").value = pid  # type: ignore[attr-defined]
            await _settle(pilot)
            await pilot.press(*"MD20261120", "enter", *"2026-11-20", "enter", *"500g", "enter")
            await pilot.press(*"腌制30天;发酵", "enter")
            await _settle(pilot)
            (lot,) = led.lots()
            assert (lot["number"], lot["production_date"], lot["quantity"], lot["records"]) == (
                "MD20261120",
                "2026-11-20",
                "500g",
                ["腌制30天", "发酵"],
            )
            assert _message(app) == t("lot.added", id=lot["id"], number="MD20261120")
            app.screen.query_one("#note").value = "YN-2026-0042"  # type: ignore[attr-defined]
            app.screen.query_one("#list").focus()
            await pilot.press("p")
            await _settle(pilot)
            assert (led.lot(lot["id"])["inspection"], led.lot(lot["id"])["inspection_report"]) == (
                "pass",
                "YN-2026-0042",
            )
            await pilot.press("e", "enter")
            await _settle(pilot)
            assert led.lot(lot["id"])["released"]

            await pilot.press("k")  # bind: scan the roll's header with the scanner (the box reads it while open)
            await _until(pilot, lambda: "serial:" in str(app.screen.query_one("#scanner").render()))
            scanner.scan("R0000000001")
            await _until(pilot, lambda: app.screen.query_one("#bound").row_count == 1)
            assert _message(app, "#form-message") == "✔ " + t(
                "bind.roll_done", roll="R0000000001", n=3, number="MD20261120"
            )
            scanner.scan(str(serials[0]))  # a single label's code is not a roll header: nothing happens
            await _until(pilot, lambda: "✘" in _message(app, "#form-message"))
            app.virtual_scanner = scanner  # as in the demo: Ctrl+N scans the next roll waiting for this lot
            await pilot.press("ctrl+n")
            await _until(pilot, lambda: app.screen.query_one("#bound").row_count == 2)
            assert _message(app, "#form-message") == "✔ " + t(
                "bind.roll_done", roll="R0000000002", n=2, number="MD20261120"
            )
            await pilot.press("ctrl+n")  # none left
            await _until(pilot, lambda: _message(app, "#form-message") == "✘ " + t("bind.no_rolls_left"))
            await pilot.press("escape")
            await _settle(pilot)
            serials += second
            assert [led.code(s)["state"] for s in serials] == [State.BOUND] * 5  # type: ignore[index]
            shown = t("lot.details", quantity="500g", records="腌制30天；发酵", report="YN-2026-0042", bound=5)
            assert _message(app, "#details") == shown

            app.screen.query_one("#note").value = "抽检不合格"  # type: ignore[attr-defined]
            app.screen.query_one("#list").focus()
            await pilot.press("c")
            await _settle(pilot)
            assert _question(app) == t("confirm.recall", number="MD20261120", product="牟定腐乳", reason="抽检不合格")
            await pilot.press("y")
            await _settle(pilot)
            assert led.lot(lot["id"])["recalled"]
            assert [led.code(s)["state"] for s in serials] == [State.RECALLED] * 5  # type: ignore[index]
            assert _message(app, "#details") == shown  # recalled: the five are still its codes
        assert led.verify_audit().ok
        home.close()


async def test_reject_blacklist_and_lift_each_ask_and_esc_changes_nothing(home: Home) -> None:
    led = home.ledger
    pending = add_enterprise(led, "牟定县申请合作社", CREDIT)
    listed = add_enterprise(led, "牟定县另一家合作社", OTHER_CREDIT)
    review_enterprise(led, listed, "approve")
    set_blacklisted(led, listed, True, "假冒他人商标")
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await _settle(pilot)
        reason = app.screen.query_one("#reason")
        await pilot.press("d")  # no reason: refused before any question
        await _settle(pilot)
        assert _question(app) is None and _message(app) == t("tui.reason_needed")
        reason.value = "材料不全"  # type: ignore[attr-defined]
        await pilot.press("d")
        await _settle(pilot)
        assert _question(app) == t("confirm.reject", name="牟定县申请合作社", reason="材料不全")
        await pilot.press("escape")
        await _settle(pilot)
        assert led.enterprise(pending)["status"] == "pending" and _message(app) == t("confirm.cancelled")
        await pilot.press("d", "enter")
        await _settle(pilot)
        assert led.enterprise(pending)["status"] == "rejected"
        assert reason.value == ""  # type: ignore[attr-defined]  # the reason went with the change
        await pilot.press("down")  # the blacklisted one: lift it, with a reason, after a question
        reason.value = "已整改"  # type: ignore[attr-defined]
        await pilot.press("u")
        await _settle(pilot)
        assert _question(app) == t("confirm.unblacklist", name="牟定县另一家合作社", reason="已整改")
        await pilot.press("n")
        await _settle(pilot)
        assert led.enterprise(listed)["blacklisted"]
        await pilot.press("u", "y")
        await _settle(pilot)
        assert not led.enterprise(listed)["blacklisted"]
        reason.value = "再次假冒"  # type: ignore[attr-defined]
        await pilot.press("b", "enter")
        await _settle(pilot)
        assert led.enterprise(listed)["blacklisted"]
        assert led.enterprise(listed)["blacklist_reason"] == "再次假冒"
    kinds = [e["kind"] for e in led.events() if e["enterprise_id"] == listed]
    assert kinds[-2:] == ["enterprise.unblacklist", "enterprise.blacklist"]


async def test_the_forms_dropped_with_esc_record_nothing(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    led = home.ledger
    events = len(led.events())
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await _settle(pilot)
        await pilot.press("g")
        await _settle(pilot)
        await pilot.press(*"牟定县新腐乳厂", "enter", *OTHER_CREDIT, "escape")
        await _settle(pilot)
        assert _message(app) == t("confirm.cancelled")
        await pilot.press("f8")
        await _settle(pilot)
        await pilot.press("n")
        await _settle(pilot)
        app.screen.query_one("#l-product").value = pid  # type: ignore[attr-defined]
        await _settle(pilot)
        await pilot.press(*"MD20261120", "enter", *"2026-11-20", "escape")
        await _settle(pilot)
        assert _message(app) == t("confirm.cancelled")
    assert len(led.enterprises()) == 1 and led.lots() == [] and len(led.events()) == events


async def test_a_lot_form_names_what_is_wrong_and_keeps_what_was_typed(seeded: tuple[Home, int, int]) -> None:
    home, _eid, pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await _settle(pilot)
        await pilot.press("n")
        await _settle(pilot)
        await pilot.press("tab", *"MD1", "enter", *"2026-11-31", "enter", "enter", "enter")  # no product chosen
        await _settle(pilot)
        assert _message(app, "#form-message") == t("lotform.no_product") and home.ledger.lots() == []
        app.screen.query_one("#l-product").value = pid  # type: ignore[attr-defined]
        await _settle(pilot)  # a product chosen: the lot number is next
        assert app.focused is app.screen.query_one("#l-number")
        app.screen.query_one("#l-records").focus()
        await pilot.press("enter")
        await _settle(pilot)
        assert _message(app, "#form-message") == t("lot.bad_date", value="2026-11-31")
        assert app.screen.query_one("#l-number").value == "MD1"  # type: ignore[attr-defined]
        app.screen.query_one("#l-date").value = "2026-11-30"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await _settle(pilot)
    assert [(lot["number"], lot["production_date"]) for lot in home.ledger.lots()] == [("MD1", "2026-11-30")]


def test_a_corrected_product_is_replayed_by_the_audit(seeded: tuple[Home, int, int]) -> None:
    from station.registry import edit_product

    home, eid, pid = seeded
    led = home.ledger
    assert edit_product(led, pid, "532323", "牟定腐乳", "532323101001", ["地理标志"], 180, None) == {}
    changed = edit_product(led, pid, "532323", "牟定腐乳", "532323101002", ["绿色食品"], 90, "6901234567892")
    assert changed == {
        "origin_code": "532323101002",
        "certifications": ["绿色食品"],
        "shelf_life_days": 90,
        "gtin": "06901234567892",
    }
    assert led.verify_audit().ok
    other = add_product(led, eid, "牟定油腐乳", "532323101003", "532323")
    import pytest

    from station.errors import RegistryError

    with pytest.raises(RegistryError):  # renamed into a copy of another product of the same pack: refused
        edit_product(led, other, "532323", "牟定腐乳", "532323101003", [], None, "6901234567892")
    with pytest.raises(RegistryError):
        edit_product(led, other, "532323", "牟定油腐乳", "532323101003", [], 0, None)
    assert led.product(other)["shelf_life_days"] is None
    led._db.execute("UPDATE products SET shelf_life_days = 91 WHERE id = ?", (pid,))  # type: ignore[attr-defined]
    assert not led.verify_audit().ok  # a change made behind the events is found


async def test_function_keys_wait_for_a_form_to_be_closed(seeded: tuple[Home, int, int]) -> None:
    """As with a question, a form is finished or dropped where it was opened: F12 and F1–F11 do nothing meanwhile."""
    from station.tui.register_screen import RegisterEnterprise

    home, _eid, _pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await _settle(pilot)
        await pilot.press("g", *"牟定县新腐乳厂", "enter")
        await _settle(pilot)
        before = language()
        await pilot.press("f12", "f8", "f3")
        await _settle(pilot)
        assert language() == before and isinstance(app.screen, RegisterEnterprise)
        assert app.screen.query_one("#r-name").value == "牟定县新腐乳厂"  # type: ignore[attr-defined]
        await pilot.press("escape", "f8")
        await _settle(pilot)
        assert str(app.screen.query_one("#title").render()) == t("tui.title.lots")
    assert len(home.ledger.enterprises()) == 1


async def test_an_expired_licence_is_said_so(home: Home) -> None:
    from datetime import datetime, timedelta

    from station.zones import DEFAULT_ZONE, zone

    today = datetime.now(zone(DEFAULT_ZONE)).date()  # the station's date: its clock is the county's by default
    past, tomorrow = (today - timedelta(days=2)).isoformat(), (today + timedelta(days=2)).isoformat()
    from station.registry import apply_enterprise

    apply_enterprise(
        home.ledger,
        "甲厂",
        CREDIT,
        "",
        {"business": "JY1", "food": "SP1", "hygiene": "WS1"},
        [],
        {"business": past, "food": tomorrow, "hygiene": today.isoformat()},
    )
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await _settle(pilot)
        details = _message(app, "#details")
        await pilot.press("a")  # approving names the expired licence
        await _settle(pilot)
        question = _question(app) or ""
        await pilot.press("escape")
        await _settle(pilot)
    business, food = t("licence.business"), t("licence.food")
    assert question == t("confirm.approve", name="甲厂", reason="") + "\n" + t(
        "confirm.approve_expired", licences=business
    )
    assert t("register.licence_expired", licence=business, number="JY1", expiry=past) in details
    assert t("register.licence_until", licence=food, number="SP1", expiry=tomorrow) in details
    hygiene = t("licence.hygiene")  # valid through the day it expires on
    assert t("register.licence_until", licence=hygiene, number="WS1", expiry=today.isoformat()) in details


@pytest.mark.all_backends
def test_codes_bound_to_each_lot_are_counted_in_one_query(home: Home) -> None:
    from station.lots import add_lot, bind_codes, inspect_lot, recall_lot, release_lot

    led = home.ledger
    eid = add_enterprise(led, "牟定县新腐乳厂", CREDIT)
    review_enterprise(led, eid, "approve")
    pid = add_product(led, eid, "牟定腐乳", "532323101001", "532323")
    lots = [add_lot(led, pid, number, "2026-11-01") for number in ("L1", "L2", "L3")]
    for lot in lots:
        inspect_lot(led, lot, "pass")
        release_lot(led, lot)
    _picked_up_roll(home, eid, pid, "R0000000001", 3)
    _picked_up_roll(home, eid, pid, "R0000000002", 2)
    assert led.lot_code_counts() == {}
    bind_codes(home, lots[0], "R0000000001")
    bind_codes(home, lots[2], "R0000000002")
    recall_lot(home, lots[2], "抽检不合格")
    assert led.lot_code_counts() == {lots[0]: 3, lots[2]: 2}  # recalled codes are still the lot's


async def test_a_form_left_open_at_sign_out_keeps_nothing_for_the_next_operator(home: Home) -> None:
    from station.operators import add_operator
    from station.tui.app import SignIn

    add_operator(home.ledger, "王主任", "admin", "0000", pin_length=4)
    add_operator(home.ledger, "李会计", "clerk", "1111", pin_length=4)
    app = make_app(home)

    async def sign_in(name: str, pin: str) -> None:
        await pilot.press(*name, "enter", *pin, "enter")
        await _settle(pilot)

    async with app.run_test(size=(120, 40)) as pilot:
        await sign_in("王主任", "0000")
        await pilot.press("f4")
        await _settle(pilot)
        await pilot.press("g", *"牟定县新腐乳厂", "enter")
        await _settle(pilot)
        app.screen.query_one("#r-quals").select("地理标志")  # type: ignore[attr-defined]
        form = app.screen
        app.sign_out("")  # as after idle minutes
        await _settle(pilot)
        assert isinstance(app.screen, SignIn)
        await sign_in("李会计", "1111")
        await pilot.press("f4")
        await _settle(pilot)
        assert app.screen is form
        assert form.query_one("#r-name").value == ""  # type: ignore[attr-defined]
        assert list(form.query_one("#r-quals").selected) == []  # type: ignore[attr-defined]
        await pilot.press("escape")
        await _settle(pilot)
    assert home.ledger.enterprises() == []
