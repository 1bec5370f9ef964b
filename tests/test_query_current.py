"""A change at the station shows whole at the very next query: after a recall, a release, a blacklisting or a void,
the service's next answer has the new status and its reason together, never the status alone. On SQLite and on
PostgreSQL (the service knows of changes by the ledger file's commit header on the one, by the audit chain's head
on the other)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from station.home import Home
from station.lots import add_lot, inspect_lot, recall_lot, release_lot
from station.registry import set_blacklisted
from tests.query_helpers import Codes, build_ledger, client, running

pytestmark = pytest.mark.all_backends


@pytest.fixture
def service(seeded: tuple[Home, int, int]) -> Iterator[tuple[httpx.Client, Home, Codes, int, int]]:
    home, eid, pid = seeded
    codes = build_ledger(home, eid, pid)
    with running(home, rate_burst=1000000, rate_per_min=1e9, warn_after=1000000) as url, client(url) as phone:
        yield phone, home, codes, eid, pid


def _ask(phone: httpx.Client, code: str) -> dict[str, Any]:
    answer: dict[str, Any] = phone.get(f"/api/v1/codes/{code}?lang=zh").json()
    return answer


def _lot_of(home: Home, code: str) -> int:
    from station.codes import parse_code

    row = home.ledger.code(parse_code(home.key, code))
    assert row is not None and row["lot_id"] is not None
    return int(row["lot_id"])


def _warning(answer: dict[str, Any], kind: str) -> str:
    return next(w["message"] for w in answer["warnings"] if w["kind"] == kind)


def test_a_recall_shows_with_its_reason_at_the_next_query(service: tuple[httpx.Client, Home, Codes, int, int]) -> None:
    phone, home, codes, _, _ = service
    assert _ask(phone, codes.genuine)["status"] == "genuine"  # the lot's facts are read and kept
    recall_lot(home, _lot_of(home, codes.genuine), "抽检不合格：霉菌超标")
    answer = _ask(phone, codes.genuine)
    assert answer["status"] == "recalled"
    assert answer["lot"]["recalled"] and answer["lot"]["recall_reason"] == "抽检不合格：霉菌超标"
    assert "抽检不合格：霉菌超标" in _warning(answer, "recalled")
    page = phone.get(f"/c/{codes.genuine}").text
    assert "已召回：抽检不合格：霉菌超标" in page.replace("\n", "")


def test_a_blacklisting_shows_with_its_reason_at_the_next_query(
    service: tuple[httpx.Client, Home, Codes, int, int],
) -> None:
    phone, home, codes, eid, _ = service
    assert _ask(phone, codes.genuine)["status"] == "genuine"
    set_blacklisted(home.ledger, eid, True, "以次充好")
    answer = _ask(phone, codes.genuine)
    assert answer["status"] == "blacklisted" and answer["producer"]["blacklist_reason"] == "以次充好"
    assert "以次充好" in _warning(answer, "blacklisted")
    set_blacklisted(home.ledger, eid, False, "整改完成")
    answer = _ask(phone, codes.genuine)
    assert answer["status"] == "genuine" and not answer["producer"]["blacklisted"]


def test_a_release_shows_at_the_next_query(service: tuple[httpx.Client, Home, Codes, int, int]) -> None:
    phone, home, codes, _, pid = service
    from station.codes import parse_code

    ledger: Any = home.ledger
    lot = add_lot(ledger, pid, "MD20261130", "2026-11-30", "500克", [])
    ledger.bind(parse_code(home.key, codes.unbound), lot, {"number": "MD20261130"})
    answer = _ask(phone, codes.unbound)
    assert answer["lot"]["number"] == "MD20261130" and not answer["lot"]["released"]
    for _ in range(2):  # the page is kept but for its count while nothing changes
        page = phone.get(f"/c/{codes.unbound}").text
        assert "MD20261130" in page and "YN-QC-2026-1130" not in page
    inspect_lot(ledger, lot, "pass", "YN-QC-2026-1130")
    answer = _ask(phone, codes.unbound)
    assert answer["lot"]["inspection"] == "pass" and answer["lot"]["inspection_report"] == "YN-QC-2026-1130"
    assert "YN-QC-2026-1130" in phone.get(f"/c/{codes.unbound}").text  # the same status, a new lot card
    release_lot(ledger, lot)
    assert _ask(phone, codes.unbound)["lot"]["released"]


def test_a_void_shows_at_the_next_query(service: tuple[httpx.Client, Home, Codes, int, int]) -> None:
    phone, home, codes, _, _ = service
    from station.codes import parse_code

    assert _ask(phone, codes.unbound)["status"] == "genuine"
    home.ledger.transition(parse_code(home.key, codes.unbound), "void")
    answer = _ask(phone, codes.unbound)
    assert answer["status"] == "voided" and _warning(answer, "voided")


def test_no_answer_shows_a_recall_without_its_reason_while_it_happens(
    service: tuple[httpx.Client, Home, Codes, int, int],
) -> None:
    """Queries run without pause while the lot is recalled: each answer is wholly before or wholly after."""
    phone, home, codes, _, _ = service
    stop = threading.Event()
    seen: list[dict[str, Any]] = []
    url = str(phone.base_url)

    def ask() -> None:
        with client(url) as other:
            for _ in range(5000):  # bounded: stops by itself if the main thread fails
                if stop.is_set():
                    break
                seen.append(_ask(other, codes.genuine))

    thread = threading.Thread(target=ask, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while len(seen) < 20 and thread.is_alive() and time.monotonic() < deadline:
            threading.Event().wait(0.01)
        recall_lot(home, _lot_of(home, codes.genuine), "抽检不合格：铅超标")
        after = _ask(phone, codes.genuine)
        done = len(seen)
        while len(seen) < done + 20 and thread.is_alive() and time.monotonic() < deadline + 10:
            threading.Event().wait(0.01)
    finally:
        stop.set()
        thread.join(timeout=30)
    assert after["status"] == "recalled" and "抽检不合格：铅超标" in _warning(after, "recalled")
    statuses = [a["status"] for a in seen]
    assert "genuine" in statuses and "recalled" in statuses
    for answer in seen:
        if answer["status"] == "recalled":
            assert answer["lot"]["recall_reason"] == "抽检不合格：铅超标", answer
            assert "抽检不合格：铅超标" in _warning(answer, "recalled")
        else:
            assert answer["status"] == "genuine" and not answer["lot"]["recalled"], answer


def test_the_ledger_version_is_read_after_the_row(seeded: tuple[Home, int, int], backend: Any) -> None:
    """A recall committed between the two reads of one query: the answer is the one before it, whole, and the
    next query's the one after it. Were the version read before the row, this query would take the recalled row
    with the facts kept from before the recall."""
    from station.query.answer import Answerer
    from station.query.counters import Counters
    from tests.query_helpers import STORE_FACTORIES

    home, eid, pid = seeded
    codes = build_ledger(home, eid, pid)
    lot = _lot_of(home, codes.genuine)
    with STORE_FACTORIES[backend.name](home) as store:
        counters = Counters(store, anomaly_window_s=3600, interval_s=60)
        recall_now = [False]

        def version() -> object:
            found = store.ledger_version()
            if recall_now[0]:  # the recall commits just after the version was read
                recall_now[0] = False
                recall_lot(home, lot, "抽检不合格：霉菌超标")
            return found

        answerer = Answerer(home.key, home.ledger, counters, 1000, None, version)
        assert answerer.answer(codes.genuine, "203.0.0.0/16", _now()).status == "genuine"
        recall_now[0] = True
        racing = answerer.answer(codes.genuine, "203.0.0.0/16", _now())
        after = answerer.answer(codes.genuine, "203.0.0.0/16", _now())
    assert racing.status == "genuine" and racing.lot is not None and not racing.lot["recalled"]
    assert after.status == "recalled" and after.lot is not None and after.lot["recall_reason"] == "抽检不合格：霉菌超标"


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC)
