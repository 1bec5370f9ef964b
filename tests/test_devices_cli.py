"""`station emulate printer`, `station print-test` and `station devices` as an operator runs them."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

import numpy as np
from PIL import Image

from tests.conftest import STATION


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _emulator(tmp_path: Path, *extra: str) -> tuple[subprocess.Popen[str], int]:
    port = _free_port()
    proc = subprocess.Popen(
        [
            STATION,
            "--lang",
            "en",
            "emulate",
            "printer",
            "--lang",
            "tspl",
            "--listen",
            f"socket://127.0.0.1:{port}",
            "--out",
            str(tmp_path / "out"),
            "--seconds",
            "30",
            *extra,
        ],
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
    return proc, port


def test_print_test_against_the_emulator_shows_a_dead_element(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    proc, port = _emulator(tmp_path, "--dead-elements", "100")
    try:
        result = station(
            "print-test", "--printer", f"socket://127.0.0.1:{port}", "--lang", "tspl", "--json", check=True
        ).json()
        assert result["before"]["state"] == "online" and result["after"]["state"] == "online"
        assert result["bytes"] > 1000
        deadline = time.monotonic() + 5
        while not list((tmp_path / "out").glob("label-*.png")) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        proc.terminate()
        out, _ = proc.communicate(timeout=10)
    printed = np.asarray(Image.open(tmp_path / "out" / "label-00001.png").convert("L"))
    band_rows = np.flatnonzero((printed < 128).mean(axis=1) > 0.9)
    assert band_rows.size > 20, "the solid band is there"
    band = printed[band_rows]
    white_columns = np.flatnonzero((band > 128).all(axis=0))
    assert white_columns.tolist() == [100]
    assert "printed label 1" in out


def test_print_test_reports_paper_out(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    proc, port = _emulator(tmp_path, "--paper-out-after", "0")
    try:
        run = station("print-test", "--printer", f"socket://127.0.0.1:{port}", "--lang", "tspl", "--json")
        result = run.json()
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert result["before"]["state"] == "paper_out"
    assert result["after"]["state"] == "paper_out"  # the test label waits in the printer for paper


def test_devices_lists_configured_printer_state(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    proc, port = _emulator(tmp_path, "--cover-open")
    (station.home / "station.toml").write_text(f'[printer]\nuri = "socket://127.0.0.1:{port}"\nlang = "tspl"\n')
    try:
        found = station("devices", "--json", check=True).json()
        human = station("devices", check=True).out
    finally:
        proc.terminate()
        proc.communicate(timeout=10)
    assert found["configured_printer"]["state"] == "cover_open"
    assert set(found) >= {"printers", "scanners", "serial_ports", "cameras"}
    assert "cover open" in human
    json.dumps(found)


def test_emulator_refuses_non_loopback(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = station(
        "emulate", "printer", "--listen", "socket://0.0.0.0:9100", "--out", str(tmp_path), "--seconds", "1"
    )
    assert result.code != 0 and "loopback" in result.err


def test_emulator_lists_and_counts_what_it_does_not_print(tmp_path: Path) -> None:
    import signal

    proc, port = _emulator(tmp_path)
    time.sleep(0.5)  # the emulator takes one host at a time: let it let go of the probe that found it listening
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as link:
            link.sendall(b'SIZE 10 mm,5 mm\r\nCLS\r\nFROBNICATE 3\r\nTEXT 10,10,"3",0,1,1,"hi"\r\n')
            time.sleep(0.5)
    finally:
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=10)
    assert out.count("command not understood or not printed") == 2
    assert "FROBNICATE 3" in out and "TEXT 10,10" in out
    assert "2 commands were not understood or not printed" in out
