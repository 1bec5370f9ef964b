"""The app: the core never imports Textual; the screens drive the same functions as the CLI."""

from __future__ import annotations

import subprocess
import sys

from station.codes import make_code
from station.home import Home
from station.issue import issue_codes
from station.tui.app import make_app


def test_core_never_imports_textual() -> None:
    code = (
        "import sys\n"
        "import station.cli, station.run, station.pickup, station.lookup, station.verify.verifier\n"
        "assert not [m for m in sys.modules if m == 'textual' or m.startswith('textual.')], 'textual imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)


async def test_lookup_and_issue_through_the_screens(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    first = issue_codes(home, eid, pid, 3).first
    app = make_app(home)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        for ch in first:
            await pilot.press(ch)
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        answer = str(app.screen.query_one("#answer").render())
        assert "issued" in answer or "已发码" in answer
        await pilot.press("f3")
        await pilot.pause()
        for value in (str(eid), str(pid), "20"):
            for ch in value:
                await pilot.press(ch)
            await pilot.press("enter")  # an empty field takes the focus next; the last one issues
        await app.workers.wait_for_complete()
        await pilot.pause()
    orders = home.ledger.orders()
    assert [o["count"] for o in orders] == [3, 20]
    assert orders[-1]["enterprise_id"] == eid
    assert make_code(home.key, orders[-1]["ranges"][0][0])  # the new order's codes exist
