"""`station verify-image` and `station verify-camera` as QC staff use them, against the emulators."""

from __future__ import annotations

import json
import time
from pathlib import Path

import cv2

from drivers.emulators.camera import CameraFaults, Imaging, Scene, VirtualCamera
from drivers.emulators.printer import PrinterFaults, VirtualPrinter
from drivers.emulators.servers import TcpPrinterServer
from drivers.printers.printer import LabelPrinter
from station.home import Home
from station.labels import Renderer, load_template
from station.labels.values import code_values
from station.lookup import check_code
from tests.conftest import cli_order
from tests.printer_helpers import wait_labels
from tests.verify_helpers import film, print_label


def _issue(station) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    issued = cli_order(station, 3)
    return issued["first"], issued["last"]


def _label(station, code: str):  # type: ignore[no-untyped-def]
    home = Home.open(station.home)
    try:
        values = code_values(home, check_code(home, code)["serial"])
    finally:
        home.close()
    return Renderer().render(load_template("trace-40x30"), values), values["payload"]


def test_verify_image_single_and_manifest(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, last = _issue(station)
    label, payload = _label(station, first)
    cv2.imwrite(str(tmp_path / "good.png"), film(print_label(label.image), 1))
    dead = print_label(label.image, PrinterFaults(dead_elements=(90,)))
    cv2.imwrite(str(tmp_path / "dead.png"), film(dead, 2))

    one = station("verify-image", str(tmp_path / "good.png"), "--expect", payload, "--json")
    assert one.code == 0
    result = one.json()
    assert {"decoded", "payload", "match", "grade", "letter", "parameters", "defects", "passed"} <= set(result)
    assert result["passed"] and result["letter"] == "A"

    with_reference = station(
        "verify-image",
        str(tmp_path / "dead.png"),
        "--template",
        "trace-40x30",
        "--code",
        first,
        "--annotate",
        str(tmp_path / "a.png"),
        "--json",
    )
    assert with_reference.code == 1
    report = with_reference.json()
    assert not report["passed"]
    assert any(d["kind"] == "dead_element" and abs(d["location"]["dot"] - 90) <= 1 for d in report["defects"])
    assert cv2.imread(str(tmp_path / "a.png")) is not None

    _, other_payload = _label(station, last)
    (tmp_path / "m.csv").write_text(
        f"image,payload\ngood.png,{payload}\ngood.png,{other_payload}\nmissing.png,{payload}\n", encoding="utf-8"
    )
    lines = station("verify-image", "--manifest", str(tmp_path / "m.csv"), "--json").out.splitlines()
    rows = [json.loads(line) for line in lines]
    assert [r["image"] for r in rows] == ["good.png", "good.png", "missing.png"]
    assert [r["passed"] for r in rows] == [True, False, False]
    assert rows[1]["decoded"] and not rows[1]["match"]
    assert "cannot read image" in rows[2]["error"]


def test_verify_camera_against_printer_and_camera_emulators(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    first, last = _issue(station)
    printer = VirtualPrinter("tspl")
    scene = Scene()
    scene.attach(printer)
    faults = CameraFaults()
    with TcpPrinterServer(printer) as server, VirtualCamera(scene, Imaging(seed=3), faults, fps=30) as camera:
        label, payload = _label(station, first)
        with LabelPrinter(server.uri, "tspl") as driver:
            driver.print_image(label.image)
        wait_labels(printer, 1)
        good = station("verify-camera", "--camera", camera.url, "--template", "trace-40x30", "--code", first, "--json")
        assert good.code == 0, good.out + good.err
        assert good.json()["passed"] and good.json()["camera"] == camera.url

        # a frozen camera keeps showing the old label: the next label cannot pass
        faults.frozen = True
        time.sleep(0.2)
        second, _ = _label(station, last)
        with LabelPrinter(server.uri, "tspl") as driver:
            driver.print_image(second.image)
        wait_labels(printer, 2)
        stale = station("verify-camera", "--camera", camera.url, "--template", "trace-40x30", "--code", last, "--json")
        assert stale.code == 1 and not stale.json()["passed"] and not stale.json()["match"]

        faults.frozen = False
        faults.no_frames = True
        none = station("verify-camera", "--camera", camera.url, "--expect", payload)
        assert none.code == 1 and "camera" in none.err
