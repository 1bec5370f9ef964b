"""Hidden-code entries through a real HTTP client against the query service on 127.0.0.1: the form under a genuine
code's page, the first right entry and the repeats, a copy of a label printed twice, wrong entries counted and
limited per code and per client, and what `station stats` shows the office."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from station.codes import group, make_code
from station.hidden import hidden_code, hidden_grouped, hidden_key, issue_hidden
from station.home import Home
from station.issue import issue_codes
from tests.conftest import STATION
from tests.query_helpers import client, running


@dataclass
class Labels:
    """Codes of a hidden order handed to the producer, one plain code, and the hidden codes."""

    codes: list[str]
    hidden: list[str]
    plain: str
    unhanded: str  # of the hidden order, printed but never handed over


@pytest.fixture
def labels(seeded: tuple[Home, int, int]) -> tuple[Home, Labels]:
    home, eid, pid = seeded
    order = issue_hidden(home, eid, pid, 6)
    plain = issue_codes(home, eid, pid, 1)
    serials = list(range(order.first_serial, order.last_serial + 1))
    for serial in [*serials[:5], plain.first_serial]:
        for action in ("print", "verify", "distribute"):
            home.ledger.transition(serial, action)
    home.ledger.transition(serials[5], "print")
    key = hidden_key(home)
    codes = [make_code(home.key, s) for s in serials[:5]]
    return home, Labels(
        codes,
        [hidden_code(key, c) for c in codes],
        make_code(home.key, plain.first_serial),
        make_code(home.key, serials[5]),
    )


@pytest.fixture
def service(labels: tuple[Home, Labels]) -> Iterator[tuple[str, Home, Labels]]:
    home, found = labels
    with running(
        home, trusted_proxies="127.0.0.1 ::1", hidden_wrong_per_day=3, hidden_client_per_hour=8, hidden_flag_after=3
    ) as url:
        yield url, home, found


def _enter(url: str, code: str, hidden: str, who: str = "203.0.113.9") -> tuple[int, dict[str, object]]:
    with client(url, who) as c:
        reply = c.post(f"/api/v1/codes/{code}/hidden", json={"hidden": hidden})
    return reply.status_code, reply.json()


def _wrong(hidden: str) -> str:
    return hidden[:7] + str((int(hidden[7]) + 1) % 10)


def test_the_form_is_under_a_genuine_code_whose_label_has_a_hidden_code(service: tuple[str, Home, Labels]) -> None:
    url, _home, labels = service
    with client(url, "203.0.113.9") as c:
        page = c.get(f"/c/{labels.codes[0]}").text
        plain = c.get(f"/c/{labels.plain}").text
        unhanded = c.get(f"/c/{labels.unhanded}").text
    assert 'action="/hidden"' in page and "输入暗码" in page
    assert 'action="/hidden"' not in plain and 'action="/hidden"' not in unhanded
    assert labels.hidden[0] not in page and hidden_grouped(labels.hidden[0]) not in page


@pytest.mark.all_backends  # the entries on a shared PostgreSQL ledger too
def test_first_right_entry_then_repeats_from_a_copy(service: tuple[str, Home, Labels]) -> None:
    url, home, labels = service
    code, hidden = labels.codes[0], labels.hidden[0]
    status, body = _enter(url, code, hidden_grouped(hidden), who="203.0.113.9")
    assert status == 200 and body["status"] == "first" and body["message"] == "首次验证，正品"
    # a copy of the same label, bought elsewhere: the same code and hidden code entered again
    status, body = _enter(url, group(code), hidden, who="198.51.100.7")
    assert status == 200 and body["status"] == "again" and body["before"] == 1
    assert "被验证过 1 次，如非本人刮开请谨慎" in str(body["message"])
    first_day = str(body["first_at"])[:10]
    status, body = _enter(url, code, hidden, who="192.0.2.44")
    assert body["status"] == "again" and body["before"] == 2 and "被验证过 2 次" in str(body["message"])
    with client(url, "192.0.2.45") as c:
        page = c.post("/hidden", data={"code": code, "hidden": hidden, "lang": "zh"}).text
    assert "被验证过 3 次" in page and group(code) in page
    stats = _stats(home)
    repeated = {row["code"]: row for row in stats["hidden_repeated"]}
    assert repeated[code]["verified"] == 4 and repeated[code]["first_network"] == "203.0.113.0/24"
    assert str(repeated[code]["first_at"])[:10] == first_day
    assert "203.0.113.9" not in json.dumps(stats)
    shown = subprocess.run(
        [STATION, "--home", str(home.path), "--config", str(home.path / "serve.toml"), "--lang", "en", "stats"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    assert "codes whose hidden code was verified more than once" in shown and group(code) in shown
    assert "203.0.113.0/24" in shown


def test_a_hidden_code_of_another_label_or_a_code_without_one_is_refused(service: tuple[str, Home, Labels]) -> None:
    url, _home, labels = service
    status, body = _enter(url, labels.codes[0], labels.hidden[1])
    assert status == 422 and body["status"] == "wrong"
    one_off = labels.codes[0][:19] + str((int(labels.codes[0][19]) + 1) % 10)  # its last digit one off
    for code in (labels.plain, labels.unhanded, one_off, "12345"):
        status, body = _enter(url, code, labels.hidden[0], who="198.51.100.20")
        assert status == 404 and body["status"] == "none", code
    status, body = _enter(url, labels.codes[0], "1234567", who="198.51.100.21")
    assert status == 400 and body["status"] == "malformed"
    assert _enter(url, labels.codes[0], labels.hidden[0], who="198.51.100.21")[1]["status"] == "first"


@pytest.mark.all_backends
def test_wrong_entries_are_limited_per_code_counted_and_flagged(service: tuple[str, Home, Labels]) -> None:
    url, home, labels = service
    code, hidden = labels.codes[1], labels.hidden[1]
    guesses = [f"{n:08d}" for n in range(10) if f"{n:08d}" != hidden]
    for n, guess in enumerate(guesses[:3]):  # each from another client: the code's own limit stops them
        status, body = _enter(url, code, guess, who=f"198.51.{n}.1")
        assert status == 422 and body["status"] == "wrong"
    status, body = _enter(url, code, guesses[3], who="198.51.9.1")
    assert status == 429 and body["status"] == "rate_limited" and int(str(body["retry_after"])) > 3600
    # the right code is refused too while the code's wrong entries are used up: a guesser cannot test it
    status, body = _enter(url, code, hidden, who="198.51.9.2")
    assert status == 429
    # another code is not held up
    assert _enter(url, labels.codes[2], labels.hidden[2], who="198.51.9.3")[1]["status"] == "first"
    guessed = {row["code"]: row for row in _stats(home)["hidden_guessed"]}
    assert guessed[code]["wrong"] == 3
    assert labels.codes[2] not in guessed


def test_one_client_is_limited_across_codes(service: tuple[str, Home, Labels]) -> None:
    url, _home, labels = service
    for n in range(8):  # two wrong entries on each of four codes: within every code's limit, not the client's
        status, _body = _enter(url, labels.codes[n % 4], _wrong(labels.hidden[n % 4]), who="192.0.2.9")
        assert status == 422
    status, body = _enter(url, labels.codes[4], labels.hidden[4], who="192.0.2.9")
    assert status == 429 and body["status"] == "rate_limited"
    assert _enter(url, labels.codes[4], labels.hidden[4], who="192.0.2.10")[1]["status"] == "first"


def _stats(home: Home) -> dict[str, object]:
    proc = subprocess.run(
        [STATION, "--home", str(home.path), "--config", str(home.path / "serve.toml"), "stats", "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    found: dict[str, object] = json.loads(proc.stdout)
    return found


async def test_the_queries_screen_lists_repeats_and_guessing(labels: tuple[Home, Labels]) -> None:
    from station.texts import t
    from station.tui.app import make_app

    home, found = labels
    with running(home, trusted_proxies="127.0.0.1 ::1", hidden_wrong_per_day=20, hidden_client_per_hour=100) as url:
        for who in ("203.0.113.9", "198.51.100.7"):
            assert _enter(url, found.codes[0], found.hidden[0], who=who)[0] == 200
        for _ in range(10):  # home's [query] hidden_flag_after: 10
            assert _enter(url, found.codes[1], _wrong(found.hidden[1]))[0] == 422
        assert _enter(url, found.codes[2], found.hidden[2])[1]["status"] == "first"
    app = make_app(home)
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.press("q")
        await app.workers.wait_for_complete()
        await pilot.pause()
        repeated = app.screen.query_one("#hidden-repeated")
        guessed = app.screen.query_one("#hidden-guessed")
        rows = [repeated.get_row_at(i) for i in range(repeated.row_count)]  # type: ignore[attr-defined]
        flagged = [guessed.get_row_at(i) for i in range(guessed.row_count)]  # type: ignore[attr-defined]
        heading = str(app.screen.query_one("#hidden-guessed-heading").render())
    assert [(r[0], r[1], r[3]) for r in rows] == [(group(found.codes[0]), "2", "203.0.113.0/24")]
    assert [(r[0], r[1]) for r in flagged] == [(group(found.codes[1]), "10")]
    assert heading == t("hidden.stats.guessed", n=10)
