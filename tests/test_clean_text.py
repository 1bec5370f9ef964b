"""Typed text is stored only when it reads as what it shows: no control, bidirectional or zero-width characters,
a length limit, and no second name that reads as an existing one."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from station.clean_text import BIDI, ZERO_WIDTH, clean, reads_as
from station.cli import cli
from station.errors import ClaimError, RegistryError
from station.home import Home
from station.lots import add_lot, recall_lot
from station.operators import add_operator
from station.pickup import PickupSession
from station.registry import add_enterprise, add_product, set_blacklisted

CREDIT = "91532323MA6N0FRU1E"
OTHER_CREDIT = "91530000MA6Q5DK04L"

HOSTILE = {
    "ESC": "牟定\x1b[2J腐乳厂",
    "BEL": "牟定\x07腐乳厂",
    "OSC": "牟定\x1b]0;owned\x07腐乳厂",
    "RLO": "牟定\u202e厂乳腐",
    "newline": "牟定腐乳厂\n审核通过",
    "zero width": "牟定\u200b腐乳厂",
    "NUL": "牟定\x00腐乳厂",
    "DEL": "牟定\x7f腐乳厂",
}


@pytest.mark.parametrize("name", list(HOSTILE.values()), ids=list(HOSTILE))
def test_names_with_hidden_characters_are_refused_and_nothing_is_stored(home: Home, name: str) -> None:
    with pytest.raises(RegistryError) as err:
        add_enterprise(home.ledger, name, CREDIT)
    assert err.value.key == "input.bad_char"
    bad = next(c for c in name if unicodedata.category(c).startswith("C") or c in BIDI or c in ZERO_WIDTH)
    assert f"U+{ord(bad):04X}" in err.value.message
    assert home.ledger.enterprises() == []


def test_an_over_long_name_is_refused_with_the_limit(home: Home) -> None:
    with pytest.raises(RegistryError) as err:
        add_enterprise(home.ledger, "厂" * 10_000, CREDIT)
    assert err.value.key == "input.too_long" and "10000" in err.value.message and "100" in err.value.message
    with pytest.raises(RegistryError):
        add_enterprise(home.ledger, "厂" * 101, CREDIT)  # one over
    add_enterprise(home.ledger, "厂" * 100, CREDIT)  # at the limit: stored


@pytest.mark.parametrize(
    "copy",
    [
        "牟定县测试腐乳厂",  # the same
        " 牟定县测试腐乳厂 ",  # with spaces around
        "牟定县\u200b测试腐乳厂",  # a zero-width space inside: refused for the character first
        "牟定县测试腐乳厂（Ａ）",  # full-width letter against the half-width one below
    ],
)
def test_a_name_that_reads_as_an_existing_one_is_refused_naming_it(home: Home, copy: str) -> None:
    first = add_enterprise(home.ledger, "牟定县测试腐乳厂", CREDIT)
    add_enterprise(home.ledger, "牟定县测试腐乳厂（A）", "91532323MA6N0FRW2J")
    with pytest.raises(RegistryError) as err:
        add_enterprise(home.ledger, copy, OTHER_CREDIT)
    assert err.value.key in ("input.same_as", "input.bad_char")
    if err.value.key == "input.same_as":
        assert "牟定县测试腐乳厂" in err.value.message
        assert f"{first}" in err.value.message or "（A）" in err.value.message
    assert len(home.ledger.enterprises()) == 2


def test_look_alike_rule() -> None:
    assert reads_as("ＡＢＣ 牟定") == reads_as("abc牟定")
    assert reads_as("牟定\u200d腐乳") == reads_as("牟定腐乳")
    assert reads_as("牟定腐乳") != reads_as("牟定豆腐")


def test_products_operators_receivers_and_reasons_follow_the_same_rules(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    with pytest.raises(RegistryError) as err:
        add_product(home.ledger, eid, "牟定腐乳 ", "532323101001", "532323")
    assert err.value.key == "input.same_as"
    add_product(home.ledger, eid, "牟定腐乳", "532323101001", "532323", gtin="6901234567892")  # another pack
    other = add_enterprise(home.ledger, "另一家企业", OTHER_CREDIT)
    add_product(home.ledger, other, "牟定腐乳", "532323101001", "532323")  # another enterprise's product may
    with pytest.raises(RegistryError):
        add_product(home.ledger, eid, "腐乳", "532323101001", "532323", certifications=["地理\x1b[31m标志"])
    add_operator(home.ledger, "张三", "clerk", "123456")
    with pytest.raises(RegistryError) as err:
        add_operator(home.ledger, "张三\u200b", "admin", "123456")
    assert err.value.key == "input.bad_char"
    with pytest.raises(RegistryError) as err:
        add_operator(home.ledger, "张 三", "admin", "123456")
    assert err.value.key == "input.same_as_name" and "张三" in err.value.message
    assert [o["name"] for o in home.ledger.operators()].count("张三") == 1
    with pytest.raises(RegistryError):
        set_blacklisted(home.ledger, eid, True, "假冒\x1b]8;;http://x\x07链接")
    assert not home.ledger.enterprise(eid)["blacklisted"]
    with pytest.raises((RegistryError, ClaimError)):
        PickupSession(home, eid, "李四\u202e")
    lot = add_lot(home.ledger, pid, "MD20261120", "2026-11-20")
    with pytest.raises(RegistryError):
        recall_lot(home, lot, "抽检不合格\n已处理")
    assert not home.ledger.lot(lot)["recalled"]


def test_hostile_names_through_the_command_line(tmp_path: Path) -> None:
    home_dir = str(tmp_path / "home")
    runner = CliRunner()
    assert runner.invoke(cli, ["--home", home_dir, "init"]).exit_code == 0
    for label, name in HOSTILE.items():
        result = runner.invoke(
            cli, ["--home", home_dir, "--lang", "en", "enterprise", "add", "--name", name, "--credit-code", CREDIT]
        )
        assert result.exit_code != 0 and result.exception is None or isinstance(result.exception, SystemExit), label
        assert "control character" in result.output, (label, result.output)
        assert "\x1b" not in result.output and "\x07" not in result.output  # the message does not replay it
    with Home.open(Path(home_dir), operator="t") as home:
        assert home.ledger.enterprises() == []


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=140))
def test_ten_thousand_typed_names_are_clean_or_refused(text: str) -> None:
    """Whatever is typed, the rule either refuses it with its own message or returns text that breaks no rule."""
    try:
        stored = clean(text, "field.enterprise_name", 100)
    except RegistryError as err:
        assert err.key in ("input.empty", "input.bad_char", "input.too_long")
        return
    assert stored == stored.strip() and 0 < len(stored) <= 100
    assert not any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp") for c in stored)


def test_stored_text_from_before_the_rules_reaches_the_terminal_as_text(tmp_path: Path) -> None:
    """A name stored before the rules (or written behind the station's back) is listed with its control
    characters as visible escapes: nothing in it acts on the terminal."""
    import sqlite3

    home_dir = tmp_path / "home"
    runner = CliRunner()
    assert runner.invoke(cli, ["--home", str(home_dir), "init"]).exit_code == 0
    with Home.open(home_dir, operator="t") as home:
        add_enterprise(home.ledger, "牟定县测试腐乳厂", CREDIT)
    db = sqlite3.connect(home_dir / "ledger.sqlite3")
    for (trigger,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("UPDATE enterprises SET name = ?", ("牟定\x1b]0;owned\x07\u202e厂",))
    db.commit()
    db.close()
    listed = runner.invoke(cli, ["--home", str(home_dir), "enterprise", "list"])
    assert listed.exit_code == 0, listed.output
    assert "\x1b" not in listed.output and "\x07" not in listed.output and "\u202e" not in listed.output
    assert "\\x1b]0;owned\\x07\\u202e" in listed.output


# every command that takes a typed name or reason, as the functions behind them
_TYPED_FIELDS = ("enterprise", "product", "operator", "receiver", "reason", "quantity")


@settings(max_examples=2_000, deadline=None, suppress_health_check=list(HealthCheck))
@given(field=st.sampled_from(_TYPED_FIELDS), text=st.text(max_size=120))
def test_typed_text_through_every_command_is_stored_clean_or_refused(field: str, text: str) -> None:
    """2,000 cases here and 10,000 above: no traceback, and nothing stored that breaks the rules."""
    import tempfile

    global _FUZZ_HOME
    if _FUZZ_HOME is None:
        folder = Path(tempfile.mkdtemp(prefix="fuzz-"))
        _FUZZ_HOME = Home.open(folder / "home", operator="fuzz")
        _FUZZ_HOME.init()
        eid = add_enterprise(_FUZZ_HOME.ledger, "牟定县测试腐乳厂", CREDIT)
        from station.registry import review_enterprise

        review_enterprise(_FUZZ_HOME.ledger, eid, "approve")
        pid = add_product(_FUZZ_HOME.ledger, eid, "牟定腐乳", "532323101001", "532323")
        add_lot(_FUZZ_HOME.ledger, pid, "MD20261120", "2026-11-20")
    home = _FUZZ_HOME
    ledger = home.ledger
    try:
        if field == "enterprise":
            add_enterprise(ledger, text, OTHER_CREDIT)
        elif field == "product":
            add_product(ledger, 1, text, "532323101001", "532323")
        elif field == "operator":
            add_operator(ledger, text, "clerk", "123456")
        elif field == "receiver":
            PickupSession(home, 1, text)
        elif field == "reason":
            set_blacklisted(ledger, 1, True, text)
            set_blacklisted(ledger, 1, False, "复核后撤销")
        else:
            add_lot(ledger, 1, f"L{abs(hash(text)) % 10**8}", "2026-11-20", text)
    except (RegistryError, ClaimError):
        pass
    stored = [e["name"] for e in ledger.enterprises()] + [p["name"] for p in ledger.products()]
    stored += [o["name"] for o in ledger.operators()] + [lot["quantity"] for lot in ledger.lots()]
    for value in stored:
        assert clean(value, "field.reason", 500, required=False) == value


_FUZZ_HOME: Home | None = None


async def test_names_with_markup_are_shown_as_text_in_the_app(home: Home) -> None:
    """Square brackets are allowed in names, and the app's tables show them as typed: "[/bold]" once stopped the
    app with a markup error, "[link=…]" became a link."""
    from station.tui.app import make_app

    name = "牟定[/bold]腐乳厂 [red [link=http://x]y[/link]"
    add_enterprise(home.ledger, name, CREDIT)
    app = make_app(home)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = app.screen.query_one("#list")
        shown = table.get_row_at(0)[1]  # type: ignore[attr-defined]
        from rich.text import Text

        assert Text.from_markup(shown).plain == name
