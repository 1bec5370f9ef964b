"""What a print run records for people to read (a reject's reason, why the run paused) is said in the language on
when it is shown, not the one on when it was recorded; a reason recorded as text (before reasons were kept by key)
is shown as it was recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from station.dashboard import day_summary
from station.export import grades_table, runs_table, worded_rows
from station.home import Home
from station.ledger.lifecycle import State
from station.qc import check_rows
from station.roll_ids import make_roll_id
from station.run import PrintRun, RunOptions, RunReport, _InFlight
from station.texts import from_store, said, set_language, t, to_store
from station.verify.defects import Defect
from station.verify.verifier import VerifyResult
from station.voids import void_note
from tests.run_helpers import order

SPOILED = VerifyResult(  # read and graded well, but with two defects: each one's words, joined, are recorded
    expected="x",
    decoded=True,
    payload="x",
    match=True,
    grade=3.5,
    defects=[Defect("void", {"x": 3, "y": 4, "w": 5, "h": 6}), Defect("dead_element", {"dot": 90})],
)


def _line(home: Home, order_id: int) -> tuple[PrintRun, list[int]]:
    """A run of the order with its codes printed on one roll: the run's own rejects and pauses are recorded."""
    ledger = home.ledger
    run_id = ledger.create_run(order_id, "trace-40x30", 10, "socket://127.0.0.1:9100", "http://127.0.0.1:8081")
    roll = make_roll_id(order_id, 1)
    ledger.open_roll(run_id, roll, 1)
    serials = ledger.codes_in_state(order_id, State.ISSUED)
    for serial in serials:
        ledger.print_on_roll(serial, roll, {"run": run_id})
    run = PrintRun.__new__(PrintRun)  # recording reads no printer nor camera
    run.home, run.ledger, run.options = home, ledger, RunOptions(order_id=order_id, save_rejects=False)
    run.report = RunReport(run_id=run_id, order_id=order_id, target=len(serials))
    run.on_update = lambda report, what: None  # type: ignore[method-assign]
    return run, serials


def _shown(home: Home, order_id: int, serial: int) -> dict[str, Any]:
    """Everywhere the reject's reason and the pause's are shown, in the language on now."""
    ledger = home.ledger
    reject = list(ledger.events_of(("code.reject",), serial=serial))[-1]
    grades = {
        lang: [row[9] for row in worded_rows(grades_table(home, order_id), lang) if row[9]] for lang in ("en", "zh")
    }
    runs = list(worded_rows(runs_table(home, order_id), "en"))
    return {
        "qc": check_rows(home, [reject["id"]])[0]["reason"],
        "lookup": void_note(ledger, serial, order_id).reason,  # type: ignore[union-attr]
        "grades_en": grades["en"][0],
        "grades_zh": grades["zh"][0],
        "runs_en": runs[0][6],
        "alert": day_summary(home)["alerts"][0],
    }


def test_a_reject_recorded_in_chinese_is_shown_in_english_and_back(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 2)
    try:
        run, serials = _line(home, order_id)
        set_language("zh")
        run._reject(_InFlight(serials[0], "x", None, "", 1, 0.0), SPOILED.reason_text(), SPOILED)
        paused = said("run.printer_fault", reason=said("pstate.paper_out"))
        run._waiting(paused)
        zh = {"reject": SPOILED.reason_text(), "pause": str(paused)}
        set_language("en")
        en = {"reject": SPOILED.reason_text(), "pause": t("run.printer_fault", reason=t("pstate.paper_out"))}
        assert "缺墨" in zh["reject"] and "；" in zh["reject"] and "缺墨" not in en["reject"]
        shown = _shown(home, order_id, serials[0])
        assert shown == {
            "qc": en["reject"],
            "lookup": en["reject"],
            "grades_en": en["reject"],
            "grades_zh": zh["reject"],
            "runs_en": en["pause"],
            "alert": t("alert.run_paused", order=order_id, reason=en["pause"]),
        }
        set_language("zh")
        again = _shown(home, order_id, serials[0])
        assert (again["qc"], again["lookup"], again["alert"]) == (
            zh["reject"],
            zh["reject"],
            t("alert.run_paused", order=order_id, reason=zh["pause"]),
        )
    finally:
        home.close()


def test_a_reason_recorded_as_text_is_shown_as_it_was(tmp_path: Path) -> None:
    home, order_id = order(tmp_path, 1)
    try:
        run, serials = _line(home, order_id)
        home.ledger.transition(serials[0], "reject", {"reason": "标签歪了", "causes": []})
        home.ledger.set_run_status(run.report.run_id, "paused", "纸用完了")
        for lang in ("en", "zh"):
            set_language(lang)
            shown = _shown(home, order_id, serials[0])
            assert shown == {
                "qc": "标签歪了",
                "lookup": "标签歪了",
                "grades_en": "标签歪了",
                "grades_zh": "标签歪了",
                "runs_en": "纸用完了",
                "alert": t("alert.run_paused", order=order_id, reason="纸用完了"),
            }
    finally:
        home.close()


@pytest.mark.parametrize("text", ["{not json", '{"said": "x"}', "{}", "[1]", "", "普通的原因"])
def test_a_text_that_only_looks_stored_is_shown_as_it_is(text: str) -> None:
    assert from_store(text) == text


def test_a_stored_reason_whose_key_is_gone_shows_the_text_it_had() -> None:
    set_language("zh")
    stored = to_store(said("run.camera_late"))
    assert stored is not None
    assert from_store(stored.replace("run.camera_late", "run.no_such_key"), "en") == t("run.camera_late")
    assert from_store(stored, "en") != t("run.camera_late")
