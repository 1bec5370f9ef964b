"""Media per printer, through the emulators on loopback: the media settings each language sends, the emulator's
roll deciding a label's length, calibration measuring the roll, and the settings checked against the model."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from drivers.emulators.printer import Media, VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from drivers.errors import DeviceFault
from drivers.printers.encoders import JobOptions, encode_tspl, encode_zpl
from drivers.printers.models import find_model, set_directories
from drivers.printers.printer import LabelPrinter
from station.config import config_from_mapping, load_config
from station.devices import printer_from_config
from station.errors import ConfigError, StationError
from tests.printer_helpers import wait_labels


@pytest.fixture(autouse=True)
def _shipped_models_only() -> None:
    set_directories([])


def _image(rows: int = 160, width: int = 320) -> Image.Image:
    black = np.zeros((rows, width), dtype=bool)
    black[10:20, 10:100] = True
    return Image.fromarray(~black).convert("1")


def _run(printer: VirtualPrinter, options: JobOptions, lang: str, image: Image.Image | None = None) -> LabelPrinter:
    """Print one label to ``printer`` over TCP with ``options``; the driver, still open, is returned closed."""
    with TcpPrinterServer(printer) as server, LabelPrinter(server.uri, lang, options) as driver:
        driver.print_image(image or _image())
        wait_labels(printer, 1)
    return driver


# --- what each language sends -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("options", "line"),
    [
        (JobOptions(media="gap", gap_mm=3, offset_mm=1), b"GAP 3 mm,1 mm"),
        (JobOptions(media="mark", mark_mm=4, offset_mm=2.5), b"BLINE 4 mm,2.5 mm"),
        (JobOptions(media="continuous", gap_mm=3), b"GAP 0,0"),
    ],
)
def test_tspl_media_line_for_each_kind(options: JobOptions, line: bytes) -> None:
    assert encode_tspl(_image(), options).split(b"\r\n")[1] == line


def test_tspl_speed_and_density_are_sent_in_inches_per_second() -> None:
    lines = encode_tspl(_image(), JobOptions(speed_mm_s=102, density=9)).split(b"\r\n")
    assert b"SPEED 4" in lines and b"DENSITY 9" in lines
    assert b"SPEED 1.5" in encode_tspl(_image(), JobOptions(speed_mm_s=38.1)).split(b"\r\n")
    assert not any(line.startswith(b"SPEED") for line in encode_tspl(_image(), JobOptions()).split(b"\r\n"))


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        (JobOptions(media="gap"), [b"^MNY"]),
        (JobOptions(media="mark", offset_mm=2), [b"^MNM,16"]),
        (JobOptions(media="continuous"), [b"^MNN"]),
        (JobOptions(media="gap", speed_mm_s=152, density=20, method="transfer"), [b"^MNY", b"^MTT", b"^PR6", b"~SD20"]),
        (JobOptions(method="direct"), [b"^MTD"]),
    ],
)
def test_zpl_media_commands(options: JobOptions, expected: list[bytes]) -> None:
    lines = encode_zpl(_image(), options).split(b"\n")
    head = lines[: lines.index(next(x for x in lines if x.startswith(b"^FO")))]
    assert [x for x in head if x[:3] in (b"^MN", b"^MT", b"^PR", b"~SD")] == expected


# --- the emulator's roll -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["tspl", "zpl"])
def test_gap_roll_gives_each_label_the_roll_length(lang: str) -> None:
    printer = VirtualPrinter(lang, media=Media("gap", label_mm=25, gap_mm=3))
    _run(printer, JobOptions(media="gap", gap_mm=3), lang, _image(rows=160))
    assert printer.labels[0].image.size == (320, 200)  # 25 mm at 203 dpi, whatever the job's 160 rows
    assert printer.unknown_count == 0


@pytest.mark.parametrize("lang", ["tspl", "zpl"])
def test_continuous_roll_gives_the_job_its_own_length(lang: str) -> None:
    printer = VirtualPrinter(lang, media=Media("continuous"))
    _run(printer, JobOptions(media="continuous"), lang, _image(rows=173))
    assert printer.labels[0].image.size == (320, 173)
    assert printer.job["sensor"] == "continuous"
    assert printer.unknown_count == 0


def test_escpos_receipt_on_a_continuous_roll_is_as_long_as_its_content() -> None:
    printer = VirtualPrinter("escpos", media=Media("continuous"))
    _run(printer, JobOptions(), "escpos", _image(rows=120))
    assert printer.labels[0].image.size[1] == 120


@pytest.mark.parametrize(
    ("lang", "options", "roll"),
    [
        ("tspl", JobOptions(media="gap"), "mark"),
        ("tspl", JobOptions(media="mark"), "gap"),
        ("zpl", JobOptions(media="continuous"), "gap"),
    ],
)
def test_a_job_for_other_stock_than_the_roll_is_noted(lang: str, options: JobOptions, roll: str) -> None:
    printer = VirtualPrinter(lang, media=Media(roll, 30, 3))
    _run(printer, options, lang)
    assert any(b"the roll is " + roll.encode() in entry for entry in printer.unknown_commands)


@pytest.mark.parametrize("lang", ["tspl", "zpl"])
def test_media_settings_reach_the_emulator(lang: str) -> None:
    printer = VirtualPrinter(lang, media=Media("mark", 40, 4))
    options = JobOptions(media="mark", mark_mm=4, offset_mm=1, speed_mm_s=102, density=7)
    _run(printer, options, lang)
    assert printer.job["sensor"] == "mark"
    assert printer.job["density"] == 7
    assert printer.job["speed"] == 4
    assert printer.job["offset"] == 8  # 1 mm at 203 dpi
    assert printer.labels[0].image.size[1] == 320


# --- calibration --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "media", "label_mm", "dots"),
    [("tspl", "gap", 30, 240), ("tspl", "mark", 50, 400), ("zpl", "gap", 25, 200), ("zpl", "mark", 70, 559)],
)
def test_calibration_reports_the_rolls_label_length(lang: str, media: str, label_mm: float, dots: int) -> None:
    printer = VirtualPrinter(lang, media=Media(media, label_mm, 3))
    with TcpPrinterServer(printer) as server, LabelPrinter(server.uri, lang, JobOptions(media=media)) as driver:
        result = driver.calibrate(wait_s=2)
    assert printer.calibrations == 1
    assert result.length_dots == dots
    assert result.length_mm == round(dots * 25.4 / 203, 1)


@pytest.mark.parametrize(("lang", "roll"), [("tspl", "mark"), ("tspl", "continuous"), ("zpl", "continuous")])
def test_calibration_that_finds_no_labels_reports_no_length(lang: str, roll: str) -> None:
    printer = VirtualPrinter(lang, media=Media(roll, 30, 3))
    with TcpPrinterServer(printer) as server, LabelPrinter(server.uri, lang, JobOptions(media="gap")) as driver:
        assert driver.calibrate(wait_s=2).length_dots is None
    assert printer.calibrations == 1


def test_calibration_that_does_not_apply_is_refused_clearly() -> None:
    for lang, media, code in [
        ("escpos", None, "dev.calibrate_escpos"),
        ("tspl", "continuous", "dev.calibrate_continuous"),
        ("zpl", "continuous", "dev.calibrate_continuous"),
    ]:
        printer = VirtualPrinter(lang)
        with TcpPrinterServer(printer) as server, LabelPrinter(server.uri, lang, JobOptions(media=media)) as driver:
            with pytest.raises(DeviceFault) as caught:
                driver.calibrate(wait_s=1)
        assert caught.value.code == code
        assert printer.received == 0, "nothing is sent"


# --- settings and models ----------------------------------------------------------------------------------------


def test_a_model_fills_the_printer_settings_left_out() -> None:
    config = config_from_mapping({"printer": {"model": "zebra-zd421"}})
    assert (config.printer.lang, config.printer.dpi, config.printer.media) == ("zpl", 203, "gap")
    assert (config.printer.darkness, config.printer.speed_mm_s) == (-1, 0), "shipped models keep the printer's own"
    config = config_from_mapping({"printer": {"model": "zebra-zd421", "dpi": 300, "darkness": 22}})
    assert (config.printer.dpi, config.printer.darkness) == (300, 22)
    # station init writes every setting: those still at the station's default are the model's to fill
    config = config_from_mapping({"printer": {"model": "epson-tm-t82", "lang": "tspl", "dpi": 203, "media": "gap"}})
    assert (config.printer.lang, config.printer.dpi, config.printer.media) == ("escpos", 180, "continuous")


@pytest.mark.parametrize(
    ("printer", "key"),
    [
        ({"model": "tsc-te244", "darkness": 16}, "printer.darkness"),
        ({"model": "zebra-zd421", "darkness": 31}, "printer.darkness"),
        ({"model": "zebra-zd220", "speed_mm_s": 127}, "printer.speed_mm_s"),
        ({"model": "epson-tm-t82", "media": "mark"}, "printer.media"),
        ({"model": "deli-dl-888b", "media": "mark", "lang": "zpl"}, "printer.lang"),
        ({"model": "epson-tm-t82", "darkness": 3}, "printer.darkness"),
        ({"model": "tsc-te244", "lang": "zpl"}, "printer.lang"),
        ({"model": "tsc-te244", "dpi": 300}, "printer.dpi"),
        ({"model": "no-such-printer"}, "printer.model"),
        ({"lang": "tspl", "darkness": 20}, "printer.darkness"),
    ],
)
def test_a_setting_the_printer_cannot_take_is_named(printer: dict[str, object], key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        config_from_mapping({"printer": printer})
    assert caught.value.params["key"] == key


def test_settings_at_the_edge_of_the_models_range_are_taken() -> None:
    config_from_mapping({"printer": {"model": "tsc-te244", "darkness": 15, "speed_mm_s": 152}})
    config_from_mapping({"printer": {"model": "zebra-zd421", "darkness": 30, "speed_mm_s": 152}})
    config_from_mapping({"printer": {"model": "zebra-zd421", "darkness": 0, "speed_mm_s": 25}})


def test_the_configured_media_reaches_the_printer_and_a_template_gap_still_wins(tmp_path: Path) -> None:
    (tmp_path / "station.toml").write_text(
        '[printer]\nmodel = "tsc-te244"\nmedia = "gap"\ngap_mm = 2.0\ndarkness = 11\nspeed_mm_s = 76.2\n'
    )
    config = load_config(tmp_path)
    printer = VirtualPrinter("tspl", media=Media("gap", 30, 3))
    with TcpPrinterServer(printer) as server:
        with printer_from_config(config, server.uri, gap_mm=3.0) as driver:
            driver.print_image(_image())
            wait_labels(printer, 1)
    assert printer.job == {"sensor": "gap", "gap": 24, "offset": 0, "speed": 3.0, "density": 11}
    assert printer.unknown_count == 0


def test_a_job_option_outside_the_model_is_refused_before_anything_is_sent() -> None:
    model = find_model("xprinter-xp-365b")
    assert model is not None
    with pytest.raises(DeviceFault) as caught:
        LabelPrinter("socket://127.0.0.1:9", "tspl", JobOptions(speed_mm_s=200), model=model)
    assert caught.value.params["setting"] == "printer.speed_mm_s"
    with pytest.raises(StationError):
        config = config_from_mapping({})
        printer_from_config(dataclasses.replace(config, printer=dataclasses.replace(config.printer, darkness=25)))


# --- models as files, recognised by their USB ids ---------------------------------------------------------------

ACME = """name = "Acme LP-1"
maker = "Acme"
lang = "tspl"
dpi = [203]
print_width_mm = 56
max_speed_mm_s = 101.6
darkness = [0, 12]
default_darkness = 6
default_speed_mm_s = 50.8
media = ["gap", "continuous"]
usb = ["1a2b:3c4d"]
unconfirmed = ["everything"]
"""


def test_a_model_file_in_the_data_directory_is_recognised_without_code_changes(tmp_path: Path) -> None:
    from drivers.emulators.servers import UsbPrinterPlug
    from drivers.emulators.usb import EmulatedUsbBackend
    from station.devices import list_devices

    (tmp_path / "printers").mkdir()
    (tmp_path / "printers" / "acme-lp1.toml").write_text(ACME)
    (tmp_path / "station.toml").write_text('[printer]\nmodel = "acme-lp1"\n')
    config = load_config(tmp_path)
    assert (config.printer.lang, config.printer.darkness, config.printer.speed_mm_s) == ("tspl", 6, 50.8)
    acme, tsc, epson = find_model("acme-lp1"), find_model("tsc-te244"), find_model("epson-tm-t82")
    assert acme is not None and tsc is not None and epson is not None
    backend = EmulatedUsbBackend()
    acme_printer = VirtualPrinter("tspl", media=Media("gap", 20, 2))
    with (
        UsbPrinterPlug(acme_printer, backend, serial="A1", model=acme) as plug,
        UsbPrinterPlug(VirtualPrinter("tspl"), backend, serial="T1", model=tsc),
        UsbPrinterPlug(VirtualPrinter("escpos"), backend, serial="E1", model=epson),
    ):
        found = {entry["uri"]: entry for entry in list_devices(backend)["printers"]}
        assert found["usb://1a2b:3c4d"]["model"] == "acme-lp1"
        assert found["usb://1a2b:3c4d"]["model_name"] == "Acme LP-1"
        assert found["usb://1203:0230"]["model"] == "tsc-te244" and "models" not in found["usb://1203:0230"]
        assert found["usb://04b8:0202"]["models"] == ["epson-tm-t81", "epson-tm-t82"]  # one id, two models
        with printer_from_config(config, plug.uri) as driver:
            driver.print_image(_image())
            wait_labels(acme_printer, 1)
    assert acme_printer.job["density"] == 6 and acme_printer.job["speed"] == 2.0
    assert acme_printer.labels[0].image.size[1] == 160  # 20 mm at 203 dpi: the roll's label length


def test_a_model_file_that_cannot_be_read_is_skipped_and_named(tmp_path: Path) -> None:
    from drivers.printers.models import broken_files, catalogue

    (tmp_path / "printers").mkdir()
    (tmp_path / "printers" / "bad.toml").write_text(ACME.replace('media = ["gap", "continuous"]', 'media = ["roll"]'))
    set_directories([tmp_path / "printers"])
    assert "bad" not in catalogue()
    assert any("bad.toml: media" in reason for reason in broken_files())


def test_every_shipped_model_reads_and_there_are_ten_across_three_languages() -> None:
    from drivers.printers.models import catalogue

    models = catalogue()
    assert len(models) >= 10
    assert {m.lang for m in models.values()} == {"tspl", "zpl", "escpos"}
    for model in models.values():
        assert model.unconfirmed or model.sources, model.id


def test_escpos_sends_no_media_commands_even_when_the_settings_hold_some() -> None:
    """A receipt printer named with --lang escpos on a station set up for a TSPL model: darkness and speed stay
    the printer's own (ESC/POS has no job command for them) and the bytes are those of a plain job."""
    config = config_from_mapping({"printer": {"model": "tsc-te244", "darkness": 8, "speed_mm_s": 102}})
    printer = VirtualPrinter("escpos", media=Media("continuous"))
    with TcpPrinterServer(printer) as server, printer_from_config(config, server.uri, "escpos") as driver:
        assert driver.model is None and driver.options.density is None and driver.options.speed_mm_s == 0
        assert driver.encode(_image()) == LabelPrinter(server.uri, "escpos").encode(_image())
        driver.print_image(_image(rows=90))
        wait_labels(printer, 1)
    assert printer.labels[0].image.size[1] == 90
    assert printer.unknown_count == 0


@pytest.mark.parametrize("lang", ["tspl", "zpl"])
def test_a_template_gap_of_zero_lays_the_job_on_continuous_stock(lang: str) -> None:
    config = config_from_mapping({"printer": {"lang": lang, "media": "gap", "gap_mm": 2.0}})
    printer = VirtualPrinter(lang, media=Media("continuous"))
    with TcpPrinterServer(printer) as server, printer_from_config(config, server.uri, gap_mm=0.0) as driver:
        assert driver.options.media == "continuous"
        driver.print_image(_image(rows=111))
        wait_labels(printer, 1)
    assert printer.job["sensor"] == "continuous"
    assert printer.labels[0].image.size[1] == 111
    assert printer.unknown_count == 0


def test_station_devices_names_the_model_of_a_plugged_in_printer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`station devices` as the clerk runs it, with the emulated USB bus standing in for the machine's."""
    import functools
    import json

    from click.testing import CliRunner

    import station.devices
    from drivers.emulators.servers import UsbPrinterPlug
    from drivers.emulators.usb import EmulatedUsbBackend
    from station.cli import cli

    backend = EmulatedUsbBackend()
    monkeypatch.setattr(station.devices, "list_devices", functools.partial(station.devices.list_devices, backend))
    home = str(tmp_path / "home")
    runner = CliRunner()
    assert runner.invoke(cli, ["--home", home, "init"]).exit_code == 0
    tsc = find_model("tsc-te244")
    with UsbPrinterPlug(VirtualPrinter("tspl"), backend, serial="T1", model=tsc) as plug:
        assert runner.invoke(cli, ["--home", home, "settings", "set", "printer.uri", plug.uri]).exit_code == 0
        assert runner.invoke(cli, ["--home", home, "settings", "set", "printer.model", "tsc-te244"]).exit_code == 0
        text = runner.invoke(cli, ["--home", home, "--lang", "en", "devices"])
        listed = json.loads(runner.invoke(cli, ["--home", home, "--lang", "en", "devices", "--json"]).output)
    assert "usb://1203:0230  TSC  model TSC TE244 (tsc-te244)" in text.output
    assert "configured printer" in text.output and "online" in text.output
    assert listed["printers"][0]["model"] == "tsc-te244" and listed["configured_printer"]["state"] == "online"
