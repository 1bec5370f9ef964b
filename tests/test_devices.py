"""Printer states as a clerk reads them: the drivers' English details given in the station's language."""

from __future__ import annotations

import pytest

from drivers.printers.status import parse_escpos, parse_tspl, parse_zpl, unknown
from station.devices import detail_text, status_text
from station.texts import set_language


@pytest.mark.parametrize(
    ("status", "zh", "en"),
    [
        (parse_tspl(b"\x04"), "缺纸 · 纸已用完", "paper out · paper out"),
        (parse_tspl(b"\x01"), "开盖 · 打印头（上盖）打开", "cover open · print head (cover) open"),
        (parse_tspl(b"\x02"), "故障 · 卡纸", "error · paper jam"),
        (parse_tspl(b"\x00"), "正常", "online"),
        (parse_tspl(None), "未知（无应答） · 状态查询 ESC !? 没有应答", "unknown (no answer) · no reply to ESC !?"),
        (parse_tspl(b"\x00\x41"), "未知（无应答） · 状态查询 ESC !? 的应答格式不对 0041", None),
        (parse_tspl(b"\x40"), "开盖 · 打印头（上盖）打开", "cover open · print head (cover) open"),
        (parse_zpl(None, None), "未知（无应答） · 状态查询 ~HQES 没有应答", None),
        (parse_escpos(None, None, None), None, None),
        (
            unknown("not connected: 无法连接打印机 socket://127.0.0.1:9"),
            "未知（无应答） · 未连接：无法连接打印机 socket://127.0.0.1:9",
            None,
        ),
    ],
)
def test_status_reads_in_the_chosen_language(status, zh, en) -> None:  # type: ignore[no-untyped-def]
    try:
        set_language("zh")
        chinese = status_text(status)
        if zh is not None:
            assert chinese == zh
        assert not any(word in chinese for word in ("reply", "paper", "connected", "open")), chinese
        set_language("en")
        if en is not None:
            assert status_text(status) == en
    finally:
        set_language("en")


def test_an_unknown_detail_is_shown_as_it_is() -> None:
    set_language("zh")
    try:
        assert detail_text("firmware says 42") == "firmware says 42"
    finally:
        set_language("en")
