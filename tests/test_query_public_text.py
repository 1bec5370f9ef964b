"""Text from the public is shown as text: a report full of Rich markup and terminal escape sequences, sent through
the real service, is shown as typed on the app's queries screen (never parsed as markup, never a link) and by
`station reports` (nothing a terminal would act on reaches it), and `station reports --json` keeps it exactly."""

from __future__ import annotations

import json
import os
import subprocess
from typing import Any

import pytest
from rich.text import Text

from station.home import Home
from station.query.office import json_printable, printable
from station.tui.app import make_app
from tests.conftest import STATION
from tests.query_helpers import Codes, build_ledger, client, running

# Rich markup that is unbalanced or makes a link; ESC sequences that clear the screen, recolour, set the title and
# make an OSC 8 link; the 8-bit CSI; BEL; a right-to-left override that hides the end of a line; DEL
TEXT = (
    "\x1b[2J\x1b[31m[/bold]unbalanced [red \x9b31m\u202e [link=https://evil.example]click[/link]\x07\x7f\n"
    "forged line \x1b]0;owned\x07 \x1b]8;;https://evil.example\x07link\x1b]8;;\x07 \u202egnp.exe end"
)
CONTACT = "[b]13800000000[/b]\x1b[1A"
CODE = "[red]1234\x1b[0m"
UNSHOWN = ("\x1b", "\x9b", "\x07", "\u202e", "\x7f")


@pytest.fixture
def reported(seeded: tuple[Home, int, int]) -> tuple[Home, Codes]:
    """A ledger whose service received two reports: one about a genuine code, one about a code typed as above."""
    home, eid, pid = seeded
    codes = build_ledger(home, eid, pid)
    with running(home) as url, client(url) as phone:
        sent = phone.post("/report", data={"code": codes.genuine, "kind": "counterfeit", "text": TEXT})
        assert sent.status_code == 201, sent.text
        sent = phone.post("/api/v1/reports", json={"code": CODE, "kind": "other", "text": TEXT, "contact": CONTACT})
        assert sent.status_code == 201, sent.text
    return home, codes


def test_printable_writes_out_what_a_terminal_would_act_on() -> None:
    assert printable("腌制 [b]ok[/b]") == "腌制 [b]ok[/b]"  # markup is for the widgets to leave alone
    assert printable("\x1b[31m\x9b\u202e\n\x7f") == "\\x1b[31m\\x9b\\u202e\\x0a\\x7f"
    assert json.loads(json_printable(json.dumps(TEXT, ensure_ascii=False))) == TEXT
    assert not any(c in json_printable(json.dumps(TEXT, ensure_ascii=False)) for c in UNSHOWN)


async def test_the_queries_screen_shows_reports_as_typed(reported: tuple[Home, Codes]) -> None:
    home, _ = reported
    app = make_app(home)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("f11")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()  # drawn: a cell parsed as markup would raise here
        table: Any = app.screen.query_one("#reports")
        rows = [table.get_row_at(i) for i in range(table.row_count)]
        lines = [table.render_line(y) for y in range(table.size.height)]
        screen_text = "\n".join(line.text for line in lines)
    assert len(rows) == 2
    newest, oldest = rows
    for row in rows:
        text = row[4]
        assert isinstance(text, Text) and text.plain == printable(TEXT)[:60] and not text.spans
    assert newest[2].plain == printable(CODE) and newest[3].plain == printable(CONTACT) and not newest[2].spans
    assert "[/bold]unbalanced [red" in screen_text and not any(c in screen_text for c in UNSHOWN)


def _station(home: Home, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [STATION, "--home", str(home.path), "--lang", "en", *args], capture_output=True, timeout=60, env=env
    )


def test_station_reports_writes_nothing_a_terminal_acts_on(reported: tuple[Home, Codes]) -> None:
    home, _ = reported
    table = _station(home, "reports")
    assert table.returncode == 0, table.stderr
    out = table.stdout.decode()
    assert not any(c in out for c in UNSHOWN)
    assert printable(TEXT) in out and printable(CONTACT) in out and printable(CODE) in out
    assert out.count("\n") == 3  # a header and one line per report: a newline in a report cannot add lines
    listed = _station(home, "reports", "--json")
    assert listed.returncode == 0, listed.stderr
    assert not any(c in listed.stdout.decode() for c in UNSHOWN)
    found = json.loads(listed.stdout)["reports"]
    assert [r["text"] for r in found] == [TEXT, TEXT] and found[1]["contact"] == CONTACT and found[1]["code"] == CODE
