"""Printer states and device errors as a clerk reads them: the drivers' structured details and error codes given in
the station's language; the drivers themselves import nothing of the station."""

from __future__ import annotations

import subprocess
import sys

import pytest

from drivers.cameras import CameraError
from drivers.errors import DeviceFault, DriverError, PrintFault
from drivers.printers.status import Detail, PrinterState, PrinterStatus, parse_escpos, parse_tspl, parse_zpl, unknown
from station.devices import DETAIL_KEYS, detail_text, status_text
from station.errors import DeviceError, PrintError, StationError, device_errors, from_driver
from station.texts import set_language, t

REFUSED = DeviceFault("dev.open_failed", uri="socket://127.0.0.1:9", reason="Connection refused")


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
        (parse_zpl(None, None), "未知（无应答） · 状态查询 ~HQES, ~HS 没有应答", None),
        (parse_escpos(None, None, None), None, None),
        (
            unknown(Detail.CANNOT_CONNECT, error=REFUSED, reason=str(REFUSED)),
            "未知（无应答） · 未连接：无法连接打印机 socket://127.0.0.1:9：对方拒绝连接（设备未开机，或地址、端口不对）",
            "unknown (no answer) · not connected: cannot connect to printer socket://127.0.0.1:9: "
            "connection refused (device off, or wrong address or port)",
        ),
        (unknown(Detail.NOT_CONNECTED), "未知（无应答） · 未连接", "unknown (no answer) · not connected"),
        (parse_escpos(b"\x12", b"\x32", b"\x12"), "缺纸 · 纸已用完", "paper out · paper out"),
        (parse_escpos(b"\x12", b"\x12", b"\x1e"), "正常 · 纸快用完", "online · paper low"),
        (
            parse_zpl(b"\x02\r\n ERRORS: 1 00000000 00000008\r\n", None),
            "故障 · 打印机报告故障（标志 0000000000000008）",
            "error · the printer reports an error (flags 0000000000000008)",
        ),
        (
            parse_zpl(b"\x02\r\n ERRORS: 0 0000000\r\n", None),
            "未知（无应答） · 状态查询 ~HQES 的应答格式不对",
            "unknown (no answer) · malformed reply to ~HQES",
        ),
        (
            unknown(Detail.CONNECTION_LOST, reason="timed out"),
            "未知（无应答） · 连接中断：timed out",
            "unknown (no answer) · connection lost: timed out",
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


def test_every_detail_has_a_catalogue_text_in_both_languages() -> None:
    assert set(DETAIL_KEYS) == set(Detail) - {Detail.NONE}
    params = {"reason": "R", "query": "Q", "raw": "AA", "flags": "F"}
    try:
        for language in ("zh", "en"):
            set_language(language)
            for detail in DETAIL_KEYS:
                text = detail_text(PrinterStatus(PrinterState.UNKNOWN, detail, params=params))
                assert text and "{" not in text, (language, detail)
    finally:
        set_language("en")
    assert detail_text(PrinterStatus(PrinterState.ONLINE)) == ""


@pytest.mark.parametrize(
    ("driver", "station", "title"),
    [
        (PrintFault("print.timeout", uri="socket://h:9100", seconds=5.0), PrintError, "print"),
        (DeviceFault("dev.bad_lang", lang="cpcl", allowed="escpos, tspl, zpl"), DeviceError, "device"),
        (CameraError("dev.camera.not_open", uri="/dev/video9"), DeviceError, "camera"),
    ],
)
def test_a_driver_error_becomes_the_station_error_with_the_same_key(
    driver: DriverError, station: type[StationError], title: str
) -> None:
    converted = from_driver(driver)
    assert type(converted) is station and converted.title == title
    assert (converted.key, converted.params) == (driver.code, driver.params)
    assert converted.message == t(driver.code, **driver.params)
    with pytest.raises(station) as caught, device_errors():
        raise driver
    assert caught.value.key == driver.code and caught.value.__cause__ is driver
    with pytest.raises(ValueError), device_errors():  # anything else passes through
        raise ValueError("not a driver's")


def test_a_driver_error_reads_in_english_without_the_station() -> None:
    assert str(REFUSED) == "cannot connect to printer socket://127.0.0.1:9: Connection refused"
    timeout = PrintFault("print.timeout", uri="u", seconds=2)
    assert str(timeout).startswith("print timed out: printer u accepted no data for 2 s")
    assert str(CameraError("dev.camera.not_open", uri="video://9")) == "camera video://9 is not open"
    assert str(DriverError("dev.something_new", uri="u")) == "dev.something_new uri=u"


def test_the_drivers_import_nothing_of_the_station() -> None:
    code = (
        "import sys, pkgutil, importlib, drivers\n"
        "for m in pkgutil.walk_packages(drivers.__path__, 'drivers.'):\n"
        "    importlib.import_module(m.name)\n"
        "assert not [m for m in sys.modules if m == 'station' or m.startswith('station.')], 'station imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
