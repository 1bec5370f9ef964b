"""The issue screen's hidden-code box: an order issued with hidden codes (暗码) from the app, as `station issue
--hidden` issues it, the question naming it, and the preview showing the hidden template with its digits masked."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from station.home import Home
from station.texts import t
from station.tui.app import make_app

ENTERPRISE, PRODUCT = "牟定县测试腐乳厂", "牟定腐乳"


async def _until(done: Any, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, "the screen did not get there in time"
        await asyncio.sleep(0.05)


async def _ask_hidden(app: Any, pilot: Any, count: str) -> None:
    """F3, the product from the list, a count, the hidden-code box ticked, Enter: the question."""
    from station.tui.confirm import Confirm

    await pilot.press("f3")
    await _until(lambda: app.screen.query_one("#choices").row_count == 1)
    await pilot.press("enter")  # the one product fills in enterprise and product; the count takes the focus
    await pilot.press(*count, "tab")
    assert app.focused is app.screen.query_one("#hidden")
    await pilot.press("space")
    assert app.screen.query_one("#hidden").value is True
    await pilot.press("enter")  # Enter on the box sends the form, as in its text boxes
    await _until(lambda: isinstance(app.screen, Confirm))


async def test_the_box_issues_an_order_with_hidden_codes(seeded: tuple[Home, int, int]) -> None:
    from station.hidden import order_hidden
    from station.labels.preview import HIDDEN_TEMPLATE, product_label
    from station.labels.template import load_template
    from station.tui.picture import LabelPreview

    home, eid, pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await _until(lambda: app.screen.query_one("#choices").row_count == 1)
        preview = app.screen.query_one(LabelPreview)
        await _until(lambda: preview.gray is not None)
        plain = preview.gray
        await pilot.press("enter", *"20", "tab", "space")  # ticked: the preview shows the hidden template
        caption = t("tui.preview.product_hidden", product=PRODUCT)
        await _until(lambda: preview.caption == caption)
        assert preview.gray is not None and plain is not None and preview.gray.shape != plain.shape
        template = load_template(HIDDEN_TEMPLATE)
        assert preview.gray.shape == (template.dots(template.height_mm), template.dots(template.width_mm))
        assert (preview.gray == product_label(home, eid, pid, hidden=True)).all()
        await pilot.press("space")  # and unticked again: the station's own template
        await _until(lambda: preview.caption == t("tui.preview.product", product=PRODUCT))
        assert preview.gray.shape == plain.shape
        await pilot.press("space", "enter")  # ticked, and Enter on the box sends the form
        await _until(lambda: bool(app.screen.query("#question")))
        question = str(app.screen.query_one("#question").render())
        assert t("confirm.issue_hidden", count=20, enterprise=ENTERPRISE, product=PRODUCT) in question
        assert "，带暗码？" in question or ", with hidden codes?" in question
        await pilot.press("enter")  # confirmed
        await _until(lambda: len(home.ledger.orders()) == 1)
        await app.workers.wait_for_complete()
        await pilot.pause()
        order = home.ledger.orders()[-1]
        assert order["count"] == 20 and order_hidden(home, order["id"])  # marked in the ledger, as --hidden marks it
        assert t("hidden.cli.issued") in str(app.screen.query_one("#result").render())
        assert app.screen.query_one("#hidden").value is False  # the form starts over, the box unticked too
        await pilot.press("f3")
        await pilot.press("enter", *"5", "enter")  # unticked: a plain order, and the question says nothing else
        await _until(lambda: app.screen.query("#question"))
        assert "暗码" not in str(app.screen.query_one("#question").render())
        await pilot.press("enter")
        await _until(lambda: len(home.ledger.orders()) == 2)
        assert not order_hidden(home, home.ledger.orders()[-1]["id"])


def test_a_preview_never_shows_the_hidden_digits(seeded: tuple[Home, int, int]) -> None:
    from station.labels.fields import sample_values
    from station.labels.preview import _render

    home, _eid, _pid = seeded
    one, other = (
        {**sample_values(), "hidden": d, "hidden_grouped": f"{d[:4]} {d[4:]}"} for d in ("11112222", "90807060")
    )
    assert (_render(home, one, hidden=True) == _render(home, other, hidden=True)).all()


async def test_escape_on_the_question_issues_nothing(seeded: tuple[Home, int, int]) -> None:
    from station.hidden import order_hidden

    home, _eid, _pid = seeded
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await _ask_hidden(app, pilot, "30")
        await pilot.press("escape")
        await _until(lambda: t("confirm.cancelled") in str(app.screen.query_one("#result").render()))
        await app.workers.wait_for_complete()
    assert home.ledger.orders() == []
    assert not order_hidden(home, 1)
