"""Changes that cannot be taken back by a key are asked about first, naming the consequence; the issue form starts
over after issuing; a key never does something dangerous on one screen and something harmless on another."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from station.home import Home
from station.lots import add_lot, inspect_lot
from station.registry import add_enterprise
from station.texts import t
from station.tui.app import make_app
from station.tui.confirm import Confirm

ROOT = Path(__file__).resolve().parent.parent
ENTERPRISE, PRODUCT = "牟定县测试腐乳厂", "牟定腐乳"


async def _settle(pilot: Any) -> None:
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _question(app: Any) -> str | None:
    """The question shown, or None when no confirmation is open."""
    return str(app.screen.query_one("#question").render()) if isinstance(app.screen, Confirm) else None


def _form(app: Any) -> list[str]:
    return [app.screen.query_one(f"#{name}").value for name in ("enterprise", "product", "count")]


async def test_issuing_asks_with_the_count_then_clears_the_form(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await _settle(pilot)
        await pilot.press("enter", *"2000", "enter")  # the product from the list, then the count
        await _settle(pilot)
        assert _question(app) == t("confirm.issue", count=2000, enterprise=ENTERPRISE, product=PRODUCT)
        await pilot.press("escape")
        await _settle(pilot)
        assert _question(app) is None and home.ledger.orders() == []  # cancelled: nothing issued
        assert _form(app) == [str(eid), str(pid), "2000"]  # and nothing lost: Enter asks again
        assert str(app.screen.query_one("#result").render()) == t("confirm.cancelled")
        await pilot.press("enter")
        await _settle(pilot)
        assert _question(app) is not None
        await pilot.press("y")
        await _settle(pilot)
        assert [o["count"] for o in home.ledger.orders()] == [2000]
        assert _form(app) == ["", "", ""]  # the form starts over
        await pilot.press("enter", "enter")  # a second Enter (twice): never the same codes again
        await _settle(pilot)
        assert _question(app) is None and len(home.ledger.orders()) == 1


async def test_an_identical_order_within_a_minute_names_the_earlier_one(seeded: tuple[Home, int, int]) -> None:
    from station.issue import issue_codes

    home, eid, pid = seeded
    earlier = issue_codes(home, eid, pid, 2000).order
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await _settle(pilot)
        await pilot.press("enter", *"2000", "enter")
        await _settle(pilot)
        question = _question(app) or ""
        asked = {
            t("confirm.issue_again", seconds=n, order=earlier, enterprise=ENTERPRISE, product=PRODUCT, count=2000)
            for n in range(61)
        }
        assert question in asked  # the earlier order named, moments ago
        await pilot.press("escape")
        await _settle(pilot)
        app.screen.query_one("#count").value = "1999"  # type: ignore[attr-defined]
        app.screen.query_one("#count").focus()
        await pilot.press("enter")  # another count: an order of its own, asked plainly
        await _settle(pilot)
        assert _question(app) == t("confirm.issue", count=1999, enterprise=ENTERPRISE, product=PRODUCT)
        await pilot.press("enter")
        await _settle(pilot)
    assert [o["count"] for o in home.ledger.orders()] == [2000, 1999]


def test_an_identical_order_older_than_a_minute_is_asked_plainly(seeded: tuple[Home, int, int]) -> None:
    from datetime import UTC, datetime, timedelta

    import station.tui.app as app_module
    from station.issue import issue_codes
    from station.tui.app import REPEAT_WINDOW_S, issue_question

    home, eid, pid = seeded
    issue_codes(home, eid, pid, 50)
    order = home.ledger.orders()[-1]
    created = datetime.fromisoformat(order["created_at"])
    again = t(
        "confirm.issue_again",
        seconds=REPEAT_WINDOW_S,
        order=order["id"],
        enterprise=ENTERPRISE,
        product=PRODUCT,
        count=50,
    )
    plain = t("confirm.issue", count=50, enterprise=ENTERPRISE, product=PRODUCT)

    class At(datetime):
        moment = created

        @classmethod
        def now(cls, tz: Any = None) -> Any:  # type: ignore[override]
            return cls.moment

    original = app_module.datetime
    app_module.datetime = At  # type: ignore[misc]
    try:
        At.moment = created + timedelta(seconds=REPEAT_WINDOW_S)
        assert issue_question(home, eid, pid, 50) == again  # a minute: still asked again
        At.moment = created + timedelta(seconds=REPEAT_WINDOW_S + 1)
        assert issue_question(home, eid, pid, 50) == plain
        At.moment = created
        assert issue_question(home, eid, pid, 51) == t(
            "confirm.issue", count=51, enterprise=ENTERPRISE, product=PRODUCT
        )
    finally:
        app_module.datetime = original  # type: ignore[misc]
    assert created.utcoffset() == timedelta(0) and UTC  # the ledger's times are UTC


async def test_enterprise_changes_ask_first_and_esc_changes_nothing(home: Home) -> None:
    pending = add_enterprise(home.ledger, "牟定县申请合作社", "91532323MA6N0FRU1E")
    other = add_enterprise(home.ledger, "牟定县另一家合作社", "91110000600037341L")
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await _settle(pilot)
        await pilot.press("a")
        await _settle(pilot)
        assert _question(app) == t("confirm.approve", name="牟定县申请合作社", reason="")
        await pilot.press("escape")
        await _settle(pilot)
        assert home.ledger.enterprise(pending)["status"] == "pending"
        await pilot.press("a", "enter")
        await _settle(pilot)
        assert home.ledger.enterprise(pending)["status"] == "approved"
        await pilot.press("b")  # no reason: refused before any question
        await _settle(pilot)
        assert _question(app) is None and str(app.screen.query_one("#message").render()) == t("tui.reason_needed")
        app.screen.query_one("#reason").value = "假冒他人商标"  # type: ignore[attr-defined]
        await pilot.press("b")
        await _settle(pilot)
        assert _question(app) == t("confirm.blacklist", name="牟定县申请合作社", reason="假冒他人商标")
        await pilot.press("n")
        await _settle(pilot)
        assert not home.ledger.enterprise(pending)["blacklisted"]
        await pilot.press("b", "y")
        await _settle(pilot)
        assert home.ledger.enterprise(pending)["blacklisted"]
        await pilot.press("down")
        app.screen.query_one("#reason").value = "材料不全"  # type: ignore[attr-defined]
        await pilot.press("d")
        await _settle(pilot)
        assert _question(app) == t("confirm.reject", name="牟定县另一家合作社", reason="材料不全")
        await pilot.press("enter")
        await _settle(pilot)
        assert home.ledger.enterprise(other)["status"] == "rejected"


async def test_release_and_recall_ask_first_and_r_changes_no_lot(seeded: tuple[Home, int, int]) -> None:
    home, _eid, pid = seeded
    lot = add_lot(home.ledger, pid, "FR20261101", "2026-11-01")
    inspect_lot(home.ledger, lot, "pass", "YN-1")
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await _settle(pilot)
        await pilot.press("r")  # refreshes elsewhere: here it changes nothing either
        await _settle(pilot)
        assert _question(app) is None and not home.ledger.lot(lot)["released"]  # type: ignore[attr-defined]
        await pilot.press("e")
        await _settle(pilot)
        assert _question(app) == t("confirm.release", number="FR20261101", product=PRODUCT, reason="")
        await pilot.press("escape")
        await _settle(pilot)
        assert not home.ledger.lot(lot)["released"]  # type: ignore[attr-defined]
        await pilot.press("e", "enter")
        await _settle(pilot)
        assert home.ledger.lot(lot)["released"]  # type: ignore[attr-defined]
        app.screen.query_one("#note").value = "抽检不合格"  # type: ignore[attr-defined]
        await pilot.press("c")
        await _settle(pilot)
        assert _question(app) == t("confirm.recall", number="FR20261101", product=PRODUCT, reason="抽检不合格")
        await pilot.press("escape")
        await _settle(pilot)
        assert not home.ledger.lot(lot)["recalled"]  # type: ignore[attr-defined]
        assert str(app.screen.query_one("#message").render()) == t("confirm.cancelled")
        await pilot.press("c", "y")
        await _settle(pilot)
        assert home.ledger.lot(lot)["recalled"]  # type: ignore[attr-defined]


async def test_a_question_is_answered_where_it_was_asked(seeded: tuple[Home, int, int]) -> None:
    """The function keys do not leave a question open behind another screen."""
    home, _eid, _pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await _settle(pilot)
        await pilot.press("enter", *"20", "enter")
        await _settle(pilot)
        await pilot.press("f4")
        await _settle(pilot)
        assert _question(app) is not None
        await pilot.press("escape")
        await _settle(pilot)
        assert home.ledger.orders() == []


# --- the key map ----------------------------------------------------------------------------------------

DANGEROUS = {"approve", "reject", "blacklist", "lift", "change('release')", "change('recall')", "stop"}


def _screen_bindings() -> dict[str, list[tuple[str, str]]]:
    """Each screen's own keys: mode -> [(key, action)]."""
    from station.tui.app import StationApp

    found: dict[str, list[tuple[str, str]]] = {}
    for mode, screen in StationApp.MODES.items():
        keys = []
        for binding in vars(screen).get("BINDINGS", []):
            for key in binding.key.split(","):
                keys.append((key.strip(), binding.action))
        found[mode] = keys
    return found


def test_no_key_is_dangerous_on_one_screen_and_harmless_on_another() -> None:
    actions: dict[str, set[str]] = {}
    for keys in _screen_bindings().values():
        for key, action in keys:
            actions.setdefault(key, set()).add(action)
    mixed = {key: sorted(done) for key, done in actions.items() if done & DANGEROUS and len(done) > 1}
    assert mixed == {}
    assert "r" in actions and actions["r"] == {"refresh"}


def test_the_operator_guide_lists_every_screens_keys() -> None:
    from station.tui.keybar import SCREEN_KEYS

    guide = (ROOT / "docs" / "operator-guide.md").read_text(encoding="utf-8")
    bindings = _screen_bindings()
    for fkey, mode in SCREEN_KEYS:
        row = next((line for line in guide.splitlines() if line.startswith(f"| {fkey.upper()} ")), None)
        assert row is not None, f"no row for {fkey.upper()} in the key map"
        for key, _action in bindings[mode]:
            shown = "Ctrl+" + key.removeprefix("ctrl+").upper() if key.startswith("ctrl+") else key
            assert f"`{shown}`" in row, f"{mode}: {key} is not in the key map"


async def test_function_keys_wait_for_the_answer(seeded: tuple[Home, int, int]) -> None:
    """While a question is open, F12 and Ctrl+O do nothing: Enter or Esc first."""
    from station.texts import language

    home, _eid, _pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await _settle(pilot)
        await pilot.press("enter", *"20", "enter")
        await _settle(pilot)
        before = language()
        await pilot.press("f12", "ctrl+o", "f1")
        await _settle(pilot)
        assert language() == before and _question(app) is not None
        await pilot.press("enter")
        await _settle(pilot)
    assert [o["count"] for o in home.ledger.orders()] == [20]
