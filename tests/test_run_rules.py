"""The print run's line stop, rule by rule: the same dead heating element (the same dot, or the next one) on two of
the last three rejected labels is the print head, not the label, and stops the line; so do too many rejects in a
row. Checked on the rule itself, with rejected labels' defects as verification reports them."""

from __future__ import annotations

import collections

import pytest

from station.run import PrintRun, RunOptions, RunPaused
from station.texts import t
from station.verify.defects import Defect
from station.verify.verifier import VerifyResult


def _line(max_in_a_row: int = 99) -> PrintRun:
    run = PrintRun.__new__(PrintRun)  # the rule reads only the options and what it remembers of earlier rejects
    run.options = RunOptions(order_id=1, max_consecutive_rejects=max_in_a_row)
    run._consecutive = 0
    run._recent_dead_lists = collections.deque(maxlen=3)
    return run


def _rejected(*dots: int) -> VerifyResult:
    defects = [Defect("dead_element", {"dot": dot}) for dot in dots] + [Defect("void", {"x": 3, "y": 4})]
    return VerifyResult(expected="x", defects=defects)


def _stops(run: PrintRun, result: VerifyResult) -> str | None:
    try:
        run._line_stop_check(result)
    except RunPaused as paused:
        return str(paused)
    return None


@pytest.mark.parametrize(("first", "second"), [(100, 100), (100, 101), (101, 100)])
def test_the_same_or_the_next_dot_twice_stops_the_line(first: int, second: int) -> None:
    run = _line()
    assert _stops(run, _rejected(first)) is None
    assert _stops(run, _rejected(second)) == t("run.dead_dot", dot=second)


@pytest.mark.parametrize(("first", "second"), [(100, 102), (102, 100), (0, 300)])
def test_dots_two_apart_are_two_labels_faults(first: int, second: int) -> None:
    run = _line()
    assert _stops(run, _rejected(first)) is None
    assert _stops(run, _rejected(second)) is None


def test_a_dot_is_remembered_for_the_last_three_rejects_only() -> None:
    run = _line()
    for dots in ([100], [], []):
        assert _stops(run, _rejected(*dots)) is None
    assert _stops(run, _rejected(100)) is not None  # two of the last three
    run = _line()
    for dots in ([100], [], [], []):
        assert _stops(run, _rejected(*dots)) is None
    assert _stops(run, _rejected(100)) is None  # the first has left the last three


def test_rejects_in_a_row_stop_the_line_at_the_limit() -> None:
    run = _line(max_in_a_row=3)
    assert _stops(run, _rejected()) is None
    assert _stops(run, _rejected()) is None
    assert _stops(run, _rejected()) == t("run.in_a_row", n=3, reason=_rejected().reason_text())
