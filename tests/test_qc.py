"""Print quality over the whole history (station.qc): every check counted, filters, parameters, causes, pages."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.codes import group, make_code
from station.home import Home
from station.issue import issue_codes
from station.ledger import State
from station.qc import PAGE_ROWS, QcFilter, causes_of, check_rows, parameter_figures, qc_summary, trend_bars
from station.verify.defects import Defect
from station.verify.verifier import VerifyResult


class Clock:
    """The ledger's clock: each event one minute after the one before, from ``start`` (UTC)."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> str:
        self.at += timedelta(minutes=1)
        return self.at.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parameters(sc: float = 0.8, grade: int = 4) -> dict[str, list[float | int]]:
    """A check's parameters as a run records them: symbol contrast ``sc`` with ``grade``, the rest at A."""
    return {
        "decode": [1.0, 4],
        "symbol_contrast": [sc, grade],
        "modulation": [0.8, 4],
        "reflectance_margin": [0.8, 4],
        "fixed_pattern_damage": [4.0, 4],
        "axial_nonuniformity": [0.01, 4],
        "grid_nonuniformity": [0.05, 4],
        "unused_error_correction": [1.0, 4],
    }


def checked_order(home: Home, eid: int, pid: int, verdicts: list[dict[str, Any]], roll_size: int = 10) -> int:
    """An order whose codes went onto rolls of ``roll_size`` and were checked as ``verdicts`` say, recorded the way
    a run records them: print on a roll, then verify or reject with the result's data."""
    ledger = home.ledger
    order = issue_codes(home, eid, pid, len(verdicts)).order
    serials = ledger.codes_in_state(order, State.ISSUED)
    run = ledger.create_run(order, "trace-40x30", roll_size, "p", "c")
    for i, (serial, verdict) in enumerate(zip(serials, verdicts, strict=True)):
        if i % roll_size == 0:
            ledger.open_roll(run, f"R{order:06d}{i // roll_size + 1:04d}", i // roll_size + 1)
        ledger.print_on_roll(serial, f"R{order:06d}{i // roll_size + 1:04d}", {"run": run})
        ledger.transition(serial, "reject" if "reason" in verdict else "verify", verdict)
    return order


def passed(sc: float = 0.8, grade: int = 4) -> dict[str, Any]:
    return {"grade": float(grade), "letter": "ABCDF"[4 - min(grade, 4)], "parameters": parameters(sc, grade)}


def rejected(cause: str, reason: str = "污点") -> dict[str, Any]:
    return {"reason": reason, "grade": 1.0, "causes": [cause], "parameters": parameters(0.3, 1)}


@pytest.mark.all_backends
def test_every_check_counts_not_only_the_latest_500(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    verdicts = [passed() for _ in range(560)] + [passed(0.6, 3) for _ in range(40)]
    verdicts[5] = rejected("defect:smear")  # the oldest reject, 595 checks before the newest
    order = checked_order(home, eid, pid, verdicts, roll_size=100)
    summary = qc_summary(home)
    assert (summary.checks, summary.rejected) == (600, 1)
    assert summary.letters == {"A": 559, "B": 40}
    assert summary.causes == {"defect:smear": 1}
    assert summary.parameters["symbol_contrast"].grades == {4: 559, 3: 40, 1: 1}
    assert summary.pages(rejects_only=False) == 30 and summary.pages(rejects_only=True) == 1
    (row,) = check_rows(home, summary.page_ids(0, rejects_only=True))
    serial = home.ledger.codes_in_state(order, State.VOIDED)[0]
    code = group(make_code(home.key, serial))
    assert (row["code"], row["roll"], row["reason"]) == (code, f"R{order:06d}0001", "污点")
    assert row["causes"] == ["defect:smear"] and row["rejected"]


def test_pages_run_newest_first_and_the_last_is_short(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    checked_order(home, eid, pid, [passed() for _ in range(2 * PAGE_ROWS + 3)])
    summary = qc_summary(home)
    ids = list(summary.check_ids)
    assert ids == sorted(ids) and len(ids) == 2 * PAGE_ROWS + 3
    assert summary.pages(False) == 3
    assert summary.page_ids(0, False) == ids[::-1][:PAGE_ROWS]
    assert summary.page_ids(1, False) == ids[::-1][PAGE_ROWS : 2 * PAGE_ROWS]
    assert summary.page_ids(2, False) == ids[2::-1]
    assert summary.page_ids(3, False) == []
    rows = check_rows(home, summary.page_ids(0, False))
    assert [r["id"] for r in rows] == ids[::-1][:PAGE_ROWS] and not any(r["rejected"] for r in rows)
    assert qc_summary(home).pages(True) == 1 and qc_summary(home).page_ids(0, True) == []


def test_filters_by_order_roll_and_local_dates(seeded: tuple[Home, int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    home, eid, pid = seeded
    # 15:30 on 19 November in Mouding (UTC+8) is 07:30 UTC; each event a minute later, so the first order's
    # checks fall before local midnight and the second order's after it
    clock = Clock(datetime(2026, 11, 19, 15, 30, tzinfo=UTC))
    monkeypatch.setattr("station.ledger.sql.utc_now", clock)
    monkeypatch.setattr("station.ledger.runs.utc_now", clock)
    first = checked_order(home, eid, pid, [passed(), passed(), rejected("no_code"), passed()], roll_size=2)
    clock.at = datetime(2026, 11, 19, 16, 5, tzinfo=UTC)  # 00:05 on the 20th in Mouding
    second = checked_order(home, eid, pid, [passed(0.5, 2), rejected("wrong_code")], roll_size=2)

    def counted(**limits: Any) -> tuple[int, int]:
        summary = qc_summary(home, QcFilter(zone="Asia/Shanghai", **limits))
        return summary.checks, summary.rejected

    assert counted() == (6, 2)
    assert counted(order_id=first) == (4, 1) and counted(order_id=second) == (2, 1)
    assert counted(roll=f"R{first:06d}0002") == (2, 1)  # the roll with the reject
    assert counted(roll=f"R{first:06d}0001") == (2, 0)
    assert counted(roll=f"R{first:06d}0001", order_id=second) == (0, 0)
    assert counted(since=date(2026, 11, 20)) == (2, 1)
    assert counted(until=date(2026, 11, 19)) == (4, 1)
    assert counted(since=date(2026, 11, 19), until=date(2026, 11, 19)) == (4, 1)
    assert counted(since=date(2026, 11, 21)) == (0, 0)
    summary = qc_summary(home, QcFilter(zone="UTC", since=date(2026, 11, 20)))
    assert summary.checks == 0  # in UTC every check was on the 19th
    from station.errors import RegistryError

    with pytest.raises(RegistryError):
        qc_summary(home, QcFilter(roll="R9999990001"))
    with pytest.raises(RegistryError):
        qc_summary(home, QcFilter(order_id=999))


def test_a_check_at_local_midnight_is_of_the_new_day(
    seeded: tuple[Home, int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    home, eid, pid = seeded
    clock = Clock(datetime(2026, 11, 19, 10, 0, tzinfo=UTC))
    monkeypatch.setattr("station.ledger.sql.utc_now", clock)
    monkeypatch.setattr("station.ledger.runs.utc_now", clock)
    ledger = home.ledger
    order = issue_codes(home, eid, pid, 1).order
    (serial,) = ledger.codes_in_state(order, State.ISSUED)
    run = ledger.create_run(order, "trace-40x30", 1, "p", "c")
    ledger.open_roll(run, f"R{order:06d}0001", 1)
    ledger.print_on_roll(serial, f"R{order:06d}0001", {"run": run})
    clock.at = datetime(2026, 11, 19, 15, 59, tzinfo=UTC)  # the check is stamped 16:00:00 UTC: 00:00 on the 20th
    ledger.transition(serial, "verify", passed())
    assert next(ledger.events_of(["code.verify"]))["at"] == "2026-11-19T16:00:00.000000Z"
    assert qc_summary(home, QcFilter(until=date(2026, 11, 19))).checks == 0
    assert qc_summary(home, QcFilter(since=date(2026, 11, 20), until=date(2026, 11, 20))).checks == 1


def test_each_parameter_has_its_grades_mean_and_trend(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    falling = [passed(0.9 - 0.6 * i / 47, 4) for i in range(48)]  # symbol contrast fades from 0.90 to 0.30
    checked_order(home, eid, pid, falling, roll_size=48)
    figures = qc_summary(home).parameters["symbol_contrast"]
    assert figures.total == 48 and figures.mean == pytest.approx(0.6, abs=1e-3)
    means = figures.trend
    assert len(means) == 24 and means == sorted(means, reverse=True)
    assert means[0] == pytest.approx((0.9 + 0.9 - 0.6 / 47) / 2, abs=1e-3)
    bars = trend_bars("symbol_contrast", means)
    assert bars[0] == "█" and bars[-1] == "▂" and len(bars) == 24
    assert trend_bars("axial_nonuniformity", [0.0, 0.06, 0.09, 0.12, 0.2]) == "██▅▁▁"  # lower is better


def test_rejects_are_counted_by_cause_old_records_too(seeded: tuple[Home, int, int]) -> None:
    home, eid, pid = seeded
    old_style = {"reason": "print interrupted: paper out"}  # recorded before causes were
    old_defects = {"reason": "smear at …", "grade": 3.0, "defects": [{"kind": "smear"}, {"kind": "void"}]}
    verdicts = [rejected("no_code"), rejected("no_code"), rejected("low_grade:modulation"), old_style, old_defects]
    checked_order(home, eid, pid, [passed(), *verdicts])
    summary = qc_summary(home)
    assert summary.causes == {
        "no_code": 2,
        "low_grade:modulation": 1,
        "text:print interrupted: paper out": 1,
        "defect:smear": 1,
        "defect:void": 1,
    }
    assert summary.rejected == 5 and summary.parameters["decode"].total == 4  # the old records have no parameters


def test_causes_of_a_verification_result() -> None:
    result = VerifyResult(expected="x", decoded=False)
    assert causes_of(result) == ["no_code"]
    result.decoded = True
    assert causes_of(result) == ["wrong_code"]
    result.match, result.min_grade, result.grade = True, 2.0, 1.0
    result.parameters = {"symbol_contrast": (0.8, 4), "modulation": (0.25, 1)}
    assert causes_of(result) == ["low_grade:modulation"]
    result.grade = 2.0
    result.defects = [Defect("void", {"x": 1}), Defect("dead_element", {"dot": 3}), Defect("void", {"x": 9})]
    assert causes_of(result) == ["defect:dead_element", "defect:void"]


@given(st.lists(st.floats(min_value=0, max_value=1, width=32), max_size=300), st.sampled_from([1, 2, 24]))
def test_a_trend_is_the_means_of_consecutive_runs_in_time_order(values: list[float], points: int) -> None:
    grades = np.array([4 if i % 3 else -1 for i in range(len(values))], dtype=np.int8)  # a third not recorded
    figures = parameter_figures(np.array(values, dtype=np.float32), grades, points)
    kept = [v for v, g in zip(values, grades, strict=True) if g >= 0]
    assert figures.total == len(kept) and figures.grades == ({4: len(kept)} if kept else {})
    assert len(figures.trend) == min(points, len(kept))
    sizes = [len(kept) // len(figures.trend) + (i < len(kept) % len(figures.trend)) for i in range(len(figures.trend))]
    start = 0
    for mean, n in zip(figures.trend, sizes, strict=True):
        assert mean == pytest.approx(float(np.mean(kept[start : start + n])), abs=1e-6)
        start += n
    assert figures.mean is None if not kept else figures.mean == pytest.approx(float(np.mean(kept)), abs=1e-6)


def test_a_rejects_picture_is_cut_to_the_label() -> None:
    from station.qc import LABEL_MARGIN, label_box

    frame = np.full((720, 1280), 90, dtype=np.uint8)  # a grey belt
    frame[200:500, 400:800] = 230  # the label's paper
    frame[250:400, 430:580] = 20  # its QR code, dark
    m_x, m_y = int(400 * LABEL_MARGIN), int(300 * LABEL_MARGIN)
    assert label_box(frame) == (400 - m_x, 200 - m_y, 800 + m_x, 500 + m_y)
    assert label_box(np.full((720, 1280), 200, dtype=np.uint8)) == (0, 0, 1280, 720)  # no label to find
    speck = np.full((720, 1280), 90, dtype=np.uint8)
    speck[10:20, 10:20] = 250  # a reflection, not a label
    assert label_box(speck) == (0, 0, 1280, 720)
