"""Who is at the station, and what they see: the signed-in operator on every screen, signing out and switching
user, sign-out after an idle time, lists read again whenever shown, and times on the station's clock."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from textual.screen import Screen

from station.config import config_from_mapping
from station.errors import ConfigError
from station.home import Home
from station.issue import issue_codes
from station.lots import add_lot
from station.operators import add_operator
from station.registry import add_enterprise
from station.texts import t
from station.tui.app import SignIn, make_app
from station.tui.confirm import Confirm
from station.zones import shown_time


async def _settle(pilot: Any) -> None:
    for _ in range(2):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _key_line(app: Any) -> str:
    from station.tui.keybar import KeyLine

    return str(app.screen.query_one(KeyLine).render())


async def _sign_in(pilot: Any, name: str, pin: str) -> None:
    await pilot.press(*name, "enter", *pin, "enter")
    await _settle(pilot)


@pytest.fixture
def staffed(seeded: tuple[Home, int, int]) -> tuple[Home, int, int]:
    home, eid, pid = seeded
    add_operator(home.ledger, "王主任", "admin", "0000", pin_length=4)
    add_operator(home.ledger, "李会计", "clerk", "1111", pin_length=4)
    return home, eid, pid


# --- the operator ---------------------------------------------------------------------------------------


async def test_the_operator_is_shown_and_ctrl_o_switches_user(staffed: tuple[Home, int, int]) -> None:
    home, _eid, _pid = staffed
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, SignIn) and t("tui.sign_out") not in _key_line(app)
        await _sign_in(pilot, "王主任", "0000")
        admin = t("tui.signed_in", name="王主任", role=t("role.admin"))
        assert app.role == "admin" and admin in _key_line(app) and t("tui.sign_out") in _key_line(app)
        for key in ("f4", "f8", "f2"):  # on every screen
            await pilot.press(key)
            await _settle(pilot)
            assert admin in _key_line(app), key
        await pilot.press(*"1234")  # typed into the lookup box, then left
        await pilot.press("ctrl+o")
        await _settle(pilot)
        assert isinstance(app.screen, SignIn) and app.role is None
        assert "王主任" not in _key_line(app)
        await pilot.press("f3")  # nobody signed in: no screen opens
        await _settle(pilot)
        assert isinstance(app.screen, SignIn)
        await _sign_in(pilot, "李会计", "1111")
        assert app.role == "clerk" and app.operator == "李会计"
        assert t("tui.signed_in", name="李会计", role=t("role.clerk")) in _key_line(app)
        await pilot.press("f2")
        await _settle(pilot)
        assert app.screen.query_one("#code").value == ""  # type: ignore[attr-defined]  # not left for the next one
        await pilot.press("f10")  # a clerk's rights now: no settings
        await _settle(pilot)
        assert app.screen.query_one("#title").content != t("tui.title.settings")  # type: ignore[attr-defined]


async def test_idle_sign_out_after_the_set_minutes_drops_an_open_question(staffed: tuple[Home, int, int]) -> None:
    home, _eid, _pid = staffed
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "王主任", "0000")
        assert app.idle_sign_out_s == 15 * 60  # the default, [station] idle_sign_out_min = 15
        await pilot.press("f3")
        await _settle(pilot)
        await pilot.press("enter", *"20", "enter")  # a question left open
        await _settle(pilot)
        assert isinstance(app.screen, Confirm)
        app.last_input = time.monotonic() - 15 * 60 + 30  # away 14½ minutes: still signed in
        app.sign_out_if_away()
        await _settle(pilot)
        assert app.role == "admin" and isinstance(app.screen, Confirm)
        app.last_input = time.monotonic() - 15 * 60
        app.sign_out_if_away()
        await _settle(pilot)
        assert isinstance(app.screen, SignIn) and app.role is None
        message = str(app.screen.query_one("#message").render())
        assert message == t("tui.signed_out_idle", minutes=15)
        await _sign_in(pilot, "李会计", "1111")
        assert not isinstance(app.screen, Confirm)
        await pilot.press("f3")
        await _settle(pilot)
        assert not isinstance(app.screen, Confirm)
    assert home.ledger.orders() == []  # the question went with the operator who was asked


async def test_a_key_keeps_the_operator_signed_in(staffed: tuple[Home, int, int]) -> None:
    home, _eid, _pid = staffed
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "王主任", "0000")
        app.last_input = time.monotonic() - 16 * 60
        await pilot.press("f2")
        app.sign_out_if_away()
        await _settle(pilot)
        assert app.role == "admin"


async def test_idle_sign_out_0_never_signs_out(staffed: tuple[Home, int, int]) -> None:
    home, _eid, _pid = staffed
    (home.path / "station.toml").write_text("[station]\nidle_sign_out_min = 0\n", encoding="utf-8")
    app = make_app(Home.open(home.path))
    async with app.run_test(size=(120, 40)) as pilot:
        await _sign_in(pilot, "王主任", "0000")
        app.last_input = time.monotonic() - 10 * 24 * 3600
        app.sign_out_if_away()
        await _settle(pilot)
        assert app.role == "admin" and not isinstance(app.screen, SignIn)


async def test_with_no_operators_nobody_is_signed_out(seeded: tuple[Home, int, int]) -> None:
    home, _eid, _pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert app.role == "admin" and t("tui.sign_out") not in _key_line(app)
        await pilot.press("ctrl+o")
        app.last_input = time.monotonic() - 3600
        app.sign_out_if_away()
        await _settle(pilot)
        assert app.role == "admin" and not isinstance(app.screen, SignIn)


def test_idle_sign_out_setting_is_checked() -> None:
    assert config_from_mapping({}).station.idle_sign_out_min == 15
    assert config_from_mapping({"station": {"idle_sign_out_min": 0}}).station.idle_sign_out_min == 0
    for bad in (-1, 1441, "15"):
        with pytest.raises(ConfigError):
            config_from_mapping({"station": {"idle_sign_out_min": bad}})


# --- fresh lists ----------------------------------------------------------------------------------------


def _rows(app: Any, table: str = "#list") -> int:
    return int(app.screen.query_one(table).row_count)


async def test_every_list_is_read_again_when_shown_again(seeded: tuple[Home, int, int]) -> None:
    """Changes made elsewhere (another station, the command line, another screen) are there on coming back."""
    home, eid, pid = seeded
    add_lot(home.ledger, pid, "FR20261101", "2026-11-01")
    elsewhere = Home.open(home.path)  # as another process writes the same ledger
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await _settle(pilot)
        await pilot.press("f4")
        await _settle(pilot)
        await pilot.press("f6")
        await _settle(pilot)
        await pilot.press("f5")
        await _settle(pilot)
        lots, enterprises, orders = 1, 1, _rows(app, "#orders")
        add_lot(elsewhere.ledger, pid, "FR20261102", "2026-11-02")
        add_enterprise(elsewhere.ledger, "牟定县另一家合作社", "91110000600037341L")
        issue_codes(elsewhere, eid, pid, 3)
        await pilot.press("f8")
        await _settle(pilot)
        assert _rows(app) == lots + 1
        await pilot.press("f4")
        await _settle(pilot)
        assert _rows(app) == enterprises + 1
        await pilot.press("f5")
        await _settle(pilot)
        assert _rows(app, "#orders") == orders + 1
    elsewhere.close()


async def test_work_ending_behind_another_screen_reloads_the_one_shown(seeded: tuple[Home, int, int]) -> None:
    """A print run or a pickup ends while the clerk is on another screen: that screen reads its list again."""
    home, _eid, pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f8")
        await _settle(pilot)
        lots = app.screen
        assert _rows(app) == 0
        add_lot(home.ledger, pid, "FR20261101", "2026-11-01")
        app.data_changed(lots)  # the screen that made the change has read its list already
        await _settle(pilot)
        assert _rows(app) == 0
        app.data_changed(Screen())  # another screen's work, such as a print run's end
        await _settle(pilot)
        assert _rows(app) == 1


async def test_a_change_on_one_screen_is_on_the_others_when_shown(seeded: tuple[Home, int, int]) -> None:
    """Approve on the enterprises screen: its products are on the issue screen's list at once."""
    home, _eid, _pid = seeded
    from station.registry import add_product

    pending = add_enterprise(home.ledger, "牟定县另一家合作社", "91110000600037341L")
    add_product(home.ledger, pending, "牟定酱油", "532323101009", "532323", [], 365)
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await _settle(pilot)
        before = _rows(app, "#choices")
        await pilot.press("f4")
        await _settle(pilot)
        app.screen.query_one("#list").move_cursor(row=1)  # type: ignore[attr-defined]
        await pilot.press("a", "enter")
        await _settle(pilot)
        assert home.ledger.enterprise(pending)["status"] == "approved"
        await pilot.press("f3")
        await _settle(pilot)
        assert _rows(app, "#choices") == before + 1


# --- the station's clock --------------------------------------------------------------------------------


def test_shown_time_is_the_stations_clock() -> None:
    stamp = "2026-11-20T01:00:05.123456Z"  # as the ledger writes: UTC
    assert shown_time(stamp, "Asia/Shanghai") == "2026-11-20 09:00:05"
    assert shown_time(stamp, "Asia/Shanghai", with_offset=True) == "2026-11-20 09:00:05 +08:00"
    assert shown_time(stamp, "UTC", with_offset=True) == "2026-11-20 01:00:05 +00:00"
    assert shown_time("2026-07-01T16:30:00Z", "America/New_York", with_offset=True) == "2026-07-01 12:30:00 -04:00"
    assert shown_time("2026-01-01T16:30:00Z", "America/New_York", with_offset=True) == "2026-01-01 11:30:00 -05:00"
    assert shown_time("2026-11-20T01:00:05", "Asia/Kolkata", with_offset=True) == "2026-11-20 06:30:05 +05:30"
    assert shown_time("2026-11-19T23:00:00Z", "Asia/Shanghai") == "2026-11-20 07:00:00"  # the next day there


def test_timezone_setting_takes_iana_names_only() -> None:
    assert config_from_mapping({}).station.timezone == "Asia/Shanghai"
    assert config_from_mapping({"station": {"timezone": "UTC"}}).station.timezone == "UTC"
    for bad in ("Mars/Base", "asia/shanghai", "../etc/passwd", "", "localtime", "+08:00"):
        with pytest.raises(ConfigError):
            config_from_mapping({"station": {"timezone": bad}})


async def test_lookup_and_qc_show_the_configured_zone(seeded: tuple[Home, int, int], tmp_path: Path) -> None:
    from station.codes import group, make_code
    from station.ledger import State

    home, eid, pid = seeded
    order = issue_codes(home, eid, pid, 2).order
    first, second = home.ledger.codes_in_state(order, State.ISSUED)
    run = home.ledger.create_run(order, "trace-40x30", 4, "p", "c")
    home.ledger.open_roll(run, f"R{order:06d}0001", 1)
    home.ledger.print_on_roll(second, f"R{order:06d}0001", {"run": run})
    home.ledger.transition(second, "reject", {"reason": "污点"})
    issued_at = home.ledger.code_events(first, order)[0]["at"]
    rejected_at = next(e["at"] for e in home.ledger.events() if e["kind"] == "code.reject")
    for zone, offset in (("UTC", "+00:00"), ("Asia/Kolkata", "+05:30")):
        (home.path / "station.toml").write_text(f'[station]\ntimezone = "{zone}"\n', encoding="utf-8")
        app = make_app(Home.open(home.path))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("f2")
            await _settle(pilot)
            await pilot.press(*make_code(home.key, first), "enter")
            await _settle(pilot)
            history = app.screen.query_one("#history")
            heads = [str(c.label) for c in history.columns.values()]  # type: ignore[attr-defined]
            assert heads[1] == t("tui.time_col", offset=offset)
            assert history.get_row_at(0)[1] == _clock(issued_at, zone)  # type: ignore[attr-defined]
            await pilot.press("f7")
            await _settle(pilot)
            rejects = app.screen.query_one("#rejects")
            assert [str(c.label) for c in rejects.columns.values()][0] == t("tui.time_col", offset=offset)  # type: ignore[attr-defined]
            row = rejects.get_row_at(0)  # type: ignore[attr-defined]
            assert (row[0], row[1]) == (_clock(rejected_at, zone), group(make_code(home.key, second)))


def _clock(stamp: str, zone: str) -> str:
    """A ledger time on ``zone``'s clock, worked out here without the station's own function."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.fromisoformat(stamp).astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")
