"""The app's voids and reprints screen (Ctrl+B): a void or a reprint happens only after the question that names
its consequence; a refusal says why and asks nothing; a reprint goes to the configured printer (an emulator)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.widgets import Input

from drivers.emulators.printer import VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from station.codes import group, make_code
from station.home import Home
from station.ledger import State
from station.texts import set_language, t
from station.tui.app import make_app
from station.tui.confirm import Confirm
from station.tui.void_screen import KINDS, Voids
from station.voids import plan_cancel, plan_roll
from tests.printer_helpers import wait_labels
from tests.test_voids import _copy, printed  # noqa: F401 - the module's print run, shared

__all__ = ["printed"]


async def _settle(pilot: Any) -> None:
    for _ in range(3):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def _question(app: Any) -> str | None:
    return str(app.screen.query_one("#question").render()) if isinstance(app.screen, Confirm) else None


def _message(app: Any) -> str:
    return str(app.screen.query_one("#message").render())


async def _fill(pilot: Any, kind: str, target: str, reason: str) -> None:
    """Pick ``kind`` in the list, type what it applies to and the reason, and press Enter."""
    screen = pilot.app.screen
    assert isinstance(screen, Voids)
    screen.query_one("#list").move_cursor(row=KINDS.index(kind))
    screen.query_one("#list").focus()
    await pilot.press("enter")  # on to what it applies to
    await _settle(pilot)
    assert pilot.app.focused is screen.query_one("#target")
    screen.query_one("#target", Input).value = target
    screen.query_one("#reason", Input).value = reason
    screen.query_one("#reason", Input).focus()
    await pilot.press("enter")
    await _settle(pilot)


async def test_a_roll_is_voided_only_after_the_question(printed: tuple[Path, int, int], tmp_path: Path) -> None:  # noqa: F811
    home = _copy(printed, tmp_path)
    roll = home.ledger.rolls(printed[1])[1]["id"]
    in_flight = home.ledger.codes_in_state(printed[2], State.ISSUED)[0]
    home.ledger.transition(in_flight, "void", {"reason": t("run.in_flight_void"), "run": 1})  # as a run voids
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+b")
        await _settle(pilot)
        assert isinstance(app.screen, Voids)
        assert app.screen.query_one("#recent").row_count == 0  # a run's voids are the run's, not listed here
        await _fill(pilot, "roll", roll, "整卷丢失")
        assert _question(app) == plan_roll(home, roll).question("整卷丢失")
        await pilot.press("escape")
        await _settle(pilot)
        assert _question(app) is None and _message(app) == t("confirm.cancelled")
        assert [st for _, s, st in home.ledger.roll(roll)["labels"] if s is not None] == [State.VERIFIED] * 4
        await pilot.press("enter")  # asked again
        await _settle(pilot)
        assert _question(app) is not None
        await pilot.press("y")
        await _settle(pilot)
        assert _message(app) == t("void.done.roll", subject=roll, count=4, kept=0)
        assert [st for _, s, st in home.ledger.roll(roll)["labels"] if s is not None] == [State.VOIDED] * 4
        assert app.screen.query_one("#reason", Input).value == ""  # the reason belongs to the change just made
        recent = app.screen.query_one("#recent")
        assert recent.row_count == 1 and "整卷丢失" in [str(c) for c in recent.get_row_at(0)]
        await _fill(pilot, "roll", roll, "again")  # refused: said, nothing asked
        assert _question(app) is None and _message(app) == t("void.roll_voided", roll=roll, reason="整卷丢失")
        handed = [s for _, s, _st in home.ledger.rolls(printed[1])[0]["labels"] if s is not None][0]
        code = group(make_code(home.key, handed))
        await _fill(pilot, "codes", code, "标签破损")
        await pilot.press("y")
        await _settle(pilot)
        assert _message(app) == t("void.done.codes", subject=code, count=1, kept=0)
        rows = [[str(c) for c in recent.get_row_at(i)] for i in range(recent.row_count)]
        assert [(r[3], r[4]) for r in rows] == [("标签破损", code), ("整卷丢失", roll)]  # newest first, a roll once
    assert home.ledger.verify_audit().ok


async def test_cancelling_an_order_in_english(printed: tuple[Path, int, int], tmp_path: Path) -> None:  # noqa: F811
    home = _copy(printed, tmp_path)
    second = printed[2]
    question = plan_cancel(home, second).question("customer cancelled")
    app = make_app(home)
    set_language("en")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+b")
        await _settle(pilot)
        await _fill(pilot, "order", str(second), "customer cancelled")
        assert _question(app) == question and "10 codes not yet printed" in question
        await pilot.press("enter")
        await _settle(pilot)
        assert _message(app) == t("void.done.order", subject=str(second), count=10, kept=0)
    assert home.ledger.order_state_counts(second) == {State.VOIDED: 10}


async def test_a_roll_header_is_reprinted_from_the_app(printed: tuple[Path, int, int], tmp_path: Path) -> None:  # noqa: F811
    home = _copy(printed, tmp_path)
    roll = home.ledger.rolls(printed[1])[1]["id"]
    printer = VirtualPrinter("tspl")
    with TcpPrinterServer(printer) as server:
        (home.path / "station.toml").write_text(f'[printer]\nuri = "{server.uri}"\nlang = "tspl"\n')
        app = make_app(Home.open(home.path))
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+b")
            await _settle(pilot)
            await _fill(pilot, "header", roll, "标签脱落")
            assert _question(app) == t("reprint.confirm.header", roll=roll, reason="标签脱落")
            assert not printer.labels
            await pilot.press("enter")
            await _settle(pilot)
            wait_labels(printer, 1)
            assert _message(app).startswith(t("reprint.done.header", roll=roll, at="")[:-2])
    event = next(iter(home.ledger.events_of(("roll.header_reprinted",))))
    assert event["data"]["reason"] == "标签脱落" and event["operator"] == app.operator


async def test_a_clerk_without_the_role_is_refused(printed: tuple[Path, int, int], tmp_path: Path) -> None:  # noqa: F811
    home = _copy(printed, tmp_path)
    app = make_app(home, role="qc")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+b")
        await _settle(pilot)
        assert not isinstance(app.screen, Voids)


async def test_the_lookup_screen_says_why_a_code_is_voided(printed: tuple[Path, int, int], tmp_path: Path) -> None:  # noqa: F811
    from station.voids import void_codes
    from station.zones import shown_time

    home = _copy(printed, tmp_path)
    serial = [s for _, s, _st in home.ledger.rolls(printed[1])[0]["labels"] if s is not None][0]
    code = make_code(home.key, serial)
    void_codes(home, [code], "标签破损")
    event = next(iter(home.ledger.events_of(("code.void",), serial=serial)))
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await _settle(pilot)
        await pilot.press(*code, "enter")
        await _settle(pilot)
        answer = str(app.screen.query_one("#answer").render())
    assert t("void.lookup_line", at=shown_time(event["at"], home.config.station.timezone), reason="标签破损") in answer
