"""`station printer calibrate`, `station printer models` and the emulator's roll, as an operator runs them."""

from __future__ import annotations

import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import STATION


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _emulator(tmp_path: Path, lang: str, *extra: str) -> Iterator[tuple[int, list[str]]]:
    """`station emulate printer` on a free loopback port; yields the port and, once stopped, its output lines."""
    port = _free_port()
    proc = subprocess.Popen(
        [STATION, "--lang", "en", "emulate", "printer", "--lang", lang, "--listen", f"socket://127.0.0.1:{port}"]
        + ["--out", str(tmp_path / "out"), "--seconds", "30", "--speed", "0", *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "STATION_LANG": "en"},
    )
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    lines: list[str] = []
    try:
        yield port, lines
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
        lines.extend(out.splitlines())


@pytest.mark.parametrize(("lang", "media", "label_mm", "dots"), [("tspl", "mark", 40, 320), ("zpl", "gap", 25, 200)])
def test_calibrate_reports_the_length_the_emulator_measured(
    station, tmp_path: Path, lang: str, media: str, label_mm: int, dots: int
) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    station("settings", "set", "printer.media", media, check=True)
    with _emulator(tmp_path, lang, "--media", media, "--label-mm", str(label_mm)) as (port, _):
        uri = f"socket://127.0.0.1:{port}"
        result = station("printer", "calibrate", "--printer", uri, "--lang", lang, "--json", check=True).json()
        text = station("printer", "calibrate", "--printer", uri, "--lang", lang, check=True).out
    assert result["length_dots"] == dots
    assert result["length_mm"] == round(dots * 25.4 / 203, 1)
    assert f"measured label length {result['length_mm']} mm ({dots} dots)" in text


def test_calibrate_on_a_receipt_printer_says_it_does_not_apply(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    with _emulator(tmp_path, "escpos") as (port, _):
        result = station("printer", "calibrate", "--printer", f"socket://127.0.0.1:{port}", "--lang", "escpos")
    assert result.code != 0
    assert "receipt printers have no media calibration command" in result.err + result.out


def test_models_lists_shipped_and_dropped_in_files(station) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    folder = station.home / "printers"
    folder.mkdir()
    (folder / "acme-lp2.toml").write_text(
        'name = "Acme LP-2"\nmaker = "Acme"\nlang = "zpl"\ndpi = [203]\nprint_width_mm = 56\n'
        'max_speed_mm_s = 102\ndarkness = [0, 30]\nmedia = ["gap"]\nusb = ["1a2b:0002"]\n'
    )
    listed = station("printer", "models", "--json", check=True).json()
    names = {row["model"]: row for row in listed["models"]}
    assert len(names) >= 13 and names["acme-lp2"]["usb"] == ["1a2b:0002"]
    assert names["tsc-te244"]["lang"] == "tspl" and "usb" in names["tsc-te244"]["unconfirmed"]
    station("settings", "set", "printer.model", "acme-lp2", check=True)
    bad = station("settings", "set", "printer.darkness", "31")
    assert bad.code != 0 and "printer.darkness" in bad.err + bad.out


def test_emulator_roll_sets_each_labels_length(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from PIL import Image

    station("init", check=True)
    with _emulator(tmp_path, "tspl", "--media", "gap", "--label-mm", "20", "--media-gap-mm", "3") as (port, lines):
        station("print-test", "--printer", f"socket://127.0.0.1:{port}", "--lang", "tspl", check=True)
        deadline = time.monotonic() + 5
        while not list((tmp_path / "out").glob("label-*.png")) and time.monotonic() < deadline:
            time.sleep(0.05)
    assert Image.open(tmp_path / "out" / "label-00001.png").size == (320, 160)  # 40 mm wide, the roll's 20 mm long
    assert "roll: gap, labels 20 mm long, gap/mark 3 mm" in lines
