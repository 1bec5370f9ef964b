"""`station label list|check|render` as a clerk uses them."""

from __future__ import annotations

import json
from pathlib import Path

import zxingcpp
from PIL import Image

from station.labels.template import TEMPLATE_DIR
from station.roll_ids import make_roll_id
from tests.conftest import cli_order


def _issue(station) -> dict:  # type: ignore[no-untyped-def,type-arg]
    return cli_order(station, 5, certified=True)


def test_list(station) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    names = [t["name"] for t in station("label", "list", "--json", check=True).json()["templates"]]
    assert names == ["hegezheng-60x40", "pickup-slip-58mm", "roll-header-40x30", "trace-40x30", "trace-40x40-hidden"]


def test_render_a_code_and_an_order(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(station)
    one = tmp_path / "one.png"
    out = station(
        "label",
        "render",
        "--template",
        "trace-40x30",
        "--code",
        issued["first"],
        "--out",
        str(one),
        "--json",
        check=True,
    ).json()
    assert out["size_dots"] == [320, 240]
    image = Image.open(one)
    assert image.mode == "1" and image.size == (320, 240)
    assert zxingcpp.read_barcodes(image.convert("L"))[0].text.endswith("/" + issued["first"])

    many = tmp_path / "roll.png"
    result = station(
        "label",
        "render",
        "--template",
        "hegezheng-60x40",
        "--order",
        str(issued["order"]),
        "--limit",
        "3",
        "--out",
        str(many),
        check=True,
    )
    files = sorted(tmp_path.glob("roll-*.png"))
    assert [f.name for f in files] == ["roll-0001.png", "roll-0002.png", "roll-0003.png"]
    assert "3" in result.out
    texts = [zxingcpp.read_barcodes(Image.open(f).convert("L"))[0].text for f in files]
    assert texts[0].endswith(issued["first"]) and len(set(texts)) == 3


def test_render_with_preview_and_300_dpi(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(station)
    out = station(
        "label",
        "render",
        "--code",
        issued["first"],
        "--out",
        str(tmp_path / "p.png"),
        "--dpi",
        "300",
        "--preview",
        check=True,
    )
    assert "▀" in out.out and "\x1b[38;5;" in out.out, "half-block preview in the terminal"
    assert Image.open(tmp_path / "p.png").size == (472, 354)


def test_the_preview_is_the_label_legibly(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The terminal preview read back cell by cell (each cell's two greys) is the label at 4 dots a pixel on an
    80-column terminal: its QR code decodes to the code's payload."""
    import re

    import numpy as np

    issued = _issue(station)
    out = station("label", "render", "--code", issued["first"], "--out", str(tmp_path / "p.png"), "--preview")
    palette = {16: 0, 231: 255, **{232 + i: 8 + 10 * i for i in range(24)}}
    rows = []
    for line in out.out.splitlines():
        cells = re.findall(r"(?:\x1b\[38;5;(\d+);48;5;(\d+)m)?▀", line)
        if not cells:
            continue
        upper, lower, colours = [], [], ("231", "231")
        for fg, bg in cells:
            colours = (fg, bg) if fg else colours
            upper.append(palette[int(colours[0])])
            lower.append(palette[int(colours[1])])
        rows += [upper, lower]
    picture = np.array(rows, dtype=np.uint8)
    assert picture.shape[1] == 80  # the 80-column terminal the command runs in: 4 dots a column
    label = np.asarray(Image.open(tmp_path / "p.png").convert("L"))
    assert abs(picture.shape[0] / picture.shape[1] - label.shape[0] / label.shape[1]) < 0.03  # its shape kept
    found = zxingcpp.read_barcodes(np.kron(picture, np.ones((4, 4), dtype=np.uint8)))
    assert found and found[0].text.endswith(issued["first"])


def test_render_roll_header_and_slip_for_an_order(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(station)
    station(
        "label",
        "render",
        "--template",
        "roll-header-40x30",
        "--order",
        str(issued["order"]),
        "--out",
        str(tmp_path / "h.png"),
        check=True,
    )
    found = {r.format.name: r.text for r in zxingcpp.read_barcodes(Image.open(tmp_path / "h.png").convert("L"))}
    assert found["Code128"] == found["QRCode"] == make_roll_id(issued["order"], 1)
    station(
        "label",
        "render",
        "--template",
        "pickup-slip-58mm",
        "--order",
        str(issued["order"]),
        "--out",
        str(tmp_path / "s.png"),
        check=True,
    )
    assert Image.open(tmp_path / "s.png").width == 384


def test_check_reports_problems_and_exit_code(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    station("init", check=True)
    good = station("label", "check", str(TEMPLATE_DIR / "roll-header-40x30.toml"))
    assert good.code == 0 and "valid" in good.out
    mine = tmp_path / "mine.toml"
    text = (TEMPLATE_DIR / "trace-40x30.toml").read_text(encoding="utf-8")
    mine.write_text(
        text.replace("{lot.note}", "{lot.stauts}").replace("x_mm = 22.2\ny_mm = 4.9", "x_mm = 20.0\ny_mm = 4.9"),
        encoding="utf-8",
    )
    bad = station("label", "check", str(mine), "--json")
    assert bad.code == 1
    report = bad.json()
    assert report["ok"] is False and len(report["problems"]) == 2
    assert "unknown field {lot.stauts}" in report["problems"][0]
    assert "quiet zone" in report["problems"][1]


def test_custom_template_in_data_directory_overrides(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """A template in the data directory with a shipped template's name is the one used: here one 10 mm taller."""
    issued = _issue(station)

    def render(name: str) -> tuple[int, int]:
        out = tmp_path / f"{name}.png"
        station(
            "label", "render", "--template", "trace-40x30", "--code", issued["first"], "--out", str(out), check=True
        )
        with Image.open(out) as image:
            return image.size

    assert render("shipped") == (320, 240)  # 40 x 30 mm at 203 dpi
    custom = station.home / "label_templates"
    custom.mkdir()
    shipped = (TEMPLATE_DIR / "trace-40x30.toml").read_text(encoding="utf-8")
    assert shipped.count("height_mm = 30\n") == 1
    (custom / "trace-40x30.toml").write_text(shipped.replace("height_mm = 30\n", "height_mm = 40\n"), "utf-8")
    listed = {t["name"]: t for t in station("label", "list", "--json", check=True).json()["templates"]}
    assert list(listed) == [
        "hegezheng-60x40",
        "pickup-slip-58mm",
        "roll-header-40x30",
        "trace-40x30",
        "trace-40x40-hidden",
    ]
    assert render("custom") == (320, 320)  # 40 x 40 mm: the data directory's copy, not the shipped one
    (custom / "trace-40x30.toml").unlink()
    assert render("shipped-again") == (320, 240)


def test_render_errors_are_clear(station, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    issued = _issue(station)
    none = station("label", "render", "--out", str(tmp_path / "x.png"))
    assert none.code == 1 and "--code or --order" in none.err
    unknown = station(
        "label", "render", "--template", "nope", "--code", issued["first"], "--out", str(tmp_path / "x.png")
    )
    assert unknown.code == 1 and "no label template named nope" in unknown.err
    bad_code = station("label", "render", "--code", "1234", "--out", str(tmp_path / "x.png"), "--json")
    assert bad_code.code == 1 and "20 digits" in json.loads(bad_code.out)["error"]
