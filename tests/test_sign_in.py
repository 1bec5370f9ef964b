"""Signing in: wrong PINs lock a name with back-off, recorded as events, the same for a name that does not exist."""

from __future__ import annotations

import pytest

from station.errors import RegistryError
from station.home import Home
from station.operators import LOCK_AFTER, LOCK_FIRST_S, add_operator, lock_seconds, sign_in


def _wrong(home: Home, name: str, now: float) -> str:
    with pytest.raises(RegistryError) as err:
        sign_in(home.ledger, name, "999999", now=now)
    return err.value.key


def test_five_wrong_pins_lock_the_name_with_back_off(home: Home) -> None:
    add_operator(home.ledger, "张三", "clerk", "123456")
    t0 = 1_000_000.0
    keys = [_wrong(home, "张三", t0 + i) for i in range(LOCK_AFTER)]
    assert keys == ["operator.bad_sign_in"] * (LOCK_AFTER - 1) + ["operator.locked"]
    locked_at = t0 + LOCK_AFTER - 1
    # while locked even the right PIN is refused, unchecked
    with pytest.raises(RegistryError) as err:
        sign_in(home.ledger, "张三", "123456", now=locked_at + LOCK_FIRST_S - 1)
    assert err.value.key == "operator.locked" and "1" in err.value.message
    # once the lock is over one more wrong PIN locks for twice as long
    assert _wrong(home, "张三", locked_at + LOCK_FIRST_S + 1) == "operator.locked"
    with pytest.raises(RegistryError):
        sign_in(home.ledger, "张三", "123456", now=locked_at + LOCK_FIRST_S + 1 + 2 * LOCK_FIRST_S - 1)
    later = locked_at + LOCK_FIRST_S + 1 + 2 * LOCK_FIRST_S + 1
    assert sign_in(home.ledger, "张三", "123456", now=later) == "clerk"
    # a right PIN clears the count: four wrong ones do not lock again
    assert [_wrong(home, "张三", later + i) for i in range(LOCK_AFTER - 1)] == ["operator.bad_sign_in"] * 4
    kinds = [e["kind"] for e in home.ledger.events() if e["kind"].startswith("operator.")]
    assert kinds.count("operator.sign_in_failed") == LOCK_AFTER + 1 + 4
    assert kinds.count("operator.locked") == 2 and kinds.count("operator.signed_in") == 1
    assert home.ledger.verify_audit().ok


def test_a_name_that_does_not_exist_locks_the_same_way(home: Home) -> None:
    keys = [_wrong(home, "不存在", 100.0 + i) for i in range(LOCK_AFTER)]
    assert keys[-1] == "operator.locked"  # a lock does not tell whether the name exists


def test_back_off_doubles_and_stops_at_an_hour() -> None:
    assert lock_seconds(LOCK_AFTER - 1) == 0
    assert lock_seconds(LOCK_AFTER) == LOCK_FIRST_S
    assert lock_seconds(LOCK_AFTER + 1) == 2 * LOCK_FIRST_S
    assert lock_seconds(LOCK_AFTER + 20) == 3600


async def test_the_sign_in_screen_says_the_name_is_locked(home: Home) -> None:
    from textual.widgets import Input, Static

    from station.tui.app import make_app

    add_operator(home.ledger, "张三", "clerk", "123456")
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for _ in range(LOCK_AFTER):
            app.screen.query_one("#name", Input).value = "张三"
            app.screen.query_one("#pin", Input).value = "999999"
            app.screen.query_one("#pin", Input).focus()
            await pilot.press("enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
        message = str(app.screen.query_one("#message", Static).render())
        assert "锁定" in message or "locked" in message
        app.screen.query_one("#pin", Input).value = "123456"  # the right PIN, while locked
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.role is None
